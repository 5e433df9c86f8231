"""The run record's file: the software a run used, written as ``run.json``."""

from __future__ import annotations

import json


def test_the_record_names_the_package_python_libraries_and_engine(sample_study):
    from policytopics.report.run_record import software_versions

    versions = software_versions(sample_study.model().engine_)
    assert set(versions) == {"policytopics", "python", "libraries", "engine"}
    assert set(versions["libraries"]) == {"gensim", "jieba", "pandas", "matplotlib"}
    assert versions["engine"]["name"] == sample_study.model().engine_.name
    record = json.loads((sample_study.config.output.tables_dir / "run.json").read_text(encoding="utf-8"))
    assert {key: record[key] for key in versions} == json.loads(json.dumps(versions))


def test_the_record_is_written_as_json(tmp_path):
    from policytopics.report.run_record import write_run_record

    path = write_run_record({"quick": False, "units": 3}, tmp_path / "run.json")
    assert json.loads(path.read_text(encoding="utf-8")) == {"quick": False, "units": 3}
