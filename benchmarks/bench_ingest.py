"""Ingest speed: documents per second through reading, cleaning, dating and placing.

Reads the first ``--limit`` stories of the xwlb corpus (``../shared/corpora``, read in
place, never copied into the repository) and prints, for one run each,

1. reading only (``iter_documents``): decompressing and parsing the JSONL;
2. cleaning only (``clean_text`` on texts already in memory);
3. the whole ``policytopics.document_report`` (read, clean, date, place, duplicates);
4. near-duplicate search (``find_near_duplicates``) over the kept texts.

    python benchmarks/bench_ingest.py                # 20,000 stories
    python benchmarks/bench_ingest.py --limit 2000   # quick
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=20000, help="stories to ingest (default 20000)")
    parser.add_argument("--corpus", type=Path, default=CORPORA / "xwlb.jsonl.gz")
    args = parser.parse_args()

    from policytopics import document_report, load_study
    from policytopics.read.files import iter_documents
    from policytopics.text.clean import clean_text
    from policytopics.text.duplicates import find_near_duplicates

    config = load_study(REPO / "study.toml")
    documents, read_s = timed(lambda: list(iter_documents([args.corpus], config.corpus, limit=args.limit)))
    n = len(documents)
    clean_text("预热。", config.clean)  # OpenCC and the phrase list load before the clock starts
    _, clean_s = timed(lambda: [clean_text(d.text, config.clean) for d in documents])
    report, ingest_s = timed(document_report, args.corpus, config, limit=args.limit, progress=False)
    kept = report[report["status"] == "kept"]
    near, near_s = timed(find_near_duplicates, kept["doc_id"].tolist(), kept["text"].tolist())
    chars = sum(len(d.text) for d in documents)

    print(f"corpus: {args.corpus.name}, {n:,} documents, {chars / 1e6:.1f} M characters")
    print(f"{'stage':28} {'seconds':>8} {'docs/s':>9} {'M chars/s':>10}")
    for stage, seconds in [("read (iter_documents)", read_s), ("clean (clean_text)", clean_s),
                           ("document_report (whole)", ingest_s), ("near-duplicates (MinHash)", near_s)]:
        print(f"{stage:28} {seconds:8.2f} {n / seconds:9.0f} {chars / seconds / 1e6:10.2f}")
    counts = report["status"].value_counts()
    print(f"status: {counts.to_dict()}; near-duplicates among kept: {len(near)}")


if __name__ == "__main__":
    main()
