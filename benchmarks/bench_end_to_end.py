"""End to end: the plain approach vs. ``policytopics run``, with stage times, memory and NPMI.

Reads the first ``--limit`` stories of the xwlb corpus (``../shared/corpora``, read in
place, never copied into the repository) and runs, each in its own child process whose
peak memory (RSS summed over the process and its children) is sampled every 0.05 s:

1. **the plain approach**, implemented here as the reference: ``pandas.read_json``,
   ``df["text"].apply(jieba.lcut)`` (jieba's global tokenizer), gensim ``Dictionary`` and
   ``doc2bow``, ``LdaModel(corpus, id2word=dictionary, num_topics=K, random_state=0)``
   with gensim's defaults otherwise, the document-topic matrix from
   ``get_document_topics`` and the mean topic weight per year;
2. **the project**, ``policytopics run --corpus ... --limit N --topics K`` with an empty
   stage cache (cold), the same command again (warm) and with ``--topics`` set to
   ``--rerun-topics`` (only the model stage should run);
3. with ``--full``, the project once more, cold, on every story of the corpus.

Topic quality: NPMI (gensim ``CoherenceModel``, ``c_npmi``, one process) of each model's
top 10 words, all models scored by one scorer over the same reference tokens: every token
the project's tokenizer (rjieba with the study's user dictionary, no filter at all, so
punctuation and function words stay) emits for the title and text of the same stories as
read. A cross-check scores them over jieba's own dictionary (rjieba without the user
dictionary: the plain approach's tokens). Top words missing from a reference are dropped
from their topic and counted.

It prints a Markdown report and writes it to ``benchmarks/results.md`` (``--out``).

    python benchmarks/bench_end_to_end.py --full     # the benchmark of record
    python benchmarks/bench_end_to_end.py --smoke    # 300 stories, K = 5 (CI)
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import multiprocessing
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from itertools import islice
from pathlib import Path

from _markdown import markdown_table

REPO = Path(__file__).resolve().parents[1]
XWLB = REPO.parent / "shared" / "corpora" / "xwlb.jsonl.gz"
RESULTS = REPO / "benchmarks" / "results.md"
ALL_STORIES = 0  # `policytopics run --limit 0` reads every document
TOP_N = 10
POLL_SECONDS = 0.05
MIB = 1024 * 1024

#: run.json stage keys, in pipeline order, and the names the issue gives them.
STAGE_NAMES = {
    "documents": "ingest+clean",
    "tokens": "segment",
    "corpus": "dictionary/corpus",
    "model": "LDA",
    "weights": "weights",
    "figures": "figures",
}

GOAL_SPEEDUP = 4.0
GOAL_FULL_SECONDS = 300.0
GOAL_RERUN_RATIO = 1.2
GOAL_FULL_RSS_MIB = 2048.0


@dataclass
class Measured:
    """One child run: wall seconds, peak RSS and what the child reported."""

    name: str
    seconds: float
    peak_rss_mib: float | None
    stages: dict[str, float] = field(default_factory=dict)
    cache_hits: dict[str, bool] = field(default_factory=dict)
    topics: list[list[str]] = field(default_factory=list)
    n_documents: str = ""
    command: str = ""
    code_version: str = ""
    function_words: str = "–"  # top words that are stopwords or punctuation, "n/total"


# --- measuring a child process ---------------------------------------------------------

def _tree_rss(root) -> int:
    """RSS of a process and all its descendants, in bytes (shared pages count twice)."""
    import psutil

    total = 0
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    for process in processes:
        with contextlib.suppress(psutil.Error):  # it ended between listing and reading
            total += process.memory_info().rss
    return total


def watch(pid: int, finished: Callable[[], bool]) -> float | None:
    """Sample the process tree of ``pid`` until ``finished()``; peak RSS in MiB.

    Without psutil, falls back to ``getrusage(RUSAGE_CHILDREN).ru_maxrss``: the largest
    single child process so far, not a sum over the tree.
    """
    try:
        import psutil
    except ImportError:
        while not finished():
            time.sleep(POLL_SECONDS)
        import resource

        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / MIB
    try:
        root = psutil.Process(pid)
    except psutil.Error:
        root = None
    peak = 0
    while not finished():
        if root is not None:
            peak = max(peak, _tree_rss(root))
        time.sleep(POLL_SECONDS)
    return peak / MIB


def rss_method() -> str:
    try:
        import psutil  # noqa: F401
    except ImportError:
        return ("largest single child process so far (getrusage; psutil is not installed, "
                "so worker processes are not summed)")
    return f"RSS summed over each child's process tree, sampled every {POLL_SECONDS} s (psutil)"


# --- the plain approach -----------------------------------------------------------------

def plain_approach(corpus: str, limit: int, n_topics: int, result_path: str) -> None:
    """The naive study in one function; runs in a child process, writes its results as JSON."""
    import logging

    import jieba
    import pandas as pd
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    jieba.setLogLevel(logging.WARNING)
    stages: dict[str, float] = {}
    started = clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages[name] = round(now - clock, 3)
        clock = now

    df = pd.read_json(corpus, lines=True, nrows=limit)
    lap("documents")
    df["tokens"] = df["text"].apply(jieba.lcut)
    lap("tokens")
    dictionary = Dictionary(df["tokens"])
    bow_corpus = [dictionary.doc2bow(tokens) for tokens in df["tokens"]]
    lap("corpus")
    lda = LdaModel(bow_corpus, id2word=dictionary, num_topics=n_topics, random_state=0)
    lap("model")
    doc_topics = pd.DataFrame([dict(lda.get_document_topics(bow, minimum_probability=0.0))
                               for bow in bow_corpus], columns=range(n_topics)).fillna(0.0)
    weights_by_year = doc_topics.groupby(pd.to_datetime(df["date"]).dt.year.to_numpy()).mean()
    lap("weights")
    stages["total"] = round(time.perf_counter() - started, 3)

    by_prevalence = doc_topics.mean().sort_values(ascending=False, kind="stable").index
    topics = [[word for word, _ in lda.show_topic(int(t), topn=TOP_N)] for t in by_prevalence]
    record = {"stages": stages, "topics": topics,
              "n_documents": f"{len(df):,} read, years: {len(weights_by_year)}"}
    Path(result_path).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def run_plain(corpus: Path, limit: int, n_topics: int, workdir: Path) -> Measured:
    result_path = workdir / "plain.json"
    child = multiprocessing.get_context("spawn").Process(
        target=plain_approach, args=(str(corpus), limit, n_topics, str(result_path)))
    started = time.perf_counter()
    child.start()
    peak = watch(child.pid, lambda: not child.is_alive())
    child.join()
    seconds = time.perf_counter() - started
    if child.exitcode != 0:
        raise SystemExit(f"the plain approach failed (exit code {child.exitcode})")
    record = json.loads(result_path.read_text(encoding="utf-8"))
    return Measured("plain (jieba.lcut + LdaModel defaults)", seconds, peak,
                    stages=record["stages"], topics=record["topics"],
                    n_documents=record["n_documents"])


# --- the project ------------------------------------------------------------------------

def policytopics_command() -> list[str]:
    """The installed console script next to this Python, else ``python -m policytopics.cli``."""
    script = shutil.which("policytopics", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "policytopics.cli"]


def cli_has_cache_dir() -> bool:
    from policytopics.cli import build_parser

    _, unknown = build_parser().parse_known_args(["run", "--cache-dir", "x"])
    return not unknown


def _toml_value(value) -> str:
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def write_study_file(path: Path, **overrides) -> Path:
    """The repository's study.toml with ``section__key`` overrides, paths made absolute."""
    from policytopics import load_study

    settings = load_study(REPO / "study.toml", **overrides).to_dict()
    settings.pop("root")
    lines = []
    for section, values in settings.items():
        lines += [f"[{section}]", *(f"{key} = {_toml_value(v)}" for key, v in values.items()), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def study_options(cache_dir: Path, study_overrides: dict) -> list[str]:
    """``--study`` and the cache folder: ``--cache-dir`` if the CLI has it, else a study file."""
    if not study_overrides and cli_has_cache_dir():
        return ["--study", str(REPO / "study.toml"), "--cache-dir", str(cache_dir)]
    cache_dir.mkdir(parents=True, exist_ok=True)
    study = write_study_file(cache_dir.with_name(f"{cache_dir.name}.study.toml"),
                             output__cache_dir=cache_dir, **study_overrides)
    return ["--study", str(study)]


def read_topic_words(path: Path) -> list[list[str]]:
    import pandas as pd

    table = pd.read_csv(path, encoding="utf-8-sig").sort_values(["topic", "rank"])
    return [list(frame["word"].astype(str)) for _, frame in table.groupby("topic", sort=True)]


def run_project(name: str, corpus: Path, limit: int, n_topics: int, out: Path,
                cache_dir: Path, study_overrides: dict) -> Measured:
    options = ["run", "--corpus", str(corpus), "--limit", str(limit), "--topics", str(n_topics),
               "--out", str(out), *study_options(cache_dir, study_overrides), "--no-progress", "-q"]
    log_path = out.with_suffix(".log")
    started = time.perf_counter()
    with open(log_path, "wb") as log:
        child = subprocess.Popen([*policytopics_command(), *options], stdout=log, stderr=log,
                                 cwd=out.parent)
        peak = watch(child.pid, lambda: child.poll() is not None)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"policytopics run failed (exit code {child.returncode}):\n{tail}")
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    counts = record.get("documents", {})
    return Measured(name, seconds, peak, stages=record["timings_seconds"],
                    cache_hits=record["cache_hits"], topics=read_topic_words(out / "topic_words.csv"),
                    n_documents=f"{sum(counts.values()):,} read, {counts.get('kept', 0):,} kept",
                    command=shlex.join(["policytopics", *options]).replace(str(out.parent), "<tmp>"),
                    code_version=record.get("policytopics", ""))


# --- topic quality ----------------------------------------------------------------------

def read_stories(path: Path, limit: int) -> list[str]:
    """Title and text of the first ``limit`` stories, as read (before any cleaning)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in islice(fh, limit)]
    return [f"{r.get('title') or ''}\n{r.get('text') or ''}" for r in records]


def reference_tokens(texts: list[str], user_dictionary: bool) -> list[list[str]]:
    """Every token the project's tokenizer emits, nothing filtered (punctuation included)."""
    from policytopics import load_study
    from policytopics.config import replace
    from policytopics.segment import Segmenter

    segment = load_study(REPO / "study.toml").segment
    config = replace(segment, stopwords=(), min_token_length=1, keep_digits=True, keep_latin=True,
                     pos_filter=(), user_dictionary=segment.user_dictionary if user_dictionary else None)
    segmenter = Segmenter(config)
    return [segmenter.raw_tokens(text) for text in texts]


def count_function_words(runs: list[Measured]) -> None:
    """Set each run's count of top words that are stopwords (the study's lists) or not Chinese."""
    from policytopics import load_study
    from policytopics.segment import load_stopwords

    stopwords = load_stopwords(tuple(load_study(REPO / "study.toml").segment.stopwords))
    for run in runs:
        words = [w for topic in run.topics for w in topic[:TOP_N]]
        junk = sum(w.strip() in stopwords or not any("\u4e00" <= c <= "\u9fff" for c in w)
                   for w in words)
        run.function_words = f"{junk}/{len(words)}"


def npmi(topics_by_run: dict[str, list[list[str]]], texts: list[list[str]]) -> dict[str, dict]:
    """Mean NPMI of each run's topics over ``texts``, one CoherenceModel for all of them."""
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    dictionary = Dictionary(texts)
    scored, owners, missing = [], [], {}
    for run, topics in topics_by_run.items():
        missing[run] = 0
        for topic in topics:
            present = [w for w in topic[:TOP_N] if w in dictionary.token2id]
            missing[run] += len(topic[:TOP_N]) - len(present)
            if len(present) >= 2:  # NPMI needs a pair
                scored.append(present)
                owners.append(run)
    model = CoherenceModel(topics=scored, texts=texts, dictionary=dictionary, coherence="c_npmi",
                           topn=TOP_N, processes=1)
    per_topic = model.get_coherence_per_topic()
    result = {}
    for run, topics in topics_by_run.items():
        values = [score for owner, score in zip(owners, per_topic) if owner == run]
        result[run] = {"npmi": float(sum(values) / len(values)) if values else float("nan"),
                       "missing": missing[run], "words": TOP_N * len(topics),
                       "topics_scored": len(values)}
    return result


# --- the report -------------------------------------------------------------------------

def table(header: list[str], rows: list[list[str]]) -> list[str]:
    return markdown_table(header, rows, left=range(len(header))).splitlines()


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def ram_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def header(argv: list[str], load_before: str) -> list[str]:
    from policytopics.cache import code_version

    libraries = ", ".join(f"{p} {version(p)}" for p in ("gensim", "jieba", "rjieba", "pandas", "psutil"))
    return [
        "# End to end: the plain approach vs. `policytopics run`",
        "",
        f"- date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {platform.platform()}; CPU {cpu_model()}; os.cpu_count() = {os.cpu_count()}; "
        f"RAM {ram_gib()}; load average before the runs {load_before}, after "
        f"{_load_average()}",
        f"- Python {platform.python_version()}; policytopics {code_version()}; {libraries}",
        f"- command: `python benchmarks/bench_end_to_end.py {shlex.join(argv)}`",
        f"- peak memory: {rss_method()}",
        "",
    ]


def _load_average() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _mib(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def end_to_end_table(runs: list[Measured], quality: dict[str, dict[str, dict]]) -> list[str]:
    rows = []
    for run in runs:
        scores = [quality[ref].get(run.name) for ref in quality]
        npmis = [f"{s['npmi']:.4f} ({s['missing']}/{s['words']} missing)" if s else "–" for s in scores]
        rows.append([run.name, run.n_documents, _seconds(run.seconds), _mib(run.peak_rss_mib), *npmis,
                     run.function_words, _cache_cell(run.cache_hits)])
    names = ["NPMI, project tokens (primary)", "NPMI, jieba dictionary (cross-check)"]
    return table(["run", "stories", "end to end s", "peak RSS MiB", *names[:len(quality)],
                  "top words that are stopwords or punctuation", "cache hits"], rows)


def _cache_cell(cache_hits: dict[str, bool]) -> str:
    if not cache_hits:
        return "–"
    hits = ", ".join(stage for stage, hit in cache_hits.items() if hit) or "none"
    built = ", ".join(stage for stage, hit in cache_hits.items() if not hit) or "none"
    return f"hit: {hits}; built: {built}"


def stage_table(runs: list[Measured]) -> list[str]:
    keys = [k for k in STAGE_NAMES if any(k in r.stages for r in runs)]
    keys += [k for r in runs for k in r.stages if k not in keys and k != "total"]
    keys = list(dict.fromkeys(keys))
    rows = [[STAGE_NAMES.get(k, k), *(_seconds(r.stages.get(k)) for r in runs)] for k in keys]

    def other(run: Measured) -> float | None:
        if "total" not in run.stages:
            return None
        # Stage times are rounded to milliseconds: clamp the rounding noise at zero.
        return max(0.0, run.stages["total"] - sum(run.stages.get(k, 0.0) for k in keys))

    rows += [
        ["other, inside total (no stage of its own)", *(_seconds(other(r)) for r in runs)],
        ["total (in process)", *(_seconds(r.stages.get("total")) for r in runs)],
        ["start-up and exit (end to end − total)",
         *(_seconds(r.seconds - r.stages["total"]) if "total" in r.stages else "–" for r in runs)],
        ["**end to end (wall)**", *(_seconds(r.seconds) for r in runs)],
        ["peak RSS MiB", *(_mib(r.peak_rss_mib) for r in runs)],
    ]
    return table(["stage (seconds)", *(r.name for r in runs)], rows)


def _shown(word: str) -> str:
    """A token as it can stand in a Markdown cell: whitespace and pipes made visible."""
    return json.dumps(word, ensure_ascii=False)[1:-1].replace(" ", "␠").replace("|", "\\|")


def words_table(plain: Measured, project: Measured, n_topics: int = 5, n_words: int = 5) -> list[str]:
    def words(run: Measured, i: int) -> str:
        return " ".join(_shown(w) for w in run.topics[i][:n_words]) if i < len(run.topics) else ""

    rows = [[f"{i + 1}", words(plain, i), words(project, i)] for i in range(n_topics)]
    return table(["topic (by prevalence)", plain.name, project.name], rows)


def _verdict(met: bool) -> str:
    return "**met**" if met else "**not met**"


def goals(plain: Measured, cold: Measured, rerun: Measured, full: Measured | None,
          primary: dict[str, dict]) -> list[str]:
    speedup = plain.seconds / cold.seconds
    npmi_plain, npmi_project = primary[plain.name]["npmi"], primary[cold.name]["npmi"]
    lines = [f"- project cold vs. plain, end to end: {speedup:.2f}x faster (goal ≥ {GOAL_SPEEDUP:g}x) "
             f"at NPMI {npmi_project:.4f} vs. {npmi_plain:.4f} (goal: equal or better): "
             f"{_verdict(speedup >= GOAL_SPEEDUP and npmi_project >= npmi_plain)}; top words that "
             f"are stopwords or punctuation: plain {plain.function_words}, project "
             f"{cold.function_words} (NPMI does not penalise words that occur everywhere)"]
    model_seconds = rerun.stages.get("model")
    if model_seconds:
        ratio = rerun.seconds / model_seconds
        lines.append(f"- rerun with a new K: end to end {rerun.seconds:.2f} s / its LDA stage "
                     f"{model_seconds:.2f} s = {ratio:.2f} (goal ≤ {GOAL_RERUN_RATIO:g}): "
                     f"{_verdict(ratio <= GOAL_RERUN_RATIO)}")
    else:
        lines.append("- rerun with a new K: its run.json has no `model` time: **not measured**")
    if full is None:
        lines += ["- full corpus end to end ≤ 300 s: not measured (run with `--full`)",
                  "- full corpus peak RSS < 2 GiB: not measured (run with `--full`)"]
    else:
        lines.append(f"- full corpus end to end: {full.seconds:.1f} s (goal ≤ {GOAL_FULL_SECONDS:g} s): "
                     f"{_verdict(full.seconds <= GOAL_FULL_SECONDS)}")
        rss = full.peak_rss_mib
        lines.append(f"- full corpus peak RSS: {_mib(rss)} MiB (goal < {GOAL_FULL_RSS_MIB:,.0f} MiB): "
                     + (_verdict(rss < GOAL_FULL_RSS_MIB) if rss is not None else "**not measured**"))
    lines.append("- model stage streaming from disk: not measured here (a design property, "
                 "read it in `Study.model()`)")
    return lines


def caveats(args, runs: list[Measured], full: Measured | None) -> list[str]:
    """Conditions a reader must know before trusting the numbers."""
    lines = []
    versions = {r.code_version for r in [*runs, *([full] if full else [])] if r.code_version}
    if len(versions) > 1:
        lines.append("- **the package's source changed during the benchmark** "
                     f"({', '.join(sorted(versions))}): its cache keys changed, so cache hits and "
                     "warm times are not meaningful; rerun it")
    if args.study_overrides:
        lines.append(f"- the project ran with study-file overrides {args.study_overrides} "
                     "(smoke run: it checks the harness, its times are not the benchmark's)")
    return lines


def report(args, argv, load_before, runs, full, quality) -> str:
    plain, cold, _warm, rerun = runs
    primary = next(iter(quality.values()))
    lines = header(argv, load_before)
    notes = caveats(args, runs, full)
    if notes:
        lines += ["## Caveats", "", *notes, ""]
    lines += ["## End to end", "", *end_to_end_table(runs, quality), ""]
    lines += [f"NPMI: mean over topics of gensim `c_npmi` (window 10) of the top {TOP_N} words; "
              "the warm run reuses the cold run's model. References: every token "
              "(punctuation included) of the title and text of the same stories as read, "
              "segmented by rjieba with the study's user dictionary (primary) or without it "
              "(jieba's dictionary: the plain approach's tokens). Words missing from a reference "
              "are dropped from their topic. The plain approach writes no tables or figures; "
              "the project's times include them.", ""]
    lines += ["## Stages", "", *stage_table([*runs, *([full] if full else [])]), ""]
    if "corpus" not in cold.stages:
        lines += ["`LDA` is run.json's `model` stage: this pipeline does not time `corpus` apart, "
                  "so it includes the dictionary and bag of words.", ""]
    lines += ["## Goals", "", *goals(plain, cold, rerun, full, primary), ""]
    lines += [f"## Top words (first 5 of K = {args.topics})", "", *words_table(plain, cold), ""]
    project_runs = [*runs[1:], *([full] if full else [])]
    lines += ["## Commands run", "", *(f"- {r.name}: `{r.command}`" for r in project_runs), ""]
    return "\n".join(lines)


# --- main -------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=XWLB, help="xwlb.jsonl.gz")
    parser.add_argument("--limit", type=int, default=10_000, help="stories (default 10000)")
    parser.add_argument("--topics", type=int, default=20, help="K of both models (default 20)")
    parser.add_argument("--rerun-topics", type=int, default=25,
                        help="K of the project's rerun on a warm cache (default 25)")
    parser.add_argument("--full", action="store_true",
                        help="also run the project, cold, on every story (stage times, peak RSS)")
    parser.add_argument("--smoke", action="store_true",
                        help="300 stories, K = 5, rerun K = 6; results to a temporary file (CI)")
    parser.add_argument("--out", type=Path, default=None,
                        help="results file (default benchmarks/results.md; with --smoke a temporary file)")
    args = parser.parse_args(argv)
    args.study_overrides = {}
    if args.smoke:
        args.limit, args.topics, args.rerun_topics = 300, 5, 6
        # Checks the harness, not the speed: PNG only keeps the figures stage short.
        args.study_overrides = {"output__figure_formats": ["png"]}
    if args.out is None:
        args.out = (Path(tempfile.gettempdir()) / "policytopics-bench-smoke.md" if args.smoke
                    else RESULTS)
    if not args.corpus.is_file():
        parser.error(f"corpus not found: {args.corpus}")
    return args


def measure_runs(args, tmp: Path) -> tuple[list[Measured], Measured | None]:
    def step(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    step(f"plain approach, {args.limit:,} stories, K = {args.topics}")
    plain = run_plain(args.corpus, args.limit, args.topics, tmp)
    runs = [plain]
    for name, folder, k in [("project cold", "cold", args.topics), ("project warm", "warm", args.topics),
                            (f"project new K = {args.rerun_topics}", "new-k", args.rerun_topics)]:
        step(f"{name}, {args.limit:,} stories, K = {k}")
        runs.append(run_project(name, args.corpus, args.limit, k, tmp / folder, tmp / "cache",
                                args.study_overrides))
    full = None
    if args.full:
        step(f"project cold, all stories, K = {args.topics}")
        full = run_project("project cold, all stories", args.corpus, ALL_STORIES, args.topics,
                           tmp / "full", tmp / "cache-full", args.study_overrides)
    return runs, full


def score_topics(args, runs: list[Measured]) -> dict[str, dict[str, dict]]:
    print(f"[{time.strftime('%H:%M:%S')}] NPMI over the reference tokens", file=sys.stderr, flush=True)
    texts = read_stories(args.corpus, args.limit)
    topics = {r.name: r.topics for r in runs if r.name != "project warm"}
    return {ref: npmi(topics, reference_tokens(texts, user_dictionary=ref == "primary"))
            for ref in ("primary", "cross-check")}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    load_before = _load_average()
    with tempfile.TemporaryDirectory(prefix="policytopics-bench-") as tmp:
        runs, full = measure_runs(args, Path(tmp))
    quality = score_topics(args, runs)
    count_function_words(runs)
    for scores in quality.values():  # the warm run serves the cold run's model
        scores["project warm"] = scores["project cold"]
    text = report(args, argv, load_before, runs, full, quality)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(f"written: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # required: the plain approach runs in a spawned process
    raise SystemExit(main())
