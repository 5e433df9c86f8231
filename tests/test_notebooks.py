"""Every notebook runs top to bottom in a fresh kernel, with papermill parameters, and shows
the tables and figures it is there to show."""

import nbformat
import pytest

NOTEBOOKS = ["01_corpus", "02_topics", "03_themes"]

#: Per notebook, a call that only one code cell makes, and how many figures that cell draws on
#: the national reports (one region: the figures that compare regions are not drawn, and say so).
FIGURES = {
    "01_corpus": {"plot_coverage(": 1},
    "02_topics": {"plot_top_words(": 1, "plot_k_selection(": 1},
    "03_themes": {"plot_coverage(": 1, "plot_top_words(": 1,
                  "plot_theme_weights_by_region(": 0, "plot_theme_weights_over_time(": 0,
                  "plot_theme_panels_over_time(": 1, "plot_regions_over_time(": 0,
                  "plot_theme_emphasis(emphasis_by_region": 0, "plot_theme_emphasis(emphasis_by_period": 1,
                  "plot_topic_correlation(": 1},
}
#: Per notebook, code that only one cell holds and whose cell ends by showing a table.
TABLES = {
    "01_corpus": ["study.documents()", "removed.loc[:, removed.sum() > 0]", "'date_source'"],
    "02_topics": ["top_tokens.assign(", "joined_terms.head(", "topic_words.pivot(",
                  "selection['by_k'].round("],
    "03_themes": ["study.coverage()", "by_region.head(", "by_period.head(",
                  "effects[\"coefficients\"].round(", "correlations.sort_values(",
                  "study.theme_seeds().head(", "emphasis_by_region.round(2).head("],
}
#: What the tests pass to every notebook: a K the national example's seven themes fit in.
N_TOPICS = 8


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory):
    """One stage cache for the three notebooks, as in a study folder: the reports are read and
    cut once, the model fitted once."""
    return tmp_path_factory.mktemp("notebook_cache")


def cell_with(notebook, code: str):
    """The one code cell whose source contains ``code``."""
    cells = [c for c in notebook.cells if c.cell_type == "code" and code in c.source]
    assert len(cells) == 1, f"{len(cells)} cells contain {code!r}"
    return cells[0]


def outputs_with(cell, mime: str) -> list:
    return [o for o in cell.outputs if mime in o.get("data", {})]


def printed(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def execute(repo, name, executed, **parameters):
    import papermill

    # papermill raises if a cell fails; the tests check what the cells showed.
    papermill.execute_notebook(str(repo / "notebooks" / f"{name}.ipynb"), str(executed),
                               cwd=str(repo / "notebooks"), kernel_name="python3", parameters=parameters,
                               progress_bar=False)
    return nbformat.read(executed, as_version=4)


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_with_parameters(name, repo, tmp_path, shared_cache):
    """Each notebook demonstrates the national reports (#36 item 8: the five samples gave 7
    warnings and 6 of 10 themes "(?)")."""
    executed = execute(repo, name, tmp_path / f"{name}.ipynb", n_topics=N_TOPICS, out=str(tmp_path / "out"),
                       cache_dir=str(shared_cache),
                       **({"run_sweep": True, "sweep_topics": "8,9"} if name == "02_topics" else {}))

    # The parameters reached the study: K is the one papermill passed, the study the national one.
    setup = printed(cell_with(executed, "Study.from_file("))
    assert f"topics: {N_TOPICS} seed:" in setup and "gwr_national.jsonl.gz" in setup
    for call, n_figures in FIGURES[name].items():
        assert len(outputs_with(cell_with(executed, call), "image/png")) == n_figures, call
    for code in TABLES[name]:
        assert outputs_with(cell_with(executed, code), "text/html"), code

    if name == "01_corpus":
        # The cleaning report accounts for every input document: the 52 reports, all kept.
        summary = printed(cell_with(executed, "study.documents()"))
        assert "kept: 52" in summary and "dropped: 0" in summary
    if name == "02_topics":
        sweep = printed(cell_with(executed, "study.sweep("))
        assert "suggested K:" in sweep
    if name == "03_themes":
        # The seeded themes name their topics, each with the rule's two measures. At K = 8 every
        # topic is seeded: 农业农村's takes the planned economy's production words (生产 增长 工业
        # 计划) and its share does not follow 三农's seed words (ρ 0.14; benchmarks/results.md,
        # held-rule): the one theme marked.
        cell = cell_with(executed, "study.themes_held()")
        labels = printed(cell)
        assert "科技创新" in labels and "农业农村" in labels
        assert {line.split()[1] for line in labels.splitlines() if line.endswith("(?)")} <= {"农业农村"}
        table = "".join(o["data"]["text/plain"] for o in outputs_with(cell, "text/plain"))
        assert "spearman" in table and "seed_mass" in table
        assert "not drawn: only one region" in printed(cell_with(executed, "plot_theme_weights_by_region("))
        # The export cell writes the study's figures and tables into the out folder.
        figures = [line for line in printed(cell_with(executed, "study.write_figures()")).splitlines()
                   if line.endswith(".png")]
        assert {line.rsplit("/", 1)[-1] for line in figures} >= {
            "coverage_by_period.png", "theme_panels_over_time.png", "top_words.png"}
        assert all(line.startswith(str(tmp_path / "out")) for line in figures)
        for table in ("doc_topics.csv", "theme_weights_by_region.csv", "theme_weights_by_period.csv"):
            assert (tmp_path / "out" / table).is_file()


@pytest.mark.slow
def test_a_notebook_reads_the_study_file_it_is_given(repo, samples, tmp_path):
    """``-p study_file ...`` (README, Notebooks) points a notebook at another study."""
    executed = execute(repo, "01_corpus", tmp_path / "01_corpus.ipynb", study_file=str(repo / "study.toml"),
                       n_topics=3, out=str(tmp_path / "out"), cache_dir=str(tmp_path / "cache"))
    assert "topics: 3 seed:" in printed(cell_with(executed, "Study.from_file("))
    report = outputs_with(cell_with(executed, "study.documents()"), "text/html")[0]
    for path in samples.glob("*.txt"):
        assert path.stem in report["data"]["text/html"]
    assert len(outputs_with(cell_with(executed, "plot_coverage("), "image/png")) == 2  # regions and years


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_are_committed_without_outputs_and_with_parameters(name, repo):
    notebook = nbformat.read(repo / "notebooks" / f"{name}.ipynb", as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)


def test_a_notebook_writes_to_a_folder_of_its_own_unless_told(repo):
    from policytopics import Study

    study = Study.from_file(repo / "study.toml", notebook="03_themes", progress=False)
    assert study.config.output.tables_dir == repo / "outputs" / "notebooks" / "03_themes"
    assert study.config.output.figures_dir == repo / "outputs" / "notebooks" / "03_themes" / "figures"
    assert study.config.output.cache_dir == repo / ".cache"  # the cached stages are shared
    told = Study.from_file(repo / "study.toml", notebook="03_themes", out="elsewhere", progress=False)
    assert told.config.output.tables_dir.name == "elsewhere"
