"""Theme matching by people: one item per seeded topic on the rater pages, its answer in the
key, scored per theme with Krippendorff's α between raters (checked on a case by hand)."""

from __future__ import annotations

import csv
import json

import pytest

from policytopics.report import intrusion
from policytopics.report.theme_matching import NONE_OPTION, QUESTION, alpha, make_items, score

THEMES = '["制造"]\nwords = ["制造业", "产业"]\n["科创"]\nwords = ["科技", "创新"]\n'


@pytest.fixture(scope="module")
def themed_study(repo, tmp_path_factory):
    from policytopics import Study, load_study

    folder = tmp_path_factory.mktemp("themed")
    (folder / "themes.toml").write_text(THEMES, encoding="utf-8")
    config = load_study(repo / "study.toml", out=folder / "out", output__cache_dir=folder / "cache",
                        n_topics=3, model__themes=folder / "themes.toml")
    return Study(config, progress=False)


def answer_file(path, picks):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["item", "answer"])
        writer.writerows(picks.items())
    return path


def test_each_seeded_topic_once_with_its_theme_in_the_key(themed_study, tmp_path):
    items = themed_study.validation_items(n_documents=2, seed=5)
    themes = themed_study.theme_labels()
    assert len(themes) == 2
    assert [item["topic"] for item in items["match"]] == sorted(themes)
    top_words = themed_study.topics().set_index("topic")["top_words"]
    for item in items["match"]:
        assert item["answer"] == themes[item["topic"]]
        assert sorted(item["options"]) == sorted(["制造", "科创", NONE_OPTION])
        assert " ".join(item["words"]) == top_words[item["topic"]]  # as topics.csv shows them
    assert themed_study.validation_items(n_documents=2, seed=5) == items  # fixed by the seed
    intrusion.write_rater_pages(items, tmp_path, raters=2, seed=5)
    key = json.loads((tmp_path / "key.json").read_text(encoding="utf-8"))
    matching = [item for item in key if item["task"] == "match"]
    assert [(item["item"][0], item["answer"]) for item in matching] == [
        ("m", themes[topic]) for topic in sorted(themes)]


def test_options_are_shuffled_per_item_by_its_seed():
    themes = [f"主题{i}" for i in range(8)]
    words = {t: ["词"] for t in range(1, 9)}
    items = make_items(words, {t: themes[t - 1] for t in words}, themes, seed=0)
    orders = {tuple(item["options"]) for item in items}
    assert len(orders) > 1  # not one order for every item
    assert make_items(words, {t: themes[t - 1] for t in words}, themes, seed=1) != items
    assert make_items(words, {t: themes[t - 1] for t in words}, themes, seed=0) == items


def test_a_study_without_themes_has_no_matching_items(sample_study):
    assert sample_study.validation_items(n_documents=1, seed=0)["match"] == []


def test_a_page_shows_the_words_the_question_and_every_option(tmp_path):
    items = {"word": [], "topic": [], "match": make_items(
        {1: ["制造业", "产业", "工业"]}, {1: "制造"}, ["制造", "科创"], seed=2)}
    page = intrusion.write_rater_pages(items, tmp_path, raters=1)[0].read_text(encoding="utf-8")
    visible = page.split("</style>")[1]  # the page without its embedded font
    assert QUESTION in visible and "制造业 产业 工业" in visible
    for option in ["制造", "科创", NONE_OPTION]:
        assert f'name="m1" value="{option}"' in visible
    shown = visible.split("<script>")[0]
    assert '"answer"' not in shown and "checked" not in shown and "T1" not in shown  # no key on the page
    assert "@font-face" in page


def tiny_key():
    """Four themes, one seeded topic each, as the pages number them."""
    themes = ["W", "X", "Y", "Z"]
    items = make_items({t: ["词"] for t in range(1, 5)}, dict(enumerate(themes, start=1)), themes)
    return [dict(item, item=f"m{i}") for i, item in enumerate(items, start=1)]


def test_two_raters_score_per_theme_and_alpha_as_by_hand(tmp_path):
    key = tiny_key()
    perfect = {"m1": "W", "m2": "X", "m3": "Y", "m4": "Z"}
    other = {"m1": "W", "m2": NONE_OPTION, "m3": "Y", "m4": "Y"}
    answers = intrusion.read_answers([answer_file(tmp_path / "answers_rater_1.csv", perfect),
                                      answer_file(tmp_path / "answers_rater_2.csv", other)], key)
    result = score(key, answers)
    shares = dict(zip(result["matching"]["theme"], result["matching"]["share"]))
    assert shares == {"W": 1.0, "X": 0.5, "Y": 1.0, "Z": 0.5}
    summary = result["matching_summary"].iloc[0]
    assert (summary["ratings"], summary["matched"], summary["share"]) == (8, 6, 0.75)
    # By hand (Krippendorff 2011, nominal): 8 pairable values, n_W 2, n_X 1, n_none 1, n_Y 3,
    # n_Z 1; the disagreeing pairs X-none and Z-Y, each both ways: sum of o_ck (c != k) = 4;
    # sum of n_c n_k (c != k) = 8² − (4 + 1 + 1 + 9 + 1) = 48; α = 1 − (8 − 1) · 4 / 48 = 5/12.
    assert summary["alpha"] == pytest.approx(5 / 12)
    assert alpha(key, {"a": perfect, "b": perfect}) == pytest.approx(1.0)
    assert alpha(key, {"a": perfect}) != alpha(key, {"a": perfect})  # NaN with one rater


def test_intrusion_scores_leave_the_matching_items_out(tmp_path):
    key = [{"task": "word", "item": "w1", "topic": 1, "options": list("abcdef"), "intruder": "f"},
           *tiny_key()]
    picks = {"w1": "f", "m1": "W", "m2": "X", "m3": "Y", "m4": "Z"}
    answers = intrusion.read_answers([answer_file(tmp_path / "answers_rater_1.csv", picks)], key)
    result = intrusion.score(key, answers)
    assert result["summary"]["task"].tolist() == ["word"]
    assert result["summary"]["share_found"].tolist() == [1.0]


@pytest.mark.parametrize(("picks", "message"), [
    ({"m1": "W", "m2": "X", "m3": "Y"}, "no answer to the theme-matching item m4"),
    ({"m1": "W", "m2": "X", "m3": "Y", "m4": "Q"}, "the answer 'Q' to the theme-matching item m4 is none "
                                                     "of its options"),
])
def test_a_missing_item_or_an_unknown_option_is_a_clear_error(tmp_path, picks, message):
    key = tiny_key()
    path = answer_file(tmp_path / "answers_rater_1.csv", picks)
    with pytest.raises(ValueError, match=message) as error:
        intrusion.read_answers([path], key)
    assert str(path) in str(error.value)
    with pytest.raises(ValueError, match=message.split(" is ")[0]):
        score(key, {"rater": picks})


def test_the_command_says_when_there_is_nothing_to_match(repo, tmp_path, capsys):
    from policytopics.cli import main

    out = tmp_path / "validation"
    assert main(["validate", "--study", str(repo / "study.toml"), "--out", str(out), "--documents", "1",
                 "--topics", "3", "--cache-dir", str(tmp_path / "cache"), "--no-progress", "-q"]) == 0
    assert "no theme-matching items: the study has no themes" in capsys.readouterr().out


def test_the_command_writes_and_scores_the_matching_task(repo, tmp_path, capsys):
    from policytopics.cli import main

    out, themes = tmp_path / "validation", tmp_path / "themes.toml"
    themes.write_text(THEMES, encoding="utf-8")
    assert main(["validate", "--study", str(repo / "study.toml"), "--out", str(out), "--documents", "1",
                 "--topics", "3", "--themes", str(themes), "--cache-dir", str(tmp_path / "cache"),
                 "--no-progress", "-q"]) == 0
    assert "2 theme-matching items (one per seeded topic)" in capsys.readouterr().out
    key = json.loads((out / "key.json").read_text(encoding="utf-8"))
    right = {item["item"]: item.get("intruder", item.get("answer")) for item in key}
    none = dict(right, **{item["item"]: NONE_OPTION for item in key if item["task"] == "match"})
    files = [answer_file(tmp_path / "answers_rater_1.csv", right),
             answer_file(tmp_path / "answers_rater_2.csv", none)]
    assert main(["validate", "--out", str(out), "--score", *map(str, files)]) == 0
    printed = capsys.readouterr().out
    per_theme = printed.split("matching:")[1].split("matching_summary:")[0]
    assert "制造" in per_theme and "科创" in per_theme and " 0.5 " in per_theme  # one of two raters each
    summary = printed.split("matching_summary:")[1]
    assert " 0.5 " in summary  # 2 of 4 ratings overall
