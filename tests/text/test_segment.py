import gzip
import json
import pickle
from itertools import islice

import jieba
import pytest
import rjieba

import policytopics
from policytopics.common import workers as parallel
from policytopics.common.chinese import CJK_RE
from policytopics.settings.config import SegmentConfig, StudyConfigError, load_study, package_data
from policytopics.text.place_words import place_name_words
from policytopics.text.places import extract_region
from policytopics.text.segment import Segmenter, apply_phrases, load_admin_words, read_word_list

BACKENDS = ["rjieba", "jieba"]
_CJK = CJK_RE


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
    report = policytopics.document_report(samples, progress=False)
    texts = list(report.loc[report["status"] == "kept", "text"])
    assert len(texts) == 5
    return texts


@pytest.mark.parametrize("backend", BACKENDS)
def test_user_dictionary_terms_survive(segmenters, backend):
    segmenter = segmenters[backend]
    for term in ("新质生产力", "专精特新", "低空经济", "先进制造业集群"):
        assert term in segmenter.raw_tokens(f"推动{term}发展"), term


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_user_dictionary_entry_survives_on_its_own(segmenters, backend):
    terms = [line.split()[0] for line in read_word_list(package_data("policy_terms.txt"))]
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


@pytest.mark.corpora
def test_backends_give_identical_tokens_on_xwlb(corpora, segmenters):
    # A smoke check on 50 real stories; the study over thousands of stories is a
    # benchmark (benchmarks/bench_segment.py checks the default path against jieba).
    with gzip.open(corpora / "xwlb.jsonl.gz", "rt", encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in islice(fh, 50)]
    fast, reference = segmenters["rjieba"], segmenters["jieba"]
    differing = [i for i, text in enumerate(texts)
                 if fast.tokenize(text) != reference.tokenize(text)]
    assert not differing, f"{len(differing)} stories differ, first {differing[:5]}"
    # Before the filters, only non-Chinese runs may differ (documented in the module).
    for text in texts:
        chinese = [[t for t in seg.raw_tokens(text) if _CJK.search(t)] for seg in (fast, reference)]
        assert chinese[0] == chinese[1]


def test_hyphenated_latin_run_is_the_documented_difference():
    config = dict(user_dictionary=None, stopwords=(), keep_latin=True)
    text = "推广TD-LTE网络"
    assert "TD-LTE" in Segmenter(SegmentConfig(backend="rjieba", **config)).tokenize(text)
    assert "TD" in Segmenter(SegmentConfig(backend="jieba", **config)).tokenize(text)


def test_parallel_tokens_match_in_process_in_order(policy_config, sample_texts):
    # Workers rebuild the segmenter from its settings: the extra words travel with them.
    segmenter = Segmenter(policy_config, extra_words=("算力券",))
    texts = [f"第{i}篇。发放算力券。{text[i % 97:]}" for i in range(40) for text in sample_texts]
    serial = segmenter.tokenize_many(texts, workers=1, progress=False)
    parallel = segmenter.tokenize_many(iter(texts), workers=2, chunk_size=7, progress=False)
    assert parallel == serial
    assert serial == [segmenter.tokenize(t) for t in texts]
    assert all("算力券" in tokens for tokens in parallel)


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


# --- place names and administrative self-reference ----------------------------------------

PROVINCIAL_REPORT = (
    "浙江省人民政府工作报告\n"
    "过去一年，在省委省政府坚强领导下，全省上下推动浙江经济稳中向好，宁波市、杭州对口合作"
    "成效明显，我省省级财政收入增长。\n"
    "全省各地深入实施创新驱动战略，竹山县、海南、广东、西藏、广西壮族自治区和内蒙古自治区"
    "与我省开展协作，维护世界和平，新华社报道，长安街沿线开发区、高新区和城区、新区建设加快。\n"
    "浙江要在共同富裕中先行示范。"
)
PLACES = ("浙江省", "浙江", "宁波市", "宁波", "杭州", "竹山县", "竹山", "海南", "广东", "西藏",
          "广西壮族自治区", "广西", "内蒙古自治区", "内蒙古")
ADMIN = ("省委省政府", "省委", "省政府", "全省上下", "全省", "全省各地", "我省", "省级", "自治区")
ORDINARY = ("和平", "新华", "长安", "创新", "合作", "开发区", "高新区", "城区", "新区")


@pytest.mark.parametrize("backend", BACKENDS)
def test_place_names_and_admin_words_are_dropped(segmenters, backend):
    tokens = segmenters[backend].tokenize(PROVINCIAL_REPORT)
    assert not set(tokens) & set(PLACES), sorted(set(tokens) & set(PLACES))
    assert not set(tokens) & set(ADMIN), sorted(set(tokens) & set(ADMIN))
    # Split into its parts, a full name would leave a part behind: 和平区 → 和平.
    assert not any(t in ("区", "市", "县", "省") for t in tokens)
    for word in ("经济", "财政收入", "对口", "协作", "共同富裕", "长安街"):
        assert word in tokens, word


@pytest.mark.parametrize("backend", BACKENDS)
def test_short_forms_that_are_ordinary_words_stay(segmenters, backend):
    tokens = segmenters[backend].tokenize(PROVINCIAL_REPORT)
    for word in ("和平", "合作", "开发区", "高新区", "城区", "新区"):
        assert word in tokens, word
    segmenter = segmenters[backend]
    for word in ORDINARY + ("河口", "城关", "郊区", "矿区", "开发", "高新", "南海", "金山", "青山"):
        assert segmenter.keep(word), word
    assert segmenter.tokenize("和平区的新华路") == ["新华路"]  # the district goes, whole


def test_admin_word_list_is_documented_and_holds_no_theme_words():
    path = package_data("admin_words.txt")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# admin_words.txt")
    words = load_admin_words(path)
    assert set(ADMIN) <= words
    for word in ("全国", "我国", "国务院", "乡镇", "县域", "市域", "城乡", "基层", "地方", "区域",
                 "地区", "发展", "改革", "民族"):
        assert word not in words, word
    assert not words & place_name_words()  # the list holds no place name


def test_region_extraction_is_unaffected(segmenters):
    title, *body = PROVINCIAL_REPORT.split("\n")
    assert extract_region(title, body).region == "浙江省"
    assert "浙江" not in segmenters["rjieba"].tokenize(PROVINCIAL_REPORT)


@pytest.mark.parametrize("backend", BACKENDS)
def test_drop_place_names_false_keeps_them(backend):
    segmenter = Segmenter(SegmentConfig(backend=backend, drop_place_names=False))
    assert not segmenter.place_words_
    tokens = segmenter.tokenize(PROVINCIAL_REPORT)
    for word in ("浙江", "宁波市", "杭州", "竹山县", "海南", "全省", "我省", "省级", "省委"):
        assert word in tokens, word
    # Off, no place name or admin word is added to the tokenizer's dictionary.
    assert segmenter.raw_tokens("省人大常委会") == ["省", "人大常委会"]


def test_admin_words_file_is_configurable(tmp_path):
    admin = tmp_path / "admin.txt"
    admin.write_text("# mine\n全省\n", encoding="utf-8")
    segmenter = Segmenter(SegmentConfig(admin_words=admin))
    tokens = segmenter.tokenize("全省推进我省省级改革")
    assert "全省" not in tokens and "我省" in tokens and "省级" in tokens
    assert "浙江" not in segmenter.tokenize("浙江推进改革")  # place names still dropped


@pytest.mark.parametrize("backend", BACKENDS)
def test_extra_words_survive_segmentation_and_filters(segmenters, backend):
    config = SegmentConfig(backend=backend)
    text = "推进算力券和链长制改革，发展5G和专精特新小巨人"
    plain = segmenters[backend].tokenize(text)
    assert "算力券" not in plain and "专精特新小巨人" not in plain
    extra = ("算力券", "专精特新小巨人", "5G", "浙江", "强调", " ", "算力券")
    segmenter = Segmenter(config, extra_words=extra)
    tokens = segmenter.tokenize("会议强调，浙江" + text)
    assert {"算力券", "专精特新小巨人", "5G", "浙江"} <= set(tokens)  # Latin, place filters waived
    assert "强调" not in tokens  # a stopword stays a stopword
    assert segmenter.extra_words_ == ("算力券", "专精特新小巨人", "5G", "浙江", "强调")
    with_pos = Segmenter(SegmentConfig(backend=backend, pos_filter=("v",)), extra_words=("算力券",))
    assert "算力券" in with_pos.tokenize(text)


def test_segmenter_pickles_as_its_settings():
    segmenter = Segmenter(SegmentConfig(), extra_words=("算力券",))
    copy = pickle.loads(pickle.dumps(segmenter))
    assert copy.config == segmenter.config and copy.extra_words_ == segmenter.extra_words_
    text = PROVINCIAL_REPORT + "发放算力券"
    assert copy.tokenize(text) == segmenter.tokenize(text)
    assert "算力券" in copy.tokenize(text)
    assert len(pickle.dumps(segmenter)) < 2_000


def test_every_backend_name_has_its_class_and_each_class_has_the_protocol():
    from policytopics.text.segment import BACKENDS as CONFIG_BACKENDS
    from policytopics.text.segment import SEGMENTER_BACKENDS, SegmenterBackend

    assert list(SEGMENTER_BACKENDS) == list(CONFIG_BACKENDS) == BACKENDS
    for name, backend in SEGMENTER_BACKENDS.items():
        instance = backend(hmm=False)
        assert isinstance(instance, SegmenterBackend), name
        instance.add_word("新质生产力", None, None)
        assert "新质生产力" in instance.cut("发展新质生产力"), name


def test_a_missing_word_list_or_unknown_tag_names_its_setting(tmp_path):
    # #37: a bare "[Errno 2] No such file or directory", and pos_filter = ["zz"] shrank the
    # samples' vocabulary from 1,244 words to 35 without a word.
    missing = str(tmp_path / "stop.txt")
    with pytest.raises(StudyConfigError, match=r"^\[segment\] stopwords: file not found: .*stop\.txt"):
        Segmenter(SegmentConfig(stopwords=("stopwordsiso:zh", missing)))
    with pytest.raises(StudyConfigError, match=r"^\[segment\] user_dictionary: file not found"):
        Segmenter(SegmentConfig(user_dictionary=tmp_path / "terms.txt"))
    unknown_tag = r"^\[segment\] pos_filter: unknown part-of-speech tag\(s\) \['zz'\]"
    with pytest.raises(StudyConfigError, match=unknown_tag):
        Segmenter(SegmentConfig(pos_filter=("n", "zz")))


def test_a_dropped_token_is_looked_up_not_filtered_again():
    """Stopwords and punctuation (about half of a news story's tokens) are memoised as
    dropped: met again, they are one lookup, not another call of the filter."""
    segmenter = Segmenter(SegmentConfig(backend="rjieba"))
    text = "我们的工作，我们的发展。"
    first = segmenter.tokenize(text)
    calls = []
    filtered = segmenter._filtered
    segmenter._filtered = lambda token: calls.append(token) or filtered(token)
    assert segmenter.tokenize(text) == first
    assert calls == []
