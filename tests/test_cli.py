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
    assert "kept: 5" in capsys.readouterr().out


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
    suggested = re.search(r"suggested K: (\d+)\.", capsys.readouterr().out)
    from policytopics.selection import suggest_k

    # The K the run names is the one its own table's scores give (not merely one of the grid).
    assert suggested and int(suggested.group(1)) == suggest_k(by_k)[0]
    assert (tmp_path / "figures" / "k_selection.png").is_file()


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
    from policytopics import documents

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
    from policytopics import documents

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
    from policytopics import documents

    monkeypatch.setattr(documents, "document_report", lambda *a, **k: pytest.fail("worked before checking"))
    themes = str(repo / "data/themes/manufacturing_policy.toml")
    code = main(_run_args(repo, samples, tmp_path, "--out", str(tmp_path / "out"), "--cache-dir",
                          str(tmp_path / "cache"), "--themes", themes))
    err = capsys.readouterr().err
    assert code == 2
    assert "10 seeded themes" in err and "n_topics is 3" in err


def test_ctrl_c_stops_with_one_line(repo, samples, tmp_path, capsys, monkeypatch):
    from policytopics import pipeline

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
