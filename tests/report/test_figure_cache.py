"""Figures whose inputs did not change are copied from the cache, not drawn again."""

from __future__ import annotations

import pytest


def test_a_figure_whose_inputs_did_not_change_is_copied_not_drawn_again(sample_study, tmp_path, monkeypatch):
    from policytopics.report import figure_files
    from policytopics.settings.config import replace

    config = sample_study.config
    config = replace(config, compute=replace(config.compute, workers=1),  # drawn here: _draw is patched
                     output=replace(config.output, figures_dir=tmp_path / "figures",
                                    cache_dir=tmp_path / "cache", figure_formats=("png",)))
    frames = sample_study.figure_frames()
    first = figure_files.write_figures(frames, config)
    drawn_first = {p.name: p.read_bytes() for p in first}
    for path in first:
        path.unlink()

    def no_drawing(jobs, folder, formats):
        assert not jobs, [job[0] for job in jobs]
        return []

    monkeypatch.setattr(figure_files, "_draw", no_drawing)
    again = figure_files.write_figures(frames, config)  # every figure from the cache
    assert {p.name: p.read_bytes() for p in again} == drawn_first
    # A changed table is drawn again: only the figures that draw it.
    changed = {**frames, "documents": frames["documents"].iloc[1:]}
    with pytest.raises(AssertionError, match="coverage_by_period"):
        figure_files.write_figures(changed, config)
