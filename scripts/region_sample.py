"""Region check: a seeded random sample of region assignments to read by hand.

Ingests the first ``--limit`` stories of the xwlb corpus (``../shared/corpora``, read in
place, never copied into the repository) with ``policytopics.document_report`` and, among
the kept
documents, draws with a fixed seed

1. ``--n`` documents that got a region (``extract_region`` named a province), and
2. ``--n-empty`` documents left without one,

and prints for each its doc_id, title, region, city, region_source and the first
``--lead`` characters of the cleaned text, so a reader can judge whether the story is
mainly about that province (or, for the empty ones, whether a clear province was missed).
Nothing is written into the repository; ``--json`` saves the sample for reading elsewhere
and refuses a path inside the repository, as the texts are corpus text.

    python scripts/region_sample.py                       # 30 placed + 10 empty of 20,000
    python scripts/region_sample.py --seed 1 --n 50
    python scripts/region_sample.py --json /tmp/notes/region_sample.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"


def _value(x):
    # pandas gives NaN/None for missing cells; the printout and JSON want None.
    return None if x is None or x != x else x


def sample_rows(kept, n: int, n_empty: int, seed: int):
    """Seeded draw of ``n`` placed and ``n_empty`` unplaced rows of the kept documents."""
    placed = kept[kept["region"].notna() & (kept["region"] != "")]
    empty = kept[kept["region"].isna() | (kept["region"] == "")]
    return (placed.sample(n=min(n, len(placed)), random_state=seed),
            empty.sample(n=min(n_empty, len(empty)), random_state=seed),
            len(placed), len(empty))


def record(row, lead: int) -> dict:
    """One sampled document as plain values: ids, title, assignment, text lead."""
    text = row["text"] or ""
    return {
        "doc_id": row["doc_id"],
        "title": _value(row["title"]),
        "region": _value(row["region"]),
        "city": _value(row["city"]),
        "region_source": _value(row["region_source"]),
        "n_chars": int(row["n_chars"]),
        "lead": text[:lead].replace("\n", " / "),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=20000, help="stories to ingest (default 20000)")
    parser.add_argument("--corpus", type=Path, default=CORPORA / "xwlb.jsonl.gz")
    parser.add_argument("--n", type=int, default=30, help="placed documents to draw (default 30)")
    parser.add_argument("--n-empty", type=int, default=10,
                        help="kept documents without a region to draw (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="sampling seed (default 0)")
    parser.add_argument("--lead", type=int, default=300, help="characters of text to show (default 300)")
    parser.add_argument("--json", type=Path, metavar="OUT",
                        help="also write the sample to OUT (outside the repository)")
    args = parser.parse_args()
    if args.json and args.json.resolve().is_relative_to(REPO):
        parser.error(f"--json must point outside the repository ({REPO}): it holds corpus text")

    from policytopics import document_report, load_study

    config = load_study(REPO / "study.toml")
    report = document_report(args.corpus, config, limit=args.limit, progress=False)
    kept = report[report["status"] == "kept"]
    placed, empty, n_placed, n_empty = sample_rows(kept, args.n, args.n_empty, args.seed)

    print(f"corpus: {args.corpus.name}, {len(report):,} read, {len(kept):,} kept, "
          f"{n_placed:,} placed ({n_placed / max(len(kept), 1):.0%}), {n_empty:,} without a region")
    print(f"sample: seed {args.seed}, {len(placed)} placed + {len(empty)} empty")
    sample = {"corpus": args.corpus.name, "limit": args.limit, "seed": args.seed,
              "placed": [record(r, args.lead) for _, r in placed.iterrows()],
              "empty": [record(r, args.lead) for _, r in empty.iterrows()]}
    for group, heading in (("placed", "with a region"), ("empty", "without a region")):
        print(f"\n=== {heading} ===")
        for i, item in enumerate(sample[group], 1):
            print(f"\n[{i}] {item['doc_id']}  region={item['region']}  city={item['city']}")
            print(f"    source: {item['region_source']}")
            print(f"    title:  {item['title']}")
            print(f"    text ({item['n_chars']} chars): {item['lead']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(sample, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"\nsample written to {args.json}")


if __name__ == "__main__":
    main()
