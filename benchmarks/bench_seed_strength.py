r"""Seed strength by measurement: how strong a prior holds the themes without wrecking the rest.

Reads ``policy_central_shandong`` and ``gwr_national`` (and, asked for, the first N
``xwlb`` stories) from ``../shared/corpora`` (in place, never copied into the repository),
cuts each document into passages of about 400 Chinese characters
(``policytopics.text.passages.split_passages``: paragraphs merged, long ones split at sentence
ends), segments them with the project's ``Segmenter`` with the policy user dictionary plus
every seed word of the themes file, and builds the pruned dictionary with
``policytopics.model.topic_model.build_dictionary`` (auto pruning for the number of passages). Then,
at K = ``--topics`` with the themes file (theme i seeds topic i, the others stay free), it
fits per seed one unseeded model, one with K - themes topics (the yardstick of the free
topics), and one seeded model per prior, base prior 1/K. A prior is an absolute strength
(``--strengths``) or a weight relative to the corpus (``--weights``: strength = weight ×
tokens after pruning / K, what ``seed_strength = 0`` uses). Each fit is scored:

- **held**: share of the themes whose topic has at least 3 of its top 10 words that are
  seed words or contain one (the words the theme seeds, :func:`seed_prior`'s rule);
- **follows**: Spearman correlation across documents between a seeded topic's share of
  the document (passages weighted by length) and the document's rate of its theme's
  seed words (seed words and words containing them per token, before pruning); mean and
  minimum over the themes. For ``gwr_national`` a document is one year's report, so this
  is across years;
- **learned**: mean number of a seeded topic's top 10 words that are not seeded (words
  the model found with the seeds; a prior so strong that the top words are only seeds
  shows the seed list back);
- **c_npmi**: gensim ``c_npmi`` of the top 10 words over the passages' token lists, mean
  over the free topics, against the unseeded model with as many topics as there are free
  ones (what those topics would be without the themes: a strong prior must not wreck
  them); also over all K topics, against the unseeded model with K topics;
- **share**: mean total share of the seeded topics per passage;
- **s**: CPU seconds of ``TopicModel.fit_corpus`` (this process; the machine is shared).

``--engine keyatm`` fits keyATM's base model (``policytopics.model.engines.keyatm``): the prior's strength
does not enter (the themes give each seeded topic its keywords), so one ``--weights`` value
is enough; ``--keyatm-weights`` lists its token weights to compare (``information-theory``,
keyATM's default, and ``none``), ``--keyatm-anchor true`` keeps a keyword's tokens in its own
topic (not keyATM: the project's tomotopy prior does it), ``--keyatm-gamma`` sets the switch's
Beta prior ``gamma1 = gamma2`` to a multiple of the weighted tokens per topic (0: keyATM's 1,
1; a large one holds ``pi_k`` near 1/2), and each fit is scored twice: by
the topic's overall word distribution ``p(w|k)`` (what the project shows) and by its regular
distribution ``phi_k`` alone. Per theme, ``--out`` keeps each seeded topic's top words, seeded
count and learned count. ``--no-baselines`` leaves out the unseeded fits (the free topics'
yardstick), which cost as much as the seeded ones.

``--start gensim`` fits with gensim's own first E-step instead (it ignores the prior;
``policytopics`` starts from ``eta + sstats`` as gensim's ``LdaMulticore`` workers do, see
``policytopics.model.topic_model``); ``--start both`` fits both, to show what that start is for.

Rule for ``DEFAULT_SEED_WEIGHT`` (printed with the tables): the smallest weight at which
at least 95 % of the themes are held (mean over seeds) on both policy corpora, the
gentlest prior that holds them; *follows*, *learned* and the free topics' c_npmi are read
beside it.

    nice -n 10 python benchmarks/bench_seed_strength.py                      # ~10 min
    nice -n 10 python benchmarks/bench_seed_strength.py --corpora xwlb:20000 --strengths 70 \
        --weights 0.002,0.004,0.006 --seeds 42                               # corpus size
    nice -n 10 python benchmarks/bench_seed_strength.py --strengths "" --weights 0.004 --start both
    nice -n 10 python benchmarks/bench_seed_strength.py --engine keyatm --corpora shandong \
        --strengths "" --weights 0.01 --seeds 42,7 --no-baselines                # keyATM
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import get_args
from unittest import mock

import numpy as np
from scipy.stats import spearmanr

from policytopics.model.engines import keyatm
from policytopics.model.themes import load_themes, seed_prior, seed_rates, seed_words, theme_prior
from policytopics.model.topic_model import TopicModel, build_dictionary
from policytopics.settings.config import Engine, ModelConfig, SegmentConfig, package_data
from policytopics.text.segment import Segmenter

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
CORPUS_FILES = {"shandong": "policy_central_shandong.jsonl.gz", "gwr": "gwr_national.jsonl.gz",
                "provincial": "gwr_provincial.jsonl.gz", "xwlb": "xwlb.jsonl.gz"}
THEMES_FILE = REPO / "data" / "themes" / "manufacturing_policy.toml"
TOP_N = 10
HELD_MIN = 3  # seed words (or words containing one) among a seeded topic's top 10
HELD_SHARE = 0.95  # the rule: themes held, mean over seeds, on each policy corpus


def passages_of(text: str, target: int) -> list[str]:
    """Passages of ``text`` (the project's splitter when present, else a simple one)."""
    try:
        from policytopics.text.passages import split_passages
    except ImportError:  # before units.py existed: paragraphs merged up to the target
        out, current = [], ""
        for paragraph in filter(None, (line.strip() for line in text.split("\n"))):
            if current and len(current) + len(paragraph) > target:
                out.append(current)
                current = ""
            current += paragraph
        return out + ([current] if current else [])
    return split_passages(text, target)


def simplified(text: str) -> str:
    try:
        from policytopics.text.clean import normalise
    except ImportError:
        return text
    return normalise(text, simplified=True)


def read_corpus(name: str, target: int, limit: int = 0):
    """Passage texts, the document index of each passage and its length in characters."""
    texts, doc_of, lengths, n_docs = [], [], [], 0
    with gzip.open(CORPORA / CORPUS_FILES[name], "rt", encoding="utf-8") as fh:
        for line in fh:
            if limit and n_docs >= limit:
                break
            record = json.loads(line)
            for passage in passages_of(simplified(record["text"]), target):
                texts.append(passage)
                doc_of.append(n_docs)
                lengths.append(len(passage))
            n_docs += 1
    return texts, np.array(doc_of), np.array(lengths, dtype=float), n_docs


def segmenter_with(words: list[str]) -> Segmenter:
    """The project's default Segmenter with ``words`` added to its user dictionary."""
    terms = package_data("policy_terms.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "terms.txt"
        path.write_text(terms + "\n" + "\n".join(words) + "\n", encoding="utf-8")
        return Segmenter(SegmentConfig(user_dictionary=path))


def by_document(values: np.ndarray, doc_of: np.ndarray, weights: np.ndarray, n_docs: int) -> np.ndarray:
    """Length-weighted mean of passage rows per document."""
    totals = np.zeros((n_docs, values.shape[1]))
    np.add.at(totals, doc_of, values * weights[:, None])
    mass = np.bincount(doc_of, weights=weights, minlength=n_docs)
    return totals / np.where(mass > 0, mass, 1)[:, None]


def npmi_per_topic(topics, tokens, dictionary) -> list[float]:
    from gensim.models import CoherenceModel

    model = CoherenceModel(topics=topics, texts=tokens, dictionary=dictionary, coherence="c_npmi",
                           topn=TOP_N, processes=1)
    return [float(x) for x in model.get_coherence_per_topic()]


@contextmanager
def gensim_start(enabled: bool):
    """Fit with gensim's own first E-step (random topics without the prior)."""
    if not enabled:
        yield
        return
    with mock.patch("policytopics.model.engines.gensim._seeded_lda",
                    lambda lda_class, **options: lda_class(**options)):
        yield


def score(model: TopicModel, data: dict, themes, theme_words: list[set[str]], view: str = "p(w|k)") -> dict:
    """The measures of the module docstring; ``view = "phi_k"`` reads a keyATM topic's top
    words from its regular distribution alone."""
    if view == "phi_k":
        matrix = model.engine_.lda.regular_topic_word()[np.asarray(model.order_, dtype=int)]
        topics = [[model.dictionary_[int(j)] for j in np.argsort(-row, kind="stable")[:TOP_N]]
                  for row in matrix]
    else:
        words = model.topic_words(TOP_N)
        topics = [list(frame["word"]) for _, frame in words.groupby("topic")]
    npmi = npmi_per_topic(topics, data["tokens"], model.dictionary_)
    seeded_numbers = {name: topic for topic, name in model.theme_names_.items()}
    free = [t for t in range(1, len(topics) + 1) if t not in model.theme_names_]
    row = {"npmi_free": float(np.mean([npmi[t - 1] for t in free])) if free else float("nan"),
           "npmi_all": float(np.mean(npmi))}
    if not seeded_numbers:
        return row
    held, follows, learned, learned_strict, per_theme = [], [], [], [], []
    shares = by_document(model.doc_topic_, data["doc_of"], data["lengths"], data["n_docs"])
    for i, theme in enumerate(themes):
        topic = seeded_numbers[theme.name]
        n_seeded = sum(word in theme_words[i] for word in topics[topic - 1])
        held.append(n_seeded >= HELD_MIN)
        learned.append(len(topics[topic - 1]) - n_seeded)
        learned_strict.append(sum(word not in theme.words for word in topics[topic - 1]))
        follows.append(spearmanr(shares[:, topic - 1], data["rates"][:, i]).statistic)
        per_theme.append({"theme": theme.name, "n_seeded": n_seeded, "learned": learned[-1],
                          "follows": float(follows[-1]), "top_words": " ".join(topics[topic - 1])})
    seeded_columns = [seeded_numbers[theme.name] - 1 for theme in themes]
    row |= {"held": float(np.mean(held)), "follows": float(np.nanmean(follows)),
            "follows_min": float(np.nanmin(follows)), "learned": float(np.mean(learned)),
            "learned_min": int(np.min(learned)), "learned_strict": float(np.mean(learned_strict)),
            "npmi_seeded": float(np.mean([npmi[c] for c in seeded_columns])),
            "seeded_share": float(model.doc_topic_[:, seeded_columns].sum(axis=1).mean()),
            "not_held": [theme.name for theme, ok in zip(themes, held) if not ok], "themes": per_theme}
    return row


def prepare(name: str, themes, args) -> dict:
    started = time.perf_counter()
    name, _, limit = name.partition(":")
    texts, doc_of, lengths, n_docs = read_corpus(name, args.passage_chars, int(limit or 0))
    segmenter = segmenter_with(seed_words(themes))
    tokens = [segmenter.tokenize(text) for text in texts]
    config = ModelConfig(n_topics=args.topics)
    dictionary, unpruned = build_dictionary(tokens, config, return_unpruned=True)
    corpus = [dictionary.doc2bow(t) for t in tokens]
    passage_rates = seed_rates(themes, tokens) * np.array([len(t) for t in tokens])[:, None]
    n_tokens = np.bincount(doc_of, weights=[len(t) for t in tokens], minlength=n_docs)
    doc_rates = np.zeros((n_docs, len(themes)))
    np.add.at(doc_rates, doc_of, passage_rates)
    doc_rates /= np.where(n_tokens > 0, n_tokens, 1)[:, None]
    _, report = seed_prior(themes, dictionary, args.topics, strength=1, unpruned=unpruned)
    print(f"{name}: {n_docs} documents, {len(texts)} passages, {sum(map(len, tokens)):,} tokens, "
          f"vocabulary {len(dictionary):,} of {len(unpruned):,}; seeds "
          + ", ".join(f"{n} {status}" for status, n in report["status"].value_counts().items())
          + f"; prepared in {time.perf_counter() - started:.0f} s", flush=True)
    return {"name": name + (f":{limit}" if limit else ""), "tokens": tokens, "dictionary": dictionary,
            "corpus": corpus, "doc_of": doc_of, "lengths": lengths, "n_docs": n_docs, "rates": doc_rates,
            "report": report, "n_passages": len(texts), "n_tokens": sum(dictionary.cfs.values())}


def fit(data, themes, args, seed: int, strength: float | None, start: str = "seeded",
        n_topics: int | None = None, other: float | None = None,
        word_weights: str = keyatm.WORD_WEIGHTS, anchor: bool = False,
        gamma_weight: float = 0.0):
    config = ModelConfig(n_topics=n_topics or args.topics, seed=seed, passes=args.passes,
                         engine=args.engine, gibbs_iterations=args.gibbs_iterations,
                         anchor_keywords=anchor, switch_prior=gamma_weight)
    eta = names = None
    if strength is not None:
        if other is None:  # the engine's own prior form (policytopics.model.themes.theme_prior)
            eta, _ = theme_prior(themes, data["dictionary"], replace(config, seed_strength=strength))
        else:
            eta, _ = seed_prior(themes, data["dictionary"], args.topics, strength=strength,
                                other=other / args.topics)
        names = [theme.name for theme in themes]
    cpu, wall = time.process_time(), time.perf_counter()
    with (gensim_start(start == "gensim"), mock.patch.object(keyatm, "WORD_WEIGHTS", word_weights)):
        model = TopicModel(config).fit_corpus(data["corpus"], data["dictionary"], eta=eta, theme_names=names)
    model.wall_s = time.perf_counter() - wall
    return model, time.process_time() - cpu


def fmt(value, digits=2):
    if isinstance(value, float):
        return "--" if np.isnan(value) else f"{value:.{digits}f}"
    return str(value)


def priors(args) -> list[tuple[str, float]]:
    """The priors to fit: ``("strength", s)`` absolute, ``("weight", w)`` relative to corpus size."""
    def values(text):
        return [float(v) for v in text.split(",") if v.strip()]

    return [("strength", v) for v in values(args.strengths)] + [("weight", v) for v in values(args.weights)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", default="shandong,gwr",
                        help="shandong,gwr,xwlb; NAME:N reads the first N documents (xwlb:20000)")
    parser.add_argument("--themes", type=Path, default=THEMES_FILE)
    parser.add_argument("--topics", type=int, default=14)
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--passage-chars", type=int, default=400)
    parser.add_argument("--strengths", default="1,5,20,50,100,200",
                        help="absolute priors of a seed word in its topic ('' for none)")
    parser.add_argument("--weights", default="0.001,0.002,0.003,0.004,0.006,0.01",
                        help="priors relative to the corpus: strength = weight * tokens / K ('' for none)")
    parser.add_argument("--seeds", default="42,7,2026")
    parser.add_argument("--engine", choices=get_args(Engine), default="tomotopy")
    parser.add_argument("--keyatm-weights", default=keyatm.WORD_WEIGHTS,
                        help="keyatm: token weights to compare, comma-separated (information-theory, none)")
    parser.add_argument("--keyatm-anchor", default="false",
                        help="keyatm: keep keywords in their own topics, comma-separated (false, true)")
    parser.add_argument("--keyatm-gamma", default="0",
                        help="keyatm: gamma1 = gamma2 = this x weighted tokens / K, comma-separated "
                             "(0 = keyATM's 1, 1)")
    parser.add_argument("--no-baselines", action="store_true",
                        help="leave out the unseeded fits (the free topics' yardstick)")
    parser.add_argument("--gibbs-iterations", type=int, default=200)
    parser.add_argument("--others", default="",
                        help="prior of a seed word in the topics it does not seed, as multiples of the "
                             "base 1/K ('' = the engine's default form, policytopics.model.themes)")
    parser.add_argument("--start", choices=("seeded", "gensim", "both"), default="seeded",
                        help="first E-step: the project's (seeded), gensim's own, or both")
    parser.add_argument("--out", type=Path, default=None, help="also write the rows as JSON")
    args = parser.parse_args(argv)
    if not CORPORA.is_dir():
        print(f"{CORPORA} is not beside the repository", file=sys.stderr)
        return 2
    themes = load_themes(args.themes)
    theme_names = [theme.name for theme in themes]
    seeds = [int(s) for s in args.seeds.split(",")]
    starts = ["seeded", "gensim"] if args.start == "both" else [args.start]
    others = [float(v) for v in args.others.split(",") if v.strip()] or [None]
    word_weights = ([(w.strip(), a.strip() == "true", float(g)) for w in args.keyatm_weights.split(",")
                     if w.strip() for a in args.keyatm_anchor.split(",") if a.strip()
                     for g in args.keyatm_gamma.split(",") if g.strip()]
                    if args.engine == "keyatm" else [(keyatm.WORD_WEIGHTS, False, 0.0)])
    rows = []
    for corpus_name in args.corpora.split(","):
        data = prepare(corpus_name, themes, args)
        name = data["name"]
        report = data["report"]
        theme_words = [set(" ".join(report.loc[report["theme"] == t, "seeded"]).split()) for t in theme_names]
        if args.engine == "keyatm":  # numba compiles on first use: not part of any fit's time
            TopicModel(ModelConfig(n_topics=2, engine="keyatm", gibbs_iterations=1, no_below=1,
                                   no_above=1.0)).fit([["a", "b"], ["b", "c"]])
        for seed in seeds:
            if args.no_baselines:
                forms = [(start, other, w) for start in starts for other in others for w in word_weights]
                run_seeded(rows, data, themes, theme_words, args, seed, name, forms)
                continue
            model, cpu = fit(data, themes, args, seed, None)
            baseline = {"corpus": name, "n_tokens": data["n_tokens"], "start": "--", "prior": "none",
                        "value": 0.0, "strength": 0.0, "seed": seed, "fit_s": cpu,
                        **score(model, data, themes, theme_words)}
            free_k = args.topics - len(themes)
            if free_k >= 2:
                model, _ = fit(data, themes, args, seed, None, n_topics=free_k)
                baseline["npmi_k_free"] = score(model, data, themes, theme_words)["npmi_all"]
            rows.append(baseline)
            print(f"  {name} unseeded seed {seed}: c_npmi {baseline['npmi_all']:.3f} "
                  f"(K = {free_k}: {baseline.get('npmi_k_free', float('nan')):.3f}) ({cpu:.0f} s)",
                  flush=True)
            forms = [(start, other, w) for start in starts for other in others for w in word_weights]
            run_seeded(rows, data, themes, theme_words, args, seed, name, forms)
    if args.out:
        args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    print_tables(rows, args)
    return 0


def run_seeded(rows, data, themes, theme_words, args, seed, name, forms) -> None:
    """The seeded fits of one seed: every start, prior form, keyATM token weights and prior."""
    for start, other, (weights, anchor, gamma) in forms:
        form = start if other is None else f"{start}, other {other:g}/K"
        if args.engine == "keyatm":
            form = (f"keyatm, weights {weights}" + (", anchored" if anchor else "")
                    + (f", gamma {gamma:g} tokens/K" if gamma else ""))
        for kind, value in priors(args):
            strength = value if kind == "strength" else value * data["n_tokens"] / args.topics
            model, cpu = fit(data, themes, args, seed, strength, start, other=other, word_weights=weights,
                             anchor=anchor, gamma_weight=gamma)
            views = ["p(w|k)", "phi_k"] if args.engine == "keyatm" else ["p(w|k)"]
            for view in views:
                row = {"corpus": name, "n_tokens": data["n_tokens"], "engine": args.engine,
                       "start": form if view == "p(w|k)" else f"{form}, top words of phi_k",
                       "prior": kind, "value": value, "strength": strength, "seed": seed, "fit_s": cpu,
                       "wall_s": model.wall_s, **score(model, data, themes, theme_words, view)}
                rows.append(row)
                print(f"  {name} {row['start']} {kind} {value:g} (strength {strength:.1f}) seed {seed}: "
                      f"held {row['held']:.2f} follows {row['follows']:.2f} "
                      f"(min {row['follows_min']:.2f}) learned {row['learned']:.1f} "
                      f"(min {row['learned_min']}) free c_npmi {row['npmi_free']:.3f} "
                      f"seeded share {row['seeded_share']:.2f} ({cpu:.0f} s CPU, {model.wall_s:.0f} s) "
                      f"not held: {row['not_held']}", flush=True)
                for theme in row["themes"]:
                    print(f"      {theme['theme']}: seeded {theme['n_seeded']} learned {theme['learned']} "
                          f"follows {theme['follows']:.2f}: {theme['top_words']}", flush=True)


def print_tables(rows: list[dict], args) -> None:
    import pandas as pd

    frame = pd.DataFrame(rows)
    corpora = list(dict.fromkeys(frame["corpus"]))
    fitting = f"{args.passes} passes" if args.engine == "gensim" else f"{args.gibbs_iterations} Gibbs sweeps"
    print(f"\nengine {args.engine}, K = {args.topics}, {fitting}, base prior 1/K, seeds {args.seeds}; "
          "mean over seeds. "
          "held: share of themes held; follows: Spearman over documents, mean (min) over themes; "
          "learned: words among a seeded topic's top 10 that the theme does not seed (in brackets: "
          "that are not in its seed list, words containing a seed counting as learned); "
          "c_npmi of the free topics (all K); "
          "share: seeded topics' mean total share; s: CPU seconds per fit. Unseeded rows: c_npmi "
          "with K - themes topics (with K).")
    for corpus in corpora:
        part = frame[frame["corpus"] == corpus]
        print(f"\n{corpus} ({part['n_tokens'].iloc[0]:,} tokens after pruning)")
        header = ["start", "prior", "strength", "held", "follows (min)", "learned (not a seed)",
                  "learned min", "c_npmi free (all)", "share", "s"]
        lines = [header]
        for (start, kind, value), group in part.groupby(["start", "prior", "value"], sort=False):
            g = group.mean(numeric_only=True)
            label = "none" if kind == "none" else (f"{value:g}" if kind == "strength" else f"w={value:g}")
            if kind == "none":
                lines.append([start, label, "--", "--", "--", "--", "--",
                              f"{g.get('npmi_k_free', float('nan')):.3f} ({g['npmi_all']:.3f})", "--",
                              f"{g['fit_s']:.0f}"])
            else:
                lines.append([start, label, f"{g['strength']:.0f}", fmt(g["held"]),
                              f"{g['follows']:.2f} ({g['follows_min']:.2f})",
                              f"{g['learned']:.1f} ({g['learned_strict']:.1f})",
                              f"{group['learned_min'].min():.0f}",
                              f"{g['npmi_free']:.3f} ({g['npmi_all']:.3f})", fmt(g["seeded_share"]),
                              f"{g['fit_s']:.0f}"])
        widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
        for line in lines:
            print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths)).rstrip())
        print_themes(part)
    recommend(frame)


def print_themes(part) -> None:
    """Per theme of each seeded form: seeded and learned top-10 words, mean (min) over seeds."""
    seeded = part[part["prior"] != "none"]
    if seeded.empty or "themes" not in seeded:
        return
    import pandas as pd

    themes = pd.DataFrame([theme | {"start": row.start, "value": row.value}
                           for row in seeded.itertuples() for theme in row.themes])
    for (start, value), group in themes.groupby(["start", "value"], sort=False):
        print(f"\n  per theme, {start}, {value:g}: seeded / learned of the top 10, mean (min) over seeds")
        for theme, rows in group.groupby("theme", sort=False):
            print(f"    {theme}: seeded {rows['n_seeded'].mean():.1f} ({rows['n_seeded'].min()}), "
                  f"learned {rows['learned'].mean():.1f} ({rows['learned'].min()})")


def recommend(frame) -> None:
    """The rule of the module docstring, over the policy corpora (shandong, gwr) measured."""
    weights = frame[(frame["start"] == "seeded") & (frame["prior"] == "weight")]
    policy = weights[weights["corpus"].isin(["shandong", "gwr"])]
    if policy.empty:
        return
    held = policy.groupby(["value", "corpus"])["held"].mean().unstack()
    ok = [value for value, row in held.iterrows() if (row >= HELD_SHARE).all()]
    print(f"\nrecommended DEFAULT_SEED_WEIGHT: {min(ok):g}" if ok else "\nno weight meets the rule",
          f"(the smallest weight at which, on {', '.join(held.columns)}, at least {HELD_SHARE:.0%} of the "
          "themes are held, mean over seeds)")


if __name__ == "__main__":
    sys.exit(main())
