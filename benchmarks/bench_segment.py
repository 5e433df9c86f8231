"""Segmentation speed: plain jieba vs. the project's default path vs. a warm cache.

Reads the first ``--limit`` stories of the xwlb corpus (``../shared/corpora``, never
copied into the repository) and prints characters per second and ratios for

1. ``jieba.lcut`` with jieba's global tokenizer, nothing else (the naive reference;
   its dictionary is loaded before the clock starts);
2. the project's default path: ``Segmenter`` (rjieba, user dictionary, stopwords,
   filters) with ``tokenize_many`` and the study's ``[compute] workers`` (0 = auto: in
   process below 20,000 documents), timed end to end including building the segmenter;
   then the same with ``--workers`` processes (default 2, worker start-up included) and
   in one process;
3. the floor: ``rjieba.cut`` alone on every text (no user dictionary, no filters), which
   no path through jieba's algorithm can beat on one core;
4. ``Study(...).tokens()`` in a fresh ``Study`` after a first run has filled the cache.

It also checks that the default path gives the same tokens as the jieba backend with the
same settings (``--no-check`` skips that slow step).

    python benchmarks/bench_segment.py                # 10,000 stories
    python benchmarks/bench_segment.py --limit 500    # quick (CI)
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import tempfile
import time
from itertools import islice
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
XWLB = REPO.parent / "shared" / "corpora" / "xwlb.jsonl.gz"


def read_texts(path: Path, limit: int) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in islice(fh, limit)]


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=10_000, help="stories to read (default 10000)")
    parser.add_argument("--corpus", type=Path, default=XWLB, help="xwlb.jsonl.gz")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--no-check", action="store_true",
                        help="skip the token comparison with the jieba backend")
    args = parser.parse_args(argv)

    import jieba

    from policytopics import Study, load_study
    from policytopics.common.workers import available_cpus
    from policytopics.settings.config import replace
    from policytopics.text.segment import Segmenter

    logging.getLogger("jieba").setLevel(logging.WARNING)
    if not args.corpus.is_file():
        parser.error(f"corpus not found: {args.corpus}")
    texts = read_texts(args.corpus, args.limit)
    n_chars = sum(len(t) for t in texts)
    print(f"corpus: {len(texts):,} xwlb stories, {n_chars:,} characters; "
          f"{available_cpus()} CPUs available")

    def report(name: str, seconds: float, reference: float | None = None) -> None:
        ratio = f"  {reference / seconds:7.1f}x plain jieba" if reference else ""
        print(f"{name:<44} {seconds:8.2f} s  {n_chars / seconds:>12,.0f} chars/s{ratio}")

    jieba.initialize()  # load the dictionary before the clock starts
    _, plain_seconds = timed(lambda: [jieba.lcut(t) for t in texts])
    report("plain jieba.lcut (global, no filters)", plain_seconds)

    study_segment = load_study(REPO / "study.toml").segment
    config = replace(study_segment, backend="rjieba")

    auto = load_study(REPO / "study.toml").compute.workers

    def default_path():
        return Segmenter(config).tokenize_many(texts, workers=auto, progress=False)

    tokens, default_seconds = timed(default_path)
    report(f"default path (rjieba, [compute] workers={auto})", default_seconds, plain_seconds)
    _, parallel = timed(lambda: Segmenter(config).tokenize_many(texts, workers=args.workers,
                                                                progress=False))
    report(f"rjieba, workers={args.workers}", parallel, plain_seconds)
    _, one_process = timed(lambda: Segmenter(config).tokenize_many(texts, workers=1,
                                                                   progress=False))
    report("rjieba, workers=1", one_process, plain_seconds)
    import rjieba

    _, floor = timed(lambda: [rjieba.cut(text) for text in texts])
    report("floor: rjieba.cut alone (no dictionary, no filters)", floor, plain_seconds)

    if not args.no_check:
        reference, jieba_seconds = timed(lambda: Segmenter(replace(config, backend="jieba"))
                                         .tokenize_many(texts, workers=1, progress=False))
        report("jieba backend, same settings, workers=1", jieba_seconds, plain_seconds)
        differing = sum(a != b for a, b in zip(tokens, reference))
        print(f"token check: {differing} of {len(texts):,} stories differ between rjieba "
              f"and the jieba backend ({sum(map(len, tokens)):,} tokens)")

    with tempfile.TemporaryDirectory() as tmp:
        study_config = load_study(REPO / "study.toml", corpus=args.corpus, limit=args.limit,
                                  out=Path(tmp), output__cache_dir=Path(tmp) / "cache")
        _, cold_seconds = timed(lambda: Study(study_config, progress=False).tokens())
        warm_study = Study(study_config, progress=False)
        frame, warm_seconds = timed(warm_study.tokens)
        print(f"Study.tokens() cold (ingest + clean + segment): {cold_seconds:8.2f} s")
        print(f"Study.tokens() warm rerun, fresh Study:        {warm_seconds:8.2f} s "
              f"({len(frame):,} documents; cache hits {warm_study.cache_hits})")

    speedup = plain_seconds / default_seconds
    print(f"goal default path >= 25x plain jieba: {speedup:.1f}x "
          f"({'met' if speedup >= 25 else f'not met, {25 / speedup:.2f}x short'}); "
          f"goal warm rerun < 2 s: {warm_seconds:.2f} s "
          f"({'met' if warm_seconds < 2 else 'not met'})")
    return 0


if __name__ == "__main__":  # required: the worker processes are spawned
    raise SystemExit(main())
