"""Reading input: files and folders, input tables (CSV, Excel, JSON lines, Parquet), and web
pages, PDF and Word files, each into raw documents (:class:`~policytopics.read.records.RawDocument`).
"""
