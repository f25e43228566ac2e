"""What a run prints while it works: a progress bar on a terminal, one line per report in a log.

A cron job has no terminal: there a bar would be noise, and a line per report with its
status and seconds is what an operator reads the next morning. Every line of a log starts
with its time, and a run starts with a header saying what it was asked to do, so runs
appended to one log file can be told apart.
"""

from __future__ import annotations

import datetime as _dt
import sys
from typing import Any, TextIO

from ..errors import visible
from ..output.records import NOT_REPORTED, OK

__all__ = ["Progress", "log_line", "stamp"]


def stamp() -> str:
    """The local time at the start of a log line: ``2026-07-03 06:00:04+08:00``."""
    return _dt.datetime.now().astimezone().isoformat(sep=" ", timespec="seconds")


def log_line(text: str, stream: TextIO | None = None) -> None:
    """One line of the run's log, with its time: a line break or other control character
    from data is shown escaped, so no name can start a line of its own."""
    print(f"{stamp()} {visible(text)}", file=stream or sys.stderr, flush=True)


class Progress:
    """Reports finished jobs: tqdm on a TTY, plain log lines otherwise."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total, self.done = total, 0
        self.bar = None
        if self.stream.isatty():
            from tqdm import tqdm

            tqdm.monitor_interval = 0  # no monitor thread: workers are forked from this process
            self.bar = tqdm(
                total=total, file=self.stream, unit="份", desc="报告", dynamic_ncols=True
            )

    def update(self, record: dict[str, Any]) -> None:
        """One job finished (its record)."""
        self.done += 1
        name = record.get("org") or "全区汇总 (district)"
        ok = record.get("status") == OK
        silent = record.get("status") == NOT_REPORTED
        if self.bar is not None:
            self.bar.set_postfix_str(visible(name[:12]), refresh=False)
            self.bar.update(1)
            if silent:
                self.bar.write(visible(f"未报送 (not reported) {name}"), file=self.stream)
            elif not ok:
                line = f"失败 (failed) {name}: {record.get('error')}"
                self.bar.write(visible(line), file=self.stream)  # like log_line: escaped
            return
        status = (
            "ok"
            if ok
            else "未报送 (not reported: no figures for the period)"
            if silent
            else f"FAILED {record.get('error')}"
        )
        log_line(
            f"[{self.done}/{self.total}] {record.get('period')} {name}: {status} "
            f"({record.get('seconds', 0):.1f}s)",
            self.stream,
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
