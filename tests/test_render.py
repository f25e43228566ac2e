"""helpers.output.render: a real notebook through real nbconvert, read back with
BeautifulSoup."""

from __future__ import annotations

import base64
import copy
import io
import re

import matplotlib
import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from helpers.document.fonts import register_matplotlib
from helpers.errors import UsageError
from helpers.output import render
from tests.pages import bold_text, faces

matplotlib.use("Agg")

TITLE = "城关镇 2013年上半年工作总结"
HEADING = "一、主要经济指标完成情况"
SECRET = "PARAMETER_CELL_SOURCE"  # appears only in the code of the parameter cells
FOOTER = {
    "parameters": {"org": "城关镇", "period": "2013H1"},
    "inputs": {"data/sample/actuals.csv": "ab" * 32},
    "version": "0.1.0+g1234567",
    "run_at": "2026-07-01T08:00:00",
    "note": "<script>alert('x')</script>",
}


def chart_png() -> str:
    import matplotlib.pyplot as plt

    register_matplotlib()
    fig, ax = plt.subplots(figsize=(5, 2.5))
    ax.bar(["地区生产总值", "固定资产投资"], [52.3, 48.1])
    ax.set_title("主要指标完成率（%）")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def report_notebook() -> nbformat.NotebookNode:
    table = (
        "<table class='dataframe'><thead><tr><th>指标</th><th>完成值</th><th>完成率</th>"
        "</tr></thead><tbody><tr><th>地区生产总值（万元）</th><td>6,035</td><td>52.3%</td>"
        "</tr><tr><th>财政收入</th><td>1,208</td><td>48.1%</td></tr></tbody></table>"
    )
    nb = new_notebook()
    nb.cells = [
        new_code_cell(f"org = 'x'  # {SECRET}", metadata={"tags": ["parameters"]}),
        new_code_cell(f"org = '城关镇'  # {SECRET}", metadata={"tags": ["injected-parameters"]}),
        new_markdown_cell(
            f"# 城关镇2013年上半年工作总结\n\n## {HEADING}\n\n"
            "上半年，全镇**地区生产总值**完成6,035万元，占全年任务的52.3%。"
        ),
        new_code_cell(
            "show_table()  # CODE_OF_TABLE",
            execution_count=3,
            outputs=[
                new_output(
                    "execute_result",
                    execution_count=3,
                    data={"text/html": table, "text/plain": "table"},
                )
            ],
        ),
        new_code_cell(
            "plot()  # CODE_OF_CHART",
            execution_count=4,
            outputs=[
                new_output(
                    "display_data", data={"image/png": chart_png(), "text/plain": "<Figure>"}
                )
            ],
        ),
        new_code_cell(
            "print('x')  # CODE_OF_STREAM",
            execution_count=5,
            outputs=[new_output("stream", name="stdout", text="数据说明：6月为预计数\n")],
        ),
        new_code_cell(
            "fig.savefig(b)",
            execution_count=6,
            outputs=[
                new_output(
                    "stream",
                    name="stderr",
                    text="/venv/matplotlib/layout.py:12: UserWarning: constrained_layout not applied\n",
                )
            ],
        ),
    ]
    return nb


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KPIBOOK_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    return report_notebook()


@pytest.fixture(scope="module")
def page(cache, notebook) -> str:
    return render.html_from_notebook(notebook, title=TITLE, footer=FOOTER)


@pytest.fixture(scope="module")
def soup(page) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


# ------------------------------------------------------------------------------------- HTML


def test_page_loads_nothing_from_outside(page, soup):
    assert not soup.find_all("script")
    assert not soup.find_all("link")
    assert not [img for img in soup.find_all("img") if not img["src"].startswith("data:")]
    css = "\n".join(style.get_text() for style in soup.find_all("style"))
    urls = re.findall(r"url\(\s*['\"]?([^'\")]*)", css)
    assert urls and all(url.startswith("data:") for url in urls)
    assert "@import" not in css
    assert render.external_references(page) == []


def test_python_warnings_stay_in_the_notebook_not_the_page(page, notebook):
    assert "UserWarning" not in page and "/venv/" not in page
    assert any(o.get("name") == "stderr" for c in notebook.cells for o in c.get("outputs", []))


def test_page_shows_no_code_prompts_or_parameters(page, soup):
    text = soup.get_text()
    for code in ("CODE_OF_TABLE", "CODE_OF_CHART", "CODE_OF_STREAM", SECRET):
        assert code not in page
    assert not soup.select(".jp-InputArea-editor, .jp-InputPrompt, .jp-OutputPrompt")
    assert "In [" not in text and "Out[" not in text
    assert HEADING in text and "6,035" in text and "数据说明：6月为预计数" in text
    assert len(soup.select("img[src^='data:image/png;base64,']")) == 1


def test_page_language_title_and_fonts(soup, page):
    assert soup.html["lang"] == "zh-CN"
    assert soup.title.get_text() == TITLE
    css = "\n".join(style.get_text() for style in soup.find_all("style"))
    rules = re.findall(r"@font-face\s*\{(.*?)\}", css, re.S)
    assert {re.search(r"font-weight:\s*(\d+)", r).group(1) for r in rules} == {"400", "700"}
    assert all('"Noto Sans SC"' in r and "url(data:font/woff;base64," in r for r in rules)
    assert re.search(r'html\s*\{[^}]*font-family:\s*"Noto Sans SC"', css)
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", css)
    # Every character of the page is in the Regular face, every bold one in the Bold face.
    found = faces(page)
    assert set(soup.get_text()) - set("\n\t\r") <= found[400]
    assert set(bold_text(page)) - set("\n\t\r") <= found[700]


def test_footer_shows_provenance_escaped(soup):
    footer = soup.find("footer")
    assert footer is not None
    text = footer.get_text(" ")
    assert "数据来源与运行信息" in text
    for shown in (
        "城关镇",
        "2013H1",
        "data/sample/actuals.csv",
        "ab" * 32,
        "0.1.0+g1234567",
        "2026-07-01T08:00:00",
        "<script>alert('x')</script>",
    ):
        assert shown in text
    assert not footer.find("script")


def test_notebook_is_not_modified(cache, notebook):
    before = nbformat.writes(notebook)
    render.html_from_notebook(notebook, title="x")
    assert nbformat.writes(notebook) == before


def test_english_page_and_bad_language(cache, notebook):
    english = BeautifulSoup(
        render.html_from_notebook(notebook, title="Report", lang="en", footer={"version": "1"}),
        "html.parser",
    )
    assert english.html["lang"] == "en"
    assert "Provenance" in english.find("footer").get_text()
    with pytest.raises(UsageError):
        render.html_from_notebook(notebook, title="x", lang="fr")


def test_failed_notebook_shows_its_error(cache):
    nb = new_notebook()
    nb.cells = [
        new_code_cell(
            "1/0",
            execution_count=1,
            outputs=[
                new_output(
                    "error",
                    ename="ZeroDivisionError",
                    evalue="division by zero",
                    traceback=["\x1b[0;31mZeroDivisionError\x1b[0m: division by zero"],
                )
            ],
        )
    ]
    soup = BeautifulSoup(render.html_from_notebook(nb, title="失败"), "html.parser")
    assert "ZeroDivisionError" in soup.get_text()
    assert soup.select(".ansi-red-fg")


def test_external_references_finds_what_a_browser_would_fetch():
    html = (
        "<html><head><script src='https://cdn.example/x.js'></script>"
        "<link rel=stylesheet href='https://cdn.example/x.css'>"
        "<style>@font-face{src:url(https://f.example/a.woff)} b{background:url(data:x)}"
        "</style></head><body><img src='chart.png'><img src='data:image/png;base64,AA'>"
        "<a href='https://example.org'>link</a><div style=\"background:url('/bg.png')\">"
        "</div></body></html>"
    )
    assert sorted(render.external_references(html)) == sorted(
        [
            "https://cdn.example/x.js",
            "https://cdn.example/x.css",
            "https://f.example/a.woff",
            "chart.png",
            "/bg.png",
        ]
    )


def test_notebook_only_outputs_never_reach_the_page(cache):
    """An empty section's hint of what to fill is the analyst's, not the leaders'."""
    from helpers.document.model import NOTEBOOK_ONLY, Document

    data, metadata = Document(
        [], "zh", hint="「重点项目」没有内容，要写请填 projects.csv"
    )._repr_mimebundle_()
    cell = new_code_cell("report.projects()")
    cell.outputs = [new_output("execute_result", data=data, metadata=metadata, execution_count=1)]
    nb = new_notebook(cells=[new_markdown_cell("# 标题"), cell])
    assert metadata == {NOTEBOOK_ONLY: True}
    page = render.html_from_notebook(nb, title=TITLE)
    assert "没有内容" not in page and "projects.csv" not in page
    assert nb.cells[1].outputs  # the notebook keeps it


def test_the_document_json_is_left_out_of_the_export_and_kept_in_the_notebook(cache):
    """The page is made from each output's HTML; its document JSON (for the .ipynb, PDF and
    Word) is not handed to nbconvert, which would copy and validate every node of it."""
    from helpers.document.model import MIME, Document, Paragraph, Run

    data = Document([Paragraph((Run("一段文字。"),))], "zh")._repr_mimebundle_()
    assert MIME in data
    cell = new_code_cell("report.overview()")
    cell.outputs = [new_output("execute_result", data=data, execution_count=1)]
    nb = new_notebook(cells=[new_markdown_cell("# 标题"), cell])
    without = copy.deepcopy(nb)
    del without.cells[1].outputs[0]["data"][MIME]
    page = render.html_from_notebook(nb, title=TITLE)
    assert "一段文字" in page
    assert page == render.html_from_notebook(without, title=TITLE)
    assert MIME in nb.cells[1].outputs[0]["data"]  # the notebook itself is not changed
    shown = render._for_readers(nb)  # what nbconvert is given
    assert [MIME in o["data"] for o in shown.cells[1].outputs] == [False]
