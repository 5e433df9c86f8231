r"""Do the intervals cover the truth? A simulation with known topics and known group means.

Documents are generated from a known LDA (``--topics`` topics over ``--vocabulary`` words,
each topic a Dirichlet(0.05) over words), in groups of regions × periods. Every group has
its own mean topic proportions (a region effect and a period effect on the log scale,
normalised), its documents' proportions are Dirichlet(``--concentration`` × the group
mean), and its size is drawn from ``--sizes`` (1 to 40 documents: real periods and
provinces range from one report to many stories). Documents are ``--length`` tokens on
average (a passage or a short news story).

Each replicate fits the study's default model (``ModelConfig()``: tomotopy, its default
priors and sweeps, at the true K) on the generated token lists, matches the fitted topics
to the true ones (Hungarian assignment on the L1 distance of topic-word distributions,
``scipy.optimize.linear_sum_assignment``) and computes every group's theme weight with
``policytopics.estimate.weights.theme_weights`` three ways: ``bootstrap`` (documents resampled,
proportions fixed: the intervals before the method of composition), ``global`` (the
method of composition, the default) and ``none``. It counts how often the 95 % interval
holds the truth, for two truths:

- **sample**: the mean of the true proportions of the group's documents (what these
  documents say: the model's measurement error is the only error);
- **population**: the group's generating mean (what documents of that group say in
  general: the documents' sampling error too).

The goal (#23): global covers at least 90 % where bootstrap-only does not. Printed per
group size (1, 2-4, 5-14, 15+ documents) and overall, for documents of 80 and of 300
tokens (``--lengths``); ``--write`` writes the section *coverage* of
``benchmarks/results.md``.

    python benchmarks/bench_coverage.py --replicates 10 --write
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _markdown import markdown_table

from policytopics.estimate.uncertainty import ProportionPosterior
from policytopics.estimate.weights import theme_weights
from policytopics.model.topic_model import TopicModel
from policytopics.settings.config import ModelConfig

SIZE_BINS = [(1, 1, "1"), (2, 4, "2-4"), (5, 14, "5-14"), (15, 10**9, "15+")]


def simulate(rng: np.random.Generator, args) -> tuple[list[list[str]], pd.DataFrame, np.ndarray, np.ndarray]:
    """Token lists, documents (region, period, group), true proportions, true topic-word rows,
    and the group means (groups × topics, indexed as the documents' ``group``)."""
    k, v = args.topics, args.vocabulary
    phi = rng.dirichlet(np.full(v, 0.05), size=k)
    base = rng.normal(0, 0.5, k)
    region_effect = rng.normal(0, 0.6, (args.regions, k))
    period_effect = rng.normal(0, 0.4, (args.periods, k))
    sizes = np.array([int(s) for s in args.sizes.split(",")])
    rows, tokens, thetas, means = [], [], [], []
    vocabulary = np.array([f"w{i}" for i in range(v)])
    for r in range(args.regions):
        for p in range(args.periods):
            logits = base + region_effect[r] + period_effect[p]
            mean = np.exp(logits) / np.exp(logits).sum()
            group = len(means)
            means.append(mean)
            for _ in range(int(rng.choice(sizes))):
                theta = rng.dirichlet(args.concentration * mean)
                n = max(10, int(rng.poisson(args.length)))
                z = rng.choice(k, size=n, p=theta)
                words = [rng.choice(v, p=phi[t]) for t in z]
                tokens.append(list(vocabulary[words]))
                thetas.append(theta)
                rows.append({"doc_id": f"d{len(rows):05d}", "region": f"R{r:02d}", "period": str(2000 + p),
                             "group": group})
    return tokens, pd.DataFrame(rows), np.array(thetas), phi, np.array(means)


def replicate(seed: int, args) -> pd.DataFrame:
    from scipy.optimize import linear_sum_assignment

    rng = np.random.default_rng(seed)
    tokens, docs, true_theta, phi, means = simulate(rng, args)
    pruning = {"no_below": 1, "no_above": 1.0} if args.no_prune else {}
    model = TopicModel(ModelConfig(n_topics=args.topics, seed=seed, posterior_samples=args.samples,
                                   **pruning)).fit(tokens)
    # Fitted topic j over the true vocabulary, matched to the true topics.
    fitted = np.zeros_like(phi)
    topic_word = model.topic_word()
    for word_id, word in model.dictionary_.items():
        fitted[:, int(word[1:])] = topic_word[:, word_id]
    cost = np.abs(fitted[:, None, :] - phi[None, :, :]).sum(axis=2)  # fitted × true
    fitted_of, true_of = linear_sum_assignment(cost)
    order = fitted_of[np.argsort(true_of)]  # fitted topic of each true topic
    estimate = model.doc_topic_[:, order]
    unit_tokens = [sum(n for _, n in model.dictionary_.doc2bow(t)) for t in tokens]
    samples = model.doc_topic_samples_
    draws_from = estimate if samples is None or args.one_sample else samples[:, :, order]
    posterior = ProportionPosterior(draws_from, unit_tokens, model.alpha_[order], docs["doc_id"],
                                    np.ones(len(docs)), docs["doc_id"])
    long = docs.loc[np.repeat(np.arange(len(docs)), args.topics)].reset_index(drop=True)
    long["topic"] = np.tile(np.arange(1, args.topics + 1), len(docs))
    long["topic_label"] = long["topic"].map(lambda t: f"T{t}")
    long["weight"] = estimate.ravel()
    sample_truth = pd.DataFrame(true_theta).groupby(docs["group"]).mean().to_numpy()
    group_of = docs.drop_duplicates(["region", "period"]).set_index(["region", "period"])["group"]
    out = []
    for uncertainty in ("bootstrap", "global", "none"):
        table = theme_weights(long, ["region", "period"], uncertainty=uncertainty, posterior=posterior,
                              draws=args.draws, seed=seed)
        group = group_of.reindex(pd.MultiIndex.from_frame(table[["region", "period"]])).to_numpy()
        topic = table["topic"].to_numpy() - 1
        for truth, values in (("sample", sample_truth[group, topic]), ("population", means[group, topic])):
            covered = (table["ci_low"].to_numpy() <= values) & (values <= table["ci_high"].to_numpy())
            out.append(pd.DataFrame({"replicate": seed, "uncertainty": uncertainty, "truth": truth,
                                     "n_docs": table["n_docs"].to_numpy(), "covered": covered,
                                     "width": (table["ci_high"] - table["ci_low"]).to_numpy(),
                                     "error": np.abs(table["weight"].to_numpy() - values)}))
    matched = float(cost[fitted_of, true_of].mean())
    print(f"  replicate {seed}: {len(docs)} documents, {docs['group'].nunique()} groups, "
          f"mean L1 distance of matched topics {matched:.2f}", file=sys.stderr)
    return pd.concat(out)


def summarise(results: pd.DataFrame) -> pd.DataFrame:
    """Coverage by truth, intervals and group size; mean width and error."""
    edges = [low - 0.5 for low, _, _ in SIZE_BINS] + [10**9]
    labels = [label for _, _, label in SIZE_BINS]
    results = results.assign(size=pd.cut(results["n_docs"], edges, labels=labels))
    rows = []
    for (truth, uncertainty), part in results.groupby(["truth", "uncertainty"], sort=False):
        by_size = part.groupby("size", observed=False)["covered"].mean()
        rows.append({"truth": truth, "intervals": uncertainty,
                     **{f"cover {label}": by_size.get(label, np.nan) for label in labels},
                     "cover all": part["covered"].mean(), "mean width": part["width"].mean(),
                     "mean |error|": part["error"].mean()})
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicates", type=int, default=5)
    parser.add_argument("--topics", type=int, default=8)
    parser.add_argument("--vocabulary", type=int, default=1500)
    parser.add_argument("--regions", type=int, default=8)
    parser.add_argument("--periods", type=int, default=8)
    parser.add_argument("--sizes", default="1,1,2,3,5,8,15,40", help="documents per group, drawn uniformly")
    parser.add_argument("--length", type=int, default=80, help="mean tokens per document")
    parser.add_argument("--concentration", type=float, default=8.0)
    parser.add_argument("--draws", type=int, default=500)
    parser.add_argument("--lengths", default="80,300",
                        help="mean tokens per document of each scenario, comma-separated "
                             "(overrides --length)")
    parser.add_argument("--write", action="store_true", help="write the section 'coverage' of results.md")
    parser.add_argument("--one-sample", action="store_true",
                        help="draw around the final state only (halved precision), not the fit's "
                             "posterior samples")
    parser.add_argument("--samples", type=int, default=ModelConfig().posterior_samples,
                        help="[model] posterior_samples of the fits")
    parser.add_argument("--no-prune", action="store_true",
                        help="keep every word (the default prunes the most common: a check of how much of "
                             "the misses come from topics recovered imperfectly)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sections = []
    for length in [int(x) for x in args.lengths.split(",")] if args.lengths else [args.length]:
        args.length = length
        results = pd.concat([replicate(seed, args) for seed in range(args.replicates)]).reset_index(drop=True)
        table = summarise(results)
        print(f"\n{length} tokens a document:")
        print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        header = list(table.columns)
        rows = [[row[0], row[1], *(f"{v:.3f}" for v in row[2:])] for row in table.itertuples(index=False)]
        sections.append(f"**{length} tokens a document**\n\n" + markdown_table(header, rows, left=(0, 1)))
    seconds = time.perf_counter() - started
    print(f"{args.replicates} replicates per scenario, {seconds:.0f} s")
    if args.write:
        from bench_coherence import write_section

        settings = (f"{args.replicates} replicates per scenario; K = {args.topics}, {args.vocabulary} words, "
                    f"{args.regions} regions × {args.periods} periods, documents per group drawn from "
                    f"{{{args.sizes}}}, concentration {args.concentration}, {args.draws} draws, the "
                    "study's default model (`ModelConfig()`: tomotopy) at the true K")
        given = argv if argv is not None else sys.argv[1:]
        command = "python benchmarks/bench_coverage.py " + " ".join(given)
        title = "## Intervals: do they cover the truth? (simulation)"
        section = "coverage"
        if args.one_sample:
            title += ": one state of the sampler, halved precision (before posterior_samples)"
            section = "coverage-one-sample"
        write_section("\n".join([title, "",
                                  f"- date: {time.strftime('%Y-%m-%d')}; command: `{command}`",
                                  f"- {settings}; {seconds:.0f} s", "",
                                  "\n\n".join(sections)]), section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
