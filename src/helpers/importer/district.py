"""District sheets: one row per township, each indicator a group of columns.

A county or district office circulates the figures of all its townships as one table: a
乡镇 column, then per indicator a merged group header (``规上工业增加值(亿元)``) over
``目标 | 完成 | 完成率 | 位次`` (or ``全年目标 | 1-6月 | 同比``), often a 全区/合计 row; or one
indicator per sheet, named in the title (``各乡镇2016年1-6月固定资产投资完成情况``) over a
one-level ``乡镇 | 全年目标 | 1-6月累计 | 同比% | 位次`` header. :func:`find_district_layout`
finds that layout, :func:`import_district` reads it into the same tidy tables as a
township's sheet; the total row is checked against the townships' sum, not imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..data.periods import Period, parse_period
from ..data.units import conversion_factor, normalise_unit
from ..errors import DataError, PeriodError, Problem, UsageError
from .cells import Cell, clean_text, invisible_note, is_known_unit, unit_in_text
from .ids import display_name, indicator_id
from .layout import (
    _VALUE_ROLES,
    ORG_HEADER,
    Column,
    Layout,
    _classify_one,
    _read_rows_above,
    blank_row,
    looks_like_org,
    normalise_org,
    period_in_text,
)
from .orgs import is_subtotal_label, is_total_label, same_org
from .sheets import Grid, cell_text, column_letter, is_number
from .tidy import (
    _FOOTNOTE,
    DEFAULT_SECTOR,
    GROWTH_ROLES,
    ImportErrors,
    ImportResult,
    _Context,
    _direction,
    _frame,
    _percent_cells,
    _plausible,
    growth_fractions,
    last_year_in_percent,
    list_amounts,
    read_cell,
    zero_target_direction,
)

__all__ = [
    "DistrictLayout",
    "Group",
    "find_district_layout",
    "import_district",
    "is_total",
    "names_are_orgs",
]

_TITLE_NOISE = re.compile(
    r"(?:主要经济指标|主要指标|完成情况一览表|完成情况统计表|完成情况表|完成情况|情况表|统计表|一览表|"
    r"进度表|排名表|汇总表|排名|进度|情况|统计|汇总)$"
)


@dataclass(frozen=True)
class Group:
    """One indicator's columns: its name, unit and the role of each column."""

    name: str  # as written over the group (规上工业增加值(亿元))
    unit: str | None
    columns: list[Column]


@dataclass
class DistrictLayout:
    """Where a district table is: header rows, the 乡镇 column and the indicator groups."""

    header_rows: list[int]
    first_data: int
    org_column: int
    groups: list[Group]
    layout: Layout  # the rows above the header: title, 单位 row
    notes: list[str] = field(default_factory=list)


def is_total(name: str, parent: str | None = None) -> bool:
    """A 全区 / 合计 row (:func:`is_total_label`) or the district's own name: the district's
    figures, not an org's."""
    t = clean_text(name)
    return is_total_label(t) or (parent is not None and t == clean_text(parent))


def names_are_orgs(grid: Grid, column: int, first: int, limit: int = 60) -> bool:
    """Whether the column's cells from row ``first`` are township names (太源镇, 城关街道 …),
    most of them: a district sheet headed 名称 or 项目, not indicators."""
    seen = orgs = 0
    for i in range(first, min(len(grid.rows), first + limit)):
        text = cell_text(grid.cell(i, column))
        if not text or is_total_label(text) or _FOOTNOTE.match(text):
            continue
        if not any(
            is_number(v) or (isinstance(v, str) and re.search(r"\d", v)) for v in grid.rows[i]
        ):
            continue  # a heading or a note, not a row of figures
        seen += 1
        orgs += looks_like_org(text)
    return seen >= 2 and orgs * 3 >= seen * 2


def _role(leaf: str) -> tuple[str, str]:
    role, why = _classify_one(leaf)
    if role == "name":  # 名称 under an indicator: not a value
        return "ignored", why
    return role, why


def find_district_layout(grid: Grid, limit: int = 30) -> DistrictLayout | None:
    """The district layout of ``grid`` (a 乡镇 column and indicator groups), or ``None``."""
    for top in range(min(len(grid.rows), limit)):
        row = grid.rows[top]
        if any(is_number(v) for v in row):
            continue
        texts = [cell_text(v) for v in row] + [""] * (grid.width - len(row))
        org_col = next(
            (
                j
                for j, t in enumerate(texts)
                if t
                and ORG_HEADER.match(t)
                and (t != "单位" or names_are_orgs(grid, j, top + 1))  # 单位 is also a unit
            ),
            None,
        )
        if org_col is None:  # 名称 / 项目 over 太源镇, 柳林乡 …: a column of orgs all the same
            org_col = next(
                (
                    j
                    for j, t in enumerate(texts)
                    if t and _classify_one(t)[0] == "name" and names_are_orgs(grid, j, top + 1)
                ),
                None,
            )
        if org_col is None:
            continue
        found = _groups(grid, top, org_col, texts)
        if found is None:
            continue
        header_rows, groups, notes = found
        above = Layout(header_rows, header_rows[-1] + 1, [])
        _read_rows_above(grid, top, above)
        if len(groups) == 1 and not groups[0].name:
            name = _indicator_from_title(above, grid)
            if not name:
                continue
            unit = unit_in_text(name, percent=True)
            groups = [Group(name, unit, groups[0].columns)]
        return DistrictLayout(header_rows, header_rows[-1] + 1, org_col, groups, above, notes)
    return None


def _groups(
    grid: Grid, top: int, org_col: int, tops: list[str]
) -> tuple[list[int], list[Group], list[str]] | None:
    """Indicator groups under a two-level header, or one group under a one-level header."""
    notes: list[str] = []
    below = top + 1
    subs = [""] * grid.width
    if below < len(grid.rows) and not any(is_number(v) for v in grid.rows[below]):
        subs = [cell_text(v) for v in grid.rows[below]] + [""] * (
            grid.width - len(grid.rows[below])
        )
    units_row = [subs[j] for j in range(org_col + 1, grid.width) if subs[j] and subs[j] != tops[j]]
    if units_row and all(is_known_unit(u) for u in units_row) and below + 1 < len(grid.rows):
        # names / units / leaves: 地区生产总值 over 亿元 over 全年目标 | 1-6月
        tops = [
            f"{t}({subs[j]})" if t and subs[j] and subs[j] != t and j > org_col else t
            for j, t in enumerate(tops)
        ]
        notes.append(
            f"第{grid.row_numbers[below]}行是各指标的单位 (a row of units under the names)"
        )
        found = _groups(grid, below, org_col, tops)
        if found is None:
            return None
        sub_rows, sub_groups, more = found
        return [top, *sub_rows], sub_groups, notes + more
    leaf_roles = [
        _role(subs[j])[0] if subs[j] and subs[j] != tops[j] else None for j in range(grid.width)
    ]
    two_level = sum(r in _VALUE_ROLES for r in leaf_roles[org_col + 1 :] if r) >= 1 and any(
        tops[j] and _role(tops[j])[0] not in _VALUE_ROLES for j in range(org_col + 1, grid.width)
    )
    if two_level:
        filled = list(tops)
        for j in range(org_col + 1, grid.width):  # a CSV loses merges: the name over its first
            if not filled[j] and subs[j] and filled[j - 1] and (top, j) not in grid.merged:
                filled[j] = filled[j - 1]
                notes.append(
                    f"表头「{filled[j]}」向右覆盖 {column_letter(j)} 列 "
                    f"(group header also covers column {column_letter(j)})"
                )
        groups: list[Group] = []
        j = org_col + 1
        while j < grid.width:
            name = filled[j]
            if not name:
                j += 1
                continue
            k = j
            cols: list[Column] = []
            while k < grid.width and filled[k] == name:
                leaf = subs[k]
                role, why = _role(leaf) if leaf and leaf != name else ("ignored", "没有子表头")
                if k in grid.hidden_columns and role != "ignored":
                    role, why = "ignored", "隐藏列,未导入 (a hidden column, not imported)"
                year, month, _ = period_in_text(leaf)
                cols.append(
                    Column(k, f"{name}/{leaf}", role, why, year, month, unit_in_text(leaf), False)
                )
                k += 1
            if any(c.role in _VALUE_ROLES for c in cols):
                groups.append(Group(name, unit_in_text(name, percent=True), cols))
            j = k
        return ([top, below], groups, notes) if groups else None
    cols = []
    for j in range(org_col + 1, grid.width):
        if not tops[j]:
            continue
        role, why = _role(tops[j])
        if j in grid.hidden_columns and role != "ignored":
            role, why = "ignored", "隐藏列,未导入 (a hidden column, not imported)"
        year, month, _ = period_in_text(tops[j])
        cols.append(Column(j, tops[j], role, why, year, month, unit_in_text(tops[j]), False))
    if not any(c.role in ("target", "actual") for c in cols):
        return None
    return [top], [Group("", None, cols)], notes


_MANY = (
    r"(?:各乡镇街道|各乡镇(?:[(（](?:街道|街道、园区|街道办|办事处|园区)[)）])?|各镇街|各街镇|"
    r"各镇(?:[(（]街道[)）])?|各街道|各乡|各单位|乡镇(?:[(（]街道[)）])?)"
)
_PERIOD_ANYWHERE = re.compile(
    r"(?:截至|截止到?)?(?:19|20)\d{2}年(?:度)?|(?:19|20)\d{2}[-.]\d{1,2}月?|"
    r"1[-—–~至]\d{1,2}月份?(?:底)?|\d{1,2}月份?底|上半年|下半年|前三季度|第?[一二三四]季度|全年"
)
_PLACE_FIRST = re.compile(
    r"^([\u4e00-\u9fffA-Za-z]{1,10}?(?:示范区|开发区|新区|园区|区|县|市|旗))"
    rf"(?=(?:19|20)\d{{2}}年|上半年|前三季度|第?一季度|1[-—–~至]\d|{_MANY})"
)


def _strip_title(text: str) -> tuple[str, str | None]:
    """(the title without issuer, place and period words, the unit it names in brackets)."""
    t = clean_text(text)
    unit: str | None = None
    m = re.search(r"[(（][^()（）]*[)）]$", t)
    while m:  # …完成情况表(2016年1-6月) / (单位:万元): a trailing bracket is not the name's
        inner = m.group(0)
        unit = unit or unit_in_text(inner, percent=True)
        t = t[: m.start()]
        m = re.search(r"[(（][^()（）]*[)）]$", t)
    t = re.sub(r"^.*关于(?:印发|转发|下发|公布|通报)?", "", t)
    t = re.sub(r"[《》「」『』“”\"]", "", t)
    t = re.sub(r"(?:的)?(?:通报|通知|报告)$", "", t)
    t = _PLACE_FIRST.sub("", t)
    t = _PERIOD_ANYWHERE.sub("", t)
    t = re.sub(rf"^.*?{_MANY}", "", t)
    return t, unit


def _indicator_from_title(layout: Layout, grid: Grid) -> str:
    """The indicator a one-indicator sheet is about: its title without the issuer, the place,
    the period, 各乡镇 and 完成情况/情况表/统计表; a unit the title gives in brackets is kept
    as the name's (``(万元)``)."""
    title = layout.title.text if layout.title else ""
    t, unit = _strip_title(title)
    before = None
    while before != t:
        before = t
        t = _TITLE_NOISE.sub("", t).strip("的:：、 ")
        t = re.sub(r"(?:任务|目标任务|工作|完成)$", "", t) if len(t) > 4 else t
    if t and not re.search(r"[\u4e00-\u9fff]", t):
        t = ""
    if t:
        return f"{t}({unit})" if unit and not unit_in_text(t, percent=True) else t
    sheet = clean_text(grid.sheet or "")
    return "" if re.fullmatch(r"(?i)sheet\d*|工作表\d*|\d+", sheet) else sheet


def _parent(layout: Layout) -> str | None:
    """The district a title names before 各乡镇 or the period (``XX区各乡镇…`` → ``XX区``)."""
    title = clean_text(layout.title.text) if layout.title else ""
    title = re.sub(r"^.*关于(?:印发|转发|下发|公布|通报)?", "", title)
    title = re.sub(r"^(?:截至|截止到?)?(?:19|20)\d{2}年(?:度)?", "", title)
    title = re.sub(r"^(?:1[-—–~至]\d{1,2}月份?|上半年|前三季度|第?一季度|全年)", "", title)
    m = _PLACE_FIRST.match(title) or re.match(
        rf"^(.+?(?:区|县|市|旗))(?:各|所属|辖区|{_MANY}|\d{{4}}年)", title
    )
    return normalise_org(m.group(1)) if m else None


def import_district(
    grid: Grid,
    dl: DistrictLayout,
    *,
    period: str | None = None,
    parent: str | None = None,
    inferences: list[str] | None = None,
    confirmed: set[str] | None = None,
) -> ImportResult:
    """A district sheet's figures for every township, as one :class:`ImportResult`."""
    inferences = [] if inferences is None else inferences
    problems: list[Problem] = []
    rows = [grid.row_numbers[i] for i in dl.header_rows]
    inferences.append(
        f"区县汇总表:每行一个乡镇,乡镇在 {column_letter(dl.org_column)} 列,表头第"
        f"{'-'.join(map(str, rows))}行 (a district sheet: one row per township)"
    )
    inferences.extend(dl.notes)
    the_period = _district_period(grid, dl, period, inferences, problems)
    the_parent = parent or _parent(dl.layout)
    if the_parent:
        how = "来自参数 / from --org" if parent else "来自标题 / from the title"
        inferences.append(f"所属区县: {the_parent} ({how})")
    units: dict[int, str] = {}
    for g_index, group in enumerate(dl.groups):
        unit = group.unit or next((c.unit for c in group.columns if c.unit), None)
        source = "表头 (header)"
        if unit is None and dl.layout.table_unit:
            unit, source = dl.layout.table_unit, f"单位行第{dl.layout.table_unit_row}行 (单位 row)"
        roles = ", ".join(
            f"{c.letter}={c.role}" + (f"({c.why.split(' (')[0]})" if c.role == "ignored" else "")
            for c in group.columns
        )
        if unit is None:
            problems.append(
                Problem(
                    "不知道单位:请在指标名后写单位,如「规上工业增加值(亿元)」 "
                    "(no unit: write it after the indicator's name)",
                    file=grid.file,
                    sheet=grid.sheet,
                    row=rows[0],
                    column=group.columns[0].letter,
                    value=group.name,
                )
            )
            continue
        units[g_index] = normalise_unit(unit)
        inferences.append(
            f"指标「{display_name(group.name)}」→ {indicator_id(group.name)},单位 {unit} "
            f"({source}),列 {roles}"
        )
        for role in ("target", "actual", "yoy", "last_actual", "change"):
            cols = [c for c in group.columns if c.role == role]
            if len(cols) > 1:
                problems.append(
                    Problem(
                        f"指标「{group.name}」有多列都像 {role},请在映射文件中把不用的列设为 "
                        f"ignored (several {role} columns: set the unused ones to ignored in "
                        f"the mapping)",
                        file=grid.file,
                        sheet=grid.sheet,
                        row=rows[0],
                        column="、".join(c.letter for c in cols),
                    )
                )
    data_rows = range(dl.first_data, len(grid.rows))
    for g_index, group in enumerate(dl.groups):
        is_rate = _always if units.get(g_index) == "%" else _never
        columns = last_year_in_percent(
            grid, group.columns, data_rows, is_rate, set(confirmed or ()), inferences, problems
        )
        growth_fractions(grid, columns, data_rows, problems)
        dl.groups[g_index] = Group(group.name, group.unit, columns)
    if problems or the_period is None:
        raise ImportErrors(problems, grid.file, inferences)
    ctx = _Context(
        grid,
        dl.layout,
        the_parent or "全区",
        the_period,
        {},
        False,
        inferences,
        problems,
        confirmed=set(confirmed or ()),
    )
    indicators = {}
    for g_index, group in enumerate(dl.groups):
        if g_index not in units:
            continue
        ind = indicator_id(group.name)
        name = display_name(group.name)
        if note := invisible_note(group.name, f"第{g_index + 1}组指标"):
            inferences.append(note)
        for c in group.columns:
            if c.role == "target":
                ctx.target_periods[c.index] = _target_period(c, the_period)
        indicators[g_index] = {
            "indicator": ind,
            "name": name,
            "sector": DEFAULT_SECTOR,
            "unit": units[g_index],
            "direction": _direction(name, None),
            "measure": "rate" if units[g_index] == "%" else "cumulative",
        }
    totals: dict[tuple[int, int], dict[str, float]] = {}  # (group, row) → figures
    sums: dict[int, dict[str, float]] = {}
    orgs: dict[str, int] = {}
    skipped: list[str] = []
    for i in range(dl.first_data, len(grid.rows)):
        row = grid.rows[i]
        if blank_row(row):
            continue
        rownum = grid.row_numbers[i]
        first = next((cell_text(v) for v in row if cell_text(v)), "")
        if _FOOTNOTE.match(first):
            inferences.append(f"第{rownum}行是表下说明 (a footnote): {first[:30]}")
            continue
        raw_org = cell_text(grid.cell(i, dl.org_column))
        if i in grid.hidden_rows:
            inferences.append(
                f"第{rownum}行是隐藏行,未导入 (a hidden row, not imported): {raw_org}"
            )
            continue
        if not raw_org:
            ctx.problem(i, None, None, "有数字但没有乡镇名称 (figures without an org)")
            continue
        total = is_total(raw_org, the_parent)
        if total and is_subtotal_label(raw_org):
            skipped.append(f"第{rownum}行「{raw_org}」")
            inferences.append(
                f"第{rownum}行「{raw_org}」是小计行,不是乡镇,已跳过 (a subtotal row: not an org, "
                f"skipped)"
            )
            continue
        org = normalise_org(raw_org)
        if not org and not total:
            ctx.problem(
                i,
                Column(dl.org_column, "乡镇", "org"),
                raw_org,
                "乡镇名称只有标点或日期，不是乡镇名 (the org cell holds no name: only "
                "punctuation or a date)",
            )
            continue
        twin = next((o for o in orgs if same_org(o, org)), None) if not total else None
        if twin is not None:
            ctx.problem(
                i,
                None,
                raw_org,
                f"乡镇重复,与第{orgs[twin]}行「{twin}」是同一乡镇 (the same org as row "
                f"{orgs[twin]})",
            )
            continue
        if not total:
            orgs[org] = rownum
            if note := invisible_note(grid.cell(i, dl.org_column), f"第{rownum}行乡镇"):
                inferences.append(note)
            if org != raw_org:
                inferences.append(f"第{rownum}行乡镇「{raw_org}」→ {org} (name normalised)")
        for g_index, info in indicators.items():
            figures = _district_cells(ctx, i, dl.groups[g_index], info, org, total)
            for role, value in figures.items():
                if total:  # each total row on its own (合计 and 共计 are not added up)
                    totals.setdefault((g_index, rownum), {})[role] = value
                else:
                    bucket = sums.setdefault(g_index, {})
                    bucket[role] = bucket.get(role, 0.0) + value
        if total:
            skipped.append(f"第{rownum}行「{raw_org}」")
            inferences.append(
                f"第{rownum}行「{raw_org}」是合计行,不作为乡镇导入,只与各乡镇之和核对 "
                f"(a total row: checked against the sum, not imported)"
            )
    _check_totals(ctx, indicators, totals, sums)
    list_amounts(ctx)
    if ctx.problems:
        raise ImportErrors(ctx.problems, grid.file, inferences)
    shown = (
        f";跳过合计/小计行 {len(skipped)} 行 (total rows skipped): {'、'.join(skipped)}"
        if skipped
        else ""
    )
    inferences.append(
        f"共 {len(orgs)} 个乡镇、{len(indicators)} 个指标、{len(ctx.targets)} 个目标、"
        f"{len(ctx.actuals)} 个完成数 (orgs, indicators, targets, actuals){shown}"
    )
    return ImportResult(
        org=the_parent or "全区",
        period=str(the_period),
        file=grid.file,
        sheet=grid.sheet,
        indicators=_frame("indicators", list(indicators.values())),
        targets=_frame("targets", ctx.targets),
        actuals=_frame("actuals", ctx.actuals),
        inferences=inferences,
        origins=ctx.origins,
        parent=the_parent,
        trusted=ctx.trusted,
    )


def _always(i: int) -> bool:
    return True


def _never(i: int) -> bool:
    return False


def _target_period(c: Column, period: Period) -> Period:
    if c.end_month in (None, 12):
        return period.year_period
    if c.end_month == period.end_month:
        return period
    from .layout import period_for_months

    return period_for_months(period.year, c.end_month)


def _district_cells(
    ctx: _Context, i: int, group: Group, info: dict[str, Any], org: str, total: bool
) -> dict[str, float]:
    """Read one township's cells of one indicator into ``ctx``; the figures by role."""
    grid, unit, ind = ctx.grid, info["unit"], info["indicator"]
    cells: dict[int, Cell | None] = {}
    for c in group.columns:
        if c.role in _VALUE_ROLES:
            cells[c.index] = read_cell(ctx, i, c, rate=unit == "%")
    if unit == "%":
        cells = _percent_cells(ctx, i, cells, group.columns)
    figures: dict[str, float] = {}
    converted: list[tuple[Column, float]] = []
    direction = info["direction"]
    yoy = next(
        (
            cell.value
            for role in ("yoy", "change")
            for c in group.columns
            if c.role == role and (cell := cells.get(c.index)) and cell.value is not None
        ),
        None,
    )
    for c in group.columns:
        cell = cells.get(c.index)
        if cell is None or cell.value is None or c.role not in ("target", "actual", "last_actual"):
            continue
        value_unit = cell.unit or c.unit or unit
        try:
            value = cell.value * conversion_factor(value_unit, unit)
        except DataError as exc:
            ctx.problem(i, c, cell_text(grid.cell(i, c.index)), exc.problem.message)
            continue
        if cell.bound == "cap" or (
            c.role == "target"
            and cell.value == 0
            and direction == "up"
            and zero_target_direction(info["name"], unit, direction) == "down"
        ):
            direction = info["direction"] = "down"
        elif cell.bound == "floor":  # ≥3.5%: the cell beats the name (能耗下降)
            direction = info["direction"] = "up"
        figures[c.role] = value
        converted.append((c, value))
        if total:
            continue
        if c.role == "target":
            period = str(ctx.target_periods[c.index])
            ctx.targets.append(
                {
                    "org": org,
                    "indicator": ind,
                    "period": period,
                    "target": cell.value,
                    "unit": value_unit,
                }
            )
            ctx.origins[("targets", org, ind, period)] = ctx.where(i, c)
            if c.letter in ctx.confirmed:
                ctx.trusted.add(("targets", org, ind, period))
        else:
            period = str(ctx.period if c.role == "actual" else ctx.period.shifted_years(-1))
            ctx.actuals.append(
                {
                    "org": org,
                    "indicator": ind,
                    "period": period,
                    "value": cell.written(),
                    "unit": value_unit,
                    "status": "预计" if cell.estimated else None,
                    "yoy": yoy if c.role == "actual" else None,
                    "note": None,
                }
            )
            ctx.origins[("actuals", org, ind, period)] = ctx.where(i, c)
            if c.letter in ctx.confirmed:
                ctx.trusted.add(("actuals", org, ind, period))
    growth = [(c, cells.get(c.index)) for c in group.columns if c.role in GROWTH_ROLES]
    _plausible(ctx, i, converted, growth, direction)
    return figures


def _check_totals(
    ctx: _Context,
    indicators: dict[int, dict[str, Any]],
    totals: dict[tuple[int, int], dict[str, float]],
    sums: dict[int, dict[str, float]],
) -> None:
    """Each 全区 row against the townships' sum: an inference either way (amounts only)."""
    for (g_index, _), by_role in totals.items():
        info = indicators[g_index]
        if info["unit"] == "%":
            continue
        for role, total in by_role.items():
            got = sums.get(g_index, {}).get(role)
            if got is None:
                continue
            label = {"target": "目标", "actual": "完成", "last_actual": "上年同期"}[role]
            if abs(got - total) <= max(0.005 * abs(total), 0.01):
                ctx.inferences.append(
                    f"{info['name']} {label}:合计行 {total:g} 与各乡镇之和 {got:g} 一致 "
                    f"(the total matches the sum)"
                )
            else:
                ctx.inferences.append(
                    f"警告 (warning) {info['name']} {label}:合计行 {total:g} 与各乡镇之和 "
                    f"{got:g} 不同;区县报告按各乡镇之和 (the total row differs from the sum "
                    f"of the townships; the district report uses the sum)"
                )


def _district_period(
    grid: Grid,
    dl: DistrictLayout,
    period: str | None,
    inferences: list[str],
    problems: list[Problem],
) -> Period | None:
    if period is not None:
        try:
            chosen = parse_period(period)
        except PeriodError as exc:
            raise UsageError(f"--period: {exc.problem.message}") from None
        inferences.append(f"期间: {chosen} (来自参数 / from --period)")
        return chosen
    title = dl.layout.title
    if title and title.period:
        inferences.append(f"期间: {title.period} (来自标题「{title.text}」/ from the title)")
        return title.period
    problems.append(
        Problem(
            "标题中看不出期间,请用 --period 指定 (no period in the title: give --period)",
            file=grid.file,
            sheet=grid.sheet,
            row=title.row if title else None,
            value=title.text if title else None,
        )
    )
    return None
