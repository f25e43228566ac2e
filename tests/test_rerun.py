"""Re-runs redo only what changed: a report whose key (code, notebook, parameters, inputs) and
files are as recorded is kept; any change to what it is made from makes it again."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

from helpers.data.dataset import load_dataset
from helpers.output.records import read_record
from helpers.run.batch import plan_jobs, report_key, run_jobs
from tests.compare import comparable
from tests.tables import INDICATORS, TARGETS, write_tables

KPIBOOK = Path(sys.executable).parent / "kpibook"
PERIOD = "2013H1"
FORMATS = ("html", "ipynb", "docx")
#: three townships, so a figure of one changes the ranks shown in the others' reports
ACTUALS = """\
org,indicator,period,value,unit,status,yoy,note
甲镇,tax,2013H1,848,,,,
甲镇,tax,2012H1,800,,,,
甲镇,fai,2013H1,6035,,,,
甲镇,acc,2013H1,1,,,,
乙镇,tax,2013H1,400,,,12.5,
乙镇,fai,2013H1,2000,,,,
丙镇,tax,2013H1,610,,,,
丙镇,fai,2013H1,4100,,,,
"""
TARGETS_3 = TARGETS + "丙镇,tax,2013,1200,\n丙镇,fai,2013,7000,\n"


def kpibook(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(KPIBOOK), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=900,
    )


def run_args(data: Path, out: Path, *extra: str) -> list[str]:
    common = ["--period", PERIOD, "--to", ",".join(FORMATS), "--workers", "2"]
    return ["run", "--data", str(data), "--out", str(out), *common, *extra]


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every report file's sha256 and modification time (ns), by name."""
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.iterdir())
        if p.is_file() and p.suffix in (".html", ".ipynb", ".docx", ".xlsx") and p.stem != "index"
    }


def summary(stdout: str) -> tuple[int, int]:
    """(made, skipped) from the closing line of ``kpibook run``."""
    made = re.search(r"完成 (\d+)/\d+ 份报告", stdout)
    kept = re.search(r"其中 (\d+) 份未变、已跳过", stdout)
    assert made, stdout
    return int(made.group(1)), int(kept.group(1)) if kept else 0


@pytest.fixture(scope="module")
def first(tmp_path_factory) -> tuple[Path, Path]:
    """A data set of three townships and its reports, made once."""
    root = tmp_path_factory.mktemp("rerun")
    data = write_tables(
        root / "data", {"indicators": INDICATORS, "targets": TARGETS_3, "actuals": ACTUALS}
    )
    out = root / "out"
    result = kpibook(*run_args(data, out))
    assert result.returncode == 0, result.stderr
    assert summary(result.stdout) == (4, 0)  # three townships and the district
    return data, out


def copy_run(first: tuple[Path, Path], tmp_path: Path, data_too: bool = False) -> tuple[Path, Path]:
    """A copy of the reports (so each test changes its own), and of the data set when the
    test changes it (the data's path is a parameter: a copy elsewhere is other input)."""
    data, out = first
    if data_too:
        data = Path(shutil.copytree(data, tmp_path / "data"))
    return data, Path(shutil.copytree(out, tmp_path / "out", symlinks=True))


def test_second_run_skips_every_report_and_changes_no_byte(first, tmp_path):
    data, out = first
    before = snapshot(out / PERIOD)
    result = kpibook(*run_args(data, out))
    assert result.returncode == 0, result.stderr
    assert summary(result.stdout) == (4, 4)
    assert "跳过 4 份未变的报告" in result.stderr and "skipped 4 unchanged" in result.stderr
    assert snapshot(out / PERIOD) == before  # not one file rewritten
    # ... and what was kept is what a fresh run writes (but for the run's time)
    fresh = tmp_path / "fresh"
    assert kpibook(*run_args(data, fresh)).returncode == 0
    # not the run's time, nor the bytes of the embedded page font: two fresh runs cut the
    # same glyphs into differently ordered font files (not something a re-run changes)
    stamp = re.compile(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d|url\(\s*['\"]?data:font/[^)]*\)"
    )
    for name in before:
        kept, made = out / PERIOD / name, fresh / PERIOD / name
        if name.endswith(".html"):
            a, b = (stamp.sub("T", p.read_text(encoding="utf-8")) for p in (kept, made))
            assert a == b, name
        elif name.endswith(".ipynb"):
            assert comparable(kept) == comparable(made), name
    index = (out / PERIOD / "index.html").read_text(encoding="utf-8")
    assert index.count("成功") >= 4  # the index still lists every kept report


def test_force_remakes_every_report(first, tmp_path):
    data, out = copy_run(first, tmp_path)
    before = snapshot(out / PERIOD)
    result = kpibook(*run_args(data, out, "--force"))
    assert result.returncode == 0, result.stderr
    assert summary(result.stdout) == (4, 0)
    after = snapshot(out / PERIOD)
    assert all(after[n][1] != before[n][1] for n in before)  # every file written again


def test_one_townships_figure_remakes_every_township(first, tmp_path):
    data, out = copy_run(first, tmp_path, data_too=True)
    actuals = data / "actuals.csv"
    actuals.write_text(
        actuals.read_text(encoding="utf-8").replace("乙镇,tax,2013H1,400", "乙镇,tax,2013H1,1400"),
        encoding="utf-8",
    )
    result = kpibook(*run_args(data, out))
    assert result.returncode == 0, result.stderr
    assert summary(result.stdout) == (4, 0)  # 甲镇 and 丙镇 show 乙镇's rank among them


@pytest.mark.parametrize("change", [("--decimals", "2"), ("--lang", "en")])
def test_one_parameter_remakes_every_report(first, tmp_path, change):
    data, out = copy_run(first, tmp_path)
    before = snapshot(out / PERIOD)
    result = kpibook(*run_args(data, out, *change))
    assert result.returncode == 0, result.stderr
    assert summary(result.stdout) == (4, 0)
    # English reports are files of their own (甲镇.en.html), made beside the Chinese ones
    name = "甲镇.en.html" if change[0] == "--lang" else "甲镇.html"
    assert snapshot(out / PERIOD)[name][0] != before.get(name, ("",))[0]


def test_a_file_edited_or_removed_is_made_again(first, tmp_path):
    data, out = copy_run(first, tmp_path)
    (out / PERIOD / "甲镇.html").write_text("edited by hand", encoding="utf-8")
    (out / PERIOD / "乙镇.docx").unlink()
    before = snapshot(out / PERIOD)
    result = kpibook(*run_args(data, out))
    assert summary(result.stdout) == (4, 2)  # 丙镇 and the district kept
    after = snapshot(out / PERIOD)
    assert "edited by hand" not in (out / PERIOD / "甲镇.html").read_text(encoding="utf-8")
    assert (out / PERIOD / "乙镇.docx").is_file()
    assert after["丙镇.html"] == before["丙镇.html"]


def test_notebook_cell_and_code_version_change_the_key(first, tmp_path):
    data, out = copy_run(first, tmp_path)
    ds = load_dataset(data)
    jobs = plan_jobs(ds, PERIOD, out=out, formats=FORMATS, data=str(data))
    stored = {j.stem: read_record(out, PERIOD, j.stem) for j in jobs}
    assert all(report_key(j) == stored[j.stem]["key"] for j in jobs)  # as first made
    # one cell of a copy of the report notebook changed: every township's report is made
    # again, the district's (another notebook) is kept
    nb = nbformat.read(jobs[0].notebook, as_version=4)
    code = next(
        c
        for c in nb.cells
        if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])
    )
    code.source += "\n# 改动一个单元格 (one cell changed)"
    copy = tmp_path / "report.ipynb"
    nbformat.write(nb, copy)
    changed = [replace(j, source=str(copy)) if j.kind == "report" else j for j in jobs]
    records = run_jobs(changed, workers=2)
    assert {r["stem"]: bool(r.get("skipped")) for r in records} == {
        "甲镇": False,
        "乙镇": False,
        "丙镇": False,
        "district": True,
    }
    assert all(r["status"] == "ok" for r in records)
    # another code version: the district report is made again too
    again = run_jobs([replace(j, version=j.version + ".post1") for j in changed], workers=2)
    assert not any(r.get("skipped") for r in again)
    assert all(read_record(out, PERIOD, j.stem)["version"].endswith(".post1") for j in jobs)
