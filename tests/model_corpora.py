"""Corpora with planted themes and checks of the models fitted on them, shared by the tests of
``tests/model/`` and ``tests/model/engines/`` (this folder is on every test's import path, as
``conftest`` is).

Two corpora: the tiny one of ``conftest.TOPIC_TEXTS`` (three clear themes, 18 documents),
and a synthetic one whose documents are mixtures of five known word distributions (three
seeded themes, two free ones) drawn with a fixed numpy seed, so each seeded topic's words
and each document's planted share are known.
"""

from __future__ import annotations

import hashlib

import numpy as np

from policytopics.model.themes import Theme

# The tiny corpus's planted theme of each document (制造业, 数字经济, 绿色低碳).
TINY_PLANTED = np.array([0, 1, 2, 0, 1, 2] * 3)
TINY_THEME_WORDS = [{"制造业", "产业链", "创新", "集群", "技术"},
                    {"数字经济", "数据", "算力", "平台", "应用"},
                    {"绿色低碳", "碳达峰", "能源", "减排", "光伏"}]

# Planted word distributions: three seeded themes, two free topics, and words every topic
# uses. 绿色 (seed) only occurs inside 绿色制造/绿色工厂; 数据, 智能 and 人才 also occur
# inside longer words: the contained-word rule must carry them.
PLANTED = {
    "绿色低碳": ["碳达峰", "碳中和", "低碳", "减排", "节能", "光伏", "风电", "储能", "氢能", "能耗",
             "绿色制造", "绿色工厂", "排放", "清洁能源", "循环经济"],
    "数字化": ["数字化", "数据", "算力", "平台", "工业互联网", "人工智能", "云计算", "大数据", "软件",
            "网络", "智能制造", "数字经济", "传感器", "芯片", "物联网"],
    "人才": ["人才", "工程师", "培训", "技能", "高校", "博士", "院士", "引才", "教育", "学科", "专家",
           "职业教育", "人才引进", "高层次人才", "实习"],
    "free_farm": ["粮食", "耕地", "农民", "种业", "农田", "乡村", "农产品", "养殖", "收购", "灌溉",
                  "化肥", "播种", "合作社", "农机", "丰收"],
    "free_health": ["医院", "医疗", "医保", "药品", "疫苗", "诊疗", "患者", "医生", "卫生", "健康",
                    "护理", "疾控", "病床", "体检", "门诊"],
}
COMMON = ["建设", "服务", "体系", "机制", "能力", "企业", "项目", "政策", "管理", "水平"]
THEMES = [
    Theme("绿色低碳", ("低碳", "节能", "光伏", "绿色")),
    Theme("数字化", ("数据", "算力", "智能")),
    Theme("人才", ("人才", "工程师", "技能")),
]


def planted_corpus(n_docs=400, length=80, seed=0):
    """Token lists and the planted topic shares (columns in PLANTED's order)."""
    rng = np.random.default_rng(seed)
    topics = list(PLANTED.values())
    zipf = 1 / np.arange(1, 16)
    zipf /= zipf.sum()
    shares = rng.dirichlet(np.full(len(topics), 0.3), size=n_docs)
    texts = []
    for share in shares:
        tokens = []
        for _ in range(length):
            if rng.random() < 0.15:
                tokens.append(COMMON[rng.integers(len(COMMON))])
            else:
                words = topics[rng.choice(len(topics), p=share)]
                tokens.append(words[rng.choice(len(words), p=zipf)])
        texts.append(tokens)
    return texts, shares


PLANTED_TEXTS, SHARES = planted_corpus()


def topic_of(model, name):
    """The topic number the theme ``name`` seeded."""
    return {theme: topic for topic, theme in model.theme_names_.items()}[name]


def assert_topics_separate_the_planted_themes(model):
    """Each of the tiny corpus's planted themes has its documents share one top topic, a
    different one per theme, whose top three words are that theme's."""
    top = model.doc_topic_.argmax(axis=1)
    topic_of_theme = [set(top[np.equal(TINY_PLANTED, theme)]) for theme in range(3)]
    assert all(len(topics) == 1 for topics in topic_of_theme), topic_of_theme
    assert len(set.union(*topic_of_theme)) == 3
    words = model.topic_words(3)
    for theme, (topic,) in enumerate(topic_of_theme):
        assert set(words[words["topic"] == topic + 1]["word"]) <= TINY_THEME_WORDS[theme]


def fit_digest(model) -> str:
    """The bytes of a fit: its topic words and document-topic matrix."""
    return hashlib.sha256(model.topic_words().to_csv().encode() + model.doc_topic_.tobytes()).hexdigest()


def assert_planted_themes_held(model):
    """Each planted theme's topic has at least 8 of its words in its top 10, and its share
    follows the theme's planted share across documents."""
    from scipy.stats import spearmanr

    words = model.topic_words(10)
    for column, theme in enumerate(THEMES):
        topic = topic_of(model, theme.name)
        top = words[words["topic"] == topic]["word"]
        assert top.isin(PLANTED[theme.name]).sum() >= 8, (theme.name, top.tolist())
        assert spearmanr(model.doc_topic_[:, topic - 1], SHARES[:, column]).statistic > 0.7
