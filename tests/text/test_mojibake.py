"""Mojibake: runs of GBK read out of step repaired where they read as words, removed otherwise."""

import pytest

from policytopics.text.clean import strip_pinyin_annotations
from policytopics.text.mojibake import remove_mojibake, repair_mojibake


def test_mojibake_run_is_dealt_with():
    text, n = remove_mojibake("最具发展?jié)摿Φ氖袌鰞?yōu)势,坚定信心")
    assert n == 1
    assert "摿" not in text and "?" not in text and "坚定信心" in text


def test_gbk_read_one_byte_out_of_step_is_repaired():
    # seed 000: 發展潛力的市場優勢 read one byte off, with pinyin glued in afterwards
    text, repaired, removed = repair_mojibake("最具發展?jié)摿Φ氖袌鰞?yōu)勢,堅定信心")
    assert (text, repaired, removed) == ("最具發展潛力的市場優勢,堅定信心", 1, 0)


def test_unrepairable_run_is_removed_whole():
    # seed 004: 氫能與 shifted; 能與 alone does not read as words, so the run goes
    text, repaired, removed = repair_mojibake("搶占?xì)淠芘c新型儲能")
    assert (text, repaired, removed) == ("搶占新型儲能", 0, 1)


@pytest.mark.parametrize("text", [
    "屠呦呦获得诺贝尔生理学或医学奖。", "蝙蝠侠在淙淙溪水边。", "Равшан Сайфиддинов",
])
def test_rare_characters_are_not_mojibake(text):
    assert repair_mojibake(text) == (text, 0, 0)


@pytest.mark.corpora
def test_mojibake_has_no_false_positives_on_news(corpora):
    # The small version of benchmarks/bench_mojibake.py, which scans every story.
    import gzip
    import itertools
    import json

    with gzip.open(corpora / "xwlb.jsonl.gz", "rt", encoding="utf-8") as fh:
        stories = [json.loads(line)["text"] for line in itertools.islice(fh, 200)]
    touched = [i for i, story in enumerate(stories)
               if repair_mojibake(strip_pinyin_annotations(story)[0])[1:] != (0, 0)]
    assert touched == []


def test_clean_text_keeps_ordinary_chinese():
    text = "推动制造业高质量发展，加快建设现代化产业体系。"
    assert remove_mojibake(text) == (text, 0)
