"""Keeping files: atomic writes (CSV that opens in Excel, Parquet, JSON), checksums, the stage
cache and its keys.
"""
