"""helpers.document.fonts: matplotlib draws Chinese with the pip font, no system font needed."""

from __future__ import annotations

import io
import logging
import warnings

import matplotlib

from helpers.document.fonts import FAMILY, register_matplotlib

matplotlib.use("Agg")


def test_register_matplotlib_draws_chinese_without_missing_glyphs(caplog):
    import matplotlib.pyplot as plt

    family = register_matplotlib()
    assert family == FAMILY
    assert matplotlib.rcParams["font.sans-serif"][0] == family
    assert matplotlib.rcParams["axes.unicode_minus"] is False

    caplog.set_level(logging.WARNING, logger="matplotlib")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph 22478 missing from font(s) ..." would raise
        fig, ax = plt.subplots(figsize=(4, 2))
        ax.bar(["地区生产总值", "财政收入"], [52.3, -3.5])
        ax.set_title("主要指标完成率（%）", fontweight="bold")
        ax.set_ylabel("完成率")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)
    assert buffer.getvalue().startswith(b"\x89PNG")
    assert not [r for r in caplog.records if "findfont" in r.getMessage()]


def test_register_matplotlib_is_idempotent():
    from matplotlib import font_manager

    register_matplotlib()
    before = len(font_manager.fontManager.ttflist)
    sans = list(matplotlib.rcParams["font.sans-serif"])
    assert register_matplotlib() == FAMILY
    assert len(font_manager.fontManager.ttflist) == before
    assert list(matplotlib.rcParams["font.sans-serif"]) == sans


def test_text_from_data_is_never_drawn_as_math():
    """``$…$`` in an indicator name is drawn as dollars, not parsed as mathtext."""
    from matplotlib.figure import Figure

    register_matplotlib()
    fig = Figure(figsize=(3, 1))
    ax = fig.add_subplot()
    ax.barh(["收入 $5 和 $6 元", r"$\frac{1}{0}$"], [1, 2])
    fig.canvas.draw()  # would raise on the unbalanced or invalid math if it were parsed
    labels = [t for t in ax.get_yticklabels() if "$" in t.get_text()]
    assert len(labels) == 2 and not any(t.get_parse_math() for t in labels)
