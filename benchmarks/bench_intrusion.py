"""Blind word intrusion (Chang et al. 2009): the plain script and the project's two engines.

``items`` fits, at one seed, the plain script of ``bench_coherence.py`` and the project with
``[model] engine = "tomotopy"`` and ``"gensim"`` on the same stories, and writes one item per
topic and system: the topic's top five words plus one intruder, a top-five word of another
topic of the same model (chosen at random) that is not among this topic's top 25, shuffled.
The items of all systems are shuffled together and numbered; ``items.txt`` shows only the
numbered words (what a rater sees: no system, no topic), ``key.json`` keeps the rest.

``score`` reads one CSV per rater (``item,word`` lines) and reports, per system, the share
of items whose intruder each rater found (model precision), their mean, and the raters'
agreement.

    nice python benchmarks/bench_intrusion.py items --out benchmarks/intrusion/xwlb-k20-seed42
    # give items.txt to two raters who know nothing of the systems; save A.csv, B.csv beside it
    python benchmarks/bench_intrusion.py score benchmarks/intrusion/xwlb-k20-seed42
    # the provincial panel as `make example` ships it, against the plain script:
    nice python benchmarks/bench_intrusion.py items --corpus provincial --topics 20 \
        --study data/examples/provincial.toml --engines tomotopy --out benchmarks/intrusion/provincial-seed42
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_coherence as bc

TOP = 5
NOT_IN_TOP = 25


def make_items(systems: dict[str, list[list[str]]], seed: int) -> list[dict]:
    """One shuffled word-intrusion item per topic of every system, numbered in a random order."""
    rng = random.Random(seed)
    items = []
    for name, topics in systems.items():
        for t, words in enumerate(topics):
            own = set(words[:NOT_IN_TOP])
            others = [o for o in range(len(topics)) if o != t]
            while True:
                candidates = [w for w in topics[rng.choice(others)][:TOP] if w not in own]
                if candidates:
                    intruder = rng.choice(candidates)
                    break
            shown = words[:TOP] + [intruder]
            rng.shuffle(shown)
            items.append({"system": name, "topic": t + 1, "words": shown, "intruder": intruder})
    rng.shuffle(items)
    for number, item in enumerate(items, start=1):
        item["item"] = number
    return items


def items_command(args) -> int:
    path = (bc.CORPORA_DIR / bc.CORPORA[args.corpus].file).resolve()
    corpus = bc.CORPORA[args.corpus]
    k = args.topics or corpus.n_topics
    passage_chars = bc.FALLBACK_PASSAGE_CHARS if corpus.passages else None
    systems = {"plain script": bc.plain_script(path, corpus.limit, k, passage_chars, args.seed,
                                               corpus.first_year)["ranked"]}
    with tempfile.TemporaryDirectory(prefix="bench-intrusion-") as tmp:
        for engine in args.engines.split(","):
            workdir = Path(tmp) / engine
            workdir.mkdir()
            config = bc.project_config(path, corpus.limit, k, {"model.engine": engine}, study_file=args.study,
                                       workdir=workdir, seed=args.seed)
            systems[f"project, {engine}"] = bc.project(config)["topics"]
    items = make_items(systems, args.item_seed)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "key.json").write_text(json.dumps(items, ensure_ascii=False, indent=0), encoding="utf-8")
    (args.out / "items.txt").write_text("".join(f"{it['item']}. {' '.join(it['words'])}\n" for it in items),
                                        encoding="utf-8")
    print(f"{len(items)} items in {args.out / 'items.txt'}")
    return 0


def score_command(args) -> int:
    key = {item["item"]: item for item in json.loads((args.folder / "key.json").read_text(encoding="utf-8"))}
    raters = sorted(args.folder.glob("*.csv"))
    if not raters:
        print(f"no rater answers (*.csv) in {args.folder}", file=sys.stderr)
        return 2
    answers = {p.stem: {int(i): w.strip() for i, w in csv.reader(p.open(encoding="utf-8"))} for p in raters}
    systems = sorted({item["system"] for item in key.values()})
    print("| system | " + " | ".join(f"rater {r}" for r in answers) + " | mean |")
    print("|---|" + "---:|" * (len(answers) + 1))
    for system in systems:
        mine = [i for i, item in key.items() if item["system"] == system]
        found = [sum(answers[r].get(i) == key[i]["intruder"] for i in mine) for r in answers]
        print(f"| {system} | " + " | ".join(f"{n}/{len(mine)}" for n in found)
              + f" | {sum(found) / (len(mine) * len(found)):.1%} |")
    names = list(answers)
    for a, b in itertools.pairwise(names):
        same = sum(answers[a].get(i) == answers[b].get(i) for i in key)
        print(f"\nagreement of {a} and {b}: {same}/{len(key)} items the same word")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    items = commands.add_parser("items", help="fit the systems and write the rater sheet and the key")
    items.add_argument("--corpus", choices=list(bc.CORPORA), default="xwlb")
    items.add_argument("--topics", type=int, default=None)
    items.add_argument("--seed", type=int, default=42, help="the models' seed")
    items.add_argument("--item-seed", type=int, default=2026, help="the seed of intruders and order")
    items.add_argument("--out", type=Path, required=True)
    items.add_argument("--study", type=Path, default=None,
                       help="the project's study file (default: the built-in defaults), e.g. "
                            "data/examples/provincial.toml with --corpus provincial")
    items.add_argument("--engines", default="tomotopy,gensim",
                       help="the project's engines, one system each (default tomotopy,gensim)")
    score = commands.add_parser("score", help="score the raters' answers in a folder")
    score.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if getattr(args, "study", None) is not None:  # the project is fitted from a temporary folder
        args.study = args.study.resolve()
    return items_command(args) if args.command == "items" else score_command(args)


if __name__ == "__main__":
    sys.exit(main())
