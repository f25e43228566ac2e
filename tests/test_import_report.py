"""From an office's Excel sheet to the report: the report shows the sheet's figures."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from helpers.document.narrative import amount

SHEETS = Path(__file__).parent / "sheets"
BIN = Path(sys.executable).parent


def kpibook(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "kpibook"), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_report_from_an_imported_sheet_shows_the_sheets_figures(tmp_path):
    data = tmp_path / "taiyuan"
    imported = kpibook("import", str(SHEETS / "taiyuan-2013H1.xlsx"), "--out", str(data))
    assert imported.returncode == 0, imported.stderr
    assert "推断 (inferred)" in imported.stdout
    assert kpibook("check", "--data", str(data)).returncode == 0
    run = kpibook("run", "--data", str(data), "--out", str(tmp_path / "out"), "--to", "html")
    assert run.returncode == 0, run.stderr
    [page] = (tmp_path / "out" / "2013H1").glob("太源镇*.html")
    text = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").get_text()
    with open(SHEETS / "expected" / "taiyuan-2013H1" / "actuals.csv", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["period"] == "2013H1" and r["value"]]
    assert rows
    for row in rows:  # each figure of the sheet, as the report writes it in its unit
        assert amount(float(row["value"]), row["unit"], 2) in text.replace(",", ""), row
    assert "848万元" in text and "同比下降15.8%" in text  # 下降15.8 in the sheet
