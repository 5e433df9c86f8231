"""Choosing the number of topics: a grid of K × seeds, scored and compared.

For each K the sweep reports NPMI coherence (``c_npmi``) and UMass from gensim's
``CoherenceModel``, topic diversity (share of unique top words), held-out perplexity on a
fixed 10 % split (document completion, :meth:`policytopics.model.topic_model.TopicModel.perplexity`,
with any ``[model] engine``), and stability across seeds (mean cosine similarity of
topic-word vectors after Hungarian matching, :mod:`policytopics.model.matching`). It suggests
a K and says why, but reading the topics decides. ``c_v`` is not used: its authors no longer recommend it.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from policytopics.common.workers import interruptible, worker_pool
from policytopics.model.matching import topic_similarity
from policytopics.model.topic_model import TopicModel
from policytopics.settings.config import ModelConfig

#: The most seeds a sweep fits per K (``--seeds``): stability is a mean over pairs of seeds,
#: and each seed is one more fit of every K.
MAX_SEEDS = 20

_TRAIN: list[list[str]] | None = None
_HELDOUT: list[list[str]] | None = None
_TRAIN_DOCS: list | None = None  # the document of each training unit, for the held check


def parse_k_range(text: str) -> list[int]:
    """``"4:30:2"`` → 4, 6, …, 30 (inclusive); ``"5,10,20"`` → those values, each from 2 to
    :data:`policytopics.settings.config.MAX_TOPICS`.

    Anything else is a ``ValueError`` that says what was wrong:

    >>> parse_k_range("30:4:2")
    Traceback (most recent call last):
    ...
    ValueError: --topics: the start 30 is above the stop 4 in '30:4:2' (write START:STOP:STEP, e.g. 4:30:2)
    """
    from policytopics.settings.config import MAX_TOPICS

    usage = "topic counts are START:STOP:STEP (a step of 1 or more), e.g. 4:30:2, or a comma list"
    parts = [p.strip() for p in text.split(":" if ":" in text else ",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        raise ValueError(f"--topics: {usage}, got {text!r}: not whole numbers")
    numbers = [int(p) for p in parts]
    if ":" in text:
        if len(numbers) not in (2, 3):
            raise ValueError(f"--topics: {usage}, got {text!r}")
        start, stop, step = (*numbers, 1)[:3]
        if start > stop:
            raise ValueError(f"--topics: the start {start} is above the stop {stop} in {text!r} "
                             "(write START:STOP:STEP, e.g. 4:30:2)")
        if step < 1:
            raise ValueError(f"--topics: {usage}, got {text!r}")
        numbers = list(range(start, stop + 1, step))
    if min(numbers) < 2 or max(numbers) > MAX_TOPICS:
        raise ValueError(f"--topics: topic counts must be from 2 to {MAX_TOPICS}: {text!r}")
    return sorted(set(numbers))


def split_heldout(n_docs: int, fraction: float = 0.1, seed: int = 0) -> np.ndarray:
    """Boolean mask of held-out documents: a fixed, seeded ``fraction`` of them."""
    rng = np.random.default_rng(seed)
    mask = np.zeros(n_docs, dtype=bool)
    n_out = round(n_docs * fraction) if n_docs >= 10 else 0
    mask[rng.permutation(n_docs)[:n_out]] = True
    return mask


def _init_worker(train, heldout, train_docs=None):
    global _TRAIN, _HELDOUT, _TRAIN_DOCS
    _TRAIN, _HELDOUT, _TRAIN_DOCS = train, heldout, train_docs


def coherence(topics: list[list[str]], texts, dictionary, top_n: int,
              measure: str = "c_npmi") -> float:
    """Mean coherence of ``topics`` (lists of top words) over ``texts`` (gensim, one process)."""
    from gensim.models import CoherenceModel

    return float(CoherenceModel(topics=topics, texts=texts, dictionary=dictionary,
                                coherence=measure, topn=top_n, processes=1).get_coherence())


def diversity(topics: list[list[str]]) -> float:
    """Share of unique words among all topics' top words (1: no word shared)."""
    return len({w for t in topics for w in t}) / max(1, sum(len(t) for t in topics))


def score_model(model: TopicModel, train, heldout, top_n: int, doc_ids=None) -> dict:
    """The sweep's scores of a fitted model: NPMI and UMass of its top ``top_n`` words over
    ``train``, their diversity, and perplexity on ``heldout`` (NaN without held-out text):
    :meth:`TopicModel.perplexity`, document completion, the same for every engine. A seeded
    model also gets ``themes_held``: the share of its themes that hold by the run's rule
    (:func:`~policytopics.model.themes_held.themes_held`, over ``train``'s documents ``doc_ids``)."""
    words = model.topic_words(top_n)
    topics = [list(frame["word"]) for _, frame in words.groupby("topic")]
    scores = {
        "npmi": coherence(topics, train, model.dictionary_, top_n),
        "umass": coherence(topics, train, model.dictionary_, top_n, "u_mass"),
        "diversity": diversity(topics),
        "perplexity": model.perplexity(heldout or ()),
        "topics": topics,
    }
    if getattr(model, "theme_names_", None):
        from policytopics.model.themes import load_themes
        from policytopics.model.themes_held import themes_held

        # As a run judges them: the topic's share against its seeds' rate over the fitted texts.
        held = themes_held(model, load_themes(model.config.themes), train, doc_ids=doc_ids)
        scores["themes_held"] = float(held["held"].mean())
    return scores


def _fit_and_score(config: ModelConfig, top_n: int) -> dict:
    started = time.perf_counter()
    model = TopicModel(config).fit(_TRAIN)
    fit_seconds = time.perf_counter() - started
    scores = score_model(model, _TRAIN, _HELDOUT, top_n, _TRAIN_DOCS)
    topics = scores.pop("topics")
    return {
        "k": config.n_topics, "seed": config.seed, **scores, "fit_seconds": round(fit_seconds, 2),
        "topic_word": model.topic_word(), "top_words": [" ".join(t[:5]) for t in topics],
    }


def sweep(token_lists: Sequence[Sequence[str]], ks: Sequence[int], seeds: Sequence[int],
          base: ModelConfig, *, workers: int = 1, top_n: int = 10, heldout: float = 0.1,
          progress: bool = True, doc_ids: Sequence | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit every K × seed and score them.

    Returns ``(runs, by_k)``: one row per fit, and one row per K with means, the
    standard deviation of NPMI across seeds, and ``stability``: the mean similarity of the
    fits of a K with different seeds (NaN with one seed). ``doc_ids``: the document of each
    token list (a passage's), so the held check compares documents as a run does. A seed
    given twice is refused: its two fits would be the same, and their similarity of 1 no
    evidence of stability.
    """
    seeds = [int(s) for s in seeds]
    if not seeds or not ks:
        raise ValueError(f"a sweep needs at least one K and one seed (--topics, --seeds 1 to {MAX_SEEDS}); "
                         f"got {len(ks)} K and {len(seeds)} seeds")
    repeated = sorted({s for s in seeds if seeds.count(s) > 1})
    if repeated:
        raise ValueError(f"seeds repeat ({', '.join(map(str, repeated))}): stability compares fits "
                         "with different seeds; give each fit of a K its own seed")
    mask = split_heldout(len(token_lists), heldout, seed=base.seed)
    train = [list(t) for t, out in zip(token_lists, mask) if not out]
    held = [list(t) for t, out in zip(token_lists, mask) if out]
    train_docs = None if doc_ids is None else [d for d, out in zip(doc_ids, mask) if not out]
    jobs = [replace(base, n_topics=k, seed=s) for k in ks for s in seeds]
    results = _fit_every_job(jobs, (train, held, train_docs), workers=workers, top_n=top_n,
                             progress=progress)

    runs = pd.DataFrame([{k: v for k, v in r.items() if k != "topic_word"} for r in results])
    by_k = runs.groupby("k").agg(
        npmi=("npmi", "mean"), npmi_sd=("npmi", "std"), umass=("umass", "mean"),
        diversity=("diversity", "mean"), perplexity=("perplexity", "mean"),
        fit_seconds=("fit_seconds", "mean"),
        **({"themes_held": ("themes_held", "min")} if "themes_held" in runs else {}),
    ).reset_index()
    by_k["stability"] = by_k["k"].map(_stability(results, ks))
    return runs, by_k


def _fit_every_job(jobs: list[ModelConfig], texts: tuple, *, workers: int, top_n: int,
                   progress: bool) -> list[dict]:
    """:func:`_fit_and_score` of every job, in ``workers`` spawned processes or in this one."""
    from tqdm.auto import tqdm

    bar = tqdm(total=len(jobs), desc="sweep", unit="fit", disable=not progress, leave=False)
    results = []
    if workers > 1 and len(jobs) > 1:
        import multiprocessing as mp

        context = mp.get_context("spawn")  # safe in notebooks and on every platform
        with interruptible(worker_pool(workers, context, _init_worker, texts)) as pool:
            futures = [pool.submit(_fit_and_score, job, top_n) for job in jobs]
            for future in futures:
                results.append(future.result())
                bar.update()
    else:
        _init_worker(*texts)
        try:
            for job in jobs:
                results.append(_fit_and_score(job, top_n))
                bar.update()
        finally:
            _init_worker(None, None)  # the token lists leave with the sweep
    bar.close()
    return results


def _stability(results: list[dict], ks: Sequence[int]) -> dict[int, float]:
    """Per K, the mean :func:`~policytopics.model.matching.topic_similarity` of its fits'
    pairs with different seeds (NaN with one seed)."""
    stability = {}
    for k in ks:
        fits = [r for r in results if r["k"] == k]
        pairs = [(a["topic_word"], b["topic_word"]) for a, b in itertools.combinations(fits, 2)
                 if a["seed"] != b["seed"]]
        stability[k] = (float(np.mean([topic_similarity(a, b) for a, b in pairs]))
                        if pairs else float("nan"))
    return stability


def suggest_k(by_k: pd.DataFrame) -> tuple[int, str]:
    """A suggested K and the reasoning, from NPMI, diversity and stability.

    Each criterion is scaled to 0–1 across the grid and averaged (equal weights);
    UMass and perplexity are reported but not used (perplexity tends to favour many
    topics that people find less interpretable). The suggestion is a starting point:
    read the topics of the neighbouring K values before choosing.
    """
    criteria = ["npmi", "diversity", "stability"]
    grid = sorted(int(v) for v in by_k["k"])
    every_theme = ""
    if "themes_held" in by_k and (by_k["themes_held"] < 1).any():
        # With seeded themes, a K at which a theme did not hold its topic (in any seed) names a
        # topic its words do not support: choose among the K that hold them all, if any.
        holding = by_k[by_k["themes_held"] >= 1]
        if len(holding):
            dropped = sorted(int(k) for k in by_k.loc[by_k["themes_held"] < 1, "k"])
            every_theme = (f" Only K that held every seeded theme in every seed were considered (not "
                           f"{', '.join(map(str, dropped))}).")
            by_k = holding.reset_index(drop=True)
        else:
            every_theme = (" No K held every seeded theme in every seed: add seed words or raise "
                           "seed_strength.")
    usable = [c for c in criteria if by_k[c].notna().all() and by_k[c].nunique() > 1]
    scaled = pd.DataFrame({c: (by_k[c] - by_k[c].min()) / (by_k[c].max() - by_k[c].min())
                           for c in usable})
    score = scaled.mean(axis=1) if usable else pd.Series(0.0, index=by_k.index)
    best = int(score.idxmax())
    k = int(by_k.loc[best, "k"])
    row = by_k.loc[best]
    parts = [f"{c} {row[c]:.3f}" for c in criteria if not math.isnan(row[c])]
    reason = (f"K = {k} has the best average of scaled {', '.join(usable) or 'criteria'} "
              f"({'; '.join(parts)}).{every_theme} Read the topics at K = {k} and its neighbours before "
              "choosing: coherence scores are a guide, not a verdict.")
    if len(grid) > 1 and k in (grid[0], grid[-1]):
        side = "smaller" if k == grid[0] else "larger"
        reason += (f" K = {k} is at the edge of the grid ({grid[0]}-{grid[-1]}): the best K may be "
                   f"{side}; extend the grid that way before choosing.")
    return k, reason
