"""The example corpora shipped in data/examples/ and the README's claims about their figures."""

from __future__ import annotations

import gzip
import hashlib
import json
import re

from conftest import REPO

from policytopics.clean import clean_text
from policytopics.metadata import dates_disagree, stated_date

EXAMPLES = REPO / "data" / "examples"


def test_the_shipped_copies_are_the_files_their_readme_names():
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for name in ("gwr_provincial.jsonl.gz", "gwr_national.jsonl.gz"):
        section = readme[readme.index(f"## {name}"):]
        named = re.search(r"^sha256 `([0-9a-f]{64})`", section, re.MULTILINE)[1]
        assert hashlib.sha256((EXAMPLES / name).read_bytes()).hexdigest() == named, name


def test_every_provincial_report_is_dated_by_the_year_its_header_says_it_was_delivered():
    # The copy shipped before 2026-12-06 filed 12 Sichuan reports under the year they review (#36).
    # Only each report's first lines are cleaned: the header is there.
    disagreeing, dated = [], 0
    with gzip.open(EXAMPLES / "gwr_provincial.jsonl.gz", "rt", encoding="utf-8") as fh:
        for row in map(json.loads, fh):
            found = stated_date(clean_text("\n".join(row["text"].splitlines()[:30])).lines)
            dated += found is not None
            if found and dates_disagree(row["date"], found.date):
                disagreeing.append((row["id"], row["date"], found.date))
    assert dated > 500 and disagreeing == []
