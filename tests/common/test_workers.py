"""Worker counts and worker processes: the four rules of the count, which main modules a
spawned worker may import again, Ctrl-C and SIGTERM, the BLAS pools."""

import sys
import types

import pytest

from policytopics.common import workers
from policytopics.common.workers import spawn_safe


@pytest.fixture
def two_cpus(monkeypatch):
    monkeypatch.setattr("policytopics.common.workers.available_cpus", lambda: 2)
    monkeypatch.setattr("policytopics.common.workers.spawn_safe", lambda: True)


def test_a_document_stage_uses_workers_if_set_else_one_per_cpu_on_large_inputs(two_cpus):
    assert workers.resolve_workers(3, 10, min_docs=200) == 3
    assert workers.resolve_workers(0, 10, min_docs=200) == 1
    assert workers.resolve_workers(0, 500, min_docs=200) == 2
    assert workers.resolve_workers(0, None, min_docs=200) == 2
    with pytest.raises(ValueError, match="workers must be 0 \\(auto\\) or more, got -1"):
        workers.resolve_workers(-1, 10, min_docs=200)
    count, items = workers.plan_workers(0, iter(range(5)), min_docs=200)
    assert (count, list(items)) == (1, [0, 1, 2, 3, 4])  # looked ahead, nothing lost


def test_the_studys_own_steps_use_workers_if_set_else_every_cpu(two_cpus):
    assert workers.study_workers(3) == 3
    assert workers.study_workers(0) == 2


def test_figures_are_drawn_by_workers_up_to_a_corpus_size_unless_a_count_is_set(two_cpus, monkeypatch):
    limit = workers.FIGURE_WORKERS_MAX_DOCS
    assert workers.figure_workers(0, 100) == 2
    assert workers.figure_workers(0, limit + 1) == 1
    assert workers.figure_workers(3, limit + 1) == 3
    assert workers.figure_workers(3, 100, drawing=False) == 1
    monkeypatch.setattr("policytopics.common.workers.spawn_safe", lambda: False)
    assert workers.figure_workers(3, 100) == 1


def test_a_sweep_uses_two_workers_unless_told():
    from policytopics.cli import build_parser

    sweep = build_parser().parse_args(["sweep"])
    assert sweep.workers == workers.SWEEP_WORKERS == 2


@pytest.mark.parametrize(("file", "spec", "safe"), [
    (None, None, True),  # a notebook or the REPL: no main file to run again
    ("/venv/bin/policytopics", None, True),  # the command line's guarded entry point
    ("/venv/lib/pytest/__main__.py", "pytest.__main__", True),
    ("/home/me/analysis.py", None, False),  # a script of one's own may run its study again
    ("/home/me/pkg/run.py", "pkg.run", False),
])
def test_spawned_workers_only_from_a_main_module_that_guards_its_entry_point(monkeypatch, file, spec, safe):
    main = types.ModuleType("__main__")
    if file is not None:
        main.__file__ = file
    main.__spec__ = types.SimpleNamespace(name=spec) if spec else None
    monkeypatch.setitem(sys.modules, "__main__", main)
    assert spawn_safe() is safe


def test_figure_workers_auto_draws_a_large_corpus_here_and_an_explicit_count_wins(sample_study, monkeypatch):
    from policytopics.report import figure_files as outputs
    from policytopics.settings.config import replace

    monkeypatch.setattr("policytopics.common.workers.available_cpus", lambda: 2)
    monkeypatch.setattr("policytopics.common.workers.spawn_safe", lambda: True)
    auto = sample_study.config
    two = replace(auto, compute=replace(auto.compute, workers=2))
    assert outputs.figure_workers(auto, 100) == 2
    assert outputs.figure_workers(auto, outputs.FIGURE_WORKERS_MAX_DOCS + 1) == 1
    assert outputs.figure_workers(two, outputs.FIGURE_WORKERS_MAX_DOCS + 1) == 2
    no_figures = replace(two, output=replace(two.output, figure_formats=()))
    assert outputs.figure_workers(no_figures, 100) == 1
    monkeypatch.setattr("policytopics.common.workers.spawn_safe", lambda: False)
    assert outputs.figure_workers(two, 100) == 1


_INTERRUPTED_SCRIPT = '''
import pathlib, signal, sys, time

from policytopics.common.workers import map_chunks


def work(chunk, folder):
    from tqdm.auto import tqdm

    tqdm(total=1, disable=True).close()  # a named semaphore in a spawned worker
    for item in chunk:
        pathlib.Path(folder, f"started{item}").touch()
        if item:
            time.sleep(60)
    return chunk


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)  # whatever the test runner ignores
    try:
        for _ in map_chunks(work, [0, 1], (sys.argv[1],), workers=2, chunk_size=1):
            pass
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
'''


@pytest.mark.skipif(sys.platform == "win32", reason="Ctrl-C reaches every process of a POSIX terminal")
def test_ctrl_c_reaches_the_workers_silently_and_ends_them(tmp_path):
    """#31: a terminal's Ctrl-C reaches every worker too; each printed a traceback before the
    one line. One worker waits idle (its chunk done), one sleeps in its chunk: the user sees
    one line, at once, and no worker is left behind."""
    import os
    import signal
    import subprocess
    import time

    script = tmp_path / "interrupted.py"
    script.write_text(_INTERRUPTED_SCRIPT, encoding="utf-8")
    process = subprocess.Popen([sys.executable, str(script), str(tmp_path)], cwd=tmp_path, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while not ((tmp_path / "started0").exists() and (tmp_path / "started1").exists()):
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.1)
    time.sleep(1)  # the first worker is back waiting for work
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    interrupted = time.monotonic()
    _, err = process.communicate(timeout=50)
    assert time.monotonic() - interrupted < 30  # the sleeping worker was ended, not waited for
    assert (process.returncode, err.strip()) == (130, "interrupted")
    def group_alive():
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return False
        return True

    deadline = time.monotonic() + 10  # orphans are reaped by init, a moment later
    while group_alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not group_alive()  # no worker of the group is left


@pytest.mark.slow
def test_sigterm_to_the_study_ends_its_workers_with_it(samples, repo, tmp_path):
    # kill PID (a notebook's or a scheduler's stop: SIGTERM to the main process only) during
    # the outputs left four helpers alive for over 100 s, holding stdout (#37).
    import os
    import signal
    import subprocess
    import sys
    import time

    import psutil

    started = tmp_path / "started"
    driver = f"""
import sys, time
from policytopics.estimate import uncertainty
real = uncertainty._chunk
def slow(*args):
    with open({str(started)!r}, "a") as fh:
        fh.write("x")
    time.sleep(120)
    return real(*args)
uncertainty._chunk = slow
from policytopics.cli import main
raise SystemExit(main(sys.argv[1:]))
"""
    command = [sys.executable, "-c", driver, "run", "--study", str(repo / "study.toml"),
               "--corpus", str(samples), "--topics", "3", "--workers", "2", "--formats", "png",
               "--out", str(tmp_path / "out"),
               "--cache-dir", str(tmp_path / "cache"), "--no-progress", "-q"]
    main = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 240
        while not (started.is_file() and len(started.read_text()) >= 2):  # both workers drawing
            assert main.poll() is None and time.monotonic() < deadline, main.communicate()
            time.sleep(0.2)
        helpers = psutil.Process(main.pid).children(recursive=True)
        assert len(helpers) >= 2
        os.kill(main.pid, signal.SIGTERM)
        _, err = main.communicate(timeout=30)
        _, alive = psutil.wait_procs(helpers, timeout=5)
        assert not alive, [p.cmdline() for p in alive]
        assert main.returncode == 143 and "stopped (SIGTERM)" in err, err
    finally:
        main.kill()


_THREADS_SCRIPT = '''
import json, sys

from threadpoolctl import threadpool_info

from policytopics import Study, load_study
from policytopics.common.workers import map_chunks


def blas_threads(chunk=None):
    return [max(pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas")]


if __name__ == "__main__":
    study, corpus, out = sys.argv[1:4]
    seen = {"before": blas_threads()[0]}
    config = load_study(study, corpus=corpus, out=out, output__cache_dir=out + "/cache", workers=1,
                        output__figure_formats=[])
    Study(config, progress=False).run(on_fitted=lambda study: seen.update(run=blas_threads()[0]))
    seen["after"] = blas_threads()[0]
    seen["worker"] = next(map_chunks(blas_threads, [0], workers=2, chunk_size=1))[0]
    print(json.dumps(seen))
'''


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the BLAS pools as Linux sizes them")
def test_the_blas_pools_are_the_studys_worker_count_and_one_in_a_worker(repo, samples, tmp_path):
    # Under a 2 GB address-space limit a run failed after its fit, "OpenBLAS error: Memory
    # allocation still failed", at 0.45 GB in use (#37): every thread of a pool sized by the
    # machine's cores reserves address space. The run's pools are its workers' count, a
    # worker's one; the study leaves this process's pools as it found them.
    import json
    import subprocess

    from policytopics.common.workers import available_cpus

    if available_cpus() < 2:
        pytest.skip("one CPU: the pools are one thread already")
    script = tmp_path / "threads.py"
    script.write_text(_THREADS_SCRIPT, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(repo / "study.toml"), str(samples),
                           str(tmp_path / "out")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["before"] >= 2 and seen["after"] == seen["before"]
    assert (seen["run"], seen["worker"]) == (1, 1)


def test_trim_memory_runs_anywhere():
    from policytopics.common.workers import trim_memory

    assert trim_memory() is None  # raises nowhere: glibc, musl or no pyarrow pool alike
