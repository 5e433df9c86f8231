import json
from pathlib import Path

import pytest

from policytopics import Study, load_study


def test_rerun_with_new_topic_count_reuses_the_corpus(sample_study):
    config = load_study(sample_study.config.root / "study.toml", n_topics=3,
                        out=sample_study.config.output.tables_dir,
                        output__cache_dir=sample_study.config.output.cache_dir)
    study = Study(config, progress=False)
    study.model()
    # The bag-of-words corpus comes from the cache, so neither documents nor tokens are
    # even read; only the model is fitted.
    assert study.cache_hits["corpus"] is True
    assert "tokens" not in study.cache_hits and "documents" not in study.cache_hits
    assert study.cache_hits["model"] is False


def test_token_lists_leave_memory_once_the_corpus_is_built(sample_study, tmp_path):
    # The model stage streams the corpus from disk; the token lists (the largest thing a
    # cold run holds) are dropped and read back from the cache only when asked for.
    config = load_study(sample_study.config.root / "study.toml", out=tmp_path,
                        output__cache_dir=tmp_path / "cache")
    study = Study(config, progress=False)
    built = [list(tokens) for tokens in study.tokens()["tokens"]]
    assert any(key.startswith("tokens:") for key in study.stages.memo)
    study.corpus()
    assert not any(key.startswith("tokens:") for key in study.stages.memo)
    cached = (tmp_path / "cache" / "tokens" / study.key("tokens")).with_suffix(".parquet")
    written = cached.stat().st_mtime_ns
    assert [list(tokens) for tokens in study.tokens()["tokens"]] == built
    assert cached.stat().st_mtime_ns == written  # read back, not built again
    assert study.cache_hits["tokens"] is False  # the run record keeps the first outcome: built


def test_a_model_just_fitted_is_served_as_read_back_from_its_files(sample_study):
    # The sample study was fitted cold in this session: the fitted sampler held every
    # document's word assignments; the study holds the saved one (topics and priors only).
    assert sample_study.cache_hits["model"] is False and sample_study.config.model.engine == "tomotopy"
    assert len(sample_study.model().lda_.docs) == 0


def test_corrupt_cache_file_is_rebuilt(sample_study, tmp_path):
    config = load_study(sample_study.config.root / "study.toml", out=tmp_path,
                        output__cache_dir=tmp_path / "cache")
    Study(config, progress=False).documents()
    cached = next((tmp_path / "cache" / "documents").glob("*.parquet"))
    cached.write_bytes(b"truncated")
    study = Study(config, progress=False)
    assert len(study.documents()) == 5
    assert study.cache_hits["documents"] is False


def _stage_keys(study):
    from policytopics.study.stages import STAGES

    return {name: study.key(name) for name in STAGES}


def test_display_settings_and_figure_code_rebuild_no_stage(sample_study, tmp_path, monkeypatch):
    from policytopics.store import keys as cache

    before = json.loads((sample_study.config.output.tables_dir / "run.json").read_text(encoding="utf-8"))
    digest = cache.source_digest
    # As if report/figures/themes.py (figure-only code) had been edited, and display settings changed.
    monkeypatch.setattr(cache, "source_digest",
                        lambda name: "edited" if name == "report.figures.themes" else digest(name))
    config = load_study(sample_study.config.root / "study.toml", out=tmp_path,
                        output__cache_dir=sample_study.config.output.cache_dir,
                        model__top_n_words=7, language="en", output__figure_formats=["png"])
    study = Study(config, progress=False)
    study.run()
    record = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert record["stage_keys"] == before["stage_keys"]
    assert record["cache_hits"] and all(record["cache_hits"].values()), record["cache_hits"]
    assert record["policytopics"] != before["policytopics"]  # the run record does see the edit
    assert len(study.topic_words().query("topic == 1")) == 7


def test_cleaning_changes_rebuild_every_later_stage(sample_study, monkeypatch):
    from policytopics.store import keys as cache

    keys = _stage_keys(sample_study)
    stricter = Study(load_study(sample_study.config.root / "study.toml", clean__min_chars=60), progress=False)
    assert all(a != b for a, b in zip(_stage_keys(stricter).values(), keys.values()))
    # Which date wins, a table's column or the text's header, changes the documents' dates (#36).
    text_dates = Study(load_study(sample_study.config.root / "study.toml", corpus__text_date_wins=True),
                       progress=False)
    assert all(a != b for a, b in zip(_stage_keys(text_dates).values(), keys.values()))
    digest = cache.source_digest
    monkeypatch.setattr(cache, "source_digest",
                        lambda name: "edited" if name == "text.clean" else digest(name))
    edited = _stage_keys(Study(sample_study.config, progress=False))
    assert all(edited[stage] != keys[stage] for stage in keys)
    # A unit setting re-segments and refits, but does not re-read or re-clean.
    monkeypatch.setattr(cache, "source_digest", digest)
    passages = _stage_keys(Study(load_study(sample_study.config.root / "study.toml",
                                            corpus__unit="passage"), progress=False))
    assert passages["documents"] == keys["documents"]
    assert all(passages[stage] != keys[stage] for stage in ("tokens", "corpus", "model"))
    # Only a change of the fit refits: top_n_words and labels do not, seed does.
    assert _stage_keys(Study(load_study(sample_study.config.root / "study.toml", seed=7),
                             progress=False))["model"] != keys["model"]


def test_every_stage_is_declared_with_its_inputs_before_it():
    from policytopics.study.stages import STAGES, VIEWS

    seen = []
    for name, stage in STAGES.items():
        assert stage.name == name and all(VIEWS.get(i, i) in seen for i in stage.inputs), name
        assert set(stage.releases) <= set(seen), name
        seen.append(name)
    assert seen == ["documents", "tokens", "corpus", "model"]


def test_a_stage_s_code_is_the_import_closure_of_its_function():
    # Never a hand list: what the stage's function can run (#38).
    from policytopics.store.keys import import_closure
    from policytopics.study.stages import STAGES

    def closure(name):
        function = STAGES[name].function
        return set(import_closure(function.__module__.removeprefix("policytopics.")))

    documents = closure("documents")
    assert {"text.clean", "read.files", "text.ritual", "text.documents"} <= documents
    assert not [module for module in documents if module.startswith(("report.", "model.", "estimate."))]
    assert {"model.engines.keyatm", "model.themes", "model.corpus"} <= closure("model")
    assert not [module for name in STAGES for module in closure(name) if module.startswith("report.")]
    # The tokens take the themes file's seed words, not the engines: an engine's edit refits,
    # it does not re-segment.
    assert "model.theme_file" in closure("tokens")
    assert not [module for module in closure("tokens") if module.startswith("model.engines")]


def test_an_edited_metadata_csv_beside_listed_files_is_seen(samples, tmp_path):
    # Given as a list of files, the corpus's fingerprint holds those files only; the
    # metadata.csv beside them must count too, or its edits serve a stale cache (#31).
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(samples, corpus)
    files = sorted(corpus.glob("*.txt"))

    def region(value: str) -> str:
        (corpus / "metadata.csv").write_text(f"file,region\n{files[0].name},{value}\n", encoding="utf-8")
        config = load_study(None, corpus=[str(f) for f in files], output__cache_dir=tmp_path / "cache")
        return Study(config, progress=False).documents().set_index("doc_id").loc[files[0].stem, "region"]

    assert region("浙江省") == "浙江省"
    assert region("江苏省") == "江苏省"


def test_a_moved_corpus_reuses_the_cache_and_shows_its_current_paths(samples, tmp_path):
    import shutil
    from pathlib import Path

    first = tmp_path / "first"
    shutil.copytree(samples, first)

    def report(corpus: Path):
        study = Study(load_study(None, corpus=[str(corpus)], output__cache_dir=tmp_path / "cache"),
                      progress=False)
        return study, study.documents()

    _, before = report(first)
    assert before["source"].tolist() == [str(first / Path(s).name) for s in before["source"]]
    moved = tmp_path / "moved"
    first.rename(moved)
    study, after = report(moved)
    assert study.cache_hits["documents"] is True  # the same files: the cache is reused (#31)
    assert after["source"].tolist() == [str(moved / Path(s).name) for s in before["source"]]
    assert all(Path(source).is_file() for source in after["source"])
    assert after.drop(columns="source").equals(before.drop(columns="source"))


def _run_in_a_process(samples, out, cache, timeout: float = 300):
    import subprocess
    import sys

    command = [sys.executable, "-m", "policytopics", "run", "--corpus", str(samples), "--topics", "3",
               "--out", str(out), "--cache-dir", str(cache), "--formats", "png", "--no-progress", "-q"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stderr


def _output_files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != "run.json"}


def _truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_one_bit(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def clean_run(samples, tmp_path_factory):
    """Outputs and cache of one run of the samples in a process of its own."""
    folder = tmp_path_factory.mktemp("clean_run")
    _run_in_a_process(samples, folder / "out", folder / "cache")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("damage", [_truncate, _flip_one_bit])
def test_a_damaged_cache_file_is_rebuilt_with_a_warning_and_the_same_outputs(samples, clean_run, tmp_path,
                                                                            damage):
    # A truncated tomotopy model made the run hang; one flipped bit in a model, Parquet or
    # npy file changed the results with no sign; a truncated figure or explorer page was
    # copied to the outputs (#31). Each kind of cached file, damaged, is rebuilt.
    import shutil

    cache = shutil.copytree(clean_run / "cache", tmp_path / "cache")
    damaged = {"documents": next((cache / "documents").glob("*.parquet")),
               "tokens": next((cache / "tokens").glob("*.parquet")),
               "corpus": next((cache / "corpus").glob("*/corpus.mm")),
               "model": next((cache / "model").glob("*/lda.tomotopy")),
               "figures": next((cache / "figures").glob("*/top_words.png")),
               "explorer": next((cache / "explorer").glob("*.html"))}
    for path in damaged.values():
        damage(path)
    damage(next((cache / "model").glob("*/doc_topic.npy")))
    stderr = _run_in_a_process(samples, tmp_path / "again", cache, timeout=300)  # never hangs
    for stage, path in damaged.items():
        entry = path.parent if stage in ("corpus", "model") else path  # a folder stage is named whole
        assert f"WARNING policytopics: {stage}: the cached {entry} is damaged" in stderr, stage
    assert stderr.count("is damaged") == len(damaged)  # once per stage
    record = json.loads((tmp_path / "again" / "run.json").read_text(encoding="utf-8"))
    assert not any(record["cache_hits"].values())
    assert _output_files(tmp_path / "again") == _output_files(clean_run / "out")


@pytest.mark.slow
def test_a_cached_entry_of_the_wrong_shape_is_rebuilt_with_a_warning_naming_its_stage(samples, clean_run,
                                                                                     tmp_path):
    # A cached doc_topic.npy one column short ended in "Length of values (3) does not match
    # length of index (4)", no stage named; a cached documents table without a column was
    # served and documents.csv lacked it (#37). Their checksums match: only their shape tells.
    import shutil

    import numpy as np
    import pandas as pd

    from policytopics.store.checksums import keep_checksums

    cache = shutil.copytree(clean_run / "cache", tmp_path / "cache")
    model = next((cache / "model").glob("*/doc_topic.npy"))
    np.save(model, np.load(model)[:, :2])
    keep_checksums(model.parent)
    documents = next((cache / "documents").glob("*.parquet"))
    pd.read_parquet(documents).drop(columns="title").to_parquet(documents, index=False)
    keep_checksums(documents)
    stderr = _run_in_a_process(samples, tmp_path / "again", cache)
    assert (f"WARNING policytopics: model: the cached {model.parent} does not fit (doc_topic.npy is 5 x 2, "
            "not 5 units x 3 topics); rebuilding it") in stderr
    assert f"WARNING policytopics: documents: the cached {documents} does not fit (no column 'title')" \
        in stderr
    assert _output_files(tmp_path / "again") == _output_files(clean_run / "out")


def test_a_cached_table_is_in_place_only_once_its_checksum_is(tmp_path, monkeypatch):
    """A run killed between two writes must not leave a table without its checksum (the next
    run would rebuild it): the checksum is written first, the table renamed into place last."""
    import os

    import pandas as pd

    from policytopics.store import cache as cache_module

    seen = []
    real_replace = os.replace

    def replace(src, dst):
        if str(dst).endswith(".parquet"):
            seen.append(Path(str(dst) + ".sha256").is_file())
        return real_replace(src, dst)

    monkeypatch.setattr(cache_module.os, "replace", replace)
    stages = cache_module.StageCache(tmp_path / "cache")
    table = stages.frame("tokens", "k1", lambda: pd.DataFrame({"a": [1, 2]}))
    assert table["a"].tolist() == [1, 2] and seen == [True]


def test_report_ritual_setting_and_code_recut_the_documents(sample_study, monkeypatch):
    # The ritual is cut in the documents stage: its setting and its module are in that key.
    from policytopics.store import keys as cache

    keys = _stage_keys(sample_study)
    ritual = _stage_keys(Study(load_study(sample_study.config.root / "study.toml",
                                          clean__report_ritual=["thanks"]), progress=False))
    assert all(ritual[stage] != keys[stage] for stage in keys)
    digest = cache.source_digest
    monkeypatch.setattr(cache, "source_digest",
                        lambda name: "edited" if name == "text.ritual" else digest(name))
    assert _stage_keys(Study(sample_study.config, progress=False))["documents"] != keys["documents"]



def test_an_edited_keyatm_sampler_refits(sample_study, monkeypatch):
    # The model stage runs model.engines.keyatm when [model] engine is "keyatm": its code is in
    # the model's key, or a changed sampler keeps serving the cached fit (#38).
    from policytopics.store import keys

    before = _stage_keys(sample_study)
    digest = keys.source_digest
    monkeypatch.setattr(keys, "source_digest",
                        lambda name: "edited" if name == "model.engines.keyatm" else digest(name))
    edited = _stage_keys(Study(sample_study.config, progress=False))
    assert edited["model"] != before["model"]
    assert all(edited[stage] == before[stage] for stage in ("documents", "tokens", "corpus"))



def test_a_moved_study_folder_with_a_themes_file_keeps_its_fit(repo, samples, tmp_path):
    # The themes file enters the model's key by its content only: the same study folder
    # elsewhere (copied, renamed, another machine) reuses the fit (#38).
    import shutil

    first = tmp_path / "first"
    shutil.copytree(samples, first / "corpus")
    (first / "themes.toml").write_text('["产业"]\nwords = ["产业", "制造业"]\n', encoding="utf-8")
    (first / "study.toml").write_text('[corpus]\npaths = ["corpus"]\n[model]\nn_topics = 3\n'
                                      'themes = "themes.toml"\n', encoding="utf-8")
    moved = tmp_path / "moved"
    shutil.copytree(first, moved)

    def study(folder):
        return Study(load_study(folder / "study.toml", output__cache_dir=tmp_path / "cache"), progress=False)

    assert study(moved).key("model") == study(first).key("model")
    study(first).model()
    again = study(moved)
    again.model()
    assert again.cache_hits["model"] is True
