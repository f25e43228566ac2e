"""helpers.run.server: ``kpibook run`` starts its reports' server before it imports pandas, the
batch uses that server, and a run that ends before its reports stops it.

Each case is a real ``kpibook run`` (``helpers.cli.main``) in a fresh interpreter, since the
forkserver belongs to the process; the spy only notes what was imported when the server was
started and which server that was.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.runs import forkserver_of, gone, running
from tests.tables import ROOT, SAMPLE

pytestmark = pytest.mark.usefixtures("own_cache")

RUN = """
import json, sys
from multiprocessing import forkserver
from helpers.run import workers

seen = {}
start_server = workers.start_server

def spy(preload):
    seen["pandas_imported"] = "pandas" in sys.modules
    seen["started"] = start_server(preload)
    seen["server"] = forkserver._forkserver._forkserver_pid
    return seen["started"]

workers.start_server = spy
from helpers.cli import main

seen["code"] = main(sys.argv[1:])
seen["server_after"] = forkserver._forkserver._forkserver_pid
print(json.dumps(seen))
"""


def run(*args: str, cwd: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", RUN, "run", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert result.stdout.strip(), result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_server_starts_before_pandas_and_the_batch_uses_it(tmp_path: Path) -> None:
    seen = run("--data", str(SAMPLE), "--to", "html", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert seen["code"] == 0
    assert seen["started"] and not seen["pandas_imported"]
    assert seen["server_after"] == seen["server"]  # the same server made the reports
    assert list((tmp_path / "out" / "2013H1").glob("*.html"))


@pytest.mark.parametrize("case", ["no such data", "no such org", "every report unchanged"])
def test_a_run_that_ends_before_its_reports_stops_the_server(tmp_path: Path, case: str) -> None:
    out = str(tmp_path / "out")
    args = ["--data", str(SAMPLE), "--to", "html", "--out", out]
    if case == "no such data":
        args[1] = str(tmp_path / "nothing here")
    elif case == "no such org":
        args += ["--org", "无此镇"]
    else:
        assert run(*args, cwd=tmp_path)["code"] == 0
    seen = run(*args, cwd=tmp_path)
    assert seen["code"] == (0 if case == "every report unchanged" else 2)
    assert seen["started"] and seen["server"]
    assert seen["server_after"] is None and not running(seen["server"])
    if case != "every report unchanged":
        assert not (tmp_path / "out").exists()


def test_a_killed_run_takes_its_warming_server_with_it(tmp_path: Path) -> None:
    """SIGKILL (a crash) leaves no handler to stop the server: the kernel ends it with its
    parent (``helpers.run.preload``), not a second later when its warm-up is done."""
    kpibook = ROOT / ".venv" / "bin" / "kpibook"
    command = [str(kpibook) if kpibook.exists() else "kpibook", "run", "--data", str(SAMPLE)]
    run = subprocess.Popen(
        [*command, "--to", "html", "--out", str(tmp_path / "out")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    server = None
    while server is None and time.monotonic() < deadline and run.poll() is None:
        server = forkserver_of(run.pid)
        time.sleep(0.02)
    assert server is not None, "the run started no server"
    time.sleep(0.3)  # the server is importing: its warm-up has a second to go
    assert run.poll() is None
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert gone(server, within=0.5)
