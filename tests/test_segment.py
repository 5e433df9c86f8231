import gzip
import json
import re
from itertools import islice

import jieba
import pytest
import rjieba

import policytopics
from policytopics import parallel
from policytopics.config import SegmentConfig, StudyConfigError, load_study
from policytopics.segment import Segmenter, apply_phrases, read_word_list

BACKENDS = ["rjieba", "jieba"]
_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def policy_config(repo):
    return load_study(repo / "study.toml").segment


@pytest.fixture(scope="module")
def segmenters(policy_config):
    """The study's segmentation settings with each backend (built once: jieba is slow)."""
    return {name: Segmenter(SegmentConfig(**{**vars(policy_config), "backend": name}))
            for name in BACKENDS}


@pytest.fixture(scope="module")
def sample_texts(samples):
    report = policytopics.ingest(samples, progress=False)
    texts = list(report.loc[report["status"] == "kept", "text"])
    assert len(texts) == 5
    return texts


@pytest.mark.parametrize("backend", BACKENDS)
def test_user_dictionary_terms_survive(segmenters, backend):
    segmenter = segmenters[backend]
    for term in ("新质生产力", "专精特新", "低空经济", "先进制造业集群"):
        assert term in segmenter.raw_tokens(f"推动{term}发展"), term


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_user_dictionary_entry_survives_on_its_own(repo, segmenters, backend):
    terms = [line.split()[0] for line in read_word_list(repo / "data/dictionaries/policy_terms.txt")]
    segmenter = segmenters[backend]
    split = [t for t in terms if segmenter.raw_tokens(t) != [t]]
    assert not split, split
    in_sentence = [t for t in terms if t not in segmenter.raw_tokens(f"加快{t}建设。")]
    assert not in_sentence, in_sentence


def test_global_tokenizers_are_not_touched(segmenters):
    assert "新质生产力" not in jieba.lcut("发展新质生产力")
    assert "新质生产力" not in rjieba.cut("发展新质生产力")


@pytest.mark.parametrize("backend", BACKENDS)
def test_filters_and_stopwords(tmp_path, backend):
    stop = tmp_path / "stop.txt"
    stop.write_bytes("\ufeff# comment\r\n强调\r\n".encode())
    userdict = tmp_path / "user.txt"
    userdict.write_bytes("\ufeff# header\r\n智改数转网联 10 nz\r\n".encode())
    segmenter = Segmenter(SegmentConfig(backend=backend, user_dictionary=userdict,
                                        stopwords=(str(stop),)))
    assert segmenter.user_terms_ == ["智改数转网联"]
    tokens = segmenter.tokenize("会议强调，2024年推进智改数转网联和AI应用。")
    assert "强调" not in tokens
    assert "智改数转网联" in tokens
    assert "2024" not in tokens and "AI" not in tokens
    assert all(len(t) >= 2 for t in tokens)


def test_backends_give_identical_tokens_on_samples(segmenters, sample_texts):
    for text in sample_texts:
        assert segmenters["rjieba"].tokenize(text) == segmenters["jieba"].tokenize(text)


def test_backends_give_identical_tokens_on_xwlb(corpora, segmenters):
    with gzip.open(corpora / "xwlb.jsonl.gz", "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in islice(fh, 2000)]
    fast, reference = segmenters["rjieba"], segmenters["jieba"]
    differing = [i for i, text in enumerate(texts)
                 if fast.tokenize(text) != reference.tokenize(text)]
    assert not differing, f"{len(differing)} stories differ, first {differing[:5]}"
    # Before the filters, only non-Chinese runs may differ (documented in the module).
    for text in texts[:500]:
        chinese = [[t for t in seg.raw_tokens(text) if _CJK.search(t)] for seg in (fast, reference)]
        assert chinese[0] == chinese[1]


def test_hyphenated_latin_run_is_the_documented_difference():
    config = dict(user_dictionary=None, stopwords=(), keep_latin=True)
    text = "推广TD-LTE网络"
    assert "TD-LTE" in Segmenter(SegmentConfig(backend="rjieba", **config)).tokenize(text)
    assert "TD" in Segmenter(SegmentConfig(backend="jieba", **config)).tokenize(text)


def test_parallel_tokens_match_in_process_in_order(policy_config, sample_texts):
    segmenter = Segmenter(policy_config)
    texts = [f"第{i}篇。{text[i % 97:]}" for i in range(40) for text in sample_texts]
    serial = segmenter.tokenize_many(texts, workers=1, progress=False)
    parallel = segmenter.tokenize_many(iter(texts), workers=2, chunk_size=7, progress=False)
    assert parallel == serial
    assert serial == [segmenter.tokenize(t) for t in texts]


def test_auto_workers_stay_in_process_for_small_inputs(policy_config, sample_texts, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("a worker pool was started for a small input")

    monkeypatch.setattr(parallel, "map_chunks", no_pool)
    segmenter = Segmenter(policy_config)
    tokens = segmenter.tokenize_many((t for t in sample_texts), progress=False)  # workers=0
    assert tokens == [segmenter.tokenize(t) for t in sample_texts]


@pytest.mark.parametrize("backend", BACKENDS)
def test_pos_filter_keeps_allowed_tags_and_user_terms(repo, segmenters, backend):
    base = segmenters[backend].config
    segmenter = Segmenter(SegmentConfig(**{**vars(base), "pos_filter": ("n", "vn")}))
    text = "我们要加快发展新质生产力，推动专精特新企业高质量发展。"
    tags = dict(segmenter.tagged_tokens(text))
    tokens = segmenter.tokenize(text)
    assert "新质生产力" in tokens and "专精特新" in tokens
    assert all(tags[t] in ("n", "vn") or t in segmenter.user_terms_ for t in tokens)
    assert "加快" not in tokens  # a verb (v), not in the filter


def test_apply_phrases_joins_frequent_bigrams():
    docs = [[f"地区{i}", "数字", "经济", f"项目{i}"] for i in range(30)]
    docs += [["数字", "政府"], ["经济", "增长"]]
    joined = apply_phrases(docs, min_count=2, threshold=1.0)
    assert joined[0] == ["地区0", "数字_经济", "项目0"]
    assert joined[-1] == ["经济", "增长"]
    assert len(joined) == len(docs)
    assert apply_phrases([[], []]) == [[], []]


def test_segment_settings_are_checked(repo):
    with pytest.raises(StudyConfigError, match="backend"):
        load_study(repo / "study.toml", segment__backend="thulac")
    config = load_study(repo / "study.toml", segment__pos_filter=["n", "v"]).segment
    assert config.pos_filter == ("n", "v")
    hash(config)


def test_dask_local_cluster_gives_the_same_tokens(policy_config, sample_texts):
    pytest.importorskip("dask.distributed", reason="the dask extra is part of the dev install")
    segmenter = Segmenter(policy_config)
    texts = [f"第{i}篇。{text[i % 53:]}" for i in range(6) for text in sample_texts]
    on_dask = segmenter.tokenize_many(texts, workers=2, chunk_size=4, scheduler="local", progress=False)
    assert on_dask == [segmenter.tokenize(t) for t in texts]


def test_scheduler_without_dask_is_a_clear_error(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name.startswith("dask"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(ImportError, match=r"policytopics\[dask\]"):
        list(parallel.map_chunks(len, [[1], [2]], scheduler="tcp://127.0.0.1:1"))
