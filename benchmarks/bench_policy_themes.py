"""The policy-themes acceptance numbers of a finished run (issue: policy themes).

Reads a run's output folder (``policytopics run ... --out DIR``) and prints:

- the mean over documents of each document's largest topic share (a report that sits at
  0 or 1 on every figure has 1.0 here),
- topics with no weight (prevalence below 1 %),
- place names among any topic's top 10 words (the gazetteer's names and the admin words
  the vocabulary filter drops),
- documents whose region was not stated by the source but taken from a passage, i.e.
  national documents given a province,
- for a seeded run, whether every seeded topic carries its theme's name in the tables.

Usage::

    policytopics run --corpus ../shared/corpora/gwr_national.jsonl.gz --topics 10 --out /tmp/gwr
    python benchmarks/bench_policy_themes.py /tmp/gwr
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd


def acceptance(out: Path) -> dict:
    from policytopics.text.place_words import place_name_words
    from policytopics.text.segment import load_admin_words

    wide = pd.read_parquet(out / "doc_topics.parquet")
    topic_columns = [c for c in wide.columns if c.startswith("T") and c[1:].isdigit()]
    topics = pd.read_csv(out / "topics.csv", encoding="utf-8-sig")
    words = pd.read_csv(out / "topic_words.csv", encoding="utf-8-sig")
    if "ranking" in words.columns:  # three rankings since the labels issue; read p(w|t)
        words = words[words["ranking"] == "probability"]
    documents = pd.read_csv(out / "documents.csv", encoding="utf-8-sig", dtype={"national": "boolean"})
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    places = place_name_words() | load_admin_words(record["settings"]["segment"]["admin_words"])
    top10 = words[words["rank"] <= 10]
    kept = documents[documents["status"] == "kept"]
    national = kept[kept["national"].fillna(False)]
    result = {
        "documents": len(wide),
        "units": record.get("units"),
        "mean_largest_share": round(float(wide[topic_columns].max(axis=1).mean()), 3),
        "empty_topics": int((topics["prevalence"] < 0.01).sum()),
        "place_names_in_top10": sorted(set(top10["word"]) & places),
        "national_with_a_province": int(national["region"].notna().sum()),
        "labels": topics["label"].tolist(),
    }
    themes = out / "theme_seeds.csv"
    if themes.is_file():
        seeds = pd.read_csv(themes, encoding="utf-8-sig")
        names = set(seeds["theme"])
        labelled = {label.split(" ", 1)[1] for label in topics["label"] if " " in label}
        result["themes_labelled"] = f"{len(names & labelled)} of {len(names)}"
        result["seeds_missing"] = seeds.loc[seeds["status"] != "in vocabulary", ["theme", "seed", "status"]] \
            .to_dict("records")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="a run's output folder (policytopics run --out DIR)")
    args = parser.parse_args()
    for key, value in acceptance(args.out).items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
