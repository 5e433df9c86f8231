"""The output tables: CSV safe to open in Excel, Parquet keeping raw text, and the tables
beside the figures."""

from __future__ import annotations

import pandas as pd
import pytest

from policytopics.report.output_tables import write_tables


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


def test_every_table_a_run_writes_is_one_it_owns(sample_study):
    from policytopics.report.figure_files import is_run_figure
    from policytopics.report.output_tables import RUN_TABLES

    assert set(sample_study.tables()) <= set(RUN_TABLES)
    assert all(is_run_figure(p.name) for p in sample_study.outputs_["figures"])
    assert not is_run_figure("k_selection.png") and is_run_figure("effect_levels_region.pdf")


def _config(repo, out, cache, **overrides):
    from policytopics import load_study

    return load_study(repo / "study.toml", out=out, output__cache_dir=cache, output__figure_formats=["png"],
                      **overrides)


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
