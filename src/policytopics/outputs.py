"""What a study writes to disk: tables, figures, the explorer page, the run record.

Plain functions that take computed frames and settings and write files through the
package's one atomic writer (:mod:`policytopics.cache`); computing stays in the stage
modules and wiring in :mod:`policytopics.pipeline`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from itertools import pairwise
from pathlib import Path

import pandas as pd

from .cache import check_writable_folder, write_csv, write_json, write_parquet
from .config import OutputConfig, StudyConfig
from .text import cut_label

log = logging.getLogger("policytopics")

#: Tables also written as Parquet (typed columns, for the next analysis step).
PARQUET_TABLES = ("doc_topics", "passage_topics", "theme_")


def software_versions(engine) -> dict:
    """The package (with its modules' code), Python, the libraries and the topic engine a
    run used: the run record's first entries."""
    import platform

    import gensim
    import jieba
    import matplotlib

    from .cache import code_version

    return {
        "policytopics": code_version(),
        "python": platform.python_version(),
        "libraries": {"gensim": gensim.__version__, "jieba": jieba.__version__,
                      "pandas": pd.__version__, "matplotlib": matplotlib.__version__},
        # The engine's version and, for tomotopy, the instruction set it ran with (picked at
        # import, pinned with TOMOTOPY_ISA): Gibbs sampling is bit-for-bit the same only with
        # both the same.
        "engine": {"name": engine.name, **engine.versions()},
    }


def check_folders(output: OutputConfig, *, write: bool = True) -> None:
    """The output (``write``: tables, and figures if any format is asked for) and cache
    folders can be written; else one ``ValueError`` line naming the setting."""
    if write:
        check_writable_folder(output.tables_dir, "the output folder (--out, [output] tables_dir)")
        if output.figure_formats:
            check_writable_folder(output.figures_dir, "the figures folder ([output] figures_dir)")
    check_writable_folder(output.cache_dir, "the cache folder (--cache-dir, [output] cache_dir)")


def check_apart_from_corpus(config: StudyConfig) -> None:
    """No output, figures or cache folder is a corpus folder: the next run would read its
    tables, PDF figures and cache files back as articles (one ``ValueError`` line). Such a
    folder inside a corpus folder is left out of reading instead
    (:func:`policytopics.ingest.input_files`)."""
    corpus = {Path(path).resolve() for path in config.corpus.paths if Path(path).is_dir()}
    output = config.output
    for folder, what in ((output.tables_dir, "the output folder (--out, [output] tables_dir)"),
                         (output.figures_dir, "the figures folder ([output] figures_dir)"),
                         (output.cache_dir, "the cache folder (--cache-dir, [output] cache_dir)")):
        if Path(folder).resolve() in corpus:
            raise ValueError(f"{what} {folder} is the corpus folder: the next run would read the "
                             "study's own files back as articles; write them to another folder")


def write_tables(tables: Mapping[str, pd.DataFrame], folder: Path) -> dict[str, Path]:
    """``NAME.csv`` (UTF-8 with BOM: Excel opens it) for every table, and ``NAME.parquet``
    for the document, passage and theme tables. Returns the CSV paths by name."""
    written = {}
    for name, frame in tables.items():
        written[name] = write_csv(frame, folder / f"{name}.csv")
        if name.startswith(PARQUET_TABLES):
            write_parquet(frame, folder / f"{name}.parquet")
    return written


#: Topic labels longer than this many characters are cut in figures (with "…"); the tables
#: keep the full name.
FIGURE_LABEL_CHARS = 24


def registered() -> list:
    """Every figure of the study (importing :mod:`policytopics.plots` registers them:
    :mod:`policytopics.figures`)."""
    from . import plots  # noqa: F401
    from .figures import REGISTRY

    return list(REGISTRY.values())


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


def skipped_figures(frames: Mapping[str, object]) -> dict[str, str]:
    """The figures a study cannot show, by file name, with the reason in words; and
    ``effects`` when the formula's effects were not estimated."""
    skipped = {}
    if frames.get("effects_reason"):
        skipped["effects"] = (f"effects of {frames.get('effects_formula')!r} not estimated: "
                              f"{frames['effects_reason']}")
    for entry in registered():
        for name, keywords in entry.instances(frames.get(entry.table)):
            reason = entry.skip(frames, keywords)
            if reason:
                skipped[name] = reason
    return skipped


def figure_jobs(frames: Mapping[str, object], config) -> list[tuple]:
    """The figures the study draws from ``frames``, as jobs ``(name, function, args, keywords)``.

    A figure is drawn only when it can show something (:func:`skipped_figures`); topic labels
    longer than :data:`FIGURE_LABEL_CHARS` are cut in the figures (:func:`short_label`).
    """
    frames = _short_labels(frames)
    skipped = skipped_figures(frames)
    for name, reason in skipped.items():
        log.info("figure %s not drawn: %s", name, reason)
    jobs = []
    for entry in registered():
        table = frames.get(entry.table)
        if table is None:
            continue
        for name, keywords in entry.instances(table):
            if name not in skipped:
                jobs.append((name, entry.draw, (table,), {**entry.options(frames, config), **keywords,
                                                          "language": config.output.language}))
    return jobs


def write_figures(frames: Mapping[str, object], config: StudyConfig) -> list[Path]:
    """The study's figures in ``figures_dir``, under stable names, in every format asked
    (:func:`start_figures`, waited for)."""
    return start_figures(frames, config)()


def write_outputs(frames: Mapping[str, object], config: StudyConfig, tables: Callable[[], object],
                  explorer: Callable[[], object]) -> tuple[dict[str, object], dict[str, float]]:
    """Figures, tables and explorer: the figures drawn by worker processes (:func:`start_figures`)
    while ``tables()`` and ``explorer()`` write theirs here. Returns the written paths by kind
    and the seconds of each: ``weights`` (the tables), ``explorer``, and ``figures``, the time
    spent starting the figures and waiting for them afterwards, not their own drawing time."""
    import time

    laps = [time.perf_counter()]

    def lap(result):
        laps.append(time.perf_counter())
        return result

    wait = lap(start_figures(frames, config))
    written = {"tables": lap(tables()), "explorer": lap(explorer())}
    written["figures"] = lap(wait())
    seconds = [b - a for a, b in pairwise(laps)]
    return written, {"weights": round(seconds[1], 3), "explorer": round(seconds[2], 3),
                     "figures": round(seconds[0] + seconds[3], 3)}


#: Above this many documents ``[compute] workers = 0`` (auto) draws the figures in this process:
#: two figure workers saved 8 s of a 25 s run of 10,000 news stories (at 0.35 GB more), and 14 s
#: of a 2-minute run of all 74,542, whose peak they raised from 1.52 to 2.0 GB.
FIGURE_WORKERS_MAX_DOCS = 20_000


def figure_workers(config: StudyConfig, n_documents: int) -> int:
    """How many processes draw a study's figures (1: this one; see :func:`start_figures`)."""
    from .parallel import available_cpus, spawn_safe

    if not config.output.figure_formats or not spawn_safe():
        return 1
    if not config.compute.workers:  # auto
        return 1 if n_documents > FIGURE_WORKERS_MAX_DOCS else available_cpus()
    return config.compute.workers


def start_figures(frames: Mapping[str, object], config: StudyConfig) -> Callable[[], list[Path]]:
    """Start drawing the study's figures; returns the function that waits for their paths.

    With two CPUs or more (``[compute] workers`` 2 or more, or 0 = auto up to
    :data:`FIGURE_WORKERS_MAX_DOCS` documents), the figures are drawn by that many worker
    processes, one figure per task, while this one goes on with the tables and the explorer;
    each task carries its small tables. The workers are forked from a small server that has
    imported the plotting code (:func:`policytopics.parallel.prepare_figure_workers`), not
    from this process: a worker forked from here keeps every page of it alive, and the pages
    this one then writes are copied (the full news corpus peaked at 2.2 GB so). From a script
    that may not guard its entry point (:func:`policytopics.parallel.spawn_safe`), or with one
    worker, they are drawn here, before this returns. The files are the same either way
    (tested).
    """
    from .parallel import figure_context, interruptible, one_thread, worker_pool

    if not config.output.figure_formats:
        log.info("figure_formats is empty: no figures drawn")
        return list
    jobs = figure_jobs(frames, config)
    folder = config.output.figures_dir
    _remove_stale_figures(frames, folder, {job[0] for job in jobs})
    formats = tuple(config.output.figure_formats)
    cache = FigureCache(config.output.cache_dir / "figures", formats)
    copied = {job[0]: paths for job in jobs if (paths := cache.copy(job, folder))}
    to_draw = [job for job in jobs if job[0] not in copied]

    def in_job_order(drawn: list[Path]) -> list[Path]:
        cache.keep(drawn, to_draw)
        by_name = {**{job[0]: [] for job in jobs}, **copied}
        for path in drawn:
            by_name[path.stem].append(path)
        return [path for job in jobs for path in by_name[job[0]]]

    documents = frames.get("documents")
    workers = min(figure_workers(config, 0 if documents is None else len(documents)), len(to_draw))
    if workers < 2:
        paths = in_job_order(_draw(to_draw, folder, formats))
        return lambda: paths
    pool = worker_pool(workers, figure_context(), one_thread)
    # Figures differ in cost: one per task keeps the workers busy.
    futures = [pool.submit(_draw, [job], folder, formats) for job in to_draw]

    def result() -> list[Path]:
        with interruptible(pool):
            return in_job_order([path for future in futures for path in future.result()])

    return result


class FigureCache:
    """Figure files kept under their inputs' key: the drawing function, its tables and
    keywords, the formats, the package's code, matplotlib's version and the font's. A figure whose
    inputs did not change (a warm rerun; the coverage figures at a new K) is copied, not
    drawn again: the same inputs give the same bytes."""

    def __init__(self, folder: Path, formats: tuple[str, ...]):
        from importlib import metadata

        import matplotlib

        from .cache import code_version

        self.folder, self.formats = folder, formats
        # What every figure's key holds: its formats, the code and the drawing libraries.
        self._common = (formats, code_version(), matplotlib.__version__, metadata.version("mplfonts"))
        self._keys: dict[str, str] = {}
        self._digests: dict[int, str] = {}

    def key(self, job: tuple) -> str:
        from .cache import stable_hash

        name, draw, args, kwargs = job
        if name not in self._keys:
            self._keys[name] = stable_hash(name, draw.__module__, draw.__qualname__, *self._common,
                                           [self._digest(a) for a in args],
                                           {k: self._digest(v) for k, v in sorted(kwargs.items())})
        return self._keys[name]

    def _digest(self, value) -> str:
        from .cache import stable_hash

        if isinstance(value, pd.DataFrame | pd.Series):
            if id(value) not in self._digests:
                rows = pd.util.hash_pandas_object(value, index=True).to_numpy()
                frame = value.to_frame() if isinstance(value, pd.Series) else value
                shape = [list(map(str, frame.columns)), list(map(str, frame.dtypes))]
                self._digests[id(value)] = stable_hash(shape, rows.tobytes().hex())
            return self._digests[id(value)]
        if isinstance(value, dict):
            return stable_hash({str(k): self._digest(v) for k, v in value.items()})
        return stable_hash(value)

    def _files(self, job: tuple) -> list[Path] | None:
        """The job's files in the cache; ``None`` for a table that cannot be hashed (lists in
        cells): such a figure is always drawn."""
        try:
            key = self.key(job)
        except TypeError:
            return None
        return [self.folder / key / f"{job[0]}.{fmt}" for fmt in self.formats]

    def copy(self, job: tuple, folder: Path) -> list[Path]:
        """The job's files copied from the cache into ``folder`` (none if it holds them not)."""
        from .cache import copy_file

        files = self._files(job)
        if not files or not all(path.is_file() for path in files):
            return []
        return [copy_file(cached, folder / cached.name) for cached in files]

    def keep(self, paths: list[Path], jobs: list[tuple]) -> None:
        """Keep the figures just drawn (``paths``, written by ``jobs``) in the cache."""
        from .cache import copy_file

        drawn = {path.name: path for path in paths}
        for job in jobs:
            for cached in self._files(job) or []:
                if cached.name in drawn:
                    copy_file(drawn[cached.name], cached)


def _remove_stale_figures(frames: Mapping[str, object], folder: Path, drawn: set[str]) -> None:
    """Remove the figures of an earlier run that this one cannot draw: they would be read as
    current (the effects' figures are named after the covariates of their run's formula)."""
    stale_names = [f"{name}.*" for name in skipped_figures(frames)] + ["effect_*.*"]
    for pattern in stale_names:
        for stale in sorted(folder.glob(pattern)):
            if stale.suffix in (".png", ".svg", ".pdf") and stale.stem not in drawn:
                stale.unlink()
                log.info("removed %s: this run does not draw it", stale.name)


def _draw(jobs: list, folder: Path, formats: tuple[str, ...]) -> list[Path]:
    """Draw and export figure jobs."""
    from .plots import export_figure

    paths: list[Path] = []
    for name, draw, args, kwargs in jobs:
        paths += export_figure(draw(*args, **kwargs), name, folder, formats=formats)
    return paths


def write_explorer(model, path: Path, *, topic_labels: dict[int, str], language: str,
                   cache: tuple[Path, str] | None = None) -> Path:
    """The interactive topic explorer, one offline HTML file. With ``cache`` (a folder and
    the model's key) a page of the same model, labels, language and code is copied from
    there instead of being built again."""
    from .cache import atomic_write, code_version, copy_file, stable_hash
    from .explorer import write_explorer as write_page

    if cache is None:
        return write_page(model, path, topic_labels=topic_labels, language=language)
    folder, model_key = cache
    kept = folder / f"{stable_hash(model_key, topic_labels, language, code_version())}.html"
    if not kept.is_file():
        atomic_write(kept, lambda tmp: write_page(model, tmp, topic_labels=topic_labels, language=language))
    return copy_file(kept, path)


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


__all__ = ["FIGURE_WORKERS_MAX_DOCS", "check_folders", "figure_workers", "software_versions", "start_figures",
           "write_explorer", "write_figures", "write_outputs", "write_run_record", "write_sweep",
           "write_tables"]
