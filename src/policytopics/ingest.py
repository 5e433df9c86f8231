"""Read articles from files and tables into raw documents.

Accepted inputs, mixed freely: folders (searched recursively), ``.txt`` files (one
article per file), ``.csv``, ``.jsonl``, ``.jsonl.gz`` and ``.parquet`` tables. A file
that cannot be read is not fatal: it becomes a :class:`RawDocument` with ``error`` set,
so the report accounts for it.
"""

from __future__ import annotations

import codecs
import gzip
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .config import CorpusConfig

TEXT_SUFFIXES = (".txt",)
TABLE_SUFFIXES = (".csv", ".jsonl", ".jsonl.gz", ".parquet")

_CJK = re.compile(r"[\u4e00-\u9fff]")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class RawDocument:
    """One input document as read, before cleaning."""

    doc_id: str
    source: str
    text: str
    encoding: str = ""
    title: str | None = None
    date: str | None = None
    region: str | None = None
    error: str | None = None  # set when the input could not be read
    region_given: bool = False  # the table has a region column: its value (even empty) wins


def iter_documents(paths: Sequence[str | Path], columns: CorpusConfig | None = None,
                   limit: int = 0) -> Iterator[RawDocument]:
    """Yield raw documents from files, folders and tables, in a stable order.

    Parameters
    ----------
    paths
        Files or folders. Folders are searched recursively for accepted files.
    columns
        Column names for tables (text, title, date, region, id); defaults otherwise.
    limit
        Stop after this many documents (0 = all).
    """
    columns = columns or CorpusConfig()
    count = 0
    for path in _expand(paths):
        for doc in _read_path(path, columns):
            yield doc
            count += 1
            if limit and count >= limit:
                return


def _expand(paths: Sequence[str | Path]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise FileNotFoundError(f"corpus path not found: {path}")
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and _suffix(p) in TEXT_SUFFIXES + TABLE_SUFFIXES
                and not p.name.startswith(".") and p.name != "metadata.csv"
            )
            yield from found
        else:
            yield path


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return ".jsonl.gz" if name.endswith(".jsonl.gz") else path.suffix.lower()


def _read_path(path: Path, columns: CorpusConfig) -> Iterator[RawDocument]:
    suffix = _suffix(path)
    if suffix in TABLE_SUFFIXES:
        yield from _read_table(path, suffix, columns)
    else:
        yield _read_text_file(path)


def _read_text_file(path: Path) -> RawDocument:
    doc_id = path.stem
    try:
        data = path.read_bytes()
    except OSError as exc:
        return RawDocument(doc_id, str(path), "", error=f"unreadable: {exc.strerror}")
    text, encoding, error = decode_bytes(data)
    return RawDocument(doc_id, str(path), text, encoding=encoding, error=error)


def decode_bytes(data: bytes) -> tuple[str, str, str | None]:
    """Decode a crawled file, returning ``(text, encoding, error)``.

    Byte-order marks win; then strict UTF-8; then GB18030 and Big5 when they decode
    cleanly into mostly Chinese text; then charset-normalizer's best guess, accepted only
    if the result looks like text. Line endings are normalised to ``\\n``.
    """
    if not data.strip():
        return "", "", "empty file"
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _newlines(data.decode(encoding)), encoding, None
            except UnicodeDecodeError:
                break
    if b"\x00" in data[:4096]:
        guess = _utf16_without_bom(data)
        if guess is not None:
            return _newlines(guess[0]), guess[1], None
        return "", "", "binary file"
    try:
        return _newlines(data.decode("utf-8")), "utf-8", None
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_readability(text), encoding, text))
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            text = str(best)
            candidates.append((_readability(text), best.encoding, text))
    except Exception:
        pass
    if candidates:
        # Highest readability wins; on a tie the earlier candidate (GB18030) does.
        share, encoding, text = max(candidates, key=lambda c: c[0])
        if share > 0.5 or (_cjk_share(text) < 0.05 and _printable_share(text) > 0.95):
            return _newlines(text), encoding, None
    lenient = _decode_with_few_bad_bytes(data)
    if lenient is not None:
        return _newlines(lenient[0]), lenient[1], None
    return "", "", "undecodable: no encoding gives readable text"


def _decode_with_few_bad_bytes(data: bytes, max_bad: float = 0.01) -> tuple[str, str] | None:
    """A UTF-8 or GB18030 file damaged in a few places (a truncated download, a bad copy).

    The bad bytes become U+FFFD, which the mojibake repair in cleaning then handles;
    accepted only if at most ``max_bad`` of the characters are replaced and the rest reads
    as common Chinese. The encoding is reported as ``"gb18030 (3 bad bytes)"``.
    """
    for encoding in ("utf-8", "gb18030"):
        text = data.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        if bad <= max(2, max_bad * len(text)) and _readability(text) > 0.5:
            return text, f"{encoding} ({bad} bad bytes)"
    return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _printable_share(text) > 0.95:
            return text, encoding
    return None


def _readability(text: str) -> float:
    """Share of Chinese characters that are common ones (GB2312 after t2s).

    A wrong two-byte encoding still decodes "cleanly" into Chinese characters, but
    mostly rare ones (Big5 read as GBK: 崩笆籹硑穨...); the right one reads as common
    characters once traditional forms are simplified.
    """
    from .text import to_simplified

    chars = _CJK.findall(text[:20000])
    if not chars:
        return 0.0
    common = 0
    for char in to_simplified("".join(chars)):
        try:
            char.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(chars)


def _cjk_share(text: str) -> float:
    sample = text[:20000]
    visible = [c for c in sample if not c.isspace()]
    return len(_CJK.findall(sample)) / max(1, len(visible))


def _printable_share(text: str) -> float:
    sample = text[:20000]
    return sum(c.isprintable() or c.isspace() for c in sample) / max(1, len(sample))


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_table(path: Path, suffix: str, columns: CorpusConfig) -> Iterator[RawDocument]:
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            rows = frame.to_dict("records")
        elif suffix == ".parquet":
            rows = pd.read_parquet(path).to_dict("records")
        else:
            rows = _iter_jsonl(path, gz=suffix == ".jsonl.gz")
        for index, row in enumerate(rows):
            yield _row_to_document(row, index, path, columns)
    except (OSError, ValueError, UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
        yield RawDocument(path.stem, str(path), "", error=f"unreadable table: {exc}")


def _iter_jsonl(path: Path, *, gz: bool) -> Iterator[dict]:
    opener = gzip.open if gz else open
    with opener(path, "rt", encoding="utf-8-sig") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                row = {"__error__": f"line {line_no} is not valid JSON"}
            yield row if isinstance(row, dict) else {"__error__": f"line {line_no} is not an object"}


def _row_to_document(row: dict, index: int, path: Path, columns: CorpusConfig) -> RawDocument:
    def value(column: str) -> str | None:
        got = row.get(column)
        if got is None or (isinstance(got, float) and got != got):
            return None
        got = str(got).strip()
        return got or None

    raw_id = value(columns.id_column)
    doc_id = f"{path.stem.split('.')[0]}:{raw_id if raw_id is not None else index}"
    source = f"{path}#{index}"
    if "__error__" in row:
        return RawDocument(doc_id, source, "", error=row["__error__"])
    if columns.text_column not in row:
        return RawDocument(doc_id, source, "",
                           error=f"no text column {columns.text_column!r} in {path.name}")
    text = _newlines(value(columns.text_column) or "")
    return RawDocument(
        doc_id=doc_id,
        source=source,
        text=text,
        encoding="utf-8",
        title=value(columns.title_column),
        date=value(columns.date_column),
        region=value(columns.region_column),
        region_given=columns.region_column in row,
        error=None if text else "empty text",
    )
