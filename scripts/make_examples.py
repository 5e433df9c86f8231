"""Example figures from the shared corpora, written to ``figures/examples/``.

The same study and plotting functions as ``policytopics run``, on two real corpora
(``../shared/corpora``, read in place). Only figures and a summary of numbers and top
words go into the repository; the tables, which hold titles and text, go to a temporary
folder (``--tables``) outside it.

- ``policy_central_shandong``: 221 technology and industry policy documents, Shandong vs
  the central government (the source states the region; central documents form the
  group 全国), by year;
- ``xwlb``: CCTV news stories by year (all 74,542 by default; ``--xwlb-limit``), with the
  manufacturing and new-productive-forces themes picked out.

    python scripts/make_examples.py                   # both, ~10 minutes on 2 cores
    python scripts/make_examples.py --only policy     # ~1 minute
    python scripts/make_examples.py --only xwlb --xwlb-limit 20000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from policytopics import Study, load_study
from policytopics.report.figures import export_figure, plot_regions_over_time
from policytopics.report.style import plot_context

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
EXAMPLES = REPO / "figures" / "examples"
#: Words that mark the manufacturing / industrial-upgrading themes among a topic's top 30.
MANUFACTURING = ("制造业", "新质生产力", "智能制造", "先进制造业", "工业")


def study_for(name: str, corpus: Path, topics: int, limit: int, tables: Path, cache: Path,
              progress: bool) -> Study:
    config = load_study(REPO / "study.toml", corpus=[corpus], limit=limit, n_topics=topics,
                        period="year", output__tables_dir=tables / name,
                        output__figures_dir=EXAMPLES / name, output__cache_dir=cache)
    return Study(config, progress=progress)


def top_words(study: Study, n: int = 8) -> dict[int, list[str]]:
    words = study.model().topic_words(n)
    return {int(t): frame.nsmallest(n, "rank")["word"].tolist() for t, frame in words.groupby("topic")}


def policy_example(study: Study) -> list[str]:
    """Shandong vs central by year: one panel per topic, the two groups as lines."""
    import matplotlib.pyplot as plt

    data = study.theme_weights_by_region_period()
    regions = [r for r in ("山东省", study.config.weights.national_label) if r in set(data["region"])]
    topics = sorted(data["topic"].unique())
    ncols = 4
    nrows = int(np.ceil(len(topics) / ncols))
    with plot_context():
        fig, axes = plt.subplots(nrows, ncols, figsize=(8.27, 2.4 * nrows + 0.6),  # A4 wide
                                 layout="constrained", sharey=True, squeeze=False)
    for i, (ax, topic) in enumerate(zip(axes.flat, topics)):
        label = data.loc[data["topic"] == topic, "topic_label"].iloc[0]
        plot_regions_over_time(data, topic=topic, regions=regions, ax=ax, title=label)
        with plot_context():
            ax.set_title(ax.get_title(), fontsize=9)
            if i:
                ax.get_legend().remove()
            if i % ncols:
                ax.set_ylabel("")
            if i < len(topics) - ncols:
                ax.set_xlabel("")
    for ax in list(axes.flat)[len(topics):]:
        ax.set_visible(False)
    with plot_context():
        fig.suptitle("山东省与中央(全国)政策文件的主题权重, 按年")
    paths = export_figure(fig, "shandong_vs_central_by_year", EXAMPLES / "policy_central_shandong",
                          formats=study.config.output.figure_formats)
    return [str(p) for p in paths]


def markdown(frame: pd.DataFrame) -> str:
    """A small table as Markdown (index included, as the first column; the others right-aligned)."""
    frame = frame.reset_index()
    lines = ["| " + " | ".join(map(str, row)) + " |"
             for row in [list(frame.columns), *frame.itertuples(index=False)]]
    lines.insert(1, "|---|" + "---:|" * (len(frame.columns) - 1))
    return "\n".join(lines)


def xwlb_example(study: Study) -> tuple[list[str], list[int], pd.DataFrame]:
    """The manufacturing-related topics by year, and the yearly share of stories naming
    新质生产力 and 制造业 (a direct count, to read the topics against)."""
    import matplotlib.pyplot as plt

    from policytopics.report.figures import plot_theme_weights_over_time

    words = top_words(study, 30)
    chosen = [t for t, w in words.items() if any(m in w for m in MANUFACTURING)]
    by_period = study.theme_weights_by_period()
    formats = study.config.output.figure_formats
    paths = []
    if chosen:
        ax = plot_theme_weights_over_time(by_period, topics=chosen)
        paths += export_figure(ax, "manufacturing_topics_by_year", EXAMPLES / "xwlb", formats=formats)
    kept = study.kept_documents()
    years = kept["date"].str[:4]
    terms = pd.DataFrame({"year": years,
                          "新质生产力": kept["text"].str.contains("新质生产力", regex=False),
                          "制造业": kept["text"].str.contains("制造业", regex=False)})
    shares = terms.groupby("year")[["新质生产力", "制造业"]].mean().mul(100).round(2)
    shares["stories"] = terms.groupby("year").size()
    with plot_context():
        fig, ax = plt.subplots(figsize=(7, 3.6), layout="constrained")
        for term, color in (("制造业", "#0072B2"), ("新质生产力", "#D55E00")):
            ax.plot(shares.index.astype(int), shares[term], marker="o", color=color, label=term)
        ax.set_ylabel("提及该词的报道占比 (%)")
        ax.set_xlabel("年份")
        ax.set_ylim(bottom=0)
        ax.set_title("新闻联播: 提及“制造业”与“新质生产力”的报道占比, 按年")
        ax.legend(frameon=False)
    paths += export_figure(fig, "term_shares_by_year", EXAMPLES / "xwlb", formats=formats)
    return [str(p) for p in paths], chosen, shares


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["policy", "xwlb"], default=None)
    parser.add_argument("--xwlb-limit", type=int, default=0, help="xwlb stories (0 = all 74,542)")
    parser.add_argument("--xwlb-topics", type=int, default=20)
    parser.add_argument("--policy-topics", type=int, default=8)
    parser.add_argument("--tables", type=Path, default=Path(tempfile.gettempdir()) / "policytopics-examples",
                        help="tables (they hold corpus text: keep them outside the repository)")
    parser.add_argument("--cache-dir", type=Path,
                        default=Path(tempfile.gettempdir()) / "policytopics-examples-cache")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args()
    if REPO in args.tables.resolve().parents or args.tables.resolve() == REPO:
        parser.error("--tables must be outside the repository: the tables hold corpus text")

    header = [f"Written by `python scripts/make_examples.py` on {time.strftime('%Y-%m-%d')}, with the "
              "study's settings (`study.toml`) except the corpus, K and the period (year). Only "
              "figures and numbers are here; the corpora stay in `../shared/corpora`.", ""]
    if args.only in (None, "policy"):
        started = time.perf_counter()
        study = study_for("policy_central_shandong", CORPORA / "policy_central_shandong.jsonl.gz",
                          args.policy_topics, 0, args.tables, args.cache_dir, not args.no_progress)
        study.run()
        paths = policy_example(study)
        counts = study.documents()["status"].value_counts().to_dict()
        summary = [f"# policy_central_shandong (K = {args.policy_topics})", "", *header,
                   f"Documents: {counts}; {time.perf_counter() - started:.0f} s.", "",
                   "Figures: the study's standard set, plus `shandong_vs_central_by_year` (one panel "
                   "per topic, Shandong and central as lines with 95 % bands).", "",
                   "| topic | top words |", "|---|---|"]
        summary += [f"| T{t} | {' '.join(w)} |" for t, w in top_words(study).items()]
        write_summary("policy_central_shandong", summary)
        print("\n".join(paths))
    if args.only in (None, "xwlb"):
        started = time.perf_counter()
        study = study_for("xwlb", CORPORA / "xwlb.jsonl.gz", args.xwlb_topics, args.xwlb_limit,
                          args.tables, args.cache_dir, not args.no_progress)
        study.run()
        paths, chosen, shares = xwlb_example(study)
        counts = study.documents()["status"].value_counts().to_dict()
        summary = [f"# xwlb (K = {args.xwlb_topics}, {args.xwlb_limit or 'all'} stories)", "", *header,
                   f"Documents: {counts}; {time.perf_counter() - started:.0f} s.", "",
                   "Figures: the study's standard set, plus `manufacturing_topics_by_year` (topics with "
                   "a manufacturing word among their top 30: "
                   f"{', '.join(f'T{t}' for t in chosen) or 'none'}) and `term_shares_by_year` (share "
                   "of stories naming 制造业 / 新质生产力).", "",
                   "| topic | top words |", "|---|---|"]
        summary += [f"| T{t} | {' '.join(w)} |" for t, w in top_words(study).items()]
        weights = study.theme_weights_by_period()
        if chosen:
            table = weights[weights["topic"].isin(chosen)].pivot(index="period", columns="topic_label",
                                                                 values="weight").round(3)
            summary += ["", "Mean weight per year of the manufacturing topics:", "", markdown(table)]
        summary += ["", "Share of stories (%) whose cleaned text names the term, per year:", "",
                    markdown(shares)]
        write_summary("xwlb", summary)
        print("\n".join(paths))


def write_summary(name: str, lines: list[str]) -> None:
    """``figures/examples/<name>/README.md`` (the index, ``figures/examples/README.md``, is written
    by hand: it lists the examples of ``make example`` and ``make example-national`` too)."""
    (EXAMPLES / name / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
