"""The notebooks: committed clean, parameterised for papermill, and running top to bottom.

The runs use real papermill with a real ``python3`` kernel, as JupyterLab and the papermill
CLI would, with the notebooks' own defaults.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest
from bs4 import BeautifulSoup

from helpers.metrics.status import STATUS, status_label

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_the_three_notebooks_exist():
    assert {"report.ipynb", "district.ipynb", "explore.ipynb"} <= {p.name for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a cell has outputs"
            assert cell.execution_count is None, f"{path.name}: a cell has an execution count"
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1, f"{path.name}: one cell tagged parameters"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("report.ipynb", {"data", "org", "period", "lang", "decimals", "share", "out"}),
        ("district.ipynb", {"data", "period", "lang", "decimals", "share", "out"}),
        ("explore.ipynb", {"data", "period", "lang"}),
    ],
)
def test_papermill_sees_every_parameter(name: str, expected: set[str]):
    """papermill skips a parameter line with a second ``=`` (e.g. in its comment)."""
    assert set(pm.inspect_notebook(str(ROOT / "notebooks" / name))) == expected


def test_district_notebook_is_thin():
    nb = nbformat.read(ROOT / "notebooks" / "district.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert "remove_cell" in cell.metadata.get("tags", [])
        elif "parameters" not in cell.metadata.get("tags", []):
            assert "def " not in cell.source and "for " not in cell.source
            assert len(cell.source.splitlines()) <= 4


def _run(name: str, tmp_path: Path, **parameters) -> nbformat.NotebookNode:
    out = tmp_path / name
    pm.execute_notebook(
        str(ROOT / "notebooks" / name),
        str(out),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
    )
    nb = nbformat.read(out, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
            assert not [o for o in cell.outputs if o.get("name") == "stderr"], cell.source
    return nb


def _results(nb: nbformat.NotebookNode) -> list[tuple[str, dict]]:
    """(source, data) of every code cell after the parameters, with its one rich result."""
    cells = []
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        skipped = {"parameters", "injected-parameters", "remove_cell"}
        if cell.cell_type != "code" or skipped & set(tags):
            continue
        results = [o for o in cell.outputs if o.output_type == "execute_result"]
        assert len(results) == 1, f"no result from {cell.source!r}"
        cells.append((cell.source, results[0]["data"]))
    return cells


def test_district_notebook_runs_with_its_defaults(tmp_path: Path):
    nb = _run("district.ipynb", tmp_path)
    results = _results(nb)
    assert len(results) == 7
    text = "".join(
        BeautifulSoup(data["text/html"], "html.parser").get_text() for _, data in results
    )
    for heading in (
        "乡镇工作进度汇总报告",
        "一、全区总体情况",
        "二、各乡镇指标排名",
        "三、各乡镇完成状态一览",
        "四、滞后及未达目标的指标",
        "五、主要指标的乡镇分布",
        "数据说明",
    ):
        assert heading in text
    html = "".join(data["text/html"] for _, data in results)
    assert html.count("data:image/png;base64,") >= 3
    assert BeautifulSoup(html, "html.parser").find("script") is None


def test_explore_notebook_runs_with_its_defaults(tmp_path: Path):
    nb = _run("explore.ipynb", tmp_path)
    results = _results(nb)
    kinds = [("text/html" in data, "image/png" in data) for _, data in results]
    assert kinds[-2:] == [(False, True), (False, True)]  # the two charts are pictures
    assert all(html for html, _ in kinds[:-2])  # tables before them
    catalogue, progress = (BeautifulSoup(results[i][1]["text/html"], "html.parser") for i in (0, 1))
    assert catalogue.th.get_text() == "代码" and not catalogue.select("tbody th")
    statuses = {td.get_text() for td in progress.select("td")} & {status_label(k) for k in STATUS}
    assert statuses  # the styled progress table labels statuses
    assert len(progress.select("tbody tr")) == 50 and "第1/6页" in progress.caption.get_text()


# -- the analyst's steps (issue: from a sheet to the shareable report in JupyterLab) ----------


def _run_from(folder: Path, executed: Path, **parameters) -> nbformat.NotebookNode:
    pm.execute_notebook(
        str(ROOT / "notebooks" / "report.ipynb"),
        str(executed),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(folder),
    )
    return nbformat.read(executed, as_version=4)


@pytest.mark.parametrize("folder", ["notebooks", "."])
def test_report_notebook_takes_the_path_import_printed(folder: str, tmp_path: Path):
    """``data/sample`` as printed from the project root works from notebooks/ too."""
    nb = _run_from(ROOT / folder, tmp_path / "out.ipynb", data="data/sample")
    text = "".join(
        BeautifulSoup(data["text/html"], "html.parser").get_text() for _, data in _results(nb)
    )
    assert "848万元" in text


def test_a_typo_in_org_is_one_plain_message_listing_the_orgs(tmp_path: Path):
    with pytest.raises(pm.PapermillExecutionError) as caught:
        _run_from(ROOT / "notebooks", tmp_path / "out.ipynb", org="太原镇")
    assert caught.value.ename == "UnknownKeyError"
    assert "数据中没有这个乡镇" in caught.value.evalue and "太源镇" in caught.value.evalue
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    [error] = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert error.traceback == [f"UnknownKeyError: {caught.value.evalue}"]  # no Python frames


def test_a_period_without_figures_names_the_periods_there_are(tmp_path: Path):
    with pytest.raises(pm.PapermillExecutionError) as caught:
        _run_from(ROOT / "notebooks", tmp_path / "out.ipynb", period="2014H1")
    assert "2014H1" in caught.value.evalue and "2013H1" in caught.value.evalue


def test_publish_writes_what_kpibook_run_writes(tmp_path: Path):
    """share=True: the report's files and the period's index, made by ``kpibook run``."""
    out = tmp_path / "reports"
    nb = _run_from(ROOT / "notebooks", tmp_path / "out.ipynb", share=True, out=str(out))
    printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert str(out / "2013H1" / "index.html") in printed
    names = {p.name for p in (out / "2013H1").iterdir()}
    assert {"太源镇.html", "太源镇.pdf", "太源镇.docx", "太源镇.ipynb", "index.html"} <= names
    assert "太源镇" in (out / "2013H1" / "index.html").read_text(encoding="utf-8")


def test_without_share_publish_only_says_how(tmp_path: Path):
    nb = _run_from(ROOT / "notebooks", tmp_path / "out.ipynb", out=str(tmp_path / "reports"))
    printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert "share" in printed and not (tmp_path / "reports").exists()
