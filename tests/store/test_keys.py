"""Cache keys: stable hashes, files by content, code versions from a module's import closure."""

from __future__ import annotations

import shutil

from policytopics.store import keys


def test_stable_hash_is_stable_and_hashes_a_file_by_content(tmp_path):
    first, second = tmp_path / "a" / "themes.toml", tmp_path / "b" / "other.toml"
    first.parent.mkdir()
    first.write_text("[t]\nwords = ['产业']\n", encoding="utf-8")
    second.parent.mkdir()
    shutil.copy(first, second)
    assert keys.stable_hash("x", {"n": 1}) == keys.stable_hash("x", {"n": 1})
    assert keys.stable_hash(first) == keys.stable_hash(second)
    # A file inside the settings is read too: its content counts, not where it is.
    assert keys.stable_hash({"themes": first}) == keys.stable_hash({"themes": second})
    second.write_text("[t]\nwords = ['制造']\n", encoding="utf-8")
    assert keys.stable_hash({"themes": first}) != keys.stable_hash({"themes": second})


def test_file_fingerprint_follows_content_and_name(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("一", encoding="utf-8")
    before = keys.file_fingerprint([(path, "a.txt")])
    assert keys.file_fingerprint([(path, "a.txt")]) == before
    assert keys.file_fingerprint([(path, "b.txt")]) != before
    path.write_text("二二", encoding="utf-8")
    assert keys.file_fingerprint([(path, "a.txt")]) != before


def test_module_imports_read_imports_inside_functions_and_submodules():
    imports = keys.module_imports("text.documents")
    assert "text.clean" in imports or "text.clean" in keys.import_closure("text.documents")
    # model.engines' registry imports each engine inside a function: it is still read.
    assert "model.engines.keyatm" in keys.import_closure("model.topic_model")


def test_import_closure_stays_within_the_lower_layers():
    closure = keys.import_closure("text.documents")
    assert {"text.documents", "text.clean", "read.files"} <= set(closure)
    assert not [module for module in closure if module.split(".")[0] in ("model", "report", "study")]


def test_code_version_of_a_function_follows_its_closure(monkeypatch):
    from policytopics.text.documents import document_report

    before = keys.code_version_of(document_report)
    assert keys.code_version_of(document_report) == before
    digest = keys.source_digest
    monkeypatch.setattr(keys, "source_digest",
                        lambda name: "edited" if name == "report.figures.themes" else digest(name))
    assert keys.code_version_of(document_report) == before
    monkeypatch.setattr(keys, "source_digest",
                        lambda name: "edited" if name == "text.clean" else digest(name))
    assert keys.code_version_of(document_report) != before


def test_code_version_of_the_whole_package_sees_every_module(monkeypatch):
    before = keys.code_version()
    digest = keys.source_digest
    monkeypatch.setattr(keys, "source_digest",
                        lambda name: "edited" if name == "report.figures.themes" else digest(name))
    assert keys.code_version() != before
