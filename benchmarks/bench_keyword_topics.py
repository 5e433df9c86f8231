r"""Keyword topics against the word prior, measured: should a themes file fit keyword topics by default?

Fits a study once per setting and seed, each fit in a fresh process (its CPU seconds, wall
seconds and memory are its own; the study's documents, tokens and corpus are built once, in a
cache folder of this run, and only read by the fits), and scores each fit. The studies
(``--corpus``; or ``--study FILE`` with ``--set key=value`` overrides):

- ``panel``: the provincial reports, ``data/examples/provincial.toml`` with its themes file;
- ``shandong``: the 221 central and Shandong policy documents
  (``../shared/corpora/policy_central_shandong.jsonl.gz``), ``data/themes/manufacturing_policy.toml``,
  K = 14, the other settings ``study.toml``'s;
- ``national``: the national reports, ``data/examples/national.toml`` with its themes file;
- ``news``: 10,000 xwlb stories, every 7.45th of ``../shared/corpora/xwlb.jsonl.gz`` in its
  order (all years; written to /tmp once), ``data/themes/news_themes.toml`` (8 themes), K = 20.

The measures:

- **follow**: themes whose topic's share of a document (passages weighted by length, the
  project's document shares) follows the document's rate of the theme's seed words
  (``policytopics.model.themes.seed_rates``: seed words and words containing one, per token)
  across documents, Spearman ρ ≥ 0.5; in brackets the smallest ρ;
- **within-year ρ** (studies with years of ≥ 8 regions: the panel): for each such year, the
  same Spearman across that year's documents (provinces); per theme the median over the years;
- **learned**: top-10 words (by p(w|k), what the project shows) of a seeded topic that the
  theme does not seed (a word is seeded when it contains one of the theme's seed words): mean
  over the themes and the fewest;
- **free NPMI**: sentence NPMI of the free topics' top 10 words over the documents' cleaned
  text (``bench_coherence.SentenceIndex``), mean over the free topics;
- **CPU s / wall s / MB**: the fit's process (tomotopy's two threads summed in CPU). Before the
  clock starts the cached stages are read and the engine's library imported (keyatm: numba and
  its kernels, loaded from numba's disk cache by a call on a tiny model), its CPU seconds and
  added resident memory reported apart; then the process's peak resident memory is reset
  (``/proc/self/clear_refs``): the fit's own memory is its peak during the fit minus the
  resident memory just before it.

Settings: ``tomotopy`` (the default engine, its word prior) and ``keyatm`` (the keyword-topic
engine with its defaults: keywords anchored, switch prior 0.075). The machine is shared:
wall seconds are inflated by the others' load, CPU seconds are the comparable ones.

    nice -n 10 .venv/bin/python benchmarks/bench_keyword_topics.py --corpus news --seeds 42   # one seed
    for c in national shandong news panel; do
        nice -n 10 .venv/bin/python benchmarks/bench_keyword_topics.py --corpus $c --seeds 42,7,1 \
            --out /tmp/kwbench/$c.json; done
    nice -n 10 .venv/bin/python benchmarks/bench_keyword_topics.py --seeds "" --write \
        --add /tmp/kwbench/panel.json --add /tmp/kwbench/shandong.json \
        --add /tmp/kwbench/national.json --add /tmp/kwbench/news.json
    nice -n 10 .venv/bin/python benchmarks/bench_keyword_topics.py --compile-times   # numba cache
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from bench_coherence import SentenceIndex, write_section
from scipy.stats import spearmanr

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpora"
THEMES = REPO / "data" / "themes"
NEWS_SAMPLE = Path("/tmp/bench_keyword_topics/xwlb_10k.jsonl.gz")
#: The four studies measured: a study file and its overrides (``--corpus NAME``).
CORPORA = {
    "panel": (REPO / "data" / "examples" / "provincial.toml", {}),
    "shandong": (REPO / "study.toml", {"corpus": str(SHARED / "policy_central_shandong.jsonl.gz"),
                                       "n_topics": 14,
                                       "model__themes": str(THEMES / "manufacturing_policy.toml")}),
    "national": (REPO / "data" / "examples" / "national.toml", {}),
    "news": (REPO / "study.toml", {"corpus": str(NEWS_SAMPLE), "n_topics": 20,
                                   "model__themes": str(THEMES / "news_themes.toml")}),
}
SETTINGS = {"tomotopy": {"model__engine": "tomotopy"},
            "keyatm": {"model__engine": "keyatm"}}
SHOWN = {"tomotopy": "tomotopy word prior (default)",
         "keyatm": "keyatm, anchored, switch prior 0.075"}
FOLLOWS = 0.5
MIN_REGIONS = 8  # a year's within-year ρ needs this many regions' documents
TOP = 10


def study_of(path: Path, cache: Path, setting: str, seed: int, overrides: dict | None = None):
    from policytopics.study.study import Study

    return Study.from_file(path, progress=False, **(overrides or {}), model__seed=seed,
                           output__cache_dir=str(cache), **SETTINGS[setting])


def parse_overrides(pairs: list[str]) -> dict:
    """``key=value`` pairs as ``load_study`` overrides (digits become integers)."""
    over = {}
    for pair in pairs:
        key, value = pair.split("=", 1)
        over[key] = int(value) if value.isdigit() else value
    return over


def memory_mb(field: str) -> float:
    """A ``/proc/self/status`` field (``VmRSS``, ``VmHWM``) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def reset_peak() -> bool:
    """Reset this process's peak resident memory (VmHWM) to its current size (Linux ≥ 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


#: The library each setting's engine imports on its first fit (numba with the kernels' module).
LIBRARY = {"tomotopy": "tomotopy", "keyatm": "policytopics.model.engines.keyatm_kernels"}


def fit_one(path: Path, cache: Path, setting: str, seed: int, overrides: dict) -> dict:
    """Fit in this process (the model stage, built), with its own times and memory.

    The cached stages are read first, then the engine's library imported (for keyatm: its
    kernels loaded from numba's disk cache by a call on a tiny model; the CPU seconds and the
    resident memory this adds: ``import_*``), then the peak resident memory is reset: the fit's
    own memory is its peak during the fit minus the resident memory before it."""
    import importlib

    study = study_of(path, cache, setting, seed, overrides)
    study.corpus(), study.unit_ids(), study.seen_words()  # read before the clock starts
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rss, cpu = memory_mb("VmRSS"), time.process_time()
    importlib.import_module(LIBRARY[setting])
    if setting == "keyatm":  # the kernels loaded from numba's disk cache, as a first fit would
        exec(_KERNEL_CALLS, {})
    imported = {"import_cpu_s": time.process_time() - cpu, "import_mb": memory_mb("VmRSS") - rss}
    reset = reset_peak()
    rss = memory_mb("VmRSS")
    cpu, wall = time.process_time(), time.perf_counter()
    study.model()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    hwm = memory_mb("VmHWM") if reset else float("nan")
    return {"cpu_s": cpu, "wall_s": wall, **imported,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "before_mb": before / 1024, "rss_before_mb": rss, "fit_peak_mb": hwm,
            "fit_mb": hwm - rss, "cached": bool(study.cache_hits.get("model"))}


def document_shares(model, units) -> tuple[list[str], np.ndarray]:
    """Each document's topic shares: its passages' shares weighted by their length."""
    weights = units["n_chars"].to_numpy(dtype=float)[:, None]
    ids = units["doc_id"].to_numpy()
    docs, inverse = np.unique(ids, return_inverse=True)
    sums = np.zeros((docs.size, model.doc_topic_.shape[1]))
    np.add.at(sums, inverse, model.doc_topic_ * weights)
    return list(docs), sums / sums.sum(axis=1, keepdims=True)


def within_years(docs: list[str], shares: np.ndarray, rates: np.ndarray, meta: pd.DataFrame,
                 columns: list[int]) -> tuple[list[float], int]:
    """Per theme, the median over years (with ≥ ``MIN_REGIONS`` regions) of Spearman's ρ
    across that year's documents between the topic's share and the theme's seed rate."""
    frame = meta.set_index("doc_id").loc[docs]
    years = frame["date"].astype(str).str[:4].to_numpy()
    regions = frame["region"].to_numpy()
    per_year = []
    for year in sorted(set(years)):
        rows = np.flatnonzero(years == year)
        if len({r for r in regions[rows] if isinstance(r, str) and r}) < MIN_REGIONS:
            continue
        per_year.append([spearmanr(shares[rows, topic], rates[rows, j]).statistic
                         for j, topic in enumerate(columns)])
    if not per_year:
        return [], 0
    return [float(m) for m in np.nanmedian(np.array(per_year, dtype=float), axis=0)], len(per_year)


def attainable(rates: np.ndarray) -> list[float]:
    """Per theme, the largest Spearman ρ any share without ties can reach against the seed
    rates: the rates' own order, their ties (documents without a seed word, all at 0) broken
    in any order. Short documents most of which hold no seed word cap ρ well below 1."""
    best = []
    for column in rates.T:
        ranks = np.empty(column.size)
        ranks[np.argsort(column, kind="stable")] = np.arange(column.size)
        best.append(float(spearmanr(ranks, column).statistic))
    return best


def top_words(model) -> list[list[str]]:
    """Each topic's top ``TOP`` words by p(w|k)."""
    vocabulary = np.array([model.dictionary_[i] for i in range(len(model.dictionary_))])
    return [list(vocabulary[np.argsort(-row, kind="stable")[:TOP]]) for row in model.topic_word()]


def document_rates(themes, tokens: pd.DataFrame, docs: list[str]) -> np.ndarray:
    """Each document's rate of each theme's seed words (its passages' tokens together)."""
    from policytopics.model.themes import seed_rates

    joined = tokens.groupby("doc_id")["tokens"].agg(lambda lists: [w for t in lists for w in t])
    return seed_rates(themes, [joined[d] for d in docs])


def fill_attainable(rows: list[dict]) -> None:
    """The attainable ρ of rows measured before it was (read from each preset study's cache)."""
    missing = [r["corpus"] for r in rows if "attainable" not in next(iter(r["per_theme"].values()))]
    for name in dict.fromkeys(missing):
        path, preset = CORPORA[name]
        study = study_of(path, Path(f"/tmp/bench_keyword_topics/cache_{name}"), "tomotopy", 42,
                         parse_overrides([f"{k}={v}" for k, v in preset.items()]))
        tokens, themes = study.tokens(), study.themes()
        best = attainable(document_rates(themes, tokens, sorted(set(tokens["doc_id"]))))
        for row in (r for r in rows if r["corpus"] == name):
            for theme, value in zip(themes, best, strict=True):
                row["per_theme"][theme.name]["attainable"] = value


def score(study, sentences: SentenceIndex, meta: pd.DataFrame | None) -> dict:
    """The measures of one fit; the within-year ρ only with ``meta`` (doc_id, date, region)."""
    model, tokens, themes = study.model(), study.tokens(), study.themes()
    assert len(tokens) == model.doc_topic_.shape[0], "units and proportions disagree"
    docs, shares = document_shares(model, tokens)
    rates = document_rates(themes, tokens, docs)
    topic_of = {name: topic for topic, name in model.theme_names_.items()}
    top = top_words(model)
    columns = [topic_of[theme.name] - 1 for theme in themes]
    year_rhos, years = within_years(docs, shares, rates, meta, columns) if meta is not None else ([], 0)
    best = attainable(rates)
    rhos, learned, per_theme = [], [], {}
    for j, theme in enumerate(themes):
        rho = float(spearmanr(shares[:, columns[j]], rates[:, j]).statistic)
        words = top[columns[j]]
        new = [w for w in words if not any(seed in w for seed in theme.words)]
        rhos.append(rho)
        learned.append(len(new))
        per_theme[theme.name] = {"rho": rho, "learned": len(new), "top": " ".join(words),
                                 "year_rho": year_rhos[j] if year_rhos else None, "attainable": best[j]}
    free = [top[k] for k in range(len(top)) if k + 1 not in model.theme_names_]
    npmi, _ = sentences.npmi(free) if free else ([float("nan")], 0)
    row = {"follow": sum(r >= FOLLOWS for r in rhos), "themes": len(themes), "rho_min": min(rhos),
           "learned_mean": float(np.mean(learned)), "learned_min": min(learned),
           "free_npmi": float(np.mean(npmi)), "n_topics": len(top), "per_theme": per_theme}
    if year_rhos:
        row |= {"years": years, "year_follow": sum(r >= FOLLOWS for r in year_rhos),
                "year_rho_min": min(year_rhos)}
    return row


def run_fit(path: Path, cache: Path, setting: str, seed: int, overrides: list[str]) -> dict:
    command = [sys.executable, __file__, "--study", str(path), "--cache-dir", str(cache),
               "--fit-one", setting, "--seeds", str(seed), *(f"--set={pair}" for pair in overrides)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(rows: list[dict]) -> str:
    lines = ["| setting | seed | themes followed (ρ ≥ 0.5; min ρ) | learned of top 10, mean (fewest) "
             "| free topics' sentence NPMI | fit CPU s (wall s) [engine import CPU s] "
             "| fit's own peak MB [engine import MB] (process before the fit) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {SHOWN[r['setting']]} | {r['seed']} "
                     f"| {r['follow']}/{r['themes']} ({r['rho_min']:.2f}) "
                     f"| {r['learned_mean']:.1f} ({r['learned_min']}) | {r['free_npmi']:.3f} "
                     f"| {r['cpu_s']:.1f} ({r['wall_s']:.0f}) [{r['import_cpu_s']:.1f}] "
                     f"| {r['fit_mb']:.0f} [{r['import_mb']:.0f}] ({r['rss_before_mb']:.0f}) |")
    for setting in dict.fromkeys(r["setting"] for r in rows):
        mine = [r for r in rows if r["setting"] == setting]
        if len(mine) > 1:
            lines.append(f"| **{SHOWN[setting]}, mean** | {len(mine)} seeds | {_mean_scores(mine)} "
                         f"| {np.mean([r['cpu_s'] for r in mine]):.1f} "
                         f"({np.mean([r['wall_s'] for r in mine]):.0f}) "
                         f"| {np.mean([r['fit_mb'] for r in mine]):.0f}, "
                         f"max {max(r['fit_mb'] for r in mine):.0f} |")
    return "\n".join(lines)


def theme_table(rows: list[dict]) -> str:
    names = list(rows[0]["per_theme"])
    settings = list(dict.fromkeys(r["setting"] for r in rows))
    years = "years" in rows[0]
    shown = "ρ / learned" + (" / within-year median ρ" if years else "")
    lines = ["| theme | attainable ρ | " + " | ".join(f"{SHOWN[s]}: {shown}" for s in settings) + " |",
             "|---|---:|" + "---:|" * len(settings)]
    for name in names:
        cells = [f"{rows[0]['per_theme'][name]['attainable']:.2f}"]
        for s in settings:
            mine = [r["per_theme"][name] for r in rows if r["setting"] == s]
            cells.append(", ".join(f"{t['rho']:.2f} / {t['learned']}"
                                   + (f" / {t['year_rho']:.2f}" if years else "") for t in mine))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _mean_scores(rows: list[dict]) -> str:
    """Followed, learned and free NPMI over seeds: the means, with the smallest in brackets."""
    return (f"{np.mean([r['follow'] for r in rows]):.1f}/{rows[0]['themes']} "
            f"({min(r['rho_min'] for r in rows):.2f}) "
            f"| {np.mean([r['learned_mean'] for r in rows]):.1f} ({min(r['learned_min'] for r in rows)}) "
            f"| {np.mean([r['free_npmi'] for r in rows]):.3f}")


def _costs(rows: list[dict]) -> tuple[float, float, float, float]:
    """Mean fit CPU s, with the engine's import; largest fit MB, with the import's memory."""
    return (float(np.mean([r["cpu_s"] for r in rows])),
            float(np.mean([r["cpu_s"] + r["import_cpu_s"] for r in rows])),
            max(r["fit_mb"] for r in rows), max(r["fit_mb"] + r["import_mb"] for r in rows))


def summary(rows: list[dict]) -> str:
    """One line per corpus and setting: the means over seeds, and keyatm's CPU and memory
    against tomotopy's on the same corpus (with and without the engine's import)."""
    lines = ["| corpus | setting | seeds | followed, mean (min ρ) | learned, mean (fewest) "
             "| free NPMI | fit CPU s (× tomotopy) | with import | fit's own peak MB, max (× tomotopy) "
             "| with import |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for corpus in dict.fromkeys(r["corpus"] for r in rows):
        mine = [r for r in rows if r["corpus"] == corpus]
        base = _costs([r for r in mine if r["setting"] == "tomotopy"])
        for setting in dict.fromkeys(r["setting"] for r in mine):
            these = [r for r in mine if r["setting"] == setting]
            costs = " | ".join(f"{c:.{1 if i < 2 else 0}f} ({c / b:.2f}×)"
                               for i, (c, b) in enumerate(zip(_costs(these), base, strict=True)))
            lines.append(f"| {corpus} | {SHOWN[setting]} | {len(these)} | {_mean_scores(these)} | {costs} |")
    return "\n".join(lines)


def year_table(rows: list[dict]) -> str:
    """The second ρ, across regions within a year (studies with such years only)."""
    lines = ["| setting | seed | years (≥ 8 regions) | themes whose median within-year ρ ≥ 0.5 "
             "| smallest theme's median |", "|---|---:|---:|---:|---:|"]
    for r in rows:
        if "years" in r:
            lines.append(f"| {SHOWN[r['setting']]} | {r['seed']} | {r['years']} "
                         f"| {r['year_follow']}/{r['themes']} | {r['year_rho_min']:.2f} |")
    return "\n".join(lines)


def corpus_text(rows: list[dict]) -> str:
    first = rows[0]
    seeds = ", ".join(str(s) for s in dict.fromkeys(r["seed"] for r in rows))
    text = (f"### {first['corpus']}: `{first['study']}`{first['overrides']}, {first['documents']} "
            f"documents, K = {first['n_topics']}, seeds {seeds}\n\n{table(rows)}\n\n"
            f"Per theme (one per seed):\n\n{theme_table(rows)}\n")
    if any("years" in r for r in rows):
        text += (f"\nWithin a year, across regions (Spearman per year over that year's documents, "
                 f"median over the years):\n\n{year_table(rows)}\n")
    return text


#: The four kernels called once on a tiny model, with the engine's argument types.
_KERNEL_CALLS = """
import numpy as np
from policytopics.model.engines.keyatm_kernels import kernels
k = kernels()
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
"""
_KERNELS_ONCE = ("import time\nstarted = time.perf_counter()\n"
                 "import policytopics.model.engines.keyatm_kernels\nloaded = time.perf_counter()\n"
                 + _KERNEL_CALLS
                 + 'print(f"import {loaded - started:.2f} s, first call of the four kernels '
                   '{time.perf_counter() - loaded:.2f} s")\n')


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


def news_sample(path: Path = NEWS_SAMPLE, n: int = 10_000) -> Path:
    """Every (total/n)-th story of the xwlb corpus, in its order (all years, deterministic),
    written to ``path`` under /tmp once (never into the repository)."""
    if path.is_file():
        return path
    with gzip.open(SHARED / "xwlb.jsonl.gz", "rt", encoding="utf-8") as source:
        lines = source.readlines()
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as sample:
        sample.writelines(lines[i * len(lines) // n] for i in range(n))
    return path


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=list(CORPORA), default=None,
                        help="one of the measured studies (its file and overrides); default panel")
    parser.add_argument("--study", type=Path, default=None, help="a study file instead of --corpus")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a load_study override (repeatable), after the corpus's own")
    parser.add_argument("--within-years", action="store_true",
                        help="also the within-year ρ across regions (always with --corpus panel)")
    parser.add_argument("--seeds", default="42,7,1")
    parser.add_argument("--settings", default="tomotopy,keyatm")
    parser.add_argument("--cache-dir", type=Path, default=None,
                        help="default /tmp/bench_keyword_topics/cache_<corpus>")
    parser.add_argument("--fit-one", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--compile-times", action="store_true",
                        help="only time the keyatm kernels' first use: compiled, then from the disk cache")
    parser.add_argument("--out", type=Path, default=None, help="also write the rows as JSON")
    parser.add_argument("--write", action="store_true", help="write the section keyword-topics")
    parser.add_argument("--add", type=Path, action="append", default=[],
                        help="rows of an earlier run (its --out JSON) to show with this run's")
    return parser.parse_args(argv)


def measure(args, path: Path, pairs: list[str], seeds: list[int], name: str) -> list[dict]:
    """Every setting at every seed on one study, each fit in its own process, scored."""
    overrides = parse_overrides(pairs)
    settings = args.settings.split(",")
    first = study_of(path, args.cache_dir, settings[0], seeds[0], overrides)
    started = time.perf_counter()
    first.corpus()
    documents = first.catalog.kept_documents()
    print(f"documents, tokens, corpus: {time.perf_counter() - started:.0f} s", flush=True)
    sentences = SentenceIndex(list(documents["text"]))
    meta = documents[["doc_id", "date", "region"]] if args.within_years or name == "panel" else None
    shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    extra = "".join(" " + p.replace(str(REPO) + "/", "").replace(str(REPO.parent) + "/", "../")
                    for p in pairs)
    rows = []
    for seed in seeds:
        for setting in settings:
            timing = run_fit(path, args.cache_dir, setting, seed, pairs)
            if timing["cached"]:
                raise SystemExit(f"the {setting} fit at seed {seed} was read from {args.cache_dir}: "
                                 "no time to measure (a fresh --cache-dir, or delete that one)")
            row = {"corpus": name, "study": str(shown), "overrides": extra, "documents": len(documents),
                   "setting": setting, "seed": seed, **timing,
                   **score(study_of(path, args.cache_dir, setting, seed, overrides), sentences, meta)}
            rows.append(row)
            print(table([row]).splitlines()[-1], flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    if args.compile_times:
        compile_times()
        return 0
    name = args.corpus or ("panel" if args.study is None else args.study.stem)
    path, preset = CORPORA.get(name, (args.study, {})) if args.study is None else (args.study, {})
    pairs = [f"{k}={v}" for k, v in preset.items()] + args.set
    args.cache_dir = args.cache_dir or Path(f"/tmp/bench_keyword_topics/cache_{name}")
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]  # "": only the rows of --add
    if args.fit_one:
        print(json.dumps(fit_one(path, args.cache_dir, args.fit_one, seeds[0], parse_overrides(pairs))))
        return 0
    if name == "news" and args.study is None:
        news_sample()
    rows = [row for earlier in args.add for row in json.loads(earlier.read_text(encoding="utf-8"))]
    if seeds:
        rows += measure(args, path, pairs, seeds, name)
    fill_attainable(rows)
    if args.out:
        args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    corpora = list(dict.fromkeys(r["corpus"] for r in rows))
    text = (f"Means over the seeds, every corpus:\n\n{summary(rows)}\n\n"
            + "\n".join(corpus_text([r for r in rows if r["corpus"] == c]) for c in corpora))
    print(text)
    if args.write:
        write_section("## Keyword topics against the word prior (#39)\n\n" + text, "keyword-topics")
    return 0


if __name__ == "__main__":
    sys.exit(main())
