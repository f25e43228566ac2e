"""``kpibook import``: an office's 主要经济指标完成情况表 → the tidy tables of the data contract.

:func:`import_sheet` finds the table (:mod:`helpers.importer.layout`), reads every cell
(:mod:`helpers.importer.cells`), gives indicators and sectors stable ids
(:mod:`helpers.importer.ids`) and returns the ``indicators``, ``targets`` and ``actuals``
tables with every guess it made written out in :attr:`ImportResult.inferences`, so the
analyst can check them. What it cannot read is raised at once, every problem with its
sheet, row and column (:class:`ImportErrors`). :func:`write_dataset` writes the CSVs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypedDict

import pandas as pd

from ..base.files import write_csv_atomic
from ..data.numbers import is_blank
from ..data.periods import Period, parse_period
from ..data.schema import TABLES, canonical_choice
from ..data.units import conversion_factor, normalise_unit
from ..errors import DataError, DataErrors, PeriodError, Problem, UnitError, UsageError
from .cells import Cell, clean_text, invisible_note, parse_cell, parse_target, unit_in_text
from .ids import display_name, id_clash_message, indicator_id, same_indicator, sector_id
from .layout import Column, Layout, blank_row, find_layout, period_for_months
from .orgs import is_subtotal_label, is_total_label, preferred_spelling, same_org
from .sheets import Grid, Unreadable, column_letter, read_grids
from .unsupported import unsupported_layout

__all__ = [
    "ImportResult",
    "ImportErrors",
    "import_sheet",
    "import_grid",
    "write_dataset",
    "DEFAULT_SECTOR",
    "OUTPUT_TABLES",
]


class _Where(TypedDict):
    """The sheet a problem is in: :class:`Problem`'s ``file`` and ``sheet``."""

    file: str | None
    sheet: str | None


#: The sector of indicators that come before any sector heading.
DEFAULT_SECTOR = "综合"
#: The tables an import produces, in the order they are written.
OUTPUT_TABLES = ("indicators", "targets", "actuals")
_COLUMNS = {
    "indicators": ["indicator", "name", "sector", "unit", "direction", "measure"],
    "targets": ["org", "indicator", "period", "target", "unit"],
    "actuals": ["org", "indicator", "period", "value", "unit", "status", "yoy", "note"],
}
_FOOTNOTE = re.compile(
    r"^(?:注|说明|备注|填表人?|审核人?|负责人|单位负责人|统计负责人|联系人|联系电话|"
    r"制表人?|制表日期|数据来源|资料来源)\d*[:：]"
)
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）])")
_DOWN_WORDS = (
    "事故",
    "上访",
    "信访",
    "能耗",
    "火灾",
    "案件",
    "死亡",
    "发案",
    "命案",
    "刑事案",
    "群体性事件",
    "伤亡",
)
#: A name ending in a reduction word is a reduction rate (能耗下降率): the more the better.
_REDUCTION = re.compile(r"(?:下降|降低|减少|削减|压减|减排)(?:率|幅度|比例|百分比|量|数)?$")
#: Units of counted incidents: a target of 0 of them is a cap (零事故), not "no target".
_INCIDENT_UNITS = ("起", "宗")
_YES = {"是", "√", "y", "yes", "预计"}


@dataclass
class ImportResult:
    """The tidy tables read from one sheet, and every inference made to read them."""

    org: str
    period: str
    file: str
    sheet: str | None
    indicators: pd.DataFrame
    targets: pd.DataFrame
    actuals: pd.DataFrame
    inferences: list[str] = field(default_factory=list)
    #: (table, org, indicator, period) → where the figure is in the sheet (``A.xlsx[表1] F7``)
    origins: dict[tuple[str, str, str, str], str] = field(default_factory=dict)
    parent: str | None = None  # the district a district sheet names (XX区)
    reading: list[dict[str, str]] = field(default_factory=list)  # the mapping file's lines
    #: the (table, org, indicator, period) keys whose column the user confirmed in the mapping
    trusted: set[tuple[str, str, str, str]] = field(default_factory=set)
    #: (indicator name, direction, what decided it) for every direction not the default
    decided: list[tuple[str, str, str]] = field(default_factory=list)
    #: the file's path as given on the command line (``file`` is its name; messages name
    #: the path where two given files share a name, and its mapping file follows it)
    source: str = ""

    @property
    def orgs(self) -> list[str]:
        """The orgs whose figures the sheet holds, in the sheet's order."""
        frames = (self.targets["org"], self.actuals["org"])
        return list(dict.fromkeys(o for f in frames for o in f if isinstance(o, str)))

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """``{"indicators": …, "targets": …, "actuals": …}`` in the contract's column names."""
        return {"indicators": self.indicators, "targets": self.targets, "actuals": self.actuals}


class ImportErrors(DataErrors):
    """Every problem of a sheet at once, with the inferences made before they were found."""

    def __init__(self, problems: list[Problem], source: str | None, inferences: list[str]) -> None:
        super().__init__(problems, source)
        self.inferences = list(inferences)


@dataclass
class _Context:
    """What the walk over the rows needs and collects."""

    grid: Grid
    layout: Layout
    org: str
    period: Period
    target_periods: dict[int, Period]
    star_means_estimate: bool
    inferences: list[str]
    problems: list[Problem] = field(default_factory=list)
    indicators: list[dict[str, Any]] = field(default_factory=list)
    targets: list[dict[str, Any]] = field(default_factory=list)
    actuals: list[dict[str, Any]] = field(default_factory=list)
    seen: dict[str, tuple[int, str]] = field(default_factory=dict)  # id → (row, name)
    ranks: list[str] = field(default_factory=list)
    confirmed: set[str] = field(default_factory=set)  # column letters the user confirmed
    origins: dict[tuple[str, str, str, str], str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # 合计/小计 rows, for the summary
    trusted: set[tuple[str, str, str, str]] = field(default_factory=set)  # confirmed figures
    directions: dict[str, str] = field(default_factory=dict)  # name → up/down, from the mapping
    decided: list[tuple[str, str, str]] = field(default_factory=list)  # (name, direction, why)
    amounts: list[str] = field(default_factory=list)  # 增减额 cells of change columns, not read

    def where(self, i: int, column: Column) -> str:
        """``A.xlsx[Sheet1] F7`` — a cell named for a message that spans files."""
        sheet = f"[{self.grid.sheet}]" if self.grid.sheet else ""
        return f"{self.grid.file}{sheet} {column.letter}{self.grid.row_numbers[i]}"

    def problem(self, i: int, column: Column | None, value: Any, message: str) -> None:
        self.problems.append(
            Problem(
                message,
                file=self.grid.file,
                sheet=self.grid.sheet,
                row=self.grid.row_numbers[i],
                column=column.label if column else None,
                value=value,
            )
        )


# --------------------------------------------------------------------------- public API


def import_sheet(
    path: str | Path, *, org: str | None = None, period: str | None = None, sheet: str | None = None
) -> ImportResult:
    """Read an office's 完成情况表 (.xlsx, .xls or CSV) into the contract's tidy tables.

    ``org`` and ``period`` override what the title says; ``sheet`` picks a sheet by name
    (default: the first sheet with a recognisable header). Raises :class:`ImportErrors`
    (a :class:`DataErrors`) with every unreadable cell, :class:`UsageError` for a bad
    argument, a missing file or an unknown sheet.
    """
    path = Path(path)
    inferences: list[str] = []
    grid, layout = _pick_sheet(read_grids(path), sheet, inferences)
    return import_grid(grid, layout, org=org, period=period, inferences=inferences)


def import_grid(
    grid: Grid,
    layout: Layout,
    *,
    org: str | None = None,
    period: str | None = None,
    inferences: list[str] | None = None,
    confirmed: set[str] | None = None,
    directions: dict[str, str] | None = None,
) -> ImportResult:
    """One township's sheet whose layout is known: the tidy tables, or :class:`ImportErrors`.

    ``confirmed`` holds the column letters the user confirmed in the mapping: their
    implausible figures are warnings, not problems. ``directions`` (indicator name → up or
    down, from the mapping) overrides every other reading of an indicator's direction.
    """
    inferences = [] if inferences is None else inferences
    source = grid.file
    problems: list[Problem] = []
    layout.columns = last_year_in_percent(
        grid,
        layout.columns,
        range(layout.first_data, len(grid.rows)),
        lambda i: _row_is_rate(grid, layout, i),
        set(confirmed or ()),
        inferences,
        problems,
    )
    growth_fractions(grid, layout.columns, range(layout.first_data, len(grid.rows)), problems)
    _describe_layout(grid, layout, inferences, problems)
    if grid.percent_cells:
        cells = "、".join(
            f"{column_letter(j)}{grid.row_numbers[i]}" for i, j in grid.percent_cells[:10]
        )
        more = " 等" if len(grid.percent_cells) > 10 else ""
        inferences.append(
            f"百分比格式的单元格按显示的百分数读 (percent-formatted cells read as the "
            f"percent shown, 0.096 → 9.6): {cells}{more}"
        )
    if grid.computed:
        shown = [
            f"{column_letter(j)}{grid.row_numbers[i]}{f}"
            for (i, j), f in list(grid.computed.items())[:10]
        ]
        more = " 等" if len(grid.computed) > 10 else ""
        inferences.append(
            f"公式没有保存结果,已按公式计算 (formulas without saved results, computed): "
            f"{'、'.join(shown)}{more}"
        )
    hidden = [c for c in layout.columns if c.index in grid.hidden_columns and c.header]
    if hidden:
        inferences.append(
            f"隐藏列,未导入 (hidden columns, not imported): {'、'.join(c.label for c in hidden)}"
        )
    the_org = _resolve_org(grid, layout, org, inferences, problems)
    the_period = _resolve_period(grid, layout, period, inferences, problems)
    if problems or the_org is None or the_period is None:
        raise ImportErrors(problems, source, inferences)
    target_periods = _resolve_columns(grid, layout, the_period, inferences, problems)
    ctx = _Context(
        grid,
        layout,
        the_org,
        the_period,
        target_periods,
        _star_means_estimate(grid, layout, inferences),
        inferences,
        problems,
        confirmed=set(confirmed or ()),
        directions=dict(directions or {}),
    )
    _walk_rows(ctx)
    if ctx.ranks:
        inferences.append(
            f"数字后括号内的位次已忽略 (ranks after numbers dropped): {'、'.join(ctx.ranks)}"
        )
    list_amounts(ctx)
    if ctx.problems:
        raise ImportErrors(ctx.problems, source, inferences)
    _summarise(ctx)
    return ImportResult(
        org=the_org,
        period=str(the_period),
        file=source,
        sheet=grid.sheet,
        indicators=_frame("indicators", ctx.indicators),
        targets=_frame("targets", ctx.targets),
        actuals=_frame("actuals", ctx.actuals),
        inferences=inferences,
        origins=ctx.origins,
        trusted=ctx.trusted,
        decided=ctx.decided,
    )


def write_dataset(
    result: ImportResult, out_dir: str | Path, *, overwrite: bool = False, bom: bool = True
) -> list[Path]:
    """Write ``indicators.csv``, ``targets.csv``, ``actuals.csv`` into ``out_dir``; return paths.

    UTF-8 with a BOM by default, so Excel on Chinese Windows opens them right (the data
    contract reads UTF-8 with or without BOM). An existing non-empty file is never replaced
    unless ``overwrite=True``: :class:`UsageError` names them all and nothing is written.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: 不是文件夹 (not a directory)")
    paths = [out / f"{name}.csv" for name in OUTPUT_TABLES]
    existing = [p for p in paths if p.exists() and p.stat().st_size > 0]
    if existing and not overwrite:
        names = "、".join(str(p) for p in existing)
        raise UsageError(
            f"文件已存在,未覆盖 (files exist, not overwritten; use overwrite): {names}"
        )
    out.mkdir(parents=True, exist_ok=True)
    for name, target in zip(OUTPUT_TABLES, paths):
        write_csv_atomic(target, result.tables[name], bom=bom)
    return paths


# --------------------------------------------------------------------------- sheet and context


def _pick_sheet(grids: list[Grid], sheet: str | None, inferences: list[str]) -> tuple[Grid, Layout]:
    if sheet is not None:
        chosen = [g for g in grids if g.sheet == sheet]
        if not chosen:
            names = "、".join(str(g.sheet) for g in grids)
            raise UsageError(f"没有工作表「{sheet}」(no sheet {sheet!r}); 有 (sheets): {names}")
        candidates = chosen
    else:
        candidates = grids
    for g in candidates:
        layout = find_layout(g)
        unsupported = unsupported_layout(g, found=layout is not None)
        if unsupported is not None and (unsupported[1] or len(candidates) == 1):
            problem = Problem(unsupported[0], file=g.file, sheet=g.sheet)
            raise ImportErrors([problem], g.file, inferences)
        if layout is not None:
            if g.sheet is not None and len(grids) > 1:
                how = "指定" if sheet is not None else "第一个有表头的"
                inferences.append(f"工作表「{g.sheet}」({how}; sheet used)")
            if g.encoding:
                inferences.append(f"编码 {g.encoding} (encoding)")
            return g, layout
    where = candidates[0]
    sheet_names = [str(g.sheet) for g in grids if g.sheet is not None]
    hint = (
        f";工作簿中的工作表 (sheets): {'、'.join(sheet_names)},可用 --sheet 指定,"
        f"如 --sheet {sheet_names[0]} "
        f"(pick the sheet with --sheet)"
        if len(sheet_names) > 1
        else ""
    )
    raise ImportErrors(
        [
            Problem(
                "找不到表头:应有一行含「指标名称」和「目标/累计/同比」等列 "
                "(no header row with 指标名称 and target/actual columns)" + hint,
                file=where.file,
                sheet=sheet,
            )
        ],
        where.file,
        inferences,
    )


def _percent_written(grid: Grid, i: int, j: int) -> bool:
    """Whether the cell shows a percent: percent-formatted, or written with ``%``."""
    raw = grid.cell(i, j)
    return (
        (i, j) in grid.percent_cells
        or (i, j) in grid.percent_text
        or (isinstance(raw, str) and "%" in clean_text(raw))
    )


def _row_is_rate(grid: Grid, layout: Layout, i: int) -> bool:
    """Whether row ``i`` is an indicator in % (its unit cell, its name, else the table's unit)."""
    units = layout.of("unit")
    text = clean_text(_text(grid.cell(i, units[0].index))) if units else ""
    if text and not re.fullmatch(r"[-—/–]+", text):
        return normalise_unit(text) == "%"
    names = layout.of("name")
    name = _text(grid.cell(i, names[0].index)) if names else ""
    unit = unit_in_text(name, percent=True) if name else None
    return (unit or layout.table_unit) == "%"


def last_year_in_percent(
    grid: Grid,
    columns: list[Column],
    rows: range,
    is_rate: Callable[[int], bool],
    confirmed: set[str],
    inferences: list[str],
    problems: list[Problem],
) -> list[Column]:
    """A 上年同期 column whose figures are written as percents (``12.5%``) is growth, not last
    year's amount: every figure so → the column is read as 同比%, listed; only some → a
    problem for each such cell (never a percent taken for an amount). Rows of indicators in %
    (``is_rate(i)``) and columns the user confirmed in the mapping are left as they are.
    """
    out = list(columns)
    has_yoy = any(c.role == "yoy" for c in columns)
    for k, c in enumerate(columns):
        if c.role != "last_actual" or c.letter in confirmed:
            continue
        written: list[int] = []
        plain = 0
        header_percent = "%" in clean_text(c.header)  # 上年同期(%): every figure is a percent
        for i in rows:
            raw = grid.cell(i, c.index)
            if i in grid.hidden_rows or (i, c.index) in grid.merged or is_blank(raw):
                continue
            if isinstance(raw, Unreadable) or is_rate(i):
                continue
            try:
                if parse_cell(raw).value is None:
                    continue
            except DataError:
                continue
            if header_percent or _percent_written(grid, i, c.index):
                written.append(i)
            else:
                plain += 1
        if not written:
            continue
        cells = "、".join(f"{c.letter}{grid.row_numbers[i]}" for i in written[:6])
        cells += " 等" if len(written) > 6 else ""
        cells += ",列头写有%" if header_percent else ""
        if not plain and not has_yoy:
            out[k] = replace(c, role="yoy")
            has_yoy = True
            inferences.append(
                f"列 {c.label} 的数都写成百分数({cells}),按同比%读,不是上年同期数;如不对,在映射"
                f"文件中改列 {c.letter} 的作用 (figures under a last-year header written as "
                f"percents: read as growth)"
            )
            continue
        why = (
            "表中另有同比列" if plain == 0 else f"该列其余 {plain} 个数不带%"
        )  # why the column cannot simply be growth
        for i in written:
            raw = grid.cell(i, c.index)
            shown = _text(raw) + ("(百分比格式)" if (i, c.index) in grid.percent_cells else "")
            problems.append(
                Problem(
                    f"上年同期列中写的是百分数「{shown}」,{why}:是同比增幅还是上年同期数?"
                    f"如是增幅,在映射文件中把列 {c.letter} 设为 yoy (`,column,{c.letter},,yoy,,,`);"
                    f"如是上年同期数,去掉%后再导入 (a percent under a last-year header: growth or "
                    f"last year's amount? set the column's role in the mapping, or remove the %)",
                    file=grid.file,
                    sheet=grid.sheet,
                    row=grid.row_numbers[i],
                    column=c.label,
                    value=shown,
                )
            )
    return out


def _describe_layout(
    grid: Grid, layout: Layout, inferences: list[str], problems: list[Problem]
) -> None:
    rows = [grid.row_numbers[i] for i in layout.header_rows]
    span = f"第{rows[0]}行" if len(rows) == 1 else f"第{rows[0]}-{rows[-1]}行"
    level = "one-level header, row" if len(rows) == 1 else "two-level header, rows"
    inferences.append(f"表头在{span} ({level} {'-'.join(map(str, rows))})")
    inferences.extend(layout.notes)
    names = {
        "name": "指标名称 (indicator name)",
        "unit": "单位 (unit)",
        "sector": "领域 (sector)",
        "note": "备注 (note)",
        "status": "数据状态 (status)",
        "serial": "序号,忽略 (row number)",
        "target": "目标 (target)",
        "actual": "累计完成 (actual, cumulative)",
        "yoy": "同比% (year-on-year %)",
        "last_actual": "上年同期累计 (same period last year)",
        "last_yoy": "上年同期的同比% (last year's year-on-year %)",
        "change": "比上年增减:带%的是同比,其余是增减额 (growth where a cell says %, else an "
        "amount of change)",
    }
    for c in layout.columns:
        if c.role == "ignored" and not c.header:
            filled = [
                grid.row_numbers[i]
                for i in range(layout.first_data, len(grid.rows))
                if (i, c.index) not in grid.merged and not blank_row([grid.cell(i, c.index)])
            ]
            if filled:
                inferences.append(
                    f"列 {c.letter} 没有表头但有内容(第{filled[0]}行等),已忽略 "
                    f"(a column without header, ignored)"
                )
            continue
        what = names.get(c.role, f"忽略 (ignored): {c.why}")
        unit = f",单位 {c.unit} (unit from header)" if c.unit else ""
        est = ",预计 (estimated)" if c.estimated else ""
        inferences.append(f"列 {c.label} → {what}{unit}{est}")
    for role in (
        "name",
        "unit",
        "sector",
        "note",
        "status",
        "actual",
        "yoy",
        "last_actual",
        "last_yoy",
        "change",
    ):
        cols = layout.of(role)
        years = [c.year for c in cols]
        if role == "actual" and None not in years and len(set(years)) == len(years):
            continue  # 2016年1-6月 | 2015年1-6月: told apart by the year (below)
        if len(cols) > 1:
            labels = "、".join(c.label for c in cols)
            problems.append(
                Problem(
                    f"有多列都像「{names[role]}」,无法判断用哪一列;请在映射文件(--map)中把"
                    f"不用的列设为 ignored,如 `,column,{cols[-1].letter},,ignored,,,` "
                    f"(several columns look like the same thing: set the unused ones to "
                    f"ignored in the mapping file): {labels}",
                    file=grid.file,
                    sheet=grid.sheet,
                    row=grid.row_numbers[layout.header_rows[0]],
                )
            )
    if layout.of("target") and not layout.of("actual"):
        inferences.append(
            "警告 (warning) 没有累计完成列:只导入目标,报告中各指标为暂无数据 "
            "(no actual column: only targets are imported; set one in the mapping if wrong)"
        )
    if not layout.of("target") and not layout.of("actual"):
        problems.append(
            Problem(
                "没有目标列也没有累计完成列 (no target and no actual column)",
                file=grid.file,
                sheet=grid.sheet,
                row=grid.row_numbers[layout.header_rows[0]],
            )
        )
    if layout.table_unit:
        inferences.append(
            f"单位行「{layout.table_unit_text}」(第{layout.table_unit_row}行) → 默认单位 "
            f"{layout.table_unit} (default unit for rows without one)"
        )


def _resolve_org(
    grid: Grid, layout: Layout, org: str | None, inferences: list[str], problems: list[Problem]
) -> str | None:
    title = layout.title
    if org is not None:
        org = clean_text(org)
        if not org:
            raise UsageError("--org 不能为空 (empty org)")
        written = [title.org if title else None, layout.org_line[0] if layout.org_line else None]
        said = "」「".join(dict.fromkeys(w for w in written if w and w != org))
        extra = f";表中写的是「{said}」(the sheet says {said})" if said else ""
        inferences.append(f"乡镇: {org} (来自参数 / from --org){extra}")
        return org
    if title and title.org and layout.org_line and layout.org_line[0] != title.org:
        line, line_row = layout.org_line
        if not same_org(title.org, line):
            problems.append(
                Problem(
                    f"标题第{title.row}行写的乡镇是「{title.org}」,第{line_row}行填报单位是「{line}」,"
                    f"不是同一个;请用 --org 指定是哪个乡镇的表,如 --org {title.org} 或 "
                    f"--org {line} (the title and the 填报单位 line name different orgs: "
                    f"choose one with --org)",
                    file=grid.file,
                    sheet=grid.sheet,
                    row=line_row,
                    value=f"{title.org} / {line}",
                )
            )
            return None
        chosen = preferred_spelling([title.org, line])
        inferences.append(
            f"乡镇: {chosen} (标题第{title.row}行「{title.org}」与第{line_row}行填报单位「{line}」"
            f"是同一乡镇 / the title and the 填报单位 line name one org)"
        )
        return chosen
    if title and title.org:
        inferences.append(
            f"乡镇: {title.org} (来自标题第{title.row}行「{title.text}」/ from the title)"
        )
        return title.org
    if layout.org_line:
        inferences.append(
            f"乡镇: {layout.org_line[0]} (来自第{layout.org_line[1]}行填报单位 / "
            f"from the 填报单位 line)"
        )
        return layout.org_line[0]
    problems.append(
        Problem(
            "标题中看不出乡镇,请用 --org 指定 (no org in the title: give --org)",
            file=grid.file,
            sheet=grid.sheet,
            row=title.row if title else None,
            value=title.text if title else None,
        )
    )
    return None


def _resolve_period(
    grid: Grid, layout: Layout, period: str | None, inferences: list[str], problems: list[Problem]
) -> Period | None:
    title = layout.title
    actual = layout.of("actual")
    header_month = next((c.end_month for c in actual if c.end_month), None)
    header_col = next((c for c in actual if c.end_month), None)
    where: _Where = {"file": grid.file, "sheet": grid.sheet}
    if period is not None:
        try:
            chosen = parse_period(period)
        except PeriodError as exc:
            raise UsageError(f"--period: {exc.problem.message}") from None
        said = (
            f";标题写的是 {title.period} (the title says {title.period})"
            if title and title.period and title.period != chosen
            else ""
        )
        inferences.append(f"期间: {chosen} (来自参数 / from --period){said}")
    elif title and title.period:
        chosen = title.period
        how = (
            ",只写了月份,按1月起累计 (a month alone, read as cumulative from January)"
            if title.month_only
            else ""
        )
        inferences.append(f"期间: {chosen} (来自标题「{title.text}」/ from the title){how}")
    elif header_month is not None and header_col is not None:
        year = (title and _title_year(title.text)) or header_col.year
        if year is None:
            problems.append(
                Problem("看不出年份,请用 --period 指定 (no year: give --period)", **where)
            )
            return None
        chosen = period_for_months(year, header_month)
        inferences.append(f"期间: {chosen} (来自列头 {header_col.label} / from the header)")
    else:
        problems.append(
            Problem(
                "标题和表头都看不出期间,请用 --period 指定 "
                "(no period in the title or header: give --period)",
                **where,
                row=title.row if title else None,
                value=title.text if title else None,
            )
        )
        return None
    if header_col is not None and header_month != chosen.end_month:
        problems.append(
            Problem(
                f"列头是1-{header_month}月,与期间 {chosen} 不一致 "
                f"(the header's months do not match the period)",
                **where,
                row=grid.row_numbers[layout.header_rows[0]],
                column=header_col.label,
                value=header_col.header,
            )
        )
    return chosen


def _title_year(text: str) -> int | None:
    m = re.search(r"((?:19|20)\d{2})年", clean_text(text))
    return int(m.group(1)) if m else None


def _resolve_columns(
    grid: Grid, layout: Layout, period: Period, inferences: list[str], problems: list[Problem]
) -> dict[int, Period]:
    """The period of each target column; actual columns naming last year become last_actual."""
    periods: dict[int, Period] = {}
    for k, c in enumerate(layout.columns):
        if c.role in ("actual", "last_actual") and c.year is not None and c.year != period.year:
            if c.year == period.year - 1:
                layout.columns[k] = Column(
                    c.index,
                    c.header,
                    "last_actual",
                    c.why,
                    c.year,
                    c.end_month,
                    c.unit,
                    c.estimated,
                )
                inferences.append(f"列 {c.label} 写的是{c.year}年 → 上年同期 (last year's figure)")
            else:
                problems.append(
                    Problem(
                        f"列头的年份 {c.year} 与期间 {period} 不符 (year does not match)",
                        file=grid.file,
                        sheet=grid.sheet,
                        row=grid.row_numbers[layout.header_rows[0]],
                        column=c.label,
                        value=c.header,
                    )
                )
        if c.role != "target":
            continue
        if c.end_month in (None, 12):
            periods[c.index] = period.year_period
            if c.end_month is None:
                inferences.append(
                    f"列 {c.label} 没写期间,按全年目标 (no period written: annual target)"
                )
        elif c.end_month == period.end_month:
            periods[c.index] = period
        else:
            periods[c.index] = period_for_months(period.year, c.end_month)
        inferences.append(f"列 {c.label} → 目标期间 {periods[c.index]} (target period)")
    seen: dict[Period, Column] = {}
    for c in layout.of("target"):
        if periods[c.index] in seen:
            problems.append(
                Problem(
                    f"两列都是 {periods[c.index]} 的目标 (two target columns for one period): "
                    f"{seen[periods[c.index]].label}、{c.label}",
                    file=grid.file,
                    sheet=grid.sheet,
                    row=grid.row_numbers[layout.header_rows[0]],
                )
            )
        seen[periods[c.index]] = c
    return periods


def _star_means_estimate(grid: Grid, layout: Layout, inferences: list[str]) -> bool:
    for i in range(layout.first_data, len(grid.rows)):
        for value in grid.rows[i]:
            text = clean_text(value) if isinstance(value, str) else ""
            if ("*" in text or "※" in text) and "预计" in text:
                inferences.append(
                    f"第{grid.row_numbers[i]}行说明「{value}」→ 带*号的数为预计 "
                    f"(starred figures are estimates)"
                )
                return True
    return False


# --------------------------------------------------------------------------- rows


def _text(value: Any) -> str:
    if value is None or isinstance(value, Unreadable):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _walk_rows(ctx: _Context) -> None:
    grid, layout = ctx.grid, ctx.layout
    name_col = layout.name_column
    value_cols = [
        c
        for c in layout.columns
        if c.role in ("target", "actual", "yoy", "last_actual", "last_yoy", "change")
    ]
    sector: str | None = None
    defaulted = False
    for i in range(layout.first_data, len(grid.rows)):
        row = grid.rows[i]
        if blank_row(row):
            continue
        rownum = grid.row_numbers[i]
        first_text = next((clean_text(_text(v)) for v in row if _text(v)), "")
        if i in grid.hidden_rows:
            ctx.inferences.append(
                f"第{rownum}行是隐藏行,未导入 (a hidden row, not imported): {first_text[:30]}"
            )
            continue
        if _FOOTNOTE.match(first_text):
            ctx.inferences.append(
                f"第{rownum}行是表下说明,不是指标 (a footnote): {first_text[:30]}"
            )
            continue
        label = _text(grid.cell(i, name_col.index)) or first_text
        if is_total_label(label):
            kind = "小计行" if is_subtotal_label(label) else "合计行"
            ctx.skipped.append(f"第{rownum}行「{label}」")
            ctx.inferences.append(
                f"第{rownum}行「{label}」是{kind},不是指标,已跳过 (a total row: not an indicator, "
                f"skipped)"
            )
            continue
        heading = _heading(ctx, i, value_cols)
        if heading is not None:
            sector = sector_id(heading)
            ctx.inferences.append(
                f"第{rownum}行「{heading}」→ 领域 {sector} (sector heading: no unit, no figures)"
            )
            continue
        name_raw = _text(grid.cell(i, name_col.index))
        rate = _row_is_rate(grid, layout, i)
        cells = {c.index: read_cell(ctx, i, c, rate=rate) for c in value_cols}
        if not name_raw:
            if any(cell is None or cell.value is not None for cell in cells.values()):
                ctx.problem(
                    i, name_col, None, "有数字但没有指标名称 (figures without an indicator name)"
                )
            else:
                ctx.inferences.append(
                    f"第{rownum}行没有指标名称和数字,忽略 (ignored: no name, no figures)"
                )
            continue
        row_sector = _sector_cell(ctx, i) or sector
        if row_sector is None:
            row_sector = DEFAULT_SECTOR
            if not defaulted:
                ctx.inferences.append(
                    f"第{rownum}行之前没有领域标题 → 领域「{DEFAULT_SECTOR}」"
                    f"(no sector heading before this row)"
                )
                defaulted = True
        if _HEADING.match(clean_text(name_raw)):
            ctx.inferences.append(
                f"第{rownum}行「{name_raw}」编号像标题,但有单位或数字,作为指标 "
                f"(numbered like a heading but has a unit or figures: an indicator)"
            )
        row_unit, unit_source = _row_unit(ctx, i, name_raw)
        _indicator_row(ctx, i, name_raw, row_sector, row_unit, unit_source, cells)


def _heading(ctx: _Context, i: int, value_cols: list[Column]) -> str | None:
    """The text of a sector heading row (一、工业), or ``None`` for any other row.

    A heading has no unit and nothing at all in the value columns (not even ``—``, which
    marks an indicator without figures), and is numbered like a heading or is the only
    text of its row (often merged across the table).
    """
    grid, layout = ctx.grid, ctx.layout
    row = grid.rows[i]
    texts = list(dict.fromkeys(_text(v) for v in row if _text(v)))
    single = len(texts) == 1
    for c in value_cols:
        raw = grid.cell(i, c.index)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        if single and (i, c.index) in grid.merged:
            continue
        return None
    units = layout.of("unit")
    if (
        units
        and _text(grid.cell(i, units[0].index))
        and not (single and (i, units[0].index) in grid.merged)
    ):
        return None
    name = _text(grid.cell(i, layout.name_column.index))
    if name and unit_in_text(name, percent=True):
        return None
    numbered = next((t for t in texts if _HEADING.match(clean_text(t))), None)
    if numbered is not None:
        return numbered
    serial = [
        c
        for c in layout.of("serial")
        if re.fullmatch(
            r"[一二三四五六七八九十]+[、.．]?", clean_text(_text(grid.cell(i, c.index)))
        )
    ]
    if serial and name:
        return name
    text = texts[0] if single else ""
    if not re.search(r"[\u4e00-\u9fff]", text) or re.match(
        r"^(?:其中|合计|总计|小计)", clean_text(text)
    ):
        return None  # a lone number, a 其中 item or a total is not a sector
    return text


def read_cell(ctx: _Context, i: int, column: Column, *, rate: bool = False) -> Cell | None:
    """The parsed cell, or ``None`` after recording a problem. ``rate``: the row's indicator
    is in %. Growth written as a fraction in a column the mapping says so is read ×100; a
    比上年增减 cell is read by :func:`_change_cell`."""
    raw = ctx.grid.cell(i, column.index)
    if isinstance(raw, Unreadable):
        ctx.problem(i, column, raw.text, raw.reason)
        return None
    try:
        if column.role == "target":
            cell = parse_target(raw)
        else:
            cell = parse_cell(
                raw,
                growth=column.role in GROWTH_ROLES,
                qualified=column.role in ("actual", "last_actual"),
            )
    except DataError as exc:
        ctx.problem(i, column, raw, exc.problem.message)
        return None
    if cell.rank is not None:
        ctx.ranks.append(f"{column.letter}{ctx.grid.row_numbers[i]}")
    if cell.qualifier:
        ctx.inferences.append(
            f"{column.letter}{ctx.grid.row_numbers[i]}「{_text(raw)}」→ {cell.written()} "
            f"(数 {cell.value:g},限定词「{cell.qualifier}」照原样保留 / the qualifier is kept)"
        )
    if column.role == "change":
        return _change_cell(ctx, i, column, cell, rate)
    if cell.unit is not None and column.role in ("yoy", "last_yoy"):
        ctx.problem(i, column, raw, "同比列不应带单位 (a unit in a year-on-year cell)")
        return None
    if column.role in ("yoy", "last_yoy") and not _percent_written(ctx.grid, i, column.index):
        cell = as_fraction(cell, column)
    return cell


def as_fraction(cell: Cell, column: Column) -> Cell:
    """A plain figure of a column the mapping says writes fractions: between -1 and 1 it is
    read ×100 (0.085 → 8.5%); a larger one is a percent as written (a fraction of growth
    past 100% is not how offices write)."""
    if column.percent == "fraction" and cell.value is not None and abs(cell.value) <= 1:
        return replace(cell, value=round(cell.value * 100, 10))
    return cell


#: Roles whose cells are growth in % (下降15.8 allowed).
GROWTH_ROLES = ("yoy", "last_yoy", "change")


def _change_cell(ctx: _Context, i: int, column: Column, cell: Cell, rate: bool) -> Cell | None:
    """A 比上年增减 cell: written with % (or percent-formatted) it is the growth; a plain
    number is an amount of change, which kpibook works out itself (listed, not read).

    In a row of an indicator in %, ``1.2%`` may be points or growth: a problem naming the
    cell, never a guess; ``增长1.2%`` / ``下降1.2%`` say growth.
    """
    if cell.value is None:
        return cell
    grid, rownum = ctx.grid, ctx.grid.row_numbers[i]
    raw = _text(grid.cell(i, column.index))
    if not _percent_written(grid, i, column.index):
        ctx.amounts.append(f"{column.letter}{rownum}")
        return Cell(None)
    if rate and cell.sign_word is None:
        ctx.problem(
            i,
            column,
            raw,
            f"单位为%的指标在增减列写了 {raw}：是增减的百分点还是同比增幅？如是增幅，写成"
            f"「增长{raw.lstrip('+-')}」或「下降{raw.lstrip('+-')}」；如是百分点，去掉%；如该列"
            f"都是同比%，在映射文件（--map）中把列 {column.letter} 设为 yoy "
            f"（`,column,{column.letter},,yoy,,,`） (a % in a change column of an indicator in %: "
            f"points or growth? write 增长/下降 before it, drop the %, or set the column to yoy "
            f"in the mapping)",
        )
        return None
    return cell


def list_amounts(ctx: _Context) -> None:
    """Say which cells of 比上年增减 columns were amounts of change, not imported."""
    if ctx.amounts:
        shown = "、".join(ctx.amounts[:10]) + (" 等" if len(ctx.amounts) > 10 else "")
        ctx.inferences.append(
            f"增减列中不带%的数是增减额，由 kpibook 按上年数重新计算，未导入 (amounts of change, "
            f"not imported; cells with % are read as growth): {shown}"
        )


def growth_fractions(
    grid: Grid, columns: list[Column], rows: range, problems: list[Problem]
) -> None:
    """A problem for every cell of a growth column whose plain figures all lie between -1
    and 1 (0.085, -0.021): fractions (8.5%) or small growths (0.085%)? Never guessed.

    A percent-formatted cell or one written with % says what it is; a plain figure of 1 or
    more shows the column writes percents as numbers (8.5 = 8.5%). The mapping file's
    ``percent`` line (:attr:`Column.percent`) settles a column.
    """
    for c in columns:
        if c.role not in ("yoy", "last_yoy") or c.percent is not None:
            continue
        small: list[tuple[int, float, str]] = []
        large = 0
        for i in rows:
            raw = grid.cell(i, c.index)
            if i in grid.hidden_rows or (i, c.index) in grid.merged or is_blank(raw):
                continue
            if isinstance(raw, Unreadable) or _percent_written(grid, i, c.index):
                continue
            try:
                value = parse_cell(raw, growth=True).value
            except DataError:
                continue  # the walk over the rows names it
            if not value:
                continue
            if abs(value) < 1:
                small.append((i, value, _text(raw)))
            else:
                large += 1
        if large:
            continue
        for i, value, raw in small:
            problems.append(
                Problem(
                    f"同比列中不带%的数都在 -1 到 1 之间：{raw} 是小数写法（即 {value * 100:g}%）"
                    f"还是 {raw}%？请在映射文件（--map）中加一行说明列 {c.letter} 的写法：小数写 "
                    f"`,percent,{c.letter},,fraction,,,`，百分数写 `,percent,{c.letter},,percent,,,`"
                    f"；或把这些单元格设为百分比格式 (growth between -1 and 1: a fraction "
                    f"({value * 100:g}%) or {raw}%? say how column {c.letter} writes it in the "
                    f"mapping file, or format the cells as percent)",
                    file=grid.file,
                    sheet=grid.sheet,
                    row=grid.row_numbers[i],
                    column=c.label,
                    value=raw,
                )
            )


def _row_unit(ctx: _Context, i: int, name_raw: str) -> tuple[str | None, str]:
    unit_cols = ctx.layout.of("unit")
    if unit_cols:
        text = _text(ctx.grid.cell(i, unit_cols[0].index))
        if text and not re.fullmatch(r"[-—/–]+", clean_text(text)):
            return normalise_unit(text), f"单位列 {unit_cols[0].letter}{ctx.grid.row_numbers[i]}"
    unit = unit_in_text(name_raw, percent=True) if name_raw else None
    if unit:
        return unit, "名称中的括号 (from the name)"
    return None, ""


def _sector_cell(ctx: _Context, i: int) -> str | None:
    cols = ctx.layout.of("sector")
    text = _text(ctx.grid.cell(i, cols[0].index)) if cols else ""
    return sector_id(text) if text else None


def _indicator_row(
    ctx: _Context,
    i: int,
    name_raw: str,
    sector: str,
    row_unit: str | None,
    unit_source: str,
    cells: dict[int, Cell | None],
) -> None:
    layout, rownum = ctx.layout, ctx.grid.row_numbers[i]
    name = display_name(name_raw)
    ind = indicator_id(name_raw)
    if note := invisible_note(name_raw, f"{layout.name_column.letter}{rownum} 指标名称"):
        ctx.inferences.append(note)
    if ind in ctx.seen:
        first, first_name = ctx.seen[ind]
        ctx.problem(
            i,
            layout.name_column,
            name_raw,
            f"指标重复,与第{first}行相同 (the same indicator as row {first})"
            if same_indicator(first_name, name_raw)
            else id_clash_message(ind, first_name, f"第{first}行", name_raw),
        )
        return
    ctx.seen[ind] = (rownum, name_raw)
    unit, source = _indicator_unit(ctx, row_unit, unit_source, cells)
    if unit is None:
        ctx.problem(
            i,
            layout.name_column,
            name_raw,
            "不知道单位:没有单位列、名称和列头也没写 "
            "(no unit: add a 单位 column or write it in the header)",
        )
        return
    if unit == "%":
        cells = _percent_cells(ctx, i, cells, layout.columns)
    guess = _direction(name, _note(ctx, i))
    bounds = [
        (f"{c.letter}{rownum}", _text(ctx.grid.cell(i, c.index)), cell.bound, cell.value)
        for c in layout.of("target")
        if (cell := cells.get(c.index)) is not None
        and cell.bound is not None
        and cell.value is not None
    ]
    direction, why, lines = bound_direction(name, guess, bounds)
    ctx.inferences.extend(lines)
    if why is None:
        direction = _zero_target(ctx, i, name, unit, direction, cells)
        if direction != guess:
            why = "目标为 0 (a target of 0)"
        elif guess == "down":
            why = f"名称或备注 (the name or the note): {name}"
        elif any(w in name for w in _DOWN_WORDS):
            why = f"名称以下降/降低/减少结尾,是降低率 (a reduction rate): {name}"
            ctx.inferences.append(f"第{rownum}行 {name} → 越大越好 ({why})")
    if name in ctx.directions:
        said = ctx.directions[name]
        ctx.inferences.append(
            f"第{rownum}行 {name}: {_WORDS[said]} (映射文件 / from the mapping file)"
        )
        direction, why = said, "映射文件 (mapping)"
    if why is not None:
        ctx.decided.append((name, direction, why))
    ctx.indicators.append(
        {
            "indicator": ind,
            "name": name,
            "sector": sector,
            "unit": unit,
            "direction": direction,
            "measure": "rate" if unit == "%" else "cumulative",
        }
    )
    ctx.inferences.append(f"第{rownum}行 {name} → {ind},单位 {unit} ({source}),领域 {sector}")
    note = _note(ctx, i)
    estimated_by = _estimated_by(ctx, i, note)
    overridden: dict[str, list[str]] = {}
    figures: list[tuple[Column, float]] = []  # (column, value in the indicator's unit)
    for c in layout.columns:
        cell = cells.get(c.index)
        if cell is None or cell.value is None:
            continue
        if c.role in GROWTH_ROLES:
            continue
        table_unit = unit if source.startswith("单元格") else layout.table_unit
        value_unit = cell.unit or row_unit or c.unit or table_unit or unit
        if not _convertible(ctx, i, c, value_unit, unit, cell):
            continue
        if row_unit and c.unit and row_unit != c.unit and not cell.unit:
            overridden.setdefault(c.unit, []).append(c.letter)
        if cell.unit and cell.unit != unit:
            ctx.inferences.append(
                f"{c.letter}{rownum}「{_text(ctx.grid.cell(i, c.index))}」→ "
                f"{cell.value:g} {cell.unit} (单位写在格中 / unit in the cell)"
            )
        figures.append((c, cell.value * conversion_factor(value_unit, unit)))
        key_period = {
            "target": str(ctx.target_periods.get(c.index, ctx.period)),
            "actual": str(ctx.period),
            "last_actual": str(ctx.period.shifted_years(-1)),
        }.get(c.role)
        if key_period is not None:
            table = "targets" if c.role == "target" else "actuals"
            ctx.origins[(table, ctx.org, ind, key_period)] = ctx.where(i, c)
            if c.letter in ctx.confirmed:
                ctx.trusted.add((table, ctx.org, ind, key_period))
        if c.role == "target":
            ctx.targets.append(
                {
                    "org": ctx.org,
                    "indicator": ind,
                    "period": str(ctx.target_periods[c.index]),
                    "target": cell.value,
                    "unit": value_unit,
                }
            )
        elif c.role == "actual":
            status = _status(ctx, i, c, cell, estimated_by)
            ctx.actuals.append(
                {
                    "org": ctx.org,
                    "indicator": ind,
                    "period": str(ctx.period),
                    "value": cell.written(),
                    "unit": value_unit,
                    "status": status,
                    "yoy": _growth(cells, layout, "yoy"),
                    "note": note,
                }
            )
        elif c.role == "last_actual":
            ctx.actuals.append(
                {
                    "org": ctx.org,
                    "indicator": ind,
                    "period": str(ctx.period.shifted_years(-1)),
                    "value": cell.written(),
                    "unit": value_unit,
                    "status": None,
                    "yoy": _growth(cells, layout, "last_yoy"),
                    "note": None,
                }
            )
    growth = [
        (c, cells.get(c.index))
        for c in layout.of("yoy") + layout.of("change") + layout.of("last_yoy")
    ]
    this_year = [
        (c, cell.value)
        for c in layout.of("yoy") + layout.of("change")
        if (cell := cells.get(c.index)) is not None and cell.value is not None
    ]
    if len({round(v, 6) for _, v in this_year}) > 1:
        shown = "、".join(
            f"{c.letter}{rownum}「{_text(ctx.grid.cell(i, c.index))}」" for c, _ in this_year
        )
        last = this_year[-1][0]
        ctx.problem(
            i,
            last,
            _text(ctx.grid.cell(i, last.index)),
            f"一行有两个不同的同比：{shown}；请删去一个，或在映射文件中把不用的列设为 ignored "
            f"（`,column,{last.letter},,ignored,,,`） (two different growths in one row)",
        )
    _plausible(ctx, i, figures, growth, direction)
    for header_unit, letters in overridden.items():
        ctx.inferences.append(
            f"第{rownum}行单位 {row_unit} 与列头 {'、'.join(letters)} 的 {header_unit} "
            f"不同,按行的单位 (the row's unit wins over the header's)"
        )
    has_actual = any(_value(cells, c) is not None for c in layout.of("actual"))
    if not has_actual and (_growth(cells, layout, "yoy") is not None or note):
        ctx.inferences.append(
            f"第{rownum}行没有累计完成数,同比/备注无处存放,已略去 "
            f"(no actual: its yoy/note are dropped)"
        )


#: Beyond these a figure is more likely a misread column than a fact (see :func:`_plausible`).
MAX_GROWTH = 300.0  # |同比| in %
MAX_COMPLETION = 10.0  # actual / annual target
PRIOR_FACTOR = 100.0  # actual vs the same period last year


def _plausible(
    ctx: _Context,
    i: int,
    figures: list[tuple[Column, float]],
    growth: list[tuple[Column, Cell | None]],
    direction: str,
) -> None:
    """A problem for every figure of the row that is far outside what a sheet says.

    同比 beyond ±300%, completion beyond 1000% of the annual target, last year's figure
    100× off this year's: each is more often a column taken for the wrong thing (上年同期
    read as 同比, 完成率 read as a target) than a fact. Once the user confirms the column
    in the mapping, it is a warning in the inferences instead.
    """
    rownum = ctx.grid.row_numbers[i]
    found: list[tuple[Column, Any, str]] = []
    actual = next(((c, v) for c, v in figures if c.role == "actual"), None)
    for c, cell in growth:
        if cell is not None and cell.value is not None and abs(cell.value) > MAX_GROWTH:
            this = (
                f";本期 {actual[1]:g}({actual[0].letter}{rownum}) (this year {actual[1]:g})"
                if actual and c.role == "yoy"
                else ""
            )
            found.append(
                (
                    c,
                    cell.value,
                    f"同比 {cell.value:g}% 超出 ±{MAX_GROWTH:g}%,可能把上年同期数当成了同比{this} "
                    f"(growth beyond ±{MAX_GROWTH:g}%: last year's figure read as growth?)",
                )
            )
    year = str(ctx.period.year_period)
    annual = next(
        (
            (c, v)
            for c, v in figures
            if c.role == "target" and str(ctx.target_periods[c.index]) == year
        ),
        None,
    )
    if actual and annual and annual[1] > 0 and direction == "up":
        ratio = actual[1] / annual[1]
        if ratio > MAX_COMPLETION:
            found.append(
                (
                    actual[0],
                    actual[1],
                    f"完成 {ratio:.0%} 的全年目标({annual[0].letter}{rownum}),超出 "
                    f"{MAX_COMPLETION:.0%};单位或列可能读错 (completion beyond "
                    f"{MAX_COMPLETION:.0%} of the annual target: a unit or a column misread?)",
                )
            )
    for c, v in figures:
        if c.role != "last_actual" or actual is None or not v or not actual[1]:
            continue
        ratio = abs(actual[1] / v)
        computed = (actual[1] / v - 1) * 100
        if v > 0 and abs(computed) > MAX_GROWTH:
            found.append(
                (
                    c,
                    v,
                    f"按本期 {actual[1]:g}({actual[0].letter}{rownum})与上年同期 {v:g}"
                    f"({c.letter}{rownum})算出同比 {computed:+.1f}%,超出 ±{MAX_GROWTH:g}%;"
                    f"上年同期列或单位可能读错 (growth worked out from last year's figure "
                    f"beyond ±{MAX_GROWTH:g}%: this year {actual[1]:g}, last year {v:g})",
                )
            )
        elif ratio >= PRIOR_FACTOR or ratio <= 1 / PRIOR_FACTOR:
            found.append(
                (
                    c,
                    v,
                    f"上年同期数与本期数({actual[0].letter}{rownum})相差 {PRIOR_FACTOR:g} 倍以上;"
                    f"单位或列可能读错 (last year's figure {PRIOR_FACTOR:g}× off this year's)",
                )
            )
    for c, value, message in found:
        raw = _text(ctx.grid.cell(i, c.index)) or value
        if c.letter in ctx.confirmed:
            ctx.inferences.append(
                f"警告 (warning) {c.letter}{rownum}「{raw}」: {message};映射中已确认该列 "
                f"(the column is confirmed in the mapping)"
            )
        else:
            ctx.problem(
                i,
                c,
                raw,
                f"{message}。请核对该格;如确实无误,在映射文件中把列 {c.letter} 标为已确认 "
                f"(confirm: {c.letter},{c.role},yes) (check the cell; if it is right, "
                f"confirm column {c.letter} in the mapping file)",
            )


def _percent_cells(
    ctx: _Context, i: int, cells: dict[int, Cell | None], columns: list[Column]
) -> dict[int, Cell | None]:
    """A % row's figures as percents: 55%, 55 and 0.55 told apart by the cell and the column.

    A percent-formatted cell or one written ``55%`` is a percent as shown; a column the
    mapping file says writes fractions (``percent`` line) is read ×100, one it says writes
    percents as shown; a plain 0.55 in a row whose other figures are plainly percents (55,
    56%) is the fraction 55%; any other plain figure between 0 and 1 is ambiguous: a problem
    naming the cell and the mapping line that settles it.
    """
    grid, rownum = ctx.grid, ctx.grid.row_numbers[i]
    out = dict(cells)
    sure: list[float] = []
    fractions: list[Column] = []
    for c in columns:
        if c.role not in ("target", "actual", "last_actual"):
            continue
        cell = cells.get(c.index)
        if cell is None or cell.value is None:
            continue
        written = _percent_written(grid, i, c.index)
        if not written and c.percent == "fraction":
            read = as_fraction(cell, c)
            out[c.index] = read
            sure.append(abs(read.value or 0.0))
        elif not written and c.percent is None and 0 < abs(cell.value) <= 1:
            fractions.append(c)
        elif written or abs(cell.value) > 1.5:
            sure.append(abs(cell.value))
    if not fractions:
        return out
    ref = max(sure, default=0.0)
    for c in fractions:
        cell = cells[c.index]
        assert cell is not None and cell.value is not None
        raw = _text(grid.cell(i, c.index))
        if ref > 0 and 1 / 3 <= abs(cell.value) * 100 / ref <= 3:
            out[c.index] = replace(cell, value=round(cell.value * 100, 10))
            ctx.inferences.append(
                f"{c.letter}{rownum}「{raw}」是小数写法的百分数 → {cell.value * 100:g}% "
                f"(a fraction in a % row whose other figures are percents)"
            )
        elif ref > 0 or not float(cell.value).is_integer():
            ctx.problem(
                i,
                c,
                raw,
                f"单位为%的行中写了 {raw}：是 {cell.value * 100:g}% 还是 {raw}%？请写成 "
                f"{cell.value * 100:g}% 或 {raw}%，或在映射文件（--map）中说明列 {c.letter} 的写法："
                f"小数写 `,percent,{c.letter},,fraction,,,`，百分数写 "
                f"`,percent,{c.letter},,percent,,,` (a plain figure between 0 and 1 in a % row: "
                f"write it with %, or say how column {c.letter} writes percents in the mapping)",
            )
    return out


def zero_target_direction(name: str, unit: str | None, direction: str) -> str:
    """A target of 0 起 (or of an indicator where less is better) is a cap of zero: ``down``."""
    if direction == "up" and (unit in _INCIDENT_UNITS or _direction(name, None) == "down"):
        return "down"
    return direction


def _zero_target(
    ctx: _Context, i: int, name: str, unit: str, direction: str, cells: dict[int, Cell | None]
) -> str:
    """The direction of a row whose target is 0, each decision listed: 0 起 is a cap of zero
    (控制在0起以内); any other 0 is no target (未设目标), said so with how to write a cap."""
    rownum = ctx.grid.row_numbers[i]
    zeros = [
        c
        for c in ctx.layout.of("target")
        if (cell := cells.get(c.index)) is not None and cell.value == 0
    ]
    if not zeros or direction == "down":
        return direction  # already a cap (≤0, 安全事故): 0 is its target
    where = "、".join(f"{c.letter}{rownum}" for c in zeros)
    now = zero_target_direction(name, unit, direction)
    if now == "down":
        ctx.inferences.append(
            f"{where} 目标为 0 {unit} → 控制数 0,越小越好 (a target of 0 {unit}: a cap of zero, "
            f"direction down)"
        )
    else:
        ctx.inferences.append(
            f"警告 (warning) {where} 目标为 0:按未设目标报告;如是控制数,请写成 ≤0 "
            f"(a target of 0: reported as no target; write ≤0 for a cap)"
        )
    return now


def _direction(name: str, note: str | None) -> str:
    """The direction the name (or a 控制 note) suggests: ``down`` for a cap or an indicator
    where less is better (事故, 上访, 能耗), ``up`` otherwise, and ``up`` for a reduction rate
    (万元GDP能耗下降, 能耗降低率: the bigger the reduction the better). Only a guess: an
    explicit ``≥`` / ``≤`` in the target cell decides over it (:func:`bound_direction`)."""
    if note is not None and "控制" in note:
        return "down"
    if _REDUCTION.search(clean_text(name)):
        return "up"
    if any(w in name for w in _DOWN_WORDS):
        return "down"
    return "up"


def bound_direction(
    name: str, guess: str, bounds: list[tuple[str, str, str, float]]
) -> tuple[str, str | None, list[str]]:
    """The direction once the target cells are read: (direction, why, inferences).

    ``bounds`` holds (cell, text as written, ``cap`` / ``floor``, value) of the target cells
    that say a bound. A cap (``≤2``, 控制在…以内) means ``down``, a floor (``≥3.5%``, 不低于)
    ``up``: what the office wrote beats what the name suggests, and a disagreement is said.
    ``why`` is the deciding cell (for the mapping file), ``None`` when no cell said a bound.
    """
    if not bounds:
        return guess, None, []
    lines: list[str] = []
    kinds = {b[2] for b in bounds}
    if len(kinds) > 1:
        return (
            guess,
            None,
            [
                f"警告 (warning) {name} 的目标格既有上限又有下限("
                f"{'、'.join(f'{b[0]}「{b[1]}」' for b in bounds)}),按名称:"
                f"{_WORDS[guess]} (both a cap and a floor: the name decides)"
            ],
        )
    ref, text, kind, value = bounds[0]
    direction = "down" if kind == "cap" else "up"
    what = (
        f"控制数 {value:g},越小越好 (a cap: direction down)"
        if kind == "cap"
        else f"下限目标 {value:g},越大越好 (a floor target: direction up)"
    )
    lines.append(f"{ref}「{text}」→ {what}")
    if direction != guess:
        lines.append(
            f"{ref}「{text}」与名称「{name}」的推断({_WORDS[guess]})不同,以单元格为准:"
            f"{_WORDS[direction]};见映射文件的 direction 行 (the cell decides over the name; "
            f"see the direction line of the mapping file)"
        )
    return direction, f"{ref}「{text}」", lines


_WORDS = {"up": "越大越好", "down": "越小越好"}


def _indicator_unit(
    ctx: _Context, row_unit: str | None, source: str, cells: dict[int, Cell | None]
) -> tuple[str | None, str]:
    if row_unit:
        return row_unit, source
    layout = ctx.layout
    for c in layout.of("actual") + layout.of("target"):
        if c.unit:
            return c.unit, f"列头 {c.label} (from the header)"
    for c in layout.of("actual") + layout.of("target") + layout.of("last_actual"):
        cell = cells.get(c.index)
        if cell is not None and cell.unit and not _converts(cell.unit, layout.table_unit):
            # 2起 under 单位:万元: the row's own word beats the table's default
            return cell.unit, f"单元格 {c.letter} 中写的单位 (written in the cell)"
    if layout.table_unit:
        return layout.table_unit, f"单位行 第{layout.table_unit_row}行 (from the 单位 row)"
    for c in layout.of("last_actual"):
        if c.unit:
            return c.unit, f"列头 {c.label} (from the header)"
    return None, ""


def _converts(a: str, b: str | None) -> bool:
    """True when ``a`` converts to ``b`` (亿元 → 万元); ``False`` for no ``b``."""
    if b is None:
        return False
    try:
        conversion_factor(a, b)
    except UnitError:
        return False
    return True


def _convertible(ctx: _Context, i: int, c: Column, value_unit: str, unit: str, cell: Cell) -> bool:
    try:
        conversion_factor(value_unit, unit)
    except UnitError as exc:
        ctx.problem(i, c, _text(ctx.grid.cell(i, c.index)), exc.problem.message)
        return False
    return True


def _note(ctx: _Context, i: int) -> str | None:
    cols = ctx.layout.of("note")
    text = _text(ctx.grid.cell(i, cols[0].index)) if cols else ""
    return text or None


def _estimated_by(ctx: _Context, i: int, note: str | None) -> str | None:
    """Why the row's actual is an estimate (备注 or 状态 column), or ``None``."""
    rownum = ctx.grid.row_numbers[i]
    cols = ctx.layout.of("status")
    if cols:
        raw = _text(ctx.grid.cell(i, cols[0].index))
        if raw:
            status = canonical_choice("status", raw)
            if status is None and clean_text(raw).lower() in _YES:
                status = "预计"
            if status is None and clean_text(raw) in ("否", "×", "n", "no"):
                return None
            if status is None:
                ctx.problem(
                    i, cols[0], raw, "不是预计/快报/正式 (not a status: 预计, 快报 or 正式)"
                )
                return None
            return f"status:{status}"
    if note and "预计" in note:
        ctx.inferences.append(
            f"第{rownum}行备注「{note}」含“预计” → 状态 预计 (estimate, from the note)"
        )
        return "status:预计"
    return None


def _status(ctx: _Context, i: int, c: Column, cell: Cell, estimated_by: str | None) -> str | None:
    rownum = ctx.grid.row_numbers[i]
    if cell.estimated:
        ctx.inferences.append(
            f"{c.letter}{rownum} 写有“预计” → 状态 预计 (estimate, marked in the cell)"
        )
        return "预计"
    if c.estimated:
        return "预计"
    if cell.starred:
        if ctx.star_means_estimate:
            ctx.inferences.append(f"{c.letter}{rownum} 带*号 → 状态 预计 (starred: an estimate)")
            return "预计"
        ctx.inferences.append(
            f"{c.letter}{rownum} 带*号,表下没有说明其含义,已忽略 (a star with no footnote: ignored)"
        )
    if estimated_by:
        return estimated_by.split(":", 1)[1]
    return None


def _value(cells: dict[int, Cell | None], column: Column) -> float | None:
    cell = cells.get(column.index)
    return cell.value if cell is not None else None


def _growth(cells: dict[int, Cell | None], layout: Layout, role: str) -> float | None:
    """The row's growth from the ``role`` columns (``yoy`` also from 比上年增减 cells in %)."""
    columns = layout.of(role) + (layout.of("change") if role == "yoy" else [])
    return next((v for c in columns if (v := _value(cells, c)) is not None), None)


# --------------------------------------------------------------------------- output


def _summarise(ctx: _Context) -> None:
    down = [r["name"] for r in ctx.indicators if r["direction"] == "down"]
    rate = [r["name"] for r in ctx.indicators if r["measure"] == "rate"]
    if down:
        ctx.inferences.append(f"越小越好 (direction down): {'、'.join(down)}")
    if rate:
        ctx.inferences.append(f"单位为%,按比率 (measure rate): {'、'.join(rate)}")
    skipped = (
        f";跳过合计/小计行 {len(ctx.skipped)} 行 (total rows skipped): {'、'.join(ctx.skipped)}"
        if ctx.skipped
        else ""
    )
    ctx.inferences.append(
        f"共 {len(ctx.indicators)} 个指标、{len(ctx.targets)} 个目标、{len(ctx.actuals)} 个完成数;"
        f"其余指标按累计、越大越好 (the rest: cumulative, up){skipped}"
    )


def _frame(name: str, records: list[dict[str, Any]]) -> pd.DataFrame:
    columns = _COLUMNS[name]
    assert all(c in {col.name for col in TABLES[name].columns} for c in columns)
    frame = pd.DataFrame.from_records(records, columns=columns)
    for col in ("target", "value", "yoy"):
        if col in frame and not any(isinstance(v, str) for v in frame[col]):
            frame[col] = frame[col].astype("float64")  # 300余 (a qualifier) stays as written
    return frame
