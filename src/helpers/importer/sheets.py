"""Read an office's sheet (.xlsx, .xls or an Excel-saved CSV) into a plain grid of cells.

The importer wants the same thing from every format: rows of cell values as the user sees
them, with merged cells filled in (a merged 本期 over 累计|同比 counts for both columns),
the row numbers Excel or an editor shows, and the percent-formatted cells read as the
percent the user sees (0.123 shown as 12.3% → 12.3). CSVs saved by Chinese Excel are GBK:
they are read as GB18030 when they are not UTF-8.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base.files import control_character, csv_delimiter, decode_text
from ..data.workbooks import SHEET_LIMITS, WorkbookLimits, guard_workbook
from ..errors import DataError, UsageError
from .cells import clean_text

__all__ = ["Grid", "Unreadable", "read_grids", "column_letter", "SUFFIXES"]

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


@dataclass(frozen=True)
class Unreadable:
    """A cell whose value cannot be known from the file (a formula never calculated, #DIV/0!)."""

    text: str
    reason: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Grid:
    """One sheet as rows of cells; ``row_numbers[i]`` is the row the user sees for ``rows[i]``."""

    file: str
    sheet: str | None
    rows: list[list[Any]]
    row_numbers: list[int]
    merged: set[tuple[int, int]] = field(default_factory=set)  # (i, j) filled from a merge
    percent_cells: list[tuple[int, int]] = field(default_factory=list)  # scaled ×100
    encoding: str | None = None
    hidden_rows: set[int] = field(default_factory=set)  # grid indexes of hidden rows
    hidden_columns: set[int] = field(default_factory=set)  # 0-based hidden columns
    computed: dict[tuple[int, int], str] = field(default_factory=dict)  # formula computed here
    #: cells whose format writes a % as text (``0.0"%"``): shown as the percent they hold
    percent_text: set[tuple[int, int]] = field(default_factory=set)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def cell(self, i: int, j: int) -> Any:
        row = self.rows[i]
        return row[j] if j < len(row) else None


def column_letter(j: int) -> str:
    """Excel's name of the 0-based column ``j``: 0 → A, 26 → AA."""
    name = ""
    j += 1
    while j:
        j, rest = divmod(j - 1, 26)
        name = chr(65 + rest) + name
    return name


def read_grids(path: str | Path, *, limits: WorkbookLimits = SHEET_LIMITS) -> list[Grid]:
    """Every sheet of the file as a :class:`Grid` (a CSV has one).

    An .xlsx past ``limits`` (a zip bomb, a far cell) is refused before it is opened
    (:func:`helpers.data.workbooks.guard_workbook`, the data sets' rule)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(
            f"{path.name}: 只能读取 .xlsx、.xls 或 .csv (expected .xlsx, .xls or .csv)"
        )
    if not path.is_file():
        raise UsageError(f"{path}: 找不到文件 (no such file)")
    if suffix == ".csv":
        return [_read_csv(path)]
    if suffix == ".xls":
        return _read_xls(path)
    return _read_xlsx(path, limits)


def scales_percent(number_format: str | None) -> bool:
    """Whether Excel shows a number ×100 under this format: a bare ``%`` (``0.0%``), not one
    written as text (``0.0"%"``, ``0.0\\%``: 8.5 shown as 8.5%) nor inside ``[...]``."""
    if not number_format:
        return False
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", number_format)
    return "%" in bare


def _shows_percent_sign(number_format: str | None) -> bool:
    """A format that prints a % without scaling (``0.0"%"``): 8.5 is shown as 8.5%."""
    return bool(number_format) and "%" in str(number_format) and not scales_percent(number_format)


def _percent(value: Any, number_format: str | None) -> tuple[Any, bool]:
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and scales_percent(number_format)
    ):
        return round(float(value) * 100, 10), True
    return value, False


_NO_RESULT = (
    "公式没有计算结果,且不是简单的四则运算,请在 Excel 中打开并保存 "
    "(formula without a saved result, not simple arithmetic: open and save it in Excel)"
)


def _read_xlsx(path: Path, limits: WorkbookLimits) -> list[Grid]:
    """Every sheet of an .xlsx, read once, as streamed: openpyxl's read-only workbook gives
    the shared strings and styles, and each sheet's XML is parsed once for its saved values,
    its formulas that have none, its merges and hidden rows and columns. Only cells that hold
    something are kept, so 300,000 empty formatted rows below the table cost a pass over the
    XML, not a cell object each (a grid ends at its last row and column with a value)."""
    from openpyxl import load_workbook

    guard_workbook(path, limits)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DataError(
            f"不是有效的 Excel 工作簿 (not a readable .xlsx: {exc.__class__.__name__})",
            file=path.name,
        ) from None
    try:
        return [_read_sheet(path, book, ws) for ws in book.worksheets]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, SyntaxError) as exc:
        raise DataError(
            f"不是有效的 Excel 工作簿 (not a readable .xlsx: {exc.__class__.__name__})",
            file=path.name,
        ) from None
    finally:
        book.close()


def _number_format(book: Any, style_id: int) -> str | None:
    """The number format of a cell style (as openpyxl's read-only cell works it out)."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    try:
        fmt_id = book._cell_styles[style_id].numFmtId
    except (IndexError, AttributeError):
        return None
    if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
        return BUILTIN_FORMATS.get(fmt_id, "General")
    formats = book._number_formats
    index = fmt_id - BUILTIN_FORMATS_MAX_SIZE
    return formats[index] if 0 <= index < len(formats) else None


def _read_sheet(path: Path, book: Any, ws: Any) -> Grid:
    """One sheet of a read-only workbook as a :class:`Grid` (see :func:`_read_xlsx`)."""
    from openpyxl.utils import column_index_from_string, range_boundaries
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        """The saved values, plus the formula of a cell saved without one."""

        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            if element.find(FORMULA_TAG) is not None:
                formula = self.parse_formula(element)  # also registers a shared formula
                if cell["value"] is None:
                    text = getattr(formula, "text", formula)  # ArrayFormula keeps .text
                    cell["formula"] = text if isinstance(text, str) else None
            return cell

    cells: dict[tuple[int, int], tuple[Any, int]] = {}  # (i, j) → (value, style id)
    formulas: dict[tuple[int, int], str] = {}
    with ws._get_source() as src:
        parser = Parser(
            src,
            ws._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for r, row in parser.parse():
            for c in row:
                key = (r - 1, c["column"] - 1)
                value = c["value"]
                if value is not None:
                    cells[key] = (value, c["style_id"])
                elif c.get("formula"):
                    formulas[key] = c["formula"]
                    cells[key] = (None, c["style_id"])
    height = max((i + 1 for i, _ in cells), default=0)
    width = max((j + 1 for _, j in cells), default=0)
    raw: list[list[Any]] = [[None] * width for _ in range(height)]
    for (i, j), (value, _) in cells.items():
        raw[i][j] = value
    computed: dict[tuple[int, int], str] = {}
    solved = _solve_formulas(raw, formulas, computed)
    percent: list[tuple[int, int]] = []
    percent_text: set[tuple[int, int]] = set()
    formats: dict[int, str | None] = {}
    rows = [list(row) for row in solved]
    for (i, j), (_, style_id) in cells.items():
        if style_id not in formats:
            formats[style_id] = _number_format(book, style_id)
        value, scaled = _percent(rows[i][j], formats[style_id])
        if scaled:
            percent.append((i, j))
        elif _shows_percent_sign(formats[style_id]):
            percent_text.add((i, j))
        rows[i][j] = value
    percent.sort()
    merged: set[tuple[int, int]] = set()
    for rng in getattr(parser.merged_cells, "mergeCell", None) or ():
        min_col, min_row, max_col, max_row = range_boundaries(rng.ref)
        if min_row - 1 >= height or min_col - 1 >= width:
            continue  # a merge below or beside the last value: nothing to fill
        top = rows[min_row - 1][min_col - 1]
        for r in range(min_row, min(max_row, height) + 1):
            for c in range(min_col, min(max_col, width) + 1):
                if (r, c) != (min_row, min_col):
                    rows[r - 1][c - 1] = top
                    merged.add((r - 1, c - 1))
    hidden_rows = {
        int(r) - 1
        for r, attrs in parser.row_dimensions.items()
        if attrs.get("hidden") in ("1", "true") and int(r) - 1 < height
    }
    hidden_columns: set[int] = set()
    for key, attrs in parser.column_dimensions.items():
        if attrs.get("hidden") in ("1", "true"):
            lo = int(attrs.get("min") or column_index_from_string(key))
            hi = min(int(attrs.get("max") or lo), max(width, lo))
            hidden_columns.update(range(lo - 1, hi))
    return Grid(
        path.name,
        ws.title,
        rows,
        list(range(1, len(rows) + 1)),
        merged,
        percent,
        hidden_rows=hidden_rows,
        hidden_columns=hidden_columns,
        computed=computed,
        percent_text=percent_text,
    )


def _solve_formulas(
    raw: list[list[Any]],
    formulas: dict[tuple[int, int], str],
    computed: dict[tuple[int, int], str],
) -> list[list[Any]]:
    """``raw`` with every formula lacking a saved result (``formulas``: (i, j) → text)
    computed, or an :class:`Unreadable`."""
    from .formulas import FormulaError, evaluate

    solved = [list(row) for row in raw]
    state: dict[tuple[int, int], Any] = {}

    def formula_at(i: int, j: int) -> str | None:
        text = formulas.get((i, j))
        return text if isinstance(text, str) and text.startswith("=") else None

    def value(i: int, j: int) -> Any:
        if i >= len(raw) or j >= len(raw[i]) or i < 0 or j < 0:
            return None
        if raw[i][j] is not None:
            return raw[i][j]
        formula = formula_at(i, j)
        if formula is None:
            return None
        key = (i, j)
        if key in state:
            if state[key] is _BUSY:
                raise FormulaError("circular reference")
            result = state[key]
            if isinstance(result, Unreadable):
                raise FormulaError(result.reason)
            return result
        state[key] = _BUSY
        try:
            state[key] = round(evaluate(formula, value), 10)
        except (FormulaError, RecursionError, OverflowError) as exc:
            state[key] = Unreadable(formula, f"{_NO_RESULT}: {exc}")
            raise FormulaError(str(exc)) from None
        computed[key] = formula
        return state[key]

    for i, j in sorted(formulas):
        if raw[i][j] is not None or formula_at(i, j) is None:
            continue
        try:
            solved[i][j] = value(i, j)
        except FormulaError:
            result = state.get((i, j))
            solved[i][j] = (
                result
                if isinstance(result, Unreadable)
                else Unreadable(str(formula_at(i, j)), _NO_RESULT)
            )
    return solved


_BUSY = object()


def _read_xls(path: Path) -> list[Grid]:
    import xlrd

    head = path.read_bytes()[:512].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype", b"<table", b"<?xml")):
        raise DataError(
            "这是另存为 .xls 的网页或 XML,请用 Excel 打开后另存为 .xlsx "
            "(an HTML/XML page named .xls: open it in Excel and save as .xlsx)",
            file=path.name,
        )
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except (xlrd.XLRDError, OSError, ValueError, AssertionError) as exc:
        raise DataError(
            f"不是有效的 .xls 工作簿 (not a readable .xls: {exc})", file=path.name
        ) from None
    grids: list[Grid] = []
    for sh in book.sheets():
        rows: list[list[Any]] = []
        percent: list[tuple[int, int]] = []
        percent_text: set[tuple[int, int]] = set()
        for i in range(sh.nrows):
            cells: list[Any] = []
            for j in range(sh.ncols):
                c = sh.cell(i, j)
                if c.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    value: Any = None
                elif c.ctype == xlrd.XL_CELL_ERROR:
                    text = xlrd.error_text_from_code.get(c.value, "#ERR")
                    value = Unreadable(text, "单元格为错误值 (an Excel error value)")
                else:
                    value = c.value
                    fmt = book.format_map.get(book.xf_list[c.xf_index].format_key)
                    value, scaled = _percent(value, fmt.format_str if fmt else None)
                    if scaled:
                        percent.append((i, j))
                    elif _shows_percent_sign(fmt.format_str if fmt else None):
                        percent_text.add((i, j))
                cells.append(value)
            rows.append(cells)
        hidden_rows = {i for i, info in sh.rowinfo_map.items() if info.hidden and i < len(rows)}
        hidden_columns = {j for j, info in sh.colinfo_map.items() if info.hidden}
        merged: set[tuple[int, int]] = set()
        for rlo, rhi, clo, chi in sh.merged_cells:
            top = rows[rlo][clo]
            for r in range(rlo, rhi):
                for c in range(clo, chi):
                    if (r, c) != (rlo, clo):
                        rows[r][c] = top
                        merged.add((r, c))
        grids.append(
            Grid(
                path.name,
                sh.name,
                rows,
                list(range(1, len(rows) + 1)),
                merged,
                percent,
                hidden_rows=hidden_rows,
                hidden_columns=hidden_columns,
                percent_text=percent_text,
            )
        )
    return grids


def _read_csv(path: Path) -> Grid:
    """The CSV's one grid: comma- or tab-separated (Excel's "Unicode 文本"); a control
    character in a cell (a NUL, a form feed) is an error naming its row and column, as in a
    data set, never a name with a NUL in it."""
    text, encoding = decode_text(path.read_bytes(), path.name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    rows: list[list[Any]] = []
    numbers: list[int] = []
    start = 1
    try:
        for record in reader:
            for j, cell in enumerate(record):
                if control := control_character(cell):
                    raise DataError(
                        control, file=path.name, row=start, column=column_letter(j), value=cell
                    )
            rows.append([cell if cell.strip() else None for cell in record])
            numbers.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(
            f"CSV 格式错误 (malformed CSV: {exc})", file=path.name, row=reader.line_num
        ) from None
    return Grid(path.name, None, rows, numbers, encoding=encoding)


def cell_text(value: Any) -> str:
    """A grid cell as text: empty for nothing or an :class:`Unreadable` cell, a whole float
    without its ``.0`` (12.0 → ``12``), cleaned as every name is (:func:`clean_text`)."""
    if value is None or isinstance(value, Unreadable):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(value)


def is_number(value: Any) -> bool:
    """Whether a grid cell holds a number (a bool is not one)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)
