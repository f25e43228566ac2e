"""The batch at district scale: no state leaks between townships; shards merge into one index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import papermill

from helpers.data.dataset import load_dataset
from helpers.run.batch import Job, plan_jobs, run_jobs
from tests.compare import comparable
from tests.tables import ACTUALS, INDICATORS, TARGETS, write_tables

NOTEBOOKS = Path(__file__).parent / "notebooks"
TOWNS = [f"town-{n:02d}" for n in range(3, 9)]  # town-03 and town-06 set process-wide state


def towns_data(folder: Path, towns: list[str]) -> Path:
    """The small data set with 甲镇's rows copied for every town."""

    def rows(text: str) -> str:
        head, *body = text.strip().splitlines()
        own = [line for line in body if line.startswith("甲镇,")]
        return (
            "\n".join([head] + [line.replace("甲镇", town, 1) for town in towns for line in own])
            + "\n"
        )

    return write_tables(
        folder, {"indicators": INDICATORS, "targets": rows(TARGETS), "actuals": rows(ACTUALS)}
    )


def test_per_township_state_never_leaks_through_the_batch(tmp_path):
    """Every township's notebook from the batch equals a fresh-kernel papermill run of it."""
    data = towns_data(tmp_path / "data", TOWNS)
    out = tmp_path / "reports"
    ds = load_dataset(data)
    jobs = [
        Job(**{**job.__dict__, "source": str(NOTEBOOKS / "stateful.ipynb")})
        for job in plan_jobs(ds, "2013H1", out=out, formats=("ipynb",), data=str(data))
        if job.kind == "report"
    ]
    records = run_jobs(jobs, workers=2, timeout=300)
    assert [r["status"] for r in records] == ["ok"] * len(TOWNS), records
    differ = []
    for job in jobs:
        fresh = tmp_path / f"fresh-{job.org}.ipynb"
        papermill.execute_notebook(
            str(NOTEBOOKS / "stateful.ipynb"),
            str(fresh),
            parameters=job.parameters,
            kernel_name="python3",
            progress_bar=False,
        )
        if comparable(out / "2013H1" / f"{job.stem}.ipynb") != comparable(fresh):
            differ.append(job.org)
    assert differ == []


def kpibook(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).parent / "kpibook"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=600,
    )


def summary(folder: Path) -> dict:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return {
        "files": sorted(
            p.name for p in folder.iterdir() if p.is_file() and p.name != "manifest.json"
        ),
        "reports": sorted(
            (r["org"], r["status"], tuple(sorted(r["files"]))) for r in manifest["reports"]
        ),
        "ok": manifest["ok"],
        "failed": manifest["failed"],
    }


def test_two_shards_then_index_equal_one_unsharded_run(tmp_path):
    data = towns_data(tmp_path / "data", ["东镇", "西镇", "南乡"])
    whole, sharded = tmp_path / "whole", tmp_path / "sharded"
    common = ["--data", str(data), "--period", "2013H1", "--to", "html", "--workers", "2"]
    assert kpibook("run", *common, "--out", str(whole)).returncode == 0
    first = kpibook("run", *common, "--out", str(sharded), "--shard", "1/2")
    second = kpibook("run", *common, "--out", str(sharded), "--shard", "2/2")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    index = kpibook("index", "--out", str(sharded), "--period", "2013H1")
    assert index.returncode == 0, index.stderr
    assert summary(sharded / "2013H1") == summary(whole / "2013H1")
    assert len(summary(whole / "2013H1")["reports"]) == 4  # three towns and the district
