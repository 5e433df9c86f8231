"""Checksums of cached files and folders: kept when written, a damaged entry found, named once
and removed."""

from __future__ import annotations

import hashlib
import json
import logging

import pandas as pd

from policytopics.store.checksums import (
    CHECKSUMS_FILE,
    checksum_file,
    damage,
    discard,
    file_digest,
    keep_checksums,
    read_cached_parquet,
    verified,
)


def test_a_file_digest_is_the_sha256_of_its_bytes(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"\x00\xff" * (1 << 20))  # more than one block
    assert file_digest(path) == hashlib.sha256(path.read_bytes()).hexdigest()
    assert file_digest(str(path)) == file_digest(path)


def test_a_cached_file_keeps_its_checksum_beside_it(tmp_path):
    path = tmp_path / "a.parquet"
    path.write_bytes(b"table")
    assert keep_checksums(path) == checksum_file(path) == tmp_path / "a.parquet.sha256"
    assert checksum_file(path).read_text() == file_digest(path)
    assert damage(path) is None and verified(path, "tokens")
    path.write_bytes(b"tablf")
    assert damage(path) == "a.parquet does not match its checksum"


def test_a_cached_folder_keeps_the_checksums_of_its_files(tmp_path):
    folder = tmp_path / "model"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.npy").write_bytes(b"a")
    (folder / "sub" / "b.json").write_bytes(b"b")
    assert keep_checksums(folder) == checksum_file(folder) == folder / CHECKSUMS_FILE
    assert json.loads((folder / CHECKSUMS_FILE).read_text(encoding="utf-8")) == {
        "a.npy": file_digest(folder / "a.npy"), "sub/b.json": file_digest(folder / "sub" / "b.json")}
    assert damage(folder) is None
    (folder / "c.txt").write_text("")
    assert damage(folder) == "c.txt was not written with it"
    (folder / "c.txt").unlink()
    (folder / "sub" / "b.json").write_bytes(b"c")
    assert damage(folder) == "sub/b.json does not match its checksum"
    (folder / "sub" / "b.json").unlink()
    assert damage(folder) == "sub/b.json is missing"
    (folder / CHECKSUMS_FILE).write_text("{", encoding="utf-8")
    assert damage(folder).startswith("its checksums cannot be read (")


def test_a_damaged_entry_is_removed_and_named_once_per_stage(tmp_path, caplog):
    first, second = tmp_path / "a.parquet", tmp_path / "b.parquet"
    for path in (first, second):
        path.write_bytes(b"table")
        keep_checksums(path)
        path.write_bytes(b"truncated")
    warned: set[str] = set()
    with caplog.at_level(logging.INFO, logger="policytopics"):
        assert not verified(first, "tokens", warned)
        assert not verified(second, "tokens", warned)
    assert warned == {"tokens"}
    assert [r.getMessage() for r in caplog.records] == [
        f"tokens: the cached {first} is damaged (a.parquet does not match its checksum); rebuilding it"]
    assert list(tmp_path.iterdir()) == []  # each file with its checksum


def test_an_entry_without_checksums_is_rebuilt_quietly(tmp_path, caplog):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "corpus.mm").write_text("")
    with caplog.at_level(logging.INFO, logger="policytopics"):
        assert not verified(folder, "corpus")
        assert not verified(tmp_path / "absent", "corpus")
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("INFO", f"corpus: the cached {folder} has no checksums; rebuilding it")]
    assert not folder.exists()


def test_discard_removes_a_file_with_its_checksum_or_a_folder(tmp_path):
    path = tmp_path / "a.parquet"
    path.write_bytes(b"x")
    keep_checksums(path)
    discard(path)
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "a").write_text("")
    discard(folder)
    discard(tmp_path / "absent")
    assert list(tmp_path.iterdir()) == []


def test_a_cached_table_is_read_or_removed_when_unreadable(tmp_path, caplog):
    path = tmp_path / "a.parquet"
    assert read_cached_parquet(path) is None
    pd.DataFrame({"a": [1]}).to_parquet(path, index=False)
    assert read_cached_parquet(path)["a"].tolist() == [1]
    path.write_bytes(b"not parquet")
    assert read_cached_parquet(path) is None and not path.exists()
    assert f"cache file {path} is unreadable; rebuilding it" in caplog.text
