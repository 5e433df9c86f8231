"""Outputs safe to open: CSV cells Excel would run as formulas, the Parquet keeping raw text."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from policytopics.report.outputs import write_tables


def test_csv_text_cells_that_start_a_formula_are_written_as_text(tmp_path):
    titles = ['=HYPERLINK("http://x","点击")', "+86 热线", "-5 个百分点", "@某人", "\t缩进", "产业链"]
    frame = pd.DataFrame({"doc_id": range(len(titles)), "title": titles, "weight": [-0.5] * len(titles)})
    written = write_tables({"documents": frame, "doc_topics": frame}, tmp_path)
    raw = pd.read_csv(written["documents"], encoding="utf-8-sig", keep_default_na=False)
    assert raw["title"].tolist()[:5] == ["'" + t for t in titles[:5]]
    assert raw["title"].iloc[5] == "产业链"
    assert raw["weight"].tolist() == [-0.5] * len(titles)  # numbers stay numbers
    assert pd.read_parquet(tmp_path / "doc_topics.parquet")["title"].tolist() == titles  # raw text kept


def test_a_carriage_return_at_the_start_is_made_text_too():
    from policytopics.store.writing import excel_safe

    assert excel_safe(pd.DataFrame({"title": ["\r回车"]}))["title"].iloc[0] == "'\r回车"


def test_sample_study_tables_open_safely(sample_study):
    out = sample_study.config.output.tables_dir
    for name in ("documents", "topics", "doc_topics"):
        table = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        for column in table.columns:
            assert not table[column].str.match(r"^[=+@\t\r]").any(), (name, column)


def test_figures_drawn_by_worker_processes_are_the_same_files(sample_study, tmp_path):
    from policytopics.report.outputs import start_figures, write_figures
    from policytopics.settings.config import replace

    config = sample_study.config
    frames = sample_study.figure_frames()

    def drawn_with(workers: int):
        return replace(config, compute=replace(config.compute, workers=workers),
                       output=replace(config.output, figures_dir=tmp_path / str(workers),
                                      figure_formats=("png", "svg")))

    here = write_figures(frames, drawn_with(1))
    wait = start_figures(frames, drawn_with(2))  # two worker processes draw while this goes on
    assert not any((tmp_path / "1" / p.name).stat().st_size == 0 for p in here)
    forked = wait()
    assert [p.name for p in forked] == [p.name for p in here] == [
        p.name for p in sample_study.outputs_["figures"] if p.suffix in (".png", ".svg")]
    for path in forked:
        assert path.parent == tmp_path / "2"
        assert path.read_bytes() == (tmp_path / "1" / path.name).read_bytes(), path.name


def test_figures_that_cannot_show_anything_are_skipped_with_a_reason(sample_study, caplog):
    """One region (every report national) or one period: no one-row heatmap, one-bar chart
    or one-point line; the run log and run.json say which figure was skipped and why."""
    import logging

    from policytopics.report.outputs import figure_jobs, skipped_figures

    frames = sample_study.figure_frames()
    # The samples have four regions and two years, but no region with two documents.
    assert skipped_figures(frames) == {"effects": "effects of 'region + period' not estimated: region has "
                                                  "no level with 2 or more documents: nothing to compare"}
    assert len(figure_jobs(frames, sample_study.config)) == 11
    national = frames["doc_topics"].assign(region="全国")
    from policytopics.estimate.weights import theme_emphasis, theme_weights

    one_region = frames | {
        "doc_topics": national,
        "by_region": theme_weights(national, by="region"),
        "by_region_period": theme_weights(national, by=["region", "period"]),
        "emphasis_by_region": theme_emphasis(national, "region"),
    }
    skipped = skipped_figures(one_region)
    assert set(skipped) == {"theme_weights_by_region", "theme_emphasis_by_region", "coverage_by_region",
                            "regions_over_time_T1", "theme_weights_by_region_year", "effects"}
    assert skipped["coverage_by_region"] == "only one region (全国): nothing to compare"
    with caplog.at_level(logging.DEBUG, logger="policytopics"):
        names = [job[0] for job in figure_jobs(one_region, sample_study.config)]
    assert not set(names) & set(skipped)
    assert "figure coverage_by_region not drawn: only one region (全国)" in caplog.text
    record = json.loads((sample_study.config.output.tables_dir / "run.json").read_text(encoding="utf-8"))
    assert set(record["figures_skipped"]) == {"effects"}


def test_a_long_theme_name_is_shortened_in_figures_only(sample_study):
    from policytopics.report.outputs import FIGURE_LABEL_CHARS, figure_jobs

    frames = sample_study.figure_frames()
    long_name = "T1 " + "先进制造业与现代服务业深度融合发展" * 12
    frames["topic_labels"] = {**frames["topic_labels"], 1: long_name}
    frames["by_period"] = frames["by_period"].assign(
        topic_label=frames["by_period"]["topic_label"].where(frames["by_period"]["topic"] != 1, long_name))
    jobs = {name: (args, kwargs) for name, _, args, kwargs in figure_jobs(frames, sample_study.config)}
    assert max(map(len, jobs["top_words"][1]["topic_labels"].values())) <= FIGURE_LABEL_CHARS
    assert jobs["theme_weights_over_time"][0][0]["topic_label"].str.len().max() <= FIGURE_LABEL_CHARS
    assert frames["topic_labels"][1] == long_name  # the caller's table keeps the full name


def test_many_topics_get_panels_not_one_tangled_chart(sample_study):
    from policytopics.report.figures.registry import COMBINED_MAX_TOPICS
    from policytopics.report.outputs import skipped_figures

    frames = sample_study.figure_frames()
    by_period = frames["by_period"]
    many = pd.concat([by_period.assign(topic=by_period["topic"] + 10 * i) for i in range(3)])
    assert many["topic"].nunique() > COMBINED_MAX_TOPICS
    skipped = skipped_figures(frames | {"by_period": many})
    assert "theme_panels_over_time" in skipped["theme_weights_over_time"]
    assert "theme_panels_over_time" not in skipped


def test_a_figure_this_run_cannot_draw_is_not_left_from_an_earlier_run(sample_study, tmp_path):
    from dataclasses import replace

    from policytopics.estimate.weights import theme_weights
    from policytopics.report.outputs import write_figures

    frames = sample_study.figure_frames()
    national = frames["doc_topics"].assign(region="全国")
    frames = frames | {"doc_topics": national, "by_region": theme_weights(national, by="region"),
                       "by_region_period": theme_weights(national, by=["region", "period"])}
    folder = tmp_path / "figures"
    folder.mkdir()
    (folder / "theme_weights_by_region.png").write_bytes(b"old")
    (folder / "theme_weights_by_region.csv").write_text("not a figure")
    config = sample_study.config
    config = replace(config, output=replace(config.output, figures_dir=folder, figure_formats=("png",)))
    written = write_figures(frames, config)
    assert not (folder / "theme_weights_by_region.png").exists()
    assert (folder / "theme_weights_by_region.csv").exists()  # only figure files are removed
    assert all(p.exists() for p in written) and "theme_weights_by_region.png" not in {p.name for p in written}


def test_a_figure_whose_inputs_did_not_change_is_copied_not_drawn_again(sample_study, tmp_path, monkeypatch):
    from policytopics.report import outputs
    from policytopics.settings.config import replace

    config = sample_study.config
    config = replace(config, compute=replace(config.compute, workers=1),  # drawn here: _draw is patched
                     output=replace(config.output, figures_dir=tmp_path / "figures",
                                    cache_dir=tmp_path / "cache", figure_formats=("png",)))
    frames = sample_study.figure_frames()
    first = outputs.write_figures(frames, config)
    drawn_first = {p.name: p.read_bytes() for p in first}
    for path in first:
        path.unlink()

    def no_drawing(jobs, folder, formats):
        assert not jobs, [job[0] for job in jobs]
        return []

    monkeypatch.setattr(outputs, "_draw", no_drawing)
    again = outputs.write_figures(frames, config)  # every figure from the cache
    assert {p.name: p.read_bytes() for p in again} == drawn_first
    # A changed table is drawn again: only the figures that draw it.
    changed = {**frames, "documents": frames["documents"].iloc[1:]}
    with pytest.raises(AssertionError, match="coverage_by_period"):
        outputs.write_figures(changed, config)


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
    from policytopics.report import outputs

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

    real_write_csv = outputs.write_csv
    monkeypatch.setattr(outputs, "write_csv", write_csv)
    with pytest.raises(KeyboardInterrupt):
        Study(_config(repo, out, cache, n_topics=4), progress=False).run()
    assert _files(out) == before  # the K = 3 run, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "out"]  # no temporary left

    monkeypatch.setattr(outputs, "write_csv", real_write_csv)
    result = Study(_config(repo, out, cache, n_topics=4), progress=False).run()
    after = _files(out)
    record = json.loads(after["run.json"])
    assert record["settings"]["model"]["n_topics"] == 4
    assert list(pd.read_parquet(out / "doc_topics.parquet").columns[-4:]) == ["T1", "T2", "T3", "T4"]
    assert after["notes.txt"] == b"mine" and after["figures/drawn_by_hand.png"] == b"mine"
    assert set(after) - {"notes.txt", "figures/drawn_by_hand.png"} == {
        p.relative_to(out).as_posix() for p in [*result["tables"].values(), result["explorer"],
                                                 result["run_record"], *result["figures"]]
    } | {f"{name}.parquet" for name in result["tables"] if name.startswith(outputs.PARQUET_TABLES)} | {
        outputs.MANIFEST}
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
    from policytopics.report import outputs

    out = tmp_path / "out"
    common = ["run", "--corpus", str(samples), "--topics", "3", "--study", str(repo / "study.toml"),
              "--out", str(out), "--cache-dir", str(tmp_path / "cache"), "--formats", "png", "--no-progress",
              "-q"]
    assert main(common) == 0
    before = _files(out)

    def full(frame, path):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(outputs, "write_csv", full)
    assert main([*common[:4], "4", *common[5:]]) == 2
    message = capsys.readouterr().err
    assert message.strip().splitlines() == [f"policytopics: error: No space left on device while writing the "
                                            f"outputs; the output folder keeps its earlier run: {out}"]
    assert _files(out) == before


def test_every_table_a_run_writes_is_one_it_owns(sample_study):
    from policytopics.report.outputs import RUN_TABLES, is_run_figure

    assert set(sample_study.tables()) <= set(RUN_TABLES)
    assert all(is_run_figure(p.name) for p in sample_study.outputs_["figures"])
    assert not is_run_figure("k_selection.png") and is_run_figure("effect_levels_region.pdf")


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
    from policytopics.report.outputs import MANIFEST, read_manifest

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


def test_the_tables_a_study_names_are_written_beside_its_figures(repo, tmp_path):
    # The example studies keep the numbers their README's claims are drawn from beside the
    # figures, so a test can hold each claim to them (#36).
    from policytopics import Study

    out, cache = tmp_path / "out", tmp_path / "cache"
    written = Study(_config(repo, out, cache, n_topics=3,
                            output__figure_tables=["theme_emphasis_by_region"]), progress=False).run()
    beside = out / "figures" / "theme_emphasis_by_region.csv"
    assert beside.read_bytes() == (out / "theme_emphasis_by_region.csv").read_bytes()
    assert written["tables"]["figures/theme_emphasis_by_region"] == beside
    # A run that no longer asks for it takes it away, as it does a figure it no longer draws.
    Study(_config(repo, out, cache, n_topics=3), progress=False).run()
    assert not beside.exists() and (out / "theme_emphasis_by_region.csv").is_file()
    for name in ("documents", "topics", "no_such_table"):  # the corpus's text is never put there
        with pytest.raises(ValueError, match=rf"figure_tables: '{name}' is not a table of numbers"):
            Study(_config(repo, out, cache, output__figure_tables=[name]), progress=False).run()
