"""For the tests that kill a real run part-way (imported, not fixtures)."""

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
