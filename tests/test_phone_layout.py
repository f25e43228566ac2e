"""The report on a phone 390 px wide: tables as cards, charts whose text is ≥ 9 px.

The cards are checked on the sample report's own tables (附表 and 重点项目): every cell of an
indicator row carries the header text above it as its label (a two-level header combined, read
here from the ``<thead>`` grid itself), and report.css turns such rows into cards under 600 px
only. The charts are the sample report's, drawn as the report draws them; the width a phone
shows them at is read from report.css's narrow padding.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

import helpers
from helpers.base.missing import NONE
from helpers.document import charts, html, tables
from helpers.sections.report import Report

PHONE = 390  # CSS px: the viewport of a common phone
MIN_PX = 9.0  # the smallest chart text a reader can read on it, in CSS px
CSS = Path(helpers.__file__).parent / "templates" / "kpibook" / "static" / "report.css"


# --------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def report() -> Report:
    return Report.load()


def narrow_block(css: str) -> tuple[int, str]:
    """The ``@media screen and (max-width: Npx)`` block of report.css: N and its rules."""
    match = re.search(r"@media screen and \(max-width: (\d+)px\) \{(.*?)\n\}", css, re.S)
    assert match, "report.css has no narrow-screen block"
    return int(match[1]), match[2]


def rules(block: str) -> dict[str, str]:
    """Selector → declarations of a block of CSS (comments removed)."""
    block = re.sub(r"/\*.*?\*/", "", block, flags=re.S)
    out: dict[str, str] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", block):
        for sel in selectors.split(","):
            out[" ".join(sel.split())] = out.get(" ".join(sel.split()), "") + body
    return out


def phone_width() -> float:
    """The CSS px a chart is shown at on the phone: the viewport less the narrow padding."""
    _, block = narrow_block(CSS.read_text(encoding="utf-8"))
    padding = rules(block)["body.kpibook"]
    sides = re.search(r"padding:\s*(\d+)px\s+(\d+)px", padding)
    assert sides, padding
    return PHONE - 2 * int(sides[2])


def header_labels(table: Tag) -> list[str]:
    """Each column's header text as the <thead> shows it: group and sub combined (group（sub）),
    a unit hint (<small>) in brackets after it; read from the rowspan/colspan grid."""
    rows = table.find("thead").find_all("tr")
    grid: list[list[str | None]] = [[] for _ in rows]
    for r, tr in enumerate(rows):
        col = 0
        for th in tr.find_all("th"):
            while col < len(grid[r]) and grid[r][col] is not None:
                col += 1
            small = th.find("small")
            hint = small.get_text() if small else ""
            if small:
                small.extract()
            text = th.get_text() + (f"（{hint}）" if hint else "")
            for dr in range(int(th.get("rowspan", 1))):
                for dc in range(int(th.get("colspan", 1))):
                    line = grid[r + dr]
                    while len(line) <= col + dc:
                        line.append(None)  # free
                    line[col + dc] = text if dr == 0 else ""  # "": taken by the row above
            col += int(th.get("colspan", 1))
    labels = []
    for c in range(len(grid[0])):
        parts = [line[c] for line in grid if c < len(line) and line[c]]
        labels.append(parts[0] if len(parts) == 1 else f"{parts[0]}（{parts[1]}）")
    return labels


def soup_of(doc_html: str) -> BeautifulSoup:
    return BeautifulSoup(doc_html, "html.parser")


# --------------------------------------------------------------------------- cards


def test_every_cell_is_labelled_with_its_header(report):
    page = soup_of(report.progress_table().body + report.projects().body)
    found = page.find_all("table", class_="kpi-cards")
    assert {"kpi-progress", "kpi-projects"} <= {c for t in found for c in t["class"]}
    for table in found:
        heads = header_labels(table)
        rows = [tr for tr in table.find_all("tr") if tr.parent.name == "tbody"]
        indicator_rows = [tr for tr in rows if "kpi-sector" not in (tr.get("class") or [])]
        assert indicator_rows
        for tr in indicator_rows:
            cells = tr.find_all(["td", "th"])
            assert [c["data-label"] for c in cells] == heads
            assert cells[0].name == "th" and "kpi-name" in cells[0]["class"]  # the card title
            for c in cells:  # a cell with no value is marked, one with a value never
                assert c.has_attr("data-none") == (c.get_text().strip() == NONE)
        for tr in rows:
            if "kpi-sector" in (tr.get("class") or []):
                assert not tr.find(attrs={"data-label": True})


def test_the_district_totals_table_is_cards_too():
    """The district report's 完成情况表 of the sums is labelled for the narrow layout, as a
    township's is: 状态 and 备注 in each card, not behind a sideways scroll."""
    from helpers.base.resources import data_dir
    from helpers.sections.district import District

    page = soup_of(District.load(data_dir("district-demo"), "2013H1").totals().body)
    table = page.find("table", class_="kpi-progress")
    assert "kpi-cards" in table["class"]
    heads = header_labels(table)
    assert heads[-2:] == ["状态", "备注"]
    rows = [
        tr
        for tr in table.find("tbody").find_all("tr")
        if "kpi-sector" not in (tr.get("class") or [])
    ]
    assert rows and all(
        [c["data-label"] for c in tr.find_all(["td", "th"])] == heads for tr in rows
    )


def test_two_level_headers_are_combined_and_status_and_notes_labelled(report):
    table = soup_of(report.progress_table().body).find("table", class_="kpi-progress")
    labels = [c["data-label"] for c in table.find("tbody").find_all("tr")[1].find_all(["td", "th"])]
    assert labels[:4] == ["指标", "单位", "目标任务（全年）", "目标任务（上半年）"]
    assert "完成率（上半年）" in labels and "超（欠）序时（个百分点）" in labels
    assert labels[-2:] == ["状态", "备注"]


def test_english_labels():
    en = Report.load(lang="en")
    table = soup_of(en.progress_table().body).find("table", class_="kpi-progress")
    heads = header_labels(table)
    row = table.find("tbody").find_all("tr")[1]
    labels = [c["data-label"] for c in row.find_all(["td", "th"])]
    assert labels[-2:] == ["Status", "Notes"]
    assert "Target (Year)" in labels
    # the English labels use the English brackets; the header grid reads them the Chinese way
    assert [h.replace("（", " (").replace("）", ")") for h in heads] == labels


def test_the_narrow_layout_makes_cards_and_hides_nothing_that_matters():
    css = CSS.read_text(encoding="utf-8")
    width, block = narrow_block(css)
    assert 480 <= width <= 600
    got = rules(block)
    cards = ".kpibook table.kpi-cards"
    for part in ("", " tr", " td", " th", " tbody", " caption"):
        assert "display: block" in got[cards + part], part
    assert "display: none" in got[cards + " thead"]  # the labels stand in for the header
    assert "attr(data-label)" in got[cards + " td::before"]
    assert "display: none" in got[cards + " td[data-none]"]
    assert "display: grid" in got[cards + " td"]  # label and value side by side
    hidden = [s for s, body in got.items() if "display: none" in body]
    assert not any(k in s for s in hidden for k in ("kpi-status", "kpi-name")), hidden
    assert all(s.endswith(("thead", "[data-none]", ":empty")) for s in hidden), hidden
    assert "overflow-x: visible" in got[".kpibook .kpi-wrap"]  # no sideways scrollbar


def test_the_wide_layout_and_print_do_not_change():
    css = CSS.read_text(encoding="utf-8")
    _, block = narrow_block(css)
    outside = re.sub(r"/\*.*?\*/", "", css.replace(block, ""), flags=re.S)
    assert "kpi-cards" not in outside and "data-label" not in outside
    assert "@media screen and (max-width" in css  # screen only: Typst makes the PDF


# --------------------------------------------------------------------------- charts


def sample_charts(report: Report) -> dict[str, Figure]:
    t = report.table
    figs = {"dots": charts.completion_dots(t), "yoy": charts.yoy_bars(t)}
    for sector in dict.fromkeys(t["sector"]):
        figs[f"bullets {sector}"] = charts.sector_bullets(t, sector)
    projects = report.ds.projects
    projects = projects[(projects["org"] == report.org) & (projects["period"] == report.period)]
    figs["projects"] = charts.project_progress(tables.project_names(projects))
    figs["dots en"] = charts.completion_dots(t, lang="en")
    figs["bullets en"] = charts.sector_bullets(t, t["sector"].iloc[0], lang="en")
    return figs


def drawn_texts(fig: Figure) -> list[Text]:
    """The texts the figure draws at the report's resolution (the layout depends on it):
    visible, not empty, tick labels only inside the view."""
    fig.set_dpi(html.DPI)
    FigureCanvasAgg(fig).draw()
    out = []
    for ax in fig.axes:
        lo, hi = sorted(ax.get_xlim())
        for tick in ax.xaxis.get_major_ticks():
            if not lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                tick.label1.set_visible(False)
                tick.label2.set_visible(False)
    for artist in fig.findobj(Text):
        if artist.get_visible() and artist.get_text().strip():
            out.append(artist)
    return out


def test_chart_text_is_at_least_9px_on_a_phone(report):
    shown = phone_width()
    for name, fig in sample_charts(report).items():
        width = fig.get_size_inches()[0]
        assert width == charts.WIDTH, name
        for text in drawn_texts(fig):
            px = text.get_fontsize() / 72 * shown / width
            assert px >= MIN_PX, (name, text.get_text(), round(px, 1))


def test_charts_are_laid_out_inside_their_figure(report):
    """Narrow charts keep a plot area (constrained layout did not collapse) and no text cut."""
    for name, fig in sample_charts(report).items():
        texts = drawn_texts(fig)
        renderer = fig.canvas.get_renderer()
        box = fig.bbox
        for text in texts:
            ext = text.get_window_extent(renderer)
            assert ext.x0 >= box.x0 - 1 and ext.x1 <= box.x1 + 1, (name, text.get_text())
            assert ext.y0 >= box.y0 - 1 and ext.y1 <= box.y1 + 1, (name, text.get_text())
        ax = fig.axes[0]
        assert ax.get_position().width * fig.get_size_inches()[0] >= 1.5, name  # inches of plot


# --------------------------------------------------------------------------- status matrix


@pytest.fixture(scope="module", params=["zh", "en"])
def district_matrices(request) -> list[Figure]:
    from helpers.sections.district import District

    return District.load(period="2013H1", lang=request.param).matrix_figures()


def test_the_district_status_matrix_is_at_least_9px_on_a_phone(district_matrices):
    """The district's status matrix (it was 7.5 in wide: its smallest text 5.8 px at 390 px,
    4.9 px in English) is drawn at the charts' width with no text under 9 pt: 9.2 px on the
    phone, and 9 pt on A4, where the PDF places it at its own width."""
    shown = phone_width()
    assert len(district_matrices) >= 3  # 25 indicators: split by sector into several figures
    for fig in district_matrices:
        width = fig.get_size_inches()[0]
        assert width == charts.WIDTH
        texts = drawn_texts(fig)
        smallest = min(t.get_fontsize() / 72 * shown / width for t in texts)
        assert smallest >= MIN_PX, round(smallest, 1)
        renderer = fig.canvas.get_renderer()
        for text in texts:  # nothing cut at the edges
            ext = text.get_window_extent(renderer)
            assert ext.x0 >= fig.bbox.x0 - 1 and ext.x1 <= fig.bbox.x1 + 1, text.get_text()


def test_a_matrix_given_more_columns_than_fit_widens_and_keeps_its_text(report):
    """Called on its own with more indicators than :func:`matrix_columns` allows, the chart
    draws wider rather than shrinking its text under 9 pt."""
    from helpers.sections.district import District

    table = District.load(period="2013H1").table
    orgs = list(dict.fromkeys(table["org"]))
    fit = charts.matrix_columns(orgs)
    assert fit < table["indicator"].nunique()
    fig = charts.status_matrix(table)  # all 25 indicators
    assert fig.get_size_inches()[0] > charts.WIDTH
    assert min(t.get_fontsize() for t in drawn_texts(fig)) >= 9.0
    narrow = table[table["indicator"].isin(list(dict.fromkeys(table["indicator"]))[:fit])]
    assert charts.status_matrix(narrow).get_size_inches()[0] == charts.WIDTH
