"""Where a period's reports go: its folder, and one record per report.

Each job leaves a record (status, files, seconds, metrics, inputs, parameters) under
``<out>/<period>/.kpibook/``; the period's ``manifest.json`` and ``index.html`` are rebuilt
from the records, so shards on many machines merge by rebuilding the index.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..base.files import DISTRICT, META_DIR, write_atomic

__all__ = ["period_dir", "record_path", "write_record", "read_records", "META_DIR", "DISTRICT"]


def period_dir(out: Path, period: str) -> Path:
    """``<out>/<period>``: the period is canonical (2013H1), so it is always a safe name."""
    return Path(out) / str(period)


def record_path(out: Path, period: str, stem: str) -> Path:
    return period_dir(out, period) / META_DIR / f"{stem}.json"


def write_record(out: Path, period: str, stem: str, record: dict[str, Any]) -> Path:
    """Store one report's record (status, files, seconds, metrics, inputs, parameters)."""
    text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True, default=str)
    return write_atomic(record_path(out, period, stem), text)


def read_records(out: Path, period: str) -> list[dict[str, Any]]:
    """Every report record of a period, whichever run or shard wrote it."""
    folder = period_dir(out, period) / META_DIR
    records = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            records.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, json.JSONDecodeError):
            continue  # a record being replaced right now: the next index run sees it
    return records
