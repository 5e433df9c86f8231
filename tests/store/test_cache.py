"""The stage cache: a stage built once, kept with its checksums, read back or rebuilt, its hits
and times recorded; a failed write naming the cache folder."""

from __future__ import annotations

import errno
import logging

import numpy as np
import pandas as pd
import pytest

from policytopics.store.cache import StageCache, StoredTable, naming_the_cache


class _Builds:
    """A build function that counts its calls."""

    def __init__(self, result):
        self.result, self.calls = result, 0

    def __call__(self):
        self.calls += 1
        return self.result


def test_a_table_stage_is_built_once_then_read_from_disk(tmp_path):
    build = _Builds(pd.DataFrame({"a": [1, 2], "b": ["甲", "乙"]}))
    stages = StageCache(tmp_path)
    first = stages.frame("tokens", "k1", build)
    assert stages.frame("tokens", "k1", build) is first and build.calls == 1  # from memory
    assert stages.hits == {"tokens": False} and stages.timings["tokens"] >= 0
    stored = tmp_path / "tokens" / "k1.parquet"
    assert stages.path("tokens", "k1").with_suffix(".parquet") == stored
    assert sorted(p.name for p in stored.parent.iterdir()) == ["k1.parquet", "k1.parquet.sha256"]
    again = StageCache(tmp_path)
    assert again.frame("tokens", "k1", build).equals(first) and build.calls == 1
    assert again.hits == {"tokens": True}
    served = StageCache(tmp_path)
    assert served.frame("tokens", "k1", build, serve=len) == 2 and served.memo == {"tokens:k1": 2}


def test_a_table_that_does_not_fit_or_is_damaged_is_rebuilt(tmp_path, caplog):
    build = _Builds(pd.DataFrame({"a": [1]}))
    StageCache(tmp_path).frame("tokens", "k1", build)
    stored = tmp_path / "tokens" / "k1.parquet"
    with caplog.at_level(logging.WARNING, logger="policytopics"):
        StageCache(tmp_path).frame("tokens", "k1", build,
                                   check=lambda t: None if "b" in t else "no column 'b'")
    assert build.calls == 2
    assert f"tokens: the cached {stored} does not fit (no column 'b'); rebuilding it" in caplog.text
    stored.write_bytes(stored.read_bytes()[:-1])
    stages = StageCache(tmp_path)
    stages.frame("tokens", "k1", build)
    assert build.calls == 3 and stages.damaged == {"tokens"} and stages.hits == {"tokens": False}


def test_reading_a_stored_table_in_batches_holds_about_a_row_group_not_the_file(tmp_path):
    """pyarrow's pre-buffering kept every column chunk read until the file closed: a million
    documents' texts held 957 MB. Arrow's own allocations, counted as the batches come."""
    import pyarrow as pa

    from policytopics.store.writing import ROW_GROUP_ROWS, parquet_chunks

    groups, chars = 10, 100
    # Characters drawn at random: text that does not compress, as a corpus's texts hardly do
    # (pre-buffering keeps the compressed column chunks).
    codes = np.random.default_rng(0).integers(0x4E00, 0x9FA5, size=(groups * ROW_GROUP_ROWS, chars))
    texts = ["".join(map(chr, row)) for row in codes]
    path = tmp_path / "texts.parquet"
    parquet_chunks((pd.DataFrame({"text": texts[g * ROW_GROUP_ROWS:(g + 1) * ROW_GROUP_ROWS]})
                    for g in range(groups)), path)
    column_bytes = sum(len(text.encode("utf-8")) for text in texts)
    before, most, rows = pa.total_allocated_bytes(), 0, 0
    for batch in StoredTable(path).batches(["text"], rows=5_000):
        most, rows = max(most, pa.total_allocated_bytes() - before), rows + len(batch)
    assert rows == groups * ROW_GROUP_ROWS
    assert most < column_bytes / 3  # about a row group; with pre-buffering, more than the column


def test_a_streamed_table_is_written_as_it_comes_and_served_from_its_file(tmp_path):
    made = []

    def parts():
        for i in range(3):
            made.append(i)
            yield pd.DataFrame({"a": [i, i], "b": [None, None] if i == 0 else ["甲", "乙"]})

    stages = StageCache(tmp_path)
    table = stages.frame("tokens", "k1", parts, streamed=True)
    assert isinstance(table, StoredTable) and made == [0, 1, 2] and stages.hits == {"tokens": False}
    assert len(table) == 6 and table.columns == ["a", "b"] and "b" in table and "c" not in table
    assert table["a"].tolist() == [0, 0, 1, 1, 2, 2] and table[["b"]]["b"].tolist()[2:] == ["甲", "乙"] * 2
    assert [len(part) for part in table.batches(["a"], rows=4)] == [4, 2]
    again = StageCache(tmp_path)
    served = again.frame("tokens", "k1", parts, streamed=True, serve=lambda t: t.read(["a"]))
    assert made == [0, 1, 2] and again.hits == {"tokens": True} and served["a"].sum() == 6
    assert again.columns("tokens", "k1", ["b"])["b"].tolist()[2:] == ["甲", "乙"] * 2
    (tmp_path / "tokens" / "k1.parquet").write_bytes(b"PAR1 not parquet")  # damaged: rebuilt
    assert len(StageCache(tmp_path).frame("tokens", "k1", parts, streamed=True)) == 6 and len(made) == 6


def test_columns_come_from_memory_or_the_file_without_building(tmp_path):
    frame = pd.DataFrame({"a": [1], "b": [2]})
    stages = StageCache(tmp_path)
    assert stages.columns("tokens", "k1", ["a"]) is None
    stages.frame("tokens", "k1", lambda: frame)
    assert stages.columns("tokens", "k1", ["a"]).columns.tolist() == ["a"]
    assert stages.release("tokens") and not stages.release("tokens")
    assert StageCache(tmp_path).columns("tokens", "k1", ["b"])["b"].tolist() == [2]


def test_a_folder_stage_is_swapped_in_whole_with_its_checksums(tmp_path, caplog):
    def save(result, folder):
        (folder / "words.txt").write_text(result, encoding="utf-8")

    def load(folder):
        return (folder / "words.txt").read_text(encoding="utf-8")

    build = _Builds("产业 数字")
    stages = StageCache(tmp_path)
    assert stages.folder("corpus", "k1", build, load=load, save=save, serve_written=True) == "产业 数字"
    stored = tmp_path / "corpus" / "k1"
    assert sorted(p.name for p in stored.iterdir()) == ["checksums.json", "words.txt"]
    assert sorted(p.name for p in stored.parent.iterdir()) == ["k1"]  # no temporary left
    assert StageCache(tmp_path).folder("corpus", "k1", build, load=load, save=save, serve=str.split) \
        == ["产业", "数字"] and build.calls == 1

    def unreadable(folder):
        raise ValueError("bad")

    with caplog.at_level(logging.WARNING, logger="policytopics"):
        StageCache(tmp_path).folder("corpus", "k1", build, load=unreadable, save=save)
    assert f"cached corpus {stored} is unreadable; rebuilding it" in caplog.text and build.calls == 2


def test_a_full_disk_in_the_cache_names_the_cache_folder(tmp_path):
    def no_space(result, folder):
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / "corpus.mm"))

    with pytest.raises(OSError) as caught:
        StageCache(tmp_path / "cache").folder("corpus", "k1", lambda: 1, load=lambda f: 1, save=no_space)
    assert str(caught.value) == (
        "[Errno 28] No space left on device while writing the cache (--cache-dir, [output] cache_dir); "
        f"the stages already finished are kept: '{tmp_path / 'cache'}'")


def test_naming_the_cache_leaves_errors_elsewhere_alone(tmp_path):
    elsewhere = OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out" / "a.csv"))
    unnamed = OSError("no file")
    assert naming_the_cache(elsewhere, tmp_path / "cache") is elsewhere
    assert naming_the_cache(unnamed, tmp_path / "cache") is unnamed
    assert naming_the_cache(OSError(errno.ENOSPC, "full", str(tmp_path / "cache-2")), tmp_path / "cache") \
        .filename == str(tmp_path / "cache-2")  # a sibling folder whose name starts alike is not the cache
    named = naming_the_cache(OSError(errno.EROFS, "Read-only file system", str(tmp_path / "cache")),
                             tmp_path / "cache")
    assert named.errno == errno.EROFS and named.filename == str(tmp_path / "cache")


def test_a_stage_time_leaves_out_the_stages_it_built_first(tmp_path):
    stages = StageCache(tmp_path)

    def outer():
        stages.frame("inner", "k", lambda: pd.DataFrame({"a": [1]}))
        return pd.DataFrame({"b": [1]})

    stages.frame("outer", "k", outer)
    assert set(stages.timings) == {"inner", "outer"} and stages.hits == {"outer": False, "inner": False}
    assert stages.memoised("x", lambda: 1) == 1 and stages.memoised("x", lambda: 2) == 1
