"""Near duplicates: MinHash signatures of a text's shingles, the first of a group kept."""

from policytopics.settings.config import CleanConfig
from policytopics.text.clean import clean_text
from policytopics.text.duplicates import find_near_duplicates

ARTICLE = (
    "4月24日,全市制造业高质量发展推进会召开。会议指出,要坚持把发展经济的着力点放在实体经济上,"
    "加快建设现代化产业体系,推动传统产业转型升级,培育壮大战略性新兴产业。\n"
    "会议强调,各级各部门要聚焦重点产业链,强化企业主体地位,完善科技创新体系,"
    "以新质生产力赋能制造业发展,确保全年目标任务圆满完成。\n"
    "会议还对下一阶段重点工作作了部署,要求压实责任、狠抓落实,营造良好营商环境。"
)


def test_reposted_article_with_other_furniture_is_a_near_duplicate():
    original = ("当前位置:首页 > 新闻中心\n" + ARTICLE
                + "\n上一篇:关于开展安全检查的通知\n网址:www.example.com")
    repost = ("来源: 发布时间:2023-04-25 浏览次数:88\n" + ARTICLE.replace("4月24日,", "")
              + "\n相关阅读\n某地召开座谈会\n版权所有:某某网")
    other = "国务院常务会议研究部署农业生产和粮食安全工作,要求稳定粮食播种面积,提高单产水平。" * 3
    config = CleanConfig(spam_phrases=None)
    texts = [clean_text(t, config).text for t in (original, other, repost, original)]
    found = find_near_duplicates(["a", "b", "c", "d"], texts)
    assert found == {"c": "a", "d": "a"}


def test_near_duplicates_are_deterministic_and_keep_the_first():
    texts = [ARTICLE + "\n附件:名单", ARTICLE, "完全不同的一篇文章,讲述农业与粮食安全。" * 5]
    first = find_near_duplicates(["x", "y", "z"], texts, seed=1)
    assert first == find_near_duplicates(["x", "y", "z"], texts, seed=1) == {"y": "x"}
    assert find_near_duplicates(["y", "x"], texts[1::-1]) == {"x": "y"}


def test_signatures_equal_datasketch_update_batch():
    """The vectorised signature is datasketch's own arithmetic, value for value."""
    import numpy as np
    from datasketch import MinHash

    from policytopics.text.duplicates import _minhash_template, _shingle_hashes, minhash_signature

    template = _minhash_template(128, 1)
    long_text = ARTICLE * 30  # more shingles than one block of the vectorised minimum
    for text in (ARTICLE, long_text, "短讯短讯短讯"):
        reference = MinHash(num_perm=128, seed=1, hashfunc=int, scheme=template.scheme,
                            permutations=template.permutations)
        reference.update_batch(_shingle_hashes(text).tolist())
        values = minhash_signature(text)
        assert values.dtype == reference.hashvalues.dtype
        assert np.array_equal(values, reference.hashvalues)
    assert minhash_signature("。，") is None


def test_distinct_articles_on_the_same_theme_are_not_duplicates():
    second = ARTICLE.replace("制造业高质量发展推进会", "数字经济发展大会").replace(
        "推动传统产业转型升级,培育壮大战略性新兴产业", "加快数字基础设施建设,推动数据要素市场化配置").replace(
        "以新质生产力赋能制造业发展", "以数字化转型赋能千行百业")
    assert find_near_duplicates(["a", "b"], [ARTICLE, second], threshold=0.8) == {}


def test_duplicates_are_found_as_the_documents_arrive_with_the_answers_of_the_whole_pass():
    """The documents stage asks about each kept document as it comes (DuplicateFinder): the
    same (first, reason) as find_duplicates over all of them at once, an exact repeat of a
    near-duplicate included."""
    from policytopics.text.duplicates import DuplicateFinder, find_duplicates, minhash_signature

    base = ARTICLE
    texts = {0: base, 1: "另一篇完全不同的文章内容，讲的是农业和粮食生产。" * 4, 2: base + "相关阅读",
             3: base + "相关阅读", 4: base, 6: "另一篇完全不同的文章内容，讲的是农业和粮食生产。" * 4}
    signatures = {p: minhash_signature(t) for p, t in texts.items()}
    whole = find_duplicates(texts, signatures, 0.8)
    finder = DuplicateFinder(0.8)
    streamed = {p: found for p, text in texts.items() if (found := finder.add(p, text, signatures[p]))}
    assert streamed == whole
    assert whole[4] == (0, "same cleaned text") and whole[3] == (2, "same cleaned text")
    assert whole[2][0] == 0 and whole[2][1].startswith("near-duplicate") and whole[6][0] == 1


def _datasketch_answers(signatures, threshold=0.8):
    """What datasketch's own MinHashLSH (as the index used it before) answers for each signature."""
    from datasketch import LeanMinHash, MinHashLSH

    from policytopics.text.duplicates import _minhash_template

    lsh = MinHashLSH(threshold=threshold, num_perm=128, weights=(0.05, 0.95))
    scheme, kept, answers = _minhash_template(128, 1).scheme, {}, []
    for key, values in enumerate(signatures):
        signature = LeanMinHash(seed=1, hashvalues=values, scheme=scheme)
        matches = [m for m in lsh.query(signature) if kept[m].jaccard(signature) >= threshold]
        answers.append(min(matches) if matches else None)
        if not matches:
            lsh.insert(key, signature)
            kept[key] = signature
    return answers


def _variants(n_bases=40, per_base=12):
    """Signatures in families: each a base with a few to many values changed, so that some
    pairs share bands, some of those pass the threshold and some do not."""
    import numpy as np

    rng = np.random.default_rng(7)
    bases = rng.integers(0, 2**32, size=(n_bases, 128), dtype=np.uint64).astype(np.uint32)
    signatures = []
    for _ in range(n_bases * per_base):
        values = bases[rng.integers(n_bases)].copy()
        changed = rng.choice(128, size=int(rng.integers(0, 60)), replace=False)
        values[changed] = rng.integers(0, 2**32, size=len(changed), dtype=np.uint64).astype(np.uint32)
        signatures.append(values)
    return signatures


def test_near_duplicate_index_answers_as_datasketch_lsh():
    """The compact index proposes and confirms exactly what datasketch's MinHashLSH did: the
    same earliest kept document for every signature, near the threshold included."""
    from policytopics.text.duplicates import NearDuplicateIndex

    signatures = _variants()
    expected = _datasketch_answers(signatures)
    index = NearDuplicateIndex(0.8)
    assert [index.add(key, values) for key, values in enumerate(signatures)] == expected
    assert sum(a is not None for a in expected) > 50 and sum(a is None for a in expected) > 40


def test_near_duplicate_index_is_small():
    """A kept document costs the index under 2 kB, not the 6 kB of a MinHashLSH entry (a lean
    MinHash, sixteen band keys, sixteen sets): over 400 MB on the 74,542 xwlb stories."""
    import tracemalloc

    import numpy as np

    from policytopics.text.duplicates import NearDuplicateIndex

    rng = np.random.default_rng(3)
    signatures = rng.integers(0, 2**32, size=(4000, 128), dtype=np.uint64).astype(np.uint32)
    index = NearDuplicateIndex(0.8)
    tracemalloc.start()
    for key, values in enumerate(signatures):
        assert index.add(key, values) is None
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert held / len(signatures) < 2_500
