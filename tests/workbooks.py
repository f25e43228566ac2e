"""Workbooks built for the importer's tests, hand-written expected tables, and the real
command line: what the import tests share (one module, not one test file importing another)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import Workbook

from helpers.importer.tidy import ImportErrors

BIN = Path(sys.executable).parent


def build_xlsx(
    path: Path,
    rows: list[list[Any]],
    *,
    merges: tuple[str, ...] = (),
    hidden_rows: tuple[int, ...] = (),
    hidden_columns: tuple[str, ...] = (),
    percent: tuple[str, ...] = (),
) -> Path:
    """A one-sheet workbook: rows, merged ranges, hidden rows/columns, %-formatted cells."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    for r in hidden_rows:
        ws.row_dimensions[r].hidden = True
    for c in hidden_columns:
        ws.column_dimensions[c].hidden = True
    for ref in percent:
        ws[ref].number_format = "0.0%"
    wb.save(path)
    return path


def table(text: str) -> pd.DataFrame:
    """A hand-written expected table (CSV text), typed as the importer types its tables."""
    frame = pd.read_csv(io.StringIO(text.strip()), dtype=str, keep_default_na=False)
    frame = frame.replace("", None)
    for col in ("target", "value", "yoy"):
        if col in frame:
            frame[col] = pd.to_numeric(frame[col]).astype("float64")
    return frame


def same(got: pd.DataFrame, expected: str, columns: list[str] | None = None) -> None:
    want = table(expected)
    cols = columns or list(want.columns)
    left, right = (f[cols].reset_index(drop=True) for f in (got, want))
    assert left.shape == right.shape, (left, right)
    for col in cols:
        for a, b in zip(left[col], right[col]):
            if pd.isna(a) or pd.isna(b):
                assert pd.isna(a) and pd.isna(b), (col, list(left[col]), list(right[col]))
            elif isinstance(b, float):
                assert float(a) == pytest.approx(b), (col, list(left[col]), list(right[col]))
            else:
                assert str(a) == str(b), (col, list(left[col]), list(right[col]))


def kpibook(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "kpibook"), *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=cwd,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def problems_of(call: Any) -> list[Any]:
    """The problems an import stops with (it must stop)."""
    with pytest.raises(ImportErrors) as info:
        call()
    return list(info.value.problems)


def nothing_written(out: Path) -> bool:
    """Whether an import wrote no table into ``out``."""
    return not out.exists() or not any(out.rglob("*.csv"))
