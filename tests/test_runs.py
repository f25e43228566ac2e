"""Runs that overlap, are killed, or are repeated never lose or corrupt a report."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from bs4 import BeautifulSoup

from tests.runs import wait_until_mid_report
from tests.tables import SAMPLE

KPIBOOK = Path(sys.executable).parent / "kpibook"
ORG = "太源镇"
ARGS = ["--data", str(SAMPLE), "--period", "2013H1", "--to", "html,pdf"]


def start(out: Path, *more: str) -> subprocess.Popen:
    return subprocess.Popen(
        [str(KPIBOOK), "run", *ARGS, "--out", str(out), *more],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def kpibook(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(KPIBOOK), "run", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def kpibook_index(out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(KPIBOOK), "index", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def whole(folder: Path) -> None:
    """Every visible file of a period is complete: pages end, PDFs end, JSON parses."""
    visible = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    assert not [p for p in visible if p.suffix == ".tmp"]
    for path in visible:
        data = path.read_bytes()
        if path.suffix == ".html":
            assert data.rstrip().endswith(b"</html>"), path.name
            BeautifulSoup(data, "html.parser")
        elif path.suffix == ".pdf":
            assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"), path.name
        elif path.suffix == ".json":
            json.loads(data)


def test_two_runs_at_once_on_the_same_output(tmp_path):
    out = tmp_path / "reports"
    first, second = start(out), start(out)
    results = [p.communicate(timeout=600) + (p.returncode,) for p in (first, second)]
    assert [r[2] for r in results] == [0, 0], [r[1][-1500:] for r in results]
    folder = out / "2013H1"
    whole(folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [(r["org"], r["status"]) for r in manifest["reports"]] == [(ORG, "ok")]
    assert ORG in (folder / f"{ORG}.html").read_text(encoding="utf-8")


def test_a_run_killed_midway_leaves_the_previous_reports_whole(tmp_path):
    out = tmp_path / "reports"
    assert start(out).wait(timeout=600) == 0
    folder = out / "2013H1"
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    run = start(out, "--force")  # a run that would skip the unchanged report kills nothing
    scratch = wait_until_mid_report(folder)
    assert run.poll() is None and any(scratch.iterdir()), "the run was not caught mid-report"
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=60)
    time.sleep(1)  # children notice their parent is gone and stop
    whole(folder)
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert set(after) == set(before)
    for name in (f"{ORG}.html", f"{ORG}.pdf"):
        assert after[name] == before[name]  # the last good report, untouched
    rerun = start(out, "--force")  # and the next run is not disturbed by what the killed one left
    assert rerun.wait(timeout=600) == 0
    whole(folder)


def test_a_rerun_replaces_the_reports_and_keeps_the_index_consistent(tmp_path):
    out = tmp_path / "reports"
    assert start(out).wait(timeout=600) == 0
    folder = out / "2013H1"
    first = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    stamp = (folder / f"{ORG}.html").stat().st_mtime_ns
    time.sleep(1.1)
    assert start(out, "--force").wait(timeout=600) == 0  # remade, not kept as unchanged
    second = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert (folder / f"{ORG}.html").stat().st_mtime_ns > stamp
    assert [r["org"] for r in second["reports"]] == [r["org"] for r in first["reports"]] == [ORG]
    assert second["reports"][0]["started"] >= first["reports"][0]["started"]
    assert second["ok"] == 1 and second["failed"] == 0
    index = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(index.select("tbody tr")) == 1
    whole(folder)


FIVE = ("html", "pdf", "docx", "xlsx", "ipynb")


def failure_block(folder: Path) -> str:
    """The text of ``failed/<org>.html``'s failure box: what a reader sees first."""
    page = BeautifulSoup((folder / "failed" / f"{ORG}.html").read_bytes(), "html.parser")
    box = page.select_one(".kpibook-failure")
    assert box is not None and page.body is not None
    assert page.body.get_text(" ", strip=True).startswith(box.get_text(" ", strip=True)[:20])
    return box.get_text(" ", strip=True)


def chinese_first(text: str) -> bool:
    """The first letter is Chinese (the English follows in parentheses)."""
    first = next(ch for ch in text if ch.isalpha())
    return "\u4e00" <= first <= "\u9fff"


def test_a_failing_second_run_keeps_every_file_of_the_first(tmp_path):
    """A failed run never overwrites the last good report: the report's html, pdf, docx,
    xlsx and ipynb stay byte for byte the first run's, whether the second run times out
    (the real CLI) or its notebook fails on data changed after planning; each failure
    writes failed/<org>.html, cause first and in Chinese first, then the detail. A good
    run afterwards replaces the files and removes the failure pages."""
    from helpers.data.dataset import load_dataset
    from helpers.run.batch import plan_jobs, run_jobs

    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    out = tmp_path / "reports"
    args = ["--data", str(data), "--period", "2013H1", "--out", str(out)]
    assert kpibook(*args).returncode == 0
    folder = out / "2013H1"
    first = {ext: (folder / f"{ORG}.{ext}").read_bytes() for ext in FIVE}

    timed_out = kpibook(*args, "--force", "--timeout", "0.05")
    assert timed_out.returncode == 1
    assert f"失败 (failed) {ORG}: 超时：0.05 秒内未完成，已终止" in timed_out.stderr
    assert {ext: (folder / f"{ORG}.{ext}").read_bytes() for ext in FIVE} == first
    box = failure_block(folder)
    assert box.startswith("报告生成失败 (report failed) 原因 (cause): 超时：0.05 秒内未完成")
    assert chinese_first(box.split("原因 (cause):")[1])

    jobs = plan_jobs(load_dataset(data), "2013H1", out=out, data=str(data))
    actuals = data / "actuals.csv"
    good = actuals.read_text(encoding="utf-8")
    actuals.write_text(good.replace(",848,", ",84x8,"), encoding="utf-8")
    [failed] = run_jobs(jobs, workers=1, force=True)
    assert failed["status"] == "failed"
    assert {ext: (folder / f"{ORG}.{ext}").read_bytes() for ext in FIVE} == first
    box = failure_block(folder)
    assert box.startswith("报告生成失败 (report failed) 原因 (cause): 第 ")
    assert "值「84x8」" in box and chinese_first(box.split("原因 (cause):")[1])
    assert (folder / "failed" / f"{ORG}.ipynb").is_file()
    # the index says it failed, links the failure page and the last good files beside it
    assert kpibook_index(out).returncode == 0
    [row] = BeautifulSoup((folder / "index.html").read_bytes(), "html.parser").select("tbody tr")
    links = [a["href"] for a in row.select("a")]
    assert "失败" in row.get_text() and "值「84x8」" in row.get_text()
    failure = [quote(f"failed/{ORG}.{ext}") for ext in ("html", "ipynb")]
    assert links[:2] == failure and sorted(links[2:]) == sorted(quote(f"{ORG}.{e}") for e in FIVE)
    assert "上次成功的报告" in row.get_text()

    actuals.write_text(good, encoding="utf-8")
    again = kpibook(*args, "--force")
    assert again.returncode == 0, again.stderr
    assert not list((folder / "failed").iterdir())
    assert (folder / f"{ORG}.html").read_bytes() != first["html"]  # made anew (its run time)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [(r["org"], r["status"]) for r in manifest["reports"]] == [(ORG, "ok")]
