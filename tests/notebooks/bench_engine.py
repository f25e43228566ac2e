"""Seconds per notebook: fresh kernel per run vs in-process engine in a forked child.

    .venv/bin/python tests/notebooks/bench_engine.py [N] [WORKERS]

Runs charts.ipynb (pandas, two matplotlib charts, a table) N times with each engine,
WORKERS at a time, both through run_forked (the kernel runs start a kernel from their child),
and checks the outputs of both agree. Prints wall seconds per notebook and peak child memory.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
import papermill

from helpers.engine import ENGINE_NAME
from helpers.workers import run_forked

NOTEBOOK = Path(__file__).with_name("charts.ipynb")
PRELOAD = ("helpers.engine", "numpy", "pandas", "matplotlib.pyplot", "papermill")


def execute(job: tuple[str, str, dict[str, Any], str | None]) -> None:
    notebook, output, parameters, engine = job
    papermill.execute_notebook(notebook, output, parameters=parameters, engine_name=engine,
                               progress_bar=False)


def noop(task: object) -> None:
    return None


def outputs(path: str) -> list[Any]:
    nb = nbformat.read(path, as_version=4)
    return [[dict(o) for o in cell.get("outputs", [])] for cell in nb.cells]


def bench(engine: str | None, n: int, workers: int, out: Path) -> tuple[float, list[str], int]:
    jobs = [(str(NOTEBOOK), str(out / f"{engine or 'kernel'}-{i:03d}.ipynb"),
             {"org": f"town-{i:03d}", "seed": i}, engine) for i in range(n)]
    started = time.monotonic()
    results = list(run_forked(jobs, execute, workers=workers, timeout=300, preload=PRELOAD))
    wall = time.monotonic() - started
    failed = [r.error or "" for r in results if not r.ok]
    if failed:
        raise SystemExit(f"{engine}: {len(failed)} failed:\n{failed[0]}")
    rss = max(r.max_rss or 0 for r in results)
    return wall / n, [j[1] for j in jobs], rss


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        list(run_forked([None], noop, workers=1, preload=PRELOAD))  # start the forkserver
        per_kernel, kernel_paths, rss_kernel = bench(None, n, workers, out)
        per_fork, fork_paths, rss_fork = bench(ENGINE_NAME, n, workers, out)
        differing = sum(outputs(a) != outputs(b) for a, b in zip(kernel_paths, fork_paths))
    print(f"N={n}, workers={workers}, notebook={NOTEBOOK.name}")
    print(f"fresh kernel (papermill default engine): {per_kernel:.2f} s/notebook, "
          f"peak child RSS {rss_kernel / 2**20:.0f} MiB (kernel process not counted)")
    print(f"forked in-process ({ENGINE_NAME}):     {per_fork:.2f} s/notebook, "
          f"peak child RSS {rss_fork / 2**20:.0f} MiB")
    print(f"speed-up {per_kernel / per_fork:.1f}x; outputs differing: {differing} of {n}")


if __name__ == "__main__":
    main()
