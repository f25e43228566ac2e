"""The kpibook command as a user types it (console script in the venv, real files)."""

import csv
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from helpers.cli import main, resolve_period
from helpers.data.dataset import load_dataset
from tests.tables import ACTUALS, SAMPLE, write_tables

KPIBOOK = Path(sys.executable).parent / "kpibook"


def run_cli(*args, cwd=None):
    return subprocess.run(
        [str(KPIBOOK), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_check_clean_sample_prints_a_summary():
    result = run_cli("check", "--data", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert "1 个乡镇" in result.stdout and "2013H1" in result.stdout


def test_check_lists_every_problem_and_exits_2(tmp_path, small_tables):
    bad = dict(small_tables)
    bad["actuals"] = ACTUALS + "甲镇,tax,2013H3,84x8,,,,\n甲镇,foo,2013H1,1,,,,\n"
    folder = write_tables(tmp_path / "bad", bad)
    result = run_cli("check", "--data", str(folder))
    assert result.returncode == 2
    err = result.stderr
    assert "actuals.csv 第13行 列「period」 值「2013H3」" in err
    assert "actuals.csv 第13行 列「value」 值「84x8」" in err
    assert "actuals.csv 第14行 列「indicator」 值「foo」" in err
    assert "3 个错误" in err


def test_template_fill_check_round_trip(tmp_path):
    """kpibook template → fill in with the sample → kpibook check."""
    path = tmp_path / "模板.xlsx"
    assert main(["template", str(path)]) == 0
    assert main(["template", str(path)]) == 2  # never overwrites silently
    book = load_workbook(path)
    assert book.sheetnames[0] == "说明"
    names = {
        "指标": "indicators",
        "目标": "targets",
        "完成": "actuals",
        "项目": "projects",
        "文字": "notes",
        "乡镇": "orgs",
    }
    for sheet, table in names.items():
        ws = book[sheet]
        header = [c.value for c in ws[1]]
        with open(SAMPLE / f"{table}.csv", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        from helpers.data.schema import TABLES

        aliases = TABLES[table].aliases()
        for row in rows:
            ws.append([row.get(aliases.get(h, h), "") for h in header])
    book.save(path)
    result = run_cli("check", "--data", str(path))
    assert result.returncode == 0, result.stderr
    ds = load_dataset(path)
    assert ds.actuals.query("indicator == 'tax' and period == '2013H1'")["value"].item() == 848


def test_default_period_is_last_completed_half_with_fallback():
    ds = load_dataset(SAMPLE)
    assert resolve_period(ds, None, dt.date(2013, 8, 1)) == ("2013H1", None)
    period, warning = resolve_period(ds, None, dt.date(2026, 11, 26))
    assert period == "2013H1" and "2026H1" in warning and "2013H1" in warning
    assert resolve_period(ds, "2013-06", None) == ("2013-06", None)


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("run", "--to", "rtf").returncode == 2
    result = run_cli("run", "--org", "无此镇", "--out", str(tmp_path))
    assert result.returncode == 2 and "无此镇" in result.stderr
    result = run_cli("run", "--shard", "3/2", "--out", str(tmp_path))
    assert result.returncode == 2 and "shard" in result.stderr
    assert not any(tmp_path.iterdir())  # nothing written
