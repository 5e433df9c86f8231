import gzip
import json
import re
from itertools import islice

import numpy as np
import pandas as pd
import pytest

from policytopics.common.chinese import cjk_count
from policytopics.settings.config import CorpusConfig
from policytopics.text.passages import document_topics, document_units, split_passages
from policytopics.text.places import extract_region

_SENTENCE_END = re.compile(r"[。！？；!?;][”’」』）)\]】》〉\"']*$")


def paragraph(n_sentences: int, sentence: str = "推进制造业高质量发展。") -> str:
    return sentence * n_sentences


# --- split_passages ------------------------------------------------------------------------

def test_short_paragraphs_are_merged_up_to_the_target():
    paragraphs = [paragraph(10) for _ in range(12)]  # 12 paragraphs of 100 characters
    passages = split_passages("\n".join(paragraphs), 400)
    assert [cjk_count(p) for p in passages] == [400, 400, 400]
    assert passages[0] == "\n".join(paragraphs[:4])  # paragraphs joined by a line break


def test_a_long_paragraph_is_split_at_sentence_ends_near_the_target():
    text = "".join(f"第{i}项工作取得进展，成效明显。" for i in range(100))  # one paragraph
    passages = split_passages(text, 300)
    lengths = [cjk_count(p) for p in passages]
    assert len(passages) == round(cjk_count(text) / 300)
    assert all(200 <= n <= 400 for n in lengths), lengths
    assert all(_SENTENCE_END.search(p) for p in passages)  # never cut inside a sentence
    assert "".join(passages) == text


def test_closing_quotes_stay_with_their_sentence():
    sentence = "他说：“要把制造业做实做优做强。”"
    passages = split_passages(sentence * 60, 200)
    assert len(passages) > 1
    assert all(p.endswith("。”") and p.startswith("他说") for p in passages)


def test_a_sentence_far_over_the_target_is_cut_at_commas():
    sentence = "，".join(f"第{i}项任务落实到位" for i in range(120)) + "。"  # ~960 characters
    passages = split_passages(sentence, 300)
    assert len(passages) == 3
    assert all(p.endswith(("，", "。")) for p in passages)
    assert "".join(passages) == sentence
    # Up to twice the target, one sentence stays whole.
    whole = "，".join(f"第{i}项任务落实到位" for i in range(60)) + "。"
    assert split_passages(whole, 300) == [whole]


def test_a_run_without_punctuation_is_cut_into_equal_runs():
    text = "数字经济" * 300  # 1,200 characters, no punctuation at all
    passages = split_passages(text, 400)
    assert [len(p) for p in passages] == [400, 400, 400]


def test_a_tiny_trailing_remainder_joins_the_previous_passage():
    text = "\n".join([paragraph(40), "以上。"])  # 400 characters, then 2
    assert split_passages(text, 400) == [text]
    text = "\n".join([paragraph(39), paragraph(39), "特此报告。"])  # 390, 390, 4
    passages = split_passages(text, 400)
    assert len(passages) == 2 and passages[-1].endswith("\n特此报告。")


def test_a_heading_goes_with_the_paragraph_it_heads():
    text = "\n".join(["一、过去一年的工作", paragraph(40), "二、今年的任务", paragraph(40)])
    passages = split_passages(text, 400)
    assert [p.split("\n")[0] for p in passages] == ["一、过去一年的工作", "二、今年的任务"]


def test_every_character_is_kept_in_order_and_the_result_is_deterministic():
    text = "\n".join(["标题", "", paragraph(7), "  " + paragraph(80) + "  ", paragraph(3), "附件"])
    passages = split_passages(text, 250)
    assert split_passages(text, 250) == passages
    stripped = [line.strip() for line in text.split("\n") if line.strip()]
    assert "".join(passages).replace("\n", "") == "".join(stripped)


def test_empty_text_and_bad_target():
    assert split_passages("") == []
    assert split_passages("\n \n") == []
    assert split_passages("短。") == ["短。"]
    with pytest.raises(ValueError, match="target_chars"):
        split_passages("短。", 0)


# --- document_units ------------------------------------------------------------------------

@pytest.fixture
def documents() -> pd.DataFrame:
    report = [paragraph(30) for _ in range(20)]  # 20 paragraphs of 300 characters
    report[10] = "广东省广州市、深圳市和珠海市推进制造业高质量发展。" * 12  # names another province
    texts = ["\n".join(report),  # 6,000 characters: a report
             "本台消息。" + paragraph(20),  # 204: a news story
             "\n".join(paragraph(30) for _ in range(5))]  # 1,500, no title
    return pd.DataFrame({
        "doc_id": ["report", "story", "notice"],
        "title": ["省政府工作报告", "新闻标题", None],
        "text": texts,
        "n_chars": [cjk_count(t) for t in texts],
        "date": ["2024-01-20", "2024-03-01", "2023-05-04"],
        "region": ["浙江省", None, "山东省"],
        "city": [None, None, "济南市"],
    })


def test_whole_documents_are_exactly_what_the_segmenter_read_before(documents):
    units = document_units(documents, CorpusConfig(unit="document"))
    assert list(units.columns) == ["doc_id", "passage", "n_chars", "text"]
    before = [f"{t}\n{x}" if isinstance(t, str) else x
              for t, x in zip(documents["title"], documents["text"], strict=True)]
    assert list(units["text"]) == before
    assert list(units["doc_id"]) == list(documents["doc_id"])
    assert list(units["passage"]) == [0, 0, 0]
    assert list(units["n_chars"]) == [cjk_count(t) for t in before]


def test_auto_cuts_only_long_documents(documents):
    config = CorpusConfig(unit="auto", passage_chars=400, passage_above=3000)
    units = document_units(documents, config)
    counts = units.groupby("doc_id", sort=False)["passage"].count()
    assert counts["story"] == 1 and counts["notice"] == 1
    assert counts["report"] == 20  # no two 300-character paragraphs fit in 400
    report = units[units["doc_id"] == "report"]
    assert list(report["passage"]) == list(range(len(report)))
    assert report["text"].iat[0].startswith("省政府工作报告\n")  # the title goes with passage 0
    assert not any(t.startswith("省政府工作报告") for t in report["text"].iloc[1:])
    assert report["n_chars"].sum() == cjk_count("省政府工作报告") + documents["n_chars"].iat[0]
    whole = units[units["doc_id"] != "report"]
    as_documents = document_units(documents.iloc[1:], CorpusConfig(unit="document"))
    assert list(whole["text"]) == list(as_documents["text"])


def test_passage_unit_cuts_every_document_and_keeps_short_ones_whole(documents):
    units = document_units(documents, CorpusConfig(unit="passage", passage_chars=400))
    counts = units.groupby("doc_id", sort=False)["passage"].count()
    assert counts["notice"] > 1 and counts["story"] == 1
    assert units.loc[units["doc_id"] == "story", "text"].iat[0] == "新闻标题\n" + documents["text"].iat[1]
    notice = units[units["doc_id"] == "notice"]
    assert "".join(notice["text"]).replace("\n", "") == documents["text"].iat[2].replace("\n", "")


def test_passages_carry_no_metadata_and_inherit_the_documents(documents):
    units = document_units(documents, CorpusConfig(unit="passage", passage_chars=200))
    assert not {"date", "region", "city", "title"} & set(units.columns)
    joined = units.merge(documents[["doc_id", "date", "region", "city", "title"]], on="doc_id",
                         how="left", validate="many_to_one")
    by_document = documents.set_index("doc_id")
    for column in ("date", "region", "city"):
        expected = pd.Series(by_document.loc[joined["doc_id"], column].to_numpy(), name=column)
        pd.testing.assert_series_equal(joined[column], expected, check_dtype=False)
    # A passage about 广东 would be placed in 广东 if its region were extracted again; it
    # is a passage of a 浙江 report, and that is what it inherits.
    guangdong = joined[joined["text"].str.contains("广东省")]
    assert len(guangdong) >= 1
    for text in guangdong["text"]:
        assert extract_region(None, text.split("\n")).region == "广东省"
    assert (guangdong["region"] == "浙江省").all()
    assert (joined.loc[joined["doc_id"] == "report", "region"] == "浙江省").all()


def test_units_of_an_empty_table():
    empty = pd.DataFrame({"doc_id": [], "title": [], "text": [], "n_chars": []})
    units = document_units(empty, CorpusConfig())
    assert units.empty and list(units.columns) == ["doc_id", "passage", "n_chars", "text"]


# --- document_topics -----------------------------------------------------------------------

def test_document_topics_is_the_length_weighted_mean_in_first_appearance_order():
    units = pd.DataFrame({"doc_id": ["b", "b", "a", "c", "c"], "n_chars": [300, 100, 50, 0, 0]})
    rows = np.array([[1.0, 0.0], [0.0, 1.0], [0.2, 0.8], [1.0, 0.0], [0.0, 1.0]])
    doc_ids, matrix = document_topics(rows, units)
    assert doc_ids == ["b", "a", "c"]
    np.testing.assert_allclose(matrix, [[0.75, 0.25], [0.2, 0.8], [0.5, 0.5]])
    np.testing.assert_allclose(matrix.sum(axis=1), 1.0)


def test_a_document_of_one_unit_keeps_its_row():
    rng = np.random.default_rng(0)
    rows = rng.dirichlet(np.ones(5), size=4)
    units = pd.DataFrame({"doc_id": ["d1", "d2", "d3", "d4"], "n_chars": [10, 2000, 35, 400]})
    doc_ids, matrix = document_topics(rows, units)
    assert doc_ids == ["d1", "d2", "d3", "d4"]
    np.testing.assert_allclose(matrix, rows)


def test_document_topics_checks_its_input():
    units = pd.DataFrame({"doc_id": ["a", "a"], "n_chars": [1, 1]})
    with pytest.raises(ValueError, match="3 rows for 2 units"):
        document_topics(np.full((3, 2), 0.5), units)


# --- real corpora --------------------------------------------------------------------------

def _read(path, limit=None):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in islice(fh, limit)]


@pytest.mark.corpora
def test_reports_are_cut_and_news_stories_stay_whole(corpora):
    config = CorpusConfig()  # the defaults: auto, measured passage_chars and passage_above
    reports = pd.DataFrame(_read(corpora / "gwr_national.jsonl.gz"))
    stories = pd.DataFrame(_read(corpora / "xwlb.jsonl.gz", 2000))
    for frame in (reports, stories):
        frame["doc_id"] = frame["id"].astype(str)
        frame["n_chars"] = frame["text"].map(cjk_count)
    units = document_units(reports, config)
    per_report = units.groupby("doc_id")["passage"].count()
    assert (per_report >= 10).all()  # every national report is many passages
    lengths = units["n_chars"]
    assert abs(lengths.median() - config.passage_chars) < 0.25 * config.passage_chars
    assert (lengths <= 3 * config.passage_chars).mean() > 0.99
    story_units = document_units(stories, config)
    assert (story_units.groupby("doc_id")["passage"].count() == 1).mean() > 0.99
