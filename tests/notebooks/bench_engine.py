"""Seconds per notebook: a fresh kernel per run vs the in-process engine in a forked child.

    .venv/bin/python tests/notebooks/bench_engine.py [N] [WORKERS] [REPEATS]

Runs charts.ipynb (pandas, two matplotlib charts, a table) N times per variant, WORKERS at a
time, all through run_forked (a kernel run starts its kernel from its child); the variants
take turns, REPEATS times, and the median is printed. Also checks that every in-process
output notebook has the outputs of the kernel run of the same parameters.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
import papermill

from helpers.run.engine import ENGINE_NAME
from helpers.run.workers import run_forked

NOTEBOOK = Path(__file__).with_name("charts.ipynb")
PRELOAD = ("helpers.run.engine", "numpy", "pandas", "matplotlib.pyplot", "papermill")
VARIANTS = {  # name: (engine, save the notebook after every cell as papermill does by default)
    "fresh kernel (papermill default)": (None, True),
    f"forked in-process ({ENGINE_NAME})": (ENGINE_NAME, True),
    "forked in-process, saved once": (ENGINE_NAME, False),
}

Job = tuple[str, str, dict[str, Any], str | None, bool]


def execute(job: Job) -> None:
    notebook, output, parameters, engine, save_each_cell = job
    papermill.execute_notebook(notebook, output, parameters=parameters, engine_name=engine,
                               progress_bar=False,
                               request_save_on_cell_execute=save_each_cell)


def noop(task: object) -> None:
    return None


def outputs(path: str) -> list[Any]:
    nb = nbformat.read(path, as_version=4)
    return [[dict(o) for o in cell.get("outputs", [])] for cell in nb.cells]


def run(variant: str, n: int, workers: int, out: Path) -> tuple[float, int, list[str]]:
    """Seconds per notebook, peak child RSS, output paths."""
    engine, save = VARIANTS[variant]
    tag = f"{engine or 'kernel'}-{int(save)}"
    jobs: list[Job] = [(str(NOTEBOOK), str(out / f"{tag}-{i:03d}.ipynb"),
                        {"org": f"town-{i:03d}", "seed": i}, engine, save) for i in range(n)]
    started = time.monotonic()
    results = list(run_forked(jobs, execute, workers=workers, timeout=300, preload=PRELOAD))
    per_notebook = (time.monotonic() - started) / n
    failed = [r.error or "" for r in results if not r.ok]
    if failed:
        raise SystemExit(f"{variant}: {len(failed)} failed:\n{failed[0]}")
    return per_notebook, max(r.max_rss or 0 for r in results), [j[1] for j in jobs]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    times: dict[str, list[float]] = {v: [] for v in VARIANTS}
    rss: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        list(run_forked([None], noop, workers=1, preload=PRELOAD))  # start the forkserver
        for _ in range(repeats):
            paths = {}
            for variant in VARIANTS:
                seconds, rss[variant], paths[variant] = run(variant, n, workers, out)
                times[variant].append(seconds)
        kernel_paths, *others = paths.values()
        differing = sum(outputs(k) != outputs(o) for other in others
                        for k, o in zip(kernel_paths, other))
    print(f"N={n}, workers={workers}, repeats={repeats}, notebook={NOTEBOOK.name}")
    baseline = statistics.median(times[next(iter(VARIANTS))])
    for variant, values in times.items():
        median = statistics.median(values)
        print(f"{variant:42s} {median:5.2f} s/notebook  (runs: "
              f"{', '.join(f'{v:.2f}' for v in values)})  x{baseline / median:.1f}  "
              f"peak child RSS {rss[variant] / 2**20:.0f} MiB")
    print(f"in-process outputs differing from the kernel's: {differing} of {n * len(others)}")


if __name__ == "__main__":
    main()
