"""Read articles from files, folders and tables into raw documents, in a stable order.

Accepted inputs, mixed freely: folders (searched recursively), ``.txt`` files (one
article per file, any common encoding: :mod:`policytopics.common.encoding`), saved web pages, PDF
and Word files (:mod:`policytopics.read.webpage`, :mod:`~policytopics.read.pdf`,
:mod:`~policytopics.read.word`), and tables of articles, one per row (``.csv``, ``.tsv``,
Excel workbooks, ``.jsonl``, ``.ndjson`` (either gzipped), ``.json``, ``.parquet``:
:mod:`policytopics.read.tables`). Each file goes to the reader of its suffix in
:data:`policytopics.read.readers.READERS`, the one table of formats. A file that cannot be
read is not fatal: it becomes a :class:`RawDocument` with ``error`` set, so the report
accounts for it, and a warning is logged; so does whatever the walk of a folder meets and
does not read (a folder it cannot list, a link it does not follow, a pipe:
:func:`corpus_entries`).

Every document's ``doc_id`` is unique. A file's id is its path below the corpus folder
without its suffix (``report``, ``2024/report``; a file named directly: its name), a table
row's the table's path and the row's id or number (``2024/docs:17``), a file name that is
not UTF-8 (GBK from a Windows zip) decoded (:func:`policytopics.common.encoding.file_name_text`).
An id that is still taken (``report.txt`` beside ``report.pdf``, an id repeated in a table,
a file named twice) gets ``~2``, ``~3`` … in input order, with one warning; the report's
``source`` says where each document came from.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from policytopics.common.encoding import file_name_text
from policytopics.read.progress import ReadProgress
from policytopics.read.readers import COMPOUND_SUFFIXES, READ_SUFFIXES, READERS, TEXT_SUFFIXES
from policytopics.read.records import RawDocument
from policytopics.read.text_file import read_text_file
from policytopics.settings.config import CorpusConfig

log = logging.getLogger("policytopics")

#: What a repeated ``doc_id`` gets: ``report~2``, ``docs:17~3``.
REPEAT_MARK = "~"


def iter_documents(paths: Sequence[str | Path], columns: CorpusConfig | None = None,
                   limit: int = 0, *, skip: Iterable[str | Path] = (),
                   progress: ReadProgress | None = None) -> Iterator[RawDocument]:
    """Yield raw documents from files, folders and tables, in a stable order.

    Parameters
    ----------
    paths
        Files or folders. Folders are searched recursively for accepted files.
    columns
        Column settings for tables (text, title, date, region, id); a setting wins when
        the table has that column, else the usual headers are found (:func:`find_columns`).
    limit
        Stop after this many documents (0 = all).
    skip
        Folders never read (the study's own outputs, figures and cache), see
        :func:`input_files`.
    progress
        Told the input files' total size, and the bytes read as the documents come (for a
        progress bar with the time to go).

    Yields
    ------
    RawDocument
        One per article, with a unique ``doc_id`` (see the module's introduction); an
        unreadable file, a table without a text column, and each thing the walk does not
        read (:func:`corpus_entries`) is one document with ``error`` set.

    Raises
    ------
    ValueError
        A corpus path refused by :func:`corpus_entries`, or corpus paths holding no file of a
        readable kind (the warning before it counts the files of other kinds).
    """
    columns = columns or CorpusConfig()
    _note_skipped(paths, skip)
    entries = corpus_entries(paths, skip=skip, follow_links=columns.follow_links)
    if not entries:
        raise ValueError(f"no document found in the corpus paths {', '.join(map(str, paths))}: no file of "
                         f"a readable kind is there (read are {' '.join(READ_SUFFIXES)}; files of other "
                         "kinds are counted in the warning above)")
    ids = _UniqueIds()
    count = 0
    progress = progress or ReadProgress()
    sizes = [_size(entry) for entry in entries]
    progress.total = sum(sizes)
    try:
        with progress.reading():
            for entry, size in zip(entries, sizes):
                for doc in _entry_documents(entry, columns):
                    yield ids.unique(doc)
                    count += 1
                    if limit and count >= limit:
                        return
                progress.file_done(size)
    finally:
        ids.warn()


def _size(entry: CorpusEntry) -> int:
    """The bytes of a file of the walk on disk (0 for what is not read, or gone since)."""
    if entry.reason is not None:
        return 0
    try:
        return entry.path.stat().st_size
    except OSError:
        return 0


def _note_skipped(paths: Sequence[str | Path], skip: Iterable[str | Path]) -> None:
    """Log each folder of ``skip`` inside a corpus folder: it is not read as articles."""
    folders = [Path(path).resolve() for path in paths if Path(path).is_dir()]
    for folder in sorted({Path(folder).resolve() for folder in skip}):
        if folder.is_dir() and any(folder.is_relative_to(root) and folder != root for root in folders):
            log.info("%s: not read as articles (this study's own outputs or cache)",
                     file_name_text(str(folder)))


def _entry_documents(entry: CorpusEntry, columns: CorpusConfig) -> Iterable[RawDocument]:
    """The documents of one entry of the walk: a file's, or one saying why it is not read."""
    if entry.reason is None:
        return _read_path(entry.path, entry.name, columns)
    shown = _shown_path(entry.path)
    shown = shown if len(shown) < 200 else f"{shown[:80]}…{shown[-80:]}"
    log.warning("%s: %s", shown, entry.reason)
    not_read = RawDocument(entry.name, str(entry.path), "", error=entry.reason)
    return (_shown(not_read, entry.path, _shown_path(entry.path)),)


class _UniqueIds:
    """Makes every ``doc_id`` unique: a repeated one gets ``~2``, ``~3`` … in input order."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.repeated: list[tuple[str, str]] = []

    def unique(self, doc: RawDocument) -> RawDocument:
        """``doc``, its id marked if an earlier document has it."""
        doc_id = doc.doc_id
        if doc_id in self.taken:
            doc_id = next(f"{doc.doc_id}{REPEAT_MARK}{n}" for n in range(2, len(self.taken) + 3)
                          if f"{doc.doc_id}{REPEAT_MARK}{n}" not in self.taken)
            self.repeated.append((doc.doc_id, doc.source))
            doc = replace(doc, doc_id=doc_id)
        self.taken.add(doc_id)
        return doc

    def warn(self) -> None:
        """One warning for all repeated ids, naming the first."""
        if self.repeated:
            first, source = self.repeated[0]
            log.warning("%d document(s) repeat the id of an earlier one (first: %s, from %s): each is "
                        "kept with %s2, %s3 … after its id; the report's source says where it came from",
                        len(self.repeated), first, source, REPEAT_MARK, REPEAT_MARK)


@dataclass(frozen=True)
class CorpusEntry:
    """One thing the walk of the corpus paths met: an input file, or one it does not read.

    ``name`` is its path below the corpus folder (:func:`input_files`); ``reason`` is
    ``None`` for a file to read, else why it is not read (a report row of its own).
    """

    path: Path
    name: str
    reason: str | None = None


def input_files(paths: Sequence[str | Path], *, skip: Iterable[str | Path] = (),
                follow_links: str = "inside") -> list[tuple[Path, str]]:
    """Every input file of the corpus paths, in a stable order, with the name its ids start from.

    The files of :func:`corpus_entries`, without the entries not read.
    """
    return [(entry.path, entry.name) for entry in corpus_entries(paths, skip=skip, follow_links=follow_links)
            if entry.reason is None]


def corpus_entries(paths: Sequence[str | Path], *, skip: Iterable[str | Path] = (),
                   follow_links: str = "inside", warn: bool = True) -> list[CorpusEntry]:
    """What the corpus paths hold, in a stable order: the files to read and what is not read.

    A folder is searched recursively for the suffixes a reader takes; the name is the file's
    path below that folder (``2024/report.txt``, always with ``/``), a file named directly
    is named by its file name, and a name that is not UTF-8 is decoded
    (:func:`policytopics.common.encoding.file_name_text`). Not inputs, and not reported: hidden files
    and folders (``.cache``, ``.git``), Excel's lock files (``~$book.xlsx``), ``metadata.csv``,
    files of other suffixes (counted in one warning per corpus folder, if ``warn``), and the folders of
    ``skip`` below a corpus folder (the study's own outputs, figures and cache:
    ``policytopics run --corpus .`` in a study folder must not read its results back).

    Entries with a ``reason`` (one report row each, never read): a folder or file the walk
    cannot enter (no permission, a path longer than the system allows), a symbolic link
    not followed (``follow_links``: ``"inside"`` follows links whose target lies in a corpus
    path, ``"all"`` every link, ``"none"`` none), a broken link, a folder met a second time
    (a link back up: a loop), and anything that is not a regular file (a named pipe, a
    device): it would hang or never end.

    Raises
    ------
    FileNotFoundError
        A corpus path that does not exist.
    ValueError
        A corpus path that is empty (``""``: the current folder), a pipe or device (a
        process substitution ``<(zcat x.jsonl.gz)``), or a folder that is, or lies in, one
        of ``skip`` (``--corpus outputs``).
    """
    skipped = {Path(folder).resolve() for folder in skip}
    real_roots = [Path(os.path.realpath(raw)) for raw in paths if Path(raw).is_dir()]
    found: list[CorpusEntry] = []
    for raw in paths:
        if str(raw).strip() == "":
            raise ValueError('corpus path "" (empty) would read the current folder as articles; name the '
                             "articles' folder in --corpus or [corpus] paths")
        path = Path(raw)
        if not path.exists():
            raise FileNotFoundError(f"corpus path not found: {path}")
        kind = _file_kind(path.stat().st_mode)
        if kind == "folder":
            own = next((folder for folder in sorted(skipped) if path.resolve().is_relative_to(folder)), None)
            if own is not None:
                raise ValueError(f"corpus path {path} is this study's own output, figures or cache "
                                 f"folder {own} ([output] tables_dir, figures_dir, cache_dir): its tables "
                                 "would be read back as articles; name the articles' folder in --corpus "
                                 "or [corpus] paths")
            found.extend(_walk(path, skipped, real_roots, follow_links, warn))
        elif kind == "file":
            found.append(CorpusEntry(path, file_name_text(path.name)))
        else:
            raise ValueError(f"corpus path {path} is {kind}, not a file: it can be read only once, as "
                             "a stream (a process substitution such as <(zcat x.jsonl.gz) is one), so it "
                             "cannot be checked, cached or read again; name the file itself (x.jsonl.gz "
                             "and x.ndjson.gz are read compressed) or save the stream to a file first")
    return found


#: What each kind of file system object is called in messages (not a regular file or folder).
_KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}


def _file_kind(mode: int) -> str:
    """``"file"``, ``"folder"``, or what else it is (``"a named pipe (FIFO)"``)."""
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _walk(top: Path, skipped: set[Path], real_roots: list[Path], follow_links: str,
          warn: bool = True) -> list[CorpusEntry]:
    """The entries of one corpus folder (:func:`corpus_entries`), sorted by path.

    Walked with ``os.scandir`` and an explicit stack (never ``os.walk``, which skips a folder
    it cannot list without a word); each folder is walked once, by device and inode, the
    folders reached through links last, so a folder is read under its own name and a link
    loop ends.
    """
    walk = _FolderWalk(top, skipped, real_roots, follow_links)
    walk.run()
    if walk.other_suffixes and warn:
        counts = ", ".join(f"{suffix} {n}" for suffix, n in walk.other_suffixes.most_common())
        log.warning("%s: %d file(s) of kinds not read as articles (%s); read are %s",
                    _shown_path(top), sum(walk.other_suffixes.values()), counts, " ".join(READ_SUFFIXES))
    walk.entries.sort(key=lambda entry: entry.path)
    return walk.entries


class _FolderWalk:
    """The walk of one corpus folder (:func:`_walk`): its entries, and the files of other
    suffixes counted by suffix."""

    def __init__(self, top: Path, skipped: set[Path], real_roots: list[Path], follow_links: str) -> None:
        self.top, self.skipped, self.real_roots, self.follow_links = top, skipped, real_roots, follow_links
        self.entries: list[CorpusEntry] = []
        self.other_suffixes: Counter[str] = Counter()
        top_stat = top.stat()
        self.walked = {(top_stat.st_dev, top_stat.st_ino): top}
        self.linked: list[Path] = []

    def name_of(self, path: Path) -> str:
        if path == self.top:
            return file_name_text(self.top.name or str(self.top))
        return "/".join(file_name_text(part) for part in path.relative_to(self.top).parts)

    def not_read(self, path: Path, reason: str) -> None:
        self.entries.append(CorpusEntry(path, self.name_of(path), reason))

    def run(self) -> None:
        """Walk every folder below the top, those reached through links last."""
        stack = [self.top]
        while stack or self.linked:
            if not stack:
                # Folders reached through a link come last: one also reached by its own path was
                # read there, under its own name (and a link back up is no loop).
                path = self.linked.pop(0)
                here = path.stat()
                seen = self.walked.setdefault((here.st_dev, here.st_ino), path)
                if seen != path:
                    self.not_read(path, f"a link to a folder read already (the folder {_shown_path(seen)}, "
                                        "read under its own name)")
                    continue
                stack.append(path)
            folder = stack.pop()
            try:
                with os.scandir(folder) as listing:
                    names = sorted(entry.name for entry in listing)
            except OSError as exc:
                self.not_read(folder, f"folder not read: {_os_problem(exc, folder)}")
                continue
            subfolders: list[Path] = []
            for name in names:
                if not name.startswith("."):
                    self.meet(folder / name, name, subfolders)
            stack.extend(reversed(subfolders))

    def meet(self, path: Path, name: str, subfolders: list[Path]) -> None:
        """Take one thing a folder holds: an entry, a folder to walk (in ``subfolders``, or
        through a link later), a file of another suffix counted, or nothing."""
        readable = _suffix(path) in READ_SUFFIXES and not name.startswith("~$") and name != "metadata.csv"
        try:
            link = path.is_symlink()
            if link and not path.exists():
                if readable:
                    self.not_read(path, f"a broken link (to {_shown_path(os.readlink(path))}, which does not "
                                        "exist)")
                return
            kind = _file_kind(path.stat().st_mode)
        except OSError as exc:
            self.not_read(path, f"not read: {_os_problem(exc, path)}")
            return
        if kind == "folder" and path.resolve() in self.skipped:
            return
        if link and (kind == "folder" or readable):
            refused = _link_refused(path, self.real_roots, self.follow_links)
            if refused:
                self.not_read(path, refused)
                return
        if kind == "folder" and link:
            self.linked.append(path)
        elif kind == "folder":
            here = path.stat()
            self.walked.setdefault((here.st_dev, here.st_ino), path)
            subfolders.append(path)
        elif kind == "file":
            if readable:
                self.entries.append(CorpusEntry(path, self.name_of(path)))
            elif not name.startswith("~$") and name != "metadata.csv":
                self.other_suffixes[_suffix(path) or "(no suffix)"] += 1
        else:
            self.not_read(path, f"not a regular file ({kind}: reading it would hang or never end)")


def _link_refused(path: Path, real_roots: list[Path], follow_links: str) -> str | None:
    """Why a symbolic link met in a corpus folder is not followed, or ``None``."""
    target = Path(os.path.realpath(path))
    if follow_links == "none":
        return (f'a link, not followed (to {_shown_path(target)}; [corpus] follow_links = "none"; '
                '"inside" follows links within the corpus paths)')
    if follow_links == "inside" and not any(target.is_relative_to(root) for root in real_roots):
        return (f"a link outside the corpus paths, not followed (to {_shown_path(target)}; name that "
                'path in --corpus or [corpus] paths, or set [corpus] follow_links = "all" to read it)')
    return None


def _os_problem(exc: OSError, path: Path) -> str:
    """An ``OSError`` of the walk as one line saying what to do."""
    if exc.errno == errno.ENAMETOOLONG:
        return (f"a path longer than the system allows ({len(os.fsencode(path))} bytes; move it to a "
                "shorter path, a folder nearer the top, to read it)")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "no permission to read it (give read permission with chmod, or copy it elsewhere)"
    if exc.errno == errno.ELOOP:
        return "a loop of symbolic links"
    return exc.strerror or str(exc)


def _shown_path(path: str | Path) -> str:
    return file_name_text(str(path))


def input_holding(path: str | Path, paths: Sequence[str | Path]) -> Path | None:
    """The input of ``paths`` that ``path`` is, or the input folder it lies in; else ``None``.

    An output written there would overwrite an input, or be read as one next time.

    >>> input_holding("corpus/report.csv", ["corpus", "other.csv"])  # doctest: +SKIP
    PosixPath('corpus')
    """
    target = Path(path).resolve()
    for raw in paths:
        source = Path(raw).resolve()
        if target == source or (source.is_dir() and target.is_relative_to(source)):
            return Path(raw)
    return None


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return next((suffix for suffix in COMPOUND_SUFFIXES if name.endswith(suffix)), path.suffix.lower())


def _read_path(path: Path, name: str, columns: CorpusConfig) -> Iterator[RawDocument]:
    """The documents of one input file, by the reader of its suffix (:data:`READERS`), their
    ids made from ``name`` (:func:`input_files`)."""
    suffix = _suffix(path)
    if suffix not in READ_SUFFIXES and _looks_like_json(path):
        # A file named directly under another name (articles.json.txt, a download without a
        # suffix) that holds JSON: its articles, not one article of raw JSON.
        suffix = ".json"
    # A file named directly whose suffix no reader takes is read as text.
    read = READERS[suffix].read if suffix in READERS else read_text_file
    documents = read(path, name, columns)
    shown = str(Path(*(file_name_text(part) for part in path.parts)))
    for doc in documents:
        yield doc if shown == str(path) else _shown(doc, path, shown)


def _shown(doc: RawDocument, path: Path, shown: str) -> RawDocument:
    """``doc`` with its file's path and name, in its source and error, as text: a name that
    is not UTF-8 would make the report unwritable."""
    def text(value: str | None) -> str | None:
        if value is None:
            return None
        value = value.replace(str(path), shown).replace(path.name, file_name_text(path.name))
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")

    return replace(doc, source=text(doc.source), error=text(doc.error))


def _looks_like_json(path: Path) -> bool:
    """Whether a file's first visible byte opens a JSON object or array."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).removeprefix(b"\xef\xbb\xbf").lstrip()
    except OSError:
        return False
    return head[:1] in (b"{", b"[") and not head.startswith(b"[[")


__all__ = ["READ_SUFFIXES", "REPEAT_MARK", "TEXT_SUFFIXES", "CorpusEntry", "corpus_entries", "input_files",
           "input_holding", "iter_documents"]
