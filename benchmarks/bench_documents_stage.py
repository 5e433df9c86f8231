"""The documents stage alone: wall and CPU seconds, the main process's peak memory.

Runs ``policytopics.study.stage_documents.documents`` (read, clean, date, place, duplicates: what
``policytopics run`` builds first) with the default settings on a corpus (default: all xwlb
stories, ``../shared/corpora``, read in place), and prints the wall seconds, the CPU seconds
of this process and of its worker processes, and this process's peak resident memory. With
``--out DIR`` it writes the report as the cache keeps it (``documents.parquet``) and as a run
writes it (``documents.csv``); with ``--compare DIR`` it checks both against those written
by another version (the same table, ``pandas.testing.assert_frame_equal``; the same CSV bytes).

    python benchmarks/bench_documents_stage.py --limit 20000 --out /tmp/docs-new
    python benchmarks/bench_documents_stage.py --out /tmp/docs-new --compare /tmp/docs-old

On a shared machine compare the CPU seconds, and repeat: wall seconds follow the load.
"""

from __future__ import annotations

import argparse
import dataclasses
import filecmp
import resource
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
XWLB = REPO.parent / "shared" / "corpora" / "xwlb.jsonl.gz"


def measure(corpus_path: Path, limit: int):
    """The report of the documents stage (sources relative to the corpus path, as cached) and
    ``{wall, main_cpu, workers_cpu, main_peak_mib}``."""
    from policytopics.settings.config import load_study
    from policytopics.study import stage_documents

    config = load_study(None)
    corpus = dataclasses.replace(config.corpus, paths=[str(corpus_path)], limit=limit)
    import tempfile

    import pandas as pd

    from policytopics.store.writing import parquet_chunks

    with tempfile.TemporaryDirectory() as folder:
        # The stage gives its report in parts, written as they come (as the cache writes it).
        start, cpu = time.perf_counter(), time.process_time()
        parquet_chunks(stage_documents.documents(corpus, config.clean, config.compute, config.output),
                       Path(folder) / "report.parquet")
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux; before the reading
        report = pd.read_parquet(Path(folder) / "report.parquet")
    return report, {"wall": wall, "main_cpu": cpu, "workers_cpu": children.ru_utime + children.ru_stime,
                    "main_peak_mib": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=XWLB)
    parser.add_argument("--limit", type=int, default=0, help="documents to read (default 0: all)")
    parser.add_argument("--out", type=Path, help="write documents.parquet and documents.csv here")
    parser.add_argument("--compare", type=Path, help="check the report against the files --out wrote there")
    args = parser.parse_args()

    import pandas as pd

    from policytopics.settings.config import CorpusConfig
    from policytopics.store.writing import write_csv, write_parquet
    from policytopics.study.stage_documents import located

    report, numbers = measure(args.corpus, args.limit)
    print(f"{args.corpus.name}: {len(report):,} documents ({report['status'].value_counts().to_dict()})")
    print(f"wall {numbers['wall']:.1f} s, CPU main {numbers['main_cpu']:.1f} s, workers "
          f"{numbers['workers_cpu']:.1f} s; main peak {numbers['main_peak_mib']:.0f} MiB")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        write_parquet(report, args.out / "documents.parquet")
        write_csv(located(report, CorpusConfig(paths=[str(args.corpus)])), args.out / "documents.csv")
    if args.compare:
        pd.testing.assert_frame_equal(pd.read_parquet(args.compare / "documents.parquet"), report)
        print("the same table as", args.compare / "documents.parquet")
        if args.out:
            same = filecmp.cmp(args.out / "documents.csv", args.compare / "documents.csv", shallow=False)
            print("documents.csv:", "the same bytes" if same else "DIFFERENT bytes")


if __name__ == "__main__":
    main()
