"""The model's own uncertainty in every estimate: the method of composition.

A document's topic proportions are estimates, not data. A mean over a group's documents
with a bootstrap over documents shows only the sampling half of the uncertainty; a group of
one document (one Government Work Report a year) gets no interval at all. R stm's
``estimateEffect(uncertainty = "Global")`` is the reference (Roberts, Stewart and Tingley
2019, *stm: An R package for structural topic models*, section 3.4): draw every document's
proportions from their approximate posterior many times, compute the estimate on each draw
and read the interval off the draws (the method of composition, Tanner 1996).

:func:`compose` does that for any number of statistics in one pass over the draws, so the
tables and figures of one study share the same draws. For each of ``draws`` draws:

1. every unit's (passage's) proportions are drawn from their posterior
   (:class:`ProportionPosterior`) and aggregated to documents by length, as the point
   estimates are;
2. every statistic is computed on the draw: a statistic that resamples documents (the
   group means of :mod:`policytopics.estimate.weights`) draws its own bootstrap resample too, so
   a draw carries both the model's uncertainty and the documents' sampling uncertainty.

The interval is the quantile interval over the draws (:func:`quantile_interval`).

``uncertainty`` (``[weights] uncertainty``) chooses what a draw varies:

``"global"`` (default)
    the proportions and the documents (the method of composition);
``"bootstrap"``
    the documents only, the proportions held at their point estimates (the intervals of
    earlier versions: a one-document group has none);
``"none"``
    nothing: one "draw", the point estimate, and no interval.

The posterior of a unit's proportions
-------------------------------------
tomotopy's collapsed Gibbs sampler gives a unit of ``n`` tokens the proportions
``(n_k + alpha_k) / (n + sum(alpha))``, where ``n_k`` are its tokens assigned to topic
``k`` in the last sweep; given those assignments the posterior of the proportions is
``Dirichlet(n_k + alpha_k)``. gensim's variational Bayes gives each unit a Dirichlet
``gamma`` whose sum is ``n + sum(alpha)`` too. Both are therefore
``Dirichlet(theta * (n + sum(alpha)))`` with ``theta`` the unit's point proportions and
``n`` its tokens in the model's vocabulary. A long unit has a tight posterior, a short one a
wide one, and an empty one (no token left after pruning) is as wide as the prior.

That Dirichlet is the spread *given* one set of assignments. The assignments are uncertain
too, so the sampler's states at its last sweeps are kept (``[model] posterior_samples``, 5
states 10 sweeps apart, :data:`policytopics.model.engines.base.POSTERIOR_SAMPLE_GAP`; the fit is the
same as without them) and every draw takes one of them at random, then its Dirichlet: the
law of total variance, both terms. With one state only (gensim's variational Bayes, or
``posterior_samples = 1``) the assignments' spread is taken as about as large as the
Dirichlet's, and its precision is divided by :data:`ASSIGNMENT_VARIANCE` (2).

Measured by ``benchmarks/bench_coverage.py`` (section *coverage* of
``benchmarks/results.md``; documents of 80 tokens): the intervals covered the true mean of
a group's documents 92 % of the time (groups of one document 82 %, of 2-40 documents
94-96 %), against 89 % with one state halved and 62 % with the bootstrap alone.

What the draws leave out: the topics themselves are held fixed (stm does the same). A topic
the model recovers imperfectly shifts every estimate the same way, and no draw of the
documents' shares holds that: with documents of 300 tokens, whose shares the model knows
well, coverage is 85 %, the misses in the largest groups.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from policytopics.common.workers import fork_context, frozen_heap, interruptible, one_thread, worker_pool

#: The values of ``[weights] uncertainty``, default first.
UNCERTAINTY = ("global", "bootstrap", "none")

#: What a row's interval holds, by ``uncertainty`` and whether its group resamples (the
#: ``interval`` column of the weight and emphasis tables).
INTERVAL_KINDS = {
    ("global", True): "model+documents",
    ("global", False): "model",
    ("bootstrap", True): "documents",
    ("bootstrap", False): "none",
    ("none", True): "none",
    ("none", False): "none",
}

#: The posterior's variance relative to the Dirichlet given one set of topic assignments
#: (see the module's introduction).
ASSIGNMENT_VARIANCE = 2.0

#: A statistic of one draw: ``statistic(theta, rng)`` with ``theta`` the documents'
#: proportions (documents × topics) and ``rng`` the draw's generator, or ``None`` when
#: nothing is resampled; returns an array of a fixed shape.
Statistic = Callable[[np.ndarray, "np.random.Generator | None"], np.ndarray]


class ProportionPosterior:
    """Approximate posterior of every document's topic proportions.

    Parameters
    ----------
    unit_topic
        The units' point proportions, units × topics (the model's ``doc_topic_``), or
        several samples of them, samples × units × topics (``doc_topic_samples_``).
    unit_tokens
        Tokens per unit in the model's vocabulary (the bag-of-words corpus's row sums).
    alpha
        The model's document-topic prior, one value per topic.
    unit_docs
        The document of each unit (``doc_id``), in unit order.
    unit_chars
        Each unit's length in Chinese characters: a document's proportions are the
        length-weighted mean of its units', as :func:`policytopics.text.passages.document_topics`
        computes them (equal weights when all its units weigh nothing).
    doc_ids
        The documents, in the row order the draws should have; each must have units.

    Examples
    --------
    >>> posterior = ProportionPosterior(np.array([[0.9, 0.1], [0.5, 0.5]]), [100, 0],
    ...                                 [0.5, 0.5], ["a", "b"], [10, 10], ["a", "b"])
    >>> posterior.concentration.round(2).tolist()
    [[[45.45, 5.05], [0.25, 0.25]]]
    >>> posterior.draw(np.random.default_rng(0)).sum(axis=1).round(6).tolist()
    [1.0, 1.0]
    """

    def __init__(self, unit_topic: np.ndarray, unit_tokens: Sequence[float], alpha: Sequence[float],
                 unit_docs: Sequence, unit_chars: Sequence[float], doc_ids: Sequence):
        from scipy import sparse

        # Kept as given (the model's own float32 samples are not copied): each draw makes its
        # sample's concentration in float64, the same numbers as all of them made at once, with
        # a tenth of the memory (74,500 news stories × 20 topics × 5 samples: 60 MB).
        unit_topic = np.asarray(unit_topic)
        # Several samples of the assignments (samples × units × topics) hold their own
        # spread; one (units × topics) stands for it by a halved precision.
        self.samples = unit_topic if unit_topic.ndim == 3 else unit_topic[None]
        tokens = np.asarray(unit_tokens, dtype=float)
        if len(tokens) != self.samples.shape[1] or len(unit_docs) != self.samples.shape[1]:
            raise ValueError(f"{self.samples.shape[1]} units of proportions, {len(tokens)} token counts "
                             f"and {len(unit_docs)} document ids")
        precision = tokens + float(np.sum(alpha))
        if len(self.samples) == 1:
            precision = precision / ASSIGNMENT_VARIANCE
        self.precision = precision
        doc_index = pd.Index(doc_ids)
        rows = doc_index.get_indexer(pd.Index(unit_docs))
        if (rows < 0).any() or len(np.unique(rows)) != len(doc_index):
            raise ValueError("every unit must belong to one of the documents, and every document "
                             "must have units")
        weights = np.asarray(unit_chars, dtype=float)
        totals = np.bincount(rows, weights=weights, minlength=len(doc_index))
        weights = np.where(totals[rows] > 0, weights, 1.0)
        weights = weights / np.bincount(rows, weights=weights, minlength=len(doc_index))[rows]
        self.aggregate = sparse.csr_matrix((weights, (rows, np.arange(len(rows)))),
                                           shape=(len(doc_index), len(rows)))
        # Whole documents as units (news stories), in the documents' order: the aggregate is
        # the identity, and 0 + 1.0 * x is x, so a draw's units are its documents as they are.
        self.units_are_documents = bool(len(rows) == len(doc_index)
                                        and np.array_equal(rows, np.arange(len(rows)))
                                        and np.all(weights == 1.0))
        self.doc_ids = list(doc_index)
        self._unit_rows, self._blocks = rows, {}

    @property
    def n_topics(self) -> int:
        return self.samples.shape[2]

    def sample_concentration(self, sample: int) -> np.ndarray:
        """The Dirichlet parameters around one sample (units × topics): its proportions times
        each unit's precision; a gamma draw needs a positive shape, so a topic with no weight
        at all stays at ~0."""
        return np.maximum(np.asarray(self.samples[sample], dtype=float) * self.precision[:, None], 1e-9)

    @property
    def concentration(self) -> np.ndarray:
        """Every sample's :meth:`sample_concentration` (samples × units × topics)."""
        return np.stack([self.sample_concentration(i) for i in range(len(self.samples))])

    def draw(self, rng: np.random.Generator) -> np.ndarray:
        """One draw of every document's proportions (documents × topics, rows sum to 1): one
        of the samples, chosen at random, and a Dirichlet draw around it.

        Made a block of units at a time (:data:`DRAW_BLOCK_UNITS`, cut between documents):
        the generator draws the gammas one after another whatever the blocks, and each
        document's units are summed in the same order, so the draw is the same number for
        number as one made whole, with a block's memory instead of four corpus-sized arrays
        (at a million units and K = 20, 160 MB each)."""
        sample = int(rng.integers(len(self.samples))) if len(self.samples) > 1 else 0
        drawn = np.empty((len(self.doc_ids), self.n_topics))
        for start, stop, rows, aggregate in self.blocks():
            concentration = np.maximum(np.asarray(self.samples[sample][start:stop], dtype=float)
                                       * self.precision[start:stop, None], 1e-9)
            gammas = rng.standard_gamma(concentration)
            totals = gammas.sum(axis=1, keepdims=True)
            # All shapes tiny (an empty unit under a small prior) can underflow to zeros.
            units = np.divide(gammas, totals, out=np.full_like(gammas, 1 / self.n_topics),
                              where=totals > 0)
            if self.units_are_documents:
                drawn[start:stop] = units
            else:
                drawn[rows] = aggregate @ units
        return drawn

    def blocks(self) -> list[tuple[int, int, np.ndarray, object]]:
        """The units in blocks of about :data:`DRAW_BLOCK_UNITS`, each ``(start, stop, rows,
        aggregate)``: units ``start`` to ``stop``, which hold every unit of their documents
        (rows ``rows`` of a draw), and the aggregate's part that weighs them (``rows`` ×
        the block's units; ``None`` for whole documents)."""
        whole = self.units_are_documents
        if whole not in self._blocks:
            self._blocks[whole] = self._cut_blocks()
        return self._blocks[whole]

    def _cut_blocks(self) -> list[tuple[int, int, np.ndarray, object]]:
        n_units = self.samples.shape[1]
        if self.units_are_documents:
            return [(start, min(start + DRAW_BLOCK_UNITS, n_units), None, None)
                    for start in range(0, n_units, DRAW_BLOCK_UNITS)]
        # A block may end after unit i when no document of units 0..i has a unit beyond i.
        last = np.zeros(len(self.doc_ids), dtype=np.int64)
        np.maximum.at(last, self._unit_rows, np.arange(n_units))
        ends = np.flatnonzero(np.maximum.accumulate(last[self._unit_rows]) == np.arange(n_units)) + 1
        blocks, start = [], 0
        while start < n_units:
            stop = int(ends[min(np.searchsorted(ends, start + DRAW_BLOCK_UNITS), len(ends) - 1)])
            rows = np.unique(self._unit_rows[start:stop])
            blocks.append((start, stop, rows, self.aggregate[rows][:, start:stop]))
            start = stop
        return blocks


#: Units drawn at once in :meth:`ProportionPosterior.draw` (the same draw whatever the number).
DRAW_BLOCK_UNITS = 50_000


#: Draws per chunk: each chunk has its own random streams (from the seed, the chunk and the
#: statistic's name), so the draws are the same however many processes compute them.
DRAWS_PER_CHUNK = 25

# The pass's inputs, set before worker processes are forked (they inherit them, nothing
# is pickled): (theta, statistics, posterior, uncertainty, seed).
_PASS: tuple | None = None


def _chunk(index: int, start: int, stop: int) -> dict[str, np.ndarray]:
    """The draws ``start`` to ``stop`` of the pass in :data:`_PASS` (chunk ``index``)."""
    theta, statistics, posterior, uncertainty, seed = _PASS
    # One stream for the posterior draws and one per statistic, keyed by its name: a
    # statistic's intervals do not change when another statistic is added or left out.
    rng = np.random.default_rng([seed, 0, index])
    streams = {name: np.random.default_rng([seed, 1 + zlib.crc32(name.encode("utf-8")), index])
               for name in statistics}
    out: dict[str, list[np.ndarray]] = {name: [] for name in statistics}
    # The statistics of the point proportions first, then the draw and the statistics of it,
    # the draw let go before the next: each has its own stream, so the order changes no
    # number, and a worker holds one documents x topics draw at a time, never beside the
    # copies a bootstrap of the point proportions makes (at a million documents, 160 MB each).
    on_point = [name for name, statistic in statistics.items()
                if not getattr(statistic, "uses_posterior", True)]
    on_draw = [name for name in statistics if name not in on_point]
    for _ in range(start, stop):
        for name in on_point:
            out[name].append(np.asarray(statistics[name](theta, streams[name])))
        drawn = posterior.draw(rng) if uncertainty == "global" else theta
        for name in on_draw:
            out[name].append(np.asarray(statistics[name](drawn, streams[name])))
        del drawn
    return {name: np.stack(out[name]) for name in statistics}


def compose(theta: np.ndarray, statistics: Mapping[str, Statistic], *,
            posterior: ProportionPosterior | None = None, uncertainty: str = "global",
            draws: int = 200, seed: int = 0, progress: bool = False,
            workers: int = 1) -> dict[str, np.ndarray]:
    """Every statistic on every draw: the method of composition, in one pass.

    Parameters
    ----------
    theta
        The documents' point proportions (documents × topics), rows in the posterior's
        document order.
    statistics
        Name → statistic (see :data:`Statistic`). Each has its own random streams (from the
        seed, its name and the chunk of draws); one with ``uses_posterior = False`` is given
        the point proportions on every draw and resamples documents only.
    posterior
        The documents' posterior (needed for ``uncertainty="global"``).
    uncertainty
        ``"global"``, ``"bootstrap"`` or ``"none"`` (see the module's introduction).
    draws, seed
        Number of draws and their seed: the same inputs and seed give the same draws.
    workers
        Processes computing chunks of :data:`DRAWS_PER_CHUNK` draws (forked on Linux; one
        elsewhere): the draws are the same whatever the number.

    Returns
    -------
    dict
        Name → array of shape ``(draws, *statistic shape)``; one draw for ``"none"``.

    Examples
    --------
    >>> theta = np.array([[0.2, 0.8], [0.6, 0.4]])
    >>> compose(theta, {"mean": lambda t, rng: t.mean(axis=0)}, uncertainty="none")["mean"].round(3).tolist()
    [[0.4, 0.6]]
    """
    global _PASS
    if uncertainty not in UNCERTAINTY:
        raise ValueError(f"uncertainty must be one of {UNCERTAINTY}, got {uncertainty!r}")
    if uncertainty == "global" and posterior is None:
        raise ValueError('uncertainty = "global" needs the proportions\' posterior')
    if uncertainty == "none":
        return {name: np.asarray(statistic(theta, None))[None] for name, statistic in statistics.items()}
    if draws < 2:
        raise ValueError(f"draws must be at least 2, got {draws}")
    chunks = [(i, start, min(start + DRAWS_PER_CHUNK, draws))
              for i, start in enumerate(range(0, draws, DRAWS_PER_CHUNK))]
    if posterior is not None and uncertainty == "global":
        posterior.blocks()  # cut once, before any worker is forked
    _PASS = (theta, statistics, posterior, uncertainty, seed)
    try:
        results = _run_chunks(chunks, draws, workers, progress)
    finally:
        _PASS = None
    return {name: np.concatenate([result[name] for result in results]) for name in statistics}


def _run_chunks(chunks: list[tuple[int, int, int]], draws: int, workers: int,
                progress: bool) -> list[dict[str, np.ndarray]]:
    """Every chunk ``(index, start, stop)`` of the pass :func:`compose` set up, in order: in
    ``workers`` forked processes when there are several chunks and fork is there, else here."""
    from tqdm.auto import tqdm

    results: list[dict[str, np.ndarray]] = []
    with tqdm(total=draws, desc="Intervals", unit="draw", disable=not progress, leave=False) as bar:
        if workers > 1 and len(chunks) > 1 and fork_context() is not None:
            with frozen_heap():  # every task is submitted, and the workers forked, here
                pool = worker_pool(min(workers, len(chunks)), fork_context(), one_thread)
                futures = [pool.submit(_chunk, *chunk) for chunk in chunks]
            with interruptible(pool):
                for (_, start, stop), future in zip(chunks, futures):
                    results.append(future.result())
                    bar.update(stop - start)
        else:
            for index, start, stop in chunks:
                results.append(_chunk(index, start, stop))
                bar.update(stop - start)
    return results


def quantile_interval(draws: np.ndarray, ci: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """The central ``ci`` quantile interval over the first axis (the draws).

    >>> low, high = quantile_interval(np.arange(101.0)[:, None], 0.9)
    >>> low.round(6).tolist(), high.round(6).tolist()
    ([5.0], [95.0])
    >>> quantile_interval(np.array([[0.3]]))[0].tolist()
    [nan]
    """
    if not 0 < ci < 1:
        raise ValueError(f"ci must be between 0 and 1, got {ci}")
    if len(draws) < 2:
        # One "draw" (uncertainty = "none": the point estimate) is no interval: empty, not the
        # estimate twice, which a table would show as an interval of width 0.
        empty = np.full(np.shape(draws)[1:], np.nan)
        return empty, empty.copy()
    low, high = np.quantile(draws, [(1 - ci) / 2, 1 - (1 - ci) / 2], axis=0)
    return low, high


__all__ = ["ASSIGNMENT_VARIANCE", "INTERVAL_KINDS", "UNCERTAINTY", "ProportionPosterior", "Statistic",
           "compose", "quantile_interval"]
