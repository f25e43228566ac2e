"""The 完成情况表 as a formatted Excel workbook: real numbers, number formats, A4 landscape.

The same layout as the report's table (:func:`helpers.document.tables.progress_layout`), so the
workbook and the page never disagree. Written with XlsxWriter (a third of openpyxl's time, which
a batch pays in every report); text cells from data are written as text, never as a formula, and
text a spreadsheet would take for one keeps Excel's quote prefix when someone edits the cell.
"""

from __future__ import annotations

import io
import math
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..base.cells import CELL_MAX_CHARS, cell_length, looks_like_formula
from ..base.files import write_atomic
from ..base.missing import NONE
from ..errors import shortened
from ..metrics.status import StatusKey
from .palette import STATUS_TINTS
from .tables import org_display, progress_caption, progress_layout
from .words import is_zh, zh_punctuation

__all__ = ["write_progress_xlsx", "progress_xlsx"]


#: How the body cells of each kind of column are aligned.
_BODY_ALIGN: dict[str, dict[str, Any]] = {
    "num": {"align": "right", "valign": "vcenter"},
    "note": {"text_wrap": True, "valign": "vcenter"},
    "status": {"align": "center", "valign": "vcenter"},
    "text": {"align": "center", "valign": "vcenter"},
    "other": {"valign": "vcenter", "text_wrap": True},
}
#: A thin grey box around a cell.
_BOX = {"border": 1, "border_color": "#808080"}
#: What XlsxWriter is told about the cells it is given: nothing is guessed from text.
_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


#: Text Excel would not read back as written: ``_xHHHH_`` is how a workbook escapes a character,
#: and XlsxWriter protects each such sequence but not two that share an underscore
#: (``_x0041_x0042_`` would read as ``_x0041B``).
_AMBIGUOUS = re.compile(r"_x[0-9A-Fa-f]{4}(?=_x[0-9A-Fa-f]{4}_)")


def _checked(result: int, row: int, col: int, value: Any) -> None:
    """XlsxWriter's status for one cell: anything but 0 (a row or column beyond the sheet's,
    text cut short) is an error, never a cell left out silently."""
    if result != 0:
        raise ValueError(
            f"完成情况表第{row + 1}行第{col + 1}列写不进 Excel 工作簿 (XlsxWriter 状态 {result}) "
            f"(cannot write row {row + 1}, column {col + 1} of the workbook): {shortened(value)}"
        )


class _Formats:
    """The cell formats of one workbook, each made once (by its properties) and then reused."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.made: dict[tuple[tuple[str, Any], ...], Any] = {}

    def __call__(self, **properties: Any) -> Any:
        key = tuple(sorted(properties.items()))
        made = self.made.get(key)
        if made is None:
            made = self.made[key] = self.wb.add_format(properties)
        return made


def _width(text: str) -> float:
    """Display width in Excel character units: CJK characters count double."""
    return sum(2.0 if ord(ch) > 0x2E7F else 1.0 for ch in text)


def write_progress_xlsx(
    table: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    lang: str = "zh",
    title: str | None = None,
    org_name: str | None = None,
    decimals: int = 1,
) -> Path:
    """:func:`progress_xlsx` saved whole to ``path`` (never half a workbook); returns the path."""
    return write_atomic(
        path, progress_xlsx(table, lang=lang, title=title, org_name=org_name, decimals=decimals)
    )


def progress_xlsx(
    table: pd.DataFrame,
    *,
    lang: str = "zh",
    title: str | None = None,
    org_name: str | None = None,
    decimals: int = 1,
) -> bytes:
    """The 完成情况表 as the bytes of a formatted .xlsx (real numbers, number formats, A4 landscape)."""
    import xlsxwriter

    layout = progress_layout(table, lang, decimals)
    en = lang == "en"
    title = title if title is not None else progress_caption(table, lang=lang, org_name=org_name)
    cols, n = layout.columns, len(layout.columns)
    font = "Calibri" if en else "宋体"

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, _OPTIONS)
    ws = wb.add_worksheet("Progress" if en else "完成情况表")
    fmt = _Formats(wb)

    def text(row: int, col: int, value: str, **properties: Any) -> None:
        """A text cell (0-based row and column), never a formula; an empty one is blank."""
        if not value:
            _checked(ws.write_blank(row, col, None, fmt(**properties)), row, col, value)
            return
        if cell_length(value) > CELL_MAX_CHARS:  # XlsxWriter would cut it (data is checked
            raise ValueError(  # when loaded: this is a title or a line made of several texts)
                f"文字超过 Excel 单元格的 {CELL_MAX_CHARS} 字上限，未写入完成情况表 (text longer "
                f"than an Excel cell's {CELL_MAX_CHARS} characters): {shortened(value)}"
            )
        if _AMBIGUOUS.search(value):
            raise ValueError(
                "文字里相连的 _xHHHH_ 序列在 Excel 里会被读成别的字符，未写入完成情况表 "
                f"(Excel would read the adjoining _xHHHH_ sequences as other characters): "
                f"{shortened(value)}"
            )
        if looks_like_formula(value):
            properties["quote_prefix"] = True
        _checked(ws.write_string(row, col, value, fmt(**properties)), row, col, value)

    def merged(row: int, first: int, last: int, value: str, **properties: Any) -> None:
        """``value`` across columns ``first``..``last`` of ``row`` (0-based), as text."""
        if last > first:
            ws.merge_range(row, first, row, last, "", fmt(**properties))
        text(row, first, value, **properties)

    # 0-based rows: the title, the org and the date, then the header
    merged(0, 0, n - 1, title, font_name="Calibri" if en else "黑体", font_size=16, bold=True,
           align="center", valign="vcenter")  # fmt: skip
    ws.set_row(0, 30)
    half = max(n // 2, 1)
    org_text = org_display(table, lang, org_name)
    merged(1, 0, half - 1, f"Reporting org: {org_text}" if en else f"填报单位：{org_text}",
           font_name=font, font_size=10)  # fmt: skip
    if layout.period is not None:
        p = layout.period
        end = f"{pd.Timestamp(2000, p.end_month, 1):%B} {p.year}"
        as_of = f"Figures to the end of {end}" if en else f"数据截至{p.year}年{p.end_month}月底"
        merged(1, half, n - 1, as_of, font_name=font, font_size=10, align="right")

    head_rows = 2 if layout.groups else 1
    top = 2
    header = {"font_name": font, "font_size": 10, "bold": True, "align": "center",
              "valign": "vcenter", "text_wrap": True, "bg_color": "#EEEEEE", **_BOX}  # fmt: skip
    for r in range(top, top + head_rows):  # every header cell boxed, those left empty too
        for j in range(n):
            ws.write_blank(r, j, None, fmt(**header))
    j = 0
    while j < n:
        c = cols[j]
        if layout.groups and c.group:
            span = 1
            while j + span < n and cols[j + span].group == c.group:
                span += 1
            merged(top, j, j + span - 1, c.group, **header)
            for k in range(j, j + span):
                text(top + 1, k, cols[k].sub or cols[k].label, **header)
            j += span
            continue
        label = c.label + (f"({c.hint})" if c.hint else "")
        label = zh_punctuation(label) if is_zh(layout.lang) else label
        if layout.groups:
            ws.merge_range(top, j, top + 1, j, "", fmt(**header))
        text(top, j, label, **header)
        j += 1

    widths = [_width(c.label + (c.hint or "")) / head_rows + 2 for c in cols]
    r = top + head_rows
    body = {"font_name": font, "font_size": 10, **_BOX}
    for row in layout.rows:
        if row.kind == "sector":
            merged(r, 0, n - 1, row.label, **body, bold=True, bg_color="#F7F7F7")
            r += 1
            continue
        for j, c in enumerate(cols):
            cell = row.cells[c.key]
            value = cell.value if cell.value is not None else NONE
            if c.kind == "status":
                tint = STATUS_TINTS[row.status or StatusKey.NO_DATA]
                style = {**body, **_BODY_ALIGN["status"], "bg_color": tint}
            else:
                style = {**body, **_BODY_ALIGN[c.kind if c.kind in _BODY_ALIGN else "other"]}
            if isinstance(value, str):
                text(r, j, value, **style)
            else:
                if c.kind == "num":
                    style["num_format"] = cell.number_format
                _checked(ws.write_number(r, j, value, fmt(**style)), r, j, value)
            widths[j] = max(widths[j], _width(cell.text) + 2)
        r += 1
    for line in layout.notes:
        merged(r, 0, n - 1, line, font_name=font, font_size=9, font_color="#555555",
               text_wrap=True, valign="top")  # fmt: skip
        ws.set_row(r, 15 * max(1, math.ceil(_width(line) / max(sum(widths), 1))))
        r += 1

    for j, c in enumerate(cols):
        cap = 40 if c.kind == "note" else 28 if c.kind == "name" else 16
        ws.set_column(j, j, min(max(widths[j], 6), cap))
    name_col = next(j for j, c in enumerate(cols) if c.key == "name")
    ws.freeze_panes(top + head_rows, name_col + 1)
    ws.repeat_rows(top, top + head_rows - 1)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)  # one page wide, as many long as it takes
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=1.0, bottom=1.0)
    wb.close()
    return buffer.getvalue()
