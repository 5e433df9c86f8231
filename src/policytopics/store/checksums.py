"""Checksums of cached files and folders: kept when written, checked when read.

A cached file's SHA-256 is kept in ``<file>.sha256`` beside it, a cached folder's files' in
its ``checksums.json`` (:func:`keep_checksums`). Reading a damaged model could hang or change
the results with no sign, so a cached entry is read only when :func:`verified` finds every
byte as it was written; one that is not is removed (:func:`discard`) and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path

from policytopics.store.writing import write_json, write_text

log = logging.getLogger("policytopics")


#: A cached folder's checksums of its files (:func:`keep_checksums`); a cached file's are in
#: ``<file>.sha256`` beside it.
CHECKSUMS_FILE = "checksums.json"


def file_digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checksum_file(path: Path) -> Path:
    """Where the checksums of a cached file (``<file>.sha256``) or folder (``checksums.json``) are kept."""
    return path / CHECKSUMS_FILE if path.is_dir() else path.with_name(path.name + ".sha256")


def _folder_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != CHECKSUMS_FILE)


def keep_checksums(path: str | Path) -> Path:
    """Record the checksums of a cached file (``<file>.sha256``) or of every file of a cached
    folder (its ``checksums.json``), for :func:`verified` to check when it is read."""
    path = Path(path)
    if path.is_dir():
        return write_json(path / CHECKSUMS_FILE,
                          {p.relative_to(path).as_posix(): file_digest(p) for p in _folder_files(path)})
    return write_text(checksum_file(path), file_digest(path))


def damage(path: Path) -> str | None:
    """Why a cached file or folder differs from the checksums recorded when it was written
    (a file truncated, a bit flipped, a file missing), or ``None`` when it matches."""
    record = checksum_file(path)
    try:
        if not path.is_dir():
            same = record.read_text() == file_digest(path)
            return None if same else f"{path.name} does not match its checksum"
        expected = json.loads(record.read_text(encoding="utf-8"))
        for name, digest in expected.items():
            file = path / name
            if not file.is_file():
                return f"{name} is missing"
            if file_digest(file) != digest:
                return f"{name} does not match its checksum"
        extra = [p.relative_to(path).as_posix() for p in _folder_files(path)
                 if p.relative_to(path).as_posix() not in expected]
        return f"{extra[0]} was not written with it" if extra else None
    except (OSError, ValueError) as exc:
        return f"its checksums cannot be read ({exc})"


def verified(path: Path, stage: str, warned: set[str] | None = None) -> bool:
    """Whether the cached ``path`` (a file or a folder) is what was written there.

    A cached entry whose bytes differ from its recorded checksums (truncated, one bit
    flipped, a file missing) is removed, and a warning names ``stage`` (once per stage when
    ``warned`` collects the stages already named): the caller rebuilds it. One without
    checksums (kept by an older version, or a run killed between the two writes) is removed
    and rebuilt too, with an info line. Reading a damaged model could hang or change the
    results with no sign; this reads every byte once more instead.
    """
    if not path.exists():
        return False
    if not checksum_file(path).is_file():
        log.info("%s: the cached %s has no checksums; rebuilding it", stage, path)
        reason = None
    else:
        reason = damage(path)
        if reason is None:
            return True
        if warned is None or stage not in warned:
            log.warning("%s: the cached %s is damaged (%s); rebuilding it", stage, path, reason)
            if warned is not None:
                warned.add(stage)
    discard(path)
    return False


def discard(path: Path) -> None:
    """Remove a cached file (with its checksum) or folder."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
        checksum_file(path).unlink(missing_ok=True)


def read_cached_parquet(path: Path, read=None):
    """A cached table, or ``None`` when it is absent or unreadable (then it is removed):
    ``read(path)``, by default the whole table as a DataFrame (a
    :class:`~policytopics.store.cache.StoredTable` for a table served from its file)."""
    import pandas as pd

    if not path.is_file():
        return None
    try:
        return (read or pd.read_parquet)(path)
    except Exception:
        log.warning("cache file %s is unreadable; rebuilding it", path)
        path.unlink(missing_ok=True)
        return None



__all__ = [
    "CHECKSUMS_FILE",
    "checksum_file",
    "damage",
    "discard",
    "file_digest",
    "keep_checksums",
    "read_cached_parquet",
    "verified",
]
