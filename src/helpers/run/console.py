"""What a run prints while it works: a progress bar on a terminal, one line per report in a log.

A cron job has no terminal: there a bar would be noise, and a line per report with its
status and seconds is what an operator reads the next morning.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

__all__ = ["Progress"]


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
        ok = record.get("status") == "ok"
        if self.bar is not None:
            self.bar.set_postfix_str(name[:12], refresh=False)
            self.bar.update(1)
            if not ok:
                self.bar.write(f"失败 (failed) {name}: {record.get('error')}", file=self.stream)
            return
        status = "ok" if ok else f"FAILED {record.get('error')}"
        print(
            f"[{self.done}/{self.total}] {record.get('period')} {name}: {status} "
            f"({record.get('seconds', 0):.1f}s)",
            file=self.stream,
            flush=True,
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
