"""LDA stage, time and quality: the project's gensim ``TopicModel`` vs. tomotopy's LDA.

Reads the first ``--limit`` stories of the xwlb corpus (``../shared/corpora``, read in
place, never copied into the repository) through ``Study.tokens()`` with a cache under
the system's temporary folder (untimed; a rerun reuses the tokens), then fits K topics

1. with ``TopicModel(config).fit(token_lists)``, the study's own model stage (gensim
   ``LdaModel``, online variational Bayes, one process, the study's settings): timed as a
   whole, which includes building and pruning the dictionary and computing the
   document-topic matrix;
2. with ``tomotopy.LDAModel`` (collapsed Gibbs sampling) on the same documents restricted
   to gensim's pruned vocabulary, with ``--workers`` threads and with one: timed from
   adding the documents to reading out the document-topic matrix.

Both models' top 10 words per topic are scored by one scorer, gensim's ``CoherenceModel``
(``c_npmi``) over the study's token lists, and by topic diversity (share of unique top
words). tomotopy is a benchmark-only dependency: ``pip install tomotopy``.

    python benchmarks/bench_tomotopy.py                           # 10,000 stories, K = 20
    python benchmarks/bench_tomotopy.py --limit 1000 --topics 10 --tp-iterations 100
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import tempfile
import time
import warnings
from dataclasses import replace
from pathlib import Path

import _markdown

REPO = Path(__file__).resolve().parents[1]
XWLB = REPO.parent / "shared" / "corpora" / "xwlb.jsonl.gz"
CACHE = Path(tempfile.gettempdir()) / "policytopics-bench-cache"
TOP_N = 10
CHECKPOINTS = 10  # tomotopy trains in this many chunks; log-likelihood read between them


def timed(function, *args, **kwargs):
    """Result, wall seconds and CPU seconds (all threads of this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def npmi_and_diversity(topics: list[list[str]], token_lists, dictionary) -> tuple[float, float]:
    """NPMI of each topic's top words (gensim ``c_npmi``) and the share of unique top words."""
    from policytopics.selection import coherence, diversity

    return coherence(topics, token_lists, dictionary, TOP_N), diversity(topics)


def fit_gensim(token_lists, config) -> dict:
    """Fit the study's model stage; time the whole fit and, separately, two of its parts."""
    from policytopics.model import TopicModel, build_dictionary

    model, wall, cpu = timed(TopicModel(config).fit, token_lists)
    # The first step of TopicModel.fit, repeated to time it alone.
    _, dictionary_wall, _ = timed(build_dictionary, token_lists, config)
    # transform = doc2bow + the document-topic inference that ends TopicModel.fit.
    _, doc_topic_wall, _ = timed(model.transform, token_lists)
    words = model.topic_words(TOP_N)
    topics = [list(frame["word"]) for _, frame in words.groupby("topic")]
    return {"model": model, "wall": wall, "cpu": cpu, "topics": topics,
            "train_wall": max(0.0, wall - dictionary_wall - doc_topic_wall),
            "dictionary_wall": dictionary_wall, "doc_topic_wall": doc_topic_wall}


def tomotopy_priors(config, k: int, choice: str) -> dict:
    """tomotopy settings: the gensim model's priors, held fixed, or tomotopy's defaults."""
    if choice == "default":  # alpha 0.1, eta 0.01, alpha re-estimated every 10 iterations
        return {"alpha": 0.1, "eta": 0.01, "optim_interval": 10}

    def prior(value, name):
        if value == "symmetric":
            return 1.0 / k  # gensim's "symmetric" for both alpha and eta
        try:
            return float(value)
        except (TypeError, ValueError):
            raise SystemExit(f"--tp-priors matched cannot copy {name}={value!r}; "
                             "use --tp-priors default") from None

    return {"alpha": prior(config.alpha, "alpha"), "eta": prior(config.eta, "eta"),
            "optim_interval": 0}


def fit_tomotopy(tp, docs, *, k: int, seed: int, iterations: int, workers: int,
                 priors: dict) -> dict:
    """Build, train and read out a tomotopy LDA; time each step, log-likelihood untimed."""
    def build():
        model = tp.LDAModel(k=k, alpha=priors["alpha"], eta=priors["eta"], seed=seed)
        model.optim_interval = priors["optim_interval"]
        for words in docs:
            model.add_doc(words)
        return model

    model, build_wall, build_cpu = timed(build)
    step = max(1, iterations // CHECKPOINTS)
    done, train_wall, train_cpu, trajectory = 0, 0.0, 0.0, []
    with warnings.catch_warnings():
        # Said once in the summary, not at every chunk: several threads are not reproducible.
        warnings.filterwarnings("ignore", message="The training result may differ")
        while done < iterations:
            chunk = min(step, iterations - done)
            _, wall, cpu = timed(model.train, chunk, workers=workers)
            done, train_wall, train_cpu = done + chunk, train_wall + wall, train_cpu + cpu
            trajectory.append((done, train_wall, model.ll_per_word))
    _, read_wall, read_cpu = timed(lambda: [doc.get_topic_dist() for doc in model.docs])
    counts = [int(c) for c in model.get_count_by_topics()]  # unsigned: never negate
    by_prevalence = sorted(range(k), key=counts.__getitem__, reverse=True)
    topics = [[word for word, _ in model.get_topic_words(t, top_n=TOP_N)] for t in by_prevalence]
    return {"model": model, "wall": build_wall + train_wall + read_wall,
            "cpu": build_cpu + train_cpu + read_cpu, "train_wall": train_wall,
            "topics": topics, "trajectory": trajectory}


def table_rows(results: list[dict], reference: dict) -> list[list[str]]:
    rows = []
    for r in results:
        ratio = reference["wall"] / r["wall"]
        rows.append([r["name"], str(r["workers"]), f"{r['wall']:.1f}", f"{r['cpu']:.1f}",
                     f"{r['train_wall']:.1f}", f"{r['npmi']:+.4f}", f"{r['diversity']:.2f}",
                     f"{ratio:.2f}x"])
    return rows


HEADER = ["model", "workers", "wall s", "CPU s", "train wall s", "NPMI", "diversity",
          "gensim s / this s"]


def plain_table(rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(HEADER)]
    lines = ["  ".join(h.ljust(w) if i == 0 else h.rjust(w)
                       for i, (h, w) in enumerate(zip(HEADER, widths)))]
    lines += ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths))) for row in rows]
    return "\n".join(lines)


def markdown_table(rows: list[list[str]]) -> str:
    return _markdown.markdown_table(HEADER, rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=10_000, help="stories to read (default 10000)")
    parser.add_argument("--corpus", type=Path, default=XWLB, help="xwlb.jsonl.gz")
    parser.add_argument("--topics", type=int, default=20, help="K (default 20)")
    parser.add_argument("--seed", type=int, default=None, help="seed of both models (default: study's)")
    parser.add_argument("--passes", type=int, default=None, help="gensim passes (default: study's)")
    parser.add_argument("--iterations", type=int, default=None,
                        help="gensim per-document inference iterations (default: study's)")
    parser.add_argument("--tp-iterations", type=int, default=1000,
                        help="tomotopy Gibbs sweeps (default 1000, MALLET's default)")
    parser.add_argument("--tp-priors", choices=["matched", "default"], default="matched",
                        help="tomotopy priors: gensim's, held fixed (default), or tomotopy's "
                             "defaults with alpha optimisation")
    parser.add_argument("--workers", type=int, default=2,
                        help="tomotopy threads for the parallel run (default 2; 1 is always run)")
    parser.add_argument("--cache-dir", type=Path, default=CACHE,
                        help=f"token cache, reused by reruns (default {CACHE})")
    parser.add_argument("--out", type=Path, default=None, help="also write the table as Markdown")
    args = parser.parse_args(argv)

    try:
        import tomotopy as tp
    except ImportError:
        parser.exit(2, "tomotopy is not installed; it is a benchmark-only dependency:\n"
                       "    pip install tomotopy\n")
    import gensim

    from policytopics import Study
    from policytopics.model import pruning
    from policytopics.parallel import available_cpus

    if not args.corpus.is_file():
        parser.error(f"corpus not found: {args.corpus}")
    study = Study.from_file(REPO / "study.toml", progress=False, corpus=str(args.corpus),
                            limit=args.limit, n_topics=args.topics,
                            output__cache_dir=args.cache_dir)
    _, tokens_wall, _ = timed(study.tokens)
    token_lists = [[str(w) for w in tokens] for tokens in study.tokens()["tokens"]]
    config = study.config.model
    config = replace(config, seed=config.seed if args.seed is None else args.seed,
                     passes=args.passes or config.passes,
                     iterations=args.iterations or config.iterations)

    started = datetime.datetime.now().astimezone()
    machine = (f"{started:%Y-%m-%d %H:%M %Z}; {platform.platform()}; os.cpu_count()={os.cpu_count()}, "
               f"usable CPUs {available_cpus()}, load average {os.getloadavg()[0]:.2f}; "
               f"Python {platform.python_version()}, gensim {gensim.__version__}, "
               f"tomotopy {tp.__version__} ({tp.isa})")
    print(f"machine: {machine}")
    print(f"corpus: {len(token_lists):,} kept documents of the first {args.limit:,} xwlb stories, "
          f"{sum(map(len, token_lists)):,} tokens (Study.tokens(): {tokens_wall:.1f} s, "
          f"cache {'hit' if study.cache_hits.get('tokens') else 'miss'}; untimed below)")

    gensim_run, tomotopy_runs = fit_gensim(token_lists, config), []
    dictionary = gensim_run["model"].dictionary_
    docs = [[w for w in tokens if w in dictionary.token2id] for tokens in token_lists]
    docs = [d for d in docs if d]
    priors = tomotopy_priors(config, args.topics, args.tp_priors)
    no_below, no_above = pruning(config, len(token_lists))
    print(f"vocabulary: {len(dictionary):,} words after filter_extremes(no_below={no_below}, "
          f"no_above={no_above}, keep_n={config.keep_n}); tomotopy gets "
          f"{len(docs):,} non-empty documents, {sum(map(len, docs)):,} tokens")
    print(f"gensim LdaModel: K={args.topics}, passes={config.passes}, iterations={config.iterations}, "
          f"chunksize={config.chunksize}, alpha={config.alpha}, eta={config.eta}, seed={config.seed}")
    print(f"tomotopy LDAModel: K={args.topics}, {args.tp_iterations} Gibbs iterations, "
          f"alpha={priors['alpha']:g}, eta={priors['eta']:g}, "
          f"optim_interval={priors['optim_interval']}, seed={config.seed}")

    for workers in dict.fromkeys([args.workers, 1]):
        run = fit_tomotopy(tp, docs, k=args.topics, seed=config.seed,
                           iterations=args.tp_iterations, workers=workers, priors=priors)
        tomotopy_runs.append(run | {"name": "tomotopy LDA (Gibbs)", "workers": workers})
    gensim_run |= {"name": "gensim TopicModel (VB)", "workers": 1}

    results = [gensim_run, *tomotopy_runs]
    for r in results:
        r["npmi"], r["diversity"] = npmi_and_diversity(r["topics"], token_lists, dictionary)
    rows = table_rows(results, gensim_run)
    print()
    print(plain_table(rows))

    summary = [f"gensim fit = {gensim_run['wall']:.1f} s wall, of which dictionary "
               f"{gensim_run['dictionary_wall']:.1f} s and document-topic matrix "
               f"{gensim_run['doc_topic_wall']:.1f} s (timed apart; training the remainder)"]
    for run in tomotopy_runs:
        summary.append(
            f"gensim / tomotopy ({run['workers']} worker{'s' * (run['workers'] > 1)}): "
            f"{gensim_run['wall'] / run['wall']:.2f}x the time end to end, "
            f"{gensim_run['train_wall'] / run['train_wall']:.2f}x training only; "
            f"NPMI gensim - tomotopy = {gensim_run['npmi'] - run['npmi']:+.4f}, "
            f"diversity {gensim_run['diversity'] - run['diversity']:+.2f}")
    if args.workers > 1:
        summary.append(f"tomotopy with {args.workers} workers is not reproducible run to run, "
                       "even with a fixed seed (its own warning); the 1-worker run and gensim are")
    trajectory = tomotopy_runs[-1]["trajectory"]  # the single-worker run: reproducible
    final = trajectory[-1][2]
    settled = next(t for t in trajectory if abs(t[2] - final) <= 0.01 * abs(final))
    summary.append("tomotopy log-likelihood per word (1 worker), iteration: value: "
                   + ", ".join(f"{i}: {ll:.3f}" for i, _, ll in trajectory))
    summary.append(f"within 1 % of its final value from iteration {settled[0]} "
                   f"({settled[1]:.1f} s of {trajectory[-1][1]:.1f} s training)")
    print()
    print("\n".join(summary))

    shown = min(5, args.topics)
    print(f"\ntop 5 words of the {shown} most prevalent topics:")
    for r in results:
        label = f"{r['name']}, {r['workers']} worker{'s' * (r['workers'] > 1)}"
        print(f"  {label}")
        for number, words in enumerate(r["topics"][:shown], start=1):
            print(f"    T{number}: {' '.join(words[:5])}")

    if args.out:
        settings = (f"{len(token_lists):,} documents (first {args.limit:,} xwlb stories), "
                    f"vocabulary {len(dictionary):,}, K = {args.topics}; gensim passes = "
                    f"{config.passes}, iterations = {config.iterations}; tomotopy "
                    f"{args.tp_iterations} iterations, priors {args.tp_priors}")
        args.out.write_text(f"{markdown_table(rows)}\n\n{settings}.\n\nMachine: {machine}.\n\n"
                            + "\n".join(f"- {line}" for line in summary) + "\n", encoding="utf-8")
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
