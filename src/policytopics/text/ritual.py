"""The set pieces of a Government Work Report, cut before the model sees the text.

Every Government Work Report has the same shape: the address to the congress, the review of
the past year, the problems paragraph, the tasks, the government's own building and the
closing call. Three of these pieces are ritual, written in the same words every year by every
province, and say nothing about policy:

``thanks``
    The thanks at the end of the review: ``在此，我代表省人民政府，向……驻X人民解放军、武警官兵，
    向……港澳台同胞、海外侨胞和国际友人，表示崇高的敬意和衷心的感谢！`` The sentence that gives
    the thanks (致以 / 表示 … 敬意 / 感谢 / 谢意 / 问候, or 致敬) is cut, and with it the sentences
    right before it in its paragraph that credit the year's results (``成绩来之不易``, ``这是……
    的结果``, ``得益于``, a bare ``各位代表！``). The rest of the paragraph stays: a thanks
    that closes a paragraph on the pandemic or on the reconstruction after an earthquake leaves
    that paragraph's account in place.
``problems``
    The problems paragraph after the review: a paragraph that opens (after an optional
    ``各位代表``) with ``我们也清醒地看到 / 深刻认识到``, ``在肯定成绩的同时`` … and names
    problems (问题, 困难, 不足, 短板, 差距, 挑战, 矛盾) is cut whole. It lists, every year, the
    same themes the tasks take up at length, in the section's own set phrases (不够, 依然, 有待,
    亟待, 不强, 不高); modelled, it makes a topic of its own (困难·压力·挑战) that says only
    "this is the problems paragraph". A paragraph that opens otherwise is kept, so the
    section's few intros that end in a colon keep the list that follows them.
``closing``
    The closing call: from a sentence that opens (after an optional ``各位代表``) with
    ``让我们`` (``让我们更加紧密地团结在……周围，高举……伟大旗帜，……而努力奋斗！``) to the end of
    its paragraph, with the up to three sentences before it back to an address to the
    congress (``各位代表！新征程催人奋进。让我们……``). ``让我们`` inside a sentence, or
    ``让我们的`` (``让我们的城市更美``), is no call.

The guiding-thought paragraph of the tasks (``高举……旗帜，以……为指导``) is not ritual in this
sense: it names each era's political line and stays.

The rules read one paragraph (one line of the cleaned text) at a time and never reach
across paragraphs. :func:`cut_report_ritual` returns the paragraph left and one count per
cut (a paragraph, or a run of sentences) under ``report_<part>``; the cleaning report
(``documents.csv``) has a ``removed_report_<part>`` column for each.

Measured on the 701 provincial reports of 2003–2025 (``gwr_provincial.jsonl.gz``, 2026-12-06):
the thanks is cut from 698 of them (722 cuts), the problems paragraph from 609 (619), the
closing call from 624 (633); together 3.6 % of the cleaned text's Chinese characters
(390,827 of 10.9 million). The reports without a problems paragraph so found name their
problems in other words (``还存在一些问题``, ``当前，……爬坡过坎……``) and keep them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import get_args

from policytopics.settings.config import RitualPart

#: The parts a study may cut (``[clean] report_ritual``), in the order they are cut.
RITUAL_PARTS: tuple[str, ...] = get_args(RitualPart)

#: A sentence: a run up to end punctuation and the closing quotes or brackets after it.
_SENTENCE = re.compile(r".*?(?:[。！？!?]+[”’」』）)\]】》〉\"']*|$)", re.S)
#: The address to the congress at the head of a paragraph or sentence.
_ADDRESS = re.compile(r"^\s*各位代表[！!，,：:、]?\s*")
# Cleaned text is NFKC: its commas, colons and exclamation marks are ASCII (, : !).
_THANKS = re.compile(r"(致以|表示|致)[^。！？，；、!?,;]{0,10}(敬意|感谢|谢意|问候)|致敬[！!。]")
#: Sentences before the thanks that credit the year's results to the leadership and the people.
_CREDIT = re.compile(r"是[^。！？!?]{0,40}的结果|来之不易|得益于|归功于|离不开|的取得"
                     r"|^\s*各位代表[！!，,。]?\s*$")
_PROBLEMS_OPENING = re.compile(r"(清醒|深刻|清楚)地?(看到|认识到)"
                               r"|在(充分)?(肯定|看到|总结)[^，,。]{0,6}(成绩|成就)的同时")
_PROBLEMS = re.compile(r"问题|困难|不足|短板|差距|挑战|矛盾")
#: What the first sentence of a problems paragraph names after its opening: a trouble that
#: remains (还存在不少困难和问题, 结构性矛盾比较突出, 经济下行压力较大, 发展不平衡不充分)...
_TROUBLE = re.compile(r"问题|困难|不足|短板|差距|挑战|矛盾|压力|不够|不强|滞后|不平衡|不协调|不确定"
                      r"|下行|脆弱|薄弱|欠发达|隐患|风险")
#: ...not a lesson drawn (深刻认识到，必须坚持……着力解决……问题 is a policy line).
_LESSON = re.compile(r"必须|一定要|只有|才能|始终")
_CALL = re.compile(r"^让我们(?![的这])")  # 让我们的城市更美 is a wish, not the call
#: How many sentences before the call, back to an address, go with it.
_CALL_PREAMBLE = 3
#: The closing call stands in the last part of a report: a call earlier (a section's own
#: 让我们……) is content, and so is one in a report stored without line breaks.
CLOSING_TAIL_SHARE = 0.15
#: The most characters one closing cut may remove (the call runs 100-400); more is content.
CLOSING_MAX_CHARS = 800


def _sentences(paragraph: str) -> list[str]:
    """Consecutive sentences of ``paragraph``: ``"".join(result) == paragraph``."""
    return [m.group(0) for m in _SENTENCE.finditer(paragraph) if m.group(0)]


def is_problems_paragraph(paragraph: str) -> bool:
    """True if ``paragraph`` is the problems paragraph of a report's review.

    >>> is_problems_paragraph("我们也清醒地看到，发展中还存在不少困难和问题：创新能力不强。")
    True
    >>> is_problems_paragraph("我们清醒地看到了数字经济的机遇，加快建设数据中心。")
    False
    """
    sentences = _sentences(_ADDRESS.sub("", paragraph, count=1))
    if not sentences:
        return False
    opening = _PROBLEMS_OPENING.search(sentences[0])
    if not opening:
        return False
    if opening.group(0).startswith("在"):  # 在肯定成绩的同时: always the problems' opening
        return bool(_PROBLEMS.search(paragraph))
    after = sentences[0][opening.end():]
    return bool(_TROUBLE.search(after)) and not _LESSON.search(after)


def _cut_thanks(sentences: list[str]) -> tuple[list[str], int]:
    """The sentences left once the thanks and the credit right before it are cut, and
    the number of runs cut."""
    drop = [bool(_THANKS.search(s)) for s in sentences]
    for i in range(len(sentences)):
        if drop[i]:
            j = i - 1
            while j >= 0 and not drop[j] and _CREDIT.search(sentences[j]):
                drop[j] = True
                j -= 1
    runs = sum(1 for i, d in enumerate(drop) if d and (i == 0 or not drop[i - 1]))
    return [s for s, d in zip(sentences, drop) if not d], runs


def _cut_closing(sentences: list[str]) -> tuple[list[str], int]:
    """The sentences before the closing call, and 1 if there was one (else 0). The call
    takes with it the few sentences between it and an address right before it
    (``各位代表！使命催人奋进，实干成就未来。让我们……``)."""
    for i, sentence in enumerate(sentences):
        if _CALL.match(_ADDRESS.sub("", sentence, count=1).lstrip()):
            start = next((j for j in range(i, max(i - _CALL_PREAMBLE, 0) - 1, -1)
                          if _ADDRESS.match(sentences[j])), i)
            if sum(map(len, sentences[start:])) > CLOSING_MAX_CHARS:
                return sentences, 0  # a call followed by much more is no closing
            return sentences[:start], 1
    return sentences, 0


def cut_report_ritual(paragraph: str, parts: Iterable[str], *, position: float = 1.0) -> tuple[str, Counter]:
    """``paragraph`` without the ritual ``parts`` of a report, and what was cut.

    Parameters
    ----------
    paragraph
        One paragraph of a cleaned report (one line of its text).
    parts
        Any of :data:`RITUAL_PARTS`: ``"problems"``, ``"thanks"``, ``"closing"``.
    position
        Where the paragraph starts in its report, as a share of the report's characters
        (0 first, 1 last): the closing call is cut only in the last
        :data:`CLOSING_TAIL_SHARE` of a report, and never more than
        :data:`CLOSING_MAX_CHARS` characters of it.

    Returns
    -------
    str
        What is left of the paragraph (``""`` when all of it was ritual).
    Counter
        One count per cut under ``report_problems``, ``report_thanks``, ``report_closing``.

    Examples
    --------
    >>> text, cut = cut_report_ritual("成绩来之不易。我代表省政府，向驻军官兵表示感谢！", ["thanks"])
    >>> text, dict(cut)
    ('', {'report_thanks': 1})
    >>> cut_report_ritual("新建学校十所。让我们团结奋斗，再创佳绩！", ["closing"])[0]
    '新建学校十所。'
    """
    parts = set(parts)
    unknown = parts - set(RITUAL_PARTS)
    if unknown:
        raise ValueError(f"unknown report ritual part(s) {sorted(unknown)}; choose from {list(RITUAL_PARTS)}")
    cut: Counter = Counter()
    if "problems" in parts and is_problems_paragraph(paragraph):
        cut["report_problems"] += 1
        return "", cut
    sentences = _sentences(paragraph)
    if "thanks" in parts:
        sentences, n = _cut_thanks(sentences)
        cut["report_thanks"] += n
    if "closing" in parts and position >= 1 - CLOSING_TAIL_SHARE:
        sentences, n = _cut_closing(sentences)
        cut["report_closing"] += n
    if not sum(cut.values()):
        return paragraph, Counter()
    left = "".join(sentences).strip()
    # An address left alone (各位代表！) is no text of its own.
    return ("" if not _ADDRESS.sub("", left) else left), +cut


__all__ = ["RITUAL_PARTS", "cut_report_ritual", "is_problems_paragraph"]
