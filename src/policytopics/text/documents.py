"""The document stage: raw documents → one report row each, with a typed status.

Every input document is accounted for. A row is ``kept``, ``dropped`` (with a
``reason``: unreadable, empty after cleaning, not mainly Chinese, too short) or
``duplicate`` (with ``duplicate_of``). The row carries the cleaned text, the title, the
date and the region found once for the whole document (:mod:`policytopics.text.metadata`),
with where each came from, and the counts of what each cleaning rule removed.

Example
-------
>>> from policytopics import document_report
>>> report = document_report("data/samples")          # doctest: +SKIP
>>> report[["doc_id", "status", "date", "region"]]     # doctest: +SKIP
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from policytopics.common.chinese import cjk_count, cjk_ratio, date_span
from policytopics.read.files import iter_documents
from policytopics.read.progress import ReadProgress
from policytopics.read.records import RawDocument
from policytopics.settings.config import CleanConfig, CorpusConfig, StudyConfig, load_study
from policytopics.text.clean import REMOVAL_RULES, clean_text
from policytopics.text.dates import dates_disagree
from policytopics.text.duplicates import DuplicateFinder, minhash_signature, text_digest
from policytopics.text.metadata import (
    apply_overrides,
    document_metadata,
    overrides_for,
    read_overrides,
    unused_overrides,
)
from policytopics.text.pagetext import strip_markup
from policytopics.text.ritual import RITUAL_PARTS

log = logging.getLogger("policytopics")

#: One count column per cleaning rule (:data:`policytopics.text.clean.REMOVAL_RULES`).
REMOVAL_COLUMNS = tuple(f"removed_{rule}" for rule in REMOVAL_RULES)
REPORT_COLUMNS = [
    "doc_id", "source", "encoding", "status", "reason", "duplicate_of", "title", "date",
    "date_precision", "date_source", "text_date", "date_disagrees", "region", "city", "region_source",
    "national", "n_chars_raw", "n_chars", *REMOVAL_COLUMNS, "text",
]

#: Below this many documents ``workers = 0`` (auto) cleans in this process: a worker
#: process needs about a second to start, the time to clean ~600 documents.
PARALLEL_MIN_DOCS = 2_000
#: A first line this short, not ending a sentence, is the title when the source gives none.
TITLE_MAX_CHARS = 60


class DocStatus(StrEnum):
    """What became of an input document (stored as its string value)."""

    KEPT = "kept"
    DROPPED = "dropped"
    DUPLICATE = "duplicate"


def document_report(paths: Sequence[str | Path] | str | Path, config: StudyConfig | None = None, *,
                    limit: int | None = None, progress: bool = True) -> pd.DataFrame:
    """Read, clean, date and place every input document; one report row per document.

    Every input is accounted for: ``status`` is ``kept``, ``dropped`` (with ``reason``)
    or ``duplicate`` (with ``duplicate_of``); every ``doc_id`` is unique
    (:mod:`policytopics.read.files`), and the study's own output and cache folders are not read.
    A ``metadata.csv`` beside the inputs (columns ``doc_id`` or ``file``, and any of ``date``,
    ``region``, ``title``) wins over extraction; its rows that match no document are logged
    as a warning naming the file. :func:`document_report_chunks` gives it a part at a time.
    """
    # One part of every row.
    return next(document_report_chunks(paths, config, limit=limit, progress=progress, rows=math.inf))


def document_report_chunks(paths: Sequence[str | Path] | str | Path, config: StudyConfig | None = None, *,
                           limit: int | None = None, progress: bool = True,
                           rows: float = 5_000) -> Iterator[pd.DataFrame]:
    """:func:`document_report`, about ``rows`` rows at a time, in order: what a national
    archive's report is made of without ever holding it whole (the documents stage writes the
    parts as they come). At least one part, empty if no document was found."""
    # A part is kept by column (a list each), never as a dictionary per row (which cost more
    # than its values), and its texts as the workers send them: Arrow arrays, a chunk each,
    # never Python strings in this process.
    columns: dict[str, list] = {name: [] for name in REPORT_COLUMNS if name != "text"}
    texts: list = []
    given = False
    for chunk in _settled_chunks(paths, config, limit, progress):
        for name, values in chunk.columns.items():
            columns[name].extend(values)
        texts.append(chunk.texts)
        if len(columns["doc_id"]) >= rows:
            yield _report_frame(columns, texts)  # empties columns
            columns, texts, given = {name: [] for name in REPORT_COLUMNS if name != "text"}, [], True
    if columns["doc_id"] or not given:
        yield _report_frame(columns, texts)


def _settled_chunks(paths, config: StudyConfig | None, limit: int | None, progress: bool) -> Iterator[_Chunk]:
    """The report's rows a worker's chunk at a time, in input order, each chunk settled
    (:func:`_settle`) before it is given: what depends on the rows before it is known then."""
    from tqdm.auto import tqdm

    if isinstance(paths, (str, Path)):
        paths = [paths]
    config = config or load_study(None)
    limit = config.corpus.limit if limit is None else limit
    override_files: dict[str, Path] = {}
    overrides = read_overrides(paths, override_files)
    # Of the rows given, what the rows to come and the check of metadata.csv need: the ids a
    # duplicate names, the sources only if a metadata.csv is there.
    doc_ids: list[str] = []
    sources: list[str] = []
    # Repeats are found as the rows come, while the workers clean the next documents.
    duplicates = DuplicateFinder(config.clean.near_duplicate_threshold)
    reading = ReadProgress()
    documents = iter_documents(paths, config.corpus, limit=limit, skip=config.output.folders(),
                               progress=reading)
    # With a limit the bar counts documents; else the input files' bytes read: the number of
    # documents of a compressed table is known only once it is all read, its size at once, so
    # the bar shows the time to go (a million articles take minutes).
    counted = ({"unit": "doc", "total": limit} if limit
               else {"unit": "B", "unit_scale": True, "unit_divisor": 1024})
    bar = tqdm(desc="ingest", disable=not progress, leave=False, **counted)
    with bar:
        for chunk in _document_chunks(documents, config, overrides):
            start = len(doc_ids)
            doc_ids.extend(chunk.columns["doc_id"])
            if override_files:
                sources.extend(chunk.columns["source"])
            _settle(chunk, start, doc_ids, duplicates, config.corpus)
            if limit:
                bar.update(len(chunk.texts))
            else:
                _show_reading(bar, reading, len(doc_ids))
            yield chunk
    unused_overrides(override_files, doc_ids, sources, limit)


class _Chunk(NamedTuple):
    """The report rows of a chunk of documents, as a worker sends them back: every column but
    the text (a list each), the texts (an Arrow array), and per row the SHA-1 digest and MinHash
    signature of a kept text (``None`` for the others), for the duplicate search."""

    columns: dict[str, list]
    texts: object
    digests: list
    signatures: list


def _show_reading(bar, reading: ReadProgress, documents: int) -> None:
    """The ingest bar at the bytes read of ``reading``, with the documents so far beside."""
    if bar.disable:
        return
    if bar.total != reading.total:
        bar.total = reading.total
    bar.set_postfix_str(f"{documents:,} documents", refresh=False)
    bar.update(max(0, reading.read - bar.n))


def _settle(chunk: _Chunk, start: int, doc_ids: list[str], duplicates: DuplicateFinder,
            corpus: CorpusConfig) -> None:
    """Give the rows of ``chunk`` (in place), the report's rows from position ``start`` on,
    what depends on the rows before them or on the study's dates: the text's date over a date
    column it contradicts (``[corpus] text_date_wins``), dropped outside the study's dates,
    duplicates (``doc_ids``: the ids of every row so far, this chunk's included)."""
    columns = chunk.columns
    status, reason, dates = columns["status"], columns["reason"], columns["date"]
    for position, digest, signature in zip(range(len(status)), chunk.digests, chunk.signatures):
        if columns["date_disagrees"][position] and corpus.text_date_wins:
            row = {name: columns[name][position] for name in ("date", "text_date", "date_source",
                                                              "date_precision")}
            take_text_date(row)
            for name, value in row.items():
                columns[name][position] = value
        outside = status[position] == DocStatus.KEPT and outside_dates(corpus, dates[position])
        if outside:  # before the duplicates: a copy inside the dates is then kept
            status[position], reason[position] = DocStatus.DROPPED.value, outside
        repeated = (status[position] == DocStatus.KEPT
                    and duplicates.add_digest(start + position, digest, signature))
        if repeated:
            first, why = repeated
            status[position], reason[position] = DocStatus.DUPLICATE.value, why
            columns["duplicate_of"][position] = doc_ids[first]


def _report_frame(columns: dict[str, list], texts: list) -> pd.DataFrame:
    """The report table from its columns (one list each) and its texts (Arrow arrays), typed as
    a table of the rows would be. ``columns`` is emptied as it goes: each list is let go once
    its column is made."""
    frame = {name: _text_column(texts) if name == "text" else pd.Series(columns.pop(name))
             for name in REPORT_COLUMNS}
    return pd.DataFrame(frame, columns=REPORT_COLUMNS, copy=False)


def _text_column(chunks: list) -> pd.Series:
    """The texts' column from the workers' Arrow arrays: wrapped as they are (no copy) where
    pandas keeps text in Arrow (pandas 3), else made of Python strings as pandas would."""
    import pyarrow as pa

    dtype = pd.Series([""]).dtype  # what pandas makes of a column of text
    if chunks and isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        whole = pa.chunked_array(chunks, type=pa.large_string())
        return pd.Series(pd.arrays.ArrowStringArray(whole, dtype=dtype))
    return pd.Series([text for chunk in chunks for text in chunk.to_pylist()])


def outside_dates(corpus: CorpusConfig, date: str | None) -> str | None:
    """Why a document dated ``date`` (ISO, ``YYYY`` to ``YYYY-MM-DD``) is outside the study's
    dates (``[corpus] date_from``, ``date_to``), or None (inside, no dates set, or undated).
    Here, not in the settings' module: the documents stage's cache key holds this code.

    >>> print(outside_dates(CorpusConfig(date_from="2003", date_to="2025"), "1998"))
    outside the study's dates 2003 to 2025 (dated 1998; [corpus] date_from, date_to)
    >>> outside_dates(CorpusConfig(date_from="2003"), "2003-05") is None
    True
    >>> print(outside_dates(CorpusConfig(date_from="2003"), "1998"))
    before the study's first date 2003 (dated 1998; [corpus] date_from, date_to)
    """
    if not date or not (corpus.date_from or corpus.date_to):
        return None
    start, end = date_span(date)
    if (corpus.date_from and end < date_span(corpus.date_from)[0]) or (
            corpus.date_to and start > date_span(corpus.date_to)[1]):
        # The reason before " (" is the same for every date: the run's summary counts them as one.
        if corpus.date_from and corpus.date_to:
            span = f"outside the study's dates {corpus.date_from} to {corpus.date_to}"
        else:
            span = (f"before the study's first date {corpus.date_from}" if corpus.date_from
                    else f"after the study's last date {corpus.date_to}")
        return f"{span} (dated {date}; [corpus] date_from, date_to)"
    return None


def _document_chunks(documents: Iterator[RawDocument], config: StudyConfig,
                     overrides: dict[str, dict[str, str]]) -> Iterator[_Chunk]:
    """Report rows in input order, a chunk at a time (:func:`_document_rows_chunk`), cleaned
    here or by worker processes (``[compute]``)."""
    from policytopics.common.workers import map_chunks, plan_workers, text_scheduler

    compute = config.compute
    scheduler = text_scheduler(compute.scheduler)
    workers, documents = plan_workers(compute.workers, documents, PARALLEL_MIN_DOCS)
    # Each document travels with just its own override values (what is sent stays small).
    pairs = ((raw, overrides_for(raw, overrides)) for raw in documents)
    if workers == 1 and not scheduler:
        while chunk := list(islice(pairs, compute.chunk_size)):
            yield _document_rows_chunk(chunk, config.clean)
        return
    yield from map_chunks(_document_rows_chunk, pairs, (config.clean,), workers=workers,
                          chunk_size=compute.chunk_size, scheduler=scheduler)


def _document_rows_chunk(chunk: list[tuple[RawDocument, dict]], clean: CleanConfig) -> _Chunk:
    """Worker side of :func:`document_report`: the report rows of a chunk of documents
    (:class:`_Chunk`: one list a column, not a dictionary a row; the texts as one Arrow array),
    with what the duplicate search needs of each kept text, computed here."""
    import pyarrow as pa

    rows = [document_row(raw, clean, values) for raw, values in chunk]
    texts = [row["text"] for row in rows]
    kept = [row["status"] == DocStatus.KEPT for row in rows]
    digests = [text_digest(text) if keep else None for text, keep in zip(texts, kept)]
    signatures = [minhash_signature(text) if keep and clean.near_duplicate_threshold else None
                  for text, keep in zip(texts, kept)]
    columns = {name: [row[name] for row in rows] for name in REPORT_COLUMNS if name != "text"}
    return _Chunk(columns, pa.array(texts, type=pa.large_string()), digests, signatures)


def document_row(raw: RawDocument, clean: CleanConfig, overrides: dict[str, str] | None = None) -> dict:
    """Report row of one raw document: cleaned text, metadata, status and reason.

    ``overrides`` are this document's ``metadata.csv`` values (date, region, title).
    """
    row = dict.fromkeys(REPORT_COLUMNS)
    row.update(doc_id=raw.doc_id, source=raw.source, encoding=raw.encoding, national=False,
               date_disagrees=False, n_chars_raw=len(raw.text), n_chars=0, text="")
    row.update(dict.fromkeys(REMOVAL_COLUMNS, 0))
    if raw.error:
        row.update(status=DocStatus.DROPPED.value, reason=raw.error)
        return row
    cleaned = clean_text(raw.text, clean)
    kept = cleaned.kept_lines
    given, markup = strip_markup(raw.title) if raw.title else (raw.title, 0)
    if markup:  # a table's title cell holding the page's HTML: its text on one line
        given = " ".join(given.split()) or None
    title, body = split_title(given, kept)
    if len(body) < len(kept) - 1:
        cleaned.removed["above_title"] += len(kept) - len(body) - 1
    text = "\n".join(body)
    unknown = set(cleaned.removed) - set(REMOVAL_RULES)
    if unknown:  # a new rule must get its column: a count is never dropped unseen
        raise ValueError(f"cleaning rule(s) {sorted(unknown)} missing from clean.REMOVAL_RULES")
    row.update(title=title, text=text, n_chars=cjk_count(text),
               **{f"removed_{rule}": n for rule, n in cleaned.removed.items()})
    row.update(document_metadata(raw, cleaned.lines, title, body))
    apply_overrides(row, overrides or {}, raw.doc_id)
    # A table's date column against the date the text's own header states (metadata.csv is
    # the user's word: not checked).
    row["date_disagrees"] = (row["date_source"] == COLUMN_SOURCE
                             and dates_disagree(row["date"], row["text_date"]))
    status, reason = keep_or_drop(text, row["n_chars"], clean)
    row.update(status=status.value, reason=reason)
    return row


#: ``date_source`` of a date a table's date column gives
#: (:func:`policytopics.text.metadata.document_metadata`).
COLUMN_SOURCE = "column"
#: ``date_source`` of a text's date taken over the date column (``[corpus] text_date_wins``).
TEXT_OVER_COLUMN = "header: delivery or issue date, over the date column's {column}"
#: The setting that lets the text's date win, as the warning and the summary name it.
TEXT_DATE_SETTING = "[corpus] text_date_wins = true"


def take_text_date(row: dict) -> None:
    """Put the date the text's header states in place of the date column's (in place): the
    row keeps ``date_disagrees``, and ``date_source`` names the column's value it replaced."""
    row.update(date_source=TEXT_OVER_COLUMN.format(column=row["date"]), date=row["text_date"],
               date_precision="day")


def disagreeing_dates(report: pd.DataFrame) -> pd.DataFrame:
    """The rows whose date column the text's own header contradicts (``date_disagrees``):
    ``doc_id, status, column_date, text_date, taken`` (``taken``: the text's date replaced the
    column's, ``[corpus] text_date_wins``; ``column_date`` is the column's value either way)."""
    flagged = report[report["date_disagrees"].fillna(False).astype(bool)]
    prefix = TEXT_OVER_COLUMN.split("{")[0]
    taken = flagged["date_source"].fillna("").str.startswith(prefix)
    column = [source[len(prefix):] if was_taken else date
              for source, date, was_taken in zip(flagged["date_source"], flagged["date"], taken)]
    return pd.DataFrame({"doc_id": flagged["doc_id"], "status": flagged["status"], "column_date": column,
                         "text_date": flagged["text_date"], "taken": taken}).reset_index(drop=True)


def warn_disagreeing_dates(report: pd.DataFrame, corpus: CorpusConfig) -> int:
    """One warning with the number of documents whose date column their own header
    contradicts, naming the setting that decides which wins; returns the number."""
    n = int(report["date_disagrees"].fillna(False).astype(bool).sum())
    if n:
        what = ("the text's date was taken ([corpus] text_date_wins)" if corpus.text_date_wins
                else f"the column's date is used; {TEXT_DATE_SETTING} takes the text's")
        log.warning("%d document(s) state a delivery or issue date in their header that their date column "
                    "contradicts (e.g. a report filed under the year it reviews): %s. Listed in the run's "
                    "summary and in documents.csv (text_date, date_disagrees)", n, what)
    return n


def split_title(given: str | None, lines: list[str]) -> tuple[str | None, list[str]]:
    """``(title, body lines)``: the source's title, else the title a reader would give.

    Among the first :data:`TITLE_SEARCH_LINES` lines, the first short one that names a kind
    of document (报告, 通知, 意见, 办法, 规划, 方案, 决定, 公告 ...), else the first line if it is
    short, ends no sentence and is no salutation (``各位代表：``), source line or caption
    (crawled pages start with their headline; widgets are gone by now). The short lines
    above a title found further down (a photo caption, a channel name) are not the
    article: the body starts after the title.

    >>> split_title(None, ["推动制造业高质量发展", "正文第一段。"])
    ('推动制造业高质量发展', ['正文第一段。'])
    >>> split_title(None, ["图为代表们在会场", "2026年山东省政府工作报告", "各位代表："])
    ('2026年山东省政府工作报告', ['各位代表：'])
    """
    if given is not None or not lines:
        return given, lines
    for i, line in enumerate(lines[:TITLE_SEARCH_LINES]):
        if _titleish(line) and _DOCUMENT_KIND.search(line):
            return line, lines[i + 1:]
    if _titleish(lines[0]):
        return lines[0], lines[1:]
    return None, lines


#: How far down a page the title is looked for.
TITLE_SEARCH_LINES = 6
#: Words that name a kind of official document: a line holding one near the top is its title.
_DOCUMENT_KIND = re.compile(r"(报告|通知|意见|办法|规划|方案|决定|公告|通告|纲要|条例|规定|细则|通报|"
                            r"批复|指南|措施|计划|决议|公报|白皮书)(（[^）]*）|\([^)]*\))?$")
_NOT_A_TITLE = re.compile(r"^(各位代表|同志们|各位委员|尊敬的)|[:：]$|^(图为|图片|摄影|来源|记者|编辑)"
                          r"|在.{2,60}(会议|大会)上[)）]?$")


#: A line starting with a dash is a delivery header or a byline, not a title.
_DASHES = ("——", "—", "-", "―", "─", "–")


def _titleish(line: str) -> bool:
    stripped = line.strip()
    return (0 < len(stripped) <= TITLE_MAX_CHARS and not stripped.endswith(("。", "!", "?", "！", "？"))
            and not _NOT_A_TITLE.search(stripped) and not stripped.startswith(_DASHES))


def keep_or_drop(text: str, n_chars: int, clean: CleanConfig) -> tuple[DocStatus, str]:
    """Whether a cleaned document is kept, and if not, why (the cleaning thresholds)."""
    if not text.strip():
        return DocStatus.DROPPED, "empty after cleaning"
    ratio = cjk_ratio(text)
    if ratio < clean.min_cjk_ratio:
        return DocStatus.DROPPED, f"not mainly Chinese ({ratio:.0%} Chinese characters)"
    if n_chars < clean.min_chars:
        return DocStatus.DROPPED, f"too short ({n_chars} < {clean.min_chars} Chinese characters)"
    return DocStatus.KEPT, ""


#: How many documents whose dates disagree the summary lists (documents.csv has them all).
SUMMARY_LISTED = 30


def summarise_report(report: pd.DataFrame) -> str:
    """A few lines: documents read, kept, dropped by reason, duplicates, coverage."""
    kept = report[report["status"] == DocStatus.KEPT]
    dropped = report[report["status"] == DocStatus.DROPPED]
    lines = [f"documents read: {len(report)}",
             f"kept: {len(kept)}",
             f"duplicates: {int((report['status'] == DocStatus.DUPLICATE).sum())}",
             f"dropped: {len(dropped)}"]
    for reason, n in Counter(r.split(" (")[0] for r in dropped["reason"]).most_common():
        lines.append(f"  {reason}: {n}")
    disagreeing = disagreeing_dates(report) if "date_disagrees" in report else pd.DataFrame()
    if len(disagreeing):
        which = ("the text's date taken" if disagreeing["taken"].all()
                 else f"the date column's used; {TEXT_DATE_SETTING} takes the text's")
        lines.append(f"dates their own header contradicts: {len(disagreeing)} ({which})")
        for row in disagreeing.head(SUMMARY_LISTED).itertuples():
            lines.append(f"  {row.doc_id} ({row.status}): column {row.column_date}, header {row.text_date}")
        if len(disagreeing) > SUMMARY_LISTED:
            lines.append(f"  ... {len(disagreeing)} in all: documents.csv, column date_disagrees")
    ritual = [f"removed_report_{part}" for part in RITUAL_PARTS]
    if len(kept) and all(c in kept for c in ritual) and kept[ritual].to_numpy().sum():
        counts = ", ".join(f"{c.removeprefix('removed_report_')} {int(kept[c].sum())}" for c in ritual)
        n_documents = int((kept[ritual].sum(axis=1) > 0).sum())
        lines.append(f"report ritual cut: {counts} (in {n_documents} documents)")
    if len(kept):
        # The definitions of coverage.csv (policytopics.estimate.weights.coverage).
        national = kept["national"].fillna(False).astype(bool) & kept["region"].isna()
        lines.append(f"with a date: {kept['date'].notna().sum()} of {len(kept)}")
        lines.append(f"with a province: {kept['region'].notna().sum()} of {len(kept)}")
        if national.any():
            lines.append(f"national (the source states no region): {int(national.sum())} of {len(kept)}")
        lines.append(f"without a region: {int((kept['region'].isna() & ~national).sum())} of {len(kept)}")
    return "\n".join(lines)


#: Column of a cached report: the position, among the corpus paths, of the one each row was read
#: from (its ``source`` then holds the rest of the path: :func:`portable_sources`).
CORPUS_PATH_COLUMN = "corpus_path"


def portable_sources(report: pd.DataFrame, paths: Sequence[str | Path]) -> pd.DataFrame:
    """``report`` with each ``source`` cut to what follows the corpus path it was read from
    (``/sub/a.txt``, ``#12``), that path's position in ``paths`` in :data:`CORPUS_PATH_COLUMN`.

    The cache keeps this form, so a corpus folder moved elsewhere (the same files, the same
    cache key) is served at its new place by :func:`located_sources`. A source under no
    corpus path is kept whole (position -1).

    >>> report = pd.DataFrame({"source": ["old/a.txt", "old/b.csv#3"]})
    >>> moved = located_sources(portable_sources(report, ["old"]), ["new"])
    >>> moved["source"].tolist(), list(moved.columns)
    (['new/a.txt', 'new/b.csv#3'], ['source'])
    """
    import os

    prefixes = [str(Path(p)) for p in paths]
    positions, rests = [], []
    for source in report["source"]:
        found = -1
        for i, prefix in enumerate(prefixes):
            follows = source[len(prefix):len(prefix) + 1]
            if (source.startswith(prefix) and follows in ("", "/", os.sep, "#")
                    and (found < 0 or len(prefix) > len(prefixes[found]))):
                found = i
        positions.append(found)
        rests.append(source[len(prefixes[found]):] if found >= 0 else source)
    return report.assign(source=rests, **{CORPUS_PATH_COLUMN: positions})


def located_sources(report: pd.DataFrame, paths: Sequence[str | Path]) -> pd.DataFrame:
    """A report of :func:`portable_sources` with every ``source`` under the corpus paths
    ``paths`` as they are now."""
    prefixes = [str(Path(p)) for p in paths]
    sources = [prefixes[i] + rest if 0 <= i < len(prefixes) else rest
               for i, rest in zip(report[CORPUS_PATH_COLUMN], report["source"])]
    return report.drop(columns=CORPUS_PATH_COLUMN).assign(source=sources)


def kept_documents(report: pd.DataFrame) -> pd.DataFrame:
    """The kept rows of a report, renumbered; an error that says where to look if none."""
    kept = report[report["status"] == DocStatus.KEPT].reset_index(drop=True)
    if report.empty:
        raise ValueError("no document found in the corpus paths: no file of a readable kind "
                         "(.txt, .html, .pdf, .docx, .csv, .xlsx, .jsonl ...) is there")
    if kept.empty:
        raise ValueError(f"none of the {len(report)} documents found was kept after cleaning; see the "
                         "ingest report (policytopics ingest PATH --out docs.csv) for the reasons")
    return kept


__all__ = [
    "CORPUS_PATH_COLUMN",
    "REMOVAL_COLUMNS",
    "REPORT_COLUMNS",
    "DocStatus",
    "disagreeing_dates",
    "document_report",
    "document_report_chunks",
    "document_row",
    "keep_or_drop",
    "kept_documents",
    "located_sources",
    "outside_dates",
    "portable_sources",
    "split_title",
    "summarise_report",
    "take_text_date",
    "warn_disagreeing_dates",
]
