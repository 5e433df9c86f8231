"""The one file writer: atomic writes, the writers of each format, folders swapped in whole,
temporaries left by a killed run."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from policytopics.store.writing import (
    atomic_write,
    check_writable_folder,
    copy_file,
    excel_safe,
    exchange_folders,
    is_temporary,
    parquet_chunks,
    remove_stale_temporaries,
    replace_folder,
    temporary_sibling,
    write_csv,
    write_csv_chunks,
    write_json,
    write_parquet,
    write_text,
    write_xlsx,
)


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    return int(done.stdout)


def test_an_atomic_write_leaves_the_file_and_no_temporary(tmp_path):
    target = tmp_path / "new" / "a.txt"
    assert atomic_write(target, lambda tmp: tmp.write_text("好", encoding="utf-8")) == target
    assert target.read_text(encoding="utf-8") == "好"
    assert list(target.parent.iterdir()) == [target]
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's owner-only mode


def test_a_failed_write_keeps_the_old_file_and_names_the_target(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")

    def no_space(tmp):
        tmp.write_text("half", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")  # as file.write() raises it: no file named

    with pytest.raises(OSError) as caught:
        atomic_write(target, no_space)
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(target)
    assert target.read_text(encoding="utf-8") == "old" and list(tmp_path.iterdir()) == [target]


def test_the_writers_of_each_format(tmp_path):
    frame = pd.DataFrame({"title": ["=1+1", "产业链"], "n": [-1, 2]})
    assert write_text(tmp_path / "a.txt", "甲\n").read_bytes() == "甲\n".encode()
    assert write_text(tmp_path / "b.txt", "甲", encoding="gb18030").read_bytes() == "甲".encode("gb18030")
    assert (write_json(tmp_path / "a.json", {"键": [1]}).read_text(encoding="utf-8")
            == json.dumps({"键": [1]}, ensure_ascii=False, indent=2))
    assert pd.read_parquet(write_parquet(frame, tmp_path / "a.parquet")).equals(frame)  # raw text kept
    csv = write_csv(frame, tmp_path / "a.csv")
    assert csv.read_bytes().startswith(b"\xef\xbb\xbftitle,n\n")  # Excel reads the BOM as UTF-8
    assert pd.read_csv(csv, encoding="utf-8-sig")["title"].tolist() == ["'=1+1", "产业链"]
    assert copy_file(csv, tmp_path / "copy" / "b.csv").read_bytes() == csv.read_bytes()


def test_excel_safe_leaves_numbers_and_plain_text_alone():
    plain = pd.DataFrame({"title": ["产业链", "a-b"], "n": [-1, 2]})
    assert excel_safe(plain) is plain
    risky = pd.DataFrame({"title": ["\r回车", "\t缩进", "@某人", "+86", "-5", "产业链"], "n": range(6)})
    assert excel_safe(risky)["title"].tolist() == ["'\r回车", "'\t缩进", "'@某人", "'+86", "'-5", "产业链"]
    assert risky["title"].iloc[0] == "\r回车"  # the caller's frame is not changed


def test_excel_safe_on_text_columns_with_gaps():
    frame = pd.DataFrame({"title": pd.Series(["=1", None, "产业链", "-"], dtype="str"),
                          "mixed": ["+1", 2, None, "x"]})
    safe = excel_safe(frame)
    assert safe["title"].tolist()[0] == "'=1" and pd.isna(safe["title"].iloc[1])
    assert safe["title"].tolist()[2:] == ["产业链", "'-"] and safe["mixed"].tolist()[:2] == ["'+1", 2]


def test_a_csv_written_in_chunks_is_the_csv_written_whole(tmp_path):
    frame = pd.DataFrame({"title": pd.Series(["=1", None, "产业链\n第二行", "a,b"], dtype="str"),
                          "share": [0.1, float("nan"), 1 / 3, 2.0], "n": [1, 2, 3, 4],
                          "ok": [True, False, True, True]})
    whole = write_csv(frame, tmp_path / "whole.csv").read_bytes()
    chunks = write_csv_chunks([frame.iloc[:1], frame.iloc[1:3], frame.iloc[3:]], tmp_path / "chunks.csv")
    assert chunks.read_bytes() == whole and whole.count(b"\xef\xbb\xbf") == 1


def test_a_table_written_in_parts_is_the_table_in_row_groups(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    from policytopics.store import writing

    monkeypatch.setattr(writing, "ROW_GROUP_ROWS", 3)
    parts = [pd.DataFrame({"id": ["a", "b"], "copy_of": [None, None], "tokens": [[], []], "n": [1, 2]}),
             pd.DataFrame({"id": ["c", "d"], "copy_of": [None, "a"], "tokens": [["产业"], []], "n": [3, 4]}),
             pd.DataFrame({"id": ["e"], "copy_of": ["c"], "tokens": [["链", "群"]], "n": [5]})]
    assert parquet_chunks(iter(parts), tmp_path / "t.parquet") == 5
    stored = pq.ParquetFile(tmp_path / "t.parquet")
    # Parts gathered to three rows and more a row group; columns empty at first kept as text.
    assert [stored.metadata.row_group(i).num_rows for i in range(stored.num_row_groups)] == [4, 1]
    read = pd.read_parquet(tmp_path / "t.parquet")
    assert read["copy_of"].tolist()[3:] == ["a", "c"] and pd.isna(read["copy_of"][0])
    assert [list(t) for t in read["tokens"]] == [[], [], ["产业"], [], ["链", "群"]]
    assert read["n"].tolist() == [1, 2, 3, 4, 5]
    with pytest.raises(ValueError, match="at least one frame"):
        parquet_chunks(iter([]), tmp_path / "none.parquet")


def test_an_xlsx_report_refuses_cells_excel_would_cut(tmp_path):
    path = tmp_path / "report.xlsx"
    with pytest.raises(ValueError, match="1 cell\\(s\\) of column 'text' are longer than Excel's 32,767"):
        write_xlsx(pd.DataFrame({"text": ["短", "长" * 40_000]}), path)
    assert not path.exists()
    write_xlsx(pd.DataFrame({"text": ["控制\x07字符"]}), path)
    assert pd.read_excel(path, engine="openpyxl")["text"].tolist() == ["控制\ufffd字符"]


def test_a_writable_folder_is_made_and_a_file_in_the_way_is_named(tmp_path):
    assert check_writable_folder(tmp_path / "a" / "b", "the output folder").is_dir()
    assert list((tmp_path / "a" / "b").iterdir()) == []  # the probe is gone
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match=f"the output folder {tmp_path / 'file'} is a file, not a folder"):
        check_writable_folder(tmp_path / "file", "the output folder")


def test_a_folder_that_cannot_be_written_is_named(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("this user can write a read-only folder")
        with pytest.raises(ValueError, match=r"--out .*locked cannot be written \(Permission denied\)"):
            check_writable_folder(locked, "--out")
    finally:
        locked.chmod(0o700)


def test_temporaries_are_recognised_and_only_those_of_dead_processes_removed(tmp_path):
    dead, alive = _dead_pid(), os.getpid()
    stale = tmp_path / f".a.txt.{dead}.k2j4.tmp"
    live = tmp_path / f".a.txt.{alive}.k2j4.tmp"
    swapped = tmp_path / f".out.{dead}.x1.tmp.old"
    other = tmp_path / f".b.txt.{dead}.k2j4.tmp"
    for path in (stale, live, other):
        path.write_text("")
    swapped.mkdir()
    (tmp_path / "a.txt").write_text("")
    assert all(is_temporary(p.name) for p in (stale, live, swapped)) and not is_temporary("a.txt")
    remove_stale_temporaries(tmp_path, ".a.txt.")
    assert not stale.exists() and live.exists() and other.exists() and swapped.exists()
    remove_stale_temporaries(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["a.txt", live.name])
    remove_stale_temporaries(tmp_path / "absent")  # no folder, nothing to do


def test_a_temporary_sibling_is_built_beside_and_swapped_in(tmp_path):
    target = tmp_path / "stage"
    left = tmp_path / f".other.{_dead_pid()}.x.tmp"
    left.mkdir()
    tmp = temporary_sibling(target, only_its_own=True)
    assert tmp.parent == tmp_path and tmp.name.startswith(f".stage.{os.getpid()}.") and is_temporary(tmp.name)
    assert left.exists()  # another folder's temporary is not its own to remove
    (tmp / "a").write_text("new")
    target.mkdir()
    (target / "old").write_text("old")
    replace_folder(tmp, target)
    assert [p.name for p in target.iterdir()] == ["a"] and not tmp.exists()
    temporary_sibling(target)
    assert not left.exists()


def test_exchanging_folders_swaps_them(tmp_path):
    new, path = tmp_path / "new", tmp_path / "path"
    new.mkdir()
    (new / "n").write_text("")
    exchange_folders(new, path)  # nothing at path: one rename
    assert [p.name for p in path.iterdir()] == ["n"] and not new.exists()
    new.mkdir()
    (new / "m").write_text("")
    exchange_folders(new, path)
    assert [p.name for p in path.iterdir()] == ["m"] and [p.name for p in new.iterdir()] == ["n"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new", "path"]


def test_exchanging_folders_without_renameat2_takes_two_renames(tmp_path, monkeypatch):
    new, path = tmp_path / "new", tmp_path / "path"
    for folder, name in ((new, "n"), (path, "p")):
        folder.mkdir()
        (folder / name).write_text("")
    monkeypatch.setattr(sys, "platform", "elsewhere")
    exchange_folders(new, path)
    assert [p.name for p in path.iterdir()] == ["n"] and [p.name for p in new.iterdir()] == ["p"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new", "path"]


def test_a_path_given_as_text_is_written_too(tmp_path):
    assert write_text(str(tmp_path / "a.txt"), "x") == Path(tmp_path / "a.txt")
