"""Every notebook runs top to bottom in a fresh kernel, with papermill parameters."""

import nbformat
import pytest

NOTEBOOKS = ["01_corpus", "02_topics", "03_themes"]


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_with_parameters(name, repo, tmp_path):
    import papermill

    source = repo / "notebooks" / f"{name}.ipynb"
    out = tmp_path / f"{name}.ipynb"
    papermill.execute_notebook(
        str(source), str(out), cwd=str(repo / "notebooks"), kernel_name="python3",
        parameters={"n_topics": 3, "out": str(tmp_path / "out"),
                    "cache_dir": str(tmp_path / "cache")},
        progress_bar=False,
    )
    executed = nbformat.read(out, as_version=4)
    errors = [o for c in executed.cells if c.cell_type == "code"
              for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    if name == "03_themes":
        assert (tmp_path / "out" / "figures" / "theme_weights_by_region.png").is_file()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_are_committed_without_outputs_and_with_parameters(name, repo):
    notebook = nbformat.read(repo / "notebooks" / f"{name}.ipynb", as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
