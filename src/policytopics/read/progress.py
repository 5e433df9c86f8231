"""How far the reading of a corpus has come, in bytes of its input files: what the ingest's
progress bar shows, with the time to go, when the number of documents is not known until
they are all read (a compressed JSON-lines archive of a million articles).

:func:`~policytopics.read.files.iter_documents` counts each file's size once it has been read;
a reader that streams one large file (JSON lines) names the file object it reads
(:func:`watch`), so the bytes read so far inside it count too.
"""

from __future__ import annotations

import contextlib

#: The reading in progress in this process, if any (iter_documents sets it while it reads).
_current: ReadProgress | None = None


class ReadProgress:
    """Bytes of a corpus's input files read so far (:attr:`read`) out of :attr:`total`.

    >>> progress = ReadProgress()
    >>> progress.total = 300
    >>> progress.file_done(100)
    >>> progress.read, progress.total
    (100, 300)
    """

    def __init__(self) -> None:
        self.total = 0
        self.done = 0  # the sizes of the files read to their end
        self._stream = None  # the binary file being read, at its position

    @property
    def read(self) -> int:
        """The bytes read: the files done, and the position in the file being read."""
        inside = 0
        if self._stream is not None:
            with contextlib.suppress(OSError, ValueError):  # a closed file: counted when done
                inside = self._stream.tell()
        return min(self.total, self.done + inside) if self.total else self.done + inside

    def file_done(self, size: int) -> None:
        """A file of ``size`` bytes was read to its end."""
        self._stream = None
        self.done += size

    @contextlib.contextmanager
    def reading(self):
        """Make this the reading in progress (:func:`watch` reports to it)."""
        global _current
        before, _current = _current, self
        try:
            yield self
        finally:
            _current = before


def watch(stream) -> None:
    """Name the binary file object a reader streams a large file from (its ``tell()`` is the
    bytes read of the file on disk: for gzip, the compressed file's), if a reading is in
    progress."""
    if _current is not None:
        _current._stream = stream


__all__ = ["ReadProgress", "watch"]
