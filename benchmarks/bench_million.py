r"""A national archive on one machine: about a million articles, end to end, through a Dask
``LocalCluster`` (issue #40 item 3).

There is no million-article corpus in ``../shared/corpora``, so this script builds one from the
sentences of the xwlb news stories, deterministically, into a folder outside the repository
(never commit it): article ``i`` takes one story of the archive as its core (its title, date,
lead sentence and half of its other sentences) and fills up to that story's length with
sentences of other stories of the same month, drawn by a seeded generator. Every article is
therefore dated, reads as news of its month and is no near-copy of another (two articles built
on the same story share about half of their sentences, below the project's near-duplicate
threshold), so the study keeps them and its stages do the work a real archive asks of them.

Then it runs the study on it, ``policytopics run --corpus ARCHIVE --scheduler local`` (a Dask
``LocalCluster`` on this machine; the model fitted on a sample stratified by region and period,
``[model] fit_sample``, and every article's shares inferred in chunks), and prints wall time,
peak memory of the whole process tree (the cluster's workers included: PSS, so a page shared by
forked workers counts once), the seconds of each stage and the goals: at most 45 minutes and
4 GB on the two-core machine.

    python benchmarks/bench_million.py build --articles 1000000 --out /tmp/million   # ~3 min
    nice -n 5 python benchmarks/bench_million.py run --out /tmp/million               # the benchmark
    python benchmarks/bench_million.py build --articles 20000 --out /tmp/m20k         # a quick look

``run`` writes its report into ``benchmarks/results.md`` between ``<!-- million -->`` and
``<!-- /million -->`` with ``--write``.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_end_to_end import GOAL_FULL_SECONDS, MIB, policytopics_command, watch  # noqa: E402

REPO = HERE.parent
XWLB = REPO.parent / "shared" / "corpora" / "xwlb.jsonl.gz"
GOAL_SECONDS = 45 * 60.0
GOAL_MIB = 4e9 / MIB  # 4 GB
SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
FILE_NAME = "archive.jsonl.gz"


def stories(path: Path = XWLB) -> list[dict]:
    """The xwlb stories: id, title, date, month and sentences, in the file's order."""
    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            story = json.loads(line)
            sentences = [s for s in SENTENCE.findall(story.get("text") or "") if s.strip()]
            if sentences and story.get("date"):
                rows.append({"title": story.get("title") or "", "date": story["date"],
                             "month": story["date"][:7], "sentences": sentences})
    return rows


def read_lines(path: Path) -> list[dict]:
    """The JSON lines of a ``.jsonl.gz`` file."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def build(n_articles: int, out: Path, seed: int = 20261206, source: Path = XWLB) -> Path:
    """Write ``n_articles`` articles to ``out/archive.jsonl.gz`` (the module docstring says how);
    the same arguments write the same bytes."""
    from tqdm import tqdm

    pool = stories(source)
    by_month: dict[str, list[str]] = defaultdict(list)
    for story in pool:
        by_month[story["month"]].extend(story["sentences"][1:])
    months = {month: np.array(sentences, dtype=object) for month, sentences in by_month.items()}
    rng = np.random.default_rng(seed)
    cores = rng.integers(0, len(pool), size=n_articles)
    out.mkdir(parents=True, exist_ok=True)
    path = out / FILE_NAME
    # No name and no time in the gzip header: the same arguments write the same bytes.
    with (open(path, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=1,
                                                 mtime=0) as packed,
          io.TextIOWrapper(packed, encoding="utf-8") as file):
        for i, core in enumerate(tqdm(cores, desc="articles", unit="article", mininterval=2)):
            story = pool[core]
            rest = story["sentences"][1:]
            kept = [rest[j] for j in sorted(rng.permutation(len(rest))[: (len(rest) + 1) // 2])]
            month = months[story["month"]]
            fill = month[rng.integers(0, len(month), size=max(len(rest) - len(kept), 2))]
            text = "".join([story["sentences"][0], *kept, *fill])
            file.write(json.dumps({"id": f"archive-{i:07d}", "title": story["title"], "date": story["date"],
                                   "source": "built by benchmarks/bench_million.py from xwlb",
                                   "text": text}, ensure_ascii=False) + "\n")
    return path


def run(out: Path, extra: list[str]) -> dict:
    """``policytopics run`` on the archive through a LocalCluster; its time, memory and stages."""
    import subprocess

    archive = out / FILE_NAME
    if not archive.exists():
        raise SystemExit(f"no {archive}: build it first (python {Path(__file__).name} build --out {out})")
    result = out / "study"
    command = [*policytopics_command(), "run", "--corpus", str(archive), "--out", str(result),
               "--cache-dir", str(out / "cache"), "--scheduler", "local", *extra]
    started = time.perf_counter()
    with open(out / "run.log", "wb") as log:
        child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        peak = watch(child.pid, lambda: child.poll() is not None)
    seconds = time.perf_counter() - started
    if child.returncode:
        tail = (out / "run.log").read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"policytopics run failed (exit code {child.returncode}):\n{tail}")
    record = json.loads((result / "run.json").read_text(encoding="utf-8"))
    return {"seconds": seconds, "peak_mib": peak, "stages": record.get("timings_seconds", {}),
            "documents": record.get("documents", {}), "command": " ".join(command[1:])}


def report(measured: dict, n_articles: int) -> str:
    stages = "\n".join(f"| {name} | {seconds:,.1f} |" for name, seconds in measured["stages"].items())
    kept = measured["documents"].get("kept", 0)
    minutes, gib = measured["seconds"] / 60, (measured["peak_mib"] or 0) / 1024
    judged = n_articles >= 1_000_000  # the goals are the million's
    time_goal = ("met" if measured["seconds"] <= GOAL_SECONDS else "NOT met") if judged else "not judged"
    memory_met = (measured["peak_mib"] or 0) <= GOAL_MIB
    memory_goal = ("met" if memory_met else "NOT met") if judged else "not judged"
    return f"""## A national archive on one machine: {n_articles:,} articles through a Dask LocalCluster (#40)

`policytopics {measured['command']}` (the archive built by `benchmarks/bench_million.py build`;
{kept:,} articles kept). Wall time {minutes:,.1f} min (goal for a million articles ≤ 45: {time_goal}), peak
memory of the process tree {gib:,.2f} GiB (goal for a million ≤ 4 GB: {memory_goal}).
For scale: the one-machine goal for the 74,542 stories is {GOAL_FULL_SECONDS:.0f} s.

| stage | seconds |
|---|---:|
{stages}
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("build", "run"))
    parser.add_argument("--out", type=Path, required=True, help="a folder outside the repository")
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--write", action="store_true", help="write the report into results.md")
    args, extra = parser.parse_known_args(argv)
    if args.out.resolve().is_relative_to(REPO):
        raise SystemExit("--out must be outside the repository: the archive holds corpus text")
    if args.action == "build":
        print(build(args.articles, args.out, args.seed))
        return 0
    with gzip.open(args.out / FILE_NAME, "rt", encoding="utf-8") as lines:
        n_articles = sum(1 for _ in lines)
    text = report(run(args.out, extra), n_articles)
    print(text)
    if args.write:
        from bench_coherence import write_section

        write_section(text, "million")
    return 0


if __name__ == "__main__":
    sys.exit(main())
