r"""Fitting on a sample against the fit on every unit: all 74,542 xwlb stories (issue #40, item 3).

Builds the study's documents, tokens and corpus of ``../shared/corpora/xwlb.jsonl.gz`` once
(the repository's ``study.toml``, ``--topics 20`` as the end-to-end benchmark's full run, in a
cache folder of this run), then fits the model twice, each in a fresh process whose times and
memory are its own:

- **full**: ``[model] fit_sample = 0``, every story;
- **sample**: ``fit_sample = 20000``, a sample stratified by region × year (``[weights]
  period``), every other story inferred on ``[compute] workers`` processes.

and compares them:

- **topics matched one to one**: the Hungarian assignment (``scipy.optimize.linear_sum_assignment``)
  on the Jensen–Shannon distance (base 2, 0 = the same distribution, 1 = disjoint) between
  the two fits' topic-word distributions; per matched pair its distance and how many of the
  top 10 words (by p(w|t)) the two share;
- **weights within each other's intervals**: the theme weights by year and by region (the
  project's ``theme_weights_by_period`` / ``_by_region``, with their 95 % intervals, 500 draws)
  of each matched pair; the share of cells (topic × year, topic × region) where each fit's
  weight lies in the other's interval, and where at least one does;
- **time and memory** of each fit: CPU seconds of the fitting process and its worker
  processes, wall seconds, peak resident memory of the fitting process (``VmHWM``; in
  brackets its peak before the fit, reading the cached stages) and an upper bound of its
  largest worker's (a worker's ``ru_maxrss`` starts at the fitting process's size when it was
  started).

The machine is shared (two cores, other helpers' fits): wall seconds are inflated, CPU seconds
are the comparable ones. No corpus text is written outside the cache folder (``--work``, under
/tmp by default).

    nice -n 10 .venv/bin/python benchmarks/bench_fit_sample.py                  # print
    nice -n 10 .venv/bin/python benchmarks/bench_fit_sample.py --write          # and results.md
    nice -n 10 .venv/bin/python benchmarks/bench_fit_sample.py --limit 5000 --sample 1000   # smoke
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from bench_coherence import write_section

REPO = Path(__file__).resolve().parents[1]
XWLB = REPO.parent / "shared" / "corpora" / "xwlb.jsonl.gz"
SECTION = "fit-sample"
TOP = 10


def study_of(args, fit_sample: int, seed: int | None = None):
    from policytopics.study.study import Study

    seed = args.seed if seed is None else seed
    return Study.from_file(REPO / "study.toml", progress=False, corpus__paths=[str(args.corpus)],
                           corpus__limit=args.limit, model__n_topics=args.topics, model__seed=seed,
                           model__fit_sample=fit_sample, compute__workers=args.workers,
                           output__cache_dir=str(args.work / "cache"),
                           out=str(args.work / f"out_{fit_sample}_{seed}"))


def prepare(args) -> dict:
    """The documents, tokens and corpus, built once (and the units' cells read, memoised)."""
    study = study_of(args, 0)
    wall = time.perf_counter()
    dictionary, corpus = study.corpus()
    return {"units": len(corpus), "vocabulary": len(dictionary),
            "prepare_wall_s": time.perf_counter() - wall}


def high_water_mb() -> float:
    """This process's peak resident memory since it started its program (``VmHWM``; unlike
    ``ru_maxrss``, not inherited from the process that started it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fit_here(args, fit_sample: int, seed: int) -> dict:
    """Fit in this process (the model stage, built), with its own times and memory."""
    study = study_of(args, fit_sample, seed)
    study.corpus(), study.unit_ids(), study.seen_words()
    study.catalog.unit_cells()()  # the cells are read before the clock, as the corpus is
    before = high_water_mb()
    cpu, wall = time.process_time(), time.perf_counter()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    study.model()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu_s": time.process_time() - cpu + (after.ru_utime - children.ru_utime)
            + (after.ru_stime - children.ru_stime),
            "wall_s": time.perf_counter() - wall,
            "peak_mb": high_water_mb(), "before_mb": before,
            # A worker's ru_maxrss starts at its parent's resident size when it was started
            # (Linux keeps it across exec): an upper bound of the workers' own peaks.
            "worker_peak_mb": after.ru_maxrss / 1024 if after.ru_maxrss > children.ru_maxrss else None,
            "cached": bool(study.cache_hits.get("model"))}


def fit_in_a_process(args, fit_sample: int, seed: int) -> dict:
    out = args.work / f"fit_{fit_sample}_{seed}.json"
    command = [sys.executable, __file__, "--fit", str(fit_sample), "--fit-seed", str(seed),
               "--json", str(out), *args.passed]
    subprocess.run(command, check=True)
    return json.loads(out.read_text())


def js_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Jensen–Shannon distances (base 2) between every row of ``a`` and every row of ``b``."""
    from scipy.spatial.distance import jensenshannon

    return np.array([[jensenshannon(p, q, base=2) for q in b] for p in a])


def match_topics(full, sample) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """The sample's topic matched to each of the full fit's (0-based), the pairs' JS distances
    and their shared top-10 words."""
    from scipy.optimize import linear_sum_assignment

    full_words, sample_words = full.topic_word(), sample.topic_word()
    distance = js_distances(full_words, sample_words)
    rows, columns = linear_sum_assignment(distance)
    match = columns[np.argsort(rows)]
    top_full, top_sample = ([set(np.argsort(-p)[:TOP].tolist()) for p in words]
                            for words in (full_words, sample_words))
    shared = [len(top_full[t] & top_sample[match[t]]) for t in range(len(match))]
    return match, distance[np.arange(len(match)), match], shared


def within(full_table, sample_table, match: np.ndarray, by: str) -> dict:
    """Cells (topic × ``by``) where each fit's weight lies in the other's interval."""
    sample_table = sample_table.assign(topic=sample_table["topic"].map(
        {int(s) + 1: t + 1 for t, s in enumerate(match)}))
    keys = ["topic", by]
    merged = full_table.merge(sample_table, on=keys, suffixes=("_full", "_sample"))
    merged = merged.dropna(subset=["ci_low_full", "ci_high_full", "ci_low_sample", "ci_high_sample"])
    sample_in = merged["weight_sample"].between(merged["ci_low_full"], merged["ci_high_full"])
    full_in = merged["weight_full"].between(merged["ci_low_sample"], merged["ci_high_sample"])
    return {"cells": len(merged), "both": float((sample_in & full_in).mean()),
            "either": float((sample_in | full_in).mean()),
            "max_abs_diff": float((merged["weight_full"] - merged["weight_sample"]).abs().max())}


def compare(args, sample) -> dict:
    """The full fit (``args.seed``) against ``sample``, a study of the other fit."""
    full = study_of(args, 0)
    full_model, sample_model = full.model(), sample.model()
    match, distance, shared = match_topics(full_model, sample_model)
    words = full_model.topic_words(TOP)
    top_words = {t: "".join(g.sort_values("rank")["word"].head(3)) for t, g in words.groupby("topic")}
    result = {"pairs": [{"topic": t + 1, "sample_topic": int(match[t]) + 1, "js": float(distance[t]),
                         "shared_top10": shared[t], "words": top_words[t + 1]}
                        for t in range(len(match))]}
    for by, method in (("period", "theme_weights_by_period"), ("region", "theme_weights_by_region")):
        result[by] = within(getattr(full, method)(), getattr(sample, method)(), match, by)
    return result


def report(prepared: dict, fits: dict, compared: dict, args) -> str:
    from _markdown import markdown_table

    names = {"sample": f"sample of {args.sample:,}, seed {args.seed}",
             "seed": f"every story, seed {args.seed + 1}"}
    summary = []
    for what, result in compared.items():
        js = np.array([p["js"] for p in result["pairs"]])
        shared = np.array([p["shared_top10"] for p in result["pairs"]])
        summary.append([names[what], f"{js.mean():.3f}", f"{js.max():.3f}", f"{shared.mean():.1f}",
                        shared.min(),
                        *(f"{result[by]['both']:.1%} ({result[by]['either']:.1%}) of {result[by]['cells']}"
                          for by in ("period", "region"))])
    pairs = [[f"T{p['topic']} {p['words']}", f"T{p['sample_topic']}", f"{p['js']:.3f}", p["shared_top10"],
              f"T{q['sample_topic']}", f"{q['js']:.3f}", q["shared_top10"]]
             for p, q in zip(compared["sample"]["pairs"], compared["seed"]["pairs"])]
    title = f"### Fitting on a sample: {args.sample:,} of {prepared['units']:,} xwlb stories, against all"
    lines = [title, "",
             f"`nice -n 10 .venv/bin/python benchmarks/bench_fit_sample.py --write` (K = {args.topics}, "
             f"`[compute] workers = {args.workers}`; vocabulary {prepared['vocabulary']:,} words). Each fit "
             "in a fresh process; the machine was shared by four people's runs (two cores): CPU seconds are "
             "the comparable ones.",
             "",
             markdown_table(["fit", "CPU s (with workers)", "wall s", "peak MB (before the fit)",
                             "largest worker MB, at most"],
                            [[name, f"{f['cpu_s']:.1f}", f"{f['wall_s']:.1f}",
                              f"{f['peak_mb']:.0f} ({f['before_mb']:.0f})",
                              "–" if f["worker_peak_mb"] is None else f"{f['worker_peak_mb']:.0f}"]
                             for name, f in fits.items()]),
             "",
             f"Against the fit on every story with seed {args.seed}: topics matched one to one (Hungarian on "
             "the Jensen–Shannon distance of p(w|t), base 2), and the theme weights by year and by region of "
             "each matched pair: the share of cells where each fit's weight lies in the other's 95 % "
             "interval (in brackets: where at least one does). Another seed on every story is the "
             "yardstick: how far two equally valid fits lie apart.",
             "",
             markdown_table(["compared fit", "JS mean", "JS largest", "shared top 10, mean", "fewest",
                             "by year", "by region"], summary),
             "",
             markdown_table(["full topic (top 3 words)", "sample's", "JS", "shared",
                             f"seed {args.seed + 1}'s", "JS", "shared"], pairs)]
    return "\n".join(lines)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=XWLB)
    parser.add_argument("--limit", type=int, default=0, help="stories to read (0 = all)")
    parser.add_argument("--sample", type=int, default=20_000, help="units of the sample fit")
    parser.add_argument("--topics", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--workers", type=int, default=2, help="[compute] workers of the inference")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench_fit_sample"))
    parser.add_argument("--write", action="store_true", help="write the section into benchmarks/results.md")
    parser.add_argument("--fit", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--fit-seed", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.passed = [a for a in (argv if argv is not None else sys.argv[1:]) if a != "--write"]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.fit is not None:
        args.json.write_text(json.dumps(fit_here(args, args.fit, args.fit_seed)))
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    prepared = prepare(args)
    other_seed = args.seed + 1
    fits = {f"every story (fit_sample = 0), seed {args.seed}": fit_in_a_process(args, 0, args.seed),
            f"sample (fit_sample = {args.sample}), seed {args.seed}":
                fit_in_a_process(args, args.sample, args.seed),
            f"every story, seed {other_seed} (the yardstick)": fit_in_a_process(args, 0, other_seed)}
    compared = {"sample": compare(args, study_of(args, args.sample)),
                "seed": compare(args, study_of(args, 0, other_seed))}
    text = report(prepared, fits, compared, args)
    print(text)
    record = {"prepared": prepared, "fits": fits, "compared": compared}
    (args.work / "result.json").write_text(json.dumps(record))
    if args.write:
        write_section(text, SECTION)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
