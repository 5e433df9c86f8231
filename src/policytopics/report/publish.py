"""Publishing a run: its output folders checked, staged and swapped in whole.

Before any work, the output and cache folders are checked (writable, apart from the corpus
and the study's own folder). A run then writes its tables, figures, explorer page and
``run.json`` into new folders beside the old ones, each with the list of its files
(:data:`MANIFEST`), and publishes them at the end (:func:`staged_outputs`): a reader never
sees a mix of two runs, and a failed run leaves the earlier one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Collection, Mapping
from itertools import pairwise
from pathlib import Path

from policytopics.report.figure_files import is_run_figure, start_figures
from policytopics.report.output_tables import DOCUMENT_TABLES, RUN_TABLES, is_figure_table, is_run_table
from policytopics.settings.config import OutputConfig, StudyConfig
from policytopics.store.writing import check_writable_folder


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



__all__ = ["MANIFEST", "StagedOutputs", "check_apart_from_corpus", "check_folders", "only_run_files",
           "read_manifest", "staged_outputs", "write_outputs"]
