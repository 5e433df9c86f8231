"""The study's cached stages, declared once: what each depends on, how it is built and kept.

``documents → tokens → corpus → model``. A :class:`Stage` names its upstream stage, the
modules whose code it runs, the settings and files that change its result, the function that
builds it from the study's other results, and how the result is kept (one table, or a folder
of files with its own loader and saver). :class:`policytopics.study.study.Study` serves every
stage the same way from these declarations: the key is ``stable_hash(name, code, upstream
key, *key_parts)``, the result comes from memory, from ``cache_dir/<name>/<key>`` or is
built; a cache file that differs from its checksum, or is unreadable, is rebuilt
(:class:`policytopics.store.cache.StageCache`).

A new cached stage is one more :class:`Stage` here; its work is a function in its own module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from policytopics.read.files import corpus_entries
from policytopics.settings.config import StudyConfig
from policytopics.store.cache import trim_memory
from policytopics.store.keys import file_fingerprint

#: Corpus settings of the units, not of reading: they re-segment, they do not re-read.
UNIT_SETTINGS = ("unit", "passage_chars", "passage_above")


class Study(Protocol):
    """What the stages take from the study that serves them
    (:class:`policytopics.study.study.Study`): its settings and its other results."""

    config: StudyConfig
    progress: bool

    def themes(self) -> list: ...
    def kept_documents(self): ...
    def tokens(self): ...
    def corpus(self): ...
    def seen_words(self) -> frozenset[str]: ...
    def unit_ids(self) -> list[str]: ...
    def model_settings(self) -> dict: ...


@dataclass(frozen=True)
class Stage:
    """One cached stage of the study.

    ``key_parts(study)`` are the settings and input files of the key (after the stage's
    name, its code's version and its upstream stage's key); ``build(study)`` computes the
    result from the study's other results. A folder stage has ``load(study, path)`` (the
    result, or ``None`` when the folder holds none) and ``save(result, folder)``; a table
    stage has neither and is kept as ``<key>.parquet``. ``check(study, result)`` says why a
    result read from the cache does not fit what the stage builds (a column missing, the
    wrong shape), or ``None``; such an entry is rebuilt with a warning naming the stage.
    ``serve_written`` reads a folder back after writing it (a corpus that streams from disk);
    ``releases`` are the upstream results dropped from memory once this one is served (they
    stay on disk); ``serve(study, result)`` is what the study sees of a result built or read
    (the cache keeps the result).
    """

    name: str
    upstream: str | None
    code: tuple[str, ...]
    key_parts: Callable[[Study], tuple]
    build: Callable[[Study], object]
    load: Callable[[Study, Path], object] | None = None
    save: Callable[[object, Path], None] | None = None
    serve_written: bool = False
    releases: tuple[str, ...] = ()
    serve: Callable[[Study, object], object] | None = None
    check: Callable[[Study, object], str | None] | None = None


def missing_columns(frame, columns) -> str | None:
    """Why a cached table does not fit: the columns the stage writes that it lacks."""
    missing = [column for column in columns if column not in frame.columns]
    return f"no column {', '.join(map(repr, missing))}" if missing else None


# --- documents -------------------------------------------------------------------------

def _documents_key(study: Study) -> tuple:
    from policytopics.text.metadata import override_files

    cfg = study.config
    reading = {k: v for k, v in asdict(cfg.corpus).items() if k not in ("paths", *UNIT_SETTINGS)}
    entries = corpus_entries(cfg.corpus.paths, skip=cfg.output.folders(),
                             follow_links=cfg.corpus.follow_links, warn=False)
    files = [(entry.path, entry.name) for entry in entries if entry.reason is None]
    # What the walk could not read is a report row each: a folder made readable changes the key.
    not_read = [(entry.name, entry.reason) for entry in entries if entry.reason is not None]
    # A metadata.csv beside listed files is not among them: its content is a key part of its own.
    overrides = [(path, path.name) for path in override_files(cfg.corpus.paths)]
    return (file_fingerprint(files), reading, asdict(cfg.clean), cfg.clean.spam_phrases or "",
            file_fingerprint(overrides), *([not_read] if not_read else []))


def _documents(study: Study):
    from policytopics.text.documents import document_report, portable_sources

    paths = study.config.corpus.paths
    return portable_sources(document_report(paths, study.config, progress=study.progress), paths)


def _check_documents(study: Study, report) -> str | None:
    from policytopics.text.documents import CORPUS_PATH_COLUMN, REPORT_COLUMNS

    return missing_columns(report, [*REPORT_COLUMNS, CORPUS_PATH_COLUMN])


def _located_documents(study: Study, report):
    from policytopics.text.documents import located_sources

    return located_sources(report, study.config.corpus.paths)


# --- tokens ----------------------------------------------------------------------------

def _tokens_key(study: Study) -> tuple:
    seg, corpus = study.config.segment, study.config.corpus
    word_lists = [Path(s) for s in seg.stopwords if not s.startswith("stopwordsiso:")]
    for extra in (seg.user_dictionary, seg.admin_words if seg.drop_place_names else None):
        if extra:
            word_lists.append(Path(extra))
    seeds = sorted({w for theme in study.themes() for w in theme.words})
    return ({k: getattr(corpus, k) for k in UNIT_SETTINGS}, asdict(seg), seeds, *word_lists)


def _tokens(study: Study):
    from policytopics.text.passages import document_units
    from policytopics.text.segment import tokenize_units

    units = document_units(study.kept_documents(), study.config.corpus)
    # Building the units leaves ~0.4 GB of freed text copies in the heap on 72,855 news
    # stories; hand it back before the workers start (the stage's peak).
    trim_memory()
    seeds = tuple(w for theme in study.themes() for w in theme.words)
    return tokenize_units(units, study.config.segment, study.config.compute, extra_words=seeds,
                          progress=study.progress)


def _check_tokens(study: Study, tokens) -> str | None:
    return missing_columns(tokens, ["doc_id", "passage", "n_chars", "tokens"])


# --- corpus ----------------------------------------------------------------------------

def _corpus_key(study: Study) -> tuple:
    cfg = study.config.model
    return ({"no_below": cfg.no_below, "no_above": cfg.no_above, "keep_n": cfg.keep_n},)


def _corpus(study: Study):
    from policytopics.model.corpus import build_dictionary

    tokens = study.tokens()["tokens"]
    dictionary, seen = build_dictionary((list(t) for t in tokens), study.config.model, return_unpruned=True)
    return dictionary, tokens, seen


def _load_corpus(study: Study, path: Path):
    from policytopics.model.corpus import load_corpus

    return load_corpus(path)


def _save_corpus(built, folder: Path) -> None:
    from policytopics.model.corpus import save_corpus

    save_corpus(folder, *built)


# --- model -----------------------------------------------------------------------------

def _model_key(study: Study) -> tuple:
    themes = study.config.model.themes
    settings = study.model_settings()
    settings.pop("themes", None)  # by its content below, not by where it is (a study folder moved)
    return (settings, Path(themes) if themes else "")


def _model(study: Study):
    from policytopics.model.topic_model import fit_model

    dictionary, corpus = study.corpus()
    return fit_model(corpus, dictionary, study.config.model, doc_ids=study.unit_ids(),
                     unpruned=study.seen_words(), progress=study.progress)


def _load_model(study: Study, path: Path):
    import json
    from dataclasses import replace

    from policytopics.model.topic_model import MODEL_FILE, TopicModel

    if not (path / "order.json").is_file():
        return None
    # The themes file is the same by content (the key holds it), perhaps elsewhere: the saved
    # place is what TopicModel.load compares; the model then carries this study's settings.
    config = study.config.model
    saved = json.loads((path / MODEL_FILE).read_text(encoding="utf-8"))["settings"].get("themes")
    model = TopicModel.load(path, replace(config, themes=Path(saved) if saved else None),
                            doc_ids=study.unit_ids())
    model.config = config
    return model


def _check_model(study: Study, model) -> str | None:
    """The proportions are one row per unit the model saw and one column per topic."""
    expected = (len(model.doc_ids_ or ()), study.config.model.n_topics)
    shapes = {"doc_topic.npy": model.doc_topic_.shape}
    if model.doc_topic_samples_ is not None:
        shapes["doc_topic_samples.npy"] = model.doc_topic_samples_.shape[-2:]
    wrong = [f"{name} is {' x '.join(map(str, shape))}" for name, shape in shapes.items()
             if tuple(shape) != expected]
    return f"{', '.join(wrong)}, not {expected[0]} units x {expected[1]} topics" if wrong else None


STAGES: dict[str, Stage] = {stage.name: stage for stage in (
    Stage("documents", None, ("read.records", "read.files", "read.tables", "common.encoding",
                              "read.document_files", "common.chinese", "text.clean", "text.pagetext",
                              "text.ritual", "text.mojibake", "text.metadata", "text.places",
                              "text.duplicates", "text.documents"),
          # The cache keeps the sources relative to the corpus paths: a moved corpus shows its new place.
          _documents_key, _documents, serve=_located_documents, check=_check_documents),
    Stage("tokens", "documents", ("common.chinese", "text.passages", "text.segment", "text.places"),
          _tokens_key, _tokens, check=_check_tokens),
    Stage("corpus", "tokens", ("model.corpus",), _corpus_key, _corpus, load=_load_corpus, save=_save_corpus,
          # Serve the files just written, so a cold run streams from disk like a warm one; the
          # model needs only the corpus: let the token lists go (about 0.5 GB for 75,000 news
          # stories), read again from the cache if asked for (as by a sweep).
          serve_written=True, releases=("tokens",)),
    Stage("model", "corpus", ("model.corpus", "model.topic_model", "model.engines.base",
                              "model.engines.keyatm", "model.themes"),
          _model_key, _model, load=_load_model, save=lambda model, folder: model.save(folder),
          check=_check_model),
)}

__all__ = ["STAGES", "UNIT_SETTINGS", "Stage"]
