"""The report's charts: where each indicator stands, drawn so a leader sees it at a glance.

Each function takes rows of :func:`helpers.metrics.progress.progress_table` (or the projects
table), an optional ``ax`` and ``lang`` (``"zh"`` or ``"en"``), and returns the matplotlib
Figure; it never saves or shows it. Figures are built with :class:`matplotlib.figure.Figure`
(no pyplot state) with room for every label (:mod:`helpers.document.layout`), :data:`WIDTH`
(5 in) wide so that their smallest text is ≥ 9 px on a 390 px phone and 9 pt on A4 and in
Word, which place them at that width; they grow in height with the number of rows, and long
names and labels take two lines. Every status colour comes with its label written beside it
(colour meanings differ between offices); empty input gives a figure that says 无数据 instead
of an error. Chinese text is drawn in the pip-installed Noto Sans SC, which each function
registers itself so a fresh process (a papermill kernel) needs no set-up.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, FuncFormatter
from matplotlib.transforms import ScaledTranslation

from ..base.missing import is_missing
from ..data.numbers import MINUS, format_number, format_percent
from ..errors import MissingColumnError, UsageError
from ..metrics.status import (
    STATUS,
    UNJUDGED,
    StatusKey,
    annual_flow,
    rank_text,
    status_label,
)
from .fonts import register_matplotlib
from .layout import OneAxesLayout
from .narrative import percent_places, yoy_text
from .palette import BANDS, INK, STATUS_COLORS, STATUS_SHORT, STATUS_TINTS
from .words import Catalogue

__all__ = [
    "sector_bullets",
    "yoy_bars",
    "project_progress",
    "status_matrix",
    "matrix_columns",
    "rank_dots",
    "completion_dots",
    "WIDTH",
    "new_figure",
    "row_names",
]

#: Figure width in inches. A phone 390 px wide shows a chart 366 CSS px wide (report.css's
#: narrow padding), so a point of text is 366 / (72 × WIDTH) px there: at 5 in the smallest
#: text (:data:`_LABEL`, 9 pt) is 9.2 px. A4 (text 15.6 cm) and Word place the PNG at this
#: width, where 9 pt reads as print. The status matrix is drawn at this width too, its
#: cells' text at 9 pt: the district report gives it no more columns than
#: :func:`matrix_columns` says fit (a table given more widens the figure, never shrinks text).
WIDTH = 5.0
_ROW = 0.38  # inches per bar/dot row
_CELL_ROW = 0.27  # inches per status-matrix row
_NAME = 9.5  # point size of row names
_LABEL = 9.0  # point size of the value/status labels, the smallest text of a chart
_TITLE = 11.5
_STATUS_EM = 9.5  # ems of a status label's line beside a row; a longer label takes two lines
_STATUS_EM_LATIN = 12.0  # the same for a label with no Chinese (Latin ems are rough)
# completion_dots: one row per indicator (~30), so one line each where it fits: its plot,
# dots only, can be narrower than a bullet's
_DOTS_NAME_EM = 12.0
_DOTS_STATUS_EM = 10.5
_NAME_EM = 9.0  # ems of a row name's line (Chinese)
#: Inches left of the plot area (the row names): a note under the x axis starts there.
_NAME_IN = _NAME_EM * _NAME / 72 + 0.35

_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "no_data": "无数据",
        "target": "目标（100%）",
        "cap": "控制数（100%）",
        "target_or_cap": "目标/控制数（100%）",
        "pace": "序时进度",
        "bullets_title": "{sector}主要指标完成情况",
        "bullets_all": "主要指标完成情况",
        "completion_axis": "完成率（占目标%）",
        "yoy_title": "主要指标同比增减",
        "yoy_axis": "同比增减（%）",
        "yoy_missing": "无上年同期数，未列出：{names}",
        "yoy_reported": "* 按上报增速（可比价）",
        "favourable": "向好",
        "unfavourable": "向差",
        "projects_title": "重点项目形象进度",
        "projects_axis": "形象进度（%）",
        "matrix_title": "各乡镇主要指标完成状态",
        "rank_title": "{name}：各乡镇完成情况排名",
        "rank_axis_down": "实际数占控制数%",
        "dots_title": "各项指标完成率与序时进度",
        "dots_title_year": "各项指标完成全年任务情况",
        "alone_group": "只比目标：存量、比率、控制数",
        "of_target": "占目标{pct}",
        "of_target_year": "完成{pct}",
        "target_word": "目标",
        "estimate": "（预计）",
        "level_note": "◆ 存量、比率及按期间目标考核的指标以目标（100%）为准；"
        "▼ 控制类指标为实际数占控制数",
        "more": "等{n}项",
        "sep": "、",
    },
    "en": {
        "no_data": "No data",
        "target": "Target (100%)",
        "cap": "Cap (100%)",
        "target_or_cap": "Target / cap (100%)",
        "pace": "Time elapsed",
        "bullets_title": "{sector}: main indicators",
        "bullets_all": "Main indicators",
        "completion_axis": "Completion (% of target)",
        "yoy_title": "Year-on-year change",
        "yoy_axis": "Change on the same period last year (%)",
        "yoy_missing": "Not shown, no figure for last year: {names}",
        "yoy_reported": "* reported growth (comparable prices)",
        "favourable": "Favourable",
        "unfavourable": "Unfavourable",
        "projects_title": "Key projects: progress",
        "projects_axis": "Progress (%)",
        "matrix_title": "Status of the main indicators by township",
        "rank_title": "{name}: townships ranked",
        "rank_axis_down": "Figure as % of the cap",
        "dots_title": "Completion of every indicator against time elapsed",
        "dots_title_year": "Annual targets: completion of every indicator",
        "alone_group": "Against the target alone: stocks, rates, caps",
        "of_target": "{pct} of target",
        "of_target_year": "{pct} done",
        "target_word": "target",
        "estimate": " (est.)",
        "level_note": "◆ stocks, rates and period targets are judged against the target (100%); "
        "▼ caps: figure as % of the cap",
        "more": " and {n} more",
        "sep": ", ",
    },
}

_REQUIRED = (
    "indicator",
    "name",
    "direction",
    "measure",
    "actual",
    "annual_target",
    "period_target",
    "time_progress",
    "basis",
    "basis_ratio",
    "status",
)


# --------------------------------------------------------------------------- fonts


def _use_cjk_font() -> str:
    """Make matplotlib draw Chinese in Noto Sans SC (the pip font); idempotent and ~0.1 ms.

    Called at the top of every chart so that a fresh process (a papermill kernel, a forked
    batch worker) needs no set-up; returns the family name.
    """
    return register_matplotlib()


# --------------------------------------------------------------------------- small helpers


_t = Catalogue(_TEXT["zh"], _TEXT["en"])


def _period_of(table: pd.DataFrame) -> str | None:
    """The period of a progress table (its rows are of one period), for the period's words."""
    if "period" not in table.columns or table.empty:
        return None
    return str(table["period"].iloc[0])


def _require(table: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    """Raise :class:`MissingColumnError` naming the first column ``what`` needs and lacks."""
    for col in columns:
        if col not in table.columns:
            raise MissingColumnError(f"{what} 缺少列 (missing column)", column=col)


def _one_org(table: pd.DataFrame, what: str) -> None:
    if "org" in table.columns and table["org"].nunique() > 1:
        raise UsageError(
            f"{what} 只画一个乡镇，请先按 org 筛选 (draws one org: filter the table "
            f"first; got {table['org'].nunique()} orgs)"
        )


def _ordered(table: pd.DataFrame) -> pd.DataFrame:
    return table.sort_values("order", kind="stable") if "order" in table.columns else table


_TOKENS = re.compile(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+|\s+")
#: Characters a line must not start with (Chinese line-breaking rule): they stay on the line before.
_NO_LINE_START = frozenset("·・、，。,.;:；：!?！？)）]】」』》〕%％…")
#: Characters a line must not end with: they go to the next line with what they open.
_NO_LINE_END = frozenset("(（[【「『《〔")


def _text_em(text: str) -> float:
    """Rough width of a text in ems: CJK 1, Latin, digits and spaces ~0.55."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in str(text))


def _line_em(size: float = _LABEL, margin: float = 0.3) -> float:
    """How many ems of ``size``-point text fit across a chart, less ``margin`` inches."""
    return (WIDTH - margin) * 72 / size


def _wrap(text: str, width: float, lines: int = 2) -> str:
    """Wrap a name into at most ``lines`` balanced lines of ``width`` ems, ending in … if cut.

    CJK breaks between any two characters, Latin only between words; a run such as
    ``1526套``'s digits is never split.
    """
    text = " ".join(str(text).split())
    total = _text_em(text)
    if total <= width:
        return text
    n = min(lines, math.ceil(total / width))
    target = math.ceil(total / n)
    out: list[str] = []
    cur, cur_w = "", 0.0
    for tok in _TOKENS.findall(text):
        w = _text_em(tok)
        if (
            cur.strip()
            and cur_w + w > target + 0.3
            and len(out) < n - 1
            and not tok.isspace()
            and tok[0] not in _NO_LINE_START
        ):
            opener = cur[-1] if cur[-1] in _NO_LINE_END else ""
            out.append(cur[: len(cur) - len(opener)].rstrip())
            cur, cur_w = opener + tok, _text_em(opener) + w
        else:
            cur, cur_w = cur + tok, cur_w + w
    cur = cur.strip()
    if _text_em(cur) > width:
        while cur and _text_em(cur) > width - 1:
            cur = cur[:-1]
        cur = cur.rstrip() + "…"
    return "\n".join(out + [cur])


def _stacked(text: str, height: int = 8, across: int = 1) -> str:
    """A CJK name written top to bottom, ``across`` characters a line (Latin runs kept
    whole), at most ``height`` lines, the last ︙ when cut."""
    toks = [t for t in _TOKENS.findall(str(text)) if not t.isspace()]
    lines: list[str] = []
    for tok in toks:
        if lines and _text_em(lines[-1]) + _text_em(tok) <= across:
            lines[-1] += tok
        else:
            lines.append(tok)
    if len(lines) > height:
        lines = lines[: height - 1] + ["︙"]
    return "\n".join(lines)


def _name(row: Any, lang: str) -> str:
    if lang == "en":
        en = getattr(row, "name_en", None)
        if isinstance(en, str) and en.strip():
            return en.strip()
    return str(row.name)


def _decimals(row: Any) -> int:
    dec = getattr(row, "decimals", None)
    return 0 if dec is None or is_missing(dec) else int(dec)


def _unit(row: Any, lang: str) -> str:
    unit = getattr(row, "unit", None)
    if not isinstance(unit, str):
        return ""
    return unit if lang != "en" or unit.isascii() else ""


def _cap(row: Any) -> float:
    """The control figure of a ``down`` indicator (annual, else period), NaN if none."""
    return row.annual_target if not is_missing(row.annual_target) else row.period_target


def _bar_ratio(row: Any) -> float:
    """What a bar/dot shows: completion for ``up``, actual ÷ cap for ``down``; NaN if nothing."""
    if row.status in UNJUDGED:
        return math.nan
    if row.direction == "down":
        cap, actual = _cap(row), row.actual
        if is_missing(cap) or is_missing(actual):
            return math.nan
        if cap == 0:
            return 0.0 if actual == 0 else math.inf
        return actual / cap
    return row.basis_ratio


def _fields(row: Any) -> dict[str, Any]:
    """A chart's row (a named tuple or a mapping) as a dict, for the narrative's rules."""
    return dict(row._asdict()) if hasattr(row, "_asdict") else dict(row)


def _pct(row: Any, ratio: float) -> str:
    """A completion as the sentences and tables write it: whole percentages on small counts
    (:func:`~helpers.document.narrative.percent_places`), else one decimal."""
    return format_percent(ratio, percent_places(_fields(row), 1))


def _status_text(row: Any, lang: str) -> str:
    """The label written beside a bar: status words and the figure it was judged on."""
    label = status_label(row.status, lang)
    dec, unit = _decimals(row), _unit(row, lang)
    if row.status == StatusKey.NO_DATA:
        text = label
    elif row.status == StatusKey.NO_TARGET:
        text = (
            f"{label}（{format_number(row.actual, dec)}{unit}）"
            if lang != "en"
            else f"{label} ({format_number(row.actual, dec)}{unit})"
        )
    elif row.direction == "down":
        text = f"{label} {format_number(row.actual, dec)}/{format_number(_cap(row), dec)}{unit}"
    elif row.measure == "rate":
        target = row.annual_target if row.basis == "annual" else row.period_target
        word = _t(lang, "target_word")
        text = (
            (
                f"{label} {format_number(row.actual, dec)}{unit}"
                f"（{word}{format_number(target, dec)}{unit}）"
            )
            if lang != "en"
            else f"{label} {format_number(row.actual, dec)}{unit} "
            f"({word} {format_number(target, dec)}{unit})"
        )
    else:
        text = f"{label} {_pct(row, row.basis_ratio)}"
    if getattr(row, "data_status", None) == "预计":
        text += _t(lang, "estimate")
    return text


def _tick_handle(color: str, width: float, label: str) -> Line2D:
    """A legend entry drawn as the vertical tick the chart marks a target or the pace with."""
    return Line2D(
        [],
        [],
        color=color,
        marker="|",
        linestyle="none",
        markersize=10,
        markeredgewidth=width,
        label=label,
    )


def _target_handle(label: str) -> Line2D:
    """A legend entry for the solid line at 100% (the target or the cap)."""
    return Line2D([], [], color=INK["line"], linewidth=1.2, label=label)


def _pace_handle(flows: list[float], lang: str) -> Line2D:
    """A legend entry for the dashed time-progress line(s)."""
    return Line2D(
        [],
        [],
        color=INK["pace"],
        linewidth=1.3,
        linestyle=(0, (4, 2)),
        label=_pace_label(flows, lang),
    )


def new_figure(ax: Axes | None, height: float, width: float = WIDTH) -> tuple[Figure, Axes]:
    """A fresh Figure of the report width laid out by :class:`OneAxesLayout`, or the figure
    of ``ax``."""
    if ax is not None:
        root = ax.get_figure(root=True)
        if root is None:
            raise ValueError("the axes given belong to no figure")
        return root, ax
    fig = Figure(figsize=(width, height), layout=OneAxesLayout())
    ax = fig.add_subplot()
    # no chart has a y-axis label: one placed by hand is never moved clear of the row names,
    # which matplotlib would otherwise measure again on every drawing (a tenth of its cost)
    ax.yaxis.set_label_coords(0.0, 0.5)
    return fig, ax


def _no_data(ax: Axes | None, lang: str, title: str | None = None) -> Figure:
    """A small figure that says 无数据 (no data) instead of failing on empty input."""
    fig, ax = new_figure(ax, 1.4)
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        _t(lang, "no_data"),
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=_TITLE + 1,
        color=INK["muted"],
    )
    if title:
        ax.set_title(title, loc="left", fontsize=_TITLE, y=_TITLE_Y)
    return fig


#: ``gid`` of the row names left of a row chart's plot (:func:`row_names` reads them back).
ROW_NAME = "row_name"
#: Points between a row's name and the plot: where a y tick label would sit.
_NAME_PAD = 4.0


def _row_axes(ax: Axes, labels: Sequence[str], ys: Sequence[float] | None = None) -> list[float]:
    """Rows top-down with their names left of the plot; returns their y positions.

    The names are texts placed as y tick labels are (right-aligned :data:`_NAME_PAD` points
    left of the plot, centred on the row's baseline), not tick labels: matplotlib builds a
    tick (three lines and two texts) for each and updates them all on every drawing, which
    was a tenth of what a report's charts cost."""
    ys = list(range(len(labels))) if ys is None else list(ys)
    ax.set_yticks([])
    fig = ax.get_figure(root=True)
    assert fig is not None  # new_figure's, or the figure of the ax the caller gave
    trans = ax.get_yaxis_transform() + ScaledTranslation(-_NAME_PAD / 72, 0, fig.dpi_scale_trans)
    for y, label in zip(ys, labels):
        ax.text(
            0,
            y,
            label,
            transform=trans,
            ha="right",
            va="center_baseline",
            fontsize=_NAME,
            gid=ROW_NAME,
            clip_on=False,
        )
    top = min(ys) - 0.6 if ys else -0.6
    bottom = max(ys) + 0.6 if ys else 0.6
    ax.set_ylim(bottom, top)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(INK["muted"])
    ax.tick_params(axis="x", labelsize=_LABEL, colors=INK["muted"])
    return ys


def row_names(ax: Axes) -> list[Text]:
    """The row names of a row chart, top row first."""
    return [t for t in ax.texts if t.get_gid() == ROW_NAME]


def _label_lines(text: str, width: float = _STATUS_EM) -> str:
    """A status label in at most two lines of ``width`` ems, broken before its bracket if it
    has one (超额完成 96.8% / （目标95.0%）), so the label column stays narrow."""
    if not any(ord(ch) >= 0x2E80 for ch in text):
        width = max(width, _STATUS_EM_LATIN)
    if _text_em(text) <= width:
        return text
    cut = max(text.rfind("（"), text.rfind(" ("))
    if cut > 0:
        return text[:cut].rstrip() + "\n" + text[cut:].strip()
    return _wrap(text, width, 2)


def _head_lines(text: str, width: float = _NAME_EM + 2) -> str:
    """A group heading of the row names in two lines, broken after its colon, if it is wider
    than the name column (〔只比目标：/存量、比率、控制数〕)."""
    if _text_em(text) <= width:
        return text
    for colon in ("：", ": "):
        head, sep, rest = text.partition(colon)
        if sep and rest:
            return head + sep.strip() + "\n" + rest
    return _wrap(text, width, 2)


def _right_labels(
    ax: Axes, ys: Sequence[float], texts: Sequence[str], width: float = _STATUS_EM
) -> None:
    """One status label per row in a column just right of the plot area (inside the layout),
    a long one in two lines (:func:`_label_lines`)."""
    trans = ax.get_yaxis_transform()  # x in axes fraction, y in data
    for y, text in zip(ys, texts):
        ax.text(
            1.015,
            y,
            _label_lines(text, width),
            transform=trans,
            ha="left",
            va="center",
            fontsize=_LABEL,
            color=INK["text"],
            gid="status_label",
            clip_on=False,
        )


def _percent_axis(ax: Axes, xmax: float, step: float = 0.5, xmin: float = 0.0) -> None:
    """x from ``xmin`` to ``xmax`` (ratios) with ticks every ``step`` written as 0%, 50%, −50%."""
    ax.set_xlim(xmin, xmax)
    ticks = [
        k * step for k in range(math.ceil(xmin / step - 1e-9), math.floor(xmax / step + 1e-9) + 1)
    ]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(_PERCENT)


_PERCENT = FuncFormatter(lambda x, _pos: f"{round(x * 100):.0f}%".replace("-", MINUS))


#: Where a title sits over a plot with no tick labels on top: matplotlib's own place for it,
#: given, so that it is not found again on every drawing by measuring every tick label.
_TITLE_Y = 1.0


def _title(ax: Axes, title: str, pad: float = 6.0) -> None:
    """The chart's title, left-aligned over the plot, in two lines if it is wider than the
    figure leaves right of the row names (an English title on a 5-inch chart)."""
    ax.set_title(
        _wrap(title, _line_em(_TITLE, margin=_NAME_IN), 2),
        loc="left",
        fontsize=_TITLE,
        pad=pad,
        y=_TITLE_Y,
    )


def _legend_top(ax: Axes, handles: Sequence[Any], handlelength: float = 1.6) -> None:
    """Reference-line legend in one row under the title, ending where the plot ends: a long
    one runs left over the row names, never off the figure (the plot of a 5-inch chart can be
    narrower than the legend)."""
    ax.legend(
        handles=handles,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncols=len(handles),
        frameon=False,
        fontsize=_LABEL,
        handlelength=handlelength,
        borderaxespad=0.15,
        borderpad=0.0,
        columnspacing=1.4,
    )


def _pace_label(paces: Sequence[float], lang: str) -> str:
    """The time-progress legend entry: 序时进度（50%） with the period's elapsed share(s).

    ``paces`` are the rows' ``time_progress`` (:attr:`helpers.data.periods.Period.time_progress`,
    which :func:`helpers.metrics.progress.progress_table` puts in every row): H1 50%, Q1 25%,
    Q3 75%, the full year 100%."""
    pct = _t(lang, "sep").join(format_percent(p, 0) for p in paces)
    return f"{_t(lang, 'pace')}（{pct}）" if lang != "en" else f"{_t(lang, 'pace')} ({pct})"


def _ratio_xmax(values: Iterable[float], floor: float = 1.5, ceiling: float = 2.0) -> float:
    finite = [v for v in values if not is_missing(v) and math.isfinite(v)]
    top = max(finite, default=0.0)
    return max(floor, min(ceiling, math.ceil(top * 10 + 0.5) / 10))


# --------------------------------------------------------------------------- 1. bullets


def sector_bullets(
    table: pd.DataFrame,
    sector: str | None = None,
    *,
    ax: Axes | None = None,
    lang: str = "zh",
    title: str | None = None,
) -> Figure:
    """A bullet chart per indicator of one org's sector: completion against target and time.

    Bar = completion rate (``basis_ratio``, % of target) from zero, coloured by status, on
    grey bands (0–50–100–150%, darkest = furthest from the target); black tick = target
    (100%); blue tick = the time progress the row is judged against (序时进度; for level and
    rate indicators and period targets that is the target itself). ``down`` indicators show
    actual ÷ cap with the bands reversed (dark beyond the cap). Indicators with no target get
    their label (未设目标) and no bar. The status label and figure are written beside every
    row. ``sector=None`` draws every row of ``table``; ``title`` overrides the default title.
    """
    _use_cjk_font()
    _require(table, _REQUIRED, "sector_bullets")
    _one_org(table, "sector_bullets")
    rows = _ordered(table if sector is None else table[table["sector"] == sector])
    if title is None:
        title = (
            _t(lang, "bullets_title").format(sector=sector) if sector else _t(lang, "bullets_all")
        )
    if rows.empty:
        return _no_data(ax, lang, title)

    recs = list(rows.itertuples(index=False))
    ratios = [_bar_ratio(r) for r in recs]
    paces = [r.pace for r in recs]
    xmax = _ratio_xmax(ratios + paces)
    fig, ax = new_figure(ax, 1.2 + _ROW * len(recs))
    ys = _row_axes(ax, [_wrap_name(_name(r, lang)) for r in recs])

    # Qualitative bands, poor → good; reversed for caps (beyond the cap is poor).
    edges = (0.0, 0.5, 1.0, xmax)
    bands = [
        (y, k, BANDS[::-1] if r.direction == "down" else BANDS)
        for y, r, v in zip(ys, recs, ratios)
        if not is_missing(v)
        for k in range(3)
    ]
    half = 0.72 / 2  # one collection of rectangles: a bar per band costs a patch each to draw
    ax.add_collection(
        PolyCollection(
            [
                [(x0, y - half), (x1, y - half), (x1, y + half), (x0, y + half)]
                for y, k, _ in bands
                for x0, x1 in [(edges[k], edges[k + 1])]
            ],
            facecolors=[b[2][b[1]] for b in bands],
            linewidths=0,
            label="bands",
            zorder=1,
        ),
        autolim=False,  # the axes' limits are set: the bands are drawn within them
    )

    shown = [(y, v, r) for y, v, r in zip(ys, ratios, recs) if not is_missing(v)]
    ax.barh(
        [y for y, _, _ in shown],
        [min(v, xmax) for _, v, _ in shown],
        height=0.34,
        color=[STATUS_COLORS[r.status] for _, _, r in shown],
        linewidth=0,
        label="completion",
        zorder=2,
    )
    ax.vlines(
        [1.0] * len(shown),
        [y - 0.27 for y, _, _ in shown],
        [y + 0.27 for y, _, _ in shown],
        colors=INK["line"],
        linewidth=2.2,
        label="target",
        zorder=3,
    )
    timed = [(y, p) for y, p in zip(ys, paces) if not is_missing(p)]
    ax.vlines(
        [p for _, p in timed],
        [y - 0.36 for y, _ in timed],
        [y + 0.36 for y, _ in timed],
        colors=INK["pace"],
        linewidth=1.4,
        label="time_progress",
        zorder=3,
    )

    _percent_axis(ax, xmax)
    ax.set_xlabel(_t(lang, "completion_axis"), fontsize=_LABEL, color=INK["muted"])
    _right_labels(ax, ys, [_status_text(r, lang) for r in recs])
    _title(ax, title, pad=20)
    has_down = any(r.direction == "down" for r in recs)
    has_up = any(r.direction != "down" for r in recs)
    key = "target_or_cap" if has_down and has_up else "cap" if has_down else "target"
    handles = [_tick_handle(INK["line"], 2.2, _t(lang, key))]
    flows = sorted({p for p in paces if not is_missing(p) and p < 1.0})
    if flows:
        handles.append(_tick_handle(INK["pace"], 1.4, _pace_label(flows, lang)))
    _legend_top(ax, handles, handlelength=0.8)
    return fig


def _wrap_name(name: str, cjk: float = _NAME_EM, latin: float = 15, lines: int = 2) -> str:
    """A row name wrapped to the name column: narrower in ems for Chinese than for Latin text."""
    wide = any(ord(ch) >= 0x2E80 for ch in name)
    return _wrap(name, cjk if wide else latin, lines)


# --------------------------------------------------------------------------- 2. year on year


def yoy_bars(
    table: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh", title: str | None = None
) -> Figure:
    """Diverging bars of year-on-year change (%), centred on zero, each value written.

    Blue = favourable (growth, or a fall for a ``down`` indicator), orange = unfavourable;
    the signed figure (+8.7% / −13.8%) is always written. Reported growth (e.g. at comparable
    prices) is marked *. Indicators without a prior-year figure are left out and named below.
    """
    _use_cjk_font()
    _require(table, ("name", "yoy", "direction"), "yoy_bars")
    _one_org(table, "yoy_bars")
    rows = _ordered(table)
    title = title or _t(lang, "yoy_title")
    have = rows[rows["yoy"].notna()].sort_values("yoy", ascending=False, kind="stable")
    if have.empty:
        return _no_data(ax, lang, title)
    missing = [_name(r, lang) for r in rows[rows["yoy"].isna()].itertuples(index=False)]
    recs = list(have.itertuples(index=False))
    values = [float(r.yoy) for r in recs]
    star = ["*" if getattr(r, "yoy_source", None) == "reported" else "" for r in recs]
    notes = [_t(lang, "yoy_reported")] if any(star) else []
    if missing:
        notes.append(_t(lang, "yoy_missing").format(names=_name_list(missing, lang)))
    note_lines = [_wrap(n, _line_em(margin=_NAME_IN + 0.2), 4) for n in notes]
    n_note = sum(n.count("\n") + 1 for n in note_lines)
    fig, ax = new_figure(ax, 1.2 + _ROW * len(recs) + 0.18 * n_note)
    ys = _row_axes(ax, [_wrap_name(_name(r, lang)) + s for r, s in zip(recs, star)])

    span = min(max(max(abs(v) for v in values), 0.05), 3.0)
    shown = [max(-span, min(span, v)) for v in values]
    good = [(v <= 0) if r.direction == "down" else (v >= 0) for r, v in zip(recs, values)]
    ax.barh(
        ys,
        shown,
        height=0.55,
        color=[INK["favourable"] if g else INK["unfavourable"] for g in good],
        linewidth=0,
        label="yoy",
        zorder=2,
    )
    ax.axvline(0, color=INK["line"], linewidth=1.0, zorder=3)
    # as the table writes it (减少1起, +1.6个百分点, +11.6%); the * of reported growth is on the name
    labels = [yoy_text(_fields(r), 1, lang).rstrip("*") for r in recs]
    for y, s, label in zip(ys, shown, labels):
        ax.annotate(
            label,
            (s, y),
            xytext=(4 if s >= 0 else -4, 0),
            textcoords="offset points",
            ha="left" if s >= 0 else "right",
            va="center",
            fontsize=_LABEL,
            color=INK["text"],
            gid="value_label",
        )
    ax.set_xlim(-span * 1.45, span * 1.45)
    ax.xaxis.set_major_formatter(_PERCENT)
    ax.xaxis.grid(True, color=INK["grid"], linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel(
        "\n".join([_t(lang, "yoy_axis"), *note_lines]),
        fontsize=_LABEL,
        color=INK["muted"],
        loc="left",
    )
    _title(ax, title, pad=20)
    kinds = [k for k in ("favourable", "unfavourable") if (k == "favourable") in good]
    _legend_top(ax, [Patch(color=INK[k], label=_t(lang, k)) for k in kinds], handlelength=1.0)
    return fig


def _name_list(names: Sequence[str], lang: str) -> str:
    limit = 6 if lang != "en" else 3
    shown = _t(lang, "sep").join(names[:limit])
    return shown + (_t(lang, "more").format(n=len(names)) if len(names) > limit else "")


# --------------------------------------------------------------------------- 3. projects


def project_progress(
    projects: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh", title: str | None = None
) -> Figure:
    """Key projects' 形象进度 as bars 0–100% with the stage written on or beside each bar.

    ``projects`` is the data set's projects table for one org and period (columns project,
    stage, percent_complete in 0–100), drawn in its row order. A project with no percentage
    shows its stage alone, with no bar (an empty track would read as 0%).
    """
    _use_cjk_font()
    _require(projects, ("project",), "project_progress")
    title = title or _t(lang, "projects_title")
    if projects.empty:
        return _no_data(ax, lang, title)
    recs = list(projects.itertuples(index=False))
    pcts = [getattr(r, "percent_complete", math.nan) for r in recs]
    pcts = [math.nan if is_missing(p) else max(0.0, min(100.0, float(p))) / 100 for p in pcts]
    stages = [_clean(getattr(r, "stage", "")) for r in recs]
    fig, ax = new_figure(ax, 1.0 + _ROW * len(recs))
    ys = _row_axes(ax, [_wrap_name(str(r.project), 11, 16) for r in recs])

    bar_y = [y for y, p in zip(ys, pcts) if not is_missing(p)]
    ax.barh(
        bar_y,
        [1.0] * len(bar_y),
        height=0.5,
        color=INK["track"],
        linewidth=0,
        label="track",
        zorder=1,
    )
    ax.barh(
        bar_y,
        [p for p in pcts if not is_missing(p)],
        height=0.5,
        color=INK["bar"],
        linewidth=0,
        label="percent",
        zorder=2,
    )
    for y, p, stage in zip(ys, pcts, stages):
        if is_missing(p):
            ax.text(
                0.0,
                y,
                stage or "—",
                ha="left",
                va="center",
                fontsize=_LABEL,
                color=INK["text"],
                gid="stage_label",
            )
            continue
        text = format_percent(p, 0) + (f" · {stage}" if stage else "")
        inside = p >= 0.6
        ax.annotate(
            text,
            (p, y),
            xytext=(-4 if inside else 4, 0),
            textcoords="offset points",
            ha="right" if inside else "left",
            va="center",
            fontsize=_LABEL,
            color="#ffffff" if inside else INK["text"],
            gid="stage_label",
        )
    _percent_axis(ax, 1.0, step=0.25)
    ax.set_xlabel(_t(lang, "projects_axis"), fontsize=_LABEL, color=INK["muted"])
    _title(ax, title)
    return fig


def _clean(value: Any) -> str:
    text = "" if is_missing(value) else str(value).strip()
    return "" if text.lower() in ("nan", "none") else text


# --------------------------------------------------------------------------- 4. status matrix


def _matrix_names(orgs: Sequence[str]) -> tuple[float, float]:
    """The point size of a status matrix's row names and the inches they take."""
    size = _NAME if len(orgs) <= 20 else _LABEL
    return size, max((_text_em(o) for o in orgs), default=2.0) * size / 72 + 0.15


def _matrix_cell(lang: str) -> float:
    """The narrowest cell of a status matrix, in points: the longest short label (严滞, Below)
    at 9 pt with room either side."""
    i = 1 if lang == "en" else 0
    return max(_text_em(pair[i]) for pair in STATUS_SHORT.values()) * _LABEL / 0.85


def matrix_columns(orgs: Sequence[str], lang: str = "zh", width: float = WIDTH) -> int:
    """How many indicator columns a status matrix of these row names fits at ``width``
    inches with every text at 9 pt or more (9.2 CSS px on a phone 390 px wide)."""
    _, names_in = _matrix_names([str(o) for o in orgs])
    return max(1, int((width - names_in - 0.3) * 72 // _matrix_cell(lang)))


def status_matrix(
    table: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh", title: str | None = None
) -> Figure:
    """Org × indicator grid: every cell tinted by status and labelled with the status text.

    One row per org (in table order), one column per indicator (in ``order``), headed by the
    indicator name written top to bottom (rotated in English). Cells hold the full label when
    it fits, else a short form that the legend spells out. A missing cell is white with —.
    Drawn :data:`WIDTH` inches wide with no text under 9 pt, so it reads on a phone and on A4;
    more columns than :func:`matrix_columns` allows widen the figure instead.
    """
    _use_cjk_font()
    _require(table, ("org", "indicator", "name", "status"), "status_matrix")
    title = title or _t(lang, "matrix_title")
    if table.empty:
        return _no_data(ax, lang, title)
    orgs = [str(o) for o in dict.fromkeys(table["org"])]
    inds = list(_ordered(table.drop_duplicates("indicator")).itertuples(index=False))
    status = {(str(o), i): s for o, i, s in zip(table["org"], table["indicator"], table["status"])}
    n_r, n_c = len(orgs), len(inds)
    used = [k for k in STATUS if k in set(status.values())]
    short = {k: STATUS_SHORT[k][0 if lang != "en" else 1] for k in used}
    full = {k: status_label(k, lang) for k in used}

    org_fs, names_in = _matrix_names(orgs)
    width = max(WIDTH, names_in + 0.3 + n_c * _matrix_cell(lang) / 72)
    cell_pt = (width - names_in - 0.3) / n_c * 72
    fs = head_fs = _LABEL
    fits = max(_text_em(v) for v in full.values()) * fs <= cell_pt * 0.85
    labels = full if fits else short
    if lang == "en":  # rotated: two lines where the column is wide enough for them
        heads = [_wrap(_name(r, lang), 18, 2 if cell_pt >= 2.6 * head_fs else 1) for r in inds]
        head_in = max(_text_em(line) for h in heads for line in h.split("\n")) * head_fs / 72
    else:  # top to bottom, two characters a line where they fit
        across = 2 if cell_pt >= 2.4 * head_fs else 1
        heads = [_stacked(_name(r, lang), 12 // across, across) for r in inds]
        head_in = max(h.count("\n") + 1 for h in heads) * head_fs * 1.2 / 72
    entries = [full[k] if labels[k] == full[k] else f"{labels[k]} = {full[k]}" for k in used]
    entry_pt = max(_text_em(e) for e in entries) * _LABEL + 2.4 * _LABEL  # + patch and gap
    legend_cols = max(1, min(len(entries), int((width - 0.2) * 72 // entry_pt)))
    legend_in = math.ceil(len(used) / legend_cols) * 0.2 + 0.15
    title = _wrap(title, (width - 0.2) * 72 / _TITLE, 2)
    title_in = (title.count("\n") + 1) * _TITLE * 1.3 / 72
    fig, ax = new_figure(ax, 0.3 + title_in + head_in + legend_in + _CELL_ROW * n_r, width)

    rgb = [
        [
            to_rgb(STATUS_TINTS[status[(o, r.indicator)]])
            if (o, r.indicator) in status
            else (1.0, 1.0, 1.0)
            for r in inds
        ]
        for o in orgs
    ]
    ax.imshow(
        rgb, aspect="auto", interpolation="nearest", extent=(-0.5, n_c - 0.5, n_r - 0.5, -0.5)
    )
    ax.vlines([c + 0.5 for c in range(n_c - 1)], -0.5, n_r - 0.5, colors="#ffffff", linewidth=1.2)
    ax.hlines([r + 0.5 for r in range(n_r - 1)], -0.5, n_c - 0.5, colors="#ffffff", linewidth=1.2)
    for row, o in enumerate(orgs):
        for col, r in enumerate(inds):
            key = status.get((o, r.indicator))
            cell = ax.text(
                col,
                row,
                "—" if key is None else labels[key],
                ha="center",
                va="center",
                fontsize=fs,
                color=INK["text"],
                gid="cell_label",
            )
            cell.set_in_layout(False)  # inside the grid: no need to measure it for the layout
    ax.xaxis.tick_top()
    if lang == "en":
        ax.set_xticks(range(n_c), labels=heads, rotation=90, fontsize=head_fs)
    else:
        ax.set_xticks(range(n_c), labels=heads, fontsize=head_fs, linespacing=1.0)
    ax.set_yticks(range(n_r), labels=orgs, fontsize=org_fs)
    ax.tick_params(length=0, pad=3)
    ax.set_xlim(-0.5, n_c - 0.5)
    ax.set_ylim(n_r - 0.5, -0.5)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title(title, loc="left", fontsize=_TITLE)
    handles = [
        Patch(facecolor=STATUS_TINTS[k], edgecolor="#b5b5b5", linewidth=0.5, label=entry)
        for k, entry in zip(used, entries)
    ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 0.0),
        frameon=False,
        ncols=min(len(handles), legend_cols),
        fontsize=_LABEL,
        handlelength=1.2,
        columnspacing=1.2,
        borderaxespad=0.3,
    )
    return fig


# --------------------------------------------------------------------------- 5. ranking


def rank_dots(
    table: pd.DataFrame,
    indicator: str,
    *,
    ax: Axes | None = None,
    lang: str = "zh",
    title: str | None = None,
) -> Figure:
    """The orgs' completion of one indicator as dots sorted by rank, with the time progress line.

    Rank numbers go before the org names (ties as 并列n, ``=n`` in English); orgs with no
    target come last with "-", their label and no dot. ``down`` indicators show actual ÷ cap
    against the cap line (rank: fewest first, as
    :func:`helpers.metrics.progress.progress_table` ranks).
    """
    _use_cjk_font()
    _require(table, (*_REQUIRED, "org", "rank"), "rank_dots")
    rows = table[table["indicator"] == indicator]
    first = next(rows.itertuples(index=False), None)
    if title is None:
        name = _name(first, lang) if first is not None else str(indicator)
        title = _t(lang, "rank_title").format(name=name)
    if first is None:
        return _no_data(ax, lang, title)
    recs = list(rows.sort_values("rank", kind="stable", na_position="last").itertuples(index=False))
    ratios = [_bar_ratio(r) for r in recs]
    paces = [r.pace for r in recs]
    labels = [
        f"{rank_text(r.rank, bool(getattr(r, 'rank_tied', False)), lang, none='-')}  {r.org}"
        for r in recs
    ]
    fig, ax = new_figure(ax, 1.2 + 0.27 * len(recs))
    ys = _row_axes(ax, labels)
    xmax = _ratio_xmax(ratios + paces, floor=1.1, ceiling=3.0) + 0.05
    ax.hlines(ys, 0, xmax, colors=INK["grid"], linewidth=0.6, zorder=0)
    dots = [(y, v, r) for y, v, r in zip(ys, ratios, recs) if not is_missing(v)]
    ax.scatter(
        [min(v, xmax) for _, v, _ in dots],
        [y for y, _, _ in dots],
        s=42,
        c=[STATUS_COLORS[r.status] for _, _, r in dots],
        edgecolors="#ffffff",
        linewidths=0.6,
        zorder=3,
        label="completion",
    )
    down = first.direction == "down"
    ax.axvline(1.0, color=INK["line"], linewidth=1.2, zorder=2, label="target")
    handles = [_target_handle(_t(lang, "cap" if down else "target"))]
    flows = sorted({p for p in paces if not is_missing(p) and p < 1.0})
    for p in flows:
        ax.axvline(
            p,
            color=INK["pace"],
            linewidth=1.3,
            linestyle=(0, (4, 2)),
            zorder=2,
            label="time_progress",
        )
    if flows:
        handles.append(_pace_handle(flows, lang))
    _percent_axis(ax, xmax, step=0.5 if xmax <= 2.0 else 1.0, xmin=-0.025 * xmax)
    ax.set_xlabel(
        _t(lang, "rank_axis_down" if down else "completion_axis"),
        fontsize=_LABEL,
        color=INK["muted"],
    )
    _right_labels(ax, ys, [_status_text(r, lang) for r in recs])
    _title(ax, title, pad=20)
    _legend_top(ax, handles)
    return fig


# --------------------------------------------------------------------------- 6. overview dots


def _judged_alone(row: Any) -> bool:
    """Drawn against its target (or cap) alone, in the group of its own: a row that is not a
    year-to-date flow (:func:`~helpers.metrics.status.annual_flow`: a level or rate
    indicator, a cap, a period target). At the year's end a flow keeps its sector: it is
    drawn against its annual target (100%), the time elapsed being the whole year."""
    return not annual_flow(_fields(row))


def _short_of_target(row: Any) -> bool:
    """Below a target judged alone (未达目标): its label gives the figure against the target."""
    return bool(row.status == StatusKey.BELOW_TARGET)


def _dot_text(row: Any, lang: str) -> str:
    """The label beside a dot: the status label, or for a level or rate short of its target
    its figure against the target (占目标74.5%, 93.0%（目标95.0%）) without a time word."""
    status = _status_text(row, lang)
    if not _short_of_target(row):
        return status
    if row.measure == "rate":
        return status.removeprefix(status_label(row.status, lang)).strip()
    # a flow at the year's end: 完成91.1% (of the annual task), a stock: 占目标74.5%
    at = getattr(row, "period", None) if annual_flow(_fields(row)) else None
    text = _t(lang, "of_target", at=at).format(pct=_pct(row, row.basis_ratio))
    return text + (_t(lang, "estimate") if getattr(row, "data_status", None) == "预计" else "")


def completion_dots(
    table: pd.DataFrame, *, ax: Axes | None = None, lang: str = "zh", title: str | None = None
) -> Figure:
    """Completion of every indicator of one org as dots against a line at the time progress.

    Year-to-date flows come first, grouped by sector (a heading row per sector, in ``order``),
    as circles against the time progress, whose line spans their rows only. Indicators judged
    against the target alone come after them in a group of their own (〔只比目标〕): diamonds
    for level and rate indicators and period targets, triangles for caps (actual ÷ cap),
    against the 100% line; a level or rate short of its target is labelled with its figure
    (占目标74.5%), never with a time-progress word (滞后). Status labels are written, and
    indicators with no target are listed with their label and no dot.
    """
    _use_cjk_font()
    _require(table, _REQUIRED, "completion_dots")
    _one_org(table, "completion_dots")
    title = title or _t(lang, "dots_title", at=_period_of(table))
    if table.empty:
        return _no_data(ax, lang, title)
    ordered = list(_ordered(table).itertuples(index=False))
    recs = [r for r in ordered if not _judged_alone(r)] + [r for r in ordered if _judged_alone(r)]
    labels: list[str] = []
    ys: list[float] = []
    heads: list[int] = []
    items: list[tuple[float, Any]] = []
    y, last = 0.0, object()
    for r in recs:
        sector = _t(lang, "alone_group") if _judged_alone(r) else getattr(r, "sector", None)
        if sector is not None and sector != last:
            head = _head_lines(f"〔{sector}〕" if lang != "en" else f"[{sector}]")
            extra = 0.3 * head.count("\n")
            heads.append(len(labels))
            labels.append(head)
            ys.append(y + extra)
            y, last = y + 0.9 + 2 * extra, sector
        name = _wrap_name(_name(r, lang), _DOTS_NAME_EM, 15)
        label = _label_lines(_dot_text(r, lang), _DOTS_STATUS_EM)
        lines = max(name.count("\n"), label.count("\n")) + 1
        y += 0.3 * (lines - 1)  # a row of two lines takes more room, above and below
        labels.append(name)
        ys.append(y)
        items.append((y, r))
        y += 1.0 + 0.3 * (lines - 1)
    fig, ax = new_figure(ax, 1.45 + 0.22 * y)
    _row_axes(ax, labels, ys)
    names = row_names(ax)
    for k in heads:
        names[k].set_color(INK["muted"])
    item_y = [iy for iy, _ in items]
    ratios = [_bar_ratio(r) for _, r in items]
    paces = [r.pace for _, r in items]
    xmax = _ratio_xmax(ratios + paces, floor=1.1, ceiling=2.0) + 0.05
    ax.hlines(item_y, 0, xmax, colors=INK["grid"], linewidth=0.6, zorder=0)
    flows = sorted({p for p in paces if not is_missing(p) and p < 1.0})
    timed = [iy for iy, r in items if not _judged_alone(r)]
    for p in flows:  # across the flows' rows only: the rest are not judged against it
        ax.plot(
            [p, p],
            [ys[0] - 0.6, max(timed) + 0.6],
            color=INK["pace"],
            linewidth=1.3,
            linestyle=(0, (4, 2)),
            zorder=2,
            label="time_progress",
        )
    ax.axvline(1.0, color=INK["line"], linewidth=1.2, zorder=2, label="target")
    shapes = {"flow": ("o", 40), "target": ("D", 30), "cap": ("v", 40)}
    groups: dict[str, list[tuple[float, float, str]]] = {k: [] for k in shapes}
    for iy, (_, r), v, p in zip(item_y, items, ratios, paces):
        if not is_missing(v):
            kind = (
                "cap"
                if r.direction == "down"
                else "flow"
                if not is_missing(p) and p < 1.0
                else "target"
            )
            groups[kind].append((min(v, xmax), iy, STATUS_COLORS[r.status]))
    for kind, pts in groups.items():
        if pts:
            ax.scatter(
                [p[0] for p in pts],
                [p[1] for p in pts],
                s=shapes[kind][1],
                c=[p[2] for p in pts],
                marker=shapes[kind][0],
                edgecolors="#ffffff",
                linewidths=0.6,
                zorder=3,
                label="completion",
            )
    _percent_axis(ax, xmax, xmin=-0.025 * xmax)
    note = _t(lang, "level_note") if groups["target"] or groups["cap"] else ""
    ax.set_xlabel(
        _t(lang, "completion_axis")
        + ("\n" + _wrap(note, _line_em(margin=_NAME_IN + 0.2), 4) if note else ""),
        fontsize=_LABEL,
        color=INK["muted"],
        loc="left",
    )
    _right_labels(ax, item_y, [_dot_text(r, lang) for _, r in items], _DOTS_STATUS_EM)
    handles = [_target_handle(_t(lang, "target_or_cap"))]
    if flows:
        handles.append(_pace_handle(flows, lang))
    _title(ax, title, pad=20)
    _legend_top(ax, handles)
    return fig
