"""What a study writes to disk: tables, figures, the explorer page, the run record.

Plain functions that take computed frames and settings and write files through the
package's one atomic writer (:mod:`policytopics.store.writing`); computing stays in the stage
modules and wiring in :mod:`policytopics.study.study`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from collections.abc import Callable, Collection, Mapping
from itertools import pairwise
from pathlib import Path

import pandas as pd

from policytopics.common.chinese import cut_label
from policytopics.settings.config import OutputConfig, StudyConfig
from policytopics.store.writing import check_writable_folder, write_csv, write_json, write_parquet

log = logging.getLogger("policytopics")

#: Tables also written as Parquet (typed columns, for the next analysis step).
PARQUET_TABLES = ("doc_topics", "passage_topics", "theme_")


def software_versions(engine) -> dict:
    """The package (with its modules' code), Python, the libraries and the topic engine a
    run used: the run record's first entries."""
    import platform

    import gensim
    import jieba
    import matplotlib

    from policytopics.store.keys import code_version

    return {
        "policytopics": code_version(),
        "python": platform.python_version(),
        "libraries": {"gensim": gensim.__version__, "jieba": jieba.__version__,
                      "pandas": pd.__version__, "matplotlib": matplotlib.__version__},
        # The engine's version and, for tomotopy, the instruction set it ran with (picked at
        # import, pinned with TOMOTOPY_ISA): Gibbs sampling is bit-for-bit the same only with
        # both the same.
        "engine": {"name": engine.name, **engine.versions()},
    }


def check_folders(output: OutputConfig, *, write: bool = True) -> None:
    """The output (``write``: tables, and figures if any format is asked for) and cache
    folders can be written, and ``figure_tables`` names tables a run writes (none that holds
    the corpus's documents); else one ``ValueError`` line naming the setting."""
    for name in output.figure_tables:
        if name not in RUN_TABLES or name in DOCUMENT_TABLES:
            allowed = ", ".join(t for t in RUN_TABLES if t not in DOCUMENT_TABLES)
            raise ValueError(f"[output] figure_tables: {name!r} is not a table of numbers a run writes; "
                             f"one of {allowed}")
    if write:
        check_writable_folder(output.tables_dir, "the output folder (--out, [output] tables_dir)")
        if output.figure_formats:
            check_writable_folder(output.figures_dir, "the figures folder ([output] figures_dir)")
    check_writable_folder(output.cache_dir, "the cache folder (--cache-dir, [output] cache_dir)")


#: Every table a run writes (``NAME.csv``, some also ``NAME.parquet``); ``theme_seeds`` only
#: with seeded themes. With the explorer page and ``run.json``, the study's own files in the
#: tables folder: a run replaces them all (:func:`staged_outputs`).
RUN_TABLES = ("documents", "doc_topics", "passage_topics", "topic_words", "topics", "theme_weights_by_region",
              "theme_weights_by_period", "theme_weights_by_region_period", "theme_emphasis_by_region",
              "theme_emphasis_by_period", "theme_effects", "effect_levels", "effect_difference",
              "effect_curves", "topic_correlations", "coverage", "labels_template", "theme_seeds")
#: Tables that hold the corpus's documents (their text, titles, ids): never written beside the
#: figures (``[output] figure_tables``), which a study may publish.
DOCUMENT_TABLES = ("documents", "doc_topics", "passage_topics", "topics")
#: The file formats of figures.
FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def is_run_table(name: str) -> bool:
    """Whether a file of the tables folder is a run's own (a table, the explorer, ``run.json``),
    not the user's or the sweep's (``k_selection.csv``)."""
    stem, _, suffix = name.partition(".")
    if name in ("topic_explorer.html", "run.json"):
        return True
    return stem in RUN_TABLES and suffix in ("csv", "parquet")


def is_run_figure(name: str) -> bool:
    """Whether a file of the figures folder is one of a run's figures (by the registered names;
    an effect's figures by their pattern), not the sweep's ``k_selection`` or the user's."""
    import re

    path = Path(name)
    if path.suffix not in FIGURE_SUFFIXES:
        return False
    patterns = [re.escape(entry.name).replace(re.escape("{covariate}"), ".+") for entry in registered()]
    return any(re.fullmatch(pattern, path.stem) for pattern in patterns)


def is_figure_table(name: str) -> bool:
    """Whether a file of the figures folder is a table a run writes beside its figures
    (``[output] figure_tables``): a run replaces it, or removes it when no longer asked for."""
    stem, _, suffix = name.partition(".")
    return suffix == "csv" and stem in RUN_TABLES and stem not in DOCUMENT_TABLES


def check_apart_from_corpus(config: StudyConfig) -> None:
    """No output or figures folder holds what a run must not publish over, and none of the
    three is a corpus folder (one ``ValueError`` line naming the flag and the fix).

    A corpus folder as output, figures or cache folder: the next run would read its tables,
    PDF figures and cache files back as articles (such a folder *inside* a corpus folder is
    left out of reading instead: :func:`policytopics.read.files.input_files`). An output or
    figures folder that is the study's folder or holds it (``--out .``: the study file, the
    notes, the notebooks), holds a corpus file or folder, or is the cache folder or inside
    it: a run's tables and figures go to a folder of their own. Any other folder is fine;
    one that holds files of the user's is published into file by file
    (:class:`StagedOutputs`).
    """
    corpus_paths = [Path(path).resolve() for path in config.corpus.paths]
    corpus = {path for path in corpus_paths if path.is_dir()}
    output = config.output
    cache = Path(output.cache_dir).resolve()
    root = Path(config.root).resolve()
    for folder, what in ((output.tables_dir, "the output folder (--out, [output] tables_dir)"),
                         (output.figures_dir, "the figures folder ([output] figures_dir)"),
                         (output.cache_dir, "the cache folder (--cache-dir, [output] cache_dir)")):
        if Path(folder).resolve() in corpus:
            raise ValueError(f"{what} {folder} is the corpus folder: the next run would read the "
                             "study's own files back as articles; write them to another folder")
    fix = "give --out a new folder of its own (e.g. --out outputs) or set [output] tables_dir and figures_dir"
    for folder, what in ((output.tables_dir, "the output folder (--out, [output] tables_dir)"),
                         (output.figures_dir, "the figures folder (--out, [output] figures_dir)")):
        resolved = Path(folder).resolve()
        if _inside(root, resolved):
            held = "is" if resolved == root else "holds"
            raise ValueError(f"{what} {folder} {held} the study's folder {root} (the study file, your "
                             "notes and notebooks): a run writes its tables and figures to a folder of "
                             f"their own; {fix}")
        holding = next((path for path in corpus_paths if _inside(path, resolved)), None)
        if holding is not None:
            raise ValueError(f"{what} {folder} holds the corpus {holding}: a run writes its tables and "
                             f"figures to a folder of their own; {fix}")
        if _inside(resolved, cache):
            raise ValueError(f"{what} {folder} is in the cache folder {output.cache_dir}, which a run "
                             f"rewrites and cleans; {fix}")


def write_tables(tables: Mapping[str, pd.DataFrame], folder: Path) -> dict[str, Path]:
    """``NAME.csv`` (UTF-8 with BOM: Excel opens it) for every table, and ``NAME.parquet``
    for the document, passage and theme tables. Returns the CSV paths by name."""
    written = {}
    for name, frame in tables.items():
        written[name] = write_csv(frame, folder / f"{name}.csv")
        if name.startswith(PARQUET_TABLES):
            write_parquet(frame, folder / f"{name}.parquet")
    return written


def write_figure_tables(tables: Mapping[str, pd.DataFrame], output: OutputConfig,
                        folder: Path | None = None) -> dict[str, Path]:
    """The tables ``[output] figure_tables`` names, as ``NAME.csv`` in the figures folder
    (``folder``, else ``figures_dir``), when the run draws figures. Returns their paths by name."""
    if not output.figure_formats:
        return {}
    folder = Path(folder or output.figures_dir)
    return {name: write_csv(tables[name], folder / f"{name}.csv") for name in output.figure_tables
            if name in tables}


#: Topic labels longer than this many characters are cut in figures (with "…"); the tables
#: keep the full name.
FIGURE_LABEL_CHARS = 24


def registered() -> list:
    """Every figure of the study (importing :mod:`policytopics.report.figures` registers them:
    :mod:`policytopics.report.figures.registry`)."""
    from policytopics.report import figures  # noqa: F401
    from policytopics.report.figures.registry import REGISTRY

    return list(REGISTRY.values())


def short_label(label: str) -> str:
    """``label`` cut to :data:`FIGURE_LABEL_CHARS` for figures
    (:func:`policytopics.common.chinese.cut_label`)."""
    return cut_label(label, FIGURE_LABEL_CHARS)


#: The columns of the figure tables that hold a region or a covariate's level: names a
#: table may give at any length (a 10,000-character region cell stopped every figure with
#: matplotlib's ``FT_Set_Char_Size`` error), cut like topic labels for display.
_NAME_COLUMNS = ("region", "level", "versus")


def _short_names(values) -> dict[str, str]:
    """Each long text of ``values`` → its cut form, unique: two names that share their first
    :data:`FIGURE_LABEL_CHARS` characters stay two groups (``…(2)``)."""
    names = sorted({v for v in values if isinstance(v, str) and len(v) > FIGURE_LABEL_CHARS})
    taken = {v for v in values if isinstance(v, str) and len(v) <= FIGURE_LABEL_CHARS}
    short: dict[str, str] = {}
    for name in names:
        cut, count = short_label(name), 1
        while cut in taken:
            count += 1
            cut = cut_label(name, FIGURE_LABEL_CHARS - len(f"({count})")) + f"({count})"
        short[name] = cut
        taken.add(cut)
    return short


def _short_labels(frames: Mapping[str, object]) -> dict[str, object]:
    """The figure tables with every ``topic_label`` (and the labels dict), region and
    covariate level shortened; the tables written keep the full values."""
    out = dict(frames)
    tables = {name: frame for name, frame in frames.items() if isinstance(frame, pd.DataFrame)}
    long_names = _short_names({value for frame in tables.values() for column in _NAME_COLUMNS
                               if column in frame.columns for value in frame[column].dropna().unique()})
    for name, frame in tables.items():
        if "topic_label" in frame.columns:
            frame = out[name] = frame.assign(topic_label=frame["topic_label"].map(short_label))
        shortened = {c: frame[c].replace(long_names) for c in _NAME_COLUMNS
                     if long_names and c in frame.columns and pd.api.types.is_string_dtype(frame[c])}
        if shortened:
            out[name] = frame.assign(**shortened)
    if isinstance(frames.get("topic_labels"), dict):
        out["topic_labels"] = {t: short_label(label) for t, label in frames["topic_labels"].items()}
    return out


def skipped_figures(frames: Mapping[str, object]) -> dict[str, str]:
    """The figures a study cannot show, by file name, with the reason in words; and
    ``effects`` when the formula's effects were not estimated."""
    skipped = {}
    if frames.get("effects_reason"):
        skipped["effects"] = (f"effects of {frames.get('effects_formula')!r} not estimated: "
                              f"{frames['effects_reason']}")
    for entry in registered():
        for name, keywords in entry.instances(frames.get(entry.table)):
            reason = entry.skip(frames, keywords)
            if reason:
                skipped[name] = reason
    return skipped


def drawable_figures(frames: Mapping[str, object]) -> list[str]:
    """The file names of every figure the study can draw from ``frames`` (not skipped)."""
    skipped = skipped_figures(frames)
    return [name for entry in registered() if frames.get(entry.table) is not None
            for name, _ in entry.instances(frames[entry.table]) if name not in skipped]


def figure_jobs(frames: Mapping[str, object], config, *, only: Collection[str] | None = None) -> list[tuple]:
    """The figures the study draws from ``frames``, as jobs ``(name, function, args, keywords)``:
    every one it can, or those of them named in ``only`` (a quick run's).

    A figure is drawn only when it can show something (:func:`skipped_figures`); topic labels
    longer than :data:`FIGURE_LABEL_CHARS` are cut in the figures (:func:`short_label`).
    """
    frames = _short_labels(frames)
    skipped = skipped_figures(frames)
    for name, reason in skipped.items():
        # debug: the run's summary and run.json list them (info printed each twice).
        log.debug("figure %s not drawn: %s", name, reason)
    jobs = []
    for entry in registered():
        table = frames.get(entry.table)
        if table is None:
            continue
        for name, keywords in entry.instances(table):
            if name not in skipped and (only is None or name in only):
                jobs.append((name, entry.draw, (table,), {**entry.options(frames, config), **keywords,
                                                          "language": config.output.language}))
    return jobs


def write_figures(frames: Mapping[str, object], config: StudyConfig, *,
                  only: Collection[str] | None = None) -> list[Path]:
    """The study's figures in ``figures_dir``, under stable names, in every format asked
    (:func:`start_figures`, waited for); only those named in ``only`` if given."""
    return start_figures(frames, config, only=only)()


def write_outputs(frames: Mapping[str, object], config: StudyConfig, tables: Callable[[], object],
                  explorer: Callable[[], object], *,
                  only: Collection[str] | None = None) -> tuple[dict[str, object], dict[str, float]]:
    """Figures, tables and explorer: the figures (those named in ``only``, if given) drawn by
    worker processes (:func:`start_figures`) while ``tables()`` and ``explorer()`` write
    theirs here. Returns the written paths by kind
    and the seconds of each: ``weights`` (the tables), ``explorer``, and ``figures``, the time
    spent starting the figures and waiting for them afterwards, not their own drawing time."""
    import time

    laps = [time.perf_counter()]

    def lap(result):
        laps.append(time.perf_counter())
        return result

    wait = lap(start_figures(frames, config, only=only))
    try:
        written = {"tables": lap(tables()), "explorer": lap(explorer())}
    except BaseException:
        getattr(wait, "cancel", lambda: None)()
        raise
    written["figures"] = lap(wait())
    seconds = [b - a for a, b in pairwise(laps)]
    return written, {"weights": round(seconds[1], 3), "explorer": round(seconds[2], 3),
                     "figures": round(seconds[0] + seconds[3], 3)}


#: The list of the files a run wrote into an output folder, kept in that folder: what makes
#: the folder a run's own (:meth:`StagedOutputs.commit`).
MANIFEST = ".policytopics-run.json"


def read_manifest(folder: Path) -> set[str] | None:
    """The files (relative, POSIX) that the last run published into ``folder`` wrote, or
    ``None`` when it holds no readable manifest (:data:`MANIFEST`)."""
    import json

    try:
        files = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return {name for name in files if isinstance(name, str)}


def only_run_files(folder: Path) -> bool:
    """Whether everything in ``folder`` was written by the policytopics run its manifest
    lists: every file listed, no other file or folder, no symbolic link, no mount point
    (:func:`os.path.ismount`) at or below it. Only such a folder is ever swapped whole."""
    from policytopics.store.writing import is_temporary

    folder = Path(folder)
    if not folder.exists():
        return True
    listed = read_manifest(folder) if folder.is_dir() and not folder.is_symlink() else None
    if listed is None:
        return False
    listed_folders = {parent.as_posix() for name in listed for parent in Path(name).parents}
    for current, folders, files in os.walk(folder):
        if os.path.ismount(current):
            return False
        here = Path(current).relative_to(folder)
        for name in folders:
            path = Path(current) / name
            if path.is_symlink() or os.path.ismount(path) or (here / name).as_posix() not in listed_folders:
                return False
        for name in files:
            relative = (here / name).as_posix()
            if relative == MANIFEST or is_temporary(name):
                continue
            if relative not in listed or (Path(current) / name).is_symlink():
                return False
    return True


class StagedOutputs:
    """A run's output folders, written beside the ones they replace, then published.

    ``output`` is the :class:`OutputConfig` with the tables and figures folders moved to the
    temporaries; :meth:`final` gives where a written path ends up. See :func:`staged_outputs`.
    """

    def __init__(self, output: OutputConfig):
        from dataclasses import replace

        tables, figures = Path(output.tables_dir), Path(output.figures_dir)
        self.folders = {"tables": tables, "figures": figures}
        self.cache_dir = Path(output.cache_dir)
        # A folder inside the other (``--out DIR``: DIR/figures) is built and published with it.
        roots = [tables]
        if not _inside(figures, tables):
            roots = [figures, tables] if not _inside(tables, figures) else [figures]
        if not output.figure_formats and figures in roots and not figures.is_dir():
            roots.remove(figures)  # no figures, and none of an earlier run to take away
        self.roots = {root: _staging_folder(root) for root in roots}
        self.output = replace(output, tables_dir=self._staged(tables), figures_dir=self._staged(figures))

    def _staged(self, path: Path) -> Path:
        for root, tmp in self.roots.items():
            if _inside(path, root):
                return tmp / _relative(path, root)
        return path

    def final(self, written):
        """``written`` (a path, or a list or dict of them) with each staged path replaced by
        where it is once the folders are published."""
        if isinstance(written, dict):
            return {key: self.final(value) for key, value in written.items()}
        if isinstance(written, list):
            return [self.final(value) for value in written]
        for root, tmp in self.roots.items():
            if isinstance(written, Path) and _inside(written, tmp):
                return root / _relative(written, tmp)
        return written

    def commit(self) -> None:
        """Publish the written folders: the figures first, then the tables with ``run.json``.

        A folder that holds only what an earlier run wrote (:func:`only_run_files`), or none
        yet, is swapped with the new one in one rename. Any other (your notes beside the
        tables, the sweep's files, the cache, a disk mounted below it) is never swapped or
        removed: the run's files are renamed into it one by one, and the files an earlier
        run wrote there that this one did not are removed; nothing else is touched.
        """
        from policytopics.store.writing import exchange_folders, write_json

        for root, tmp in self.roots.items():
            try:
                written = sorted(p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if not p.is_dir())
                write_json(tmp / MANIFEST, {"files": written})
                if _inside(tmp, root) or not only_run_files(root):
                    self._move_in(tmp, root)
                    continue
                try:
                    exchange_folders(tmp, root)
                except OSError:  # a file system without the exchange
                    self._move_in(tmp, root)
            finally:
                # After an exchange this is the earlier run's folder, its files all a run's own.
                shutil.rmtree(tmp, ignore_errors=True)

    def discard(self) -> None:
        for tmp in self.roots.values():
            shutil.rmtree(tmp, ignore_errors=True)

    def _is_own(self, folder: Path, name: str) -> bool:
        """Whether ``folder/name`` is named as a file a run writes (folders published before
        the manifest: :data:`MANIFEST`)."""
        if _same(folder, self.folders["tables"]) and is_run_table(name):
            return True
        return _same(folder, self.folders["figures"]) and (is_run_figure(name) or is_figure_table(name))

    def _move_in(self, tmp: Path, root: Path) -> None:
        """The run's files moved into ``root`` one by one, and the files of an earlier run that
        this one did not write removed: those its manifest lists (or, in a folder without
        one, those named as a run's own)."""
        written = {p.relative_to(tmp) for p in tmp.rglob("*") if not p.is_dir()}
        listed = read_manifest(root) if root.is_dir() else None
        stale: list[Path] = []
        if listed is not None:
            stale = [root / name for name in sorted(listed) if Path(name) not in written
                     and ".." not in Path(name).parts and not Path(name).is_absolute()]
        else:
            for folder in self.folders.values():
                if _inside(folder, root) and folder.is_dir():
                    stale += [path for path in folder.iterdir() if self._is_own(folder, path.name)
                              and _relative(path, root) not in written]
        for path in stale:
            if path.is_file() and not path.is_symlink() and _inside(path.resolve(), root.resolve()):
                path.unlink()
        for relative in sorted(written, key=lambda p: p.as_posix() == MANIFEST):  # the manifest last
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.move(tmp / relative, root / relative)


def _inside(path: Path, folder: Path) -> bool:
    path, folder = Path(os.path.abspath(path)), Path(os.path.abspath(folder))
    return path == folder or folder in path.parents


def _same(a: Path, b: Path) -> bool:
    return os.path.abspath(a) == os.path.abspath(b)


def _relative(path: Path, folder: Path) -> Path:
    return Path(os.path.abspath(path)).relative_to(os.path.abspath(folder))


def _staging_folder(root: Path) -> Path:
    """The new folder of ``root``: beside it (swapped in whole), or inside it where its parent
    cannot be written (then moved in file by file)."""
    import tempfile

    from policytopics.store.writing import temporary_sibling

    try:
        tmp = temporary_sibling(root, only_its_own=True)
    except OSError:
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=root, prefix=f".{root.name}.{os.getpid()}.", suffix=".tmp"))
    # mkdtemp makes a folder its owner alone can read; the outputs keep the old folder's mode.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, root.stat().st_mode & 0o7777 if root.is_dir() else 0o777 & ~umask)
    return tmp


@contextlib.contextmanager
def staged_outputs(output: OutputConfig):
    """Write a run's outputs so that a reader never sees a mix of two runs.

    The tables and figures folders are written as new folders beside the old ones (yielded:
    :class:`StagedOutputs`), with the list of their files (:data:`MANIFEST`), and published at
    the end (:meth:`StagedOutputs.commit`): a folder that holds only an earlier run's files is
    swapped with the new one in one rename (:func:`policytopics.store.writing.exchange_folders`); one
    that holds anything else (your files, the sweep's ``k_selection``, the cache, a mount
    point) gets the run's files one by one and keeps the rest untouched. A run interrupted,
    failed or out of disk space before that leaves the old folders as they were; a table or
    figure that this run does not write (``theme_seeds.csv`` without themes) does not stay
    from an earlier one. An ``OSError`` while writing (a full disk) names the output folder.
    """
    staged = StagedOutputs(output)
    try:
        yield staged
    except OSError as exc:
        staged.discard()
        raise _naming_the_folder(exc, staged) from exc
    except BaseException:
        staged.discard()
        raise
    staged.commit()


def _naming_the_folder(exc: OSError, staged: StagedOutputs) -> OSError:
    """``exc`` naming the output folder that was being written (not the temporary), unless
    it happened elsewhere (the cache)."""
    from policytopics.store.cache import naming_the_cache

    if (named := naming_the_cache(exc, staged.cache_dir)) is not exc:  # the cache's disk is full
        return named
    filename = Path(exc.filename) if exc.filename else None
    folders = [root for root, tmp in staged.roots.items() if filename is None or _inside(filename, tmp)]
    if not folders:
        return exc
    return OSError(exc.errno, f"{exc.strerror or exc} while writing the outputs; the output folder keeps "
                              "its earlier run", " and ".join(str(folder) for folder in folders))


#: Above this many documents ``[compute] workers = 0`` (auto) draws the figures in this process:
#: two figure workers saved 8 s of a 25 s run of 10,000 news stories (at 0.35 GB more), and 14 s
#: of a 2-minute run of all 74,542, whose peak they raised from 1.52 to 2.0 GB.
FIGURE_WORKERS_MAX_DOCS = 20_000


def figure_workers(config: StudyConfig, n_documents: int) -> int:
    """How many processes draw a study's figures (1: this one; see :func:`start_figures`)."""
    from policytopics.common.workers import available_cpus, spawn_safe

    if not config.output.figure_formats or not spawn_safe():
        return 1
    if not config.compute.workers:  # auto
        return 1 if n_documents > FIGURE_WORKERS_MAX_DOCS else available_cpus()
    return config.compute.workers


def start_figures(frames: Mapping[str, object], config: StudyConfig, *,
                  only: Collection[str] | None = None) -> Callable[[], list[Path]]:
    """Start drawing the study's figures (those named in ``only``, if given); returns the
    function that waits for their paths.

    With two CPUs or more (``[compute] workers`` 2 or more, or 0 = auto up to
    :data:`FIGURE_WORKERS_MAX_DOCS` documents), the figures are drawn by that many worker
    processes, one figure per task, while this one goes on with the tables and the explorer;
    each task carries its small tables. The workers are forked from a small server that has
    imported the plotting code (:func:`policytopics.common.workers.prepare_figure_workers`), not
    from this process: a worker forked from here keeps every page of it alive, and the pages
    this one then writes are copied (the full news corpus peaked at 2.2 GB so). From a script
    that may not guard its entry point (:func:`policytopics.common.workers.spawn_safe`), or with one
    worker, they are drawn here, before this returns. The files are the same either way
    (tested).
    """
    from policytopics.common.workers import figure_context, interruptible, one_thread, worker_pool

    if not config.output.figure_formats:
        log.info("figure_formats is empty: no figures drawn")
        return list
    jobs = figure_jobs(frames, config, only=only)
    folder = config.output.figures_dir
    _remove_stale_figures(frames, folder, {job[0] for job in jobs})
    formats = tuple(config.output.figure_formats)
    cache = FigureCache(config.output.cache_dir / "figures", formats)
    copied = {job[0]: paths for job in jobs if (paths := cache.copy(job, folder))}
    to_draw = [job for job in jobs if job[0] not in copied]

    def in_job_order(drawn: list[Path]) -> list[Path]:
        cache.keep(drawn, to_draw)
        by_name = {**{job[0]: [] for job in jobs}, **copied}
        for path in drawn:
            by_name[path.stem].append(path)
        return [path for job in jobs for path in by_name[job[0]]]

    documents = frames.get("documents")
    workers = min(figure_workers(config, 0 if documents is None else len(documents)), len(to_draw))
    if workers < 2:
        paths = in_job_order(_draw(to_draw, folder, formats))
        return lambda: paths
    pool = worker_pool(workers, figure_context(), one_thread)
    # Figures differ in cost: one per task keeps the workers busy.
    futures = [pool.submit(_draw, [job], folder, formats) for job in to_draw]

    def result() -> list[Path]:
        with interruptible(pool):
            return in_job_order([path for future in futures for path in future.result()])

    # The caller that fails before waiting stops the workers (none is left writing).
    result.cancel = lambda: pool.shutdown(cancel_futures=True)
    return result


class FigureCache:
    """Figure files kept under their inputs' key: the drawing function, its tables and
    keywords, the formats, the package's code, matplotlib's version and the font's. A figure whose
    inputs did not change (a warm rerun; the coverage figures at a new K) is copied, not
    drawn again: the same inputs give the same bytes."""

    def __init__(self, folder: Path, formats: tuple[str, ...]):
        from importlib import metadata

        import matplotlib

        from policytopics.store.keys import code_version

        self.folder, self.formats = folder, formats
        # What every figure's key holds: its formats, the code and the drawing libraries.
        self._common = (formats, code_version(), matplotlib.__version__, metadata.version("mplfonts"))
        self._keys: dict[str, str] = {}
        self._digests: dict[int, str] = {}
        self._damaged: set[str] = set()  # warned once: a damaged cached figure

    def key(self, job: tuple) -> str:
        from policytopics.store.keys import stable_hash

        name, draw, args, kwargs = job
        if name not in self._keys:
            self._keys[name] = stable_hash(name, draw.__module__, draw.__qualname__, *self._common,
                                           [self._digest(a) for a in args],
                                           {k: self._digest(v) for k, v in sorted(kwargs.items())})
        return self._keys[name]

    def _digest(self, value) -> str:
        from policytopics.store.keys import stable_hash

        if isinstance(value, pd.DataFrame | pd.Series):
            if id(value) not in self._digests:
                rows = pd.util.hash_pandas_object(value, index=True).to_numpy()
                frame = value.to_frame() if isinstance(value, pd.Series) else value
                shape = [list(map(str, frame.columns)), list(map(str, frame.dtypes))]
                self._digests[id(value)] = stable_hash(shape, rows.tobytes().hex())
            return self._digests[id(value)]
        if isinstance(value, dict):
            return stable_hash({str(k): self._digest(v) for k, v in value.items()})
        return stable_hash(value)

    def _files(self, job: tuple) -> list[Path] | None:
        """The job's files in the cache; ``None`` for a table that cannot be hashed (lists in
        cells): such a figure is always drawn."""
        try:
            key = self.key(job)
        except TypeError:
            return None
        return [self.folder / key / f"{job[0]}.{fmt}" for fmt in self.formats]

    def copy(self, job: tuple, folder: Path) -> list[Path]:
        """The job's files copied from the cache into ``folder`` (none if it holds them not,
        or holds one that differs from its checksum: it is drawn again)."""
        from policytopics.store.checksums import verified
        from policytopics.store.writing import copy_file

        files = self._files(job)
        if not files or not all(verified(path, "figures", self._damaged) for path in files):
            return []
        return [copy_file(cached, folder / cached.name) for cached in files]

    def keep(self, paths: list[Path], jobs: list[tuple]) -> None:
        """Keep the figures just drawn (``paths``, written by ``jobs``) in the cache."""
        from policytopics.store.checksums import keep_checksums
        from policytopics.store.writing import copy_file

        drawn = {path.name: path for path in paths}
        for job in jobs:
            for cached in self._files(job) or []:
                if cached.name in drawn:
                    keep_checksums(copy_file(drawn[cached.name], cached))


def _remove_stale_figures(frames: Mapping[str, object], folder: Path, drawn: set[str]) -> None:
    """Remove the figures of an earlier run that this one cannot draw: they would be read as
    current (the effects' figures are named after the covariates of their run's formula)."""
    stale_names = [f"{name}.*" for name in skipped_figures(frames)] + ["effect_*.*"]
    for pattern in stale_names:
        for stale in sorted(folder.glob(pattern)):
            if stale.suffix in (".png", ".svg", ".pdf") and stale.stem not in drawn:
                stale.unlink()
                log.info("removed %s: this run does not draw it", stale.name)


def _draw(jobs: list, folder: Path, formats: tuple[str, ...]) -> list[Path]:
    """Draw and export figure jobs."""
    from policytopics.report.figures import export_figure

    paths: list[Path] = []
    for name, draw, args, kwargs in jobs:
        paths += export_figure(draw(*args, **kwargs), name, folder, formats=formats)
    return paths


def write_explorer(model, path: Path, *, topic_labels: dict[int, str], language: str,
                   cache: tuple[Path, str] | None = None) -> Path:
    """The interactive topic explorer, one offline HTML file. With ``cache`` (a folder and
    the model's key) a page of the same model, labels, language and code is copied from
    there instead of being built again (unless it differs from its checksum)."""
    from policytopics.report.explorer import write_explorer as write_page
    from policytopics.store.checksums import keep_checksums, verified
    from policytopics.store.keys import code_version, stable_hash
    from policytopics.store.writing import atomic_write, copy_file

    if cache is None:
        return write_page(model, path, topic_labels=topic_labels, language=language)
    folder, model_key = cache
    kept = folder / f"{stable_hash(model_key, topic_labels, language, code_version())}.html"
    if not verified(kept, "explorer"):
        atomic_write(kept, lambda tmp: write_page(model, tmp, topic_labels=topic_labels, language=language))
        keep_checksums(kept)
    return copy_file(kept, path)


def write_run_record(record: dict, path: Path) -> Path:
    """``run.json``: what produced the outputs (versions, settings, cache hits, timings)."""
    return write_json(path, record)


def write_sweep(result: dict, config: StudyConfig) -> list[Path]:
    """``k_selection.csv``, ``k_selection_runs.csv`` and the ``k_selection`` figure."""
    from policytopics.report.figures import export_figure, plot_k_selection

    out = config.output.tables_dir
    write_csv(result["by_k"], out / "k_selection.csv")
    write_csv(result["runs"], out / "k_selection_runs.csv")
    output = config.output
    figure = plot_k_selection(result["by_k"], suggested=result["suggested_k"], language=output.language)
    return export_figure(figure, "k_selection", output.figures_dir, formats=output.figure_formats)


__all__ = [
    "FIGURE_WORKERS_MAX_DOCS",
    "MANIFEST",
    "RUN_TABLES",
    "StagedOutputs",
    "check_folders",
    "figure_workers",
    "is_figure_table",
    "is_run_figure",
    "is_run_table",
    "only_run_files",
    "read_manifest",
    "software_versions",
    "staged_outputs",
    "start_figures",
    "write_explorer",
    "write_figure_tables",
    "write_figures",
    "write_outputs",
    "write_run_record",
    "write_sweep",
    "write_tables",
]
