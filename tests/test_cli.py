import os
import re
import subprocess
import sys

import pandas as pd
import pytest

from policytopics.cli import main


@pytest.mark.parametrize("command", [[], ["run"], ["sweep"], ["ingest"]])
def test_help_explains_every_option(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    for option in {"run": ["--corpus", "--topics", "--seed", "--limit", "--out"],
                   "sweep": ["--topics", "--seeds", "--workers", "--out", "--cache-dir"],
                   "ingest": ["--out", "--text-column"]}.get(command[0] if command else "", []):
        assert option in text


def test_run_on_samples_writes_figures(repo, samples, tmp_path, capsys):
    code = main(["run", "--corpus", str(samples), "--topics", "3", "--out", str(tmp_path),
                 "--study", str(repo / "study.toml"), "--cache-dir", str(tmp_path / "cache"),
                 "--no-progress", "-q"])
    assert code == 0
    assert (tmp_path / "figures" / "theme_weights_by_region.png").is_file()
    out = capsys.readouterr().out
    assert "kept: 5" in out
    assert f"topic explorer (open it in a browser): {tmp_path / 'topic_explorer.html'}" in out


def test_formats_choose_the_figure_files_and_none_draws_none(repo, samples, tmp_path, capsys):
    common = ["--corpus", str(samples), "--topics", "3", "--study", str(repo / "study.toml"),
              "--cache-dir", str(tmp_path / "cache"), "--no-progress", "-q"]
    assert main(["run", *common, "--out", str(tmp_path / "png"), "--formats", "png"]) == 0
    suffixes = {p.suffix for p in (tmp_path / "png" / "figures").iterdir()}
    assert suffixes == {".png"}
    assert main(["run", *common, "--out", str(tmp_path / "none"), "--formats", "none"]) == 0
    assert not (tmp_path / "none" / "figures").exists() and (tmp_path / "none" / "doc_topics.csv").is_file()
    with pytest.raises(SystemExit) as exit_info:
        main(["run", *common, "--formats", "png,jpg"])
    assert exit_info.value.code == 2 and "png, svg, pdf" in capsys.readouterr().err


def test_sweep_on_samples_writes_one_row_per_k_and_suggests_one(repo, samples, tmp_path, capsys):
    code = main(["sweep", "--topics", "2:3", "--seeds", "1", "--workers", "1", "--corpus", str(samples),
                 "--out", str(tmp_path), "--study", str(repo / "study.toml"),
                 "--cache-dir", str(tmp_path / "cache"), "--no-progress", "-q"])
    assert code == 0
    by_k = pd.read_csv(tmp_path / "k_selection.csv", encoding="utf-8-sig")
    assert by_k["k"].tolist() == [2, 3]
    assert by_k[["npmi", "diversity"]].notna().all().all()
    runs = pd.read_csv(tmp_path / "k_selection_runs.csv", encoding="utf-8-sig")
    assert sorted(runs["k"]) == [2, 3]  # one seed per K
    out = capsys.readouterr().out
    suggested = re.search(r"suggested K: (\d+)\.", out)
    from policytopics.model.choose_k import suggest_k

    # The K the run names is the one its own table's scores give (not merely one of the grid).
    assert suggested and int(suggested.group(1)) == suggest_k(by_k)[0]
    assert (tmp_path / "figures" / "k_selection.png").is_file()
    assert f"written: {tmp_path / 'k_selection.csv'}" in out


def test_sweep_takes_themes_and_says_what_is_wrong_with_its_topic_counts(repo, samples, tmp_path, capsys):
    common = ["--corpus", str(samples), "--out", str(tmp_path), "--study", str(repo / "study.toml"),
              "--cache-dir", str(tmp_path / "cache"), "--no-progress", "-q"]
    assert main(["sweep", "--topics", "30:4:2", *common]) == 2
    assert "the start 30 is above the stop 4" in capsys.readouterr().err
    assert main(["sweep", "--topics", "abc", *common]) == 2
    assert "not whole numbers" in capsys.readouterr().err
    themes = repo / "data" / "themes" / "manufacturing_policy.toml"
    assert main(["sweep", "--topics", "4:8:2", "--themes", str(themes), *common]) == 2
    assert "smallest K, 4, is below the 10 seeded themes" in capsys.readouterr().err


def test_ingest_writes_the_report(samples, tmp_path):
    out = tmp_path / "docs.csv"
    assert main(["ingest", str(samples), "--out", str(out), "--no-progress", "-q"]) == 0
    report = pd.read_csv(out, encoding="utf-8-sig")
    for column in ("doc_id", "source", "status", "reason", "title", "date", "region", "n_chars", "text"):
        assert column in report.columns
    assert len(report) == 5


def test_bad_input_gives_a_clear_message(tmp_path, capsys):
    assert main(["run", "--corpus", str(tmp_path / "missing"), "-q"]) == 2
    assert "corpus path not found" in capsys.readouterr().err


@pytest.mark.parametrize("command, flags, named", [
    ("run", ["--limit", "-5"], "[corpus] limit must be at least 0 (--limit"),
    ("run", ["--topics", "10000"], "[model] n_topics (--topics) must be at most 200"),
    ("ingest", ["--limit", "-5"], "[corpus] limit must be at least 0 (--limit"),
    ("sweep", ["--topics", "2:10000"], "--topics: topic counts must be from 2 to 200"),
    ("sweep", ["--topics", "4:30:0"], "--topics: topic counts are START:STOP:STEP"),
])
def test_a_wrong_flag_is_one_line_before_any_work(samples, tmp_path, capsys, monkeypatch, command, flags,
                                                  named):
    """#31: --limit -5 read every document; --topics 10000 ran out of memory after the fit."""
    from policytopics.text import documents

    monkeypatch.setattr(documents, "document_report", lambda *a, **k: pytest.fail("worked before checking"))
    where = ["--out", str(tmp_path / ("docs.csv" if command == "ingest" else "out"))]
    corpus = [str(samples)] if command == "ingest" else ["--corpus", str(samples)]
    assert main([command, *corpus, *where, *flags, "--no-progress", "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("policytopics: error: ") and named in err and "\n" not in err


def test_a_section_given_as_a_value_is_one_line(tmp_path, capsys):
    study = tmp_path / "study.toml"
    study.write_text("model = 5\n", encoding="utf-8")
    assert main(["run", "--study", str(study), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == ("policytopics: error: model must be a section of settings ([model] and its keys "
                   "below it), got model = 5")


def test_console_script_is_installed():
    result = subprocess.run([sys.executable, "-m", "policytopics.cli", "--help"],
                            capture_output=True, text=True, check=True)
    assert "run" in result.stdout and "ingest" in result.stdout


def _run_args(repo, samples, tmp_path, *extra):
    return ["run", "--corpus", str(samples), "--topics", "3", "--study", str(repo / "study.toml"),
            "--no-progress", "-q", *extra]


@pytest.mark.parametrize("where", ["out_is_a_file", "out_under_a_file", "cache_is_read_only"])
def test_unwritable_output_or_cache_is_one_line_before_any_work(repo, samples, tmp_path, capsys,
                                                                monkeypatch, where):
    """Checked before reading a document: one line naming the flag and the path, exit 2."""
    from policytopics.text import documents

    monkeypatch.setattr(documents, "document_report", lambda *a, **k: pytest.fail("worked before checking"))
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    out, cache = tmp_path / "out", tmp_path / "cache"
    if where == "out_is_a_file":
        out = a_file
    elif where == "out_under_a_file":
        out = a_file / "out"
    else:
        cache.mkdir()
        cache.chmod(0o500)
        if os.access(cache, os.W_OK):  # root ignores the mode bits
            pytest.skip("this user can write a read-only folder")
    code = main(_run_args(repo, samples, tmp_path, "--out", str(out), "--cache-dir", str(cache)))
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.count("\n") == 0 and err.startswith("policytopics: error: ")
    assert "Traceback" not in err
    assert ("cache folder" if where == "cache_is_read_only" else "output folder") in err


def test_more_themes_than_topics_fails_before_any_work(repo, samples, tmp_path, capsys, monkeypatch):
    from policytopics.text import documents

    monkeypatch.setattr(documents, "document_report", lambda *a, **k: pytest.fail("worked before checking"))
    themes = str(repo / "data/themes/manufacturing_policy.toml")
    code = main(_run_args(repo, samples, tmp_path, "--out", str(tmp_path / "out"), "--cache-dir",
                          str(tmp_path / "cache"), "--themes", themes))
    err = capsys.readouterr().err
    assert code == 2
    assert "10 seeded themes" in err and "n_topics is 3" in err


def test_ctrl_c_stops_with_one_line(repo, samples, tmp_path, capsys, monkeypatch):
    from policytopics.study import study as pipeline

    def interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline.Study, "model", interrupted)
    code = main(_run_args(repo, samples, tmp_path, "--out", str(tmp_path / "out"),
                          "--cache-dir", str(tmp_path / "cache")))
    err = capsys.readouterr().err.strip()
    assert code == 130 and err.startswith("policytopics: interrupted") and "\n" not in err


def test_more_topics_than_units_is_a_clear_warning(repo, samples, tmp_path, caplog):
    import logging

    args = _run_args(repo, samples, tmp_path, "--out", str(tmp_path / "out"), "--cache-dir",
                     str(tmp_path / "cache"), "--formats", "none")
    args[args.index("--topics") + 1] = "8"
    with caplog.at_level(logging.WARNING, logger="policytopics"):
        code = main(args)
    assert code == 0
    assert "8 topics for 5 units of text" in caplog.text


def _small_corpus(folder):
    folder.mkdir()
    text = "推动制造业高质量发展，加快建设现代化产业体系。" * 4
    pd.DataFrame({"标题": ["甲", "乙"], "正文": [text, "=HYPERLINK(1)" + text[::-1]]}).to_csv(
        folder / "docs.csv", index=False)
    return folder


def test_ingest_refuses_to_write_its_report_onto_or_among_its_inputs(tmp_path, capsys):
    """#31: ``ingest docs.csv --out docs.csv`` overwrote the input table; now it stops before
    any work, and so does a report inside an input folder (read as articles next time)."""
    corpus = _small_corpus(tmp_path / "corpus")
    table = corpus / "docs.csv"
    before = table.read_bytes()
    assert main(["ingest", str(table), "--out", str(table), "--no-progress", "-q"]) == 2
    assert f"--out {table} is the input {table}: the report would overwrite" in capsys.readouterr().err
    assert main(["ingest", str(corpus), "--out", str(corpus / "report.csv"), "--no-progress", "-q"]) == 2
    assert f"lies in the input folder {corpus}" in capsys.readouterr().err
    assert table.read_bytes() == before and sorted(p.name for p in corpus.iterdir()) == ["docs.csv"]


def test_ingest_writes_the_report_in_the_format_of_its_suffix(tmp_path, capsys):
    """#31: ``--out report.xlsx`` wrote CSV bytes under an Excel name; now a real workbook
    (formulas made text), Parquet by suffix, and any other suffix refused before work."""
    corpus = _small_corpus(tmp_path / "corpus")
    for name in ("report.csv", "report.xlsx", "report.parquet"):
        assert main(["ingest", str(corpus), "--out", str(tmp_path / name), "--no-progress", "-q"]) == 0
    as_csv = pd.read_csv(tmp_path / "report.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    as_xlsx = pd.read_excel(tmp_path / "report.xlsx", engine="openpyxl", dtype=str, keep_default_na=False)
    assert (tmp_path / "report.xlsx").read_bytes()[:2] == b"PK"
    assert as_xlsx.to_dict("records") == as_csv.to_dict("records")
    assert as_xlsx["title"].tolist() == ["甲", "乙"] and as_xlsx["text"].str.startswith("'=").sum() == 1
    assert pd.read_parquet(tmp_path / "report.parquet")["title"].tolist() == ["甲", "乙"]
    assert main(["ingest", str(corpus), "--out", str(tmp_path / "report.txt"), "--no-progress", "-q"]) == 2
    assert ("the report is written as .csv, .xlsx, .parquet (by the suffix), not .txt"
            in capsys.readouterr().err)
    assert not (tmp_path / "report.txt").exists()


def test_quick_run_answers_first_and_a_full_run_adds_the_rest_from_the_same_fit(repo, samples, tmp_path,
                                                                                 capsys):
    """--quick: the topics printed as soon as the fit is there, every table with point
    estimates (no interval), the main figures in PNG, no explorer; the same command without
    --quick reuses the fit and writes the rest."""
    import json

    from policytopics.study.study import QUICK_FIGURES

    common = ["run", "--corpus", str(samples), "--topics", "3", "--out", str(tmp_path / "out"),
              "--study", str(repo / "study.toml"), "--cache-dir", str(tmp_path / "cache"),
              "--no-progress", "-q"]
    assert main([*common, "--quick"]) == 0
    out = capsys.readouterr().out
    assert out.index("topics: 3") < out.index("writing tables with point estimates") < out.index("tables in")
    assert "quick run: point estimates without intervals" in out
    figures = {p.name for p in (tmp_path / "out" / "figures").iterdir()}
    assert figures and {p.rsplit(".", 1)[1] for p in figures} == {"png"}
    assert {p.rsplit(".", 1)[0] for p in figures} <= set(QUICK_FIGURES)
    assert not (tmp_path / "out" / "topic_explorer.html").exists()
    weights = pd.read_csv(tmp_path / "out" / "theme_weights_by_region.csv", encoding="utf-8-sig")
    assert weights[["ci_low", "ci_high"]].isna().all().all() and set(weights["interval"]) == {"quick"}
    record = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert record["quick"] is True and "theme_weights_by_region" in record["figures_left_out"]
    # The study's settings as given (intervals on); what the quick run changed, apart.
    assert record["settings"]["weights"]["uncertainty"] == "global"
    quick = record["quick_settings"]
    assert quick["weights.uncertainty"] == "none" and quick["output.figure_formats"] == ["png"]
    assert not quick["explorer"]

    assert main(common) == 0
    out = capsys.readouterr().out
    assert "intervals (500 draws)" in out and "quick run" not in out
    record = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert record["quick"] is False and record["cache_hits"]["model"] is True
    assert (tmp_path / "out" / "topic_explorer.html").is_file()
    figures = {p.name for p in (tmp_path / "out" / "figures").iterdir()}
    assert {"theme_weights_by_region.png", "theme_weights_by_region.svg", "top_words.pdf"} <= figures
    weights = pd.read_csv(tmp_path / "out" / "theme_weights_by_region.csv", encoding="utf-8-sig")
    assert weights["ci_low"].notna().any()


def test_a_run_on_another_corpus_writes_to_a_folder_of_its_own(samples, tmp_path, monkeypatch, capsys):
    # `policytopics run --corpus …` in this repository rewrote 33 committed figures (#36): a
    # --corpus that is not the study file's gets a folder of its own unless --out is given.
    import shutil

    from policytopics.cli import main

    study = tmp_path / "study"
    (study / "figures").mkdir(parents=True)
    (study / "figures" / "top_words.png").write_bytes(b"the study's own")
    (study / "study.toml").write_text('[corpus]\npaths = ["articles"]\n[model]\nn_topics = 2\n'
                                      '[output]\nfigure_formats = ["png"]\n', encoding="utf-8")
    shutil.copytree(samples, tmp_path / "mine")
    monkeypatch.chdir(study)
    assert main(["run", "--corpus", "../mine", "--no-progress", "-q"]) == 0
    said = capsys.readouterr().out
    own = study / "outputs" / "corpora" / "mine"
    assert "this run writes to outputs/corpora/mine/" in said
    assert (own / "documents.csv").is_file() and (own / "figures" / "top_words.png").is_file()
    assert (study / "figures" / "top_words.png").read_bytes() == b"the study's own"
    assert not (study / "outputs" / "documents.csv").exists()


def test_ingest_to_an_excel_file_on_a_full_disk_says_so_in_one_line(samples, tmp_path):
    # ingest --out x.xlsx on a full disk printed an "Exception ignored" traceback from
    # openpyxl's zip file (#37). /dev/full fails every write with ENOSPC, as a full disk does.
    import subprocess
    import sys

    driver = """
import sys
from pathlib import Path
from policytopics.store import writing as cache
from policytopics.cli import main
real = cache.atomic_write
cache.atomic_write = lambda path, write: real(path, lambda tmp: write(Path("/dev/full")))
raise SystemExit(main(sys.argv[1:]))
"""
    out = tmp_path / "report.xlsx"
    done = subprocess.run([sys.executable, "-c", driver, "ingest", str(samples), "--out", str(out),
                           "--no-progress", "-q"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"policytopics: error: No space left on device: {out}"]
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_the_flags_of_settings_are_read_from_the_settings_schema():
    """A setting's flag, help, choices and type are declared once, on the setting
    (policytopics.settings.sections), and each verb's flags reach load_study by name."""
    import argparse

    from policytopics.cli import _settings, build_parser
    from policytopics.settings.sections import spec

    parser = build_parser()
    run = parser._subparsers._group_actions[0].choices["run"]
    by_flag = {action.option_strings[-1]: action for action in run._actions if action.option_strings}
    for setting in run.get_default("settings"):
        declared = spec(setting)
        action = by_flag[declared.flag.name]
        assert action.help == declared.flag.help, setting
        assert tuple(action.choices or ()) == (() if declared.kind == "list" else declared.choices), setting
    assert by_flag["--formats"].type("svg,png") == ["svg", "png"]
    with pytest.raises(argparse.ArgumentTypeError, match="formats are png, svg, pdf"):
        by_flag["--formats"].type("gif")
    args = parser.parse_args(["run", "--topics", "7", "--unit", "passage", "--id-column", "编号"])
    overrides = _settings(args)
    assert (overrides["model__n_topics"], overrides["corpus__unit"], overrides["corpus__id_column"]) == (
        7, "passage", "编号")
    assert overrides["model__seed"] is None  # unset: the study file decides
    assert set(_settings(parser.parse_args(["ingest", "p", "--out", "r.csv"]))) == {
        "corpus__text_column", "corpus__title_column", "corpus__date_column", "corpus__region_column",
        "corpus__id_column", "compute__workers", "compute__scheduler", "corpus__limit"}
