import jieba

from policytopics.config import SegmentConfig
from policytopics.segment import Segmenter, read_word_list


def test_user_dictionary_terms_survive(repo):
    segmenter = Segmenter(SegmentConfig(user_dictionary=repo / "data/dictionaries/policy_terms.txt",
                                        stopwords=()))
    for term in ("新质生产力", "专精特新", "低空经济", "先进制造业集群"):
        assert term in segmenter.raw_tokens(f"推动{term}发展"), term


def test_every_user_dictionary_entry_survives_on_its_own(repo):
    path = repo / "data/dictionaries/policy_terms.txt"
    segmenter = Segmenter(SegmentConfig(user_dictionary=path, stopwords=()))
    terms = [line.split()[0] for line in read_word_list(path)]
    split = [t for t in terms if segmenter.raw_tokens(t) != [t]]
    assert not split, split


def test_global_jieba_is_not_touched(repo):
    Segmenter(SegmentConfig(user_dictionary=repo / "data/dictionaries/policy_terms.txt"))
    assert "新质生产力" not in jieba.lcut("发展新质生产力")


def test_filters_and_stopwords(tmp_path):
    stop = tmp_path / "stop.txt"
    stop.write_bytes("\ufeff# comment\r\n强调\r\n".encode())
    userdict = tmp_path / "user.txt"
    userdict.write_bytes("\ufeff# header\r\n智改数转网联 10 nz\r\n".encode())
    segmenter = Segmenter(SegmentConfig(user_dictionary=userdict, stopwords=(str(stop),)))
    tokens = segmenter.tokenize("会议强调，2024年推进智改数转网联和AI应用。")
    assert "强调" not in tokens
    assert "智改数转网联" in tokens
    assert "2024" not in tokens and "AI" not in tokens
    assert all(len(t) >= 2 for t in tokens)
