"""The forkserver's warm-up (``helpers.run.warm``): a report forked after it imports nothing,
reads no package's entry points, and finds the batch's characters (the page fonts' text)
worked out.

Every module a report imports on first use is imported again in each of a batch's reports;
the warm-up imports them once. This runs the real warm-up in a fresh interpreter, forks a real
report from it (the batch's own ``run_job``, into ``tmp_path``) and lists what the report
still imported: a new IPython, matplotlib or notebook that imports something more shows here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("own_cache")

CHILD = """
import json, os, sys
from pathlib import Path
from helpers.base.resources import data_dir
from helpers.data.dataset import load_dataset
from helpers.run import batch, server

data = data_dir("sample")
ds = load_dataset(data)
org = ds.org_list[0]
formats = sys.argv[2].split(",")
if sys.argv[3] == "named":  # as the batch names its first report
    warm = server.warm_batch(formats, data=str(data), org=org, period="2013H1")
else:  # as `kpibook run` with no --data, --org or --period starts its server early
    warm = server.warm_batch(formats)
os.environ[server.WARM_ENV] = json.dumps(warm)
import helpers.run.preload  # the warm-up, as the forkserver does it
ready = bool(batch._PAGE_TEXT)  # the batch's characters, worked out before any report forks

(job,) = batch.plan_jobs(ds, "2013H1", out=Path(sys.argv[1]), orgs=[org], formats=formats)
read, write = os.pipe()
pid = os.fork()
if pid == 0:
    import importlib.metadata
    scans = []  # every installed package's metadata read again: milliseconds each time
    scan = importlib.metadata.entry_points
    importlib.metadata.entry_points = lambda *a, **k: scans.append(k) or scan(*a, **k)
    before = set(sys.modules)
    record = batch.run_job(job, exiting=True)
    found = {"status": record["status"], "new": sorted(set(sys.modules) - before), "ready": ready,
             "scans": scans}
    os.write(write, json.dumps(found).encode())
    os._exit(0)
os.close(write)
with os.fdopen(read) as pipe:
    print(pipe.read())
os.waitpid(pid, 0)
"""


@pytest.mark.parametrize(
    ("formats", "warm"), [("html", "named"), ("html,pdf,docx,ipynb", "named"), ("html", "open")]
)
def test_a_report_forked_after_the_warm_up_imports_nothing_and_scans_no_entry_points(
    tmp_path: Path, formats: str, warm: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path / "out"), formats, warm],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["status"] == "ok"
    assert found["new"] == []
    assert found["scans"] == []  # matplotlib's backends: looked up once, in the warm-up
    assert found["ready"]  # else each report works them out again: 0.3 s at 1,000 townships
    assert (tmp_path / "out" / "2013H1").is_dir()  # the report was really made
