"""The cached chain of stages behind the CLI and the notebooks.

``ingest → segment → model → weights → tables and figures``. Each long stage stores its
result under ``cache_dir/<stage>/<key>``, the key being a hash of everything the stage
depends on (input bytes, settings, word-list contents, package version). A rerun with a
new topic count therefore reuses the cleaned documents and tokens, and a changed setting
never serves a stale result. Writes are atomic (temporary file, then rename).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import hashlib
import json
import logging
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from itertools import chain, islice
from pathlib import Path

import pandas as pd

from . import __version__
from .clean import (
    CleanedText,
    cjk_count,
    cjk_ratio,
    clean_text,
    find_near_duplicates,
    minhash_signature,
)
from .config import CleanConfig, CorpusConfig, StudyConfig, load_study
from .ingest import RawDocument, iter_documents
from .metadata import extract_date, extract_region, parse_date_value
from .model import TopicModel, build_dictionary
from .segment import Segmenter, apply_phrases
from .weights import (
    NATIONAL_SOURCE,
    coverage,
    doc_topics_table,
    doc_topics_wide,
    theme_effects,
    theme_weights,
)

log = logging.getLogger("policytopics")

REPORT_COLUMNS = [
    "doc_id", "source", "encoding", "status", "reason", "duplicate_of", "title", "date",
    "date_precision", "date_source", "region", "city", "region_source", "n_chars_raw",
    "n_chars", "removed", "text",
]


# --- ingest ----------------------------------------------------------------------------

def ingest(paths: Sequence[str | Path] | str | Path, config: StudyConfig | None = None, *,
           limit: int | None = None, progress: bool = True) -> pd.DataFrame:
    """Read, clean, date and place every input document; one report row per document.

    Every input is accounted for: ``status`` is ``kept``, ``dropped`` (with ``reason``)
    or ``duplicate`` (with ``duplicate_of``). A ``metadata.csv`` beside the inputs
    (columns ``doc_id`` or ``file``, and any of ``date``, ``region``, ``title``) wins over
    extraction.
    """
    from tqdm.auto import tqdm

    if isinstance(paths, (str, Path)):
        paths = [paths]
    config = config or load_study(None)
    limit = config.corpus.limit if limit is None else limit
    overrides = _read_overrides(paths)
    rows = []
    seen_text: dict[str, str] = {}
    documents = iter_documents(paths, config.corpus, limit=limit)
    # The total is known only with a limit (a compressed table is not counted in advance).
    bar = tqdm(desc="ingest", unit="doc", total=limit or None, disable=not progress, leave=False)
    signatures = []
    for row in _document_rows(documents, config, overrides):
        signatures.append(row.pop("_minhash", None))
        if row["status"] == "kept":
            digest = hashlib.sha1(row["text"].encode("utf-8")).hexdigest()
            if digest in seen_text:
                row.update(status="duplicate", reason="same cleaned text",
                           duplicate_of=seen_text[digest])
            else:
                seen_text[digest] = row["doc_id"]
        rows.append(row)
        bar.update()
    bar.close()
    threshold = config.clean.near_duplicate_threshold
    if threshold:
        # Row positions as ids: doc_ids may repeat across folders.
        kept_positions = [i for i, row in enumerate(rows) if row["status"] == "kept"]
        near = find_near_duplicates(kept_positions, [rows[i]["text"] for i in kept_positions],
                                    threshold=threshold,
                                    signatures=[signatures[i] for i in kept_positions])
        for position, first in near.items():
            rows[position].update(status="duplicate",
                                  reason=f"near-duplicate text (MinHash Jaccard >= {threshold})",
                                  duplicate_of=rows[first]["doc_id"])
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


#: Below this many documents ``workers = 0`` (auto) cleans in this process: a worker
#: process needs about a second to start, the time to clean ~600 documents.
PARALLEL_MIN_DOCS = 2_000


def _document_rows(documents: Iterator[RawDocument], config: StudyConfig,
                   overrides: dict[str, dict[str, str]]) -> Iterator[dict]:
    """Report rows in input order, cleaned here or by worker processes (``[compute]``)."""
    from .parallel import map_chunks, resolve_workers

    compute = config.compute
    head = list(islice(documents, PARALLEL_MIN_DOCS))
    n_docs = len(head) if len(head) < PARALLEL_MIN_DOCS else None
    workers = resolve_workers(compute.workers, n_docs, PARALLEL_MIN_DOCS)
    documents = chain(head, documents)
    if workers == 1 and not compute.scheduler:
        for raw in documents:
            yield _signed_row(raw, config.clean, overrides)
        return
    for chunk_rows in map_chunks(_document_rows_chunk, _with_overrides(documents, overrides),
                                 (config.clean,), workers=workers, chunk_size=compute.chunk_size,
                                 scheduler=compute.scheduler or None):
        yield from chunk_rows


def _with_overrides(documents: Iterator[RawDocument], overrides: dict[str, dict[str, str]]):
    """Each document with just its own override values (keeps what is sent to workers small)."""
    for raw in documents:
        mine = {key: overrides[key] for key in (raw.doc_id, Path(raw.source).stem) if key in overrides}
        yield raw, mine


def _document_rows_chunk(chunk: list[tuple[RawDocument, dict]], clean: CleanConfig) -> list[dict]:
    """Worker side of :func:`ingest`: report rows of a chunk of documents."""
    return [_signed_row(raw, clean, overrides) for raw, overrides in chunk]


def _signed_row(raw: RawDocument, clean: CleanConfig, overrides) -> dict:
    """:func:`document_row`, plus the MinHash signature of a kept text under ``_minhash``
    (computed here, in the worker, for the near-duplicate search)."""
    row = document_row(raw, clean, overrides)
    if row["status"] == "kept" and clean.near_duplicate_threshold:
        row["_minhash"] = minhash_signature(row["text"])
    return row


def document_row(raw: RawDocument, clean: CleanConfig,
                 overrides: dict[str, dict[str, str]] | None = None) -> dict:
    """Report row of one raw document: cleaned text, metadata, status and reason."""
    row = dict.fromkeys(REPORT_COLUMNS)
    row.update(doc_id=raw.doc_id, source=raw.source, encoding=raw.encoding,
               n_chars_raw=len(raw.text), n_chars=0, removed="{}", text="")
    if raw.error:
        row.update(status="dropped", reason=raw.error)
        return row
    cleaned: CleanedText = clean_text(raw.text, clean)
    kept = cleaned.kept_lines
    title = raw.title
    body = kept
    if title is None and kept and len(kept[0]) <= 60 and not kept[0].endswith(("。", "!", "?")):
        title, body = kept[0], kept[1:]
    text = "\n".join(body)
    row.update(title=title, text=text, n_chars=cjk_count(text),
               removed=json.dumps(dict(cleaned.removed), ensure_ascii=False))

    if raw.date:
        date, precision = parse_date_value(raw.date)
        row.update(date=date, date_precision=precision,
                   date_source="column" if date else f"column value not a date: {raw.date!r}")
    else:
        found = extract_date(cleaned.lines, title)
        row.update(date=found.date, date_precision=found.precision, date_source=found.source)
    if raw.region_given:
        # A table that states regions is trusted, an empty value included: the
        # national reports carry region = null because they are about no province.
        row.update(region=raw.region,
                   region_source="column" if raw.region else NATIONAL_SOURCE)
    else:
        region = extract_region(title, body)
        row.update(region=region.region, city=region.city, region_source=region.source)
    _apply_override(row, raw, overrides or {})

    if not text.strip():
        row.update(status="dropped", reason="empty after cleaning")
    elif cjk_ratio(text) < clean.min_cjk_ratio:
        row.update(status="dropped",
                   reason=f"not mainly Chinese ({cjk_ratio(text):.0%} Chinese characters)")
    elif row["n_chars"] < clean.min_chars:
        row.update(status="dropped",
                   reason=f"too short ({row['n_chars']} < {clean.min_chars} Chinese characters)")
    else:
        row.update(status="kept", reason="")
    return row


def _read_overrides(paths: Sequence[str | Path]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    folders = {Path(p) if Path(p).is_dir() else Path(p).parent for p in paths}
    for folder in sorted(folders):
        table = folder / "metadata.csv"
        if not table.is_file():
            continue
        frame = pd.read_csv(table, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        key = "doc_id" if "doc_id" in frame else "file" if "file" in frame else None
        if key is None:
            raise ValueError(f"{table} needs a 'doc_id' or 'file' column")
        for record in frame.to_dict("records"):
            name = record[key]
            found[Path(name).stem if key == "file" else name] = {
                k: v for k, v in record.items() if k in ("date", "region", "title") and v
            }
    return found


def _apply_override(row: dict, raw: RawDocument, overrides: dict[str, dict[str, str]]) -> None:
    values = overrides.get(raw.doc_id) or overrides.get(Path(raw.source).stem)
    if not values:
        return
    if "date" in values:
        date, precision = parse_date_value(values["date"])
        if date is None:
            raise ValueError(f"metadata.csv: {values['date']!r} for {raw.doc_id} is not a date")
        row.update(date=date, date_precision=precision, date_source="metadata.csv")
    if "region" in values:
        row.update(region=values["region"], city=None, region_source="metadata.csv")
    if "title" in values:
        row.update(title=values["title"])


def summarise_report(report: pd.DataFrame) -> str:
    """A few lines: documents read, kept, dropped by reason, duplicates, coverage."""
    kept = report[report["status"] == "kept"]
    lines = [f"documents read: {len(report)}",
             f"kept: {len(kept)}",
             f"duplicates: {int((report['status'] == 'duplicate').sum())}"]
    dropped = report[report["status"] == "dropped"]
    lines.append(f"dropped: {len(dropped)}")
    for reason, n in Counter(r.split(" (")[0] for r in dropped["reason"]).most_common():
        lines.append(f"  {reason}: {n}")
    if len(kept):
        lines.append(f"with a date: {kept['date'].notna().sum()} of {len(kept)}")
        lines.append(f"with a region: {kept['region'].notna().sum()} of {len(kept)}")
        national = int((kept["region_source"] == NATIONAL_SOURCE).sum())
        if national:
            lines.append(f"national (the source states no region): {national}")
    return "\n".join(lines)


# --- cache -----------------------------------------------------------------------------

def _hash(*parts) -> str:
    digest = hashlib.sha256()
    for part in parts:
        if isinstance(part, Path):
            digest.update(part.read_bytes() if part.is_file() else str(part).encode())
        else:
            digest.update(json.dumps(part, sort_keys=True, default=str, ensure_ascii=False).encode())
        digest.update(b"\x00")
    return digest.hexdigest()[:20]


def trim_memory() -> None:
    """Hand memory freed by a large stage back to the operating system.

    Python, pyarrow's allocator and glibc's malloc all keep freed memory for reuse, so
    without this the model stage would run on top of everything the ingest and the
    segmentation once held (about 0.9 GB more at the peak for 75,000 news stories). The
    same call Dask's workers use (``malloc_trim``); elsewhere than Linux it only collects.
    """
    gc.collect()
    try:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    except Exception:  # an allocator without release_unused
        pass
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # not glibc (musl)
            ctypes.CDLL("libc.so.6").malloc_trim(0)


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Package version plus a hash of its source, so a code change never serves old results."""
    digest = hashlib.sha256(__version__.encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:12]}"


def _file_fingerprint(paths: Sequence[Path]) -> list:
    """Content hash of every input file (folders expanded), so edits invalidate the cache."""
    prints = []
    for path in paths:
        if not Path(path).exists():
            raise FileNotFoundError(f"corpus path not found: {path}")
        folder = Path(path)
        files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else [folder]
        for file in files:
            stat = file.stat()
            prints.append([file.name, _content_hash(str(file.resolve()), stat.st_size, stat.st_mtime_ns)])
    return prints


@functools.lru_cache(maxsize=4096)
def _content_hash(path: str, size: int, mtime_ns: int) -> str:
    """SHA-256 of a file, computed once per path, size and modification time."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _atomic_parquet(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(path.parent)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.",
                                     suffix=".tmp", delete=False) as tmp:
        tmp_path = Path(tmp.name)
    try:
        frame.to_parquet(tmp_path, index=False)
        # NamedTemporaryFile creates the file readable by its owner only; give it the
        # permissions of any other file written here.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, path)
    finally:
        tmp_path.unlink(missing_ok=True)


def _read_cached_parquet(path: Path) -> pd.DataFrame | None:
    if not path.is_file():
        return None
    try:
        return pd.read_parquet(path)
    except Exception:
        log.warning("cache file %s is unreadable; rebuilding it", path)
        path.unlink(missing_ok=True)
        return None


def _temporary_sibling(path: Path) -> Path:
    """An empty folder beside ``path`` to build a stage in before renaming it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(path.parent)
    return Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.",
                                 suffix=".tmp"))


_TEMPORARY = re.compile(r"^\..+\.(\d+)\.[^.]+\.tmp$")


def _remove_stale_temporaries(folder: Path) -> None:
    """Delete temporaries left in ``folder`` by a run that was killed mid-write.

    Their names carry the writing process's id; those of live processes (another run
    writing now) are left alone.
    """
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        match = _TEMPORARY.match(entry.name)
        if not match or _process_alive(int(match.group(1))):
            continue
        log.info("removing %s, left by an interrupted run", entry)
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would terminate it there: keep everything
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def _replace_folder(tmp: Path, path: Path) -> None:
    """Move a finished stage folder into place (a reader never sees a half-written one)."""
    shutil.rmtree(path, ignore_errors=True)
    os.replace(tmp, path)


# --- the study -------------------------------------------------------------------------

class Study:
    """One study: configuration plus cached stages.

    Examples
    --------
    >>> study = Study.from_file("study.toml", n_topics=6)   # doctest: +SKIP
    >>> study.documents()          # cleaning report (cached)  # doctest: +SKIP
    >>> study.model()              # fitted TopicModel (cached)  # doctest: +SKIP
    >>> study.run()                # tables and figures  # doctest: +SKIP
    """

    def __init__(self, config: StudyConfig, *, progress: bool = True):
        self.config = config
        self.progress = progress
        self.timings: dict[str, float] = {}
        self.cache_hits: dict[str, bool] = {}
        self._memo: dict[str, object] = {}
        self._nested_seconds: list[float] = []

    @classmethod
    def from_file(cls, path: str | Path | None = None, *, progress: bool = True,
                  **overrides) -> Study:
        """Load a study file (``None``: nearest ``study.toml``) with overrides."""
        return cls(load_study(path, **overrides), progress=progress)

    @property
    def cache_dir(self) -> Path:
        return self.config.output.cache_dir

    def _stage(self, name: str, key: str, build, *, reader, writer, serve_written: bool = False):
        """Return a stage's result from memory, the cache, or by building it.

        With ``serve_written`` a freshly built result is read back from the cache (for
        stages whose cached form streams from disk).
        """
        memo_key = f"{name}:{key}"
        if memo_key in self._memo:
            return self._memo[memo_key]
        path = self.cache_dir / name / key
        started = time.perf_counter()
        self._nested_seconds.append(0.0)
        try:
            result = reader(path)
            self.cache_hits[name] = result is not None
            if result is None:
                log.info("%s: building (cache key %s)", name, key)
                result = build()
                writer(result, path)
                if serve_written:
                    result = reader(path)
                trim_memory()
            else:
                log.info("%s: cache hit (key %s)", name, key)
        finally:
            # A stage's own time, without the earlier stages it had to build first.
            elapsed = time.perf_counter() - started
            nested = self._nested_seconds.pop()
            if self._nested_seconds:
                self._nested_seconds[-1] += elapsed
        self.timings[name] = round(elapsed - nested, 3)
        self._memo[memo_key] = result
        return result

    def _release(self, name: str) -> bool:
        """Drop a stage's result from memory (it stays in the cache); True if there was one."""
        keys = [key for key in self._memo if key.startswith(f"{name}:")]
        for key in keys:
            del self._memo[key]
        return bool(keys)

    # Stage 1: documents ------------------------------------------------------------
    def documents_key(self) -> str:
        cfg = self.config
        return _hash("documents", code_version(), _file_fingerprint(cfg.corpus.paths),
                     asdict(cfg.corpus) | {"paths": None}, asdict(cfg.clean),
                     cfg.clean.spam_phrases or "")

    def documents(self) -> pd.DataFrame:
        """The ingest report: one row per input document (kept, dropped, duplicate)."""
        return self._stage(
            "documents", self.documents_key(),
            lambda: ingest(self.config.corpus.paths, self.config, progress=self.progress),
            reader=lambda p: _read_cached_parquet(p.with_suffix(".parquet")),
            writer=lambda frame, p: _atomic_parquet(frame, p.with_suffix(".parquet")),
        )

    def kept_documents(self) -> pd.DataFrame:
        report = self.documents()
        kept = report[report["status"] == "kept"].reset_index(drop=True)
        if kept.empty:
            raise ValueError("no document was kept after cleaning; see the ingest report "
                             "(policytopics ingest PATH --out docs.csv) for the reasons")
        return kept

    # Stage 2: tokens ----------------------------------------------------------------
    def tokens_key(self) -> str:
        seg = self.config.segment
        word_lists = [Path(s) for s in seg.stopwords if not s.startswith("stopwordsiso:")]
        return _hash("tokens", code_version(), self.documents_key(), asdict(seg),
                     *( [Path(seg.user_dictionary)] if seg.user_dictionary else []), *word_lists)

    def tokens(self) -> pd.DataFrame:
        """Tokens per kept document (``doc_id``, ``tokens``)."""
        def build():
            kept = self.kept_documents()
            segmenter = Segmenter(self.config.segment)
            texts = [f"{t}\n{x}" if isinstance(t, str) else x
                     for t, x in zip(kept["title"], kept["text"])]
            compute = self.config.compute
            token_lists = segmenter.tokenize_many(texts, workers=compute.workers,
                                                  chunk_size=compute.chunk_size,
                                                  scheduler=compute.scheduler or None,
                                                  progress=self.progress, total=len(texts))
            if self.config.segment.phrases:
                token_lists = apply_phrases(token_lists, self.config.segment.phrases_min_count,
                                            self.config.segment.phrases_threshold)
            return pd.DataFrame({"doc_id": kept["doc_id"], "tokens": token_lists})

        return self._stage(
            "tokens", self.tokens_key(), build,
            reader=lambda p: _read_cached_parquet(p.with_suffix(".parquet")),
            writer=lambda frame, p: _atomic_parquet(frame, p.with_suffix(".parquet")),
        )

    # Stage 3: bag-of-words corpus ---------------------------------------------------
    def corpus_key(self) -> str:
        cfg = self.config.model
        return _hash("corpus", code_version(), self.tokens_key(),
                     {"no_below": cfg.no_below, "no_above": cfg.no_above, "keep_n": cfg.keep_n})

    def corpus(self):
        """The pruned dictionary and the bag-of-words corpus, as gensim files in the cache.

        Returns ``(dictionary, corpus)``; ``corpus`` is a gensim ``MmCorpus`` that streams
        from disk, so the model stage's memory does not grow with the corpus.
        """
        def read(path: Path):
            if not (path / "corpus.mm.index").is_file():
                return None
            try:
                from gensim.corpora import Dictionary, MmCorpus

                return Dictionary.load(str(path / "dictionary.gensim")), MmCorpus(str(path / "corpus.mm"))
            except Exception:
                log.warning("cached corpus %s is unreadable; rebuilding it", path)
                shutil.rmtree(path, ignore_errors=True)
                return None

        def build():
            tokens = self.tokens()["tokens"]
            return build_dictionary((list(t) for t in tokens), self.config.model), tokens

        def write(built, path: Path):
            from gensim.corpora import MmCorpus

            dictionary, tokens = built
            tmp = _temporary_sibling(path)
            dictionary.save(str(tmp / "dictionary.gensim"))
            MmCorpus.serialize(str(tmp / "corpus.mm"), (dictionary.doc2bow(list(t)) for t in tokens),
                               id2word=dictionary, progress_cnt=10**9)
            _replace_folder(tmp, path)

        # Serve the files just written, so a cold run streams from disk like a warm one.
        result = self._stage("corpus", self.corpus_key(), build, reader=read, writer=write,
                             serve_written=True)
        # The model needs only the corpus: let the token lists go (about 0.5 GB for 75,000
        # news stories); they stay in the cache, read again if asked for (as by a sweep).
        if self._release("tokens"):
            trim_memory()
        return result

    # Stage 4: model -----------------------------------------------------------------
    def model_key(self) -> str:
        # Labels are names for a fitted model's topics, not a setting of the fit.
        return _hash("model", code_version(), self.corpus_key(),
                     asdict(self.config.model) | {"labels": None})

    def model(self) -> TopicModel:
        """The fitted topic model (cached gensim files; trusted local cache only)."""
        def read(path: Path):
            if not (path / "order.json").is_file():
                return None
            try:
                return TopicModel.load(path, self.config.model)
            except Exception:
                log.warning("cached model %s is unreadable; refitting", path)
                shutil.rmtree(path, ignore_errors=True)
                return None

        def write(model: TopicModel, path: Path):
            tmp = _temporary_sibling(path)
            model.save(tmp)
            _replace_folder(tmp, path)

        def build():
            dictionary, corpus = self.corpus()
            return TopicModel(self.config.model).fit_corpus(corpus, dictionary,
                                                            progress=self.progress)

        return self._stage("model", self.model_key(), build, reader=read, writer=write)

    # Stage 5: weights ---------------------------------------------------------------
    def topic_words(self) -> pd.DataFrame:
        return self.model().topic_words(self.config.model.top_n_words)

    def topic_labels(self, n_words: int = 3) -> dict[int, str]:
        """Label per topic: the human label from ``labels`` when given, else its top words.

        ``T1 产业链创新`` or ``T1 产业链·创新·制造业``.
        """
        words = self.topic_words()
        labels = {t: f"T{t} " + "·".join(frame.nsmallest(n_words, "rank")["word"])
                  for t, frame in words.groupby("topic")}
        labels.update({t: f"T{t} {name}" for t, name in self.human_labels().items() if t in labels})
        return labels

    def human_labels(self) -> dict[int, str]:
        """Topic labels from the ``labels`` CSV, if any.

        Columns ``topic`` and ``label``, and optionally ``top_words`` (space-separated, as
        in ``labels_template.csv``). With ``top_words`` the labels follow their topics when
        K or the seed changes: each label goes to the topic of this run that shares most
        of its top words (one-to-one, at least 30 % shared), whatever its number now.
        Without it, labels apply by topic number, which is right only for the run the
        file was written for.
        """
        path = self.config.model.labels
        if not path:
            return {}
        if not Path(path).is_file():
            raise FileNotFoundError(f"labels file not found: {path}")
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if not {"topic", "label"} <= set(table.columns):
            raise ValueError(f"{path} needs the columns 'topic' and 'label'")
        table = table[table["label"].str.strip() != ""]
        if "top_words" not in table.columns or not table["top_words"].str.strip().any():
            return {int(t): label.strip() for t, label in zip(table["topic"], table["label"])
                    if str(t).strip().isdigit()}
        from .selection import match_topics

        words = self.topic_words()
        n_words = self.config.model.top_n_words
        current = {int(t): frame.nsmallest(n_words, "rank")["word"].tolist()
                   for t, frame in words.groupby("topic")}
        previous = {i: text.split()[:n_words] for i, text in enumerate(table["top_words"])}
        matches = match_topics(previous, current)
        labels = {topic: table["label"].iloc[i].strip() for topic, (i, _) in matches.items()}
        unmatched = sorted(set(table["label"].str.strip()) - set(labels.values()))
        if unmatched:
            log.warning("labels with no matching topic in this run (top words changed too much): "
                        "%s", ", ".join(unmatched))
        return labels

    def labels_template(self) -> pd.DataFrame:
        """``topic, label, top_words`` for this run: copy it, fill in ``label``, set ``labels``.

        Labels already known (from the ``labels`` file, matched by top words) are filled in.
        """
        words = self.topic_words()
        n_words = self.config.model.top_n_words
        known = self.human_labels()
        rows = [(t, known.get(t, ""), " ".join(frame.nsmallest(n_words, "rank")["word"]))
                for t, frame in words.groupby("topic")]
        return pd.DataFrame(rows, columns=["topic", "label", "top_words"])

    def topics(self, n_docs: int = 3) -> pd.DataFrame:
        """One row per topic: label, prevalence, top words by probability and by
        relevance (λ = 0.6), and the titles of its most representative documents."""
        model = self.model()
        kept = self.kept_documents()
        by_prob = self.topic_words()
        by_relevance = model.relevant_words(self.config.model.top_n_words)
        labels = self.topic_labels()
        rows = []
        for topic, prevalence in model.prevalence().items():
            weights = model.doc_topic_[:, topic - 1]
            best = [i for i in weights.argsort(kind="stable")[::-1][:n_docs] if weights[i] >= 0.1]
            titles = [kept["doc_id"].iat[i] if pd.isna(kept["title"].iat[i]) else kept["title"].iat[i]
                      for i in best]
            rows.append({
                "topic": topic,
                "label": labels[topic],
                "prevalence": round(float(prevalence), 6),
                "top_words": " ".join(by_prob[by_prob["topic"] == topic]["word"]),
                "top_words_relevance": " ".join(by_relevance[by_relevance["topic"] == topic]["word"]),
                "representative_documents": " | ".join(titles),
            })
        return pd.DataFrame(rows)

    def doc_topics(self) -> pd.DataFrame:
        """Long table: document × topic weights with date, period and region.

        Built once per model and labels file; tables and figures share it.
        """
        labels = self.config.model.labels
        key = f"doc_topics:{self.model_key()}:{_hash(Path(labels)) if labels else ''}"
        if key not in self._memo:
            self._memo[key] = doc_topics_table(
                self.kept_documents(), self.model().doc_topic_, self.topic_labels(),
                period=self.config.weights.period,
                national_label=self.config.weights.national_label)
        return self._memo[key]

    def _theme_weights(self, by: str | list[str]) -> pd.DataFrame:
        doc_topics = self.doc_topics()
        settings = self.config.weights
        key = f"theme_weights:{by}:{id(doc_topics)}"
        if key not in self._memo:  # the bootstrap runs once per table, not once per use
            if settings.region_level == "city":
                # The "region" groups are cities; a document with no dominant city has none.
                doc_topics = doc_topics.assign(region=doc_topics["city"])
            self._memo[key] = theme_weights(doc_topics, by, min_docs=settings.min_docs,
                                            seed=self.config.model.seed,
                                            weight_by=settings.weight_by or None)
        return self._memo[key]

    def theme_weights_by_region(self) -> pd.DataFrame:
        return self._theme_weights("region")

    def theme_weights_by_period(self) -> pd.DataFrame:
        return self._theme_weights("period")

    def theme_weights_by_region_period(self) -> pd.DataFrame:
        return self._theme_weights(["region", "period"])

    def theme_effects(self) -> pd.DataFrame:
        """Region and period effects on each topic's prevalence (see weights.theme_effects)."""
        return theme_effects(self.doc_topics(), min_docs=self.config.weights.min_docs)

    # Outputs ----------------------------------------------------------------------------
    def write_tables(self) -> dict[str, Path]:
        """CSV (UTF-8 with BOM, opens in Excel) and Parquet tables in ``tables_dir``."""
        out = self.config.output.tables_dir
        out.mkdir(parents=True, exist_ok=True)
        doc_topics = self.doc_topics()
        tables = {
            "documents": self.documents(),
            "doc_topics": doc_topics_wide(doc_topics),
            "topic_words": self.topic_words(),
            "topics": self.topics(),
            "theme_weights_by_region": self.theme_weights_by_region(),
            "theme_weights_by_period": self.theme_weights_by_period(),
            "theme_weights_by_region_period": self.theme_weights_by_region_period(),
            "theme_effects": self.theme_effects(),
            "coverage": coverage(doc_topics),
            "labels_template": self.labels_template(),
        }
        written = {}
        for name, frame in tables.items():
            csv_path = out / f"{name}.csv"
            frame.to_csv(csv_path, index=False, encoding="utf-8-sig")
            written[name] = csv_path
            if name.startswith(("doc_topics", "theme_")):
                _atomic_parquet(frame, out / f"{name}.parquet")
        return written

    def write_figures(self) -> list[Path]:
        """The study's figures as PNG and SVG in ``figures_dir``, under stable names."""
        from functools import partial

        from .plots import (
            export_figure,
            plot_coverage,
            plot_regions_over_time,
            plot_theme_panels_over_time,
            plot_theme_weights_by_region,
            plot_theme_weights_over_time,
            plot_top_words,
        )

        lang = self.config.output.language
        folder = self.config.output.figures_dir
        export_figure = partial(export_figure, formats=self.config.output.figure_formats)
        paths = []
        by_region = self.theme_weights_by_region()
        if not by_region.empty:
            ax = plot_theme_weights_by_region(by_region, language=lang,
                                              min_docs=self.config.weights.min_docs)
            paths += export_figure(ax, "theme_weights_by_region", folder)
        else:
            log.warning("no document has a region: skipping theme_weights_by_region")
        by_period = self.theme_weights_by_period()
        if not by_period.empty:
            ax = plot_theme_weights_over_time(by_period, language=lang)
            paths += export_figure(ax, "theme_weights_over_time", folder)
            fig = plot_theme_panels_over_time(by_period, language=lang)
            paths += export_figure(fig, "theme_panels_over_time", folder)
        else:
            log.warning("no document has a date: skipping theme_weights_over_time")
        by_region_period = self.theme_weights_by_region_period()
        if by_region_period["period"].nunique() >= 2:
            # The most prevalent topic (T1) in the regions with most documents.
            ax = plot_regions_over_time(by_region_period, topic=1, language=lang)
            paths += export_figure(ax, "regions_over_time_T1", folder)
        else:
            log.info("fewer than two periods with a region: skipping regions_over_time_T1")
        fig = plot_top_words(self.topic_words(), topic_labels=self.topic_labels(), language=lang,
                             n_words=self.config.model.top_n_words)
        paths += export_figure(fig, "top_words", folder)
        doc_topics = self.doc_topics().drop_duplicates("doc_id")
        for by in ("region", "period"):
            paths += export_figure(plot_coverage(doc_topics, by=by, language=lang),
                                   f"coverage_by_{by}", folder)
        return paths

    def write_explorer(self) -> Path:
        """The interactive topic explorer, one offline HTML file: ``topic_explorer.html``."""
        from .explorer import write_explorer

        return write_explorer(self.model(), self.config.output.tables_dir / "topic_explorer.html",
                              topic_labels=self.topic_labels(),
                              language=self.config.output.language)

    def sweep(self, ks: Sequence[int], seeds: Sequence[int] | int = 3, *, workers: int = 2,
              write: bool = True) -> dict[str, object]:
        """Fit a grid of topic counts × seeds on the cached tokens and score each K.

        Writes ``k_selection.csv`` (one row per K), ``k_selection_runs.csv`` (one row per
        fit) and the ``k_selection`` figure; returns them with the suggested K and why.
        """
        from .plots import export_figure, plot_k_selection
        from .selection import suggest_k, sweep

        if isinstance(seeds, int):
            seeds = [self.config.model.seed + i for i in range(seeds)]
        token_lists = [list(t) for t in self.tokens()["tokens"]]
        started = time.perf_counter()
        runs, by_k = sweep(token_lists, ks, seeds, self.config.model, workers=workers,
                           top_n=self.config.model.top_n_words, progress=self.progress)
        seconds = time.perf_counter() - started
        k, reason = suggest_k(by_k)
        result: dict[str, object] = {"by_k": by_k, "runs": runs, "suggested_k": k,
                                     "reason": reason, "seconds": round(seconds, 1)}
        if write:
            out = self.config.output.tables_dir
            out.mkdir(parents=True, exist_ok=True)
            by_k.to_csv(out / "k_selection.csv", index=False, encoding="utf-8-sig")
            runs.to_csv(out / "k_selection_runs.csv", index=False, encoding="utf-8-sig")
            fig = plot_k_selection(by_k, suggested=k, language=self.config.output.language)
            result["figures"] = export_figure(fig, "k_selection", self.config.output.figures_dir,
                                              formats=self.config.output.figure_formats)
        return result

    def run_record(self) -> dict:
        """What produced these outputs: versions, settings, corpus hash, sizes, timings."""
        import gensim
        import jieba
        import matplotlib

        report = self.documents()
        return {
            "policytopics": code_version(),
            "python": platform.python_version(),
            "libraries": {"gensim": gensim.__version__, "jieba": jieba.__version__,
                          "pandas": pd.__version__, "matplotlib": matplotlib.__version__},
            "settings": self.config.to_dict(),
            "corpus_key": self.documents_key(),
            "documents": report["status"].value_counts().to_dict(),
            "dictionary_size": len(self.model().dictionary_),
            "cache_hits": self.cache_hits,
            "timings_seconds": self.timings,
        }

    def run(self) -> dict[str, object]:
        """Run every stage, write tables, figures and ``run.json``; return their paths.

        Each stage is read from the cache when its inputs and settings are unchanged; a
        rerun with a new topic count reads the cleaned documents and the bag-of-words
        corpus and fits only the model. ``run.json`` records each stage's own time and
        whether it came from the cache.
        """
        started = time.perf_counter()
        self.documents()
        self.model()  # builds the tokens and the corpus first, if they are not cached
        outputs = {}
        for name, step in (("weights", self.write_tables), ("figures", self.write_figures),
                           ("explorer", self.write_explorer)):
            t0 = time.perf_counter()
            outputs[name] = step()
            self.timings[name] = round(time.perf_counter() - t0, 3)
        self.timings["total"] = round(time.perf_counter() - started, 3)
        record_path = self.config.output.tables_dir / "run.json"
        record_path.write_text(json.dumps(self.run_record(), ensure_ascii=False, indent=2),
                               encoding="utf-8")
        return {"tables": outputs["weights"], "figures": outputs["figures"],
                "explorer": outputs["explorer"], "run_record": record_path}


__all__ = [
    "REPORT_COLUMNS",
    "CorpusConfig",
    "Study",
    "document_row",
    "ingest",
    "summarise_report",
]
