import pandas as pd
import pytest

from policytopics import Study, load_study
from policytopics.settings.config import StudyConfigError


def test_topics_table_and_human_labels(sample_study, tmp_path):
    topics = sample_study.topics()
    assert topics["topic"].tolist() == list(range(1, sample_study.config.model.n_topics + 1))
    assert topics["prevalence"].is_monotonic_decreasing
    assert not topics["representative_documents"].str.contains("nan").any()
    # Each with its region and date where known: reports that share a title are told apart.
    kept = sample_study.kept_documents().dropna(subset=["region", "date"])
    assert any(f"({region}, {date})" in " | ".join(topics["representative_documents"])
               for region, date in zip(kept["region"], kept["date"]))
    labels = tmp_path / "labels.csv"
    labels.write_text("topic,label\n1,产业链创新\n", encoding="utf-8")
    config = load_study(sample_study.config.root / "study.toml", out=sample_study.config.output.tables_dir,
                        output__cache_dir=sample_study.config.output.cache_dir, model__labels=labels)
    study = Study(config, progress=False)
    assert study.topic_labels()[1] == "T1 产业链创新"
    assert study.topic_labels()[2].startswith("T2 ")
    assert study.cache_hits.get("model") is True  # labels do not refit the model


def test_labels_follow_their_topics_by_top_words(sample_study, tmp_path):
    template = pd.read_csv(sample_study.config.output.tables_dir / "labels_template.csv",
                           encoding="utf-8-sig")
    assert list(template.columns) == ["topic", "label", "top_words"]
    template["label"] = [f"主题{t}" for t in template["topic"]]
    # As if written for another run: rows shuffled, topic numbers no longer meaningful.
    moved = template.sample(frac=1, random_state=1).assign(topic=99)
    labels = tmp_path / "labels.csv"
    moved.to_csv(labels, index=False, encoding="utf-8-sig")
    config = load_study(sample_study.config.root / "study.toml", out=tmp_path,
                        output__cache_dir=sample_study.config.output.cache_dir, model__labels=labels)
    study = Study(config, progress=False)
    assert study.human_labels() == {t: f"主题{t}" for t in template["topic"]}


def test_topic_words_in_three_rankings_and_labels_by_the_chosen_one(sample_study, tmp_path):
    """topic_words.csv ranks every topic's words by probability, FREX and relevance;
    topics.csv shows all three; labels take their words from [model] label_words."""
    out = sample_study.config.output.tables_dir
    words = pd.read_csv(out / "topic_words.csv", encoding="utf-8-sig")
    k, n = sample_study.config.model.n_topics, sample_study.config.model.top_n_words
    assert words.groupby("ranking").size().to_dict() == {"frex": k * n, "probability": k * n,
                                                        "relevance": k * n}
    model = sample_study.model()
    for ranking in ("probability", "frex", "relevance"):
        mine = words[words["ranking"] == ranking].sort_values(["topic", "rank"])
        assert mine["word"].tolist() == model.ranked_words(n, ranking)["word"].tolist()
    by = {ranking: frame["word"].tolist() for ranking, frame in words.groupby("ranking")}
    assert by["frex"] != by["probability"]
    topics = pd.read_csv(out / "topics.csv", encoding="utf-8-sig")
    assert {"top_words", "top_words_frex", "top_words_relevance"} <= set(topics.columns)
    by_relevance = model.ranked_words(3, "relevance")
    assert sample_study.topic_labels()[1] == "T1 " + "·".join(by_relevance.query("topic == 1")["word"])
    config = load_study(sample_study.config.root / "study.toml", out=tmp_path,
                        output__cache_dir=sample_study.config.output.cache_dir,
                        model__label_words="probability")
    study = Study(config, progress=False)
    assert study.topic_labels()[1] == "T1 " + "·".join(model.topic_words(3).query("topic == 1")["word"])
    assert study.cache_hits.get("model") is True  # label words do not refit
    with pytest.raises(StudyConfigError, match="label_words"):
        load_study(sample_study.config.root / "study.toml", model__label_words="tfidf")


def test_a_gbk_labels_file_is_read_and_labels_for_no_topic_are_named(tmp_path, caplog):
    """#31: a labels CSV saved in GBK is read; labels whose topic this run lacks (or whose
    top words match no topic) are a warning naming the file and the labels."""
    from policytopics.model.labels import read_human_labels

    topic_words = pd.DataFrame({"topic": [1, 1, 2, 2], "word": ["制造业", "集群", "数据", "算力"],
                                "rank": [1, 2, 1, 2]})
    labels = tmp_path / "labels.csv"
    labels.write_bytes("topic,label\n1,产业链创新\n2,数字经济\n12,绿色低碳\n,无编号\n".encode("gbk"))
    with caplog.at_level("WARNING", logger="policytopics"):
        assert read_human_labels(labels, topic_words, 2) == {1: "产业链创新", 2: "数字经济"}
    assert (f"{labels}: labels for no topic of this run (2 topics): 绿色低碳 (topic 12), 无编号 (topic ?)"
            in caplog.text)
    labels.write_bytes("topic,label,top_words\n1,产业链创新,制造业 集群\n5,碳达峰,能源 减排\n".encode("gbk"))
    caplog.clear()
    with caplog.at_level("WARNING", logger="policytopics"):
        assert read_human_labels(labels, topic_words, 2) == {1: "产业链创新"}
    assert (f"{labels}: labels with no matching topic in this run (top words changed too much): 碳达峰"
            in caplog.text)
    labels.write_bytes(b"\x00\x01\x02" * 50)
    with pytest.raises(ValueError, match=str(labels)):
        read_human_labels(labels, topic_words, 2)


def test_a_comma_in_a_label_without_quotes_is_an_error_naming_the_line(tmp_path):
    """#37: an unquoted comma in the first row made pandas read the first column as an
    index, every value one column to the left: every label of the file silently dropped."""
    from policytopics.model.labels import read_human_labels

    topic_words = pd.DataFrame({"topic": [1, 1, 2, 2], "word": ["制造业", "集群", "数据", "算力"],
                                "rank": [1, 2, 1, 2]})
    labels = tmp_path / "labels.csv"
    labels.write_text("topic,label,top_words\n1,产业链,创新,制造业 集群\n2,数字经济,数据 算力\n",
                      encoding="utf-8")
    with pytest.raises(ValueError) as raised:
        read_human_labels(labels, topic_words, 2)
    assert str(raised.value).startswith(f"{labels}, line 2: 4 fields, the header has 3: put a cell "
                                        "that holds a comma in double quotes")
    labels.write_text('topic,label,top_words\n1,"产业链,创新",制造业 集群\n2,数字经济,数据 算力\n',
                      encoding="utf-8")
    assert read_human_labels(labels, topic_words, 2) == {1: "产业链,创新", 2: "数字经济"}


def test_one_name_one_topic_and_a_theme_that_did_not_hold_is_marked(caplog):
    """A filled labels file carried to a new K can name a theme's topic again: the second
    topic keeps its words and a warning names both; an unheld theme's name carries a mark."""
    import logging

    from policytopics.model.labels import NOT_HELD_MARK, topic_labels

    words = pd.DataFrame({"topic": [1, 2, 3, 4], "rank": [1] * 4, "word": ["贷款", "融资", "数据", "平台"]})
    with caplog.at_level(logging.WARNING, logger="policytopics"):
        labels = topic_labels(words, themes={1: "金融支持", 3: "数字化"},
                              human={2: "金融支持", 4: "平台经济", 1: "别的名字"},
                              held={1: True, 3: False}, n_words=1)
    assert labels == {1: "T1 金融支持", 2: "T2 融资", 3: "T3 数字化" + NOT_HELD_MARK, 4: "T4 平台经济"}
    assert "the label '金融支持' is already topic T1's; topic T2 keeps its words" in caplog.text
    assert len(set(labels.values())) == len(labels)


def test_a_labels_warning_is_printed_once_a_run(sample_study, tmp_path, caplog):
    # #37: the same warning four times (the labels were read for the terminal, the tables,
    # the figures and the explorer).
    labels = tmp_path / "labels.csv"
    labels.write_text("topic,label\n1,产业链创新\n99,绿色低碳\n", encoding="utf-8")
    config = load_study(sample_study.config.root / "study.toml", out=tmp_path / "out",
                        output__cache_dir=sample_study.config.output.cache_dir, model__labels=labels)
    study = Study(config, progress=False)
    with caplog.at_level("WARNING", logger="policytopics"):
        for _ in range(3):
            assert study.topic_labels()[1] == "T1 产业链创新"
        study.labels_template()
        study.doc_topics()
    assert caplog.text.count("labels for no topic of this run") == 1
    labels.write_text("topic,label\n1,数字经济\n", encoding="utf-8")  # edited: read again
    assert study.topic_labels()[1] == "T1 数字经济"


@pytest.fixture(scope="module")
def themed(tmp_path_factory):
    from themed_study import themed_study

    return themed_study(tmp_path_factory.mktemp("themed"))


def test_a_seeded_topic_s_top_words_are_split_into_seed_words_and_learned_words(themed, sample_study):
    from policytopics.model.labels import seed_words_by_topic

    topics = themed.topics().set_index("topic")
    seeds = seed_words_by_topic(themed.theme_seeds())
    assert sorted(seeds) == sorted(themed.theme_labels())
    for topic, row in topics.iterrows():
        top = row["top_words"].split()
        seed, learned = row["seed_words_top"].split(), row["learned_words_top"].split()
        if topic not in seeds:  # a free topic: nothing seeded, nothing told apart
            assert seed == learned == []
            continue
        # Every top word once, in rank order, on the side it belongs to.
        assert seed == [w for w in top if w in seeds[topic]]
        assert learned == [w for w in top if w not in seeds[topic]]
        assert seed and learned, (topic, top)  # the planted themes have both
    assert "seed_words_top" not in sample_study.topics().columns  # no themes, no columns
