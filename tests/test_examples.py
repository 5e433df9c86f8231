"""The example corpora shipped in data/examples/ and the README's claims about their figures."""

from __future__ import annotations

import gzip
import hashlib
import json
import re

import pytest
from conftest import REPO

from policytopics.text.clean import clean_text
from policytopics.text.dates import dates_disagree, stated_date

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


# --- the README's claims about the provincial figures -----------------------------------------
# Each claim the README makes about a figure, word for word, with the check that makes it true
# in the table the figure is drawn from, committed beside it ([output] figure_tables in
# data/examples/provincial.toml; `make example` writes it again). When a new fit or corpus makes
# a claim false, this fails: rewrite the claim from the new table.

EMPHASIS_BY_REGION = REPO / "figures" / "examples" / "gwr_provincial" / "theme_emphasis_by_region.csv"


def _theme(table, theme: str):
    """A seeded theme's rows by its name (a theme that did not hold its topic, ``(?)``, has none)."""
    rows = table[table["topic_label"].str.split(" ", n=1).str[1] == theme]
    assert len(rows), f"no topic labelled {theme!r} in {EMPHASIS_BY_REGION.name}"
    return rows.set_index("region")


def _above(table, theme: str, *regions: str) -> bool:
    """Every region's emphasis on the theme is above the mean, its 95 % interval clear of zero."""
    rows = _theme(table, theme)
    return all(rows.loc[region, "ci_low"] > 0 for region in regions)


def _below(table, theme: str, *regions: str) -> bool:
    rows = _theme(table, theme)
    return all(rows.loc[region, "ci_high"] < 0 for region in regions)


def _leaders(table, theme: str, n: int) -> list[str]:
    """The ``n`` regions with the largest emphasis on the theme."""
    return _theme(table, theme)["emphasis"].nlargest(n).index.tolist()


README_CLAIMS = {
    "Tianjin, Shanghai and Beijing above the mean on science":
        lambda t: _above(t, "科技创新", "天津市", "上海市", "北京市"),
    "Fujian, Guangxi, Shanghai and Guangdong on opening up":
        lambda t: _above(t, "对外开放", "福建省", "广西壮族自治区", "上海市", "广东省")
        and _leaders(t, "对外开放", 1) == ["福建省"]
        and set(_leaders(t, "对外开放", 5)) >= {"福建省", "广西壮族自治区", "上海市", "广东省"},
    "Beijing below the mean on it": lambda t: _below(t, "对外开放", "北京市"),
    "Jilin and Heilongjiang on manufacturing and farming":
        lambda t: all(_above(t, theme, "吉林省", "黑龙江省")
                      and {"吉林省", "黑龙江省"} <= set(_leaders(t, theme, 3))
                      for theme in ("产业升级与制造业", "乡村振兴与三农")),
    "the western provinces on poverty alleviation":
        lambda t: (_theme(t, "脱贫攻坚").loc[_leaders(t, "脱贫攻坚", 5), "area"] == "西部").all()
        and _above(t, "脱贫攻坚", *_leaders(t, "脱贫攻坚", 5)),
}


@pytest.mark.parametrize("claim", README_CLAIMS)
def test_each_readme_claim_about_the_provincial_figure_holds_in_its_committed_table(claim):
    import pandas as pd

    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert claim in readme, "the README no longer says this: update README_CLAIMS with it"
    table = pd.read_csv(EMPHASIS_BY_REGION, encoding="utf-8-sig")
    assert README_CLAIMS[claim](table), f"{claim!r} is not true of {EMPHASIS_BY_REGION.name}"


def test_the_provincial_example_writes_the_table_its_readme_claims_are_checked_against():
    from policytopics import load_study

    output = load_study(EXAMPLES / "provincial.toml").output
    assert "theme_emphasis_by_region" in output.figure_tables
    assert output.figures_dir.resolve() == EMPHASIS_BY_REGION.parent
