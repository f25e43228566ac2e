"""The notebooks: committed clean, parameterised for papermill, and running top to bottom.

The runs use real papermill with a real ``python3`` kernel, as JupyterLab and the papermill
CLI would, with the notebooks' own defaults.
"""

from __future__ import annotations

from pathlib import Path

import docx
import nbformat
import papermill as pm
import pytest
from bs4 import BeautifulSoup

from helpers.metrics.status import STATUS, status_label
from helpers.run.engine import ENGINE_NAME
from tests.tables import ONE_SECTOR, write_tables

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
    for heading in (  # the default period is the latest, 2013H2: the year-end summary's words
        "示范区2013年度乡镇工作总结汇总",
        "一、全区总体情况",
        "二、各乡镇指标排名",
        "三、各乡镇完成状态一览",
        "四、未完成全年任务的指标",
        "五、主要指标的乡镇分布",
        "数据说明",
    ):
        assert heading in text
    assert "序时" not in text
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


# -- parameters checked before any section, one plain message (issue 15, tester's report) -----

KERNEL = "python3"  # a real kernel, as JupyterLab and the papermill CLI run the notebooks


def _execute(
    name: str, folder: Path, executed: Path, engine: str = ENGINE_NAME, **parameters
) -> tuple[nbformat.NotebookNode, pm.PapermillExecutionError | None]:
    """Run ``notebooks/<name>`` from ``folder`` with the in-process engine (the batch's) or a
    real kernel; the executed notebook and the error that stopped it, if one did."""
    caught = None
    try:
        pm.execute_notebook(
            str(ROOT / "notebooks" / name),
            str(executed),
            parameters=parameters,
            engine_name=None if engine == KERNEL else engine,
            kernel_name="python3",
            progress_bar=False,
            cwd=str(folder),
        )
    except pm.PapermillExecutionError as exc:
        caught = exc
    return nbformat.read(executed, as_version=4), caught


def _plain_error(nb: nbformat.NotebookNode) -> tuple[int, str]:
    """(index among the code cells, message) of the one error: a single line, no frames."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [(i, o) for i, c in enumerate(code) for o in c.outputs if o.output_type == "error"]
    assert len(errors) == 1, errors
    i, error = errors[0]
    assert error.traceback == [f"{error.ename}: {error.evalue}"]  # no Python frames
    return i, error.evalue


def _shown(nb: nbformat.NotebookNode) -> str:
    """Everything the executed notebook shows, as text."""
    parts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            html = o.get("data", {}).get("text/html")
            parts.append(BeautifulSoup(html, "html.parser").get_text() if html else "")
            parts.append(o.get("text", "") + o.get("data", {}).get("text/plain", ""))
    return "\n".join(parts)


def _first_section(nb: nbformat.NotebookNode) -> int:
    """The index (among code cells) of the cell that checks the parameters and loads."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    return next(i for i, c in enumerate(code) if ".load(" in c.source)


BAD = [
    ({"lang": "fr"}, ["参数 lang 的值「fr」不对：只能是 zh（中文）或 en（英文）"]),
    ({"lang": "English"}, ["参数 lang 的值「English」不对"]),
    ({"decimals": 9}, ["参数 decimals 的值「9」不对：应为 0 到 6 的整数"]),
    ({"decimals": "两位"}, ["参数 decimals 的值「两位」不对"]),
    ({"share": "maybe"}, ["参数 share 的值「maybe」不对：应为 True（是）或 False（否）"]),
    (
        {"lang": "fr", "decimals": -1, "share": "可能", "period": "2099H1"},
        [
            "参数有 4 个问题",
            "lang 的值「fr」",
            "decimals 的值「-1」",
            "share 的值「可能」",
            "2099H1",
        ],
    ),
]


@pytest.mark.parametrize("name", ["report.ipynb", "district.ipynb"])
@pytest.mark.parametrize("bad, said", BAD, ids=[str(b) for b, _ in BAD])
def test_a_bad_parameter_stops_the_notebook_before_any_section(
    name: str, bad: dict, said: list[str], tmp_path: Path
):
    """lang, decimals and share are checked with data, org and period in the load cell:
    one plain message, Chinese first, every problem listed, nothing drawn, nothing written."""
    out = tmp_path / "reports"
    nb, caught = _execute(name, ROOT / "notebooks", tmp_path / "o.ipynb", out=str(out), **bad)
    assert caught is not None
    i, message = _plain_error(nb)
    assert i == _first_section(nb)
    assert all(text in message for text in said), message
    assert message.lstrip("- ").startswith(("参数", "/")) and "Traceback" not in message
    assert not out.exists()


def test_a_bad_lang_stops_explore_before_its_first_table(tmp_path: Path):
    nb, caught = _execute("explore.ipynb", ROOT / "notebooks", tmp_path / "o.ipynb", lang="fr")
    assert caught is not None
    i, message = _plain_error(nb)
    assert i == _first_section(nb) and message.startswith("参数 lang 的值「fr」不对")


def test_a_bad_parameter_is_plain_in_a_real_kernel_too(tmp_path: Path):
    nb, caught = _execute(
        "report.ipynb", ROOT / "notebooks", tmp_path / "o.ipynb", KERNEL, lang="fr", decimals=9
    )
    assert caught is not None and caught.ename == "UsageError"
    i, message = _plain_error(nb)
    assert i == _first_section(nb) and "lang 的值「fr」" in message and "decimals" in message


@pytest.mark.parametrize("share", ["False", "false", "否", "0", "no", "", " NO "])
def test_share_written_as_no_writes_nothing(share: str, tmp_path: Path):
    """``papermill -r share False`` passes the text "False": it means no, as "否" does."""
    out = tmp_path / "reports"
    nb, caught = _execute(
        "report.ipynb", ROOT / "notebooks", tmp_path / "o.ipynb", share=share, out=str(out)
    )
    assert caught is None
    assert "把参数 share 改为 True" in _shown(nb) and not out.exists()


@pytest.mark.parametrize("folder", ["notebooks", "."])
def test_pasted_spaces_and_the_importers_period_words_are_read(folder: str, tmp_path: Path):
    """`` data/sample `` (spaces pasted with it) and ``2013年1-6月`` (the sheet title's words)."""
    nb, caught = _execute(
        "report.ipynb",
        ROOT / folder,
        tmp_path / "o.ipynb",
        data=" data/sample\u3000",
        period="2013年1-6月",
        org=" 太源镇 ",
    )
    assert caught is None
    text = _shown(nb)
    assert "太源镇2013年上半年工作总结及打算" in text and "848万元" in text


def test_a_folder_of_data_sets_names_the_sets_inside(tmp_path: Path):
    nb, caught = _execute("report.ipynb", ROOT, tmp_path / "o.ipynb", data="data")
    assert caught is not None
    _, message = _plain_error(nb)
    assert "这是存放数据集的文件夹" in message and "district-demo、sample" in message
    assert "如 data/district-demo" in message


def test_publish_from_a_single_sheet_import_with_share_as_text_and_out_under_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """share = "是" publishes; out = "~/kpireports" is under the home folder (never a folder
    named ~ where the notebook runs); a data set whose indicators are all in 综合 shows no
    bare 分领域 heading but says why, and numbered lines of a notes cell are separate items
    in the notebook, the HTML and the Word draft."""
    home, start = tmp_path / "home", tmp_path / "start"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    write_tables(start / "data" / "太源镇-2013H1", ONE_SECTOR)
    nb, caught = _execute(
        "report.ipynb",
        start,
        tmp_path / "o.ipynb",
        KERNEL,
        data="data/太源镇-2013H1",
        share="是",
        out="~/kpireports ",
    )
    assert caught is None, caught
    period = home / "kpireports" / "2013H1"
    assert {"太源镇.html", "太源镇.docx", "index.html"} <= {p.name for p in period.iterdir()}
    assert not (start / "~").exists() and not (ROOT / "notebooks" / "~").exists()
    shown = _shown(nb)
    assert "二、分领域完成情况" not in shown and "分领域完成情况" in shown  # the hint only
    assert "全部指标都在「综合」领域" in shown and "sector（领域）列" in shown
    html = BeautifulSoup((period / "太源镇.html").read_text(encoding="utf-8"), "html.parser")
    headings = [h.get_text() for h in html.find_all(["h1", "h2", "h3"])]
    assert not any("分领域" in h for h in headings) and "二、工作亮点" in headings
    paragraphs = [p.get_text() for p in html.find_all("p")]
    items = ["1、招商引资成效明显。", "2、项目建设提速。", "3、民生实事落实。"]
    assert all(item in paragraphs for item in items)
    assert "（1）税源单一。" in paragraphs and "一、用地紧张。" in paragraphs
    word = [p for p in docx.Document(str(period / "太源镇.docx")).paragraphs]
    texts = [p.text for p in word]
    assert not any("分领域" in t for t in texts)
    at = texts.index(items[0])
    assert texts[at : at + 3] == items
    assert {word[k].style.name for k in range(at, at + 3)} == {"Normal"}
    assert all(word[k].paragraph_format.first_line_indent is None for k in range(at, at + 3))


# -- explore.ipynb reads data and period as report.ipynb does ----------------------------------


@pytest.mark.parametrize("folder", ["notebooks", "."])
def test_explore_takes_the_path_import_printed(folder: str, tmp_path: Path):
    nb, caught = _execute("explore.ipynb", ROOT / folder, tmp_path / "o.ipynb", data="data/sample")
    assert caught is None and "国地两税" in _shown(nb)


@pytest.mark.parametrize(
    "period, said",
    [("2014H1", "数据中没有这个期间的完成数"), ("abc", "期间格式不对"), ("上半年", "期间格式不对")],
)
def test_explore_with_a_period_without_figures_names_the_periods(
    period: str, said: str, tmp_path: Path
):
    nb, caught = _execute("explore.ipynb", ROOT / "notebooks", tmp_path / "o.ipynb", period=period)
    assert caught is not None
    i, message = _plain_error(nb)
    assert i == _first_section(nb)
    assert said in message and "2012H1、2012H2、2013H1、2013H2" in message


def test_explore_runs_all_on_a_one_period_import(tmp_path: Path):
    write_tables(tmp_path / "data" / "太源镇-2013H1", ONE_SECTOR)
    nb, caught = _execute(
        "explore.ipynb", tmp_path, tmp_path / "o.ipynb", data="data/太源镇-2013H1", lang="en"
    )
    assert caught is None, caught
    shown = _shown(nb)
    assert "数据中没有可与2013H1比较的更早期间" in shown and "None" not in shown
    assert "英文名称" not in shown


def test_explore_errors_are_plain_in_the_analysts_own_cells(tmp_path: Path):
    """The analyst's edits of explore's filter cells, each failing: one plain line each,
    Chinese first, the valid values nearest first, in a real kernel."""
    nb = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    edits = {
        'explore.pick(table, sector="工贸")': "没有这个领域；可选（近似的在前）：工业",
        'explore.pick(table, status="落后")': "没有这个状态；可选（近似的在前）：behind/滞后",
        'explore.pick(table, org="宝妙街道")': "没有这个乡镇；可选（近似的在前）：宝庙街道",
        'explore.pick(table, indicator="税收")': "没有这个指标；可选（近似的在前）：tax（国地两税）",
        'explore.chart(table, "国地两税", kind="pie")': "kind 只能是 rank（排名点图）或 bar",
        "explore.show(table, page=99)": "没有第99页：这个表共300行、6页",
        'explore.compare(ds, before="2011H1", after="2013H1")': "数据中没有这个期间的完成数；有：2012H1",
    }
    for source in edits:
        nb.cells.append(nbformat.v4.new_code_cell(source, metadata={"tags": ["raises-exception"]}))
    nb.cells.append(nbformat.v4.new_code_cell('explore.pick(table, org="示范区永山镇")'))
    edited = tmp_path / "explore.ipynb"
    nbformat.write(nb, edited)
    with pytest.raises(pm.PapermillExecutionError):  # every cell runs; papermill then says so
        pm.execute_notebook(
            str(edited),
            str(tmp_path / "o.ipynb"),
            kernel_name="python3",
            progress_bar=False,
            cwd=str(ROOT / "notebooks"),
        )
    ran = nbformat.read(tmp_path / "o.ipynb", as_version=4)
    by_source = {c.source: c for c in ran.cells if c.cell_type == "code"}
    for source, said in edits.items():
        [error] = [o for o in by_source[source].outputs if o.output_type == "error"]
        assert error.traceback == [f"{error.ename}: {error.evalue}"], source
        assert said in error.evalue, (source, error.evalue)
    full_name = by_source['explore.pick(table, org="示范区永山镇")']
    assert not [o for o in full_name.outputs if o.output_type == "error"]
