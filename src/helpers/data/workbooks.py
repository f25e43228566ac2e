"""Limits on an .xlsx before it is opened: the one rule against zip bombs, for data sets
(:mod:`helpers.data.dataset`) and offices' sheets (:mod:`helpers.importer.sheets`) alike.

An .xlsx is a zip: a few MB can expand to GBs of XML, and a single far cell (``A1048576``)
makes a reader walk a million rows. :func:`guard_workbook` reads the zip's directory (the
sizes its parts declare; :mod:`zipfile` never inflates a part past its declared size) and
streams each sheet's XML once, stopping at the limit, so a bomb is refused in well under a
second with a message saying which limit and, where it is one sheet's, which sheet.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import DataError

__all__ = [
    "WorkbookLimits",
    "DATASET_LIMITS",
    "SHEET_LIMITS",
    "XLSX_MAX_BYTES",
    "XLSX_MAX_CELLS",
    "XLSX_MAX_ROWS",
    "guard_workbook",
    "sheet_titles",
]

XLSX_MAX_BYTES = 256 * 1024 * 1024  # all the parts of a data set's workbook, uncompressed
XLSX_MAX_CELLS = 2_000_000  # cells (and empty rows) of all a data set's sheets, while read
XLSX_MAX_ROWS = 100_000  # rows of one sheet (a larger table is a CSV: read at file speed)


@dataclass(frozen=True)
class WorkbookLimits:
    """What a workbook may hold before it is opened.

    ``max_area``: rows × columns a sheet spans, up to its farthest cell (``None``: not
    checked); a reader that loads the sheet whole walks all of them, empty or not.
    ``label`` names whose limit it is in the message (数据集, 导入).
    """

    max_bytes: int
    max_rows: int
    max_area: int | None
    label: str
    #: count only rows and cells that hold a value (``<v>``, ``<is>``, ``<f>``): a reader
    #: that keeps only those (the importer's) is not slowed by empty formatted rows
    values_only: bool = False


#: A data set's workbook: read row by row (openpyxl's read-only mode), cells counted as read.
DATASET_LIMITS = WorkbookLimits(XLSX_MAX_BYTES, XLSX_MAX_ROWS, None, "数据集")
#: An office's 完成情况表, streamed once, only the cells that hold something kept: a few
#: thousand cells in life; empty formatted rows below the table are not counted.
SHEET_LIMITS = WorkbookLimits(64 * 1024 * 1024, 20_000, 500_000, "导入", values_only=True)

_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_ROW_NUMBER = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br=\"(\d{1,7})\"")
_CELL_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br=\"([A-Z]{1,3})(\d{1,7})\"")
#: A cell that holds something: not self-closed, and a value, inline string or formula first.
_VALUE_CELL = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br=\"([A-Z]{1,3})(\d{1,7})\"[^>]*(?<!/)>\s*"
    rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|is|f)[\s>/]"
)
_ROW_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?row>|<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*/>")


def guard_workbook(path: Path, limits: WorkbookLimits = DATASET_LIMITS) -> None:
    """Refuse (:class:`DataError`) a workbook whose parts expand beyond ``limits.max_bytes``,
    a sheet of more than ``limits.max_rows`` rows or spanning more than ``limits.max_area``
    cells. A file that is no zip passes: the reader says what is wrong with it."""
    message, sheet = _over(path, limits)
    if message is not None:
        raise DataError(message, file=path.name, sheet=sheet)


def _over(path: Path, limits: WorkbookLimits) -> tuple[str | None, str | None]:
    """(the limit the workbook goes past, the sheet it is in), or (None, None)."""
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
            if total > limits.max_bytes:
                mib, limit = total / 2**20, limits.max_bytes // 2**20
                return (
                    f"工作簿解压后有 {mib:.0f} MB，超过{limits.label}上限 {limit} MB，未读取 "
                    f"(the workbook expands to {mib:.0f} MB, more than the {limit} MB limit: "
                    "not read)"
                ), None
            titles = sheet_titles(archive)
            parts = [
                p
                for p in archive.namelist()
                if p.startswith("xl/worksheets/") and p.endswith(".xml")
            ]
            for part in parts:
                over = _sheet_over(archive, part, limits)
                if over is not None:
                    return over, titles.get(part, part)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        pass  # not a workbook: its reader says what is wrong with it
    return None, None


def _sheet_over(archive: zipfile.ZipFile, part: str, limits: WorkbookLimits) -> str | None:
    """Which limit a sheet part goes past (streamed once, stopping there), or ``None``."""
    rows = far_row = far_column = 0
    rest = b""
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(1 << 20)
            data = rest + chunk
            if limits.values_only:
                rows, far_row, cut = _value_rows(data, bool(chunk), rows, far_row)
                far_column = max(far_column, _value_columns(data, cut))
            else:
                cut = len(data) if not chunk else data.rfind(b">") + 1  # a tag never spans it
                rows += len(_ROW.findall(data, 0, cut))
            if limits.max_area is not None and not limits.values_only:
                for m in _ROW_NUMBER.finditer(data, 0, cut):
                    far_row = max(far_row, int(m.group(1)))
                for m in _CELL_REF.finditer(data, 0, cut):
                    far_row = max(far_row, int(m.group(2)))
                    far_column = max(far_column, _column_number(m.group(1)))
            rest = data[cut:]
            if rows > limits.max_rows:
                return (
                    f"工作表超过 {limits.max_rows:,} 行，未读取；更大的表请用 CSV 文件夹 "
                    f"(more than {limits.max_rows:,} rows: not read; use a folder of CSV files "
                    "for larger tables)"
                )
            area = max(far_row, rows) * max(far_column, 1)
            if limits.max_area is not None and area > limits.max_area:
                return (
                    f"工作表的范围超过 {limits.max_area:,} 个单元格（到第 {far_row:,} 行、第 "
                    f"{far_column:,} 列），未读取；请删去表外的空行空列或远处的单元格后另存 "
                    f"(the sheet spans more than {limits.max_area:,} cells: not read; delete "
                    "the rows and columns beyond the table and save it again)"
                )
            if not chunk:
                return None


def _value_rows(data: bytes, more: bool, rows: int, far_row: int) -> tuple[int, int, int]:
    """(rows holding a value so far, the farthest such row, where this chunk is cut): a
    chunk is read up to its last whole row, so a cell and its value are never split."""
    cut = len(data)
    if more:
        ends = list(_ROW_END.finditer(data))
        cut = ends[-1].end() if ends else 0
    seen: set[int] = set()
    for m in _VALUE_CELL.finditer(data, 0, cut):
        seen.add(int(m.group(2)))
    if seen:
        far_row = max(far_row, max(seen))
    return rows + len(seen), far_row, cut


def _value_columns(data: bytes, cut: int) -> int:
    """The farthest column holding a value in ``data[:cut]``."""
    return max((_column_number(m.group(1)) for m in _VALUE_CELL.finditer(data, 0, cut)), default=0)


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet part name → the sheet's title (workbook.xml and its relationships)."""
    import xml.etree.ElementTree as ET

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    try:
        book = ET.fromstring(archive.read("xl/workbook.xml"))
        links = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError):
        return {}
    targets = {
        r.get("Id"): "xl/" + str(r.get("Target", "")).lstrip("/").removeprefix("xl/") for r in links
    }
    return {
        targets[s.get(rel)]: str(s.get("name"))
        for s in book.iter(f"{main}sheet")
        if s.get(rel) in targets
    }
