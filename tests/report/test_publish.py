"""Publishing a run: folders checked, staged and swapped in whole; a failed run leaves the
earlier one."""

from __future__ import annotations

import json

import pandas as pd
import pytest


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _config(repo, out, cache, **overrides):
    from policytopics import load_study

    return load_study(repo / "study.toml", out=out, output__cache_dir=cache, output__figure_formats=["png"],
                      **overrides)


def test_an_interrupted_run_leaves_the_earlier_run_whole_and_a_finished_one_replaces_it(repo, tmp_path,
                                                                                        monkeypatch):
    # An interrupted rerun into an existing output folder left K = 5 tables beside a K = 3
    # run.json (#31): a run's folders are written beside the old ones and swapped in whole.
    from policytopics import Study
    from policytopics.report import output_tables, publish

    out, cache = tmp_path / "out", tmp_path / "cache"
    Study(_config(repo, out, cache, n_topics=3), progress=False).run()
    (out / "notes.txt").write_text("mine")  # the user's files stay
    (out / "figures" / "drawn_by_hand.png").write_bytes(b"mine")
    before = _files(out)
    written = []

    def write_csv(frame, path):
        if len(written) == 4:
            raise KeyboardInterrupt  # Ctrl-C halfway through the tables
        written.append(path)
        return real_write_csv(frame, path)

    real_write_csv = output_tables.write_csv
    monkeypatch.setattr(output_tables, "write_csv", write_csv)
    with pytest.raises(KeyboardInterrupt):
        Study(_config(repo, out, cache, n_topics=4), progress=False).run()
    assert _files(out) == before  # the K = 3 run, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "out"]  # no temporary left

    monkeypatch.setattr(output_tables, "write_csv", real_write_csv)
    result = Study(_config(repo, out, cache, n_topics=4), progress=False).run()
    after = _files(out)
    record = json.loads(after["run.json"])
    assert record["settings"]["model"]["n_topics"] == 4
    assert list(pd.read_parquet(out / "doc_topics.parquet").columns[-4:]) == ["T1", "T2", "T3", "T4"]
    assert after["notes.txt"] == b"mine" and after["figures/drawn_by_hand.png"] == b"mine"
    assert set(after) - {"notes.txt", "figures/drawn_by_hand.png"} == {
        p.relative_to(out).as_posix() for p in [*result["tables"].values(), result["explorer"],
                                                 result["run_record"], *result["figures"]]
    } | {f"{name}.parquet" for name in result["tables"] if name.startswith(output_tables.PARQUET_TABLES)} | {
        publish.MANIFEST}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "out"]


def test_a_table_only_some_runs_write_is_not_left_by_a_later_run(repo, tmp_path):
    from policytopics import Study

    themes = tmp_path / "themes.toml"
    themes.write_text('["制造"]\nwords = ["制造业", "产业"]\n', encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    Study(_config(repo, out, cache, n_topics=3, model__themes=themes), progress=False).run()
    assert (out / "theme_seeds.csv").is_file()
    (out / "k_selection.csv").write_text("k\n3\n")  # the sweep's, not the run's
    Study(_config(repo, out, cache, n_topics=3), progress=False).run()
    assert not (out / "theme_seeds.csv").exists()
    assert (out / "k_selection.csv").read_text() == "k\n3\n"


def test_a_full_disk_while_writing_names_the_output_folder(repo, samples, tmp_path, monkeypatch, capsys):
    import errno

    from policytopics.cli import main
    from policytopics.report import output_tables

    out = tmp_path / "out"
    common = ["run", "--corpus", str(samples), "--topics", "3", "--study", str(repo / "study.toml"),
              "--out", str(out), "--cache-dir", str(tmp_path / "cache"), "--formats", "png", "--no-progress",
              "-q"]
    assert main(common) == 0
    before = _files(out)

    def full(frame, path):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output_tables, "write_csv", full)
    assert main([*common[:4], "4", *common[5:]]) == 2
    message = capsys.readouterr().err
    assert message.strip().splitlines() == [f"policytopics: error: No space left on device while writing the "
                                            f"outputs; the output folder keeps its earlier run: {out}"]
    assert _files(out) == before


def _study_folder(samples, folder):
    """A study folder of one's own: study.toml, articles/ and a note."""
    import shutil

    shutil.copytree(samples, folder / "articles")
    (folder / "study.toml").write_text('[corpus]\npaths = ["articles"]\n[model]\nn_topics = 2\n'
                                       '[output]\nfigure_formats = []\n', encoding="utf-8")
    (folder / "notes.md").write_text("mine", encoding="utf-8")
    return folder


@pytest.mark.parametrize("out", [".", "..", "articles/..", "sub"])
def test_an_output_folder_that_holds_the_study_or_its_corpus_is_refused(samples, tmp_path, monkeypatch,
                                                                           capsys, out):
    # --out . rebuilt the whole study folder by hard links and swapped it in (#37): a shell
    # sitting in it was left in a deleted folder, and a disk mounted in it lost its files.
    from policytopics.cli import main

    folder = _study_folder(samples, tmp_path / "study")
    if out == "sub":  # a corpus file inside the output folder
        (folder / "sub").mkdir()
        (folder / "sub" / "more.txt").write_text((samples / sorted(p.name for p in samples.iterdir())[0])
                                                 .read_text(encoding="utf-8"), encoding="utf-8")
        corpus = ["--corpus", "articles", "sub/more.txt"]
    else:
        corpus = []
    monkeypatch.chdir(folder)
    before, inode = _files(tmp_path), folder.stat().st_ino
    assert main(["run", "--out", out, *corpus, "--no-progress", "-q"]) == 2
    message = capsys.readouterr().err
    assert "--out" in message and "a folder of their own" in message, message
    assert ("holds the corpus" if out == "sub" else "the study's folder") in message
    assert _files(tmp_path) == before and folder.stat().st_ino == inode


def test_an_output_folder_in_the_cache_is_refused(samples, tmp_path, monkeypatch, capsys):
    from policytopics.cli import main

    folder = _study_folder(samples, tmp_path / "study")
    monkeypatch.chdir(folder)
    assert main(["run", "--out", ".cache/results", "--no-progress", "-q"]) == 2
    assert "is in the cache folder" in capsys.readouterr().err


def test_a_folder_of_run_files_only_is_swapped_and_one_with_other_files_is_written_file_by_file(
        repo, tmp_path):
    from policytopics import Study
    from policytopics.report.publish import MANIFEST, read_manifest

    out, cache = tmp_path / "out", tmp_path / "out" / "cache"
    Study(_config(repo, out, tmp_path / "cache", n_topics=3), progress=False).run()
    assert read_manifest(out) == set(_files(out)) - {MANIFEST}
    inode = out.stat().st_ino
    Study(_config(repo, out, tmp_path / "cache", n_topics=3), progress=False).run()
    assert out.stat().st_ino != inode  # only a run's files: swapped whole, in one rename

    # The cache inside it, and a note: never swapped, the run's files renamed in one by one.
    (out / "notes.txt").write_text("mine")
    inode, figures = out.stat().st_ino, (out / "figures").stat().st_ino
    Study(_config(repo, out, cache, n_topics=3), progress=False).run()
    Study(_config(repo, out, cache, n_topics=4), progress=False).run()
    assert (out.stat().st_ino, (out / "figures").stat().st_ino) == (inode, figures)
    assert (out / "notes.txt").read_text() == "mine" and (cache / "model").is_dir()
    assert list(pd.read_parquet(out / "doc_topics.parquet").columns[-4:]) == ["T1", "T2", "T3", "T4"]
    assert read_manifest(out) == set(_files(out)) - {MANIFEST, "notes.txt"} - {
        name for name in _files(out) if name.startswith("cache/")}


def test_a_folder_with_a_disk_mounted_below_it_is_never_swapped(repo, tmp_path, monkeypatch):
    # A data disk mounted at out/figures: the swap left the mount under a hidden folder that was
    # then removed with the files on that disk (#37). A real mount needs root; os.path.ismount
    # is what the rule asks.
    import os

    from policytopics import Study

    out, cache = tmp_path / "out", tmp_path / "cache"
    Study(_config(repo, out, cache, n_topics=3), progress=False).run()
    mounted = os.path.abspath(out / "figures")
    real_ismount = os.path.ismount
    monkeypatch.setattr(os.path, "ismount",
                        lambda path: os.path.abspath(path) == mounted or real_ismount(path))
    inodes = out.stat().st_ino, (out / "figures").stat().st_ino
    Study(_config(repo, out, cache, n_topics=4), progress=False).run()
    assert (out.stat().st_ino, (out / "figures").stat().st_ino) == inodes
    assert list(pd.read_parquet(out / "doc_topics.parquet").columns[-4:]) == ["T1", "T2", "T3", "T4"]


@pytest.mark.parametrize("stage", ["tokens", "figures"])
def test_a_full_disk_while_writing_the_cache_names_the_cache_not_the_outputs(repo, samples, tmp_path,
                                                                             monkeypatch, capsys, stage):
    # A full disk holding the cache blamed the outputs (#37): a cached stage (tokens) or a
    # cached figure, written while the outputs are, fails with ENOSPC as file.write() does,
    # naming no file.
    import errno

    from policytopics.cli import main
    from policytopics.store import writing as cache_module

    out, cache = tmp_path / "out", tmp_path / "cache"
    real = cache_module.atomic_write

    def full_in_the_cache(path, write):
        def no_space(tmp):
            raise OSError(errno.ENOSPC, "No space left on device")

        return real(path, no_space if (cache / stage) in path.parents else write)

    monkeypatch.setattr(cache_module, "atomic_write", full_in_the_cache)
    assert main(["run", "--corpus", str(samples), "--topics", "3", "--study", str(repo / "study.toml"),
                 "--out", str(out), "--cache-dir", str(cache), "--formats", "png", "--no-progress",
                 "-q"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "policytopics: error: No space left on device while writing the cache (--cache-dir, [output] "
        f"cache_dir); the stages already finished are kept: {cache}"]
