"""Topic coherence of the plain script and the project, in one run: sentence NPMI and diversity.

For each corpus it fits, at K topics:

- **the plain script**, the reference a researcher would write in an afternoon:
  ``pd.read_json``, ``jieba.lcut`` (jieba's default dictionary) on the raw texts, tokens
  that are words of at least two CJK characters, ``Dictionary.filter_extremes(no_below=5,
  no_above=0.5)``, gensim ``LdaModel`` with 5 passes and ``random_state=42`` (``--seeds``;
  gensim's defaults otherwise); for ``gwr`` on passages of the raw reports (below);
- **the project** with its defaults, through the public API: ``load_study(None, ...)``
  from a temporary working folder outside the repository, so the built-in defaults apply
  (``--study FILE`` uses a study file instead), ``Study(config).model()``. ``--set
  section.key=value`` overrides a setting; ``--grid section.key=v1,v2`` fits the project
  once per value (several ``--grid`` options: every combination), the plain script once.

A third row per seed, **plain script, filtered top words**, is no new fit: the plain
script's model with each topic's ranked words read through the project's default word
filters (stopwords, place names, administrative self-reference, one-character words), so
its top 10 are the first 10 words the project's vocabulary could hold. Its gap to the plain
row is how much of the plain script's NPMI comes from words found in every kind of sentence.

Both are scored by one scorer over one reference, the corpus's own raw texts of the
modelled documents (for ``xwlb`` the first ``--limit`` stories as read, for ``gwr`` all
52 reports), cut into sentences at ``。！？!?；;`` and line breaks:

- **sentence NPMI** of each topic's top 10 words: two words co-occur when both appear
  (as substrings) in one sentence; NPMI(w1, w2) = log(p12 / (p1 p2)) / -log p12 with p a
  sentence frequency over the number of sentences; a pair that never co-occurs scores -1.
  Mean over the 45 pairs of a topic, then over topics. It does not depend on either
  tokenizer. A top word found in no raw sentence (e.g. a word the project's cleaning
  made, like simplified characters from a traditional text) has all its pairs at -1 and
  is counted;
- **diversity**: the share of unique words among all topics' top 25 words (Dieng et al.
  2020), and among their top 10;
- **c_npmi** (reference only): gensim ``CoherenceModel`` (window 10) of the top 10 words
  over each model's own token lists and dictionary: the two models are scored over
  different references, so compare it within a system, not across;
- **place names** among all topics' top 10 words (``policytopics.text.place_words.place_name_words``
  when the package has it, else provinces and prefecture cities in full and short form and
  counties and districts in full form, from cpca's table);
- **seconds**: "prepare" is reading and segmenting (the project: ``Study.documents()`` and
  ``Study.tokens()``), "fit" the dictionary and the LDA fit (the project: ``Study.corpus()``
  and ``Study.model()``, which also infers the document-topic matrix). In a grid or with
  several seeds, the project's later fits reuse the first one's documents and tokens from
  the cache.

Sentence NPMI moves a lot with the seed (one run of the project at 10,000 xwlb stories gave
0.064 at seed 42 and 0.128 at seed 43, same vocabulary): compare settings over several
seeds (``--seeds 42,43,44,45,46``), which adds a table of means and each seed's gap to the
plain script.

``provincial`` is the panel of ``make example``: the 783 provincial Government Work Reports
from 2003 on (the study file's ``date_from``), for every system and the reference alike; run it
with ``--study data/examples/provincial.toml`` to score the study as it ships (its themes and
stopwords) beside the built-in defaults.

Passages (``gwr``, ``provincial``): the project cuts documents itself (``[corpus] unit``). The plain
script gets passages of the same target length (the project's ``corpus.passage_chars``)
from ``policytopics.text.passages.split_passages`` when the package has it, else from the
paragraph-merging splitter here. The table's "units" column is what each model saw.

    nice -n 10 python benchmarks/bench_coherence.py --corpus both --seeds 42,43,44 --write
    nice -n 10 python benchmarks/bench_coherence.py --corpus xwlb --grid model.no_above=0,0.4,0.5 \\
        --grid model.no_below=0,5 --seeds 42,43,44,45,46 --write --section coherence-grid
    nice -n 10 python benchmarks/bench_coherence.py --corpus provincial \\
        --study data/examples/provincial.toml --seeds 42,43,44 --write --section coherence-provincial
    python benchmarks/bench_coherence.py --corpus xwlb --limit 300 --topics 5   # quick check

The corpora are read in place from ``../shared/corpora`` and never copied; ``--write``
puts only numbers and settings into ``benchmarks/results.md``, replacing the section
between ``<!-- coherence -->`` and ``<!-- /coherence -->`` (``--section NAME`` for
another marker), or appending it.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import itertools
import json
import math
import os
import platform
import re
import shlex
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import _markdown
import numpy as np

REPO = Path(__file__).resolve().parents[1]
CORPORA_DIR = REPO.parent / "shared" / "corpora"
RESULTS = REPO / "benchmarks" / "results.md"
TOP_NPMI = 10
TOP_DIVERSITY = (10, 25)
SENTENCE_END = re.compile(r"[。！？!?；;\n]+")
CJK_WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
SEED = 42
PLAIN_PASSES = 5
PLAIN_RANKED = 100  # ranked words kept per plain topic (its filtered top words come from these)
PLAIN_NO_BELOW, PLAIN_NO_ABOVE = 5, 0.5
FALLBACK_PASSAGE_CHARS = 400


@dataclass(frozen=True)
class Corpus:
    name: str
    file: str
    n_topics: int
    limit: int  # 0 = all documents
    passages: bool  # the plain script models passages, not whole documents
    first_year: int = 0  # documents dated before this year are left out (by every system)


CORPORA = {
    "xwlb": Corpus("xwlb", "xwlb.jsonl.gz", n_topics=20, limit=10_000, passages=False),
    "gwr": Corpus("gwr", "gwr_national.jsonl.gz", n_topics=10, limit=0, passages=True),
    # The provincial panel of `make example`: its study file keeps 2003-2025 (date_from), so
    # the plain script and the reference sentences do too.
    "provincial": Corpus("provincial", "gwr_provincial.jsonl.gz", n_topics=20, limit=0, passages=True,
                         first_year=2003),
}


def in_years(record: dict, first_year: int) -> bool:
    """Whether a record's ``date`` (``YYYY`` or an ISO date) is from ``first_year`` on."""
    return not first_year or int(str(record.get("date") or "0")[:4] or 0) >= first_year


# Reference: sentences of the raw texts ---------------------------------------------------
class SentenceIndex:
    """Sentences of raw texts and which of them contain a word (as a substring).

    The sentences are joined into one string; each word's occurrences are found in it
    (one Aho-Corasick pass for all words with pyahocorasick, else one regular-expression
    scan per word) and mapped to sentence numbers by their offsets.
    """

    def __init__(self, texts: Sequence[str]):
        self.sentences = [s for text in texts for s in SENTENCE_END.split(text) if s.strip()]
        self.joined = "\x00".join(self.sentences)
        lengths = np.fromiter((len(s) + 1 for s in self.sentences), dtype=np.int64,
                              count=len(self.sentences))
        self.starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        self._rows: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.sentences)

    def _sentence_of(self, offsets: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.starts, offsets, side="right") - 1

    def _index(self, words: set[str]) -> None:
        new = sorted(w for w in words if w and w not in self._rows)
        if not new:
            return
        rows = np.zeros((len(new), len(self)), dtype=bool)
        try:
            import ahocorasick
        except ImportError:
            for i, word in enumerate(new):
                offsets = np.fromiter((m.start() for m in re.finditer(re.escape(word), self.joined)),
                                      dtype=np.int64)
                rows[i, self._sentence_of(offsets)] = True
        else:
            automaton = ahocorasick.Automaton()
            for i, word in enumerate(new):
                automaton.add_word(word, i)
            automaton.make_automaton()
            hits = np.array(list(automaton.iter(self.joined)), dtype=np.int64).reshape(-1, 2)
            rows[hits[:, 1], self._sentence_of(hits[:, 0])] = True
        self._rows.update(zip(new, rows))

    def npmi(self, topics: Sequence[Sequence[str]]) -> tuple[list[float], int]:
        """Sentence NPMI of each topic, and how many top words occur in no sentence."""
        self._index({w for t in topics for w in t})
        n = len(self)
        topic_scores, missing = [], 0
        for words in topics:
            rows = [self._rows[w] for w in words]
            counts = [int(r.sum()) for r in rows]
            missing += sum(c == 0 for c in counts)
            pairs = []
            for (a, ca), (b, cb) in itertools.combinations(zip(rows, counts), 2):
                both = int(np.count_nonzero(a & b))
                if both == 0:
                    pairs.append(-1.0)
                elif both == n:
                    pairs.append(1.0)
                else:
                    p12 = both / n
                    pairs.append(math.log(p12 / (ca / n * cb / n)) / -math.log(p12))
            topic_scores.append(float(np.mean(pairs)))
        return topic_scores, missing


def diversity(topics: Sequence[Sequence[str]], n: int) -> float:
    """Share of unique words among all topics' top ``n`` words."""
    words = [w for t in topics for w in t[:n]]
    return len(set(words)) / max(1, len(words))


def c_npmi(topics: Sequence[Sequence[str]], token_lists, dictionary) -> float:
    from gensim.models import CoherenceModel

    return float(CoherenceModel(topics=[list(t[:TOP_NPMI]) for t in topics], texts=token_lists,
                                dictionary=dictionary, coherence="c_npmi", topn=TOP_NPMI,
                                processes=1).get_coherence())


def place_names() -> tuple[frozenset[str], str]:
    """Chinese place names to count among top words, and where they came from."""
    try:
        from policytopics.text.place_words import place_name_words
    except ImportError:
        pass
    else:
        return frozenset(place_name_words()), "policytopics.text.place_words.place_name_words()"
    import csv
    import importlib.metadata

    try:
        table = importlib.metadata.distribution("cpca").locate_file("cpca/resources/adcodes.csv")
        rows = list(csv.DictReader(table.read_text(encoding="utf-8").splitlines()))
    except (importlib.metadata.PackageNotFoundError, FileNotFoundError):
        return frozenset(), "unavailable"
    suffix = re.compile(r"(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|地区|盟|"
                        r"[^\s]{1,6}族[^\s]{0,8}自治州|自治州)$")
    names = set()
    for row in rows:
        code, name = row["adcode"][:6], row["name"]
        names.add(name)
        if code[4:] == "00":  # province or prefecture: its short form too (浙江, 宁波)
            short = suffix.sub("", name)
            if len(short) >= 2:
                names.add(short)
    names.add("内蒙古")
    return frozenset(n for n in names if len(n) >= 2), "cpca's table (fallback)"


# Units -------------------------------------------------------------------------------------
def _fallback_passages(text: str, target_chars: int) -> list[str]:
    """Paragraphs merged up to ``target_chars``; a longer paragraph is cut at sentence ends."""
    pieces = []
    for paragraph in (p.strip() for p in text.split("\n")):
        if not paragraph:
            continue
        if len(paragraph) <= target_chars:
            pieces.append(paragraph)
            continue
        sentence = ""
        for part in re.split(r"(?<=[。！？；])", paragraph):
            if sentence and len(sentence) + len(part) > target_chars:
                pieces.append(sentence)
                sentence = ""
            sentence += part
        if sentence:
            pieces.append(sentence)
    passages, current = [], ""
    for piece in pieces:
        if current and len(current) + len(piece) > target_chars:
            passages.append(current)
            current = ""
        current = f"{current}\n{piece}" if current else piece
    if current:
        passages.append(current)
    return passages


def passage_splitter():
    """``(split, source)``: the package's passage splitter if it has one, else the fallback."""
    try:
        from policytopics.text.passages import split_passages
    except ImportError:
        return _fallback_passages, "the benchmark's paragraph-merging splitter (fallback)"
    return split_passages, "policytopics.text.passages.split_passages"


# The two systems -----------------------------------------------------------------------------
def plain_script(path: Path, limit: int, n_topics: int, passage_chars: int | None,
                 seed: int = SEED, first_year: int = 0) -> dict:
    """The plain script, timed; ``passage_chars`` cuts the texts into passages first."""
    import jieba
    import pandas as pd
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel

    jieba.setLogLevel(60)
    started = time.perf_counter()
    frame = pd.read_json(path, lines=True, nrows=limit or None, compression="gzip", dtype={"date": str})
    if first_year:
        frame = frame[[in_years(r, first_year) for r in frame[["date"]].to_dict("records")]]
    texts = frame["text"].fillna("").astype(str).tolist()
    units = texts
    if passage_chars:
        split, _ = passage_splitter()
        units = [p for text in texts for p in split(text, passage_chars)]
    token_lists = [[w for w in jieba.lcut(text) if CJK_WORD.fullmatch(w)] for text in units]
    prepared = time.perf_counter()
    dictionary = Dictionary(token_lists)
    dictionary.filter_extremes(no_below=PLAIN_NO_BELOW, no_above=PLAIN_NO_ABOVE)
    corpus = [dictionary.doc2bow(tokens) for tokens in token_lists]
    lda = LdaModel(corpus, id2word=dictionary, num_topics=n_topics, passes=PLAIN_PASSES,
                   random_state=seed)
    fitted = time.perf_counter()
    ranked = [[w for w, _ in lda.show_topic(k, topn=PLAIN_RANKED)] for k in range(n_topics)]
    topics = [words[:max(TOP_DIVERSITY)] for words in ranked]
    return {"system": "plain script", "settings": f"no_below={PLAIN_NO_BELOW}, no_above={PLAIN_NO_ABOVE}",
            "units": len(units), "vocabulary": len(dictionary), "topics": topics, "ranked": ranked,
            "prepare_seconds": prepared - started, "fit_seconds": fitted - prepared,
            "token_lists": token_lists, "dictionary": dictionary, "lda": lda, "frame": frame}


def plain_filtered(plain: dict) -> dict | None:
    """The plain script's own model, its top words read through the project's word filters.

    Each topic's ranked words without those the project's default tokenizer drops
    (stopwords, place names, administrative self-reference, one-character words): the same
    fit, no new model. It shows how much of the plain script's sentence NPMI comes from
    words that occur in every kind of sentence (我们, 今天, 进行, 北京 ...).
    """
    try:
        from policytopics.settings.config import SegmentConfig
        from policytopics.text.segment import Segmenter
    except ImportError:
        return None
    keep = Segmenter(SegmentConfig()).keep
    return {**plain, "system": "plain script, filtered top words",
            "settings": plain["settings"] + "; top words through the project's default filters",
            "topics": [[w for w in words if keep(w)][:max(TOP_DIVERSITY)] for words in plain["ranked"]],
            "prepare_seconds": 0.0, "fit_seconds": 0.0}


def project_config(path: Path, limit: int, n_topics: int, overrides: dict, *, study_file: Path | None,
                   workdir: Path, seed: int = SEED):
    """The project's settings: built-in defaults (or ``study_file``) plus ``overrides``."""
    from policytopics import load_study
    from policytopics.settings.config import find_study_file

    if study_file is None and find_study_file(workdir) is not None:
        raise SystemExit(f"{find_study_file(workdir)} would replace the built-in defaults; "
                         "run from another temporary folder (TMPDIR) or pass --study")
    here = Path.cwd()
    os.chdir(workdir)  # no study.toml here or above: load_study(None) takes the built-in defaults
    try:
        return load_study(study_file, corpus=[path], n_topics=n_topics, limit=limit, seed=seed,
                          out=workdir / "out",
                          output__cache_dir=workdir / "cache",
                          **{key.replace(".", "__"): value for key, value in overrides.items()})
    finally:
        os.chdir(here)


def project(config) -> dict:
    """The project's model from ``config``, timed by stage."""
    from policytopics import Study

    try:
        from policytopics.model.corpus import pruning
    except ImportError:  # before the bag-of-words stage had its own module
        from policytopics.model.corpus import pruning

    study = Study(config, progress=False)
    started = time.perf_counter()
    study.documents()
    study.tokens()
    prepared = time.perf_counter()
    study.corpus()
    model = study.model()
    fitted = time.perf_counter()
    words = model.topic_words(max(TOP_DIVERSITY))
    topics = [list(frame.sort_values("rank")["word"]) for _, frame in words.groupby("topic")]
    no_below, no_above = pruning(config.model, model.dictionary_.num_docs)
    return {"system": "project", "units": model.dictionary_.num_docs, "vocabulary": len(model.dictionary_),
            "topics": topics, "prepare_seconds": prepared - started, "fit_seconds": fitted - prepared,
            "pruning": f"no_below={no_below}, no_above={no_above}",
            "token_lists": [list(t) for t in study.tokens()["tokens"]], "dictionary": model.dictionary_}


def score(run: dict, sentences: SentenceIndex, places: frozenset[str]) -> dict:
    topic_npmi, missing = sentences.npmi([t[:TOP_NPMI] for t in run["topics"]])
    top = [w for t in run["topics"] for w in t[:TOP_NPMI]]
    return {"sentence_npmi": float(np.mean(topic_npmi)), "topic_npmi": topic_npmi, "missing": missing,
            **{f"diversity_{n}": diversity(run["topics"], n) for n in TOP_DIVERSITY},
            "c_npmi": c_npmi(run["topics"], run["token_lists"], run["dictionary"]),
            "places": sum(w in places for w in top), "top_words": len(top),
            "place_words": sorted({w for w in top if w in places})}


# Command line and report ------------------------------------------------------------------------
def parse_value(text: str):
    """A TOML value (0.5, true, "x", [..]) or, failing that, the text itself."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def parse_values(text: str) -> list:
    """Grid values: a TOML array's items without the brackets (``0,0.4``, ``["a"],["a","b"]``), or
    plain words separated by commas (``passage,document``)."""
    try:
        return tomllib.loads(f"v = [{text}]")["v"]
    except tomllib.TOMLDecodeError:
        return [parse_value(v) for v in text.split(",")]


def parse_seeds(text: str) -> list[int]:
    try:
        seeds = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        seeds = []
    if not seeds:
        raise argparse.ArgumentTypeError(f"seeds are whole numbers separated by commas, got {text!r}")
    return seeds


def shown_settings(variant: dict) -> str:
    """``key=value, ...`` with file paths in list values shortened to their names."""
    def shown(value):
        if isinstance(value, list):
            return "[" + ", ".join(Path(v).name if isinstance(v, str) and "/" in v else str(v)
                                   for v in value) + "]"
        return str(value)

    return ", ".join(f"{key}={shown(value)}" for key, value in variant.items()) or "defaults"


def word_list_notes(settings: Sequence[dict]) -> list[str]:
    """A line per word-list file outside the package named in the settings, with its words,
    so that a report whose grid used a temporary file says what it held."""
    import policytopics

    package = Path(policytopics.__file__).resolve().parent
    notes = []
    for value in dict.fromkeys(str(v) for s in settings for vs in s.values()
                               for v in (vs if isinstance(vs, list) else [vs])):
        path = Path(value)
        if "/" not in value or not path.is_file() or package in path.resolve().parents:
            continue
        lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
        words = [line for line in lines if line and not line.startswith("#")]
        if len(words) <= 30:
            notes.append(f"- `{path.name}` ({path}) holds: {' '.join(words)}")
    return notes


def parse_setting(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or "." not in key:
        raise argparse.ArgumentTypeError(f"expected section.key=value, got {text!r}")
    return key.strip(), value.strip()


def read_raw_texts(path: Path, limit: int, first_year: int = 0) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        records = (json.loads(line) for line in itertools.islice(fh, limit or None))
        return [str(r.get("text") or "") for r in records if in_years(r, first_year)]


def versions() -> str:
    import gensim
    import jieba
    import pandas

    import policytopics

    source = Path(policytopics.__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "-C", str(source), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(source), "status", "--porcelain", "--", "."],
                               capture_output=True, text=True, check=True).stdout.strip()
        commit += " with uncommitted changes in src/" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return (f"Python {platform.python_version()}; policytopics {policytopics.__version__} "
            f"(commit {commit}); gensim {gensim.__version__}, jieba {jieba.__version__}, "
            f"pandas {pandas.__version__}")


HEADER = ["corpus", "system", "settings", "seed", "units", "K", "vocabulary", "sentence NPMI",
          "diversity@10", "diversity@25", "c_npmi (own tokens)", "place names in top 10", "prepare s",
          "fit s"]
SUMMARY_HEADER = ["corpus", "system", "settings", "sentence NPMI", "diversity@10", "diversity@25",
                  "c_npmi (own tokens)", "place names in top 10", "fit s", "sentence NPMI − plain, per seed"]


def table_row(r: dict) -> list[str]:
    missing = f" ({r['missing']} words in no sentence)" if r["missing"] else ""
    return [r["corpus"], r["system"], r["settings"], str(r["seed"]), f"{r['units']:,}", str(r["k"]),
            f"{r['vocabulary']:,}", f"{r['sentence_npmi']:+.4f}{missing}", f"{r['diversity_10']:.3f}",
            f"{r['diversity_25']:.3f}", f"{r['c_npmi']:+.4f}", f"{r['places']}/{r['top_words']}",
            f"{r['prepare_seconds']:.1f}", f"{r['fit_seconds']:.1f}"]


def summary_rows(results: list[dict]) -> list[list[str]]:
    """Mean ± SD over seeds per corpus, system and settings, with each seed's NPMI gap to plain."""
    plain = {(r["corpus"], r["seed"]): r["sentence_npmi"] for r in results if r["system"] == "plain script"}
    groups: dict[tuple, list[dict]] = {}
    for r in results:
        groups.setdefault((r["corpus"], r["system"], r["settings"]), []).append(r)

    def spread(runs, key, digits=3, sign=""):
        values = np.array([r[key] for r in runs], dtype=float)
        sd = values.std(ddof=1) if len(values) > 1 else 0.0
        return f"{values.mean():{sign}.{digits}f} ± {sd:.{digits}f}"

    rows = []
    for (corpus, system, settings), runs in groups.items():
        gaps = " / ".join(f"{r['sentence_npmi'] - plain[corpus, r['seed']]:+.3f}" for r in runs)
        rows.append([corpus, system, settings, spread(runs, "sentence_npmi", 4, "+"),
                     spread(runs, "diversity_10"), spread(runs, "diversity_25"),
                     spread(runs, "c_npmi", 4, "+"), f"{np.mean([r['places'] for r in runs]):.1f}",
                     f"{np.mean([r['fit_seconds'] for r in runs]):.1f}",
                     "–" if system == "plain script" else gaps])
    return rows


def write_section(text: str, section: str, path: Path = RESULTS) -> None:
    """Replace ``<!-- section -->…<!-- /section -->`` in ``path``, or append it."""
    start, end = f"<!-- {section} -->", f"<!-- /{section} -->"
    block = f"{start}\n{text.strip()}\n{end}\n"
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end) + r"\n?", re.DOTALL)
    if pattern.search(old):
        new = pattern.sub(lambda _: block, old, count=1)
    else:
        new = old.rstrip("\n") + ("\n\n" if old else "") + block
    tmp = path.with_suffix(".md.tmp")
    tmp.write_text(new, encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=[*CORPORA, "both"], default="both",
                        help="a corpus, or both xwlb and gwr (default)")
    parser.add_argument("--limit", type=int, default=None,
                        help="documents to read (0 = all; default: xwlb 10000, gwr all)")
    parser.add_argument("--topics", type=int, default=None, help="K (default: xwlb 20, gwr 10)")
    parser.add_argument("--set", dest="settings", type=parse_setting, action="append", default=[],
                        metavar="SECTION.KEY=VALUE", help="a project setting, e.g. model.no_above=0.5")
    parser.add_argument("--grid", type=parse_setting, action="append", default=[],
                        metavar="SECTION.KEY=V1,V2", help="fit the project once per value (combined)")
    parser.add_argument("--seeds", type=parse_seeds, default=[SEED],
                        help="the plain script's random_state and the project's model.seed; several "
                             f"(42,43,44) fit everything once per seed and add means (default {SEED})")
    parser.add_argument("--study", type=Path, default=None,
                        help="a study file for the project (default: the built-in defaults)")
    parser.add_argument("--corpora-dir", type=Path, default=CORPORA_DIR)
    parser.add_argument("--write", action="store_true", help=f"write the section into {RESULTS.name}")
    parser.add_argument("--section", default="coherence", help="marker of the section (default coherence)")
    args = parser.parse_args(argv)
    if args.study is not None:  # the project is fitted from a temporary folder
        args.study = args.study.resolve()

    command = "python benchmarks/bench_coherence.py " + shlex.join(sys.argv[1:] if argv is None else argv)
    started = datetime.datetime.now().astimezone()
    base = {key: parse_value(value) for key, value in args.settings}
    axes = [[(key, value) for value in parse_values(values)] for key, values in args.grid]
    variants = [base | dict(combo) for combo in itertools.product(*axes)] or [base]
    places, places_source = place_names()
    _, splitter_source = passage_splitter()
    load = os.getloadavg()

    results, top_words, notes = [], [], []
    names = ["xwlb", "gwr"] if args.corpus == "both" else [args.corpus]
    with tempfile.TemporaryDirectory(prefix="bench-coherence-") as tmp:
        for name in names:
            corpus = CORPORA[name]
            path = (args.corpora_dir / corpus.file).resolve()
            if not path.is_file():
                parser.error(f"corpus not found: {path}")
            limit = corpus.limit if args.limit is None else args.limit
            k = args.topics or corpus.n_topics
            workdir = Path(tmp) / name
            workdir.mkdir()
            print(f"[{name}] reading the reference sentences", file=sys.stderr)
            sentences = SentenceIndex(read_raw_texts(path, limit, corpus.first_year))
            notes.append(f"{name}: {len(sentences):,} reference sentences")
            for seed in args.seeds:
                configs = [project_config(path, limit, k, v, study_file=args.study, workdir=workdir,
                                          seed=seed) for v in variants]
                passage_chars = None
                if corpus.passages:
                    passage_chars = getattr(configs[0].corpus, "passage_chars", FALLBACK_PASSAGE_CHARS)
                print(f"[{name}] seed {seed}: plain script", file=sys.stderr)
                plain = plain_script(path, limit, k, passage_chars, seed, corpus.first_year)
                if passage_chars:
                    plain["settings"] += f"; passages of {passage_chars} characters"
                runs = [plain, *filter(None, [plain_filtered(plain)])]
                for variant, config in zip(variants, configs):
                    print(f"[{name}] seed {seed}: project {variant or 'defaults'}", file=sys.stderr)
                    run = project(config)
                    run["settings"] = f"{shown_settings(variant)} (in effect: {run['pruning']})"
                    runs.append(run)
                for run in runs:
                    scores = score(run, sentences, places)
                    results.append({"corpus": name, "k": k, "seed": seed, **run, **scores})
                    top_words.append((f"{name}, seed {seed}, {run['system']}, {run['settings']}",
                                      run["topics"], scores["topic_npmi"], scores["place_words"]))
                    for key in ("token_lists", "dictionary", "ranked", "lda", "frame"):
                        results[-1].pop(key, None)
                    print("| " + " | ".join(table_row(results[-1])) + " |", file=sys.stderr)

    finished = datetime.datetime.now().astimezone()
    title = "Coherence: the plain script vs the project"
    if args.grid:
        title += ", grid over " + ", ".join(key for key, _ in args.grid)
    report = "\n".join([
        f"## {title}",
        "",
        f"- date: {started:%Y-%m-%d %H:%M %Z} (took {(finished - started).total_seconds() / 60:.1f} min)",
        f"- machine: {platform.platform()}; os.cpu_count() = {os.cpu_count()}; load average before "
        f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}, after "
        + " / ".join(f"{x:.2f}" for x in os.getloadavg()),
        f"- {versions()}",
        f"- command: `{command}`",
        f"- project settings: {'study file ' + str(args.study) if args.study else 'built-in defaults'}"
        + (f", with {shown_settings(base)}" if base else ""),
        *word_list_notes([base, *variants]),
        f"- reference: sentences of the raw texts of the modelled documents ({'; '.join(notes)}); "
        f"place names: {places_source}; plain script's passages: {splitter_source}",
        "",
        _markdown.markdown_table(HEADER, [table_row(r) for r in results], left=(0, 1, 2)),
        "",
        *([] if len(args.seeds) < 2 else [
            f"Mean ± SD over the seeds {', '.join(map(str, args.seeds))}; the last column is each "
            "seed's sentence NPMI minus the plain script's at the same seed:", "",
            _markdown.markdown_table(SUMMARY_HEADER, summary_rows(results), left=(0, 1, 2)), ""]),
        "Sentence NPMI: mean over topics of the mean NPMI of the 45 pairs of the top 10 words, "
        "two words co-occurring when both are substrings of one raw sentence (never: -1). "
        "Diversity@n: unique share of all topics' top n words. c_npmi: gensim, window 10, over "
        "each model's own tokens (not comparable across systems). Seconds: prepare = read and "
        "segment, fit = dictionary and LDA (the project's also infers the document-topic matrix; "
        "later project rows, for other settings or seeds, reuse the first one's cached documents and "
        "tokens). "
        f"One run each per seed ({', '.join(map(str, args.seeds))}). "
        "Written by `benchmarks/bench_coherence.py`.",
    ])
    print(report)
    print("\n## Top words (first 10 per topic, with the topic's sentence NPMI; not written to results.md)\n")
    for title, topics, topic_npmi, place_words in top_words:
        print(f"### {title}" + (f"; place names: {' '.join(place_words)}" if place_words else ""))
        for i, (words, npmi) in enumerate(zip(topics, topic_npmi), start=1):
            print(f"{i:2d}. {npmi:+.3f}  {' '.join(words[:TOP_NPMI])}")
        print()
    if args.write:
        write_section(report, args.section)
        print(f"written: {RESULTS} (section {args.section})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
