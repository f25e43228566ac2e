"""The analyst's scratchpad (``notebooks/explore.ipynb``): load, look, filter, compare, draw.

Each step of the notebook is one or two calls here, over the same progress table the
reports use (:func:`helpers.metrics.progress.progress_table`), so what an analyst sees while exploring
is what the reports will say. Filters accept what an analyst types: indicator ids or names,
status keys or their Chinese/English labels, township keys or full names, each ignoring width,
case and spaces (as the report notebook reads an org); a value that matches nothing raises
:class:`helpers.errors.UnknownKeyError` listing the valid ones, nearest first. :func:`load`
checks the parameters as the report notebooks do (:mod:`helpers.sections.parameters`), and
from then on kpibook's errors show in the notebook as one plain message, not a traceback.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..base.missing import is_missing
from ..base.resources import data_dir
from ..data.choose import find_period
from ..data.dataset import Dataset
from ..data.numbers import format_number, round_half_up
from ..data.periods import parse_period, period_label
from ..data.schema import CHOICES, TABLES
from ..data.text import name_key
from ..document import charts
from ..document.palette import INK, STATUS_COLORS, STATUS_TINTS
from ..document.tables import figure_decimals
from ..errors import UnknownKeyError, UsageError
from ..metrics.progress import progress_table
from ..metrics.status import STATUS, rank_text, status_label
from .district import change_text
from .parameters import check_parameters

__all__ = [
    "load",
    "figures_inline",
    "catalogue",
    "show",
    "status_counts",
    "pick",
    "compare",
    "chart",
    "town_bars",
    "resolve_indicator",
    "resolve_status",
    "default_before",
    "COLUMNS",
]

#: Columns :func:`show` keeps from a progress table, with their Chinese and English headers.
COLUMNS: dict[str, tuple[str, str]] = {
    "org": ("乡镇", "Org"),
    "sector": ("领域", "Sector"),
    "name": ("指标", "Indicator"),
    "unit": ("单位", "Unit"),
    "annual_target": ("全年目标", "Annual target"),
    "period_target": ("期间目标", "Period target"),
    "actual": ("累计完成", "Actual"),
    "completion": ("完成率", "Completion"),
    "gap_pp": ("超（欠）序时（个百分点）", "vs pace (pp)"),
    "yoy": ("同比", "YoY"),
    "rank": ("位次", "Rank"),
    "rank_change": ("位次变化", "Rank change"),
    "status": ("状态", "Status"),
    "data_status": ("数据", "Data"),
    "note": ("备注", "Note"),
}
_COMPARE: dict[str, tuple[str, str]] = {
    "indicator": ("代码", "Id"),
    "change": ("增减", "Change"),
    "completion_change_pp": ("完成率增减（个百分点）", "Completion change (pp)"),
}
_HIDDEN = ("decimals", "order")
#: Rows :func:`show` shows at a time.
PAGE_ROWS = 50
_PERCENT = ("completion", "period_completion", "basis_ratio", "yoy", "time_progress")
_POINTS = ("gap_pp", "completion_change_pp")


def figures_inline() -> bool:
    """Let a notebook show a returned :class:`~matplotlib.figure.Figure` as a PNG.

    The charts are built without pyplot (no global state), so IPython has no display for
    them until a PNG formatter is registered; this registers one in the running IPython
    shell (idempotent). Returns whether there was a shell to register with.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the kernel
        return False
    shell = get_ipython()
    if shell is None:
        return False
    from IPython.core.pylabtools import print_figure

    shell.display_formatter.formatters["image/png"].for_type(
        Figure, lambda fig: print_figure(fig, "png")
    )
    return True


def load(
    data: str | Path = "", period: str = "", *, lang: str = "zh"
) -> tuple[Dataset, pd.DataFrame]:
    """The data set (default: the district demo) and its progress table for ``period`` (default: latest).

    The parameters are checked as the report notebooks check theirs
    (:func:`~helpers.sections.parameters.check_parameters`): ``data`` found where the user is,
    else at the project root; a period without figures is an error naming those there are.
    Also makes returned charts show in the notebook (:func:`figures_inline`). The table
    carries each org's full name (``attrs["org_names"]``), so :func:`pick` takes it.
    """
    figures_inline()
    p = check_parameters(data, None, period, lang=lang, default=data_dir("district-demo"))
    table = progress_table(p.ds, p.period)
    table.attrs["org_names"] = {org: p.ds.org_name(org) for org in p.ds.org_list}
    return p.ds, table


def catalogue(ds: Dataset, *, lang: str = "zh") -> Any:
    """The indicator catalogue as a table to read: 代码 (the id for filters and charts), 名称,
    领域, 单位, 方向, 类型 — headers and choice values in the words of the data template
    (:mod:`helpers.data.schema`), no row numbers."""
    table = TABLES["indicators"]
    cols = [
        c
        for c in ("name", "name_en", "sector", "unit", "direction", "measure")
        if c in ds.indicators
    ]
    view = ds.indicators[cols].reset_index().rename(columns={"index": "indicator"})
    view = view[[c for c in view.columns if view[c].map(_given).any()]]  # none given: left out
    view = view.map(lambda v: v if _given(v) else "—")
    for col in ("direction", "measure"):
        if col in view.columns and lang != "en":
            words = _choice_words(col)
            view[col] = [words.get(v, v) for v in view[col]]
    if lang == "en":
        labels = [c.replace("_", " ") for c in view.columns]
    else:
        labels = ["代码" if c == "indicator" else table.column(c).zh[0] for c in view.columns]
    return _styled(view, labels)


def _given(value: Any) -> bool:
    """Whether a catalogue cell says something (not missing, not blank)."""
    return not is_missing(value) and str(value).strip() != ""


def _choice_words(column: str) -> dict[str, str]:
    """Each canonical value of a choice column → its first Chinese spelling in the schema."""
    words: dict[str, str] = {}
    for spelling, value in CHOICES[column].items():
        if not spelling.isascii():
            words.setdefault(value, spelling)
    return words


# --------------------------------------------------------------------------- resolving what is typed


def _many(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return [value]
    return list(value)


#: What each filter is called in a message: (Chinese, English).
_FILTERS = {
    "sector": ("领域", "sector"),
    "status": ("状态", "status"),
    "org": ("乡镇", "org"),
    "indicator": ("指标", "indicator"),
}


def _unknown(column: str, value: Any, choices: Iterable[Any]) -> UnknownKeyError:
    """No such value: the valid ones, those nearest to what was typed first."""
    every = [str(c) for c in dict.fromkeys(choices)]
    order = sorted(every, key=lambda c: -_likeness(value, c))
    shown = "、".join(order[:40]) + (f" 等{len(order)}个" if len(order) > 40 else "")
    zh, en = _FILTERS.get(column, (column, column))
    return UnknownKeyError(
        f"没有这个{zh}；可选（近似的在前）：{shown}（no such {en}; choose from these, nearest first）",
        column=column,
        value=value,
    )


def _likeness(value: Any, choice: str) -> float:
    """How near ``value`` is to a choice (``behind/滞后``, ``tax（国地两税）``): its nearest
    part, by :class:`difflib.SequenceMatcher`; a part containing the value counts as 1."""
    typed = name_key(str(value))
    parts = [name_key(p) for p in re.split(r"[/（）()]", choice) if p.strip()]
    return max(
        (1.0 if typed and typed in p else difflib.SequenceMatcher(None, typed, p).ratio())
        for p in parts or [""]
    )


def _same(a: Any, b: Any) -> bool:
    """Two spellings of one value (width, case and spaces do not count)."""
    return name_key(str(a)) == name_key(str(b))


def resolve_indicator(table: pd.DataFrame, key: str) -> str:
    """An indicator id from its id, Chinese name or English name (exact, then case-insensitive)."""
    meta = table.drop_duplicates("indicator")
    for col in ("indicator", "name", "name_en"):
        hit = meta[meta[col].astype(str) == str(key)]
        if len(hit):
            return str(hit.iloc[0]["indicator"])
    for col in ("indicator", "name", "name_en"):
        hit = meta[[_same(v, key) for v in meta[col]]]
        if len(hit):
            return str(hit.iloc[0]["indicator"])
    named = [f"{i}（{n}）" for i, n in zip(meta["indicator"], meta["name"])]
    raise _unknown("indicator", key, named)


def resolve_status(key: str) -> str:
    """A status key from a key (``behind``) or a label (``滞后`` / ``Behind``)."""
    for k, (zh, en) in STATUS.items():
        if any(_same(key, word) for word in (k, zh, en)):
            return k
    raise _unknown("status", key, [f"{k}/{zh}" for k, (zh, _) in STATUS.items()])


def _resolve_orgs(table: pd.DataFrame, values: list[Any], ds: Dataset | None) -> list[str]:
    """Org ids from ids or full names (the table's ``attrs["org_names"]``, or ``ds``)."""
    orgs = list(dict.fromkeys(table["org"]))
    full = table.attrs.get("org_names", {})
    names = {o: ds.org_name(o) if ds is not None else full.get(o, o) for o in orgs}
    out = []
    for v in values:
        hit = next((o for o in orgs if _same(v, o) or _same(v, names[o])), None)
        if hit is None:
            raise _unknown("org", v, orgs)
        out.append(hit)
    return out


def _resolve_sectors(table: pd.DataFrame, values: list[Any]) -> list[str]:
    sectors = list(dict.fromkeys(table["sector"]))
    out = []
    for v in values:
        hit = next((s for s in sectors if _same(v, s)), None)
        if hit is None:
            raise _unknown("sector", v, sectors)
        out.append(hit)
    return out


# --------------------------------------------------------------------------- looking


def pick(
    table: pd.DataFrame,
    *,
    sector: Any = None,
    status: Any = None,
    org: Any = None,
    indicator: Any = None,
    ds: Dataset | None = None,
) -> pd.DataFrame:
    """Rows of a progress table matching every given filter; each filter is one value or a list.

    ``status`` takes keys or labels (``"滞后"``, ``["behind", "严重滞后"]``); ``indicator`` ids or
    names; ``org`` the org key (or its full name when ``ds`` is given).
    """
    rows = table
    if sector is not None:
        rows = rows[rows["sector"].isin(_resolve_sectors(table, _many(sector)))]
    if status is not None:
        rows = rows[rows["status"].isin([resolve_status(s) for s in _many(status)])]
    if org is not None:
        rows = rows[rows["org"].isin(_resolve_orgs(table, _many(org), ds))]
    if indicator is not None:
        rows = rows[rows["indicator"].isin([resolve_indicator(table, i) for i in _many(indicator)])]
    return rows.reset_index(drop=True)


def status_counts(table: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """Towns × status labels: how many indicators each town has in each status (table order)."""
    orgs = list(dict.fromkeys(table["org"]))
    keys = [k for k in STATUS if (table["status"] == k).any()]
    counts = pd.crosstab(table["org"], table["status"]).reindex(
        index=orgs, columns=keys, fill_value=0
    )
    counts.columns = [status_label(k, lang) for k in keys]
    counts.index.name = "乡镇" if lang != "en" else "org"
    counts.columns.name = None
    return counts


def _figure(value: Any, decimals: int | None = None) -> str:
    if is_missing(value):
        return "—"
    return format_number(float(value), figure_decimals([value]) if decimals is None else decimals)


def _signed_figure(value: Any, decimals: int | None = None) -> str:
    text = _figure(value, decimals)
    if text == "—" or text.strip("0.,") == "":
        return text
    return text.replace("-", "\u2212") if value < 0 else "+" + text


def _row_decimals(frame: pd.DataFrame) -> list[int] | None:
    """One number of decimals per row (as the 完成情况表 prints it), when the frame has ``decimals``."""
    if "decimals" not in frame.columns:
        return None
    cols = [c for c in frame.columns if _kind(c) in ("figure", "signed_figure")]
    return [
        figure_decimals([r[c] for c in cols], r["decimals"])
        for r in frame[cols + ["decimals"]].to_dict("records")
    ]


def _header(column: str, lang: str) -> str:
    """A column's header: ``COLUMNS``' label, or ``完成率 2013H1`` for a compared period's column."""
    i = 0 if lang != "en" else 1
    if column in COLUMNS:
        return COLUMNS[column][i]
    if column in _COMPARE:
        return _COMPARE[column][i]
    base, _, period = column.rpartition("_")
    if base in COLUMNS and period:
        return f"{COLUMNS[base][i]} {period}"
    return column


def _percent(value: Any, decimals: int) -> str:
    if is_missing(value):
        return "—"
    return f"{round_half_up(value * 100, decimals):.{decimals}f}%"


def _signed(value: Any, decimals: int, suffix: str = "") -> str:
    if is_missing(value):
        return "—"
    text = f"{abs(round_half_up(value, decimals)):.{decimals}f}{suffix}"
    return ("+" if value > 0 else "\u2212" if value < 0 else "") + text


def _places(change: Any) -> str:
    """A rank change for the analyst: ``↑2``, ``↓1``, ``0``; ``—`` when either rank is missing."""
    if is_missing(change):
        return "—"
    return change_text(change) or "0"


def _kind(column: str) -> str:
    """How :func:`show` formats a column, from its name (``completion_2013H1`` is a percentage)."""
    base = column.split(" ")[0]
    if base.startswith("status"):
        return "status"
    if base in ("yoy",) or base.startswith("yoy_"):
        return "signed_percent"
    if base in _POINTS or base.endswith("_pp"):
        return "points"
    if base.startswith(_PERCENT):
        return "percent"
    if base.startswith("rank_change") or base == "rank_change":
        return "change"
    if base.startswith("rank"):
        return "rank"
    if base == "change":
        return "signed_figure"
    if base.startswith(("actual", "annual_target", "period_target", "prior")):
        return "figure"
    return "text"


def show(
    frame: pd.DataFrame,
    *,
    lang: str = "zh",
    decimals: int = 1,
    columns: list[str] | None = None,
    page: int = 1,
    rows: int | None = PAGE_ROWS,
) -> Any:
    """A styled view (pandas ``Styler``) of a progress table, a :func:`pick` or a :func:`compare`.

    A progress table is cut to the usual columns (:data:`COLUMNS`; pass ``columns`` for
    others); figures get separators, ratios %, gaps signed points, ranks ``并列2``, and
    status cells their label on the status tint. A long table is shown ``rows`` at a time
    (``page=2`` for the next ones, ``rows=None`` for all), its caption saying which; names
    and notes wrap, figures do not. The frame itself is unchanged.
    """
    note = str(frame.attrs.get("note", ""))
    pages = max(1, math.ceil(len(frame) / rows)) if rows else 1
    if not 1 <= page <= pages:
        raise UsageError(
            f"没有第{page}页：这个表共{len(frame)}行、{pages}页，page 应为 1 到 {pages}"
            f"（no page {page}: {len(frame)} rows make {pages} pages）"
        )
    caption = ""
    if rows and len(frame) > rows:
        first, last = (page - 1) * rows, min(page * rows, len(frame))
        caption = (
            f"共{len(frame)}行，显示第{first + 1}–{last}行（第{page}/{pages}页）；"
            f"下一页写 show(..., page={page % pages + 1})，全部写 rows=None，"
            "或先用 explore.pick 筛选"
            if lang != "en"
            else f"{len(frame)} rows, showing {first + 1}–{last} (page {page} of {pages}); "
            f"next: show(..., page={page % pages + 1}); all: rows=None; or filter with pick"
        )
        frame = frame.iloc[first:last]
    if columns is None:
        columns = (
            [c for c in COLUMNS if c in frame.columns and frame[c].notna().any()]
            if "basis_ratio" in frame.columns
            else [c for c in frame.columns if c not in _hidden(frame)]
        )
    view = frame[columns].reset_index(drop=True)
    row_decimals = _row_decimals(frame)
    tied = frame["rank_tied"].reset_index(drop=True) if "rank_tied" in frame.columns else None
    formats: dict[str, Any] = {}
    status_cols = []
    for col in columns:
        kind = _kind(col)
        if kind == "status":
            status_cols.append(col)
            formats[col] = lambda k: (
                status_label(k, lang) if isinstance(k, str) and k in STATUS else "—"
            )
        elif kind == "percent":
            formats[col] = lambda v: _percent(v, decimals)
        elif kind == "signed_percent":
            formats[col] = lambda v: _signed(None if is_missing(v) else v * 100, decimals, "%")
        elif kind == "points":
            formats[col] = lambda v: _signed(v, decimals)
        elif kind == "change":
            formats[col] = _places
        elif kind in ("figure", "signed_figure") and row_decimals is not None:
            fmt = _figure if kind == "figure" else _signed_figure
            view[col] = [fmt(v, d) for v, d in zip(view[col], row_decimals)]
        elif kind == "signed_figure":
            formats[col] = _signed_figure
        elif kind == "figure":
            formats[col] = _figure
        elif kind == "rank" and col == "rank" and tied is not None:
            view[col] = [rank_text(r, bool(t), lang) for r, t in zip(view[col], tied)]
        elif kind == "rank":
            formats[col] = lambda v: rank_text(v, False, lang)
    styler = view.style.format(formats, na_rep="—").hide(axis="index")
    if status_cols:
        styler = styler.map(
            lambda k: (
                f"background-color: {STATUS_TINTS[k]}; border-left: 4px solid {STATUS_COLORS[k]}"
                if k in STATUS_TINTS
                else ""
            ),
            subset=status_cols,
        )
    styler = _styled(styler, [_header(c, lang) for c in columns], _WRAPPED)
    caption = "；".join(c for c in (note, caption) if c)
    return styler.set_caption(caption) if caption else styler


def _hidden(frame: pd.DataFrame) -> set[str]:
    """Columns :func:`show` leaves out of a view it chooses: bookkeeping, and the indicator
    code where the name is shown beside it (the code only widens a table that Lab cuts off)."""
    return set(_HIDDEN) | ({"indicator"} if "name" in frame.columns else set())


#: Columns whose text wraps in :func:`show` (figures, ranks and statuses stay on one line).
_WRAPPED = ("org", "sector", "name", "note", "name_en")


def _styled(view: Any, labels: list[str], wrapped: Iterable[str] = ("name", "name_en")) -> Any:
    """``view`` (a frame or its Styler) with headers ``labels``, no row numbers, headers and
    the ``wrapped`` columns wrapping at about 12 characters, other cells on one line."""
    styler = view if not isinstance(view, pd.DataFrame) else view.style.hide(axis="index")
    wrap = set(wrapped)
    cells = [
        {
            "selector": f"td.col{i}",
            "props": "white-space: normal; min-width: 5em; max-width: 12em"
            if c in wrap
            else "white-space: nowrap",
        }
        for i, c in enumerate(styler.data.columns)
    ]
    styler = styler.relabel_index(labels, axis=1).set_table_styles(
        [
            {"selector": "th", "props": "white-space: normal; max-width: 7em; text-align: center"},
            {"selector": "caption", "props": "caption-side: top; text-align: left; color: #555"},
            *cells,
        ],
        overwrite=False,
    )
    return styler


# --------------------------------------------------------------------------- comparing


def default_before(ds: Dataset, after: str) -> str:
    """What to compare ``after`` with: the same period a year earlier, else the period before."""
    p = parse_period(after)
    for candidate in (p.shifted_years(-1), p.previous()):
        if ds.has_period(candidate):
            return str(candidate)
    raise UsageError(_no_earlier(ds, after, "zh") + "（" + _no_earlier(ds, after, "en") + "）")


def _no_earlier(ds: Dataset, after: str, lang: str) -> str:
    have = "、".join(ds.periods())
    if lang == "en":
        return f"no earlier period to compare {after} with; the data has {have}"
    return f"数据中没有可与{after}比较的更早期间（上年同期或上一期）；数据只有：{have}"


def compare(
    ds: Dataset, before: str = "", after: str = "", *, org: Any = None, indicator: Any = None
) -> pd.DataFrame:
    """Both periods' figures side by side per town and indicator, and the change.

    ``after`` defaults to the latest period, ``before`` to :func:`default_before`; either
    given is read as the report notebook reads ``period`` (an error names the periods with
    figures). With no earlier period to compare with, the comparison has no rows and says so
    (``attrs["note"]``, shown by :func:`show`) rather than stopping a Run All. Columns:
    org, indicator, name, unit, ``actual_<p>`` for both, ``change`` (after − before),
    ``completion_<p>``, ``completion_change_pp``, ``rank_<p>``, ``rank_change`` (places gained,
    positive = up), ``status_<p>``, and the catalogue's ``decimals`` (for :func:`show`).
    Cumulative figures of different years are each against their own year's target.
    """
    after = find_period(ds, after)
    if before:
        before = find_period(ds, before)
    else:
        try:
            before = default_before(ds, after)
        except UsageError:
            empty = pd.DataFrame(columns=["org", "indicator", "name", "unit"])
            empty.attrs.update(
                after=after,
                note=f"{_no_earlier(ds, after, 'zh')}（{_no_earlier(ds, after, 'en')}）",
            )
            return empty
    if before == after:
        raise UsageError(
            f"两个期间相同：{before}；请比较两个不同的期间（compare two different periods）"
        )
    a = progress_table(ds, after, with_rank_change=False)
    b = progress_table(ds, before, with_rank_change=False)
    if org is not None or indicator is not None:
        a = pick(a, org=org, indicator=indicator, ds=ds)
        keys = set(zip(a["org"], a["indicator"]))
        b = b[[k in keys for k in zip(b["org"], b["indicator"])]]
    keep = ["org", "indicator", "actual", "completion", "rank", "status"]
    merged = a[["org", "indicator", "name", "unit", "decimals", *keep[2:]]].merge(
        b[keep], on=["org", "indicator"], how="left", suffixes=(f"_{after}", f"_{before}")
    )
    out = pd.DataFrame(
        {
            "org": merged["org"],
            "indicator": merged["indicator"],
            "name": merged["name"],
            "unit": merged["unit"],
        }
    )
    out[f"actual_{before}"] = merged[f"actual_{before}"]
    out[f"actual_{after}"] = merged[f"actual_{after}"]
    out["change"] = merged[f"actual_{after}"] - merged[f"actual_{before}"]
    out[f"completion_{before}"] = merged[f"completion_{before}"]
    out[f"completion_{after}"] = merged[f"completion_{after}"]
    out["completion_change_pp"] = (
        merged[f"completion_{after}"] - merged[f"completion_{before}"]
    ) * 100
    out[f"rank_{before}"] = merged[f"rank_{before}"]
    out[f"rank_{after}"] = merged[f"rank_{after}"]
    out["rank_change"] = merged[f"rank_{before}"] - merged[f"rank_{after}"]
    out[f"status_{before}"] = merged[f"status_{before}"]
    out[f"status_{after}"] = merged[f"status_{after}"]
    out["decimals"] = merged["decimals"]
    out.attrs.update(before=before, after=after)
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- drawing


def chart(
    table: pd.DataFrame,
    indicator: str,
    *,
    kind: str = "rank",
    lang: str = "zh",
    ax: Axes | None = None,
) -> Figure:
    """Any indicator's chart across the towns: ``kind="rank"`` (completion, ranked) or ``"bar"`` (figures)."""
    ind = resolve_indicator(table, indicator)
    if kind == "rank":
        return charts.rank_dots(table, ind, ax=ax, lang=lang)
    if kind == "bar":
        return town_bars(table, ind, ax=ax, lang=lang)
    raise UsageError(
        f"kind 只能是 rank（排名点图）或 bar（柱状图），给的是「{kind}」（kind must be rank or bar）"
    )


def _register_font() -> None:
    from ..document.fonts import register_matplotlib

    register_matplotlib()


def _target_word(direction: str, lang: str) -> str:
    if direction == "down":
        return "控制数" if lang != "en" else "cap"
    return "目标" if lang != "en" else "target"


def town_bars(
    table: pd.DataFrame, indicator: str, *, ax: Axes | None = None, lang: str = "zh"
) -> Figure:
    """One bar per town of an indicator's figure, largest first, with each town's target as a tick.

    Bars are coloured by status and the status label and figure are written beside each bar
    (colour is never alone). Towns with no figure are listed with 无数据.
    """
    _register_font()
    ind = resolve_indicator(table, indicator)
    rows = table[table["indicator"] == ind]
    first = rows.iloc[0]
    name = (
        first["name_en"]
        if lang == "en" and isinstance(first["name_en"], str) and first["name_en"]
        else first["name"]
    )
    unit = "" if not isinstance(first["unit"], str) else first["unit"]
    rows = rows.sort_values(
        "actual", ascending=first["direction"] == "down", na_position="last", kind="stable"
    )
    fig, ax = charts.new_figure(ax, 1.1 + 0.3 * len(rows))
    ys = list(range(len(rows)))
    values = [0.0 if is_missing(v) else float(v) for v in rows["actual"]]
    ax.barh(ys, values, height=0.6, color=[STATUS_COLORS[s] for s in rows["status"]], zorder=2)
    targets = [
        p if is_missing(t) else t for t, p in zip(rows["annual_target"], rows["period_target"])
    ]
    tick_y = [y for y, t in zip(ys, targets) if not is_missing(t)]
    tick_x = [t for t in targets if not is_missing(t)]
    if tick_x:
        ax.vlines(
            tick_x,
            [y - 0.4 for y in tick_y],
            [y + 0.4 for y in tick_y],
            colors=INK["line"],
            linewidth=2,
            zorder=3,
            label=_target_word(first["direction"], lang),
        )
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8.5)
    ax.set_yticks(ys, labels=[str(o) for o in rows["org"]], fontsize=9)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    top = max(values + tick_x + [0.0]) or 1.0
    ax.set_xlim(0, top * 1.05)
    if all(float(v).is_integer() for v in values + tick_x):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    trans = ax.get_yaxis_transform()
    for y, r in zip(ys, rows.itertuples(index=False)):
        figure = "—" if r.actual != r.actual else _figure(r.actual) + unit
        ax.text(
            1.01,
            y,
            f"{status_label(r.status, lang)} {figure}",
            transform=trans,
            ha="left",
            va="center",
            fontsize=8.5,
            color=INK["text"],
            gid="status_label",
            clip_on=False,
        )
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.xaxis.grid(True, color=INK["grid"], linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    ax.set_xlabel(unit, fontsize=8.5, color=INK["muted"])
    period = period_label(str(first["period"]), lang)
    ax.set_title(
        f"{name}：各乡镇完成数（{period}）"
        if lang != "en"
        else f"{name}: figures by town, {period}",
        loc="left",
        fontsize=11,
    )
    return fig
