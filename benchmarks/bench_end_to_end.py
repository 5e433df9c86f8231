"""The topic-count loop, end to end: the plain script vs. ``policytopics run``, both engines.

The benchmark of record for the loop a researcher spends their time in (change K, rerun,
read). Reads the first ``--limit`` stories of the xwlb corpus (``../shared/corpora``, read
in place, never copied into the repository) and runs, each in its own child process whose
peak memory (RSS summed over the process and its children) is sampled every 0.05 s:

1. **the plain script**: ``bench_coherence.plain_script`` (``pd.read_json``,
   ``jieba.lcut``, words of two or more CJK characters, ``no_below=5, no_above=0.5``,
   ``LdaModel`` with 5 passes, ``random_state`` = ``--seed``), then the document-topic
   matrix and the mean topic weight per year;
2. **the project**, ``policytopics run --corpus ... --limit N --topics K`` with the
   repository's ``study.toml`` settings: with an empty stage cache (cold), the same command
   again (warm), with ``--topics`` set to ``--rerun-topics`` on the warm cache (new K: only
   the model stage should be built), the same with K + 1 and ``--quick`` (point estimates,
   the main figures in PNG, no explorer: the fit's answer first), and with
   ``[model] engine = "gensim"`` at K on the warm cache (the other engine on the same
   units; the default is tomotopy);
3. with ``--full``, the project cold on every story of the corpus, then a new K on that
   warm cache.

Topic quality, the coherence benchmark's measures over one reference for every model:
**sentence NPMI** of the top 10 words over the sentences of the raw texts of the same
stories (``bench_coherence.SentenceIndex``; independent of either tokenizer) and
**diversity** (unique share of all topics' top 10 words).

The goals (issue "the study faster than the plain script, and a new topic count at the
speed of its fit") are checked at the end: new K at most 1.25 × its model stage at 10,000
stories and on the full corpus; cold at least 1.5 × the plain script's speed with equal or
better sentence NPMI; the document
stage at least twice as fast as the 9.7 s measured when the issue was filed; the full
corpus in at most 120 s and 1.5 GB (10^9 bytes) of peak RSS. The figures are drawn by
worker processes beside the tables and the explorer: their row is the time the run spent
starting them and waiting for them, not their own drawing time.

It prints a Markdown report and writes it into ``benchmarks/results.md`` between
``<!-- end-to-end -->`` and ``<!-- /end-to-end -->`` (the other sections stay), or to
``--out``.

    nice -n 5 python benchmarks/bench_end_to_end.py --full   # the benchmark of record
    python benchmarks/bench_end_to_end.py --smoke            # 300 stories, K = 5 (the test)
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
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
from pathlib import Path

from _markdown import markdown_table
from bench_coherence import SentenceIndex, diversity, read_raw_texts, write_section

REPO = Path(__file__).resolve().parents[1]
XWLB = REPO.parent / "shared" / "corpora" / "xwlb.jsonl.gz"
RESULTS = REPO / "benchmarks" / "results.md"
SECTION = "end-to-end"
ALL_STORIES = 0  # `policytopics run --limit 0` reads every document
TOP_N = 10
TOP_WORDS = 25
POLL_SECONDS = 0.05
MIB = 1024 * 1024
PLAIN = "plain script"
#: The run of the other engine (the default is tomotopy) on the same units.
OTHER_ENGINE = "project, gensim engine"

#: run.json stage keys, in pipeline order, and the names the issue gives them.
STAGE_NAMES = {
    "prepare": "read and segment (plain)",
    "fit": "dictionary and LDA (plain)",
    "documents": "documents (read, clean, dates, regions, duplicates)",
    "tokens": "units and segmentation",
    "corpus": "dictionary/corpus",
    "model": "model (fit and document-topic matrix)",
    "weights": "weights, intervals and tables",
    "figures": "figures (started, then waited for after the tables and explorer)",
    "explorer": "explorer",
}

GOAL_COLD_SPEEDUP = 1.5
GOAL_NEW_K_RATIO = 1.25
GOAL_FULL_SECONDS = 120.0
GOAL_FULL_RSS_MIB = 1.5e9 / MIB  # 1.5 GB
ISSUE_DOCUMENTS_SECONDS = 9.7  # the document stage at 10,000 stories when the issue was filed
GOAL_DOCUMENTS_SPEEDUP = 2.0


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


# --- measuring a child process ---------------------------------------------------------

def _memory(process) -> int:
    """A process's proportional set size (PSS: a page shared by n processes counts 1/n in
    each) where the system gives it, else its RSS."""
    try:
        return process.memory_full_info().pss
    except (AttributeError, NotImplementedError):
        return process.memory_info().rss


def _tree_rss(root) -> int:
    """Memory of a process and all its descendants, in bytes: PSS summed over the tree (the
    pages a forked worker shares with its parent count once), RSS where there is no PSS."""
    import psutil

    total = 0
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    for process in processes:
        with contextlib.suppress(psutil.Error):  # it ended between listing and reading
            total += _memory(process)
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
    return (f"PSS (RSS with shared pages split among the processes sharing them) summed over each "
            f"child's process tree, sampled every {POLL_SECONDS} s (psutil); before 2026-12-01 "
            "RSS summed, which counts twice what a forked worker shares")


# --- the plain approach -----------------------------------------------------------------

def plain_approach(corpus: str, limit: int, n_topics: int, seed: int, result_path: str) -> None:
    """The plain script of the coherence benchmark, plus the yearly weights a study needs.

    ``bench_coherence.plain_script``: ``pd.read_json``, ``jieba.lcut``, words of two or more
    CJK characters, ``filter_extremes(no_below=5, no_above=0.5)``, ``LdaModel`` with 5
    passes; then the document-topic matrix (``get_document_topics``) and the mean topic
    weight per year. Runs in a child process and writes its results as JSON.
    """
    import pandas as pd
    from bench_coherence import plain_script

    started = time.perf_counter()
    run = plain_script(Path(corpus), limit, n_topics, None, seed)
    clock = time.perf_counter()
    lda, dictionary = run["lda"], run["dictionary"]
    rows = [dict(lda.get_document_topics(dictionary.doc2bow(tokens), minimum_probability=0.0))
            for tokens in run["token_lists"]]
    doc_topics = pd.DataFrame(rows, columns=range(n_topics)).fillna(0.0)
    years = pd.to_datetime(run["frame"]["date"], errors="coerce").dt.year.to_numpy()
    weights_by_year = doc_topics.groupby(years).mean()
    finished = time.perf_counter()
    stages = {"prepare": round(run["prepare_seconds"], 3), "fit": round(run["fit_seconds"], 3),
              "weights": round(finished - clock, 3), "total": round(finished - started, 3)}
    record = {"stages": stages, "topics": [t[:TOP_WORDS] for t in run["topics"]],
              "n_documents": f"{len(doc_topics):,} read, years: {len(weights_by_year)}"}
    Path(result_path).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def run_plain(corpus: Path, limit: int, n_topics: int, seed: int, workdir: Path) -> Measured:
    result_path = workdir / "plain.json"
    child = multiprocessing.get_context("spawn").Process(
        target=plain_approach, args=(str(corpus), limit, n_topics, seed, str(result_path)))
    started = time.perf_counter()
    child.start()
    peak = watch(child.pid, lambda: not child.is_alive())
    child.join()
    seconds = time.perf_counter() - started
    if child.exitcode != 0:
        raise SystemExit(f"the plain script failed (exit code {child.exitcode})")
    record = json.loads(result_path.read_text(encoding="utf-8"))
    return Measured(PLAIN, seconds, peak, stages=record["stages"], topics=record["topics"],
                    n_documents=record["n_documents"])


# --- the project ------------------------------------------------------------------------

def policytopics_command() -> list[str]:
    """The installed console script next to this Python, else ``python -m policytopics.cli``."""
    script = shutil.which("policytopics", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "policytopics.cli"]


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


def study_options(out: Path, cache_dir: Path, study_overrides: dict) -> list[str]:
    """``--study`` with this run's own study file (``OUT.study.toml``: the repository's
    settings, ``study_overrides`` and the shared cache folder)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    study = write_study_file(out.with_name(f"{out.name}.study.toml"),
                             output__cache_dir=cache_dir, **study_overrides)
    return ["--study", str(study)]


def read_topic_words(path: Path) -> list[list[str]]:
    import pandas as pd

    table = pd.read_csv(path, encoding="utf-8-sig")
    if "ranking" in table.columns:  # topic_words.csv ranks words three ways; the measure reads p(w|t)
        table = table[table["ranking"] == "probability"]
    table = table.sort_values(["topic", "rank"])
    return [list(frame["word"].astype(str)) for _, frame in table.groupby("topic", sort=True)]


def run_project(name: str, corpus: Path, limit: int, n_topics: int, out: Path,
                cache_dir: Path, study_overrides: dict, extra_options: list[str] = ()) -> Measured:
    options = ["run", "--corpus", str(corpus), "--limit", str(limit), "--topics", str(n_topics),
               "--out", str(out), *study_options(out, cache_dir, study_overrides), *extra_options,
               "--no-progress", "-q"]
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

def score_topics(args, runs: list[Measured]) -> dict[str, dict]:
    """Sentence NPMI and diversity@10 of every 10,000-story model, over one reference."""
    print(f"[{time.strftime('%H:%M:%S')}] sentence NPMI over the raw texts", file=sys.stderr, flush=True)
    sentences = SentenceIndex(read_raw_texts(args.corpus, args.limit))
    quality = {}
    for run in runs:
        if run.name == "project warm" or not run.topics:  # the warm run serves the cold run's model
            continue
        per_topic, missing = sentences.npmi([t[:TOP_N] for t in run.topics])
        quality[run.name] = {"npmi": float(sum(per_topic) / len(per_topic)), "missing": missing,
                             "diversity": diversity(run.topics, TOP_N), "topics_scored": len(per_topic)}
    return quality


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
    from policytopics.store.keys import code_version

    libraries = ", ".join(f"{p} {version(p)}" for p in ("gensim", "tomotopy", "jieba", "rjieba", "pandas",
                                                         "matplotlib", "psutil"))
    return [
        "## End to end: the topic-count loop, the plain script vs. `policytopics run`",
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


def end_to_end_table(runs: list[Measured], quality: dict[str, dict]) -> list[str]:
    rows = []
    for run in runs:
        q = quality.get(run.name)
        shown = (f"{q['npmi']:+.4f}" + (f" ({q['missing']} words in no sentence)" if q["missing"] else "")
                 if q else ("same model as cold" if run.name == "project warm" else "–"))
        rows.append([run.name, run.n_documents, _seconds(run.seconds), _mib(run.peak_rss_mib), shown,
                     f"{q['diversity']:.3f}" if q else "–", _cache_cell(run.cache_hits)])
    return table(["run", "stories", "end to end s", "peak RSS MiB", "sentence NPMI (top 10)",
                  "diversity@10", "cache hits"], rows)


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


def words_table(runs: list[Measured], n_topics: int = 5, n_words: int = 5) -> list[str]:
    def words(run: Measured, i: int) -> str:
        return " ".join(_shown(w) for w in run.topics[i][:n_words]) if i < len(run.topics) else ""

    rows = [[f"{i + 1}", *(words(r, i) for r in runs)] for i in range(n_topics)]
    return table(["topic", *(r.name for r in runs)], rows)


def _verdict(met: bool) -> str:
    return "**met**" if met else "**not met**"


def _new_k_line(label: str, rerun: Measured | None) -> str:
    if rerun is None:
        return f"- new K / its model stage, {label}: not measured (run with `--full`)"
    model = rerun.stages.get("model")
    if not model:
        return f"- new K / its model stage, {label}: its run.json has no `model` time: **not measured**"
    ratio = rerun.seconds / model
    others = sorted(((k, v) for k, v in rerun.stages.items() if k not in ("model", "total") and v >= 0.05),
                    key=lambda kv: -kv[1])
    spent = ", ".join(f"{STAGE_NAMES.get(k, k).split(' (')[0]} {v:.1f} s" for k, v in others)
    outside = rerun.seconds - rerun.stages.get("total", rerun.seconds)
    return (f"- new K / its model stage, {label}: end to end {rerun.seconds:.1f} s / model stage "
            f"{model:.1f} s = **{ratio:.2f}** (goal ≤ {GOAL_NEW_K_RATIO:g}): "
            f"{_verdict(ratio <= GOAL_NEW_K_RATIO)}; the rest: {spent}, start-up and exit {outside:.1f} s")


def goals(runs: dict[str, Measured], quality: dict[str, dict]) -> list[str]:
    plain, cold = runs[PLAIN], runs["project cold"]
    speedup = plain.seconds / cold.seconds
    npmi_plain, npmi_project = quality[PLAIN]["npmi"], quality[cold.name]["npmi"]
    lines = [f"- cold vs. the plain script at {cold.n_documents.split(' read')[0]} stories: "
             f"{plain.seconds:.1f} s / {cold.seconds:.1f} s = **{speedup:.2f}×** "
             f"(goal ≥ {GOAL_COLD_SPEEDUP:g}×) at sentence NPMI "
             f"{npmi_project:+.4f} vs. {npmi_plain:+.4f} (goal: equal or better): "
             f"{_verdict(speedup >= GOAL_COLD_SPEEDUP and npmi_project >= npmi_plain)} "
             f"(speed {_verdict(speedup >= GOAL_COLD_SPEEDUP)}, "
             f"NPMI {_verdict(npmi_project >= npmi_plain)}); "
             f"diversity@10 {quality[cold.name]['diversity']:.3f} vs. {quality[PLAIN]['diversity']:.3f}"]
    documents = cold.stages.get("documents")
    if documents:
        faster = ISSUE_DOCUMENTS_SECONDS / documents
        lines.append(f"- document stage: {documents:.1f} s against {ISSUE_DOCUMENTS_SECONDS:g} s when "
                     f"the issue was filed = **{faster:.2f}×** faster (goal ≥ {GOAL_DOCUMENTS_SPEEDUP:g}×): "
                     f"{_verdict(faster >= GOAL_DOCUMENTS_SPEEDUP)}")
    new_k = {("all" in n, "--quick" in n): r for n, r in runs.items() if n.startswith("project new K")}
    stories = f"{cold.n_documents.split(' read')[0]} stories"
    lines.append(_new_k_line(stories, new_k.get((False, False))))
    lines.append(_new_k_line("all stories", new_k.get((True, False))))
    for full, label in ((False, stories), (True, "all stories")):
        if (full, True) in new_k:
            lines.append(_new_k_line(f"{label}, `--quick` (point estimates, the main figures in PNG, "
                                     "no explorer)", new_k[full, True]))
    full = runs.get("project cold, all stories")
    if full is None:
        lines.append(f"- full corpus ≤ {GOAL_FULL_SECONDS:g} s and ≤ 1.5 GB: not measured "
                     "(run with `--full`)")
    else:
        lines.append(f"- full corpus cold: {full.seconds:.1f} s (goal ≤ {GOAL_FULL_SECONDS:g} s): "
                     f"{_verdict(full.seconds <= GOAL_FULL_SECONDS)}")
        rss = full.peak_rss_mib
        lines.append(f"- full corpus peak RSS: {_mib(rss)} MiB = {rss * MIB / 1e9:.2f} GB (goal ≤ 1.5 GB): "
                     + (_verdict(rss <= GOAL_FULL_RSS_MIB) if rss is not None else "**not measured**"))
    other = runs.get(OTHER_ENGINE)
    if other is not None and other.stages.get("model") and cold.stages.get("model"):
        q = quality.get(other.name, {})
        lines.append(f"- engines on the same units at K = {len(cold.topics)}: model stage of the default "
                     f"(tomotopy, two workers) {cold.stages['model']:.1f} s "
                     f"(sentence NPMI {npmi_project:+.4f}), gensim {other.stages['model']:.1f} s "
                     f"(sentence NPMI {q.get('npmi', float('nan')):+.4f}); "
                     "goal: the default's fit ≤ gensim's: "
                     + _verdict(cold.stages["model"] <= other.stages["model"]))
    return lines


def caveats(args, runs: list[Measured]) -> list[str]:
    """Conditions a reader must know before trusting the numbers."""
    lines = []
    versions = {r.code_version for r in runs if r.code_version}
    if len(versions) > 1:
        lines.append("- **the package's source changed during the benchmark** "
                     f"({', '.join(sorted(versions))}): its cache keys changed, so cache hits and "
                     "warm times are not meaningful; rerun it")
    if args.study_overrides:
        lines.append(f"- the project ran with study-file overrides {args.study_overrides} "
                     "(smoke run: it checks the harness, its times are not the benchmark's)")
    return lines


def report(args, argv, load_before, runs: list[Measured], quality: dict[str, dict]) -> str:
    by_name = {r.name: r for r in runs}
    lines = header(argv, load_before)
    notes = caveats(args, runs)
    if notes:
        lines += ["### Caveats", "", *notes, ""]
    lines += ["### End to end", "", *end_to_end_table(runs, quality), ""]
    lines += ["Sentence NPMI: mean over topics of the mean NPMI of the 45 pairs of each topic's top 10 "
              "words, two words co-occurring when both are substrings of one sentence of the raw texts "
              f"of the first {args.limit:,} stories (never: -1), as in the coherence section; diversity@10: "
              "unique share of all topics' top 10 words. The plain script writes no tables or figures; "
              "the project's times include its tables, figures (in every format of the study file) and "
              "the explorer page.", ""]
    lines += ["### Stages", "", *stage_table(runs), ""]
    lines += ["### Goals", "", *goals(by_name, quality), ""]
    shown = [r for r in runs if r.name in (PLAIN, "project cold", OTHER_ENGINE)]
    lines += [f"### Top words (first 5 topics of K = {args.topics})", "", *words_table(shown), ""]
    lines += ["### Commands run", "", *(f"- {r.name}: `{r.command}`" for r in runs if r.command), ""]
    return "\n".join(lines)


# --- main -------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=XWLB, help="xwlb.jsonl.gz")
    parser.add_argument("--limit", type=int, default=10_000, help="stories (default 10000)")
    parser.add_argument("--topics", type=int, default=20, help="K of both models (default 20)")
    parser.add_argument("--rerun-topics", type=int, default=25,
                        help="K of the project's rerun on a warm cache (default 25)")
    parser.add_argument("--seed", type=int, default=42, help="both models' seed (default 42)")
    parser.add_argument("--full", action="store_true",
                        help="also run the project cold on every story, then a new K on that cache")
    parser.add_argument("--smoke", action="store_true",
                        help="300 stories, K = 5, rerun K = 6; results to a temporary file (the test)")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"a file for the report (default: its section in {RESULTS.name}; "
                             "with --smoke a temporary file)")
    args = parser.parse_args(argv)
    args.study_overrides = {}
    if args.smoke:
        args.limit, args.topics, args.rerun_topics = 300, 5, 6
        # Checks the harness, not the speed: PNG only keeps the figures stage short.
        args.study_overrides = {"output__figure_formats": ["png"]}
        if args.out is None:
            args.out = Path(tempfile.gettempdir()) / "policytopics-bench-smoke.md"
    if not args.corpus.is_file():
        parser.error(f"corpus not found: {args.corpus}")
    return args


def measure_runs(args, tmp: Path) -> list[Measured]:
    def step(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    step(f"plain script, {args.limit:,} stories, K = {args.topics}")
    runs = [run_plain(args.corpus, args.limit, args.topics, args.seed, tmp)]
    overrides = {"model__seed": args.seed, **args.study_overrides}
    plan = [("project cold", "cold", args.limit, args.topics, "cache", {}),
            ("project warm", "warm", args.limit, args.topics, "cache", {}),
            (f"project new K = {args.rerun_topics}", "new-k", args.limit, args.rerun_topics, "cache", {})]
    quick_k = args.rerun_topics + 1
    plan.append((f"project new K = {quick_k}, --quick", "new-k-quick", args.limit, quick_k, "cache", {}))
    plan.append((OTHER_ENGINE, "gensim", args.limit, args.topics, "cache", {"model__engine": "gensim"}))
    if args.full:
        plan += [("project cold, all stories", "full", ALL_STORIES, args.topics, "cache-full", {}),
                 (f"project new K = {args.rerun_topics}, all stories", "full-new-k", ALL_STORIES,
                  args.rerun_topics, "cache-full", {}),
                 (f"project new K = {quick_k}, --quick, all stories", "full-new-k-quick", ALL_STORIES,
                  quick_k, "cache-full", {})]
    for name, folder, limit, k, cache, extra in plan:
        step(f"{name}, K = {k}")
        options = ["--quick"] if "--quick" in name else []
        runs.append(run_project(name, args.corpus, limit, k, tmp / folder, tmp / cache, overrides | extra,
                                options))
    return runs


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    load_before = _load_average()
    with tempfile.TemporaryDirectory(prefix="policytopics-bench-") as tmp:
        runs = measure_runs(args, Path(tmp))
    quality = score_topics(args, runs)
    text = report(args, argv, load_before, runs, quality)
    print(text)
    if args.out is None:
        write_section(text, SECTION, RESULTS)
        print(f"written: {RESULTS} (section {SECTION})", file=sys.stderr)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"written: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # required: the plain script runs in a spawned process
    raise SystemExit(main())
