"""What cleaning does to each corpus: kept, dropped, duplicates, coverage, removed lines.

For each corpus in ``../shared/corpora`` (read in place, never copied into the
repository) it runs ``policytopics.document_report`` and prints

- documents kept / dropped / exact duplicates, and near-duplicates among the kept ones
  (``find_near_duplicates``, MinHash at Jaccard 0.8);
- date coverage (share dated, first and last date) and region coverage (share placed,
  most frequent regions);
- per cleaning rule: lines (or cuts) removed and documents touched, and the ten most
  frequent *shapes* of the removed lines. A shape keeps the punctuation and replaces each
  run of Chinese characters by ``H``, digits by ``9`` and Latin letters by ``a``
  (``(视频编辑:… 文字编辑:…)`` → ``(H:H H:H)``), so no article text is printed.

    python scripts/cleaning_report.py                 # xwlb limited to 20,000 stories
    python scripts/cleaning_report.py --limit 0       # every document
    python scripts/cleaning_report.py --corpus webtext_noisy
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
NAMES = ("xwlb", "gwr_national", "policy_central_shandong", "webtext_noisy")

_SHAPE_RUN = re.compile(r"(?P<H>[\u3400-\u9fff\uf900-\ufaff]+)|(?P<D>\d+)|(?P<L>[A-Za-z]+)|(?P<S>\s+)")
_SHAPE_MARK = {"H": "H", "D": "9", "L": "a", "S": " "}


def line_shape(line: str, width: int = 40) -> str:
    """The line with its words masked: ``上一篇:某某 2024-05-06`` → ``H:H 9-9-9``."""
    shape = _SHAPE_RUN.sub(lambda m: _SHAPE_MARK[m.lastgroup], line.strip())
    shape = re.sub(r"[^\x20-\x7e]", "·", shape)  # other scripts and symbols
    return shape if len(shape) <= width else shape[: width - 1] + "…"


def removed_lines(texts, clean_config):
    """Per rule: lines dropped (shapes counted) and documents touched."""
    from policytopics.text.clean import clean_text

    shapes: dict[str, Counter] = defaultdict(Counter)
    touched: Counter = Counter()
    units: Counter = Counter()
    for text in texts:
        cleaned = clean_text(text, clean_config)
        units.update(cleaned.removed)
        touched.update(cleaned.removed.keys())
        for line, rule in cleaned.lines:
            if rule is not None and line.strip():
                shapes[rule][line_shape(line)] += 1
    return units, touched, shapes


def _plain(counts) -> dict:
    return {key: int(value) for key, value in counts.items()}


def report_corpus(name: str, limit: int, config) -> None:
    from policytopics import document_report
    from policytopics.read.files import iter_documents
    from policytopics.text.duplicates import find_near_duplicates

    path = CORPORA / f"{name}.jsonl.gz"
    report = document_report(path, config, limit=limit, progress=False)
    status = report["status"].value_counts()
    kept = report[report["status"] == "kept"]
    near = find_near_duplicates(kept["doc_id"].tolist(), kept["text"].tolist())
    print(f"\n## {name}: {len(report):,} documents"
          f"{f' (first {limit:,})' if limit and len(report) >= limit else ''}")
    print(f"kept {status.get('kept', 0):,}, dropped {status.get('dropped', 0):,}, "
          f"exact duplicates {status.get('duplicate', 0):,}, near-duplicates among kept {len(near):,}")
    reasons = report.loc[report["status"] == "dropped", "reason"].str.replace(r"\(.*", "", regex=True)
    if len(reasons):
        print("dropped because:", _plain(reasons.str.strip().value_counts().head(5)))
    dated = kept["date"].dropna()
    if len(dated):
        print(f"dates: {len(dated) / max(1, len(kept)):.1%} of kept dated, {min(dated)} .. {max(dated)}; "
              f"precision {_plain(kept['date_precision'].value_counts())}")
    else:
        print("dates: none")
    regions = kept["region"].dropna()
    print(f"regions: {len(regions) / max(1, len(kept)):.1%} of kept placed; "
          f"top {_plain(regions.value_counts().head(5))}")

    texts = (d.text for d in iter_documents([path], config.corpus, limit=limit) if not d.error)
    units, touched, shapes = removed_lines(texts, config.clean)
    print(f"{'rule':18} {'removed':>8} {'docs':>6}  most frequent removed-line shapes (count)")
    for rule, count in units.most_common():
        top = "; ".join(f"{shape} ({n})" for shape, n in shapes[rule].most_common(10))
        print(f"{rule:18} {count:8,} {touched[rule]:6,}  {top}")
    totals = json.dumps({k: int(v) for k, v in units.items()}, ensure_ascii=False)
    print(f"removed totals: {totals}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=20000,
                        help="documents per corpus (0 = all; only xwlb is larger than this)")
    parser.add_argument("--corpus", choices=NAMES, action="append",
                        help="one corpus (repeatable); default all four")
    args = parser.parse_args()

    from policytopics import load_study

    config = load_study(REPO / "study.toml")
    for name in args.corpus or NAMES:
        report_corpus(name, args.limit, config)


if __name__ == "__main__":
    main()
