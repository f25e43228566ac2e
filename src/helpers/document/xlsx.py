"""The 完成情况表 as a formatted Excel workbook: real numbers, number formats, A4 landscape.

The same layout as the report's table (:func:`helpers.document.tables.progress_layout`), so the
workbook and the page never disagree; text cells from data are written as text.
"""

from __future__ import annotations

import io
import math
import os
from pathlib import Path
from typing import Any

import pandas as pd

from ..base.cells import text_cells
from ..base.files import write_atomic
from ..base.missing import NONE
from ..metrics.status import StatusKey
from .palette import STATUS_TINTS
from .tables import org_display, progress_caption, progress_layout
from .words import is_zh, zh_punctuation

__all__ = ["write_progress_xlsx", "progress_xlsx"]


#: How the body cells of each kind of column are aligned.
_BODY_ALIGN = {
    "num": {"horizontal": "right", "vertical": "center"},
    "note": {"wrap_text": True, "vertical": "center"},
    "status": {"horizontal": "center", "vertical": "center"},
    "text": {"horizontal": "center", "vertical": "center"},
    "other": {"vertical": "center", "wrap_text": True},
}


class _Styles:
    """The cell styles of one workbook, each made once as a named style ("kpibook …") and then
    given to cells by name: setting font, border, fill and alignment on every cell hashes
    each of them again in openpyxl, most of the time a workbook took."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.made: set[str] = set()

    def __call__(self, cell: Any, name: str, *, alignment: Any = None, **parts: Any) -> None:
        from openpyxl.styles import Alignment, NamedStyle

        name = f"kpibook {name}"
        if name not in self.made:
            if isinstance(alignment, dict):
                alignment = Alignment(**alignment)
            if alignment is not None:
                parts["alignment"] = alignment
            self.wb.add_named_style(NamedStyle(name=name, **parts))
            self.made.add(name)
        cell.style = name


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
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    layout = progress_layout(table, lang, decimals)
    en = lang == "en"
    title = title if title is not None else progress_caption(table, lang=lang, org_name=org_name)
    cols, n = layout.columns, len(layout.columns)
    last = get_column_letter(n)
    font = "Calibri" if en else "宋体"
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    grey = PatternFill("solid", fgColor="EEEEEE")

    wb = Workbook()
    ws = wb.active
    ws.title = "Progress" if en else "完成情况表"
    ws["A1"] = title
    ws["A1"].font = Font(name="Calibri" if en else "黑体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 30

    half = max(n // 2, 1)
    org_text = org_display(table, lang, org_name)
    ws["A2"] = f"Reporting org: {org_text}" if en else f"填报单位：{org_text}"
    if layout.period is not None:
        p = layout.period
        end = f"{pd.Timestamp(2000, p.end_month, 1):%B} {p.year}"
        ws.cell(
            2,
            half + 1,
            f"Figures to the end of {end}" if en else f"数据截至{p.year}年{p.end_month}月底",
        )
        ws.cell(2, half + 1).alignment = Alignment(horizontal="right")
        ws.merge_cells(start_row=2, start_column=half + 1, end_row=2, end_column=n)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=half)
    for first in (1, half + 1):
        ws.cell(2, first).font = Font(name=font, size=10)

    head_rows = 2 if layout.groups else 1
    top = 3
    header_font = Font(name=font, size=10, bold=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for j, c in enumerate(cols, start=1):
        label = c.label + (f"({c.hint})" if c.hint else "")
        label = zh_punctuation(label) if is_zh(layout.lang) else label
        if layout.groups and c.group:
            ws.cell(top + 1, j, (c.sub or c.label))
        else:
            ws.cell(top, j, label)
            if layout.groups:
                ws.merge_cells(start_row=top, start_column=j, end_row=top + 1, end_column=j)
    if layout.groups:
        j = 1
        while j <= n:
            c = cols[j - 1]
            if c.group:
                span = 1
                while j + span <= n and cols[j + span - 1].group == c.group:
                    span += 1
                ws.cell(top, j, c.group)
                ws.merge_cells(start_row=top, start_column=j, end_row=top, end_column=j + span - 1)
                j += span
            else:
                j += 1
    style = _Styles(wb)  # each kind of cell styled once, then named (cheap per cell)
    for r in range(top, top + head_rows):
        for j in range(1, n + 1):
            style(
                ws.cell(r, j), "header", font=header_font, alignment=center, border=box, fill=grey
            )

    widths = [_width(c.label + (c.hint or "")) / head_rows + 2 for c in cols]
    r = top + head_rows
    body_font = Font(name=font, size=10)
    sector_font, sector_fill = (
        Font(name=font, size=10, bold=True),
        PatternFill("solid", fgColor="F7F7F7"),
    )
    for row in layout.rows:
        if row.kind == "sector":
            ws.cell(r, 1, row.label)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
            for j in range(1, n + 1):
                style(ws.cell(r, j), "sector", font=sector_font, border=box, fill=sector_fill)
        else:
            for j, c in enumerate(cols, start=1):
                cell_data = row.cells[c.key]
                value = cell_data.value
                cell = ws.cell(r, j, value if value is not None else NONE)
                if c.kind == "status":
                    key = row.status or StatusKey.NO_DATA
                    tint = PatternFill("solid", fgColor=STATUS_TINTS[key].lstrip("#").upper())
                    style(cell, f"status {key}", font=body_font, border=box, fill=tint,
                          alignment=_BODY_ALIGN["status"])  # fmt: skip
                else:
                    kind = c.kind if c.kind in _BODY_ALIGN else "other"
                    style(cell, kind, font=body_font, border=box, alignment=_BODY_ALIGN[kind])
                if c.kind == "num" and value is not None and not isinstance(value, str):
                    cell.number_format = cell_data.number_format
                widths[j - 1] = max(widths[j - 1], _width(cell_data.text) + 2)
        r += 1
    for line in layout.notes:
        ws.cell(r, 1, line).font = Font(name=font, size=9, color="555555")
        ws.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
        ws.row_dimensions[r].height = 15 * max(1, math.ceil(_width(line) / max(sum(widths), 1)))
        r += 1

    for j, c in enumerate(cols, start=1):
        cap = 40 if c.kind == "note" else 28 if c.kind == "name" else 16
        ws.column_dimensions[get_column_letter(j)].width = min(max(widths[j - 1], 6), cap)
    name_col = next(j for j, c in enumerate(cols, start=1) if c.key == "name")
    ws.freeze_panes = f"{get_column_letter(name_col + 1)}{top + head_rows}"
    ws.print_title_rows = f"{top}:{top + head_rows - 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    text_cells(ws)  # names, units, 备注 from data starting with = + - @ stay text
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
