"""The run record: run.json's keys, and a quick run's own."""

from __future__ import annotations

import json

from policytopics.study import record
from policytopics.study.stages import STAGES


def test_the_record_has_run_json_s_keys(sample_study):
    written = json.loads((sample_study.config.output.tables_dir / "run.json").read_text(encoding="utf-8"))
    made = record.run_record(sample_study)
    assert list(made) == list(written)
    assert made["stage_keys"] == {name: sample_study.key(name) for name in STAGES}
    assert record.figures_left_out(sample_study) == []


def test_a_quick_record_says_what_it_left_out(sample_study):
    made = record.run_record(sample_study.quick_view())
    assert made["quick"] is True and made["quick_settings"]["figures"] == list(record.QUICK_FIGURES)
    assert made["settings"] == sample_study.config.to_dict()
