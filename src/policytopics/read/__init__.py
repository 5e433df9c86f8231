"""Reading input: files and folders into raw documents (:class:`~policytopics.read.records.RawDocument`).

:mod:`~policytopics.read.files` walks the corpus paths and sends each file to the reader of its
suffix in :data:`policytopics.read.readers.READERS`, one module per format family: plain text
(:mod:`~policytopics.read.text_file`), saved web pages (:mod:`~policytopics.read.webpage`), PDF
(:mod:`~policytopics.read.pdf`), Word (:mod:`~policytopics.read.word`), and input tables of
articles, one per row (:mod:`~policytopics.read.delimited`, :mod:`~policytopics.read.excel`,
:mod:`~policytopics.read.jsonl`, :mod:`~policytopics.read.json_file`,
:mod:`~policytopics.read.parquet`, sharing :mod:`~policytopics.read.tables` and
:mod:`~policytopics.read.cells`). Whole files share :mod:`~policytopics.read.whole_file`, and
every reader the size limits of :mod:`~policytopics.read.limits`.
"""
