"""For the tests that kill a real run part-way, or its processes (imported, not fixtures)."""

from __future__ import annotations

import time
from pathlib import Path

from helpers.output.records import scratch_dir


def wait_until_mid_report(folder: Path, seconds: float = 120) -> Path:
    """Poll until a run writing to the period ``folder`` is making a report, or ``seconds``
    pass; returns the folder's scratch folder. A report's own scratch folder lives there from
    its start to its end (its executed notebook only for the last moments, which polling on
    a busy machine can miss)."""
    scratch = scratch_dir(folder)
    deadline = time.monotonic() + seconds
    while not (scratch.is_dir() and any(scratch.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.02)
    return scratch


def running(pid: int) -> bool:
    """The process runs: it has not exited, and is not a zombie awaiting its reaper."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def gone(pid: int, within: float = 5.0) -> bool:
    """Poll for up to ``within`` seconds until the process no longer runs; whether it ended."""
    deadline = time.monotonic() + within
    while running(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.02)
    return True


def descendants(pid: int) -> set[int]:
    """Every live process under ``pid`` (its forkserver, the reports, their kernels)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def forkserver_of(pid: int) -> int | None:
    """The forkserver a run ``pid`` started, while it runs."""
    for child in descendants(pid):
        try:
            if b"forkserver" in Path(f"/proc/{child}/cmdline").read_bytes():
                return child
        except OSError:
            continue
    return None
