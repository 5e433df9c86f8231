"""The sections and their defaults; the template study.toml (policytopics.settings.sections)."""

import dataclasses
import tomllib
from pathlib import Path

import pytest

from policytopics.settings.schema import StudyConfigError, package_data
from policytopics.settings.sections import (
    SECTIONS,
    CleanConfig,
    CorpusConfig,
    ModelConfig,
    OutputConfig,
    choices,
)
from policytopics.settings.validate import coerce, specs

#: Where the template study.toml says other than the defaults, on purpose: a new study folder
#: (``policytopics init``) keeps its articles in articles/, the package's samples are elsewhere.
TEMPLATE_DIFFERS = {"corpus.paths": "a new study's articles/ folder, not the package's samples"}


def _template() -> dict:
    return tomllib.loads(package_data("study.toml").read_text(encoding="utf-8"))


def test_the_template_holds_every_setting_and_no_other():
    """Every key of the settings' dataclasses is in the template study.toml (with its
    comment), and every key there is a setting."""
    template = _template()
    assert set(template) == set(SECTIONS)
    for name, section in SECTIONS.items():
        assert set(template[name]) == {f.name for f in dataclasses.fields(section)}, name


def template_differences(template: dict) -> dict[str, tuple]:
    """The settings whose value in ``template`` is not their default, each read as a study
    file's value is (paths resolved against one folder; ``policytopics:NAME`` the package's)."""
    base = Path("/study")
    differ = {}
    for name, section in SECTIONS.items():
        for s in specs(section):
            written = coerce(s, template[name][s.name], base)
            # [output] figure_tables is kept as written (a TOML array: a list).
            written = tuple(written) if isinstance(written, list) else written
            default = None if s.default is None else coerce(s, s.default, base)  # no file
            if written != default or type(written) is not type(default):
                differ[f"{name}.{s.name}"] = (written, default)
    return differ


def test_the_template_writes_every_default_value_for_value():
    assert set(template_differences(_template())) == set(TEMPLATE_DIFFERS)


def test_the_value_check_sees_a_changed_default(monkeypatch):
    """The check fails when one default moves away from the template (here n_topics)."""
    template = _template()
    template["model"]["n_topics"] = 5
    assert set(template_differences(template)) == {"model.n_topics", *TEMPLATE_DIFFERS}
    template = _template()
    template["weights"]["ci"] = 0.9
    assert "weights.ci" in template_differences(template)


def test_the_command_line_offers_the_settings_own_choices():
    from policytopics.cli import build_parser

    run = next(action for action in build_parser()._subparsers._group_actions[0].choices["run"]._actions
               if action.dest == "period")
    assert tuple(run.choices) == choices("weights.period") == ("year", "quarter", "month")
    assert choices("output.figure_formats") == ("png", "svg", "pdf")
    assert choices("clean.report_ritual") == ("problems", "thanks", "closing")


def test_a_section_made_in_code_checks_its_choices_and_made_rules():
    with pytest.raises(StudyConfigError, match=r"^\[model\] engine must be 'tomotopy', 'gensim' or 'keyatm'"):
        ModelConfig(engine="lda")
    with pytest.raises(StudyConfigError, match=r"^\[model\] workers must be 0 or more, got -1$"):
        ModelConfig(workers=-1)
    with pytest.raises(StudyConfigError, match=r"^\[output\] figure_formats: unknown format\(s\) \['gif'\]$"):
        OutputConfig(figure_formats=["gif"])
    with pytest.raises(StudyConfigError, match=r"^\[corpus\] max_document_mb must be above 0, got 0$"):
        CorpusConfig(max_document_mb=0, passage_chars=1)  # the first rule said, as before
    with pytest.raises(StudyConfigError, match=r"date_from '2021' is after date_to '2020'"):
        CorpusConfig(date_from="2021", date_to="2020")
    # The read rules wait for a study file: code may make a section of one topic.
    assert ModelConfig(n_topics=1).n_topics == 1
    # A list given in code is kept as a tuple (the section stays hashable).
    assert CleanConfig(report_ritual=["thanks"]).report_ritual == ("thanks",)
    assert CleanConfig(report_ritual="thanks").report_ritual == ("thanks",)


def test_the_size_limits_defaults_come_from_the_section():
    from policytopics.settings.sections import DEFAULT_MAX_DOCUMENT_BYTES, DEFAULT_MAX_FILE_BYTES

    assert DEFAULT_MAX_DOCUMENT_BYTES == CorpusConfig().max_document_bytes == 5_000_000
    assert DEFAULT_MAX_FILE_BYTES == CorpusConfig().max_file_bytes == 100_000_000
