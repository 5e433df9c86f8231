"""The records that pass between reading and cleaning: a document as read, a row that was not.

The lowest layer of the reading stage: every reader (:data:`policytopics.read.readers.READERS`:
text files, web pages, PDF and Word files, input tables) and :mod:`policytopics.read.files`
(folders) make :class:`RawDocument`; a table reader yields a :class:`RowError` where a row
cannot be read, and it becomes a report row.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RawDocument:
    """One input document as read, before cleaning.

    ``encoding`` is the file's text encoding; for a table it also says which column was
    taken for what (``"gb18030; columns: 正文→text, 标题→title, 发布时间→date"``).
    ``publisher`` is the table's 来源 column, when it has one.
    """

    doc_id: str
    source: str
    text: str
    encoding: str = ""
    title: str | None = None
    date: str | None = None
    region: str | None = None
    error: str | None = None  # set when the input could not be read
    region_given: bool = False  # the table has a region column: its value (even empty) wins
    publisher: str | None = None
    # A date the file's own metadata gives (a web page's PubDate): used only when the text
    # states none, with fallback_date_source as its date_source.
    fallback_date: str | None = None
    fallback_date_source: str | None = None
    # A web page's lines between its headline and its main text (the byline, the 发布时间
    # line) that the main-text extractor left out: read for the page's date only.
    page_header: tuple[str, ...] = ()
    # A web page's site name (SiteName, og:site_name, the <title>'s suffix: 浙江省人民政府):
    # the province of a page whose text names none.
    site: str | None = None


@dataclass(frozen=True)
class RowError:
    """A row of a table that could not be read (a bad JSON line, a row swallowed by an
    unbalanced quote): what the report says about it."""

    message: str


__all__ = ["RawDocument", "RowError"]
