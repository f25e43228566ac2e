"""InProcessEngine: the output notebook a kernel would make, papermill's errors, no shared state.

Every notebook runs twice through real papermill: with a fresh kernel (papermill's default
engine) and with the in-process engine in a child of ``run_forked`` preloaded with pandas and
matplotlib, as the batch runs it. The two output notebooks must be equal, outputs included
(PNG bytes and tracebacks too), apart from times. Engine runs happen in children only, so this
test process keeps its own pandas and matplotlib state.
"""

from __future__ import annotations

import builtins
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import papermill
import pytest
from papermill.engines import papermill_engines
from papermill.exceptions import PapermillExecutionError

from helpers.run.engine import ENGINE_NAME, InProcessEngine
from helpers.run.workers import run_forked
from tests.compare import comparable

NOTEBOOKS = Path(__file__).parent / "notebooks"
PRELOAD = ("helpers.run.engine", "pandas", "matplotlib.pyplot", "papermill")
KERNEL = None  # papermill's default engine: a fresh kernel per run
LEAK_ORGS = [f"town-{n:02d}" for n in range(3, 9)]  # town-03 and town-06 set state

Job = tuple[str, str, dict[str, Any], str | None]


def execute(job: Job) -> None:
    """In a child: papermill runs one notebook with the given engine."""
    notebook, output, parameters, engine = job
    papermill.execute_notebook(
        notebook, output, parameters=parameters, engine_name=engine, progress_bar=False
    )


def execute_in_one_process(jobs: list[Job]) -> list[str]:
    """In one child: several notebooks one after another, as a reused worker would."""
    errors = []
    for job in jobs:
        try:
            execute(job)
        except PapermillExecutionError as exc:
            errors.append(exc.ename)
    return errors


def interpreter_state() -> dict[str, Any]:
    import IPython.core.interactiveshell as shell

    return {
        "stdout": id(sys.stdout),
        "stderr": id(sys.stderr),
        "input": id(builtins.input),
        "displayhook": id(sys.displayhook),
        "builtins": sorted(vars(builtins)),
        "environ": dict(os.environ),
        "path": list(sys.path),
        "main": id(sys.modules["__main__"]),
        "shell": shell.InteractiveShell.initialized(),
    }


def run_twice_in_process(job: Job) -> dict[str, Any]:
    """In a child: the engine twice in the same interpreter; what it left behind."""
    before = interpreter_state()
    execute(job)
    first = comparable(job[1])
    middle = interpreter_state()
    execute(job)
    return {
        "before": before,
        "middle": middle,
        "after": interpreter_state(),
        "same_outputs": first == comparable(job[1]),
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str | None], Any]:
    """Every notebook × engine of this module, two at a time; key (notebook, org, engine)."""
    out = tmp_path_factory.mktemp("engine")
    plan = [("outputs", "东城镇"), ("kernel_behaviour", "北镇"), ("failing", "西城")]
    plan += [("stateful", org) for org in LEAK_ORGS]
    jobs: list[Job] = []
    for notebook, org in plan:
        for engine in (KERNEL, ENGINE_NAME):
            output = out / f"{notebook}-{org}-{engine or 'kernel'}.ipynb"
            jobs.append((str(NOTEBOOKS / f"{notebook}.ipynb"), str(output), {"org": org}, engine))
    outcomes = run_forked(jobs, execute, workers=2, timeout=240, preload=PRELOAD)
    results: dict[tuple[str, str, str | None], Any] = {}
    for outcome in outcomes:
        notebook, output, parameters, engine = outcome.task
        results[(Path(notebook).stem, parameters["org"], engine)] = (outcome, output)
    return results


@pytest.mark.parametrize(("notebook", "org"), [("outputs", "东城镇"), ("kernel_behaviour", "北镇")])
def test_the_output_notebook_is_that_of_a_kernel_run(runs: dict, notebook: str, org: str) -> None:
    (kernel, kernel_nb), (inproc, inproc_nb) = (
        runs[notebook, org, e] for e in (KERNEL, ENGINE_NAME)
    )
    assert inproc.status == kernel.status, (inproc.error, kernel.error)
    if kernel.exception is not None:  # kernel_behaviour: papermill reports its first error
        assert isinstance(inproc.exception, PapermillExecutionError), inproc.error
        assert vars(inproc.exception) == vars(kernel.exception)
    assert comparable(inproc_nb) == comparable(kernel_nb)


def test_outputs_of_every_kind_are_captured(runs: dict) -> None:
    _, path = runs["outputs", "东城镇", ENGINE_NAME]
    nb = nbformat.read(path, as_version=4)
    outputs = [o for cell in nb.cells for o in cell.get("outputs", [])]
    streams = {(o.name, o.text) for o in outputs if o.output_type == "stream"}
    assert ("stdout", "org: 东城镇\n") in {(n, t.splitlines(True)[0]) for n, t in streams}
    assert any(name == "stderr" for name, _ in streams)
    html = [o.data["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert "<b>东城镇</b>" in html
    assert "<i>final</i>" in html and "<i>draft</i>" not in html  # display updated by id
    assert any("<table" in h and "东城镇" in h for h in html)  # a DataFrame as HTML
    assert any("text/markdown" in o.get("data", {}) for o in outputs)
    figures = [o for o in outputs if o.output_type == "display_data" and "image/png" in o.data]
    assert len(figures) == 2
    results = [o for o in outputs if o.output_type == "execute_result"]
    assert any("'rows': 2" in o.data["text/plain"] for o in results)  # last expression
    assert ("stdout", "StdinNotImplementedError\n") in streams
    assert ("stdout", "kept\n") in streams and not any("cleared" in t for _, t in streams)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "org = " in injected[0].source  # the default is 示范镇


def test_a_failing_cell_raises_papermills_error_as_with_a_kernel(runs: dict) -> None:
    (kernel, kernel_nb), (inproc, inproc_nb) = (
        runs["failing", "西城", e] for e in (KERNEL, ENGINE_NAME)
    )
    error = inproc.exception
    assert isinstance(error, PapermillExecutionError), inproc.error
    assert (error.ename, error.evalue) == ("ValueError", "no data for 西城")
    assert isinstance(kernel.exception, PapermillExecutionError)
    for attribute in ("ename", "evalue", "exec_count", "cell_index", "source", "traceback"):
        assert getattr(error, attribute) == getattr(kernel.exception, attribute), attribute
    nb = nbformat.read(inproc_nb, as_version=4)
    banner, anchor = nb.cells[0], nb.cells[error.cell_index + 1]
    assert "An Exception was encountered at" in banner.source
    assert f"In [{error.exec_count}]" in banner.source
    assert "papermill-error-cell-tag" in anchor.metadata.tags
    failed = nb.cells[error.cell_index + 2]
    assert failed.metadata.papermill.status == "failed"
    assert [o.output_type for o in failed.outputs] == ["error"]
    never = nb.cells[-1]
    assert never.execution_count is None and never.metadata.papermill.status == "pending"
    assert comparable(inproc_nb) == comparable(kernel_nb)


def test_no_state_leaks_between_reports(runs: dict) -> None:
    """The state-leak test: each forked report equals a fresh-kernel run of the same org."""
    for org in LEAK_ORGS:
        for engine in (KERNEL, ENGINE_NAME):
            outcome, _ = runs["stateful", org, engine]
            assert outcome.ok, outcome.error
    differing = [
        org
        for org in LEAK_ORGS
        if comparable(runs["stateful", org, ENGINE_NAME][1])
        != comparable(runs["stateful", org, KERNEL][1])
    ]
    assert differing == []


def test_the_state_leak_test_sees_a_leak(runs: dict, tmp_path: Path) -> None:
    """Control: the same notebooks run one after another in one process do differ."""
    setter, victim = LEAK_ORGS[0], LEAK_ORGS[1]
    jobs = [
        (
            str(NOTEBOOKS / "stateful.ipynb"),
            str(tmp_path / f"{org}.ipynb"),
            {"org": org},
            ENGINE_NAME,
        )
        for org in (setter, victim)
    ]
    [outcome] = run_forked([jobs], execute_in_one_process, workers=1, timeout=120, preload=PRELOAD)
    assert outcome.ok and outcome.result == [], outcome.error
    assert comparable(jobs[0][1]) == comparable(runs["stateful", setter, KERNEL][1])
    assert comparable(jobs[1][1]) != comparable(runs["stateful", victim, KERNEL][1])


def test_an_inprocess_run_puts_the_interpreter_back(tmp_path: Path) -> None:
    job: Job = (
        str(NOTEBOOKS / "outputs.ipynb"),
        str(tmp_path / "out.ipynb"),
        {"org": "a"},
        ENGINE_NAME,
    )
    [outcome] = run_forked([job], run_twice_in_process, workers=1, timeout=120, preload=PRELOAD)
    assert outcome.ok, outcome.error
    state = outcome.result
    assert state["before"]["shell"] is False
    assert state["middle"] == state["before"]
    assert state["after"] == state["before"]
    assert state["same_outputs"] is True


def test_papermill_cli_runs_the_notebooks_with_the_engine(runs: dict, tmp_path: Path) -> None:
    output = tmp_path / "cli.ipynb"
    papermill_cli = Path(sys.executable).with_name("papermill")
    done = subprocess.run(
        [
            str(papermill_cli),
            "--engine",
            ENGINE_NAME,
            "--no-progress-bar",
            str(NOTEBOOKS / "outputs.ipynb"),
            str(output),
            "-p",
            "org",
            "东城镇",
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    assert comparable(output) == comparable(runs["outputs", "东城镇", KERNEL][1])


def test_the_engine_is_registered_with_papermill() -> None:
    assert papermill_engines.get_engine(ENGINE_NAME) is InProcessEngine
    import entrypoints

    for entry in entrypoints.get_group_all("papermill.engine"):
        if entry.module_name == "helpers.run.engine":
            assert papermill_engines.get_engine(entry.name) is InProcessEngine


def test_a_notebook_of_another_language_is_refused(tmp_path: Path) -> None:
    nb = nbformat.read(NOTEBOOKS / "failing.ipynb", as_version=4)
    nb.metadata.kernelspec = {"name": "ir", "display_name": "R", "language": "R"}
    nb.metadata.language_info = {"name": "R"}
    path = tmp_path / "r.ipynb"
    nbformat.write(nb, path)
    job: Job = (str(path), str(tmp_path / "out.ipynb"), {}, ENGINE_NAME)
    [outcome] = run_forked([job], execute, workers=1, timeout=120, preload=PRELOAD)
    assert outcome.status.value == "error"
    assert "runs Python notebooks only" in (outcome.error or "")


def run_as_an_exiting_report(job: Job) -> dict[str, Any]:
    """In a child: the engine as a forked report runs it (its shell left for the exit)."""
    notebook, output, parameters, _ = job
    before = interpreter_state()
    papermill.execute_notebook(
        notebook,
        output,
        parameters=parameters,
        engine_name=ENGINE_NAME,
        progress_bar=False,
        shut_down_shell=False,
    )
    return {"before": before, "after": interpreter_state()}


def test_a_report_that_leaves_its_shell_to_the_exit_writes_the_kernels_notebook(
    runs: dict, tmp_path: Path
) -> None:
    output = tmp_path / "exiting.ipynb"
    job: Job = (str(NOTEBOOKS / "outputs.ipynb"), str(output), {"org": "东城镇"}, ENGINE_NAME)
    [outcome] = run_forked([job], run_as_an_exiting_report, workers=1, timeout=120, preload=PRELOAD)
    assert outcome.ok, outcome.error
    kernel, kernel_output = runs[("outputs", "东城镇", KERNEL)]
    assert kernel.ok, kernel.error
    assert comparable(str(output)) == comparable(kernel_output)
    # the process is still put back (streams, hooks, no shell registered): only IPython's
    # own exit (history, namespace) is skipped
    assert outcome.result["after"] == outcome.result["before"]
