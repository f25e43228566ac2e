"""Figures as the document model keeps them: one draw, a palette PNG of the drawn size."""

from __future__ import annotations

import io

from matplotlib.figure import Figure
from PIL import Image

from helpers.document import html
from helpers.document.fonts import register_matplotlib
from helpers.document.model import Document


def _chart() -> Figure:
    register_matplotlib()
    fig = Figure(figsize=(7.5, 2.5), layout="constrained")
    ax = fig.add_subplot()
    ax.barh(["国地两税", "固定资产投资"], [0.547, 0.503], color=["#4c9a6a", "#e0a526"])
    ax.axvline(0.5, color="#2456a6", linestyle="--")
    ax.set_title("各项指标完成率与序时进度")
    return fig


def test_figure_is_a_palette_png_of_its_drawn_size() -> None:
    fig = _chart()
    made = html.figure(fig, "完成率", dpi=110)
    picture = Image.open(io.BytesIO(made.png))
    assert picture.format == "PNG" and picture.mode == "P"
    assert picture.size == (825, 275)
    assert len(picture.getcolors(256) or []) <= html.PNG_COLOURS
    assert (made.width_in, made.height_in) == (7.5, 2.5)
    rgb = picture.convert("RGB")
    assert rgb.getpixel((2, 2)) == (255, 255, 255)  # the white page, not a palette's guess
    colours = {c for _, c in rgb.getcolors(256) or []}
    assert any(
        abs(r - 0x4C) < 12 and abs(g - 0x9A) < 12 and abs(b - 0x6A) < 12 for r, g, b in colours
    )


def test_palette_png_is_smaller_than_matplotlibs() -> None:
    buffer = io.BytesIO()
    _chart().savefig(buffer, format="png", dpi=110)
    assert len(html.figure(_chart(), "x").png) < len(buffer.getvalue()) / 2


def test_table_cells_carry_escaped_labels_for_the_phone_cards() -> None:
    """Text from data with markup in it stays text, in the cells and in their labels."""
    from bs4 import BeautifulSoup

    from helpers.document.model import Cell, Column, Row, Table

    table = Table(
        [
            Column("name", "指标", "name"),
            Column("target", "全年目标", group="目标<任务>", sub="全年"),
            Column("note", "备注", "note"),
        ],
        [
            Row("sector", "一、综合"),
            Row(
                "indicator",
                cells={"name": Cell("<td>税"), "target": Cell("—"), "note": Cell('a "b" </tr>')},
            ),
        ],
    )
    page = BeautifulSoup(html.document_html(Document([table])), "html.parser")
    assert "kpi-cards" in page.table["class"]
    sector, row = page.tbody.find_all("tr")
    assert not sector.find(attrs={"data-label": True})
    cells = row.find_all(["th", "td"])
    assert [c["data-label"] for c in cells] == ["指标", "目标<任务>（全年）", "备注"]
    assert [c.get_text() for c in cells] == ["<td>税", "—", 'a "b" </tr>']
    assert [c.has_attr("data-none") for c in cells] == [False, True, False]
