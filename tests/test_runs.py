"""Runs that overlap, are killed, or are repeated never lose or corrupt a report."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bs4 import BeautifulSoup

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
    run = start(out)
    deadline = time.monotonic() + 120
    while not list((folder / ".kpibook" / "tmp").glob("*/*.ipynb")) and time.monotonic() < deadline:
        time.sleep(0.05)  # until the report is being made
    os.killpg(run.pid, signal.SIGKILL)
    run.wait(timeout=60)
    time.sleep(1)  # children notice their parent is gone and stop
    whole(folder)
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    assert set(after) == set(before)
    for name in (f"{ORG}.html", f"{ORG}.pdf"):
        assert after[name] == before[name]  # the last good report, untouched
    rerun = start(out)  # and the next run is not disturbed by what the killed one left
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
