"""The held rule's two measures on a study's default fit (#39 item 2): for every seeded topic,
Spearman's ρ between its share and its theme's seed-word rate (documents and units) and its
seed mass (sum of p(w|t) over the theme's seeded words); and for each seeded topic against
every *other* theme's seeds, the same two numbers for topics that plainly are not that theme.

    nice python benchmarks/bench_held_rule.py national data/examples/national.toml
    nice python benchmarks/bench_held_rule.py provincial data/examples/provincial.toml
    nice python benchmarks/bench_held_rule.py shandong - \
        corpus=../shared/corpora/policy_central_shandong.jsonl.gz out=/tmp/held_sd n_topics=14 \
        model__themes=data/themes/manufacturing_policy.toml
    nice python benchmarks/bench_held_rule.py national-keyatm data/examples/national.toml model__engine=keyatm

Extra ``key=value`` arguments are ``load_study`` overrides; the cache is ``/tmp/held_rule_cache``
unless ``output__cache_dir=`` says otherwise.
"""
import sys

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from policytopics import Study, load_study
from policytopics.model.themes_held import by_document, themes_held

pd.set_option("display.width", 250)
pd.set_option("display.max_colwidth", 80)


def other_themes(study, model, tokens) -> pd.DataFrame:
    """Each seeded topic against every other theme's seeds: ρ (documents) and seed mass."""
    themes, report = study.themes(), study.theme_seeds()
    rates, shares = by_document(themes, tokens["tokens"], model.doc_topic_, tokens["doc_id"])
    ids, topic_word, rows = model.dictionary_.token2id, model.topic_word(), []
    for topic, own in model.theme_names_.items():
        for other in model.theme_names_.values():
            if other != own:
                seeded = set(" ".join(report.loc[report["theme"] == other, "seeded"].dropna()).split())
                mass = topic_word[topic - 1, [ids[w] for w in seeded if w in ids]].sum()
                rows.append((own, other, spearmanr(shares[:, topic - 1], rates[other]).statistic, mass))
    return pd.DataFrame(rows, columns=["topic_theme", "other_theme", "spearman", "seed_mass"])


def within_years(study, model, tokens, min_regions: int = 8) -> pd.DataFrame:
    """Each seeded topic's ρ across the reports of one year (years with at least ``min_regions``
    of them), the issue's measure: its median over the years, and the other themes' largest."""
    rates, shares = by_document(study.themes(), tokens["tokens"], model.doc_topic_, tokens["doc_id"])
    order = pd.factorize(pd.Series(list(tokens["doc_id"])))[1]
    years = pd.to_datetime(study.documents().set_index("doc_id").loc[order, "date"]).dt.year.to_numpy()
    rows = []
    for topic, own in sorted(model.theme_names_.items()):
        for theme in model.theme_names_.values():
            share, rate = shares[:, topic - 1], rates[theme].to_numpy()
            rhos = [spearmanr(share[years == y], rate[years == y]).statistic for y in np.unique(years)
                    if (years == y).sum() >= min_regions and np.ptp(share[years == y]) > 0
                    and np.ptp(rate[years == y]) > 0]
            rows.append((own, theme, own == theme, np.median(rhos) if rhos else np.nan, len(rhos)))
    return pd.DataFrame(rows, columns=["topic_theme", "theme", "own", "spearman_within_year", "years"])


def main():
    name, toml = sys.argv[1], sys.argv[2]
    over = {"output__cache_dir": "/tmp/held_rule_cache", "compute__workers": 1}
    for pair in sys.argv[3:]:
        key, value = pair.split("=", 1)
        over[key] = int(value) if value.isdigit() else value
    config = load_study(None if toml == "-" else toml, **over)
    study = Study(config, progress=False)
    model, tokens = study.model(), study.tokens()
    print(name, "engine", config.model.engine, "K", config.model.n_topics, "seed", config.model.seed,
          "units", len(tokens), "documents", tokens["doc_id"].nunique())
    for level, docs in (("units", None), ("documents", tokens["doc_id"])):
        held = themes_held(model, study.themes(), tokens["tokens"], study.theme_seeds(), doc_ids=docs)
        print("--", level)
        print(held.to_string())
    within = within_years(study, model, tokens)
    if within["years"].max() > 0:
        print("-- ρ across the reports of a year, median over years")
        print(within[within.own].to_string())
        print(f"others: max {within.loc[~within.own, 'spearman_within_year'].max():.3f}")
    off = other_themes(study, model, tokens)
    print(f"own (documents): spearman min {held.spearman.min():.3f}  seed_mass min "
          f"{held.seed_mass.min():.3f} median {held.seed_mass.median():.3f}")
    print(f"others         : spearman max {off.spearman.max():.3f}  seed_mass max "
          f"{off.seed_mass.max():.3f} median {off.seed_mass.median():.4f}")
    print(off.sort_values("seed_mass", ascending=False).head(3).to_string())
    print(off.sort_values("spearman", ascending=False).head(3).to_string())


if __name__ == "__main__":
    main()
