"""Seeded policy themes: a keyword file becomes an LDA prior and topic labels.

A themes file is TOML with one table per theme, its name quoted (TOML bare keys are
ASCII)::

    # Where the words come from: the 14th Five-Year Plan, chapter 15.
    ["数字化转型与智能制造"]
    words = ["数字化转型", "智能制造", "工业互联网"]

Theme ``i`` of the file seeds topic ``i`` through a word prior (a topics × vocabulary
``eta`` matrix, :func:`seed_prior`; tomotopy's word priors, gensim's ``eta``); the other
topics stay free, and the number of topics counts both. Every cell of the prior starts at
the symmetric ``1 / K``; the vocabulary words a theme's seed words seed get ``strength`` in
its row. The form depends on the engine (:func:`theme_prior`):

Gibbs sampling (tomotopy, the default engine)
    A prior is a pseudo-count, and a large one swamps: it lifts every seeded word into
    the topic's top words and, in the denominator ``n_t + sum_w eta_tw``, shuts the
    topic to the documents' other words. So a seed word's prior is near zero
    (:data:`GIBBS_OTHER_PRIOR` × 1/K) in the topics it does not seed, which anchors each of
    its occurrences to its theme; in its theme's topic a seed word gets ``strength``
    (:data:`GIBBS_SEED_WEIGHT` × tokens / K by default) and a word that only contains one
    keeps the base (anchored, not lifted). Measured in ``benchmarks/results.md`` (section
    seed-strength): no weight made every theme hold while at least half of a seeded
    topic's top 10 words were learned on both the Shandong policy documents and the
    Government Work Reports; 0.01 held 0.93 and 1.00 of the themes (gensim at its
    default: 1.00 and 0.92) and learned more words than gensim. A theme that does not
    hold is named in a warning and in ``topics.csv`` (``theme_held``;
    :func:`policytopics.model.themes_held.themes_held`).
Variational Bayes (gensim)
    The seed word keeps the base in the other topics, and words containing a seed word
    get ``strength`` too (:data:`DEFAULT_SEED_WEIGHT`; the table under *Strength*).

Contained words
    A seed word also seeds every vocabulary word that contains it (生态 → 生态环境,
    生态文明), so a theme does not hang on how jieba splits its words. A vocabulary word
    that is itself a seed word is seeded by its own theme only. A word that only
    *contains* seed words of several themes goes to the theme whose contained seed word is
    longest, the more specific one (绿色制造业 contains 绿色 and 绿色制造: 绿色制造 decides);
    when two themes tie (绿色金融 with the seeds 绿色 and 金融 in two themes) it is seeded
    by neither, the data decide, and the report lists it as ``shared``.

Missing seeds
    Seed words are added to the tokenizer's dictionary (:func:`seed_words`) so they
    survive segmentation. A seed word missing from the pruned vocabulary is reported as
    ``"pruned"`` (seen in the corpus, removed by ``no_below``/``no_above``/``keep_n``) or
    ``"never seen"``; telling them apart needs the words seen before pruning
    (:func:`policytopics.model.corpus.build_dictionary` with ``return_unpruned=True``). A theme
    that seeds no vocabulary word at all is an error that names it.

Strength
    ``seed_strength > 0`` is the prior itself. ``seed_strength = 0`` (the default) is
    automatic: :data:`DEFAULT_SEED_WEIGHT` × (tokens of the pruned corpus) / K
    (:func:`default_strength`), because the prior counts like word occurrences and a
    fixed value weakens as the corpus grows. The weight was measured by
    ``benchmarks/bench_seed_strength.py`` (``benchmarks/results.md``, sections
    *seed-strength* and, for the strength grid on the gensim engine that set the rule,
    *seed-strength-gensim*): the smallest weight at which at least 95 % of the themes are
    held on both policy corpora, the gentlest prior that holds them.

Examples
--------
>>> from gensim.corpora import Dictionary
>>> from policytopics.model.themes import Theme, seed_prior
>>> dictionary = Dictionary([["生态环境", "生态文明", "数据", "绿色金融", "金融"]])
>>> themes = [Theme("绿色", ("生态", "绿色")), Theme("金融", ("金融",))]
>>> eta, report = seed_prior(themes, dictionary, 3, strength=50, unpruned={"生态"})
>>> eta.shape
(3, 5)
>>> eta[:, dictionary.token2id["生态环境"]].tolist()   # 生态 seeds 生态环境 in topic 0
[50.0, 0.3333333333333333, 0.3333333333333333]
>>> for row in report[["seed", "status", "seeded", "shared"]].values.tolist():
...     print(row)
['生态', 'pruned', '生态文明 生态环境', '']
['绿色', 'never seen', '', '绿色金融']
['金融', 'in vocabulary', '金融', '绿色金融']
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence

import numpy as np
import pandas as pd

from policytopics.model.engines import engine_class
from policytopics.model.engines.base import GIBBS_PRIOR, VARIATIONAL_PRIOR
from policytopics.model.theme_file import Theme, load_themes, seed_words
from policytopics.settings.config import ModelConfig, StudyConfigError
from policytopics.settings.validate import check_themes_fit

#: ``seed_strength = 0`` (the default) sets a seed word's prior in its theme's topic to
#: this share of an average topic's tokens: ``weight * n_tokens / K``, with ``n_tokens`` the
#: tokens of the pruned corpus (:func:`default_strength`). Measured for gensim; see the
#: module docstring. The engines declare their prior forms
#: (:mod:`policytopics.model.engines.base`); these names are their values.
DEFAULT_SEED_WEIGHT = VARIATIONAL_PRIOR.weight
#: The same for tomotopy's Gibbs sampler, whose prior form differs (:data:`GIBBS_OTHER_PRIOR`).
#: Measured with ``benchmarks/bench_seed_strength.py --engine tomotopy``; see the module docstring.
GIBBS_SEED_WEIGHT = GIBBS_PRIOR.weight
#: In a Gibbs sampler a seed word's prior in the topics it does not seed is this share of the
#: base prior (near zero: the word is hardly ever drawn for another topic, so every occurrence
#: of it counts for its theme). gensim keeps the base there.
GIBBS_OTHER_PRIOR = GIBBS_PRIOR.other_share
#: The automatic strength never goes below this (a tiny corpus would otherwise give a seed
#: word less prior than the base 1/K of every cell).
MIN_SEED_STRENGTH = 1.0

#: Status of a seed word in the report of :func:`seed_prior`.
IN_VOCABULARY = "in vocabulary"
NEVER_SEEN = "never seen"
PRUNED = "pruned"
#: Status when the words seen before pruning were not given: pruned or never seen.
NOT_IN_VOCABULARY = "not in vocabulary"

#: Columns of the seed report (``theme_seeds.csv``), one row per theme and seed word: ``theme``,
#: ``seed``, ``status`` (``"in vocabulary"``, ``"pruned"``, ``"never seen"``), ``n_seeded`` and
#: ``seeded`` (the vocabulary words it seeded, space-separated, itself included), ``shared``
#: (words containing it left unseeded because another theme's seed word of the same length is
#: in them too), from :func:`seed_prior`; and ``topic``, the topic number (T1 = 1, most
#: prevalent first) as every other table gives it, added once the model has ordered its topics
#: (:func:`number_seed_report`).
REPORT_COLUMNS = ("theme", "topic", "seed", "status", "n_seeded", "seeded", "shared")


def default_strength(dictionary, n_topics: int, weight: float = DEFAULT_SEED_WEIGHT) -> float:
    """The automatic seed prior: ``weight`` (:data:`DEFAULT_SEED_WEIGHT`) × tokens of the corpus / K.

    The tokens are the pruned dictionary's collection frequencies (``dictionary.cfs``), so
    the prior keeps the same weight against the data whatever the corpus size; never
    below :data:`MIN_SEED_STRENGTH`.

    >>> from gensim.corpora import Dictionary
    >>> dictionary = Dictionary([["数据", "算力"] * 35_000])   # 70,000 tokens
    >>> default_strength(dictionary, 14)
    20.0
    """
    n_tokens = sum(dictionary.cfs.values())
    return max(MIN_SEED_STRENGTH, weight * n_tokens / n_topics)


def resolve_strength(strength: float, dictionary, n_topics: int,
                     weight: float = DEFAULT_SEED_WEIGHT) -> float:
    """The seed prior in effect: ``strength``, or :func:`default_strength` for 0.

    >>> from gensim.corpora import Dictionary
    >>> resolve_strength(5, Dictionary([["数据"]]), 4)
    5.0
    """
    if strength < 0:
        raise StudyConfigError(f"seed_strength must be 0 (automatic) or more, got {strength}")
    return float(strength) if strength else default_strength(dictionary, n_topics, weight)


def seed_prior(themes: Sequence[Theme], dictionary, n_topics: int, *, strength: float = 0.0,
               weight: float = DEFAULT_SEED_WEIGHT, base: float | None = None, other: float | None = None,
               contained: float | None = None,
               unpruned: Container[str] | None = None) -> tuple[np.ndarray, pd.DataFrame]:
    """The ``eta`` prior (topics × words) that seeds topic ``i`` with theme ``i``, and its report.

    Parameters
    ----------
    themes
        Seeded themes; theme ``i`` seeds topic ``i``, topics from ``len(themes)`` on stay free.
    dictionary
        The pruned gensim ``Dictionary`` the model is fitted on.
    n_topics
        K, seeded and free topics together.
    strength, weight
        Prior of a seeded word in its theme's topic; ``0`` means automatic
        (:func:`default_strength`: the share ``weight`` of an average topic's tokens).
    base
        Prior of every cell of an unseeded word; ``None`` is gensim's symmetric default ``1 / K``.
    other
        Prior of a seeded word in the topics it does not seed; ``None`` is ``base`` (a Gibbs
        sampler anchors the word to its theme with a value near zero here).
    contained
        Prior of a word that only *contains* a seed word (生态环境 for 生态) in its theme's
        topic; ``None`` is ``strength`` (a Gibbs sampler keeps the base: anchored, not lifted).
    unpruned
        The words seen before pruning (a set, or the gensim ``Dictionary`` before
        ``filter_extremes``), to tell ``"pruned"`` from ``"never seen"``; without it a
        missing seed is ``"not in vocabulary"``.

    Returns
    -------
    eta : ndarray, shape (n_topics, len(dictionary))
        Pass it to :meth:`policytopics.model.topic_model.TopicModel.fit_corpus` (``eta=``).
    report : DataFrame
        One row per theme and seed word, :data:`REPORT_COLUMNS` but ``topic`` (the model
        numbers its topics once fitted; :func:`number_seed_report` adds it).

    Raises
    ------
    ValueError
        More themes than topics, a non-positive strength or base, or a theme that seeds no
        vocabulary word (the error names it and says why its words are missing).
    """
    themes = list(themes)
    check_themes_fit(len(themes), n_topics)
    strength, base, other, contained = _prior_values(dictionary, n_topics, strength, weight, base,
                                                     other, contained)
    token2id = dictionary.token2id
    seeded_by, credit, shared = _assign(themes, token2id)
    seeds = {word for theme in themes for word in theme.words}
    eta = np.full((n_topics, len(token2id)), base)
    for word, topic in seeded_by.items():
        eta[:, token2id[word]] = other
        eta[topic, token2id[word]] = strength if word in seeds else contained
    seen = getattr(unpruned, "token2id", unpruned)  # a Dictionary is a mapping of ids
    report = _seed_report(themes, token2id, seen, credit, shared)
    _refuse_themes_without_a_word(themes, report, set(seeded_by.values()))
    return eta, report


def _prior_values(dictionary, n_topics: int, strength: float, weight: float, base: float | None,
                  other: float | None, contained: float | None) -> tuple[float, float, float, float]:
    """:func:`seed_prior`'s ``strength``, ``base``, ``other`` and ``contained`` in effect."""
    strength = resolve_strength(strength, dictionary, n_topics, weight)
    base = 1.0 / n_topics if base is None else float(base)
    if base <= 0:
        raise ValueError(f"the base prior must be positive, got {base}")
    other = base if other is None else float(other)
    if other <= 0:
        raise ValueError(f"the prior of a seeded word in other topics must be positive, got {other}")
    contained = strength if contained is None else float(contained)
    return strength, base, other, contained


def _seed_report(themes: Sequence[Theme], token2id, seen: Container[str] | None,
                 credit: dict, shared: dict) -> pd.DataFrame:
    """One row per theme and seed word: its status and the vocabulary words it seeded
    (``credit`` and ``shared`` of :func:`_assign`)."""
    rows = []
    for i, theme in enumerate(themes):
        for seed in theme.words:
            if seed in token2id:
                status = IN_VOCABULARY
            elif seen is None:
                status = NOT_IN_VOCABULARY
            else:
                status = PRUNED if seed in seen else NEVER_SEEN
            words = sorted(credit.get((i, seed), []))
            rows.append({"theme": theme.name, "seed": seed, "status": status,
                         "n_seeded": len(words), "seeded": " ".join(words),
                         "shared": " ".join(sorted(shared.get((i, seed), [])))})
    return pd.DataFrame(rows, columns=[c for c in REPORT_COLUMNS if c != "topic"])


def _refuse_themes_without_a_word(themes: Sequence[Theme], report: pd.DataFrame,
                                  seeded_topics: set[int]) -> None:
    """The error naming the first theme that seeds no vocabulary word, and why."""
    for i, theme in enumerate(themes):
        if i not in seeded_topics:
            mine = report[report["theme"] == theme.name]
            reasons = ", ".join(f"{seed} ({status})" for seed, status in
                                zip(mine["seed"], mine["status"], strict=True))
            raise ValueError(f"theme {theme.name!r} has no seed word left in the vocabulary: "
                             f"{reasons}")


def number_seed_report(report: pd.DataFrame, theme_topics: dict[int, str]) -> pd.DataFrame:
    """The seed report of :func:`seed_prior` with each theme's topic number (``T5`` is 5), as
    the other tables number topics: ``theme_topics`` is topic number → theme name
    (``TopicModel.theme_names_``).

    >>> report = pd.DataFrame({"theme": ["改革开放"], "seed": ["改革"], "status": ["in vocabulary"],
    ...                        "n_seeded": [1], "seeded": ["改革"], "shared": [""]})
    >>> number_seed_report(report, {5: "改革开放"})[["theme", "topic", "seed"]].values.tolist()
    [['改革开放', 5, '改革']]
    """
    number = {name: topic for topic, name in theme_topics.items()}
    missing = sorted(set(report["theme"]) - set(number))
    if missing:
        raise ValueError(f"the model seeded no topic with the theme(s) {', '.join(missing)}")
    return (report.drop(columns="topic", errors="ignore")
            .assign(topic=report["theme"].map(number).astype("int64"))[list(REPORT_COLUMNS)])


def _assign(themes: Sequence[Theme], vocabulary: Iterable[str]):
    """Which theme each vocabulary word seeds (the contained-word rule of the module).

    Returns ``(seeded_by, credit, shared)``: vocabulary word -> theme index; (theme index,
    seed) -> the words that seed seeded; (theme index, seed) -> words containing it left
    to no theme because another theme's seed of the same length is in them too.
    """
    seed_theme = {word: i for i, theme in enumerate(themes) for word in theme.words}
    longest = max((len(word) for word in seed_theme), default=0)
    seeded_by: dict[str, int] = {}
    credit: dict[tuple[int, str], list[str]] = {}
    shared: dict[tuple[int, str], list[str]] = {}
    for word in vocabulary:
        # Seed words inside the word, found through its substrings: faster than testing
        # every seed against every word of a large vocabulary.
        contained = {word[a:b] for a in range(len(word))
                     for b in range(a + 1, min(len(word), a + longest) + 1)} & seed_theme.keys()
        if not contained:
            continue
        if word in seed_theme:
            winners = {seed_theme[word]}
        else:
            top = max(len(seed) for seed in contained)
            winners = {seed_theme[seed] for seed in contained if len(seed) == top}
        target = credit if len(winners) == 1 else shared
        for seed in contained:
            if len(winners) > 1 or seed_theme[seed] in winners:
                target.setdefault((seed_theme[seed], seed), []).append(word)
        if len(winners) == 1:
            seeded_by[word] = next(iter(winners))
    return seeded_by, credit, shared


def theme_prior(themes: Sequence[Theme], dictionary, config: ModelConfig, *,
                unpruned: Container[str] | None = None) -> tuple[np.ndarray, pd.DataFrame]:
    """:func:`seed_prior` with K, strength, base and the engine's prior form from a
    :class:`ModelConfig`.

    The base is ``config.eta`` when it is a number, else the symmetric ``1 / K`` (``eta =
    "auto"`` cannot be learned with a seeded matrix). The engine declares its form
    (:class:`policytopics.model.engines.base.SeedPriorForm`): gensim's (variational): a seed
    word keeps the base in the other topics, weight :data:`DEFAULT_SEED_WEIGHT`, and a word
    containing a seed word is seeded as strongly as the seed; tomotopy's and keyatm's (Gibbs
    sampling): near zero there (:data:`GIBBS_OTHER_PRIOR` × base), weight
    :data:`GIBBS_SEED_WEIGHT` for the seed words themselves, the base for words containing one
    (anchored, not lifted).

    Examples
    --------
    >>> themes = load_themes(config.themes)                       # doctest: +SKIP
    >>> eta, report = theme_prior(themes, dictionary, config, unpruned=seen)  # doctest: +SKIP
    >>> TopicModel(config).fit_corpus(corpus, dictionary, eta=eta,
    ...                               theme_names=[t.name for t in themes])  # doctest: +SKIP
    """
    form = engine_class(config.engine).seed_prior
    base = config.eta if isinstance(config.eta, (int, float)) else None
    base_in_effect = base if base is not None else 1.0 / config.n_topics
    contained = base_in_effect if form.contained_at_base else None
    other = None if form.other_share is None else form.other_share * base_in_effect
    return seed_prior(themes, dictionary, config.n_topics, strength=config.seed_strength,
                      weight=form.weight, base=base, other=other, contained=contained, unpruned=unpruned)


def seed_rates(themes: Sequence[Theme], token_lists: Iterable[Sequence[str]]) -> np.ndarray:
    """Share of each document's tokens that are a theme's seed words or contain one.

    Returns an array of shape ``(n_docs, len(themes))``; a yardstick for a seeded topic's
    proportions (an empty document gets zeros). Contained words follow the rule of
    :func:`seed_prior`.

    >>> seed_rates([Theme("a", ("数据",))], [["数据", "大数据", "人才", "人才"]])
    array([[0.5]])
    """
    themes = list(themes)
    token_lists = [list(tokens) for tokens in token_lists]
    vocabulary = {token for tokens in token_lists for token in tokens}
    word_theme, _, _ = _assign(themes, vocabulary)
    rates = np.zeros((len(token_lists), len(themes)))
    for row, tokens in enumerate(token_lists):
        for token in tokens:
            if token in word_theme:
                rates[row, word_theme[token]] += 1
        if tokens:
            rates[row] /= len(tokens)
    return rates


__all__ = [
    "DEFAULT_SEED_WEIGHT",
    "GIBBS_OTHER_PRIOR",
    "GIBBS_SEED_WEIGHT",
    "MIN_SEED_STRENGTH",
    "Theme",
    "default_strength",
    "load_themes",
    "number_seed_report",
    "resolve_strength",
    "seed_prior",
    "seed_rates",
    "seed_words",
    "theme_prior",
]
