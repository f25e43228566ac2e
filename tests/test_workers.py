"""run_forked: results map to their tasks, each task gets a fresh child, nothing hangs.

The task functions live at module level: children import this module to unpickle them.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from multiprocessing import forkserver
from pathlib import Path

import pytest

from helpers.errors import UsageError, WorkerError
from helpers.run.workers import Outcome, Status, run_forked, stop_server
from tests.runs import gone

_CALLS = 0  # per process: a fresh child always starts from 0


def square_after(task: tuple[int, float]) -> int:
    value, delay = task
    time.sleep(delay)
    return value * value


def fresh_state(task: int) -> tuple[int, int]:
    global _CALLS
    _CALLS += 1
    return os.getpid(), _CALLS


def misbehave(task: tuple[str, str]) -> object:
    kind, arg = task
    if kind == "raise":
        raise ValueError(f"no data for {arg}")
    if kind == "exit":
        os._exit(int(arg))
    if kind == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if kind == "segfault":
        ctypes.string_at(0)
    if kind == "hang":
        time.sleep(600)
    if kind == "unpicklable":
        return lambda: None
    return arg


def hang_with_child(pid_file: str) -> None:
    """Starts a grandchild, records both pids, then hangs: only a kill ends it."""
    child = subprocess.Popen(["sleep", "600"])
    Path(pid_file).write_text(f"{os.getpid()} {child.pid}")
    time.sleep(600)


def _wait_for(path: Path, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not (path.exists() and path.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.05)


def test_results_belong_to_their_tasks_whatever_order_they_finish_in() -> None:
    tasks = [(value, 0.05 * (6 - value)) for value in range(6)]  # later tasks finish first
    outcomes = list(run_forked(tasks, square_after, workers=3, timeout=30))
    assert sorted(o.index for o in outcomes) == list(range(len(tasks)))
    assert [o.index for o in outcomes] != sorted(o.index for o in outcomes)
    for outcome in outcomes:
        assert outcome.ok and outcome.status is Status.OK
        assert outcome.task == tasks[outcome.index]
        assert outcome.result == outcome.task[0] ** 2
        assert outcome.seconds >= outcome.task[1]
        assert outcome.max_rss is not None and outcome.max_rss > 0
        assert outcome.exitcode == 0


def test_every_task_runs_in_a_fresh_child() -> None:
    outcomes = list(run_forked(range(4), fresh_state, workers=1))
    pids = {o.result[0] for o in outcomes}
    assert len(pids) == 4 and os.getpid() not in pids
    assert [o.result[1] for o in outcomes] == [1, 1, 1, 1]


def running_interval(delay: float) -> tuple[float, float]:
    started = time.time()  # wall clock: comparable across processes
    time.sleep(delay)
    return started, time.time()


def test_at_most_workers_children_run_at_once() -> None:
    outcomes = list(run_forked([0.3] * 5, running_interval, workers=2, timeout=30))
    intervals = [o.result for o in outcomes if o.result is not None]
    assert len(intervals) == 5
    busiest = max(
        sum(1 for start, end in intervals if start <= moment < end) for moment, _ in intervals
    )
    assert busiest == 2


def test_a_raising_task_is_an_error_with_its_traceback() -> None:
    [outcome] = run_forked([("raise", "东城")], misbehave, workers=1)
    assert outcome.status is Status.ERROR and not outcome.ok
    assert "ValueError: no data for 东城" in (outcome.error or "")
    assert isinstance(outcome.exception, ValueError)
    assert outcome.result is None


@pytest.mark.parametrize(
    ("kind", "arg", "exitcode"),
    [
        ("exit", "3", 3),
        ("kill", "", -signal.SIGKILL),
        ("segfault", "", -signal.SIGSEGV),
    ],
)
def test_a_crashing_child_is_reported_and_the_batch_goes_on(
    kind: str, arg: str, exitcode: int
) -> None:
    tasks = [(kind, arg), ("value", "after the crash")]
    outcomes = {o.index: o for o in run_forked(tasks, misbehave, workers=1, timeout=30)}
    crashed = outcomes[0]
    assert crashed.status is Status.CRASHED
    assert crashed.exitcode == exitcode
    assert str(exitcode) in (crashed.error or "")
    assert outcomes[1].ok and outcomes[1].result == "after the crash"


def test_a_task_past_its_timeout_is_killed_with_what_it_started(tmp_path: Path) -> None:
    pid_file = tmp_path / "pids"
    tasks: list[object] = [str(pid_file)]
    started = time.monotonic()
    [outcome] = run_forked(tasks, hang_with_child, workers=1, timeout=1.5)
    assert time.monotonic() - started < 30
    assert outcome.status is Status.TIMEOUT
    assert outcome.exitcode == -signal.SIGKILL
    assert "timed out" in (outcome.error or "")
    child, grandchild = map(int, pid_file.read_text().split())
    assert gone(child) and gone(grandchild)


def test_timeout_does_not_cut_other_tasks_short() -> None:
    tasks = [("hang", ""), ("value", "quick")]
    outcomes = {o.index: o for o in run_forked(tasks, misbehave, workers=2, timeout=2.0)}
    assert outcomes[0].status is Status.TIMEOUT
    assert outcomes[1].ok and outcomes[1].result == "quick"


def test_a_result_that_cannot_be_sent_back_is_an_error() -> None:
    [outcome] = run_forked([("unpicklable", "")], misbehave, workers=1)
    assert outcome.status is Status.ERROR
    assert "could not be sent back" in (outcome.error or "")


def test_a_preload_module_that_does_not_exist_fails_the_task() -> None:
    [outcome] = run_forked(
        [("value", "x")], misbehave, workers=1, preload=["kpibook_no_such_module"]
    )
    assert outcome.status is Status.ERROR
    assert isinstance(outcome.exception, ModuleNotFoundError)


def test_a_server_killed_while_it_starts_is_started_again() -> None:
    """Killed (as by the kernel's out-of-memory killer) while the batch waits for it to
    answer: a new server is started, and the task runs in a child of that one."""
    stop_server()
    killed: list[int] = []

    def kill_the_server() -> None:
        time.sleep(0.4)  # the server imports helpers.run.warm for a second or more
        pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
        if pid:
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    killer = threading.Thread(target=kill_the_server)
    killer.start()
    try:
        [outcome] = run_forked([("value", "x")], misbehave, workers=1, preload=["helpers.run.warm"])
    finally:
        killer.join()
    assert outcome.status is Status.OK and outcome.result == "x"
    assert killed and forkserver._forkserver._forkserver_pid not in (None, *killed)


def test_a_server_that_dies_whenever_it_starts_is_a_clear_error() -> None:
    with pytest.raises(WorkerError, match="生成报告的服务进程在启动时意外退出") as caught:
        list(run_forked([("value", "x")], misbehave, workers=1, preload=["tests.dies_on_import"]))
    assert "died while starting, twice" in str(caught.value)
    assert getattr(forkserver._forkserver, "_forkserver_pid", None) is None  # none left


def test_no_tasks_no_outcomes() -> None:
    assert list(run_forked([], misbehave, workers=2)) == []


@pytest.mark.parametrize("workers", [0, -1])
def test_workers_must_be_positive(workers: int) -> None:
    with pytest.raises(UsageError):
        list(run_forked([("value", "x")], misbehave, workers=workers))


def test_keyboard_interrupt_in_the_parent_kills_the_children(tmp_path: Path) -> None:
    pid_files = [str(tmp_path / f"pids-{i}") for i in range(2)]

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 3.0)
    outcomes: list[Outcome[str, None]] = []
    try:
        with pytest.raises(KeyboardInterrupt):
            for outcome in run_forked(pid_files, hang_with_child, workers=2, timeout=120):
                outcomes.append(outcome)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert outcomes == []
    for pid_file in map(Path, pid_files):
        _wait_for(pid_file, within=0.5)
        if pid_file.exists() and pid_file.read_text().strip():
            child, grandchild = map(int, pid_file.read_text().split())
            assert gone(child) and gone(grandchild)
    assert any(Path(p).exists() for p in pid_files)  # the interrupt came after they started


def test_children_die_with_their_parent(tmp_path: Path) -> None:
    """A batch killed from outside (SIGKILL: no clean-up runs) leaves no child behind."""
    pid_files = [str(tmp_path / f"pids-{i}") for i in range(2)]
    script = tmp_path / "batch.py"
    script.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parents[1])!r})\n"
        "from helpers.run.workers import run_forked\n"
        "from tests.test_workers import hang_with_child\n"
        "if __name__ == '__main__':\n"
        f"    list(run_forked({pid_files!r}, hang_with_child, workers=2, timeout=120))\n"
    )
    batch = subprocess.Popen([sys.executable, str(script)])
    try:
        for pid_file in map(Path, pid_files):
            _wait_for(pid_file, within=60)
    finally:
        batch.kill()
        batch.wait()
    for pid_file in map(Path, pid_files):
        child, grandchild = map(int, pid_file.read_text().split())
        assert gone(child) and gone(grandchild)
