"""Mojibake rules on real text: what they repair or remove where nothing is broken.

Runs the study's mojibake step over the documents of the corpora in ``../shared/corpora``
(read in place), as ``clean_text`` runs it: pinyin annotations stripped
(``strip_pinyin_annotations``), then ``repair_mojibake`` on the text as crawled. It prints,
per corpus, the documents read, those the rules touched, the runs repaired and removed,
the characters changed and the time taken.

The news transcripts (xwlb), the Government Work Reports and the policy documents are
clean text, so every document touched there is a false positive (tests/text/test_mojibake.py
checks the first 200 xwlb stories). ``webtext_noisy`` is crawled and may hold real
mojibake: its count is what the rules found, not a false-positive rate.

    python benchmarks/bench_mojibake.py                              # every document, four corpora
    python benchmarks/bench_mojibake.py --corpus xwlb --limit 3000   # quick
    python benchmarks/bench_mojibake.py --show 5                     # and what changed, in 5 documents

``--show`` prints the changed stretches of corpus text to the terminal only; do not paste
them into the repository.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import json
import time
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from _markdown import markdown_table

from policytopics.text.clean import strip_pinyin_annotations
from policytopics.text.mojibake import repair_mojibake

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
NAMES = ("xwlb", "gwr_national", "policy_central_shandong", "webtext_noisy")


@dataclass
class Scan:
    """What the mojibake rules did to one corpus."""

    corpus: str
    documents: int = 0
    characters: int = 0
    repaired: int = 0  # runs re-read as GBK
    removed: int = 0  # runs dropped
    characters_changed: int = 0  # characters of the input replaced or dropped
    seconds: float = 0.0
    touched: list[str] = field(default_factory=list)  # ids of the documents changed
    changes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # id -> (before, after)


def read_documents(path: Path, limit: int):
    """``(id, text)`` of the first ``limit`` documents (0 = all) of a JSONL corpus."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for number, line in enumerate(islice(fh, limit or None)):
            record = json.loads(line)
            yield str(record.get("id") or number), record.get("text") or ""


def changed_stretches(before: str, after: str, context: int = 6) -> list[tuple[str, str]]:
    """The stretches that differ, with ``context`` characters either side."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [(before[max(0, i1 - context):i2 + context], after[max(0, j1 - context):j2 + context])
            for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def scan(path: Path, limit: int = 0, keep_changes: int = 0) -> Scan:
    """Run the mojibake step over one corpus; keep what changed in ``keep_changes`` documents."""
    result = Scan(path.name.split(".")[0])
    started = time.perf_counter()
    for doc_id, text in read_documents(path, limit):
        stripped = strip_pinyin_annotations(text)[0]
        fixed, repaired, removed = repair_mojibake(stripped)
        result.documents += 1
        result.characters += len(text)
        if repaired or removed:
            result.repaired += repaired
            result.removed += removed
            result.touched.append(doc_id)
            stretches = changed_stretches(stripped, fixed, context=0)
            result.characters_changed += sum(len(before) for before, _ in stretches)
            if len(result.changes) < keep_changes:
                result.changes[doc_id] = changed_stretches(stripped, fixed)
    result.seconds = time.perf_counter() - started
    return result


def table(scans: list[Scan]) -> str:
    header = ["corpus", "documents", "M characters", "documents touched", "runs repaired",
              "runs removed", "characters changed", "seconds"]
    rows = [[s.corpus, f"{s.documents:,}", f"{s.characters / 1e6:.2f}", f"{len(s.touched):,}",
             f"{s.repaired:,}", f"{s.removed:,}", f"{s.characters_changed:,}", f"{s.seconds:.1f}"]
            for s in scans]
    return markdown_table(header, rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", nargs="+", choices=NAMES, default=list(NAMES),
                        help="corpora of ../shared/corpora (default: all four)")
    parser.add_argument("--limit", type=int, default=0, help="documents per corpus (0 = all)")
    parser.add_argument("--show", type=int, default=0, metavar="N",
                        help="print what changed in the first N touched documents of each corpus")
    args = parser.parse_args(argv)

    scans = []
    for name in args.corpus:
        path = CORPORA / f"{name}.jsonl.gz"
        if not path.is_file():
            parser.error(f"corpus not found: {path}")
        scans.append(scan(path, args.limit, keep_changes=args.show))
    print(table(scans))
    for s in scans:
        if s.touched:
            shown = ", ".join(s.touched[:20]) + (" ..." if len(s.touched) > 20 else "")
            print(f"\n{s.corpus}: touched {shown}")
        for doc_id, stretches in s.changes.items():
            for before, after in stretches:
                print(f"  {doc_id}: {before!r} -> {after!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
