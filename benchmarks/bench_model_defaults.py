"""LDA defaults by measurement: quality and time of one-at-a-time variations around a base.

Reads the first ``--limit`` stories of the xwlb corpus (``../shared/corpora``, read in
place, never copied into the repository) through ``Study.tokens()`` with a cache under
the system's temporary folder (untimed; a rerun reuses the tokens). Then, at K =
``--topics``, it fits a base configuration and varies one setting at a time around it
(passes, iterations, ``no_below``, ``no_above``, ``keep_n``, ``alpha``, ``eta``,
``chunksize``), each fit scored as ``policytopics.model.choose_k.sweep`` scores a K:

- fit time: ``TopicModel(config).fit`` on the training documents, which builds and
  prunes the dictionary, trains, and infers the document-topic matrix; wall-clock and
  CPU seconds of this process. The rule below uses CPU seconds: on a shared machine the
  wall clock also counts the time other programs hold the CPU (one fit, one process);
- NPMI (gensim ``CoherenceModel``, ``c_npmi``) and UMass of the top 10 words per topic,
  over the training token lists with the model's dictionary, one process;
- topic diversity: the share of unique words among all topics' top 10;
- held-out perplexity on a fixed, seeded 10 % of the documents (``split_heldout``). It
  costs one inference pass over the held-out tenth, little next to a fit. Compare it only
  between rows with the same vocabulary: pruning changes which held-out words count.

The base is also fitted with more seeds (``--seeds``, default 42,43,44): the spread of
NPMI across seeds is the noise floor against which a variation's effect is read. A
pruning value that leaves the vocabulary exactly as in the base gives the base's fit, so
it is not fitted again.

Rule for the recommended defaults (printed with the result): for each setting, keep its
values whose NPMI is within one seed standard deviation (SD) of that setting's best NPMI;
of these keep those whose topic diversity is within one seed-SD of their best diversity
(NPMI alone rewards repeating the same common words across topics); of these take the
fastest (CPU seconds). Fit times within 10 % of the fastest (or twice the coefficient of
variation of the seed fits' times, if larger) count as equal, and among those the higher
NPMI wins. Timing is made fairer by an untimed warm-up fit, by standing the base in each
setting's group with the median time of its seed fits, and by giving a variation with
exactly the base's scores (the same model, e.g. ``chunksize`` above the number of
documents) the base's time. The recommended combination is then fitted once to check
that it holds up (settings were varied one at a time, so interactions were not
measured), next to the study file's current ``[model]`` settings (``--grid full``).

    python benchmarks/bench_model_defaults.py                    # 10,000 stories, K = 20
    nice -n 10 python benchmarks/bench_model_defaults.py --limit 1000 --topics 10 --grid quick
"""

from __future__ import annotations

import argparse
import copy
import datetime
import math
import os
import platform
import shlex
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import _markdown

REPO = Path(__file__).resolve().parents[1]
XWLB = REPO.parent / "shared" / "corpora" / "xwlb.jsonl.gz"
CACHE = Path(tempfile.gettempdir()) / "policytopics-bench-cache"  # shared with bench_tomotopy
TOP_N = 10
HELDOUT = 0.1
NEAR_TIME = 0.10  # fit times this close to the fastest count as equal (at least; see margin)
SCORES = ("npmi", "umass", "diversity", "perplexity")

# The base every variation departs from (chosen to be cheap and typical; the grids hold
# the study file's current values too, so the comparison with them is direct).
BASE = {"passes": 5, "iterations": 100, "no_below": 5, "no_above": 0.5, "keep_n": 50_000,
        "alpha": "symmetric", "eta": "symmetric", "chunksize": 2000}

GRIDS = {
    "quick": {"passes": [2, 10], "no_below": [2, 20], "alpha": ["auto"], "eta": ["auto"]},
    "full": {
        "passes": [1, 2, 10],
        "iterations": [50, 400],
        "no_below": [2, 20],
        "no_above": [0.3, 0.9],
        "keep_n": [20_000],
        "alpha": ["asymmetric", "auto"],
        "eta": ["auto"],
        "chunksize": [5000],
    },
}
PRUNING = ("no_below", "no_above", "keep_n")


def parse_seeds(text: str) -> list[int]:
    seeds = [int(s) for s in text.split(",") if s.strip()]
    if len(seeds) < 2:
        raise argparse.ArgumentTypeError("give at least two seeds, e.g. 42,43,44")
    return seeds


def pruned_dictionary(full, config):
    """The vocabulary ``TopicModel.fit`` would build: a copy of ``full``, pruned."""
    dictionary = copy.deepcopy(full)
    dictionary.filter_extremes(no_below=config.no_below, no_above=config.no_above,
                               keep_n=config.keep_n)
    return dictionary


def fit_and_score(train, held, config) -> dict:
    """Fit on ``train`` (timed) and score as ``policytopics.model.choose_k.sweep`` does."""
    from policytopics.model.choose_k import score_model
    from policytopics.model.topic_model import TopicModel

    wall, cpu = time.perf_counter(), time.process_time()
    model = TopicModel(config).fit(train)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    scores = score_model(model, train, held, TOP_N)
    del scores["topics"]
    return {"seed": config.seed, "fit_seconds": wall, "cpu_seconds": cpu,
            "vocabulary": len(model.dictionary_), **scores, "topic_word": model.topic_word()}


def value_text(value) -> str:
    return f"{value:,}" if isinstance(value, int) and value >= 10_000 else str(value)


def recommend(rows: list[dict], npmi_sd: float, diversity_sd: float,
              margin: float) -> tuple[dict, list[str]]:
    """Apply the stated rule to each varied setting; return the choice and the reasons."""
    chosen, reasons = {}, []
    for setting in dict.fromkeys(r["setting"] for r in rows if r["setting"] in BASE):
        group = [r for r in rows if r["setting"] == setting]
        best = max(r["npmi"] for r in group)
        candidates = [r for r in group if r["npmi"] >= best - npmi_sd]
        most_diverse = max(r["diversity"] for r in candidates)
        candidates = [r for r in candidates if r["diversity"] >= most_diverse - diversity_sd]
        fastest = min(r["cpu_seconds"] for r in candidates)
        near = [r for r in candidates if r["cpu_seconds"] <= (1 + margin) * fastest]
        pick = max(near, key=lambda r: (r["npmi"], r["value"] == BASE[setting]))
        chosen[setting] = pick["value"]
        within = ", ".join(value_text(r["value"]) for r in candidates)
        reasons.append(f"{setting} = {value_text(pick['value'])} (within one SD of the best "
                       f"NPMI and diversity: {within})")
    return BASE | chosen, reasons


HEADER = ["setting", "value", "seed", "fit CPU s", "fit wall s", "vocabulary", "NPMI", "dNPMI/SD", "UMass",
          "diversity", "perplexity", "note"]


def table_rows(rows: list[dict], base_npmi: float, npmi_sd: float) -> list[list[str]]:
    out = []
    for r in rows:
        z = (r["npmi"] - base_npmi) / npmi_sd if npmi_sd > 0 else math.nan
        out.append([r["setting"], value_text(r["value"]), str(r["seed"]),
                    f"{r['cpu_seconds']:.1f}", f"{r['fit_seconds']:.1f}", f"{r['vocabulary']:,}",
                    f"{r['npmi']:+.4f}", f"{z:+.1f}", f"{r['umass']:.2f}", f"{r['diversity']:.2f}",
                    f"{r['perplexity']:,.0f}", r.get("note", "")])
    return out


def plain_table(rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(HEADER)]
    left = {0, 1, len(HEADER) - 1}

    def line(cells):
        return "  ".join(c.ljust(w) if i in left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return "\n".join([line(HEADER), *(line(r) for r in rows)])


def markdown_table(rows: list[list[str]]) -> str:
    return _markdown.markdown_table(HEADER, rows, left=(0, 1, len(HEADER) - 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=10_000, help="stories to read (default 10000)")
    parser.add_argument("--corpus", type=Path, default=XWLB, help="xwlb.jsonl.gz")
    parser.add_argument("--topics", type=int, default=20, help="K (default 20)")
    parser.add_argument("--grid", choices=sorted(GRIDS), default="full",
                        help="full: ~19 fits; quick: ~10 (default full)")
    parser.add_argument("--seeds", type=parse_seeds, default=[42, 43, 44],
                        help="seeds of the base fits; the first seeds every variation "
                             "(default 42,43,44)")
    parser.add_argument("--cache-dir", type=Path, default=CACHE,
                        help=f"token cache, reused by reruns (default {CACHE})")
    parser.add_argument("--out", type=Path, default=None, help="also write the results as Markdown")
    args = parser.parse_args(argv)

    import gensim
    import numpy as np
    from gensim.corpora import Dictionary

    import policytopics
    from policytopics import Study
    from policytopics.common.workers import available_cpus
    from policytopics.model.choose_k import split_heldout
    from policytopics.model.matching import topic_similarity

    if not args.corpus.is_file():
        parser.error(f"corpus not found: {args.corpus}")
    command = "python benchmarks/bench_model_defaults.py " + shlex.join(sys.argv[1:] if argv is None
                                                                          else argv)
    started = datetime.datetime.now().astimezone()
    machine = (f"{platform.platform()}; os.cpu_count()={os.cpu_count()}, usable CPUs "
               f"{available_cpus()}, load average {os.getloadavg()[0]:.2f} at start")
    versions = (f"Python {platform.python_version()}, gensim {gensim.__version__}, numpy "
                f"{np.__version__}, policytopics {policytopics.__version__}")
    print(f"date: {started:%Y-%m-%d %H:%M %Z}\nmachine: {machine}\nversions: {versions}\n"
          f"command: {command}")

    study = Study.from_file(REPO / "study.toml", progress=False, corpus=str(args.corpus),
                            limit=args.limit, n_topics=args.topics,
                            output__cache_dir=args.cache_dir)
    token_lists = [[str(w) for w in tokens] for tokens in study.tokens()["tokens"]]
    current = study.config.model  # the study file's [model] settings, K and seed overridden
    base = replace(current, **BASE, seed=args.seeds[0], n_topics=args.topics)

    # One fixed held-out split for every fit, seeded as sweep() seeds it.
    heldout = split_heldout(len(token_lists), HELDOUT, seed=base.seed)
    train = [t for t, out in zip(token_lists, heldout) if not out]
    held = [t for t, out in zip(token_lists, heldout) if out]
    full_dictionary = Dictionary(train)
    print(f"corpus: {len(token_lists):,} kept documents of the first {args.limit:,} xwlb stories "
          f"({len(train):,} to train, {int(heldout.sum()):,} held out), "
          f"{sum(map(len, token_lists)):,} tokens, {len(full_dictionary):,} distinct words "
          f"(tokens cache {'hit' if study.cache_hits.get('tokens') else 'miss'}; untimed)")
    print("base: K = {}, {}".format(args.topics, ", ".join(f"{k} = {value_text(v)}"
                                                           for k, v in BASE.items())))

    variations = [(s, v) for s, values in GRIDS[args.grid].items() for v in values]
    n_fits = len(args.seeds) + len(variations) + 1 + (args.grid == "full")
    print(f"grid {args.grid}: up to {n_fits} fits, one process each; printing as they finish\n")
    done = 0

    def progress(label: str, row: dict) -> None:
        nonlocal done
        done += 1
        print(f"  [{done:>2}/{n_fits}] {label:<34} {row['cpu_seconds']:7.1f} s CPU "
              f"{row['fit_seconds']:7.1f} s wall  "
              f"NPMI {row['npmi']:+.4f}  vocabulary {row['vocabulary']:,}", flush=True)

    # 0. Untimed warm-up: the first fit of a process pays for lazy imports and allocations.
    fit_and_score(train[:200], held[:20], replace(base, passes=1))

    # 1. The base with every seed: the noise floor.
    base_vocabulary = pruned_dictionary(full_dictionary, base)
    seed_runs = []
    for seed in args.seeds:
        seed_runs.append(fit_and_score(train, held, replace(base, seed=seed))
                         | {"setting": "base", "value": ""})
        progress(f"base, seed {seed}", seed_runs[-1])
    stability = float(np.mean([topic_similarity(a["topic_word"], b["topic_word"])
                               for i, a in enumerate(seed_runs) for b in seed_runs[i + 1:]]))
    base_row = seed_runs[0]
    npmi = np.array([r["npmi"] for r in seed_runs])
    npmi_sd = float(npmi.std(ddof=1))
    diversity_sd = float(np.std([r["diversity"] for r in seed_runs], ddof=1))
    seconds = np.array([r["cpu_seconds"] for r in seed_runs])

    # 2. One setting at a time; each setting's group includes the base value.
    rows = []
    for setting, value in variations:
        config = replace(base, **{setting: value})
        if (setting in PRUNING and pruned_dictionary(full_dictionary, config).token2id
                == base_vocabulary.token2id):
            rows.append(base_row | {"setting": setting, "value": value,
                                    "note": "= base (same vocabulary, not refitted)"})
            continue
        run = fit_and_score(train, held, config) | {"setting": setting, "value": value}
        progress(f"{setting} = {value_text(value)}", run)
        rows.append(run)
    # In each setting's group the base stands with the median time of its seed fits.
    base_time = {"cpu_seconds": float(np.median(seconds)),
                 "fit_seconds": float(np.median([r["fit_seconds"] for r in seed_runs]))}
    for setting in GRIDS[args.grid]:
        rows.append(base_row | base_time | {"setting": setting, "value": BASE[setting],
                                            "note": "base (median time of the seeds)"})
    for row in rows:
        if row.get("note", "").startswith("= base"):
            row |= base_time
        # Same scores to the last digit: the same model (e.g. chunksize >= training
        # documents), so the time difference is noise; take the base's.
        if "note" not in row and all(row[m] == base_row[m] for m in SCORES):
            row |= base_time | {"note": "same model as base (same scores); base's time"}
    order = {s: i for i, s in enumerate(GRIDS[args.grid])}
    rows.sort(key=lambda r: (order[r["setting"]], str(type(r["value"])), r["value"]))

    # 3. The recommendation, then the combinations: recommended and (full grid) the study's.
    # Fit times closer than this count as equal: 10 %, or twice the seeds' spread if larger.
    margin = max(NEAR_TIME, 2 * float(seconds.std(ddof=1) / seconds.mean()))
    recommended, reasons = recommend(rows, npmi_sd, diversity_sd, margin)
    combos = [("recommended", recommended)]
    if args.grid == "full":
        combos.append(("study.toml now", {k: getattr(current, k) for k in BASE}))
    for name, settings in combos:
        config = replace(base, **settings)
        if settings == BASE:
            rows.append(base_row | {"setting": name, "value": "", "note": "= base"})
            continue
        changed = ", ".join(f"{k} {value_text(v)}" for k, v in settings.items() if v != BASE[k])
        run = fit_and_score(train, held, config) | {"setting": name, "value": "",
                                                    "note": f"base with {changed}"}
        progress(name, run)
        rows.append(run)

    fits = [*seed_runs, *(r for r in rows if "note" not in r or r["note"].startswith("base with"))]
    table = table_rows([*seed_runs, *rows], base_row["npmi"], npmi_sd)
    print()
    print(plain_table(table))

    rule = ("Rule: for each setting, keep its values whose NPMI is within one seed-SD of that "
            "setting's best NPMI; of these, those whose diversity is within one seed-SD of "
            "their best diversity; of these, the fastest fit in CPU seconds. Fit times within "
            f"{margin:.0%} of the fastest (10 %, or twice the seed fits' coefficient of "
            "variation if larger) count as equal, and among those the higher NPMI wins (then "
            "the base value). Settings were varied one at a time around the base, so "
            "interactions are not measured; the 'recommended' row fits the combination once.")
    summary = [
        f"seed noise (base, seeds {', '.join(map(str, args.seeds))}): NPMI "
        f"{npmi.mean():+.4f} +/- {npmi_sd:.4f} (SD), range {npmi.max() - npmi.min():.4f}; "
        f"diversity SD {diversity_sd:.3f}; fit {seconds.mean():.1f} +/- "
        f"{seconds.std(ddof=1):.1f} CPU s; topic stability (mean "
        f"matched cosine between seeds) {stability:.3f}",
        "dNPMI/SD = (NPMI - base NPMI, seed " + f"{base.seed}) / seed SD; |dNPMI/SD| < 1 is "
        "within seed noise",
        "perplexity: held-out, 2 ** -(gensim's per-word bound), as in the K selection; "
        "comparable only between rows with the same vocabulary",
        f"time per fit: median {np.median([r['cpu_seconds'] for r in fits]):.1f} CPU s, "
        f"{np.median([r['fit_seconds'] for r in fits]):.1f} wall s (base {base_row['cpu_seconds']:.1f} "
        f"CPU s, {base_row['fit_seconds']:.1f} wall s), one process; wall time also counts other "
        "programs on a shared machine",
    ]
    recommendation = ("recommended defaults: " + ", ".join(f"{k} = {value_text(v)}"
                                                           for k, v in recommended.items())
                      + f" (K = {args.topics}, {len(token_lists):,} documents)")
    print()
    print("\n".join(summary))
    print()
    print(rule)
    print("  " + "\n  ".join(reasons))
    print(recommendation)

    if args.out:
        text = (f"# LDA defaults by measurement\n\n"
                f"- date: {started:%Y-%m-%d %H:%M %Z}\n- machine: {machine}\n"
                f"- versions: {versions}\n- command: `{command}`\n"
                f"- corpus: {len(token_lists):,} kept documents of the first {args.limit:,} xwlb "
                f"stories ({len(train):,} train, {int(heldout.sum()):,} held out), K = "
                f"{args.topics}, grid {args.grid}\n"
                f"- base: " + ", ".join(f"{k} = {value_text(v)}" for k, v in BASE.items()) + "\n\n"
                f"{markdown_table(table)}\n\n" + "\n".join(f"- {line}" for line in summary)
                + f"\n\n{rule}\n\n" + "\n".join(f"- {line}" for line in reasons)
                + f"\n\n**{recommendation}**\n")
        args.out.write_text(text, encoding="utf-8")
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
