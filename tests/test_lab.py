"""``make lab``'s pre-save hook: the committed notebooks are saved as committed."""

from __future__ import annotations

import copy
import json
import re

import nbformat
import pytest

from helpers.run.lab import keep_committed_form
from tests.tables import ROOT


def _executed() -> dict:
    nb = json.loads((ROOT / "notebooks" / "report.ipynb").read_text(encoding="utf-8"))
    committed = copy.deepcopy(nb)
    for n, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            cell["execution_count"] = n
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x"}]
            cell["metadata"]["execution"] = {"iopub.status.busy": "2026-01-01"}
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.7", "mimetype": "x"}
    nb["cells"][1]["source"] = 'data = "data/太源镇-2013H1"'  # the analyst's own edit
    return {"type": "notebook", "content": nb}, committed


def test_a_committed_notebook_is_saved_without_what_running_added():
    model, committed = _executed()
    keep_committed_form(model, "notebooks/report.ipynb", None)
    saved = model["content"]
    assert saved["metadata"] == committed["metadata"]
    for before, after in zip(committed["cells"], saved["cells"]):
        if after["cell_type"] == "code":
            assert after["outputs"] == [] and after["execution_count"] is None
            assert after["metadata"] == before["metadata"]
    assert saved["cells"][1]["source"] == 'data = "data/太源镇-2013H1"'  # kept
    nbformat.validate(nbformat.from_dict(saved))


def test_other_notebooks_keep_their_outputs():
    for path in ("reports/2013H1/太源镇.ipynb", "scratch.ipynb", "notebooks/sub/x.ipynb"):
        model, _ = _executed()
        keep_committed_form(model, path, None)
        assert model["content"]["cells"][3]["outputs"], path
    keep_committed_form({"type": "file", "content": "text"}, "notebooks/a.ipynb", None)


@pytest.mark.parametrize("name", ["report", "district", "explore"])
def test_run_and_saved_in_lab_a_notebook_is_byte_for_byte_as_committed(name):
    """What Jupyter's contents manager writes (``nbformat.write``) after a Run All and the
    pre-save hook is the committed file itself, so ``git status`` stays clean."""
    path = ROOT / "notebooks" / f"{name}.ipynb"
    nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    for n, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.execution_count = n
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x")]
            cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01"}
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7", "mimetype": "x"}
    model = {"type": "notebook", "content": nb}
    keep_committed_form(model, f"notebooks/{name}.ipynb", None)
    saved = nbformat.writes(nbformat.from_dict(model["content"]), version=nbformat.NO_CONVERT)
    assert saved + "\n" == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["report", "district", "explore"])
def test_a_notebook_names_the_kernel_make_installs(name):
    """Lab rewrites a kernelspec that differs from the running kernel's: the notebooks carry
    the name and display name ``make`` installs the venv's kernel under."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installed = re.search(r'--name (\S+) --display-name "([^"]+)"', makefile)
    assert installed is not None
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    assert (nb.metadata.kernelspec.name, nb.metadata.kernelspec.display_name) == installed.groups()


@pytest.mark.parametrize("name", ["report", "district", "explore"])
def test_a_notebooks_chinese_text_has_full_width_punctuation(name):
    """The analyst reads the lead-ins and parameter comments: ，；：（） beside Chinese."""
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    half = re.compile(r"[\u4e00-\u9fff][,;:()]|[,;:(][\u4e00-\u9fff]")
    assert [line for c in nb.cells for line in c.source.splitlines() if half.search(line)] == []
