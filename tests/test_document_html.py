"""Figures as the document model keeps them: one draw, a palette PNG of the drawn size."""

from __future__ import annotations

import io

from matplotlib.figure import Figure
from PIL import Image

from helpers.document import html
from helpers.document.fonts import register_matplotlib


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
