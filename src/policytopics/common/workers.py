"""Worker counts and worker processes: how many, and how a stage's work reaches them.

The study's parallel work follows four rules, each a function here and nowhere else:

- :func:`resolve_workers` / :func:`plan_workers`: the processes of a document stage (ingest
  and clean, segment): ``[compute] workers``, or with ``0`` (auto) one per CPU from the
  stage's ``min_docs`` documents on and one below;
- :func:`study_workers`: the study's own parallel steps (the intervals' draws) and its BLAS
  pools: ``[compute] workers``, or with ``0`` every CPU;
- :func:`figure_workers`: the processes that draw the figures: one where none are drawn or
  spawned workers are not safe; with ``0`` (auto) every CPU up to
  :data:`FIGURE_WORKERS_MAX_DOCS` documents and one above;
- :data:`SWEEP_WORKERS`: the processes of a sweep over K when none are asked for.

The document stages are embarrassingly parallel: each document is handled on its own.
:func:`map_chunks` sends chunks of documents to workers and yields the results chunk by
chunk, **in input order**, with a bounded number of chunks in flight, so the output is the
same whatever executes it: local worker processes (the default), started with ``spawn``
(safe with threads, in notebooks and on every operating system), or a Dask cluster
(``dask.distributed``) when a scheduler address is given, e.g. ``tcp://10.0.0.5:8786`` (or
``"local"`` for a :class:`~distributed.LocalCluster` on this machine; Dask is imported only
then).

Notes
-----
The function sent to workers is a module-level function taking ``(chunk, *args)``. It gets
expensive per-worker state (a tokenizer, compiled cleaning rules) through
:func:`worker_state`, which builds it once per worker process and configuration, so the
same function runs unchanged under both executors.

Every local pool is made by :func:`worker_pool` and used inside :func:`interruptible`: its
workers leave Ctrl-C to this process, which stops them and says in one line that it was
interrupted (a terminal sends Ctrl-C to every process of the command, and each worker would
print a traceback of its own).

Examples
--------
>>> from policytopics.common.workers import resolve_workers, study_workers
>>> resolve_workers(0, n_docs=10, min_docs=200)   # auto, a small input: this process
1
>>> study_workers(3)
3
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from pathlib import Path

#: Chunks kept in flight per worker: enough to keep every worker busy, few enough to
#: bound memory on a large corpus.
_IN_FLIGHT_PER_WORKER = 2


def available_cpus() -> int:
    """CPUs this process may run on (respects affinity masks and container limits)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve_workers(workers: int, n_docs: int | None, min_docs: int) -> int:
    """Processes to use: ``workers`` if set, else (``0``, auto) one per CPU from ``min_docs``
    documents on and one below (starting workers costs more than it saves on small inputs)."""
    if workers < 0:
        raise ValueError(f"workers must be 0 (auto) or more, got {workers}")
    if workers:
        return workers
    return 1 if n_docs is not None and n_docs < min_docs else available_cpus()


def study_workers(workers: int) -> int:
    """Processes and threads of the study's own parallel steps (the intervals' draws) and of
    its BLAS pools (:func:`study_threads`): ``workers`` (``[compute] workers``) if set, else
    (``0``, auto) every CPU this process may run on."""
    return workers or available_cpus()


#: Above this many documents ``[compute] workers = 0`` (auto) draws the figures in this process:
#: two figure workers saved 8 s of a 25 s run of 10,000 news stories (at 0.35 GB more), and 14 s
#: of a 2-minute run of all 74,542, whose peak they raised from 1.52 to 2.0 GB.
FIGURE_WORKERS_MAX_DOCS = 20_000


def figure_workers(workers: int, n_documents: int, *, drawing: bool = True) -> int:
    """How many processes draw a study's figures (1: this one).

    Parameters
    ----------
    workers
        ``[compute] workers``: the count, or ``0`` (auto): every CPU up to
        :data:`FIGURE_WORKERS_MAX_DOCS` documents, this process above (the workers' memory
        outweighs their gain on a large corpus).
    n_documents
        The documents the figures are drawn from.
    drawing
        Whether any figure is drawn (``[output] figure_formats`` not empty): none, no workers.

    This process alone also where a spawned worker would run the main script again
    (:func:`spawn_safe`).
    """
    if not drawing or not spawn_safe():
        return 1
    if not workers:  # auto
        return 1 if n_documents > FIGURE_WORKERS_MAX_DOCS else available_cpus()
    return workers


#: The processes of a sweep over K (``Study.sweep``, ``policytopics sweep --workers``) when
#: none are asked for: two fits at a time, and ingest and segmentation if not cached yet.
SWEEP_WORKERS = 2


def plan_workers(workers: int, items: Iterable, min_docs: int, *,
                 total: int | None = None) -> tuple[int, Iterator]:
    """Decide how many processes a stage uses, and hand back its items to iterate.

    The one place where "serial or worker processes" is decided (the document stage and
    segmentation both call it, each with its own ``min_docs``: where starting workers
    begins to pay). With ``workers = 0`` (auto) and no ``total``, up to ``min_docs`` items
    are looked ahead to learn whether the input is small; the returned iterator yields
    every item, those included. Returns ``(1, items)`` for in-process work; a caller with
    a Dask scheduler sends the work to the cluster whatever the count.
    """
    items = iter(items)
    head: list = []
    n_docs = total
    if workers == 0 and total is None:
        head = list(islice(items, min_docs))
        n_docs = len(head) if len(head) < min_docs else None
    return resolve_workers(workers, n_docs, min_docs), chain(head, items)


@functools.lru_cache(maxsize=8)
def worker_state(factory: Callable, *args):
    """``factory(*args)``, built once per process and arguments (which must be hashable)."""
    return factory(*args)


def one_thread() -> None:
    """A worker's numeric libraries use one thread each: the workers are the parallelism
    (measured, 200 draws of 74,000 documents at K = 20 on two cores: one process 17.9 s; two
    workers 14.7 s with two BLAS threads each, 9.2 s with one)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


#: The environment variables that size the numeric libraries' thread pools when they load
#: (OpenBLAS, MKL, BLIS, OpenMP).
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")


#: Those of :data:`THREAD_VARIABLES` the user set: kept as they are.
_SET_BY_USER = frozenset(name for name in THREAD_VARIABLES if name in os.environ)


@contextlib.contextmanager
def threads_of_new_processes(n: int):
    """Libraries loaded inside this, and processes started inside it, make their numeric
    thread pools of ``n`` threads (:data:`THREAD_VARIABLES`, set here and restored after): a
    pool is sized before it is made, not cut down after. Variables the user set are kept."""
    saved = {name: os.environ.get(name) for name in THREAD_VARIABLES}
    os.environ.update({name: str(n) for name in THREAD_VARIABLES if name not in _SET_BY_USER})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def study_threads(workers: int):
    """This process's BLAS and OpenMP pools limited to the study's ``workers`` inside this:
    those loaded already (threadpoolctl) and those loaded meanwhile (scipy's, with the model).

    Each thread of a pool reserves address space (its stack, its BLAS buffer, its malloc
    arena) whether it works or not: under an address-space limit (``ulimit -v``, a batch
    scheduler's) a pool sized by the machine's cores failed a run after its fit ("OpenBLAS
    error: Memory allocation still failed"). Worker processes get one thread each
    (:func:`worker_pool`).
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(max(1, workers)), threads_of_new_processes(max(1, workers)):
        yield


def fork_context():
    """The ``fork`` multiprocessing context on Linux, else ``None``.

    Forked workers share this process's arrays and tables without copying or pickling them
    (the draws' inputs, the figures' tables); where fork is not the safe default (macOS,
    Windows) that work runs in this process.
    """
    import multiprocessing

    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return None


#: Main modules that start no work when a spawned worker imports them again (each guards its
#: entry point): the command line, pytest, a Jupyter kernel.
_GUARDED_MAINS = ("policytopics", "pytest", "ipykernel_launcher", "papermill")


def spawn_safe() -> bool:
    """Whether a worker started with ``spawn`` can import this process's main module again
    without running it: an interactive session or a notebook (no main file), or a main module
    known to guard its entry point (the ``policytopics`` command, pytest, a Jupyter kernel).
    A script of one's own may not guard it (``if __name__ == "__main__":``); work that would
    need such workers then runs in this process."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if path is None:
        return True
    spec = getattr(main, "__spec__", None)
    name = spec.name if spec is not None else Path(path).stem
    return name.split(".")[0] in _GUARDED_MAINS


def figure_context():
    """The context figure workers start in: ``forkserver`` where it exists (Linux), started by
    :func:`prepare_figure_workers`; else ``spawn``."""
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def prepare_figure_workers() -> None:
    """Start the server that figure workers are forked from, early and in the background: a
    fresh process that imports the plotting code once (what a spawned worker does for itself,
    about a second each), small, so a worker forked from it shares little and copies nothing
    of this process's memory. Call it only where figure workers will be started
    (:func:`figure_workers` more than one); without a forkserver it does nothing."""
    context = figure_context()
    if context.get_start_method() != "forkserver":
        return
    context.set_forkserver_preload(["policytopics.report.figures"])
    from multiprocessing import forkserver

    # The server and the workers forked from it: Ctrl-C is ours, one BLAS thread each.
    with interrupts_held(), threads_of_new_processes(1):
        forkserver.ensure_running()


def worker_pool(workers: int, context, initializer: Callable | None = None, initargs: tuple = ()):
    """A ``ProcessPoolExecutor`` whose workers leave Ctrl-C to this process.

    Each worker starts with SIGINT blocked (held back while tasks are submitted, which is
    where the pool starts its processes: a mask that fork, spawn and the forkserver pass on)
    and ignores it from its initializer on, so no worker stops with a traceback of its own;
    this process gets the ``KeyboardInterrupt`` and :func:`interruptible` ends the workers.
    ``initializer(*initargs)`` runs after that in every worker. Use the pool inside
    :func:`interruptible`.
    """
    from concurrent.futures import ProcessPoolExecutor

    class WorkerPool(ProcessPoolExecutor):
        def submit(self, *args, **kwargs):
            # Workers start here: each with one BLAS thread (the workers are the parallelism).
            with interrupts_held(), threads_of_new_processes(1):
                return super().submit(*args, **kwargs)

    return WorkerPool(workers, mp_context=context, initializer=_ignore_interrupts,
                      initargs=(initializer, *initargs))


class Terminated(KeyboardInterrupt):
    """SIGTERM to the study's process (a notebook's or a scheduler's stop, ``kill PID``):
    handled as Ctrl-C is, its workers ended with it (:func:`terminate_as_interrupt`)."""


def _raise_terminated(signum, frame) -> None:
    raise Terminated(f"stopped by signal {signum}")


@contextlib.contextmanager
def terminate_as_interrupt():
    """SIGTERM raises :class:`Terminated` in this process inside this (the main thread only),
    so the pools of :func:`interruptible` end their workers as on Ctrl-C; a forked worker
    takes the default action back (:func:`_ignore_interrupts`)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _end_with_parent() -> None:
    """Ask Linux to send this worker SIGTERM when the process that started it ends (however:
    SIGKILL, a crash), so that no worker outlives the study (``PR_SET_PDEATHSIG``)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))  # PR_SET_PDEATHSIG


def _ignore_interrupts(initializer: Callable | None, *initargs) -> None:
    """A worker's first step: Ctrl-C is this process's to ignore, SIGTERM ends it, and it ends
    with the process that started it (:func:`_end_with_parent`); then its own initializer."""
    import multiprocessing

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker inherits the study's handler
    _end_with_parent()
    if hasattr(signal, "pthread_sigmask"):  # one pending from the start is discarded by SIG_IGN
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if "fork" in multiprocessing.get_all_start_methods():
        # A worker ended after Ctrl-C cleans nothing up: a named semaphore it made (tqdm's lock
        # in a spawned worker) would be reported as leaked after the one line. Made the fork
        # way, a semaphore has no name to leave behind (and a worker's own processes, gensim's
        # LdaMulticore, fork as they do from the command line on Linux up to Python 3.13).
        multiprocessing.set_start_method("fork", force=True)
    if initializer is not None:
        initializer(*initargs)


@contextlib.contextmanager
def interrupts_held():
    """SIGINT blocked in this thread inside this: a process started here inherits the mask,
    and a Ctrl-C meanwhile reaches this process when the block ends (not lost)."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no Ctrl-C to every process
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextlib.contextmanager
def interruptible(pool):
    """Use ``pool`` (a :func:`worker_pool`) in this; it is shut down on leaving, its pending
    tasks cancelled. On Ctrl-C its workers are ended at once: they ignore the signal and
    would otherwise finish every task first (a sweep's fits, minutes). Submit tasks one by
    one, not by ``pool.map``: a map cancels its tasks when interrupted, and Python 3.11's
    pool fails on a cancelled task once its workers are gone (InvalidStateError)."""
    try:
        yield pool
    except KeyboardInterrupt:
        stop_workers(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def stop_workers(pool=None) -> None:
    """End the worker processes of ``pool`` (``None``: every worker process of this one) at
    once, after Ctrl-C."""
    import multiprocessing

    # The pool's processes (a private table of ProcessPoolExecutor, emptied by its shutdown;
    # Python 3.14 has terminate_workers()), or every child process started by multiprocessing.
    processes = (multiprocessing.active_children() if pool is None
                 else list((getattr(pool, "_processes", None) or {}).values()))
    for process in processes:
        if process.is_alive():
            process.terminate()
    if pool is not None:
        # Its manager finds the workers gone and fails their tasks. Not cancelled first:
        # Python 3.11's manager then fails on a cancelled task (InvalidStateError).
        pool.shutdown(wait=True)


def trim_memory() -> None:
    """Hand memory freed by a large stage back to the operating system.

    Python, pyarrow's allocator and glibc's malloc all keep freed memory for reuse, so
    without this the model stage would run on top of everything the ingest and the
    segmentation once held (about 0.9 GB more at the peak for 75,000 news stories). The
    same call Dask's workers use (``malloc_trim``); elsewhere than Linux it only collects.
    """
    gc.collect()
    try:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
    except Exception:  # an allocator without release_unused
        pass
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # not glibc (musl)
            ctypes.CDLL("libc.so.6").malloc_trim(0)


@contextlib.contextmanager
def frozen_heap():
    """Fork worker processes inside this: the memory this process freed is handed back first
    (:func:`trim_memory`: a forked worker would keep it alive), and the objects alive now are
    moved out of the garbage collector's reach (``gc.freeze``) while the workers are forked, so
    a worker's collections do not touch, and thereby copy, the memory pages it shares with this
    process."""
    trim_memory()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def chunks_of(items: Iterable, size: int) -> Iterator[list]:
    """Consecutive lists of ``size`` items (the last shorter), read lazily."""
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk


def map_chunks(function: Callable, items: Iterable, args: tuple = (), *, workers: int = 2,
               chunk_size: int = 500, scheduler: str | None = None) -> Iterator[list]:
    """``function(chunk, *args)`` for consecutive chunks of ``items``, yielded in order.

    Parameters
    ----------
    function
        A module-level function (it is pickled by reference) returning one result per
        item of its chunk.
    items
        Any iterable; it is read lazily, chunk by chunk.
    args
        Extra arguments sent with every chunk (keep them small: settings, not data).
    workers
        Local worker processes, or Dask tasks in flight per ``_IN_FLIGHT_PER_WORKER``.
    chunk_size
        Items per task.
    scheduler
        ``None`` or ``""``: local processes. ``"local"``: a Dask ``LocalCluster`` with
        ``workers`` single-threaded worker processes. Anything else: the address of a
        running Dask scheduler (``tcp://host:8786``); the workers need policytopics
        installed and the study's word-list files at the same paths.
    """
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    chunks = chunks_of(items, chunk_size)
    if scheduler:
        yield from _dask_map(function, chunks, args, workers, scheduler)
        return
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("spawn")
    try:
        with interruptible(worker_pool(workers, context)) as pool:
            yield from _in_order(lambda chunk: pool.submit(function, chunk, *args), chunks,
                                 _IN_FLIGHT_PER_WORKER * workers)
    except BrokenProcessPool as exc:
        raise RuntimeError(
            "a worker process died. If this runs from a script, put the call under "
            "'if __name__ == \"__main__\":' (worker processes re-import the script); if a "
            "worker ran out of memory, lower [compute] workers or chunk_size"
        ) from exc


def _in_order(submit: Callable, chunks: Iterator[list], in_flight: int) -> Iterator[list]:
    """Submit chunks with at most ``in_flight`` pending; yield their results in order."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= in_flight:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def text_scheduler(scheduler: str | None) -> str | None:
    """Where the documents and tokens stages send their texts: a running Dask scheduler (its
    address) as given; for ``"local"`` (a ``LocalCluster`` on this machine), local worker
    processes. On one machine a LocalCluster cleans and segments no faster than the same
    number of processes, and Dask's client keeps memory of every task it was sent (the texts
    of its documents), dask/distributed#8859: the documents stage's main process held 1,091
    MiB at 100,000 articles through a LocalCluster, 583 MiB through local processes. The
    inference and the intervals, whose tasks carry word counts, not texts, still go to the
    LocalCluster."""
    return None if not scheduler or scheduler == "local" else scheduler


def _dask_map(function: Callable, chunks: Iterator[list], args: tuple, workers: int,
              scheduler: str) -> Iterator[list]:
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise ImportError("a Dask scheduler was asked for, but dask.distributed is not "
                          "installed: pip install 'policytopics[dask]'") from exc

    cluster = None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        yield from _in_order(lambda chunk: client.submit(function, chunk, *args, pure=False),
                             chunks, _IN_FLIGHT_PER_WORKER * n_workers)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


__all__ = [
    "FIGURE_WORKERS_MAX_DOCS",
    "SWEEP_WORKERS",
    "THREAD_VARIABLES",
    "Terminated",
    "available_cpus",
    "chunks_of",
    "figure_context",
    "figure_workers",
    "fork_context",
    "frozen_heap",
    "interruptible",
    "map_chunks",
    "one_thread",
    "plan_workers",
    "prepare_figure_workers",
    "resolve_workers",
    "spawn_safe",
    "stop_workers",
    "study_threads",
    "study_workers",
    "terminate_as_interrupt",
    "text_scheduler",
    "threads_of_new_processes",
    "worker_pool",
    "worker_state",
]
