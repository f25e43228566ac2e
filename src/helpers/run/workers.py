"""Run a function on many tasks, each in a fresh child process forked from a preloaded server.

Why: a report must start from a clean interpreter (a notebook that sets a pandas option or a
global for one township must not leak it into the next), but starting Python and importing
pandas/matplotlib/papermill costs seconds. multiprocessing's *forkserver* imports the
``preload`` modules once, in a single-threaded server, and forks a child per task from it: each
task gets a fresh copy of a warm interpreter. (Forking the multi-threaded parent itself can
deadlock on a lock another thread held.)

Each child runs in its own process group, so a timeout kills whatever the task started too;
the child kills that group itself if the parent dies. A child that crashes (segfault,
``os._exit``, killed) becomes a failed :class:`Outcome` with its exit code; the batch goes on.
Closing the iterator, or an exception in the parent such as ``KeyboardInterrupt``, kills the
running children and waits for them; an interrupt also stops the forkserver, so nothing of the
batch runs, or writes, once the caller has cleaned up.

Ctrl-C reaches the whole foreground process group, the forkserver included: it is started
with SIGINT ignored (a KeyboardInterrupt in its warm-up would print a traceback), and its
children restore Python's handler. A child is only started once the server answers (a no-op
task first), and each start runs with SIGINT and SIGTERM held back, so an interrupt never
leaves a forked child the parent does not know of.

``fn`` must be picklable by reference (a module-level function, or a ``functools.partial`` of
one); tasks and results must be picklable. Children are forked from the server, not from the
caller: they have what importing ``preload`` did, not what the caller did in memory since
(caches, options), and the environment the caller had when the server started. Preloaded
modules must not start threads or make matplotlib figures at import (the server forks; a
figure fixes the backend a notebook expects to be inline). The server serves the whole
process and restarts when a call asks for other preload modules: run one batch at a time.
"""

from __future__ import annotations

import contextlib
import enum
import importlib
import multiprocessing
import os
import resource
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing import connection, forkserver
from multiprocessing.context import ForkServerContext
from typing import Any, Generic, TypeVar

from ..errors import UsageError, WorkerError

__all__ = ["Status", "Outcome", "run_forked", "start_server", "stop_server"]

T = TypeVar("T")
R = TypeVar("R")

_KILL_WAIT = 5.0  # seconds to wait for a killed child's exit code before giving up on it


class Status(enum.StrEnum):
    """How a task ended."""

    OK = "ok"  #: ``fn`` returned; ``result`` holds its value
    ERROR = "error"  #: ``fn`` raised; ``error`` holds the traceback
    TIMEOUT = "timeout"  #: the child ran past ``timeout`` and was killed
    CRASHED = "crashed"  #: the child died without reporting (signal, ``os._exit``)


@dataclass(frozen=True)
class Outcome(Generic[T, R]):
    """What became of one task, in one child process."""

    task: T
    index: int  #: position of the task in the input, since outcomes come as they finish
    status: Status
    seconds: float  #: wall time from the child's fork to its end
    result: R | None = None
    error: str | None = None  #: traceback, or what happened to the child
    exception: BaseException | None = field(default=None, compare=False)  #: ``fn``'s, if picklable
    exitcode: int | None = None  #: the child's; negative = killed by that signal
    max_rss: int | None = None  #: the child's peak resident memory in bytes, when it reported

    @property
    def ok(self) -> bool:
        return self.status is Status.OK


def run_forked(
    tasks: Iterable[T],
    fn: Callable[[T], R],
    *,
    workers: int,
    timeout: float | None = None,
    preload: Sequence[str] = (),
) -> Iterator[Outcome[T, R]]:
    """Run ``fn(task)`` for each task in a fresh child, ``workers`` at once; yield as they end.

    ``preload`` names modules the forkserver imports once (each child imports any that are
    missing itself, so a failing import is reported, not skipped). ``timeout`` bounds each
    task's wall time in seconds. Never raises for a task's failure: see :class:`Outcome`.
    """
    if workers < 1:
        raise UsageError(
            f"同时运行的报告数应至少为 1，而不是 {workers} (workers must be at least 1)"
        )
    if timeout is not None and not 0 < timeout < float("inf"):  # nan compares false too
        raise UsageError(
            f"超时应为大于 0 的有限秒数，而不是 {timeout} "
            f"(timeout must be a finite number of seconds above 0, not {timeout})"
        )
    context = _forkserver_context(preload)
    pending = enumerate(tasks)
    running: list[_Child[T]] = []
    exhausted = False
    try:
        _ready(context, tuple(preload))
        while True:
            while not exhausted and len(running) < workers:
                try:
                    index, task = next(pending)
                except StopIteration:
                    exhausted = True
                    break
                with _signals_held():  # a child is either known here or not forked at all
                    running.append(_Child.start(context, index, task, fn, tuple(preload), timeout))
            if not running:
                return
            _wait(running)
            for child in list(running):
                outcome = child.poll()
                if outcome is not None:
                    running.remove(child)
                    yield outcome
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: no child may outlive the caller's clean-up
        _kill_all(running)
        stop_server()
        raise
    finally:
        _kill_all(running)


def _kill_all(running: list[_Child[Any]]) -> None:
    """SIGKILL every running child and wait for each (bounded), then forget them."""
    for child in running:
        child.kill()
    for child in running:
        child.release()
    running.clear()


def _noop(task: Any) -> None:
    """The task that proves the forkserver is up (its preload done) before a real one starts."""


def start_server(preload: Sequence[str] = ()) -> bool:
    """Start the forkserver for ``preload`` and return at once: it imports them meanwhile, and
    :func:`run_forked` with the same ``preload`` waits for it and uses it. False when one with
    these modules runs already."""
    _forkserver_context(preload)
    server = forkserver._forkserver
    before = getattr(server, "_forkserver_pid", None)
    _start()
    return getattr(server, "_forkserver_pid", None) != before


def _start() -> None:
    """Start the forkserver unless it runs, with SIGINT ignored (see the module's docstring;
    only the main thread can set a signal's handler)."""
    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited through exec
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)


def _ready(context: ForkServerContext, preload: tuple[str, ...]) -> None:
    """Start the forkserver (:func:`_start`), and wait for it to fork a no-op child.

    The server warms up for seconds; an interrupt meanwhile only abandons the no-op child.
    Once it has answered, starting a child takes milliseconds, short enough to hold
    signals back (:func:`_signals_held`). A server that dies meanwhile is started again, once;
    then :class:`~helpers.errors.WorkerError`."""
    for attempt in (1, 2):
        _start()
        try:
            child = _Child.start(context, -1, None, _noop, preload, None)
            break
        except (EOFError, OSError) as exc:  # the server died meanwhile: killed, out of memory
            stop_server()  # reaped and forgotten: the next start is a new server
            if attempt == 2:
                raise WorkerError(
                    "生成报告的服务进程在启动时意外退出（被终止，或内存不足？），未能生成报告 "
                    "(the server the reports are started from died while starting, twice: "
                    f"killed, or out of memory? {exc!r})"
                ) from exc
    try:
        while child.poll() is None:  # its outcome is of no interest: a failing preload
            _wait([child])  # shows in every real task's own outcome
    except BaseException:
        child.kill()
        child.release()
        raise


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM delivered only after the block (in the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def stop_server() -> None:
    """Kill the forkserver (mid warm-up, it would go on for seconds) and reap it; the next
    batch starts a new one."""
    server = forkserver._forkserver
    pid = getattr(server, "_forkserver_pid", None)
    if pid is None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)
    stop = getattr(server, "_stop", None)
    with contextlib.suppress(OSError, ChildProcessError):
        if stop is not None:
            stop()


def _wait(running: Sequence[_Child[Any]]) -> None:
    """Block until a child reports, exits or reaches its deadline."""
    deadlines = [c.deadline for c in running if c.deadline is not None]
    wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
    handles: list[Any] = []
    for child in running:
        handles.append(child.process.sentinel)
        if child.reader is not None:
            handles.append(child.reader)
    connection.wait(handles, timeout=wait_for)


def _forkserver_context(preload: Sequence[str]) -> ForkServerContext:
    """The forkserver context, its server (re)started with ``preload`` when it next forks."""
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, ForkServerContext)
    wanted = ["__main__", __name__, *dict.fromkeys(preload)]  # children run _child_main
    server = forkserver._forkserver
    if getattr(server, "_preload_modules", None) != wanted:
        stop = getattr(server, "_stop", None)
        if stop is not None:  # a running server keeps the modules it started with
            stop()
        context.set_forkserver_preload(wanted)
    return context


@dataclass
class _Child(Generic[T]):
    """One task's child process and the pipe it reports on."""

    index: int
    task: T
    process: Any  # multiprocessing.Process of the forkserver context
    reader: connection.Connection | None
    started: float
    deadline: float | None
    report: tuple[Any, ...] | None = None
    timed_out: bool = False

    @classmethod
    def start(
        cls,
        context: ForkServerContext,
        index: int,
        task: T,
        fn: Callable[[T], Any],
        preload: tuple[str, ...],
        timeout: float | None,
    ) -> _Child[T]:
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(
            target=_child_main,
            args=(writer, fn, task, preload),
            name=f"kpibook-task-{index}",
            daemon=False,
        )
        process.start()  # returns once the forkserver has forked the child (it sends its pid)
        started = time.monotonic()
        writer.close()  # the child holds the only writer: its death shows as end of file
        deadline = started + timeout if timeout is not None else None
        return cls(index, task, process, reader, started, deadline)

    def poll(self) -> Outcome[T, Any] | None:
        """The outcome if the child is done (exited, or killed at its deadline), else None."""
        self._read_report()
        if self.process.exitcode is None:
            if (
                self.report is None
                and self.deadline is not None
                and time.monotonic() >= self.deadline
            ):
                self.timed_out = True
                self.kill()
            elif self.reader is None:  # reported, or its pipe closed: the child is exiting
                self.process.join(_KILL_WAIT)
                self.kill()  # stuck on its way out
            if self.process.exitcode is None:
                return None
        self._read_report()  # sent just before it exited
        outcome = self._outcome(time.monotonic() - self.started)
        self.release()
        return outcome

    def _read_report(self) -> None:
        reader = self.reader
        if reader is None or self.report is not None:
            return
        try:
            if not reader.poll():
                return
            self.report = reader.recv()
        except (EOFError, OSError):
            pass  # died before or while reporting
        except Exception as exc:  # noqa: BLE001 - a report that cannot be unpickled
            self.report = (False, None, f"the task's report could not be read: {exc!r}", None, None)
        reader.close()
        self.reader = None

    def _outcome(self, seconds: float) -> Outcome[T, Any]:
        exitcode = self.process.exitcode
        common = dict(task=self.task, index=self.index, seconds=seconds, exitcode=exitcode)
        if self.report is not None:
            ok, value, error, exception, max_rss = self.report
            if ok:
                return Outcome(status=Status.OK, result=value, max_rss=max_rss, **common)
            return Outcome(
                status=Status.ERROR, error=error, exception=exception, max_rss=max_rss, **common
            )
        if self.timed_out:
            return Outcome(
                status=Status.TIMEOUT, error=f"timed out after {seconds:.1f} s", **common
            )
        return Outcome(status=Status.CRASHED, error=_describe_exit(exitcode), **common)

    def kill(self) -> None:
        """SIGKILL the child and its process group (whatever the task started)."""
        try:
            pid = self.process.pid
            if pid is None or self.process.exitcode is not None:
                return
        except ValueError:  # already released: it has exited and been reaped
            return
        try:
            os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass  # not yet its own group leader
        try:
            self.process.kill()
        except (ProcessLookupError, OSError, ValueError):
            pass
        self.process.join(_KILL_WAIT)

    def release(self) -> None:
        if self.reader is not None:
            self.reader.close()
            self.reader = None
        with contextlib.suppress(ValueError):  # ValueError: released already
            if self.process.exitcode is not None:
                self.process.close()


def _describe_exit(exitcode: int | None) -> str:
    if exitcode is None:
        return "the child did not exit"
    if exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"the child was killed by {name} (exit code {exitcode}) before reporting"
    return f"the child exited with code {exitcode} before reporting"


def _die_with_parent() -> None:
    """Kill this child's process group when the parent dies (SIGKILL, SIGTERM, a crash).

    A child in its own process group gets no signal when its parent's group does; without
    this, a killed batch would leave its children running to the end of their tasks.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        connection.wait([parent.sentinel])
        os.killpg(0, signal.SIGKILL)

    threading.Thread(target=watch, name="kpibook-parent-watch", daemon=True).start()


def _child_main(
    writer: connection.Connection, fn: Callable[[Any], Any], task: Any, preload: tuple[str, ...]
) -> None:
    """In the child: run the task, send ``(ok, result, error, exception, max_rss)`` back."""
    os.setpgid(0, 0)  # own process group: a timeout kills the task's own children as well
    signal.signal(signal.SIGINT, signal.default_int_handler)  # the server ignores it
    _die_with_parent()
    try:
        for module in preload:
            importlib.import_module(module)
        report: tuple[Any, ...] = (True, fn(task), None, None)
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        report = (False, None, "".join(traceback.format_exception(exc)), exc)
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    try:
        writer.send((*report, max_rss))
    except Exception as exc:  # noqa: BLE001 - the result or exception does not pickle
        ok, _, error, _ = report
        if ok:
            error = f"the task's result could not be sent back: {exc!r}"
        writer.send((False, None, error, None, max_rss))
    writer.close()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    os._exit(0)  # reported: skip interpreter teardown (threads the task left, atexit)
