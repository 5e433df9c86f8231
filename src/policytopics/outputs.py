"""What a study writes to disk: tables, figures, the explorer page, the run record.

Plain functions that take computed frames and settings and write files through the
package's one atomic writer (:mod:`policytopics.cache`); computing stays in the stage
modules and wiring in :mod:`policytopics.pipeline`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .cache import write_csv, write_json, write_parquet
from .config import StudyConfig
from .text import cut_label

log = logging.getLogger("policytopics")

#: Tables also written as Parquet (typed columns, for the next analysis step).
PARQUET_TABLES = ("doc_topics", "passage_topics", "theme_")


def write_tables(tables: Mapping[str, pd.DataFrame], folder: Path) -> dict[str, Path]:
    """``NAME.csv`` (UTF-8 with BOM: Excel opens it) for every table, and ``NAME.parquet``
    for the document, passage and theme tables. Returns the CSV paths by name."""
    written = {}
    for name, frame in tables.items():
        written[name] = write_csv(frame, folder / f"{name}.csv")
        if name.startswith(PARQUET_TABLES):
            write_parquet(frame, folder / f"{name}.parquet")
    return written


#: Above this many topics the combined over-time chart is not drawn (the lines tangle); the
#: small multiples (theme_panels_over_time) show every topic.
COMBINED_MAX_TOPICS = 6
#: Topic labels longer than this many characters are cut in figures (with "…"); the tables
#: keep the full name.
FIGURE_LABEL_CHARS = 24


def short_label(label: str) -> str:
    """``label`` cut to :data:`FIGURE_LABEL_CHARS` for figures (:func:`policytopics.text.cut_label`)."""
    return cut_label(label, FIGURE_LABEL_CHARS)


def _short_labels(frames: Mapping[str, object]) -> dict[str, object]:
    """The figure tables with every ``topic_label`` (and the labels dict) shortened."""
    out = dict(frames)
    for name, frame in frames.items():
        if isinstance(frame, pd.DataFrame) and "topic_label" in frame.columns:
            out[name] = frame.assign(topic_label=frame["topic_label"].map(short_label))
    if isinstance(frames.get("topic_labels"), dict):
        out["topic_labels"] = {t: short_label(label) for t, label in frames["topic_labels"].items()}
    return out


def figure_jobs(frames: Mapping[str, object], config: StudyConfig) -> list[tuple[str, str, tuple, dict]]:
    """The study's figures as ``(file name, plots function, arguments, keywords)``.

    ``frames`` holds the tables the figures draw: ``by_region``, ``by_period``,
    ``by_region_period``, ``topic_words``, ``topic_labels`` (a dict), ``doc_topics`` and,
    when computed, ``emphasis_by_region`` and ``emphasis_by_period``. A figure is drawn only
    when it can show something: a comparison of regions needs two regions or more, a series
    over time two periods or more. The skipped figures are logged, each with its reason
    (:func:`skipped_figures`). Topic labels longer than :data:`FIGURE_LABEL_CHARS` are cut
    in the figures (:func:`short_label`).
    """
    lang = config.output.language
    min_docs = config.weights.min_docs
    jobs: list[tuple[str, str, tuple, dict]] = []
    frames = _short_labels(frames)
    skipped = skipped_figures(frames)
    for name, reason in skipped.items():
        log.info("figure %s not drawn: %s", name, reason)

    def add(name, function, args, kwargs):
        if name not in skipped:
            jobs.append((name, function, args, kwargs))

    add("theme_weights_by_region", "plot_theme_weights_by_region", (frames["by_region"],),
        {"language": lang, "min_docs": min_docs})
    add("theme_weights_over_time", "plot_theme_weights_over_time", (frames["by_period"],), {"language": lang})
    add("theme_panels_over_time", "plot_theme_panels_over_time", (frames["by_period"],),
        {"language": lang, "min_docs": min_docs})
    # The most prevalent topic (T1) in the regions with most documents.
    add("regions_over_time_T1", "plot_regions_over_time", (frames["by_region_period"],),
        {"topic": 1, "language": lang})
    for by, name in (("region", "theme_emphasis_by_region"), ("period", "theme_emphasis_over_time")):
        if frames.get(f"emphasis_by_{by}") is not None:
            add(name, "plot_theme_emphasis", (frames[f"emphasis_by_{by}"],),
                {"by": by, "language": lang, "min_docs": min_docs})
    add("top_words", "plot_top_words", (frames["topic_words"],),
        {"topic_labels": frames["topic_labels"], "language": lang, "n_words": config.model.top_n_words})
    documents = frames["doc_topics"].drop_duplicates("doc_id")
    for by in ("region", "period"):
        add(f"coverage_by_{by}", "plot_coverage", (documents,), {"by": by, "language": lang})
    correlations = frames.get("topic_correlations")
    if correlations is not None:
        add("topic_correlation", "plot_topic_correlation", (correlations,), {"language": lang})
    for name, function, args, kwargs in effect_figures(frames):
        add(name, function, args, {**kwargs, "language": lang})
    return jobs


def effect_figures(frames: Mapping[str, object]) -> list[tuple[str, str, tuple, dict]]:
    """The effects' figures, in stm's three forms, as ``(name, function, args, keywords)``:
    ``effect_levels_<covariate>`` per category, ``effect_difference``, ``effect_curve_<covariate>``
    per number; none when the tables are empty."""
    jobs = []
    levels, difference, curves = (frames.get(f"effect_{name}") for name in ("levels", "difference", "curves"))
    if levels is not None and not levels.empty:
        for covariate in levels["covariate"].drop_duplicates():
            jobs.append((f"effect_levels_{covariate}", "plot_effect_levels", (levels,),
                         {"covariate": covariate}))
    if difference is not None and not difference.empty:
        jobs.append(("effect_difference", "plot_effect_difference", (difference,), {}))
    if curves is not None and not curves.empty:
        for covariate in curves["covariate"].drop_duplicates():
            jobs.append((f"effect_curve_{covariate}", "plot_effect_curves", (curves,),
                         {"covariate": covariate, "formula": frames.get("effects_formula", "")}))
    return jobs


def skipped_figures(frames: Mapping[str, object]) -> dict[str, str]:
    """The figures a study cannot show, by file name, with the reason in words.

    A figure that compares regions needs at least two regions; one over time at least two
    periods (a one-row heatmap or a one-point line would only restate a single number).
    """
    regions = frames["by_region"]["region"].nunique() if not frames["by_region"].empty else 0
    periods = frames["by_period"]["period"].nunique() if not frames["by_period"].empty else 0
    regional_periods = (frames["by_region_period"]["period"].nunique()
                        if not frames["by_region_period"].empty else 0)
    one_region = ("no document has a region" if regions == 0 else
                  f"only one region ({frames['by_region']['region'].iloc[0]}): nothing to compare")
    few_periods = "no document has a date" if periods == 0 else "only one period: no series over time"
    skipped = {}
    if regions < 2:
        for name in ("theme_weights_by_region", "theme_emphasis_by_region", "coverage_by_region",
                     "regions_over_time_T1"):
            skipped[name] = one_region
    if periods < 2:
        for name in ("theme_weights_over_time", "theme_panels_over_time", "theme_emphasis_over_time",
                     "coverage_by_period"):
            skipped[name] = few_periods
    n_topics = frames["by_period"]["topic"].nunique() if not frames["by_period"].empty else 0
    if "theme_weights_over_time" not in skipped and n_topics > COMBINED_MAX_TOPICS:
        skipped["theme_weights_over_time"] = (f"{n_topics} topics would tangle in one chart; "
                                              "theme_panels_over_time shows one panel per topic")
    if "regions_over_time_T1" not in skipped and regional_periods < 2:
        skipped["regions_over_time_T1"] = "fewer than two periods with a region"
    for by, name in (("region", "theme_emphasis_by_region"), ("period", "theme_emphasis_over_time")):
        emphasis = frames.get(f"emphasis_by_{by}")
        if emphasis is not None and emphasis.empty and name not in skipped:
            skipped[name] = f"fewer than two {by}s with documents"
    if frames.get("effects_reason"):
        skipped["effects"] = (f"effects of {frames.get('effects_formula')!r} not estimated: "
                              f"{frames['effects_reason']}")
    levels = frames.get("effect_levels")
    if levels is not None and not levels.empty:
        from .plots import EFFECT_MAX_LEVELS

        counts = levels.drop_duplicates(["covariate", "level"])["covariate"].value_counts()
        for covariate, count in counts.items():
            if count > EFFECT_MAX_LEVELS:
                skipped[f"effect_levels_{covariate}"] = (
                    f"{count} levels of {covariate}, more than {EFFECT_MAX_LEVELS} in one figure: "
                    "effect_levels.csv has them all (effect_difference compares two)")
    return skipped


def write_figures(frames: Mapping[str, object], config: StudyConfig) -> list[Path]:
    """The study's figures in ``figures_dir``, under stable names, in every format asked.

    Drawn in this process, or with ``[compute] workers`` of 2 or more in that many worker
    processes (the files are the same either way). ``workers = 0`` (auto) draws them here:
    on the 2-core reference machine two workers were slower, 13.2 and 14.7 s against 12.0
    and 12.2 s in this process for the nine figures in three formats of 10,000 news
    stories (each worker first imports matplotlib and the package).
    """
    from .parallel import map_chunks

    if not config.output.figure_formats:
        log.info("figure_formats is empty: no figures drawn")
        return []
    jobs = figure_jobs(frames, config)
    folder = config.output.figures_dir
    drawn = {job[0] for job in jobs}
    # A figure of an earlier run that this one cannot draw would be read as current (the
    # effects' figures are named after the covariates of the formula of their run).
    stale_names = [f"{name}.*" for name in skipped_figures(frames)] + ["effect_*.*"]
    for pattern in stale_names:
        for stale in sorted(folder.glob(pattern)):
            if stale.suffix in (".png", ".svg", ".pdf") and stale.stem not in drawn:
                stale.unlink()
                log.info("removed %s: this run does not draw it", stale.name)
    args = (folder, tuple(config.output.figure_formats))
    workers = config.compute.workers
    if workers < 2 or len(jobs) < 2:
        return _draw(jobs, *args)
    # Figures differ in cost: one per task keeps the workers busy.
    return [path for paths in map_chunks(_draw, jobs, args, workers=workers, chunk_size=1) for path in paths]


def _draw(jobs: list, folder: Path, formats: tuple[str, ...]) -> list[Path]:
    """Draw and export figure jobs (worker side of :func:`write_figures`)."""
    from . import plots

    paths: list[Path] = []
    for name, function, args, kwargs in jobs:
        paths += plots.export_figure(getattr(plots, function)(*args, **kwargs), name, folder, formats=formats)
    return paths


def write_explorer(model, path: Path, *, topic_labels: dict[int, str], language: str) -> Path:
    """The interactive topic explorer, one offline HTML file."""
    from .explorer import write_explorer as write_page

    return write_page(model, path, topic_labels=topic_labels, language=language)


def write_run_record(record: dict, path: Path) -> Path:
    """``run.json``: what produced the outputs (versions, settings, cache hits, timings)."""
    return write_json(path, record)


def write_sweep(result: dict, config: StudyConfig) -> list[Path]:
    """``k_selection.csv``, ``k_selection_runs.csv`` and the ``k_selection`` figure."""
    from .plots import export_figure, plot_k_selection

    out = config.output.tables_dir
    write_csv(result["by_k"], out / "k_selection.csv")
    write_csv(result["runs"], out / "k_selection_runs.csv")
    output = config.output
    figure = plot_k_selection(result["by_k"], suggested=result["suggested_k"], language=output.language)
    return export_figure(figure, "k_selection", output.figures_dir, formats=output.figure_formats)


__all__ = ["write_explorer", "write_figures", "write_run_record", "write_sweep", "write_tables"]
