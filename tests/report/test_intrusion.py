"""Validation by people, built in: rater pages and their scores, checked with simulated
raters (one who always finds the intruder scores 1, one who picks at random about 1/6)."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import numpy as np
import pytest

from policytopics.report.intrusion import read_answers, score, wilson, write_rater_pages


@pytest.fixture(scope="module")
def items(sample_study):
    return sample_study.validation_items(n_documents=5, seed=3)


def answer_file(path, key, pick):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["item", "answer"])
        for item in key:
            writer.writerow([item["item"], pick(item)])
    return path


def test_items_are_blind_shuffled_and_fixed_by_their_seed(items, sample_study):
    k = sample_study.config.model.n_topics
    assert len(items["word"]) == k and len(items["topic"]) == 5  # the five samples
    for item in items["word"]:
        assert len(item["options"]) == 6 and item["intruder"] in item["options"]
        assert len(set(item["options"])) == 6
    for item in items["topic"]:
        assert len(item["options"]) == 4 and item["intruder"] in item["options"]
        assert min(item["theta"].values()) == item["theta"][item["intruder"]]
    assert sample_study.validation_items(n_documents=5, seed=3) == items


def test_pages_per_rater_and_the_key(items, tmp_path):
    pages = write_rater_pages(items, tmp_path, raters=3, seed=1)
    assert [p.name for p in pages] == ["rater_1.html", "rater_2.html", "rater_3.html"]
    key = json.loads((tmp_path / "key.json").read_text(encoding="utf-8"))
    first = pages[0].read_text(encoding="utf-8")
    assert "@font-face" in first and "answers_rater_1.csv" in first
    for item in key:
        assert f'name="{item["item"]}"' in first
    visible = first.split("</style>")[1]  # the page without its embedded font
    assert "intruder" not in visible and "T1" not in visible  # no key, no topic number on the page
    orders = [[line for line in p.read_text(encoding="utf-8").split('name="')[1::6]] for p in pages]
    assert orders[0] != orders[1]  # each rater has an order of their own


def test_simulated_raters_score_one_and_about_one_sixth(items, tmp_path):
    write_rater_pages(items, tmp_path, raters=2)
    key = json.loads((tmp_path / "key.json").read_text(encoding="utf-8"))
    rng = random.Random(0)
    perfect = answer_file(tmp_path / "answers_rater_1.csv", key, lambda item: item["intruder"])
    chance = answer_file(tmp_path / "answers_rater_2.csv", key, lambda item: rng.choice(item["options"]))
    result = score(key, read_answers([perfect]))
    summary = result["summary"].set_index("task")
    assert summary.loc["word", "share_found"] == 1.0 and summary.loc["topic", "share_found"] == 1.0
    assert summary.loc["topic", "topic_log_odds"] == 0.0
    assert (result["precision"]["precision"] == 1.0).all()
    # A random rater over many simulated rounds finds the intruder about 1/6 of the time.
    many = [item | {"item": f"{item['item']}-{r}"} for r in range(200) for item in key
            if item["task"] == "word"]
    rng = random.Random(1)
    answers = {"random": {item["item"]: rng.choice(item["options"]) for item in many}}
    share = score(many, answers)["summary"].set_index("task").loc["word", "share_found"]
    assert share == pytest.approx(1 / 6, abs=0.03)
    both = score(key, read_answers([perfect, chance]))
    assert both["agreement"]["items"].iloc[0] == len(key)
    assert 0 <= both["agreement"]["share"].iloc[0] < 1


def test_the_command_writes_pages_and_scores_answers(repo, tmp_path, capsys):
    from policytopics.cli import main

    out = tmp_path / "validation"
    # The model of a run with flags (--topics 3), not the study file's K.
    assert main(["validate", "--study", str(repo / "study.toml"), "--out", str(out), "--documents", "3",
                 "--topics", "3", "--cache-dir", str(tmp_path / "cache"), "--no-progress", "-q"]) == 0
    hint = capsys.readouterr().out
    assert f"--score {out}/answers_rater_*.csv" in hint  # works from any folder
    key = json.loads((out / "key.json").read_text(encoding="utf-8"))
    assert {item["topic"] for item in key if item["task"] == "word"} == {1, 2, 3}
    answers = answer_file(tmp_path / "answers_rater_1.csv", key, lambda item: item["intruder"])
    assert main(["validate", "--out", str(out), "--score", str(answers)]) == 0
    printed = capsys.readouterr().out
    assert "precision" in printed and "agreement: needs the answers of two raters or more" in printed
    precision = printed.split("precision:")[1].split("summary:")[0]
    assert " 1.0 " not in precision and "T1 " in precision  # topics by number and label


def test_wilson_interval_brackets_the_share():
    low, high = wilson(16, 20)
    assert low < 0.8 < high


@pytest.mark.parametrize(("argv", "flag", "allowed"), [
    (["sweep", "--seeds", "0"], "--seeds", "from 1 to 20"),
    (["validate", "--raters", "100000"], "--raters", "from 1 to 100"),
    (["validate", "--raters", "0"], "--raters", "from 1 to 100"),
    (["validate", "--documents", "-1"], "--documents", "from 0 to 500"),
    (["validate", "--item-seed", "x"], "--item-seed", "whole number"),
])
def test_the_commands_refuse_numbers_out_of_range(argv, flag, allowed, tmp_path, capsys):
    """#37: --seeds 0 was a KeyError traceback, --raters 100000 wrote 687 MB, --raters 0 was
    accepted. Each is refused before any work, naming the flag and its range."""
    from policytopics.cli import main

    with pytest.raises(SystemExit) as stopped:
        main([*argv, "--cache-dir", str(tmp_path / "cache"), "--no-progress", "-q"])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert f"argument {flag}" in error and allowed in error
    assert not (tmp_path / "cache").exists() and not (tmp_path / "validation").exists()


def test_the_functions_refuse_them_too(items, tmp_path):
    from policytopics.model.choose_k import sweep
    from policytopics.settings.config import ModelConfig

    with pytest.raises(ValueError, match="at least one K and one seed"):
        sweep([["a", "b"]] * 20, [2, 3], [], ModelConfig(), workers=1, progress=False)
    with pytest.raises(ValueError, match=r"raters \(--raters\) must be a whole number from 1 to 100"):
        write_rater_pages(items, tmp_path / "pages", raters=0)
    assert not (tmp_path / "pages").exists()


def test_a_failed_validate_leaves_no_partial_folder(items, tmp_path, monkeypatch):
    from policytopics.store import writing as cache

    real = cache.write_text

    def fail_on_the_second_page(path, text, **kwargs):
        if Path(path).name == "rater_2.html":
            raise OSError(28, "No space left on device")
        return real(path, text, **kwargs)

    monkeypatch.setattr(cache, "write_text", fail_on_the_second_page)
    with pytest.raises(OSError):
        write_rater_pages(items, tmp_path / "new" / "validation", raters=3)
    assert list(tmp_path.iterdir()) == []  # neither the folder nor its parent, nor a staging folder
    # An earlier set of pages, and the answers beside it, stay whole.
    monkeypatch.setattr(cache, "write_text", real)
    earlier = write_rater_pages(items, tmp_path / "validation", raters=3)
    (tmp_path / "validation" / "answers_rater_1.csv").write_text("item,answer\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in (tmp_path / "validation").iterdir()}
    monkeypatch.setattr(cache, "write_text", fail_on_the_second_page)
    with pytest.raises(OSError):
        write_rater_pages(items, tmp_path / "validation", raters=2, seed=5)
    assert {p.name: p.read_bytes() for p in (tmp_path / "validation").iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["validation"]
    # A new set of two pages replaces all three of the earlier key's; the answers stay.
    monkeypatch.setattr(cache, "write_text", real)
    write_rater_pages(items, tmp_path / "validation", raters=2, seed=5)
    assert sorted(p.name for p in (tmp_path / "validation").iterdir()) == [
        "answers_rater_1.csv", "key.json", "rater_1.html", "rater_2.html"]
    assert len(earlier) == 3


def test_answers_that_fit_no_item_are_an_error_naming_the_file(items, tmp_path, capsys):
    from policytopics.cli import main

    out = tmp_path / "validation"
    write_rater_pages(items, out, raters=1)
    key = json.loads((out / "key.json").read_text(encoding="utf-8"))
    binary = tmp_path / "answers_rater_1.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    other = answer_file(tmp_path / "answers_rater_2.csv", [{"item": "x1"}, {"item": "x2"}], lambda item: "a")
    wrong_columns = tmp_path / "answers_rater_3.csv"
    wrong_columns.write_text("题目,答案\nw1,数据\n", encoding="utf-8")
    for path, says in [(binary, "is not a text file"), (other, "none of its 2 answers"),
                       (wrong_columns, "holds the columns 题目,答案")]:
        assert main(["validate", "--out", str(out), "--score", str(path)]) == 2
        error = capsys.readouterr().err
        assert str(path) in error and says in error and "item,answer" in error
    # Answers of which some fit: scored, the others counted as unanswered.
    good = answer_file(tmp_path / "answers_rater_4.csv", key, lambda item: item["intruder"])
    with open(good, "a", encoding="utf-8") as fh:
        fh.write("x9,不是选项\n")
    result = score(key, read_answers([good], key))
    assert result["summary"]["unanswered"].sum() == 0 and (result["summary"]["share_found"] == 1).all()


def planted_units(n_documents=60, passages=3, k=20, seed=0):
    """Units of documents of a few passages; the first passage of each is a ritual opening
    with flat proportions, and topic T20 is the least probable of every unit (as 农业·农村·农民
    was in news)."""
    rng = np.random.default_rng(seed)
    theta = rng.dirichlet(np.full(k, 0.3), size=n_documents * passages)
    theta[::passages] = 1 / k
    theta[:, -1] = theta[:, :-1].min(axis=1) / 2
    theta /= theta.sum(axis=1, keepdims=True)
    documents = [f"d{d}" for d in range(n_documents) for _ in range(passages)]
    numbers = [p for _ in range(n_documents) for p in range(passages)]
    ritual = "各位代表：现在，我代表省人民政府向大会报告工作。"
    texts = [ritual if p == 0 else f"第{d}篇第{p}段。推进改革。" * 30
             for d in range(n_documents) for p in range(passages)]
    topic_word = rng.dirichlet(np.full(80, 0.1), size=k)
    return topic_word, [f"词{i}" for i in range(80)], theta, texts, documents, numbers


def test_topic_intruders_are_spread_over_the_topics_of_low_share():
    """#36 item 4: always the least probable topic made one topic the intruder of 18 of 24
    items. The intruders of a fair draw stay within the binomial bound; the old rule's do not."""
    from policytopics.report.intrusion import intruder_spread, make_items

    topic_word, vocabulary, theta, texts, documents, numbers = planted_units()
    items = make_items(topic_word, vocabulary, theta, texts, unit_documents=documents, unit_passages=numbers,
                       n_documents=40, seed=0)
    spread = intruder_spread(items, 20)
    assert spread["items"] == 40 and spread["fair"], spread
    assert sum(n > 0 for n in spread["counts"].values()) >= 15  # spread, not two or three topics
    for item in items["topic"]:
        row = theta[documents.index(item["document"]) + item["passage"]]
        shown = sorted(row[t - 1] for t in item["topics"] if t != item["intruder_topic"])
        assert row[item["intruder_topic"] - 1] < shown[0]  # of low share in the passage
        assert (np.argsort(-row, kind="stable") + 1).tolist().index(item["intruder_topic"]) >= 10
    # The old rule on the same passages: T20 every time, far above what chance gives.
    old = [{"intruder_topic": int(np.argmin(theta[documents.index(item["document"]) + item["passage"]])) + 1}
           for item in items["topic"]]
    assert not intruder_spread(old, 20)["fair"]
    assert make_items(topic_word, vocabulary, theta, texts, unit_documents=documents, unit_passages=numbers,
                      n_documents=40, seed=0) == items


def test_an_excerpt_is_a_passage_that_carries_the_topics_shown():
    """#36 item 4: every excerpt was a report's opening ritual. An item shows a passage whose
    three topics shown hold at least half of it, and θ is that passage's own."""
    from policytopics.report.intrusion import MIN_SHOWN_SHARE, excerpt, make_items

    topic_word, vocabulary, theta, texts, documents, numbers = planted_units()
    items = make_items(topic_word, vocabulary, theta, texts, unit_documents=documents, unit_passages=numbers,
                       n_documents=30, seed=1)
    for item in items["topic"]:
        unit = documents.index(item["document"]) + item["passage"]
        assert item["passage"] != 0 and "各位代表" not in item["excerpt"]
        assert item["excerpt"] == excerpt(texts[unit]) and texts[unit].startswith(item["excerpt"])
        assert len(item["excerpt"]) <= 300 and item["excerpt"].endswith("。")
        shown = [t for t in item["topics"] if t != item["intruder_topic"]]
        assert theta[unit, [t - 1 for t in shown]].sum() >= MIN_SHOWN_SHARE
        assert item["theta"] == {label: theta[unit, t - 1]
                                 for label, t in zip(item["options"], item["topics"], strict=True)}


def test_a_study_draws_its_items_from_the_model_units(repo, tmp_path):
    from policytopics import Study, load_study

    config = load_study(repo / "study.toml", out=tmp_path / "out", output__cache_dir=tmp_path / "cache",
                        corpus__unit="passage")
    study = Study(config, progress=False)
    items = study.validation_items(n_documents=5, seed=0)
    units = study.passage_topics()
    for item in items["topic"]:
        row = units[(units["doc_id"] == item["document"]) & (units["passage"] == item["passage"])]
        assert len(row) == 1
        for label, t in zip(item["options"], item["topics"]):
            assert item["theta"][label] == pytest.approx(row[f"T{t}"].iloc[0])
    assert len({item["document"] for item in items["topic"]}) == 5
    assert len({item["passage"] for item in items["topic"]}) > 1  # not every report's first passage
