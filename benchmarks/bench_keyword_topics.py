r"""Keyword topics against the word prior, measured: should a themes file fit keyword topics by default?

Fits a study (by default the provincial panel, ``data/examples/provincial.toml`` with its
themes file) once per setting and seed, each fit in a fresh process (its CPU seconds, wall
seconds and peak memory are its own; the study's documents, tokens and corpus are built once,
in a cache folder of this run, and only read by the fits), and scores each fit:

- **follow**: themes whose topic's share of a document (passages weighted by length, the
  project's document shares) follows the document's rate of the theme's seed words
  (``policytopics.model.themes.seed_rates``: seed words and words containing one, per token)
  across documents, Spearman ρ ≥ 0.5; in brackets the smallest ρ;
- **learned**: top-10 words (by p(w|k), what the project shows) of a seeded topic that the
  theme does not seed (a word is seeded when it contains one of the theme's seed words): mean
  over the themes and the fewest;
- **free NPMI**: sentence NPMI of the free topics' top 10 words over the documents' cleaned
  text (``bench_coherence.SentenceIndex``), mean over the free topics;
- **CPU s / wall s / peak MB**: the fit's process (tomotopy's two threads summed in CPU),
  peak resident memory of the whole fitting process, and in brackets its peak before the fit
  (reading the study's cached stages): where the two are equal, the fit stayed below what the
  reading took, and the column says nothing of the fit's own memory.

Settings: ``tomotopy`` (the default engine, its word prior) and ``keyatm`` (the keyword-topic
engine with its defaults: keywords anchored, switch prior 0.075). The machine is shared:
wall seconds are inflated by the others' load, CPU seconds are the comparable ones.

    nice -n 10 .venv/bin/python benchmarks/bench_keyword_topics.py --seeds 42        # one seed
    nice -n 10 .venv/bin/python benchmarks/bench_keyword_topics.py --seeds 42,7,1 --write
    nice -n 10 .venv/bin/python benchmarks/bench_keyword_topics.py --compile-times   # numba cache
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from bench_coherence import SentenceIndex, write_section
from scipy.stats import spearmanr

REPO = Path(__file__).resolve().parents[1]
SETTINGS = {"tomotopy": {"model__engine": "tomotopy"},
            "keyatm": {"model__engine": "keyatm"}}
SHOWN = {"tomotopy": "tomotopy word prior (default)",
         "keyatm": "keyatm, anchored, switch prior 0.075"}
FOLLOWS = 0.5
TOP = 10


def study_of(path: Path, cache: Path, setting: str, seed: int):
    from policytopics.study.study import Study

    return Study.from_file(path, progress=False, model__seed=seed, output__cache_dir=str(cache),
                           **SETTINGS[setting])


def fit_one(path: Path, cache: Path, setting: str, seed: int) -> dict:
    """Fit in this process (the model stage, built), with its own times and memory."""
    study = study_of(path, cache, setting, seed)
    study.corpus(), study.unit_ids(), study.seen_words()  # read before the clock starts
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu, wall = time.process_time(), time.perf_counter()
    study.model()
    return {"cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "before_mb": before / 1024, "cached": bool(study.cache_hits.get("model"))}


def document_shares(model, units) -> tuple[list[str], np.ndarray]:
    """Each document's topic shares: its passages' shares weighted by their length."""
    weights = units["n_chars"].to_numpy(dtype=float)[:, None]
    ids = units["doc_id"].to_numpy()
    docs, inverse = np.unique(ids, return_inverse=True)
    sums = np.zeros((docs.size, model.doc_topic_.shape[1]))
    np.add.at(sums, inverse, model.doc_topic_ * weights)
    return list(docs), sums / sums.sum(axis=1, keepdims=True)


def score(study, sentences: SentenceIndex) -> dict:
    from policytopics.model.themes import seed_rates

    model, tokens, themes = study.model(), study.tokens(), study.themes()
    assert len(tokens) == model.doc_topic_.shape[0], "units and proportions disagree"
    docs, shares = document_shares(model, tokens)
    joined = tokens.groupby("doc_id")["tokens"].agg(lambda lists: [w for t in lists for w in t])
    rates = seed_rates(themes, [joined[d] for d in docs])
    topic_of = {name: topic for topic, name in model.theme_names_.items()}
    topic_word = model.topic_word()
    vocabulary = np.array([model.dictionary_[i] for i in range(len(model.dictionary_))])
    top = [list(vocabulary[np.argsort(-row, kind="stable")[:TOP]]) for row in topic_word]
    rhos, learned, per_theme = [], [], {}
    for j, theme in enumerate(themes):
        topic = topic_of[theme.name]
        rho = float(spearmanr(shares[:, topic - 1], rates[:, j]).statistic)
        words = top[topic - 1]
        new = [w for w in words if not any(seed in w for seed in theme.words)]
        rhos.append(rho)
        learned.append(len(new))
        per_theme[theme.name] = {"rho": rho, "learned": len(new), "top": " ".join(words)}
    free = [top[k] for k in range(len(top)) if k + 1 not in model.theme_names_]
    npmi, _ = sentences.npmi(free) if free else ([float("nan")], 0)
    return {"follow": sum(r >= FOLLOWS for r in rhos), "themes": len(themes), "rho_min": min(rhos),
            "learned_mean": float(np.mean(learned)), "learned_min": min(learned),
            "free_npmi": float(np.mean(npmi)), "per_theme": per_theme}


def run_fit(path: Path, cache: Path, setting: str, seed: int) -> dict:
    command = [sys.executable, __file__, "--study", str(path), "--cache-dir", str(cache),
               "--fit-one", setting, "--seeds", str(seed)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(rows: list[dict]) -> str:
    lines = ["| setting | seed | themes followed (ρ ≥ 0.5; min ρ) | learned of top 10, mean (fewest) "
             "| free topics' sentence NPMI | fit CPU s (wall s) | peak MB of the process (before the fit) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {SHOWN[r['setting']]} | {r['seed']} "
                     f"| {r['follow']}/{r['themes']} ({r['rho_min']:.2f}) "
                     f"| {r['learned_mean']:.1f} ({r['learned_min']}) | {r['free_npmi']:.3f} "
                     f"| {r['cpu_s']:.0f} ({r['wall_s']:.0f}) | {r['peak_mb']:.0f} ({r['before_mb']:.0f}) |")
    for setting in dict.fromkeys(r["setting"] for r in rows):
        mine = [r for r in rows if r["setting"] == setting]
        if len(mine) > 1:
            lines.append(f"| **{SHOWN[setting]}, mean** | {len(mine)} seeds "
                         f"| {np.mean([r['follow'] for r in mine]):.1f}/{mine[0]['themes']} "
                         f"({min(r['rho_min'] for r in mine):.2f}) "
                         f"| {np.mean([r['learned_mean'] for r in mine]):.1f} "
                         f"({min(r['learned_min'] for r in mine)}) "
                         f"| {np.mean([r['free_npmi'] for r in mine]):.3f} "
                         f"| {np.mean([r['cpu_s'] for r in mine]):.0f} "
                         f"({np.mean([r['wall_s'] for r in mine]):.0f}) "
                         f"| {max(r['peak_mb'] for r in mine):.0f} |")
    return "\n".join(lines)


def theme_table(rows: list[dict]) -> str:
    names = list(rows[0]["per_theme"])
    settings = list(dict.fromkeys(r["setting"] for r in rows))
    lines = ["| theme | " + " | ".join(f"{SHOWN[s]}: ρ, learned" for s in settings) + " |",
             "|---|" + "---:|" * len(settings)]
    for name in names:
        cells = []
        for s in settings:
            mine = [r["per_theme"][name] for r in rows if r["setting"] == s]
            cells.append(", ".join(f"{t['rho']:.2f} / {t['learned']}" for t in mine))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


_KERNELS_ONCE = """
import time
import numpy as np
started = time.perf_counter()
from policytopics.model.engines.keyatm_kernels import kernels
k = kernels()
loaded = time.perf_counter()
doc_ptr, words, weights = np.array([0, 3, 6]), np.array([0, 1, 2, 1, 2, 2]), np.ones(3)
kw = np.array([[True, False, False], [False, False, False]])
z, s = np.zeros(6, dtype=np.int64), np.zeros(6, dtype=np.int8)
n_dk, n_k, m_k, n_kw, m_kw = np.zeros((2, 2)), np.zeros(2), np.zeros(2), np.zeros((2, 3)), np.zeros((2, 3))
k["seed_rng"](1)
k["initialise"](doc_ptr, words, weights, kw, 2, z, s, n_dk, n_kw, n_k, m_kw, m_k)
alpha = np.ones(2)
k["sweeps"](1, doc_ptr, words, weights, kw, kw.any(axis=0), kw.sum(axis=1).astype(float), kw.any(axis=1),
            z, s, n_dk, n_kw, n_k, m_kw, m_k, alpha, True, np.ones(2), np.ones(2), 0.01, 0.1, 1.0, 1.0,
            np.array([3.0, 3.0]), 1e-6, 100.0)
k["infer"](doc_ptr, words, weights, np.full((2, 3), 1 / 3), alpha, 10, 0, np.zeros((2, 2)))
print(f"import {loaded - started:.2f} s, first call of the four kernels {time.perf_counter() - loaded:.2f} s")
"""


def compile_times() -> None:
    """The kernels' first use in a process: with an empty numba cache, then twice from it."""
    import os
    import tempfile

    with tempfile.TemporaryDirectory() as cache:
        env = os.environ | {"NUMBA_CACHE_DIR": cache}
        for label in ("first process (compiles)", "second process (cache)", "third process (cache)"):
            done = subprocess.run([sys.executable, "-c", _KERNELS_ONCE], env=env, capture_output=True,
                                  text=True, check=True)
            print(f"{label}: {done.stdout.strip()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--study", type=Path, default=REPO / "data" / "examples" / "provincial.toml")
    parser.add_argument("--seeds", default="42,7,1")
    parser.add_argument("--settings", default="tomotopy,keyatm")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp/bench_keyword_topics/cache"))
    parser.add_argument("--fit-one", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--compile-times", action="store_true",
                        help="only time the keyatm kernels' first use: compiled, then from the disk cache")
    parser.add_argument("--out", type=Path, default=None, help="also write the rows as JSON")
    parser.add_argument("--write", action="store_true", help="write the section keyword-topics")
    parser.add_argument("--add", type=Path, action="append", default=[],
                        help="rows of an earlier run (its --out JSON) to show with this run's")
    args = parser.parse_args(argv)
    if args.compile_times:
        compile_times()
        return 0
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]  # "": only the rows of --add
    if args.fit_one:
        print(json.dumps(fit_one(args.study, args.cache_dir, args.fit_one, seeds[0])))
        return 0
    settings = args.settings.split(",")
    first = study_of(args.study, args.cache_dir, settings[0], seeds[0] if seeds else 42)
    started = time.perf_counter()
    first.corpus()
    documents = first.catalog.kept_documents()
    print(f"documents, tokens, corpus: {time.perf_counter() - started:.0f} s", flush=True)
    sentences = SentenceIndex(list(documents["text"]))
    rows = [row for earlier in args.add for row in json.loads(earlier.read_text(encoding="utf-8"))]
    for seed in seeds:
        for setting in settings:
            timing = run_fit(args.study, args.cache_dir, setting, seed)
            row = {"setting": setting, "seed": seed, **timing,
                   **score(study_of(args.study, args.cache_dir, setting, seed), sentences)}
            rows.append(row)
            print(table([row]).splitlines()[-1], flush=True)
    shown = args.study.relative_to(REPO) if args.study.is_relative_to(REPO) else args.study
    seeds_shown = ", ".join(str(s) for s in dict.fromkeys(r["seed"] for r in rows))
    text = (f"Study `{shown}`, {len(documents)} documents, seeds {seeds_shown}:\n\n{table(rows)}\n\n"
            f"Per theme (ρ / learned, one per seed):\n\n{theme_table(rows)}\n")
    print(text)
    if args.out:
        args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.write:
        write_section("## Keyword topics against the word prior (#39)\n\n" + text, "keyword-topics")
    return 0


if __name__ == "__main__":
    sys.exit(main())
