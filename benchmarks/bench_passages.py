"""Passage length by measurement: long documents cut at several target lengths, one LDA each.

Chooses the defaults of ``[corpus] passage_chars`` (target passage length) and
``passage_above`` (``unit = "auto"`` cuts documents longer than this). The corpora are
read in place from ``../shared/corpora`` (never copied); only numbers are printed.

For each corpus (``gwr_national``: 52 Government Work Reports; ``policy_central_shandong``:
211 policy documents) the kept documents come from ``Study.kept_documents()`` with the
built-in defaults (cached under the system's temporary folder, untimed). They are then
modelled whole (``unit = "document"``) and cut at each ``--targets`` length
(``unit = "passage"``, :func:`policytopics.text.passages.document_units`), each time segmented
with ``policytopics.text.segment.Segmenter`` (the defaults: place names and admin words out)
and fitted with ``policytopics.model.topic_model.TopicModel`` (gensim LDA, K = ``--topics``, each
``--seeds``, the default auto pruning for that many units). Scores:

- **largest share**: each document's topic proportions are the n_chars-weighted mean of
  its passages' (:func:`policytopics.text.passages.document_topics`); the mean over documents of
  the largest of them. A report about many themes should not sit on one topic: goal
  ≤ 0.5;
- **empty**: topics holding less than 1 % of the corpus's weight (mean proportion over
  documents); **leading**: topics that are the largest of at least one document;
- **c_npmi**: gensim ``CoherenceModel`` of the top 10 words over the units' token lists
  (a sliding window of 10 tokens, so cutting changes the reference only at passage edges);
- **diversity**: share of unique words among all topics' top 10;
- **fit s**: ``TopicModel.fit`` (dictionary, training, document-topic matrix), wall clock.

For ``passage_above`` it prints the length distribution (Chinese characters of the cleaned
text, title excluded) of xwlb news stories (``--xwlb-limit`` first stories; they must stay
whole) next to the reports and policy documents, and fits ``policy_central_shandong``
with ``unit = "auto"`` at each ``--above`` value (the documents of middling length are the
ones the choice moves).

    nice -n 10 python benchmarks/bench_passages.py                        # about 5 minutes
    nice -n 10 python benchmarks/bench_passages.py --seeds 42,43,44,45,46 --targets 200,300,350,400,600,800
    nice -n 10 python benchmarks/bench_passages.py --corpus gwr_national --targets 300,400
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import _markdown

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
CACHE = Path(tempfile.gettempdir()) / "policytopics-bench-passages"
LONG_CORPORA = ("gwr_national", "policy_central_shandong")
TOP_N = 10
EMPTY_SHARE = 0.01


def int_list(text: str) -> list[int]:
    return [int(v) for v in text.split(",") if v.strip()]


@contextlib.contextmanager
def working_folder(path: Path):
    """Run in ``path`` so that ``load_study(None)`` finds no study file: built-in defaults."""
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def kept_documents(name: str, cache: Path, limit: int = 0):
    from policytopics import Study, load_study

    cache.mkdir(parents=True, exist_ok=True)
    with working_folder(cache):
        config = load_study(None, corpus=str(CORPORA / f"{name}.jsonl.gz"), limit=limit,
                            output__cache_dir=str(cache / "cache"))
        return config, Study(config, progress=False).kept_documents()


def fit_units(units, config, k: int, seed: int) -> dict:
    """Segment ``units``, fit LDA, and score it at the document level."""
    import numpy as np

    from policytopics.model.choose_k import coherence, diversity
    from policytopics.model.corpus import pruning
    from policytopics.model.topic_model import TopicModel
    from policytopics.text.passages import document_topics
    from policytopics.text.segment import Segmenter

    token_lists = Segmenter(config.segment).tokenize_many(list(units["text"]), workers=1,
                                                          progress=False)
    model_config = replace(config.model, n_topics=k, seed=seed)
    started = time.perf_counter()
    model = TopicModel(model_config).fit(token_lists)
    seconds = time.perf_counter() - started
    _, matrix = document_topics(model.doc_topic_, units)
    words = model.topic_words(TOP_N)
    topics = [list(frame["word"]) for _, frame in words.groupby("topic")]
    prevalence = matrix.mean(axis=0)
    no_below, no_above = pruning(model_config, len(units))
    return {
        "units": len(units),
        "median_chars": float(np.median(units["n_chars"])),
        "pruning": f"{no_below}/{no_above}",
        "vocabulary": len(model.dictionary_),
        "largest": float(matrix.max(axis=1).mean()),
        "empty": int((prevalence < EMPTY_SHARE).sum()),
        "leading": len(set(matrix.argmax(axis=1))),
        "npmi": coherence(topics, token_lists, model.dictionary_, TOP_N),
        "diversity": diversity(topics),
        "fit_seconds": seconds,
        "top_words": [" ".join(t[:5]) for t in topics],
    }


HEADER = ["corpus", "unit", "seed", "units", "median chars", "pruning", "vocabulary",
          "largest share", "empty", "leading", "c_npmi", "diversity", "fit s"]


def row_cells(corpus: str, unit: str, seed: int, r: dict) -> list[str]:
    return [corpus, unit, str(seed), f"{r['units']:,}", f"{r['median_chars']:.0f}", r["pruning"],
            f"{r['vocabulary']:,}", f"{r['largest']:.3f}", str(r["empty"]), str(r["leading"]),
            f"{r['npmi']:+.4f}", f"{r['diversity']:.2f}", f"{r['fit_seconds']:.1f}"]


SUMMARY_HEADER = ["corpus", "unit", "seeds", "units", "largest share", "worst", "empty",
                  "leading", "c_npmi", "diversity", "fit s"]


def summary_rows(results: list[tuple[str, str, dict]]) -> list[list[str]]:
    """Mean ± SD over seeds per corpus and unit (worst: the largest "largest share")."""
    import numpy as np

    rows = []
    for key in dict.fromkeys((corpus, unit) for corpus, unit, _ in results):
        group = [r for corpus, unit, r in results if (corpus, unit) == key]

        def stat(name, digits, signed=False, group=group):
            values = np.array([r[name] for r in group], dtype=float)
            sign = "+" if signed else ""
            spread = f" ± {values.std(ddof=1):.{digits}f}" if len(values) > 1 else ""
            return f"{values.mean():{sign}.{digits}f}{spread}"

        rows.append([*key, str(len(group)), f"{group[0]['units']:,}", stat("largest", 3),
                     f"{max(r['largest'] for r in group):.3f}", str(sum(r["empty"] for r in group)),
                     stat("leading", 1), stat("npmi", 4, signed=True), stat("diversity", 3),
                     stat("fit_seconds", 1)])
    return rows


def plain_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]

    def line(cells):
        return "  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return "\n".join([line(header), *(line(r) for r in rows)])


def length_table(lengths: dict[str, list[int]], thresholds: list[int]) -> tuple[list[str], list[list[str]]]:
    import numpy as np

    header = ["corpus", "documents", "median", "p90", "p99", "p99.9", "max",
              *(f"> {t:,}" for t in thresholds)]
    rows = []
    for name, values in lengths.items():
        v = np.asarray(values)
        p = np.percentile(v, [50, 90, 99, 99.9])
        rows.append([name, f"{len(v):,}", *(f"{x:,.0f}" for x in p), f"{v.max():,}",
                     *(f"{(v > t).mean():.1%}" for t in thresholds)])
    return header, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=[*LONG_CORPORA, "both"], default="both")
    parser.add_argument("--targets", type=int_list, default=[200, 300, 400, 600, 800],
                        help="passage lengths to try, Chinese characters (default 200,300,400,600,800)")
    parser.add_argument("--above", type=int_list, default=[1500, 3000, 6000],
                        help="passage_above values fitted in auto mode on policy_central_shandong")
    parser.add_argument("--auto-target", type=int, default=400,
                        help="passage_chars of the auto-mode fits (default 400)")
    parser.add_argument("--topics", type=int, default=10, help="K (default 10)")
    parser.add_argument("--seeds", type=int_list, default=[42], help="seeds (default 42)")
    parser.add_argument("--xwlb-limit", type=int, default=20_000,
                        help="xwlb stories whose lengths are measured (default 20000; 0 = all)")
    parser.add_argument("--thresholds", type=int_list, default=[1500, 2000, 3000, 5000],
                        help="lengths for the share-above columns")
    parser.add_argument("--show-topics", action="store_true", help="print each fit's top words")
    parser.add_argument("--cache-dir", type=Path, default=CACHE,
                        help=f"documents cache, reused by reruns (default {CACHE})")
    parser.add_argument("--out", type=Path, default=None, help="also write the tables as Markdown")
    args = parser.parse_args(argv)

    from policytopics.text.passages import document_units

    command = "python benchmarks/bench_passages.py " + shlex.join(sys.argv[1:] if argv is None else argv)
    names = LONG_CORPORA if args.corpus == "both" else (args.corpus,)
    missing = [n for n in (*names, "xwlb") if not (CORPORA / f"{n}.jsonl.gz").is_file()]
    if missing:
        parser.error(f"corpora not found in {CORPORA}: {missing}")

    rows, auto_rows, tops, results = [], [], [], []
    lengths: dict[str, list[int]] = {}
    for name in names:
        config, documents = kept_documents(name, args.cache_dir)
        lengths[name] = [int(n) for n in documents["n_chars"]]
        print(f"{name}: {len(documents)} kept documents", flush=True)
        units_by = {"document": document_units(documents, replace(config.corpus, unit="document"))}
        for target in args.targets:
            units_by[str(target)] = document_units(
                documents, replace(config.corpus, unit="passage", passage_chars=target))
        for unit, units in units_by.items():
            for seed in args.seeds:
                result = fit_units(units, config, args.topics, seed)
                results.append((name, unit, result))
                rows.append(row_cells(name, unit, seed, result))
                tops.append((name, unit, seed, result["top_words"]))
                print("  " + "  ".join(rows[-1][1:]), flush=True)
        if name == "policy_central_shandong":
            for above in args.above:
                corpus = replace(config.corpus, unit="auto", passage_chars=args.auto_target,
                                 passage_above=above)
                units = document_units(documents, corpus)
                cut = int((documents["n_chars"] > above).sum())
                for seed in args.seeds:
                    result = fit_units(units, config, args.topics, seed)
                    label = f"auto > {above:,} ({cut} cut)"
                    results.append((name, label, result))
                    auto_rows.append(row_cells(name, label, seed, result))
                    print("  " + "  ".join(auto_rows[-1][1:]), flush=True)

    _, stories = kept_documents("xwlb", args.cache_dir, limit=args.xwlb_limit)
    lengths = {f"xwlb (first {len(stories):,})": [int(n) for n in stories["n_chars"]], **lengths}

    print(f"\n{command}\n")
    print(plain_table(HEADER, rows))
    if auto_rows:
        print(f"\nunit = auto, passage_chars = {args.auto_target}:\n")
        print(plain_table(HEADER, auto_rows))
    summary = summary_rows(results)
    print(f"\nMean ± SD over seeds {','.join(map(str, args.seeds))} (worst: the largest of the "
          "seeds' largest shares; empty: summed over seeds):\n")
    print(plain_table(SUMMARY_HEADER, summary))
    length_header, length_rows = length_table(lengths, args.thresholds)
    print("\nLengths (Chinese characters of the cleaned text):\n")
    print(plain_table(length_header, length_rows))
    if args.show_topics:
        for name, unit, seed, words in tops:
            print(f"\n{name} unit={unit} seed={seed}")
            for i, line in enumerate(words, start=1):
                print(f"  T{i}: {line}")
    if args.out:
        parts = [f"`{command}`", "", _markdown.markdown_table(HEADER, rows, left=(0, 1))]
        if auto_rows:
            parts += ["", _markdown.markdown_table(HEADER, auto_rows, left=(0, 1))]
        parts += ["", _markdown.markdown_table(SUMMARY_HEADER, summary, left=(0, 1)),
                  "", _markdown.markdown_table(length_header, length_rows)]
        args.out.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
