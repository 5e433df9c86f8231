"""Which words should name a topic: probability, FREX or relevance, by measurement.

A topic's default label is ``T3 w1·w2·w3``: three words. For each corpus it fits the
project with its defaults (``Study(config).model()``, the default engine) and, per seed,
ranks each topic's words three ways (:meth:`policytopics.model.topic_model.TopicModel.ranked_words`):
by probability ``p(w|t)``, by stm's FREX (weight 0.5) and by LDAvis relevance (λ = 0.6).
Two measures of the three label words, read together:

- **repeated**: the share of label words that also stand in another topic's label (a label
  that repeats the corpus's common words does not tell its topic apart; lower is better);
- **sentence NPMI** of the three label words (their three pairs) over the sentences of the
  raw texts, as in ``bench_coherence.py`` (do the words belong together; higher is better).

The rule, fixed before the run: the ranking with the fewest repeated label words whose
mean label NPMI is within 0.05 of the best ranking's on every corpus; the default
``[model] label_words`` follows it.

    nice -n 10 python benchmarks/bench_labels.py --seeds 42,43,44           # ~6 min
    python benchmarks/bench_labels.py --corpus gwr --seeds 42 --write        # quick
"""

from __future__ import annotations

import argparse
import datetime
import shlex
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _markdown
from bench_coherence import (
    CORPORA,
    CORPORA_DIR,
    SentenceIndex,
    project_config,
    read_raw_texts,
    write_section,
)

LABEL_WORDS = 3
RULE_NPMI_MARGIN = 0.05


def label_scores(labels: list[list[str]], sentences: SentenceIndex) -> dict:
    """``repeated`` share and mean sentence NPMI of each topic's label words."""
    counts = Counter(w for words in labels for w in set(words))
    repeated = sum(counts[w] > 1 for words in labels for w in words) / sum(len(w) for w in labels)
    npmi, _ = sentences.npmi(labels)
    return {"repeated": repeated, "npmi": float(np.mean(npmi))}


def main(argv: list[str] | None = None) -> int:
    from policytopics import Study
    from policytopics.model.word_rankings import WORD_RANKINGS

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=[*CORPORA, "all"], default="all")
    parser.add_argument("--seeds", default="42,43,44")
    parser.add_argument("--write", action="store_true", help="write the section into results.md")
    args = parser.parse_args(argv)
    command = "python benchmarks/bench_labels.py " + shlex.join(sys.argv[1:] if argv is None else argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    names = list(CORPORA) if args.corpus == "all" else [args.corpus]
    rows, examples = [], []
    with tempfile.TemporaryDirectory(prefix="bench-labels-") as tmp:
        for name in names:
            corpus = CORPORA[name]
            path = (CORPORA_DIR / corpus.file).resolve()
            sentences = SentenceIndex(read_raw_texts(path, corpus.limit))
            workdir = Path(tmp) / name
            workdir.mkdir()
            for seed in seeds:
                config = project_config(path, corpus.limit, corpus.n_topics, {}, study_file=None,
                                        workdir=workdir, seed=seed)
                model = Study(config, progress=False).model()
                for by in WORD_RANKINGS:
                    words = model.ranked_words(LABEL_WORDS, by)
                    labels = [list(frame.sort_values("rank")["word"]) for _, frame in words.groupby("topic")]
                    rows.append({"corpus": name, "k": corpus.n_topics, "seed": seed, "ranking": by,
                                 **label_scores(labels, sentences)})
                    if seed == seeds[0]:
                        examples.append(f"- {name}, seed {seed}, {by}: "
                                        + "; ".join("·".join(label) for label in labels[:6]))
                    print(rows[-1], file=sys.stderr, flush=True)
    import pandas as pd

    frame = pd.DataFrame(rows)
    summary = frame.groupby(["corpus", "ranking"], sort=False)[["repeated", "npmi"]].agg(["mean", "std"])
    table = [[corpus, ranking, f"{row[('repeated', 'mean')]:.3f} ± {row[('repeated', 'std')]:.3f}",
              f"{row[('npmi', 'mean')]:+.3f} ± {row[('npmi', 'std')]:.3f}"]
             for (corpus, ranking), row in summary.iterrows()]
    means = frame.groupby(["corpus", "ranking"])[["repeated", "npmi"]].mean()
    best_npmi = means["npmi"].groupby(level="corpus").max()
    eligible = [by for by in WORD_RANKINGS
                if all(means.loc[(c, by), "npmi"] >= best_npmi[c] - RULE_NPMI_MARGIN
                       for c in best_npmi.index)]
    overall = means["repeated"].groupby(level="ranking").mean()
    choice = min(eligible, key=lambda by: overall[by]) if eligible else None
    report = "\n".join([
        "## Label words: probability, FREX or relevance",
        "",
        f"- date: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; command: `{command}`",
        f"- the project's defaults; {LABEL_WORDS} label words per topic; seeds {args.seeds}; "
        "mean ± SD over seeds",
        "",
        _markdown.markdown_table(["corpus", "ranking", "repeated label words", "label sentence NPMI"],
                                 table, left=(0, 1)),
        "",
        f"Rule: the fewest repeated label words among the rankings whose label NPMI is within "
        f"{RULE_NPMI_MARGIN} of the best on every corpus: **{choice}** (eligible: {', '.join(eligible)}).",
        "",
        "First six labels of the first seed:",
        "",
        *examples,
    ])
    print(report)
    if args.write:
        write_section(report, "labels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
