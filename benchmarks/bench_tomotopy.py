"""The two LDA engines on the same units: time and coherence, and tomotopy's Gibbs sweeps.

Builds the units through ``policytopics.Study`` on the first ``--limit`` stories of the
xwlb corpus (``../shared/corpora``, read in place, never copied into the repository) with
the repository's ``study.toml`` (its tokens and pruning), cached under the system's
temporary folder (untimed; a rerun reuses the corpus), then, for each ``--seeds`` seed,
fits K topics on that one bag-of-words corpus (``Study.corpus()``, streamed from disk)
with ``TopicModel(config).fit_corpus``, the project's own model stage, timed end to end
(reading the corpus, training, the document-topic matrix):

1. ``engine = "gensim"``: ``LdaModel``, the study's passes and iterations, one process;
2. ``engine = "tomotopy"``, one worker, ``--gibbs-iterations`` sweeps (default: the
   study's ``gibbs_iterations``): reproducible on one machine;
3. ``engine = "tomotopy"`` with ``multicore = true, workers = 2``: not reproducible (the
   first seed's fit is run twice to show it).

Every model's top words are scored alike: **sentence NPMI** of the top 10 words over the
raw texts of the same stories (``bench_coherence.SentenceIndex``: two words co-occur when
both are in one sentence; independent of the tokenizer), gensim **c_npmi** of the top 10
over the study's token lists, and **diversity** (unique share of all topics' top 10 and
top 25 words).

**Sweeps.** One more one-worker tomotopy run per seed is trained in steps to each
``--checkpoints`` count (sweeps in several calls give the same model as in one: the
script checks that the checkpoint at the default equals the fit above) and scored at each;
the log-likelihood per word is shown beside. The iteration default is chosen by a rule
fixed before the run: the fewest sweeps whose mean sentence NPMI and mean c_npmi are both
within one seed-to-seed standard deviation of the best checkpoint's.

    nice -n 10 python benchmarks/bench_tomotopy.py                    # 10,000 stories, K = 20, 3 seeds
    nice -n 10 python benchmarks/bench_tomotopy.py --out engines.md   # also the tables as Markdown
    python benchmarks/bench_tomotopy.py --limit 1000 --topics 10 --seeds 42 --checkpoints 20,50,100

Times are wall seconds on a shared machine (the load average is printed): compare them
within one run.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import _markdown
import numpy as np
from bench_coherence import SentenceIndex, c_npmi, diversity, read_raw_texts, write_section

REPO = Path(__file__).resolve().parents[1]
XWLB = REPO.parent / "shared" / "corpora" / "xwlb.jsonl.gz"
CACHE = Path(tempfile.gettempdir()) / "policytopics-bench-cache"
TOP_NPMI = 10
TOP_WORDS = 25
CHECKPOINTS = (50, 100, 150, 200, 300, 500, 1000)


def timed(function, *args, **kwargs):
    """Result, wall seconds and CPU seconds (all threads of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def top_words(topic_word: np.ndarray, dictionary, n: int = TOP_WORDS) -> list[list[str]]:
    """Each topic's ``n`` most probable words (ties by word id, as ``TopicModel.topic_words``)."""
    return [[dictionary[int(i)] for i in np.argsort(-row, kind="stable")[:n]] for row in topic_word]


def scores(topics: list[list[str]], sentences: SentenceIndex, token_lists, dictionary) -> dict:
    topic_npmi, _ = sentences.npmi([t[:TOP_NPMI] for t in topics])
    return {"sentence_npmi": float(np.mean(topic_npmi)),
            "c_npmi": c_npmi([t[:TOP_NPMI] for t in topics], token_lists, dictionary),
            "diversity_10": diversity(topics, 10), "diversity_25": diversity(topics, 25)}


def fit_engine(config, corpus, dictionary) -> dict:
    """The project's model stage on ``corpus``, timed; its top words."""
    from policytopics.model.topic_model import TopicModel

    model, wall, cpu = timed(TopicModel(config).fit_corpus, corpus, dictionary)
    return {"model": model, "wall": wall, "cpu": cpu,
            "topics": top_words(model.topic_word(), dictionary)}


def sweep_trajectory(config, corpus, dictionary, checkpoints) -> list[dict]:
    """One one-worker tomotopy run trained to each checkpoint in turn: its top words there,
    the training seconds so far and the log-likelihood per word."""
    from policytopics.model.engines.tomotopy import TomotopyEngine

    lda, _ = TomotopyEngine.prepare(corpus, dictionary, config)
    done, seconds, points = 0, 0.0, []
    for checkpoint in checkpoints:
        _, wall, _ = timed(TomotopyEngine.train, lda, checkpoint - done, config)
        done, seconds = checkpoint, seconds + wall
        topic_word = TomotopyEngine(lda, dictionary).topic_word()
        points.append({"sweeps": done, "train_wall": seconds, "ll_per_word": lda.ll_per_word,
                       "topics": top_words(topic_word, dictionary)})
    return points


def mean_sd(values, digits=3, sign="") -> str:
    values = np.asarray(values, dtype=float)
    text = f"{values.mean():{sign}.{digits}f}"
    return text + (f" ± {values.std(ddof=1):.{digits}f}" if len(values) > 1 else "")


def choose_sweeps(trajectory_rows: list[dict]) -> int:
    """The fewest sweeps whose mean sentence NPMI and mean c_npmi are both within one
    seed-to-seed SD of the best checkpoint's (one seed: within 0.005)."""
    def ok(key):
        means = {r["sweeps"]: np.mean(r[key]) for r in trajectory_rows}
        best = max(means, key=means.get)
        values = next(r[key] for r in trajectory_rows if r["sweeps"] == best)
        sd = float(np.std(values, ddof=1)) if len(values) > 1 else 0.005
        return {s for s, m in means.items() if m >= means[best] - sd}

    good = ok("sentence_npmi") & ok("c_npmi")
    return min(good) if good else max(r["sweeps"] for r in trajectory_rows)


ENGINE_HEADER = ["engine", "workers", "reproducible", "wall s", "CPU s", "gensim s / this s",
                 "sentence NPMI", "c_npmi", "diversity@10", "diversity@25"]
SWEEP_HEADER = ["Gibbs sweeps", "train wall s", "log-lik/word", "sentence NPMI", "c_npmi",
                "diversity@10", "diversity@25"]


def plain_table(header, rows) -> str:
    widths = [max(len(h), *(len(str(r[i])) for r in rows)) for i, h in enumerate(header)]

    def line(cells) -> str:
        return "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths)))

    return "\n".join([line(header), *map(line, rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=10_000, help="stories to read (default 10000)")
    parser.add_argument("--corpus", type=Path, default=XWLB, help="xwlb.jsonl.gz")
    parser.add_argument("--topics", type=int, default=20, help="K (default 20)")
    parser.add_argument("--seeds", default="42,43,44", help="comma-separated seeds (default 42,43,44)")
    parser.add_argument("--gibbs-iterations", type=int, default=None,
                        help="tomotopy sweeps of the engine comparison (default: the study's)")
    parser.add_argument("--checkpoints", default=",".join(map(str, CHECKPOINTS)),
                        help="sweep counts scored in the sweep trajectory ('' = none)")
    parser.add_argument("--workers", type=int, default=2, help="threads of the multicore tomotopy run")
    parser.add_argument("--cache-dir", type=Path, default=CACHE,
                        help=f"stage cache, reused by reruns (default {CACHE})")
    parser.add_argument("--out", type=Path, default=None, help="also write the tables as Markdown")
    parser.add_argument("--write", action="store_true",
                        help="put the tables into benchmarks/results.md (section <!-- engines -->)")
    args = parser.parse_args(argv)

    try:
        import tomotopy as tp
    except ImportError:
        parser.exit(2, "tomotopy is not installed: pip install tomotopy\n")
    import gensim

    from policytopics import Study
    from policytopics.common.workers import available_cpus
    from policytopics.model.corpus import pruning

    if not args.corpus.is_file():
        parser.error(f"corpus not found: {args.corpus}")
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    checkpoints = sorted({int(c) for c in args.checkpoints.split(",") if c.strip()})
    study = Study.from_file(REPO / "study.toml", progress=False, corpus=str(args.corpus),
                            limit=args.limit, n_topics=args.topics, output__cache_dir=args.cache_dir)
    (dictionary, corpus), corpus_wall, _ = timed(study.corpus)
    token_lists = [[str(w) for w in tokens] for tokens in study.tokens()["tokens"]]
    sentences = SentenceIndex(read_raw_texts(args.corpus, args.limit))
    base = study.config.model
    sweeps = args.gibbs_iterations or base.gibbs_iterations
    if sweeps not in checkpoints and checkpoints:
        checkpoints = sorted({*checkpoints, sweeps})

    started = datetime.datetime.now().astimezone()
    machine = (f"{started:%Y-%m-%d %H:%M %Z}; {platform.platform()}; os.cpu_count()={os.cpu_count()}, "
               f"usable CPUs {available_cpus()}, load average {os.getloadavg()[0]:.2f} at the start; "
               f"Python {platform.python_version()}, gensim {gensim.__version__}, "
               f"tomotopy {tp.__version__} ({tp.isa})")
    no_below, no_above = pruning(base, len(corpus))
    n_tokens = sum(dictionary.cfs.values())
    print(f"machine: {machine}")
    print(f"units: {len(corpus):,} of the first {args.limit:,} xwlb stories, vocabulary "
          f"{len(dictionary):,} (no_below={no_below}, no_above={no_above}), {n_tokens:,} tokens "
          f"(Study.corpus(): {corpus_wall:.1f} s, untimed below); {len(sentences):,} raw sentences")
    print(f"gensim: passes={base.passes}, iterations={base.iterations}, chunksize={base.chunksize}; "
          f"tomotopy: {sweeps} sweeps; K={args.topics}, alpha={base.alpha}, eta={base.eta}, "
          f"seeds {seeds}")

    runs = {("gensim", 1): [], ("tomotopy", 1): [], ("tomotopy", args.workers): []}
    trajectory: dict[int, dict] = {c: {"sweeps": c, "train_wall": [], "ll_per_word": [],
                                       "sentence_npmi": [], "c_npmi": [], "diversity_10": [],
                                       "diversity_25": []} for c in checkpoints}
    notes = []
    for seed in seeds:
        gensim_config = replace(base, engine="gensim", seed=seed, multicore=False)
        one = replace(base, engine="tomotopy", seed=seed, gibbs_iterations=sweeps, multicore=False)
        several = replace(one, multicore=True, workers=args.workers)
        for key, config in ((("gensim", 1), gensim_config), (("tomotopy", 1), one),
                            (("tomotopy", args.workers), several)):
            run = fit_engine(config, corpus, dictionary)
            run |= scores(run["topics"], sentences, token_lists, dictionary)
            runs[key].append(run)
            print(f"  seed {seed}: {key[0]}, {key[1]} worker(s): {run['wall']:.1f} s, "
                  f"sentence NPMI {run['sentence_npmi']:+.3f}, c_npmi {run['c_npmi']:+.3f}", flush=True)
        if seed == seeds[0]:
            again = fit_engine(several, corpus, dictionary)
            first = runs[("tomotopy", args.workers)][-1]["model"]
            same = np.array_equal(again["model"].doc_topic_, first.doc_topic_)
            notes.append(f"tomotopy with {args.workers} workers, seed {seed}, fitted twice: "
                         f"{'identical' if same else 'different'} document-topic matrices "
                         "(tomotopy promises the same result for one worker only)")
        for run in runs.values():
            run[-1].pop("model")
        if checkpoints:
            for point in sweep_trajectory(one, corpus, dictionary, checkpoints):
                row = trajectory[point["sweeps"]]
                for key, value in (scores(point["topics"], sentences, token_lists, dictionary)
                                   | {"train_wall": point["train_wall"],
                                      "ll_per_word": point["ll_per_word"]}).items():
                    row[key].append(value)
                if point["sweeps"] == sweeps:
                    fitted = runs[("tomotopy", 1)][-1]["topics"]
                    same = sorted(map(tuple, point["topics"])) == sorted(map(tuple, fitted))
                    notes.append(f"seed {seed}: the trajectory at {sweeps} sweeps "
                                 f"{'reproduces' if same else 'DIFFERS FROM'} the one-worker fit")
            print(f"  seed {seed}: trajectory to {checkpoints[-1]} sweeps done", flush=True)

    gensim_wall = np.mean([r["wall"] for r in runs[("gensim", 1)]])
    engine_rows = []
    for (engine, workers), fits in runs.items():
        reproducible = "yes" if workers == 1 else "no"
        label = engine if engine == "gensim" else f"tomotopy, {sweeps} sweeps"
        engine_rows.append([label, workers, reproducible, mean_sd([r["wall"] for r in fits], 1),
                            mean_sd([r["cpu"] for r in fits], 1),
                            f"{gensim_wall / np.mean([r['wall'] for r in fits]):.2f}x",
                            *(mean_sd([r[k] for r in fits], sign="+" if "npmi" in k else "")
                              for k in ("sentence_npmi", "c_npmi", "diversity_10", "diversity_25"))])
    sweep_rows = [[row["sweeps"], mean_sd(row["train_wall"], 1), mean_sd(row["ll_per_word"], 3),
                   *(mean_sd(row[k], sign="+" if "npmi" in k else "")
                     for k in ("sentence_npmi", "c_npmi", "diversity_10", "diversity_25"))]
                  for row in trajectory.values()]
    chosen = choose_sweeps(list(trajectory.values())) if checkpoints else None

    print()
    print(plain_table(ENGINE_HEADER, engine_rows))
    if checkpoints:
        print(f"\ntomotopy, one worker, by Gibbs sweeps (mean ± SD over seeds {seeds}):")
        print(plain_table(SWEEP_HEADER, sweep_rows))
        notes.append(f"fewest sweeps within one seed SD of the best checkpoint on both NPMI "
                     f"measures: {chosen}")
    threads = np.mean([r["cpu"] / r["wall"] for r in runs[("tomotopy", args.workers)]])
    notes.append(f"tomotopy with {args.workers} workers kept {threads:.2f} CPUs busy on average "
                 f"(CPU s / wall s; load average {os.getloadavg()[0]:.2f} at the end): below "
                 f"{args.workers} means its threads waited for a free core")
    tomotopy_one = np.mean([r["wall"] for r in runs[("tomotopy", 1)]])
    tomotopy_several = np.mean([r["wall"] for r in runs[("tomotopy", args.workers)]])
    recommendation = [
        f"gensim (the default): {gensim_wall:.1f} s; the same numbers on any machine for the "
        "same inputs, settings and seed, and seeded themes that hold (policytopics.model.engines.base): "
        "the engine for seeded themes and for results that others rerun elsewhere.",
        f"tomotopy, one worker: {gensim_wall / tomotopy_one:.2f}x gensim's speed at higher NPMI "
        "that moves less with the seed; reproducible on the same machine (not across CPUs "
        "with other SIMD instructions): the engine for the K / seed loop and for sweeps of "
        "free topics, where every fit is repeated.",
        f"tomotopy, {args.workers} workers: {gensim_wall / tomotopy_several:.2f}x gensim's "
        "speed, not reproducible even with a seed: for a first look at a large corpus only.",
    ]
    print("\n" + "\n".join(notes))
    print("\nrecommendation:\n" + "\n".join(f"- {line}" for line in recommendation))

    if args.out or args.write:
        settings = (f"{len(corpus):,} units (first {args.limit:,} xwlb stories), vocabulary "
                    f"{len(dictionary):,}, {n_tokens:,} tokens, K = {args.topics}, seeds {seeds}; "
                    f"gensim passes = {base.passes}, iterations = {base.iterations}; tomotopy "
                    f"{sweeps} sweeps; alpha = {base.alpha}, eta = {base.eta}")
        text = (f"{_markdown.markdown_table(ENGINE_HEADER, engine_rows)}\n\n"
                + (f"{_markdown.markdown_table(SWEEP_HEADER, sweep_rows)}\n\n" if checkpoints else "")
                + f"{settings}.\n\nMachine: {machine}.\n\n"
                + "\n".join(f"- {line}" for line in notes + recommendation) + "\n")
        if args.out:
            args.out.write_text(text, encoding="utf-8")
            print(f"\nwrote {args.out}")
        if args.write:
            command = " ".join(["python benchmarks/bench_tomotopy.py",
                                *(sys.argv[1:] if argv is None else argv)])
            write_section(f"`{command.strip()}`\n\n{text}", "engines")
            print("wrote benchmarks/results.md (section engines)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
