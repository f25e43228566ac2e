"""``kpibook template``: an empty input workbook an office fills in and hands back.

One sheet per table of the data contract, named in Chinese (指标, 目标, 完成, 项目, 文字, 乡镇),
with a header row the loader reads back (the first Chinese name of each column), and a
说明 sheet in front explaining every table and column. Everything comes from
:mod:`helpers.data.schema`, so the template, the loader and the validator never disagree.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import UsageError
from .schema import CHOICES, TABLE_ORDER, TABLES, Column, Table

__all__ = ["write_template", "header_name", "GUIDE_SHEET", "GUIDE_HEADER"]

#: The first sheet: what every table and column means, in Chinese.
GUIDE_SHEET = "说明"
GUIDE_HEADER = ("表（工作表）", "表名（英文）", "列名（英文）", "中文列名", "必填", "说明")

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_TITLE_FONT = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_REQUIRED_FONT = Font(bold=True, color="C00000")
_VALIDATED_ROWS = 2000  # data validation covers this many rows below the header

_FORMS = (
    (
        "期间怎么写",
        [
            "全年：2013（期间为全年的目标就是全年目标）",
            "半年：2013H1（上半年）、2013H2（下半年）；也可写 2013年上半年",
            "季度：2013Q1 … 2013Q4；月：2013-06（也可写 2013年1-6月）",
            "完成数都是自1月1日起至期末的累计数（如 1-6月累计）",
            "期间请设为「文本」格式，以免 Excel 把 2013-06 改成日期",
        ],
    ),
    (
        "数字怎么写",
        [
            "可以带千分位（6,035）、全角数字（６０３５）或百分号（55%）",
            "没有数值时留空，或填 — 、- 、/ ；其他文字会被报告为错误",
            "数值按「指标」表中该指标的单位填写；"
            "某行单位不同（如 亿元）时在该行「单位」列注明，自动换算",
            "比率类指标（类型 rate）直接填百分数，如 96.8",
        ],
    ),
    (
        "其他",
        [
            "红色加粗的列为必填列；表头请勿改动（英文列名也可使用）",
            "「项目」「文字」「乡镇」三张表可以不填",
            "方向、类型、状态列有下拉列表，中文或英文写法均可",
            "「文字」表的栏目列填 title、overview、highlights、problems、plans，"
            "或某个领域的名称（如 工业）",
        ],
    ),
)


def header_name(column: Column) -> str:
    """The header a sheet uses for ``column``: its first Chinese name (the loader accepts it)."""
    return column.zh[0] if column.zh else column.name


def write_template(path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the empty input workbook to ``path`` (``.xlsx``) and return the path.

    Refuses to replace an existing file unless ``overwrite`` is true (:class:`UsageError`),
    because a filled-in workbook is someone's half-year of work.
    """
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise UsageError(f"模板文件应以 .xlsx 结尾 (template must be an .xlsx file): {target}")
    if target.exists() and not overwrite:
        raise UsageError(
            f"文件已存在，不会覆盖：{target}；要替换它请加 --force（kpibook template --force），或换一个文件名 "
            f"(file exists, not overwritten: {target}; add --force to replace it, or choose "
            "another name)"
        )
    if not target.parent.exists():
        raise UsageError(f"目录不存在 (no such folder): {target.parent}")

    book = Workbook()
    _write_guide(book.active)
    for name in TABLE_ORDER:
        _write_table(book.create_sheet(TABLES[name].zh), TABLES[name])
    book.active = 0
    book.save(target)
    return target


def _write_guide(sheet: Worksheet) -> None:
    """The 说明 sheet: one row per column of every table, then how periods and numbers go."""
    sheet.title = GUIDE_SHEET
    sheet["A1"] = "kpibook 数据填报模板 · 说明"
    sheet["A1"].font = _TITLE_FONT
    sheet["A2"] = (
        "每张工作表对应一张表；第一行是表头，从第二行起每行一条数据。"
        "填好后用 kpibook check --data 本文件.xlsx 检查。"
    )
    row = 4
    for col, text in enumerate(GUIDE_HEADER, start=1):
        cell = sheet.cell(row=row, column=col, value=text)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
    header_row = row
    for name in TABLE_ORDER:
        table = TABLES[name]
        row += 1
        sheet.cell(row=row, column=1, value=table.zh).font = _BOLD
        sheet.cell(row=row, column=2, value=table.name).font = _BOLD
        optional = "（可选）" if table.optional and "可选" not in table.help_zh else ""
        sheet.cell(row=row, column=6, value=f"{table.help_zh}{optional}").font = _BOLD
        for column in table.columns:
            row += 1
            values = (
                table.zh,
                table.name,
                column.name,
                "、".join(column.zh),
                "是" if column.required else "",
                _column_help(column),
            )
            for col, value in enumerate(values, start=1):
                sheet.cell(row=row, column=col, value=value)
            if column.required:
                sheet.cell(row=row, column=5).font = _REQUIRED_FONT
    for title, lines in _FORMS:
        row += 2
        sheet.cell(row=row, column=1, value=title).font = _BOLD
        for line in lines:
            row += 1
            sheet.cell(row=row, column=1, value="·")
            sheet.cell(row=row, column=2, value=line)
    for col, width in enumerate((12, 12, 18, 22, 6, 70), start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    for cells in sheet.iter_rows(min_row=header_row + 1, min_col=6, max_col=6):
        cells[0].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)


def _column_help(column: Column) -> str:
    """The help text of a column, with its allowed values when it is a choice column."""
    text = column.help_zh
    if column.kind == "choice" and column.name in CHOICES:
        text += f"。可填：{'、'.join(CHOICES[column.name])}"
    return text


def _write_table(sheet: Worksheet, table: Table) -> None:
    """One table's sheet: styled header, required columns marked, lists for choice columns."""
    for col, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=1, column=col, value=header_name(column))
        cell.font = _REQUIRED_FONT if column.required else _BOLD
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        mark = "必填" if column.required else "选填"
        cell.comment = Comment(
            f"{column.name}({mark})\n{_column_help(column)}", "kpibook", width=260, height=110
        )
        letter = get_column_letter(col)
        width = max(10, 2 * len(header_name(column)) + 4, min(len(column.help_zh), 30))
        sheet.column_dimensions[letter].width = width
        cells = f"{letter}2:{letter}{_VALIDATED_ROWS + 1}"
        if column.kind in ("period", "text", "prose"):  # text: 2013-06 stays no date, 001 keeps 00
            sheet.column_dimensions[letter].number_format = "@"
        if column.kind == "choice" and column.name in CHOICES:
            rule = DataValidation(
                type="list",
                formula1=_list_formula(column.name),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="取值不在列表中",
                error=_column_help(column),
                promptTitle=header_name(column),
                prompt=column.help_zh[:255],
            )
            rule.add(cells)
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "A2"


def _list_formula(column: str) -> str:
    """An Excel list formula with every accepted spelling of a choice column."""
    return '"' + ",".join(CHOICES[column]) + '"'
