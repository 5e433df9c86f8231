"""The figures declared in one list: every figure a run or the sweep draws, and a quick run's."""

from __future__ import annotations

from policytopics.report.figures.registry import FIGURES, REGISTRY, quick_figures, run_figures, sweep_figures


def test_every_entry_draws_with_a_plot_function_of_the_figures_modules():
    assert len(REGISTRY) == len(FIGURES)  # one entry per name
    for entry in FIGURES:
        assert callable(entry.draw) and entry.draw.__name__.startswith("plot_"), entry.name
        assert entry.draw.__module__.startswith("policytopics.report.figures."), entry.name


def test_a_quick_run_draws_the_topics_and_the_themes_main_figures():
    assert set(quick_figures()) == {"top_words", "theme_emphasis_by_region", "theme_emphasis_over_time",
                                    "theme_panels_over_time", "theme_weights_over_time"}
    assert all(REGISTRY[name] in run_figures() for name in quick_figures())


def test_the_sweeps_figure_is_declared_but_not_a_runs():
    assert [entry.name for entry in sweep_figures()] == ["k_selection"]
    assert "k_selection" not in {entry.name for entry in run_figures()}


def test_a_figure_per_covariate_names_a_file_per_covariate():
    import pandas as pd

    levels = pd.DataFrame({"covariate": ["region", "region", "period"]})
    assert REGISTRY["effect_levels_{covariate}"].instances(levels) == [
        ("effect_levels_region", {"covariate": "region"}), ("effect_levels_period", {"covariate": "period"})]
    assert REGISTRY["effect_levels_{covariate}"].instances(levels.iloc[:0]) == []


def test_the_sweep_writes_its_tables_and_the_figure_its_entry_declares(tmp_path):
    import pandas as pd

    from policytopics.report.figure_files import write_sweep
    from policytopics.report.figures import export_figure, plot_k_selection
    from policytopics.settings.config import OutputConfig, StudyConfig

    by_k = pd.DataFrame({"k": [2, 3], "npmi": [0.1, 0.2], "npmi_sd": 0.01, "umass": [-1.0, -0.9],
                         "diversity": [0.8, 0.7], "perplexity": [10.0, 9.0], "stability": [0.5, 0.6]})
    config = StudyConfig(output=OutputConfig(tables_dir=tmp_path, figures_dir=tmp_path / "figures",
                                             figure_formats=("png", "svg")))
    written = write_sweep({"by_k": by_k, "runs": by_k, "suggested_k": 3}, config)
    assert [path.name for path in written] == ["k_selection.png", "k_selection.svg"]
    assert (tmp_path / "k_selection.csv").is_file() and (tmp_path / "k_selection_runs.csv").is_file()
    # The same files as the plot function drawn and exported by hand.
    by_hand = export_figure(plot_k_selection(by_k, suggested=3, language="zh"), "k_selection",
                            tmp_path / "by_hand", formats=("png", "svg"))
    assert [path.read_bytes() for path in written] == [path.read_bytes() for path in by_hand]
