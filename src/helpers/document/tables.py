"""The report's tables: 主要经济指标完成情况表 and 重点项目, as display frames, HTML and .xlsx.

One layout (:func:`progress_layout`, a :class:`helpers.document.model.Table`-like layout)
decides columns, rows and every cell's text, value and Excel number format;
:func:`progress_frame`, :func:`progress_html` and :mod:`helpers.document.xlsx` only render it,
so they always agree.

Conventions (DOMAIN.md): rows grouped by sector in catalogue order under 一、工业 headings;
thousands separators; half-up rounding; ``—`` for no value; differences of rates in 个百分点,
signed (``+4.7`` / ``−12.3``, U+2212 minus); negative growth as ``−13.8%``; ``down``
indicators show their cap (控制数) and no completion; ties ranked ``并列2``; the status label
is always written, its colour (``helpers.document.palette``) only a reading aid.

Figure decimals: the catalogue's ``decimals`` when given; otherwise 0 when any figure of the
row reaches 1,000 (``6,035`` 万元, ``40,000`` 平方米), else the fewest places (0–2) that show
the row's figures at two decimals (``6``, ``0.7``, ``1.98``) — one choice per row so the
target and the actual line up.

序时进度 shows the pace a row is judged against: the time elapsed for cumulative figures
against the annual target, 100% for levels and period targets, ``—`` for rates (their gap is
actual − target in points), caps and rows without a target.

HTML classes for the report template (``TABLE_CSS`` styles them; ``css=False`` leaves it out):
``kpi-wrap`` (scroll box), ``kpi-table``, ``kpi-sector`` (sector heading row), ``kpi-name``,
``kpi-num`` (right-aligned figures), ``kpi-text``, ``kpi-note``, ``kpi-status`` plus
``kpi-status-<key>`` (a :class:`helpers.metrics.status.StatusKey`), ``kpi-foot`` (the notes paragraphs under the table).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd

from ..base.markup import escape
from ..base.missing import NONE, is_missing
from ..data.numbers import MINUS, format_number, round_half_up
from ..data.periods import Period, parse_period
from ..errors import UsageError
from ..metrics.status import StatusKey, annual_flow, rank_text, status_label, tie_word
from .model import Cell as _Cell
from .model import Column as _Col
from .model import Row as _Row
from .model import Table
from .narrative import (
    UNIT_EN,
    count_change,
    percent_places,
    stage_word,
    with_qualifier,
    yoy_text,
)
from .palette import STATUS_COLORS, STATUS_TINTS
from .words import year_end

__all__ = [
    "progress_frame",
    "progress_html",
    "progress_layout",
    "org_display",
    "projects_frame",
    "projects_html",
    "progress_caption",
    "figure_decimals",
    "sector_label",
    "sector_name",
    "english_sectors",
    "named_sectors",
    "project_names",
    "chinese_ordinal",
    "TABLE_CSS",
]


DISTRICT = "__district__"  # the org key of helpers.metrics.progress.district_totals

#: English names of the usual sectors (anything else is shown as written).
SECTOR_EN = {
    "综合": "Overall",
    "工业": "Industry",
    "农业": "Agriculture",
    "服务业": "Services",
    "城镇化": "Urbanisation",
    "民生": "Livelihoods",
    "综治稳定": "Public order and stability",
    "综治": "Public order",
    "财税": "Fiscal revenue",
    "投资": "Investment",
    "招商引资": "Investment promotion",
    "社会事业": "Social services",
    "生态": "Environment",
    "党建": "Party building",
    "安全生产": "Work safety",
}
_STATUS_DATA_EN = {"预计": "estimate", "快报": "preliminary"}


# --------------------------------------------------------------------------- small formatters


def _exact(value: float) -> Decimal:
    """A float as the decimal it stands for: 12 significant digits drop binary noise, so that
    a gap computed as 4.649999999999999 rounds like the 4.65 it is."""
    return Decimal(f"{float(value):.12g}")


def _clean(value: Any) -> float | None:
    """The value stored in a spreadsheet cell: the float of :func:`_exact`, or None."""
    return None if is_missing(value) else float(_exact(value))


def _num(
    value: Any,
    decimals: int,
    *,
    percent: bool = False,
    signed: bool = False,
    thousands: bool = True,
) -> str:
    """A figure as the table prints it: half-up, separators, ``—`` for none, ``+``/``−`` signs."""
    if is_missing(value):
        return NONE
    exact = _exact(value) * (100 if percent else 1)
    text = format_number(float(exact), decimals, thousands=thousands)
    if text.startswith("-"):
        text = MINUS + text[1:]
    elif signed and any(ch in text for ch in "123456789"):
        text = "+" + text
    return text + ("%" if percent else "")


def figure_decimals(values: Iterable[Any], catalogue: Any = None) -> int:
    """Decimals for one row's figures: the catalogue's, else 0 from 1,000 up, else 0–2 as needed."""
    if not is_missing(catalogue):
        return max(int(catalogue), 0)
    xs = [abs(float(_exact(v))) for v in values if not is_missing(v)]
    if not xs or max(xs) >= 1000:
        return 0
    for d in (0, 1):
        if all(round_half_up(x, 2) == round_half_up(x, d) for x in xs):
            return d
    return 2


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (1–99), for 一、工业 style headings."""
    digits = "零一二三四五六七八九"
    if not 1 <= n <= 99:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _given(value: Any) -> str:
    """A name the data gives (``sector_en``, ``name_en``), or "" when the cell is blank."""
    return value.strip() if isinstance(value, str) else ""


def sector_name(sector: str, lang: str = "zh", english: Any = None) -> str:
    """A sector as the report names it: in Chinese as written; in English the data's own
    ``sector_en`` (``english``) when given, else the usual sectors' :data:`SECTOR_EN`, else
    the Chinese name (工业 → Industry; 乡村振兴 with no English form stays 乡村振兴)."""
    if lang != "en":
        return str(sector)
    return _given(english) or SECTOR_EN.get(str(sector), str(sector))


def english_sectors(frame: pd.DataFrame) -> dict[str, str]:
    """Each sector's ``sector_en`` as the data gives it (its first non-blank spelling in
    ``frame``, an indicators or progress table): what :func:`sector_name` is given."""
    if "sector_en" not in frame:
        return {}
    out: dict[str, str] = {}
    for sector, english in zip(frame["sector"], frame["sector_en"], strict=True):
        if _given(english) and str(sector) not in out:
            out[str(sector)] = _given(english)
    return out


def named_sectors(frame: pd.DataFrame, lang: str, names: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its ``sector`` as the report names it (:func:`sector_name`, English
    spellings from ``names``, an indicators table), for charts that label by sector; Chinese
    (or an empty frame) is returned as it is."""
    if lang != "en" or frame.empty or "sector" not in frame:
        return frame
    english = english_sectors(names)
    return frame.assign(sector=frame["sector"].map(lambda s: sector_name(s, lang, english.get(s))))


def sector_label(sector: str, position: int, lang: str = "zh", english: Any = None) -> str:
    """The heading of the ``position``-th sector (1-based): ``一、工业``; English: ``Industry``
    (the data's ``sector_en`` when given: :func:`sector_name`)."""
    if lang == "en":
        return sector_name(sector, lang, english)
    return f"{chinese_ordinal(position)}、{sector}"


def project_names(projects: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The projects with each ``project`` as the report names it: in English its ``name_en``
    when the data gives one, else the Chinese name, and its ``stage`` in English
    (:func:`~helpers.document.narrative.stage_word`) — a copy; ``projects`` is not changed."""
    if lang != "en" or projects.empty:
        return projects
    if "stage" in projects:
        projects = projects.assign(stage=projects["stage"].map(lambda s: stage_word(s, lang)))
    if "name_en" not in projects:
        return projects
    english = projects["name_en"].map(_given)
    return projects.assign(project=english.where(english != "", projects["project"]))


def _unit(unit: Any, lang: str) -> str:
    if is_missing(unit):
        return ""
    return UNIT_EN.get(str(unit), str(unit)) if lang == "en" else str(unit)


def _months(period: Period, lang: str) -> str:
    """1-6月 / Jan–Jun: the months a cumulative figure covers."""
    if lang == "en":
        first, last = pd.Timestamp(2000, 1, 1), pd.Timestamp(2000, period.end_month, 1)
        return f"{last:%b}" if period.end_month == 1 else f"{first:%b}–{last:%b}"
    return "1月" if period.end_month == 1 else f"1-{period.end_month}月"


def _period_short(period: Period | None, lang: str) -> str:
    """上半年 / 一季度 / 期间 (H1 / Q1 / Period): the name of the period target."""
    if period is not None and period.kind == "H" and period.number == 1:
        return "H1" if lang == "en" else "上半年"
    if period is not None and period.kind == "Q":
        return f"Q{period.number}" if lang == "en" else f"{'一二三四'[period.number - 1]}季度"
    return "Period" if lang == "en" else "期间"


# --------------------------------------------------------------------------- layout


@dataclass
class _Layout:
    columns: list[_Col]
    rows: list[_Row]
    period: Period | None
    orgs: list[str]
    notes: list[str]
    lang: str

    @property
    def groups(self) -> bool:
        """Whether the header needs two levels (target and completion grouped as 全年/上半年)."""
        return any(c.group for c in self.columns)


def _table_period(table: pd.DataFrame) -> Period | None:
    periods = sorted({str(p) for p in table.get("period", pd.Series(dtype=object)).dropna()})
    if len(periods) > 1:
        raise UsageError(
            f"一张完成情况表只能有一个期间 (one period per table), got {', '.join(periods)}"
        )
    return parse_period(periods[0]) if periods else None


def _xl_figure(decimals: int, prefix: str = "", suffix: str = "") -> str:
    base = _xl_number(decimals, thousands=True)
    return (f'"{prefix}"' if prefix else "") + base + (f'"{suffix}"' if suffix else "")


def _xl_qualified(decimals: int, qualifier: Any, lang: str) -> str:
    """The number format of a figure the data qualified: ``#,##0"余"``, ``"约"#,##0``
    (English ``"over "#,##0``), so the workbook shows what the data says and keeps the number."""
    q = qualifier if isinstance(qualifier, str) else ""
    if not q:
        return _xl_figure(decimals)
    marked = with_qualifier("\0", q, lang)  # where the number goes
    before, _, after = marked.partition("\0")
    return _xl_figure(decimals, before, after)


def _xl_number(decimals: int, *, thousands: bool) -> str:
    """``#,##0.0`` or ``0.0``: digits as the cell's text groups them (:func:`_num`'s
    ``thousands``, :func:`~helpers.data.numbers.format_signed`'s)."""
    return ("#,##0" if thousands else "0") + ("." + "0" * decimals if decimals > 0 else "")


def _xl_percent(decimals: int) -> str:
    return _xl_number(decimals, thousands=True) + "%"


def _xl_signed(decimals: int, suffix: str = "", mark: str = "", *, thousands: bool = False) -> str:
    body = _xl_number(decimals, thousands=thousands) + suffix
    tail = f'"{mark}"' if mark else ""
    return f'+{body}{tail};"{MINUS}"{body}{tail};{body}{tail}'


def _columns(
    period: Period | None, lang: str, *, many_orgs: bool, with_period: bool, with_rank: bool
) -> list[_Col]:
    en = lang == "en"
    short = _period_short(period, lang)
    months = _months(period, lang) if period is not None else ("Cumulative" if en else "")
    cols: list[_Col] = []
    if many_orgs:
        cols.append(_Col("org", "Org" if en else "乡镇", "text"))
    cols += [
        _Col("name", "Indicator" if en else "指标", "name"),
        _Col("unit", "Unit" if en else "单位", "text"),
    ]
    target_group = ("Target" if en else "目标任务") if with_period else None
    rate_group = ("Completion" if en else "完成率") if with_period else None
    cols.append(
        _Col(
            "annual_target",
            "Annual target" if en else "全年目标",
            group=target_group,
            sub=("Year" if en else "全年") if with_period else None,
        )
    )
    if with_period:
        cols.append(
            _Col(
                "period_target",
                f"{short} target" if en else f"{short}目标",
                group=target_group,
                sub=short,
            )
        )
    cols.append(_Col("actual", months if en else (f"{months}累计" if months else "累计完成")))
    cols.append(
        _Col(
            "completion",
            "Completion" if en else "完成率",
            group=rate_group,
            sub=("of year" if en else "全年") if with_period else None,
        )
    )
    if with_period:
        cols.append(
            _Col(
                "period_completion",
                f"Completion ({short})" if en else f"{short}完成率",
                group=rate_group,
                sub=f"of {short}" if en else short,
            )
        )
    if not year_end(period):  # at the year's end nothing is measured against time elapsed
        cols += [
            _Col("time_progress", "Time progress" if en else "序时进度"),
            _Col("gap", "vs pace" if en else "超（欠）序时", hint="pp" if en else "个百分点"),
        ]
    cols.append(_Col("yoy", "YoY" if en else "同比±"))
    if with_rank:
        cols.append(_Col("rank", "Rank" if en else "位次"))
    cols += [
        _Col("status", "Status" if en else "状态", "status"),
        _Col("remark", "Notes" if en else "备注", "note"),
    ]
    return cols


def _pace(row: dict[str, Any]) -> float | None:
    """The time progress shown beside the gap: only for a row judged against the time elapsed
    (:func:`~helpers.metrics.status.annual_flow`); a stock, a rate, a period target or a cap
    is compared with its target alone, never with time, and shows ``—`` in both columns."""
    if not annual_flow(row) or is_missing(row.get("gap_pp")) or is_missing(row.get("pace")):
        return None
    return float(row["pace"])


def _remark(row: dict[str, Any], lang: str) -> str:
    parts = []
    status = row.get("data_status")
    note = "" if is_missing(row.get("note")) else str(row["note"]).strip()
    if isinstance(status, str) and status in _STATUS_DATA_EN and status not in note:
        parts.append(_STATUS_DATA_EN[status] if lang == "en" else status)
    if note:
        parts.append(note)
    return ("; " if lang == "en" else ";").join(parts)


def _yoy_cell(row: dict[str, Any], lang: str, decimals: int) -> _Cell:
    """同比±: as :func:`~helpers.document.narrative.yoy_text` writes it (growth in %, reported
    growth marked ``*``; a rate's change in points; a small count's change as a count, 减少1起),
    the number kept for the workbook."""
    text = yoy_text(row, decimals, lang)
    yoy = row.get("yoy")
    places = percent_places(row, decimals)
    change = count_change(row)
    if change is not None:  # the workbook keeps the count, formatted as the cell reads
        unit = "" if lang == "en" else str(row.get("unit") or "")
        fmt = (
            '0" more";0" fewer";"unchanged"'
            if lang == "en"
            else f'"增加"0"{unit}";"减少"0"{unit}";"持平"'
        )
        return _Cell(text, change, fmt)
    if row.get("measure") == "rate" and row.get("yoy_source") != "reported":
        change = (
            None
            if is_missing(row.get("prior")) or is_missing(row.get("actual"))
            else row["actual"] - row["prior"]
        )
        points = " pp" if lang == "en" else "个百分点"
        return _Cell(text, _clean(change), _xl_signed(decimals, f'"{points}"'))
    mark = "*" if row.get("yoy_source") == "reported" and not is_missing(yoy) else ""
    return _Cell(text, _clean(yoy), _xl_signed(places, "%", mark))


def _indicator_row(row: dict[str, Any], lang: str, decimals: int, with_rank: bool) -> _Row:
    en = lang == "en"
    d = figure_decimals(
        [row.get("actual"), row.get("annual_target"), row.get("period_target")], row.get("decimals")
    )
    down = row["direction"] == "down"
    name = row["name"]
    if en and isinstance(row.get("name_en"), str) and row["name_en"].strip():
        name = row["name_en"]
    cells: dict[str, _Cell] = {
        "org": _Cell(str(row["org"]), str(row["org"])),
        "name": _Cell(str(name), str(name)),
        "unit": _Cell(_unit(row.get("unit"), lang), _unit(row.get("unit"), lang)),
    }
    cap = ("cap " if en else "控制数") if down else ""
    for key in ("annual_target", "period_target"):
        value = row.get(key)
        prefix = cap if not is_missing(value) else ""
        cells[key] = _Cell(prefix + _num(value, d), _clean(value), _xl_figure(d, prefix))
    actual, qualifier = row.get("actual"), row.get("qualifier")
    shown = (
        _num(actual, d) if is_missing(actual) else with_qualifier(_num(actual, d), qualifier, lang)
    )
    cells["actual"] = _Cell(shown, _clean(actual), _xl_qualified(d, qualifier, lang))
    places = percent_places(row, decimals)  # whole percentages on small counts
    for key in ("completion", "period_completion"):
        # a rate's ratio to its target (96.8 ÷ 95) means nothing: its status says it
        value = None if down or row.get("measure") == "rate" else row.get(key)
        cells[key] = _Cell(_num(value, places, percent=True), _clean(value), _xl_percent(places))
    pace = _pace(row)
    cells["time_progress"] = _Cell(
        _num(pace, decimals, percent=True), _clean(pace), _xl_percent(decimals)
    )
    gap = None if pace is None else row.get("gap_pp")
    cells["gap"] = _Cell(
        _num(gap, places, signed=True), _clean(gap), _xl_signed(places, thousands=True)
    )
    cells["yoy"] = _yoy_cell(row, lang, decimals)
    if with_rank:
        rank = row.get("rank")
        if (
            rank is None or is_missing(rank) or is_missing(row.get("ranked")) or row["ranked"] <= 1
        ):  # 1 of 1 is no rank
            cells["rank"] = _Cell("-", "-")
        else:
            tied = bool(row.get("rank_tied"))
            word = tie_word(lang) if tied else ""
            cells["rank"] = _Cell(
                rank_text(rank, tied, lang), int(rank), f'"{word}"0' if word else "0"
            )
    label = status_label(row["status"], lang)
    cells["status"] = _Cell(label, label)
    remark = _remark(row, lang)
    cells["remark"] = _Cell(remark, remark)
    return _Row("indicator", status=row["status"], cells=cells)


def _notes(table: pd.DataFrame, period: Period | None, lang: str, with_period: bool) -> list[str]:
    """The lines under the table: how the columns are computed, what the marks mean."""
    en = lang == "en"
    if table.empty:
        return []
    p = f"{period.end_month}/12" if period is not None else "months/12"
    if year_end(period):  # the whole year: completion of the annual task, no time elapsed
        lines = [
            "Completion = full-year figure ÷ annual target."
            if en
            else "注：完成率 = 1-12月累计完成 ÷ 全年目标。"
        ]
    else:
        lines = [
            f"Completion = cumulative figure ÷ annual target"
            f"{' (or period target)' if with_period else ''}; time progress = {p}; "
            "vs pace in percentage points (growth indicators only)."
            if en
            else f"注：完成率 = 累计完成 ÷ 全年目标{'（或期间目标）' if with_period else ''}；"
            f"序时进度 = {p}；超（欠）序时以个百分点计，只列按序时进度考核的指标。"
        ]
    if (table.get("status") == StatusKey.BELOW_TARGET).any() and not year_end(period):
        lines.append(
            "Below target: stocks, rates and period targets are judged against their target "
            "alone, not time progress."
            if en
            else "未达目标：存量、比率类指标和期间目标只与目标比较，不比序时进度。"
        )
    if (table.get("direction") == "down").any():
        lines.append(
            "Caps: smaller is better; the target is a ceiling."
            if en
            else "控制数：越小越好，目标为上限。"
        )
    if (table.get("yoy_source") == "reported").any():
        lines.append(
            "* Year-on-year growth as reported (e.g. at comparable prices)."
            if en
            else "* 同比为上报数（如按可比价计算）。"
        )
    if table.get("data_status", pd.Series(dtype=object)).isin(list(_STATUS_DATA_EN)).any():
        lines.append(
            "Figures marked estimate/preliminary are not final."
            if en
            else "备注标“预计”“快报”的为预计数、快报数。"
        )
    return lines


def progress_layout(table: pd.DataFrame, lang: str = "zh", decimals: int = 1) -> _Layout:
    if lang not in ("zh", "en"):
        raise UsageError(f"lang 只能是 zh 或 en (lang must be zh or en), got {lang!r}")
    period = _table_period(table)
    orgs = list(dict.fromkeys(table["org"])) if "org" in table else []
    with_period = bool(table.get("period_target", pd.Series(dtype=float)).notna().any())
    ranked = table.get("ranked", pd.Series(dtype=float))
    with_rank = DISTRICT not in orgs and bool(len(ranked)) and float(ranked.max()) > 1
    columns = _columns(
        period, lang, many_orgs=len(orgs) > 1, with_period=with_period, with_rank=with_rank
    )
    records = table.to_dict("records")
    position = {o: i for i, o in enumerate(orgs)}
    first: dict[str, int] = {}
    for r in records:
        first[r["sector"]] = min(first.get(r["sector"], r["order"]), r["order"])
    records.sort(key=lambda r: (first[r["sector"]], r["sector"], r["order"], position[r["org"]]))
    rows: list[_Row] = []
    sector: str | None = None
    for r in records:
        if r["sector"] != sector:
            sector = r["sector"]
            n_sector = sum(row.kind == "sector" for row in rows) + 1
            label = sector_label(sector, n_sector, lang, r.get("sector_en"))
            rows.append(_Row("sector", label=label))
        rows.append(_indicator_row(r, lang, decimals, with_rank))
    return _Layout(columns, rows, period, orgs, _notes(table, period, lang, with_period), lang)


# --------------------------------------------------------------------------- frame and caption


def progress_frame(table: pd.DataFrame, *, lang: str = "zh", decimals: int = 1) -> pd.DataFrame:
    """主要经济指标完成情况表 as display strings, one row per sector heading and indicator.

    ``table`` is :func:`helpers.metrics.progress.progress_table` (one period; one org, or several: then
    an 乡镇 column is added). ``decimals`` is for percentages and points; figures follow
    :func:`figure_decimals`. ``frame.attrs`` carries ``row_kinds`` ("sector"/"indicator") and
    ``status`` (status keys, None on sector rows) for styling.
    """
    layout = progress_layout(table, lang, decimals)
    data = []
    for row in layout.rows:
        if row.kind == "sector":  # the heading sits in the 指标 column
            data.append({c.label: row.label if c.key == "name" else "" for c in layout.columns})
        else:
            data.append({c.label: row.cells[c.key].text for c in layout.columns})
    frame = pd.DataFrame(data, columns=[c.label for c in layout.columns], dtype=object)
    frame.attrs["row_kinds"] = [r.kind for r in layout.rows]
    frame.attrs["status"] = [r.status for r in layout.rows]
    return frame


def org_display(table: pd.DataFrame, lang: str, org_name: str | None = None) -> str:
    """Who the table is about: the given name, the one org, 全区 (district) or 各乡镇 (several)."""
    if org_name is not None:
        return org_name
    orgs = list(dict.fromkeys(table["org"])) if "org" in table else []
    en = lang == "en"
    if len(orgs) == 1:
        return ("District" if en else "全区") if orgs[0] == DISTRICT else str(orgs[0])
    return "All townships" if en else "各乡镇"


def progress_caption(table: pd.DataFrame, *, lang: str = "zh", org_name: str | None = None) -> str:
    """XX镇2013年1-6月主要经济指标完成情况表 (the org, or 各乡镇 for several; 全区 for the district)."""
    period = _table_period(table)
    en = lang == "en"
    org_name = org_display(table, lang, org_name)
    if en:
        when = f", {_months(period, 'en')} {period.year}" if period is not None else ""
        return f"{org_name}: main economic indicators{when}"
    when = (
        ""
        if period is None
        else (
            f"{period.year}年" if period.kind == "Y" else f"{period.year}年{_months(period, 'zh')}"
        )
    )
    return f"{org_name}{when}主要经济指标完成情况表"


# --------------------------------------------------------------------------- HTML


def _css() -> str:
    status = "".join(
        f".kpi-table td.kpi-status-{k}{{background:{STATUS_TINTS[k]};"
        f"box-shadow:inset 4px 0 0 {STATUS_COLORS[k]}}}"
        for k in STATUS_COLORS
    )
    return (
        ".kpi-wrap{overflow-x:auto;max-width:100%;margin:.5em 0 1em}"
        ".kpi-table{border-collapse:collapse;font-size:13px;line-height:1.35;color:#222}"
        ".kpi-table caption{font-weight:bold;font-size:15px;padding:.3em 0 .5em;text-align:center}"
        ".kpi-table th,.kpi-table td{border:1px solid #b8b8b8;padding:3px 6px;vertical-align:middle}"
        ".kpi-table thead th{background:#f0f0f0;text-align:center;font-weight:bold;white-space:nowrap}"
        ".kpi-table thead small{display:block;font-weight:normal;color:#666}"
        ".kpi-table tr.kpi-sector th{background:#f7f7f7;text-align:left;font-weight:bold}"
        ".kpi-table th.kpi-name{text-align:left;font-weight:normal}"
        ".kpi-table td.kpi-num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
        ".kpi-table td.kpi-text{text-align:center;white-space:nowrap}"
        ".kpi-table td.kpi-status{white-space:nowrap;padding-left:9px}"
        ".kpi-table td.kpi-note{font-size:12px;color:#666;min-width:8em}"
        ".kpi-foot{font-size:12px;color:#666;margin:2px 0}"
        ".kpi-table th.kpi-name{min-width:7em}"
        ".kpi-table tr{break-inside:avoid;page-break-inside:avoid}"
        "@media print{.kpi-wrap{overflow:visible}.kpi-table{width:100%;font-size:8pt;line-height:1.25}"
        ".kpi-table caption{font-size:11pt}.kpi-table th,.kpi-table td{padding:1px 3px}"
        ".kpi-table thead th{white-space:normal}.kpi-table td.kpi-note{font-size:7.5pt;min-width:9em}"
        ".kpi-foot{font-size:7.5pt}}" + status
    )


#: The tables' stylesheet (also emitted by the ``*_html`` functions unless ``css=False``).
TABLE_CSS = _css()


def _header_html(layout: Table) -> str:
    def head(c: _Col, text: str, **attrs: Any) -> str:
        extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
        hint = f"<small>{escape(c.hint)}</small>" if c.hint else ""
        return f'<th scope="col"{extra}>{escape(text)}{hint}</th>'

    if not layout.groups:
        return "<tr>" + "".join(head(c, c.label) for c in layout.columns) + "</tr>"
    top, bottom, i = [], [], 0
    cols = layout.columns
    while i < len(cols):
        c = cols[i]
        if c.group:
            span = 1
            while i + span < len(cols) and cols[i + span].group == c.group:
                span += 1
            top.append(f'<th scope="colgroup" colspan="{span}">{escape(c.group)}</th>')
            bottom += [head(m, m.sub or m.label) for m in cols[i : i + span]]
            i += span
        else:
            top.append(head(c, c.label, rowspan=2))
            i += 1
    return "<tr>" + "".join(top) + "</tr><tr>" + "".join(bottom) + "</tr>"


def _cell_html(col: _Col, cell: _Cell, status: str | None) -> str:
    text = escape(cell.text)
    if col.kind == "name":
        return f'<th scope="row" class="kpi-name">{text}</th>'
    if col.kind == "status":
        return (
            f'<td class="kpi-status kpi-status-{escape(status or StatusKey.NO_DATA)}">{text}</td>'
        )
    css = {"num": "kpi-num", "text": "kpi-text", "note": "kpi-note"}[col.kind]
    return f'<td class="{css}">{text}</td>'


def _wrap(body: str, caption: str, lang: str, css: bool, extra_class: str, foot: str = "") -> str:
    style = f"<style>{TABLE_CSS}</style>" if css else ""
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return (
        f'{style}<div class="kpi-wrap" lang="{"en" if lang == "en" else "zh-CN"}">'
        f'<table class="kpi-table {extra_class}">{cap}{body}</table>{foot}</div>'
    )


def progress_model(
    table: pd.DataFrame,
    *,
    lang: str = "zh",
    caption: str | None = None,
    org_name: str | None = None,
    decimals: int = 1,
) -> Table:
    """The 完成情况表 as a document table (what every format renders).

    ``caption=None`` gives :func:`progress_caption` (naming ``org_name`` when given);
    ``""`` leaves the caption out. The notes go under the table.
    """
    layout = progress_layout(table, lang, decimals)
    if caption is None:
        caption = progress_caption(table, lang=lang, org_name=org_name)
    return Table(layout.columns, layout.rows, caption, layout.notes, lang, "progress")


def progress_html(
    table: pd.DataFrame,
    *,
    lang: str = "zh",
    caption: str | None = None,
    org_name: str | None = None,
    decimals: int = 1,
    css: bool = True,
) -> str:
    """The 完成情况表 as one escaped HTML ``<table>`` (with ``TABLE_CSS`` unless ``css=False``)."""
    model = progress_model(table, lang=lang, caption=caption, org_name=org_name, decimals=decimals)
    return table_html(model, css=css)


def table_html(table: Table, *, css: bool = True) -> str:
    """A document table as one escaped HTML ``<table>``: a one- or two-level header, sector
    rows spanning the table (each starting a ``<tbody>``), the notes under it as ``p.kpi-foot``."""
    n = len(table.columns)
    parts = [f"<thead>{_header_html(table)}</thead>"]
    body: list[str] = []
    for row in table.rows:
        if row.kind == "sector":
            if body:
                parts.append("<tbody>" + "".join(body) + "</tbody>")
            body = [
                f'<tr class="kpi-sector"><th scope="rowgroup" colspan="{n}">'
                f"{escape(row.label)}</th></tr>"
            ]
        else:
            cells = "".join(_cell_html(c, row.cells[c.key], row.status) for c in table.columns)
            body.append("<tr>" + cells + "</tr>")
    if body:
        parts.append("<tbody>" + "".join(body) + "</tbody>")
    # notes go under the table, not in a <tfoot>: a full-width cell of long text would
    # widen the columns it spans when the table is laid out for print
    foot = "".join(f'<p class="kpi-foot">{escape(t)}</p>' for t in table.notes)
    return _wrap("".join(parts), table.caption, table.lang, css, f"kpi-{table.role}", foot)


# --------------------------------------------------------------------------- key projects


def _project_columns(projects: pd.DataFrame, lang: str) -> list[_Col]:
    en = lang == "en"
    money = "10k yuan" if en else "万元"
    cols = [
        _Col("project", "Project" if en else "项目", "name"),
        _Col("total_investment", "Total investment" if en else "总投资", hint=money),
        _Col("year_plan", "Year plan" if en else "年度计划", hint=money),
        _Col("year_done", "Invested this year" if en else "已完成投资", hint=money),
        _Col("stage", "Stage" if en else "阶段", "text"),
        _Col("percent_complete", "Physical progress" if en else "形象进度"),
        _Col("note", "Progress" if en else "进展情况", "note"),
    ]
    if "org" in projects and projects["org"].nunique() > 1:
        cols.insert(0, _Col("org", "Org" if en else "乡镇", "text"))
    return cols


def _project_text(key: str, kind: str, value: Any) -> str:
    if key == "percent_complete":
        return NONE if is_missing(value) else _num(value, min(figure_decimals([value]), 1)) + "%"
    if kind == "num":
        return _num(value, figure_decimals([value]))
    return "" if is_missing(value) else str(value)


def projects_frame(projects: pd.DataFrame, *, lang: str = "zh") -> pd.DataFrame:
    """重点项目 as display strings: 项目, 总投资, 年度计划, 已完成投资 (万元), 阶段, 形象进度, 进展情况.

    ``projects`` is ``Dataset.projects`` filtered to the org(s) and period, in display order;
    an 乡镇 column is added when it holds several orgs.
    """
    projects = project_names(projects, lang)
    cols = _project_columns(projects, lang)
    rows = [
        [_project_text(c.key, c.kind, rec.get(c.key)) for c in cols]
        for rec in projects.to_dict("records")
    ]
    return pd.DataFrame(rows, columns=[c.label for c in cols], dtype=object)


def projects_model(
    projects: pd.DataFrame, *, lang: str = "zh", caption: str | None = None
) -> Table:
    """重点项目 as a document table (same columns as :func:`projects_frame`)."""
    projects = project_names(projects, lang)
    cols = _project_columns(projects, lang)
    if caption is None:
        caption = "Key projects" if lang == "en" else "重点项目推进情况"
    rows = [
        _Row(
            "project",
            cells={c.key: _Cell(_project_text(c.key, c.kind, rec.get(c.key))) for c in cols},
        )
        for rec in projects.to_dict("records")
    ]
    return Table(cols, rows, caption, [], lang, "projects")


def projects_html(
    projects: pd.DataFrame, *, lang: str = "zh", caption: str | None = None, css: bool = True
) -> str:
    """重点项目 as one escaped HTML ``<table>`` (same classes and stylesheet as the 完成情况表)."""
    return table_html(projects_model(projects, lang=lang, caption=caption), css=css)
