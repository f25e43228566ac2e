"""Load a data set (a folder of CSV files or one .xlsx workbook) into typed tables.

Files come from Chinese offices: UTF-8, UTF-8 with BOM or GBK/GB18030 CSVs, English or
Chinese table and column names, numbers as spreadsheets write them, units that differ
from the indicator's. Every problem is collected with its file (or sheet), the row as the
user sees it in Excel or an editor, the column as written in the header, and the value;
:func:`load_dataset` raises them all at once as :class:`DataErrors`. Input files are only
ever read.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, cast

import pandas as pd

from .. import errors
from ..base import cache
from ..base.cells import CELL_MAX_CHARS, cell_length, from_csv_text
from ..base.files import control_character, csv_delimiter, decode_text
from ..base.resources import data_dir, package_version, source_digest
from ..errors import DataError, DataErrors, Problem
from .numbers import Qualified, is_blank, parse_number, parse_qualified, shown_date
from .periods import Period, parse_period
from .schema import TABLE_ORDER, TABLES, Table, canonical_choice
from .text import (
    invisible_character,
    misread_encoding,
    mojibake,
    name_key,
    show_invisible,
    without_invisible,
)
from .units import conversion_factor, normalise_unit
from .validate import cross_check, is_percent_unit, resolve_names
from .workbooks import (
    DATASET_LIMITS,
    XLSX_MAX_BYTES,
    XLSX_MAX_CELLS,
    XLSX_MAX_ROWS,
    guard_workbook,
    sheet_titles,
)

__all__ = [
    "Dataset",
    "RawTable",
    "load_dataset",
    "check_dataset",
    "read_raw_tables",
    "default_data",
    "XLSX_MAX_BYTES",  # the limits live in helpers.data.workbooks; named here for callers
    "XLSX_MAX_CELLS",
    "XLSX_MAX_ROWS",
]


def default_data() -> Path:
    """The sample data set shipped with kpibook (used when no path is given)."""
    return data_dir("sample")


@dataclass
class RawTable:
    """A table as read from its file: header cells, and rows with their user-visible numbers."""

    name: str
    file: str
    sheet: str | None
    header: list[str]
    rows: list[tuple[int, list[Any]]]

    def place(
        self,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        message: str = "",
        severity: str = "error",
    ) -> Problem:
        return Problem(
            message,
            file=self.file,
            sheet=self.sheet,
            row=row,
            column=column,
            value=value,
            severity=severity,
        )


_T = TypeVar("_T")


@dataclass
class Dataset:
    """A validated data set: canonical columns, values in each indicator's unit."""

    path: Path
    indicators: pd.DataFrame
    targets: pd.DataFrame
    actuals: pd.DataFrame
    projects: pd.DataFrame
    notes: pd.DataFrame
    orgs: pd.DataFrame
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    key: str | None = None  # digest of the input files and loader code (caches key on it)
    _lookups: dict[tuple[str, int, int, str], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    #: The memoised data set this one is a copy of (:func:`load_dataset`), and the frames the
    #: copy was given: while it keeps a frame, the lookups built from it are the origin's.
    _origin: tuple[Dataset, dict[str, pd.DataFrame]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def org_list(self) -> list[str]:
        """Orgs in display order (the orgs table's order, else first appearance)."""
        return list(self.orgs["org"])

    @property
    def district(self) -> str:
        """The district's name: the orgs' common parent, else a neutral label."""
        return self.district_name()

    def district_name(self, lang: str = "zh", default: str | None = None) -> str:
        """The district's name in ``lang``: the orgs' common ``parent`` (示范区); in English
        the ``parent_en`` the orgs give it (Shifan District), else the parent when it is
        already in Latin letters. Without one: ``default``, else 全区 / District."""
        parents = [
            p for p in self.orgs.get("parent", pd.Series(dtype=object)).dropna().unique() if p
        ]
        parent = str(parents[0]) if len(parents) == 1 else None
        name: str | None = parent
        if lang == "en" and parent is not None:
            rows = self.orgs[self.orgs["parent"] == parent]
            names = [
                n.strip()
                for n in rows.get("parent_en", pd.Series(dtype=object))
                if isinstance(n, str) and n.strip()
            ]  # the first: the validator warns when the rows disagree
            name = names[0] if names else parent if parent.isascii() else None
        if name is not None:
            return name
        if default is not None:
            return default
        return "District" if lang == "en" else "全区"

    def org_name(self, org: str, lang: str = "zh") -> str:
        """The display name of an org: its full name when the orgs table gives one; in English
        (``lang="en"``) its ``name_en`` first (Taiyuan Town), else the Chinese name."""
        return self.org_names(lang).get(org, org)

    def org_names(self, lang: str = "zh") -> dict[str, str]:
        """Every org's :meth:`org_name`, in the orgs table's order: built once per orgs table,
        so naming each of a thousand townships costs a lookup, not a pass over the table."""
        return self._derived("orgs", lang, partial(Dataset._names_in, lang=lang))

    def org_keys(self) -> dict[str, str]:
        """Each org's id and full name as :func:`~helpers.data.text.name_key` reads them
        (width and spaces ignored), to the org; the first org in the table's order wins."""
        return self._derived("orgs", "keys", Dataset._keys)

    def _keys(self) -> dict[str, str]:
        keys: dict[str, str] = {}
        for org, name in self.org_names().items():
            for key in (name_key(org), name_key(name)):
                keys.setdefault(key, org)
        return keys

    def _names_in(self, lang: str) -> dict[str, str]:
        columns = ("name_en", "name") if lang == "en" else ("name",)
        names: dict[str, str] = {}
        for record in self.orgs.to_dict("records"):
            org = record["org"]
            if org not in names:  # the first row of an org names it
                values = [record.get(c) for c in columns]
                names[org] = next(
                    (v.strip() for v in values if isinstance(v, str) and v.strip()), org
                )
        return names

    def _derived(self, table: str, what: str, build: Callable[[Dataset], _T]) -> _T:
        """``build(data set)``, a lookup made from ``table`` (one of the frames), kept as
        ``what`` until that frame is replaced. A copy from :func:`load_dataset` that still has
        the frame it was given asks the data set it was copied from: a report loads its data
        set three times, and at a thousand orgs each new copy naming them cost 5 ms."""
        frame = getattr(self, table)
        origin = self._origin
        if origin is not None and frame is origin[1].get(table):
            return origin[0]._derived(table, what, build)
        key = (table, id(frame), len(frame), what)
        if key not in self._lookups:
            self._lookups[key] = build(self)
        return cast(_T, self._lookups[key])

    def _period_values(self) -> frozenset[str]:
        return frozenset(self.actuals["period"].unique())

    def periods(self) -> list[str]:
        """Periods that have actuals, oldest first."""
        values = self._derived("actuals", "periods", Dataset._period_values)
        return [str(p) for p in sorted({parse_period(p) for p in values})]

    def latest_period(self, kind: str | None = "H") -> str:
        """The latest period with actuals (of ``kind``, e.g. half-years, when there is one)."""
        periods = [parse_period(p) for p in self.periods()]
        preferred = [p for p in periods if kind is None or p.kind == kind] or periods
        if not preferred:
            raise DataError(
                "数据中没有任何完成数 (the data set has no actuals)", file=str(self.path)
            )
        return str(max(preferred, key=lambda p: (p.year, p.end_month)))

    def has_period(self, period: str | Period) -> bool:
        values = self._derived("actuals", "periods", Dataset._period_values)
        return str(parse_period(period)) in values

    def unreported(self, period: str | Period, orgs: list[str] | None = None) -> list[str]:
        """The orgs (of ``orgs``, default all) with no figure at all for ``period``: 未报送
        (not reported), never an empty report marked ok."""
        wanted = str(parse_period(period))
        actuals = self.actuals
        figures = actuals["value"].notna() & (actuals["period"] == wanted)
        reported = set(actuals.loc[figures, "org"])
        return [o for o in (self.org_list if orgs is None else orgs) if o not in reported]

    def indicator(self, indicator: str) -> dict[str, Any]:
        """The catalogue row of one indicator, as a dict."""
        return self.indicators.loc[indicator].to_dict() | {"indicator": indicator}


# --------------------------------------------------------------------------- reading files


def _read_csv(path: Path, name: str) -> RawTable:
    data = path.read_bytes()
    text, encoding = decode_text(data, path.name)
    wrong = misread_encoding(data, text) if encoding.startswith("GB") else mojibake(text)
    if wrong:
        raise DataError(wrong, file=path.name)  # one problem, never fifty garbled values
    if not text.strip():
        raise DataError("文件为空 (empty file)", file=path.name)
    if "\ufeff" in text:  # decode_text removed the one at the start
        line = len((text[: text.index("\ufeff")] + "x").splitlines())
        raise DataError(
            "文件中间有一个 BOM 字符（U+FEFF）：可能是两个文件拼接而成，请删除它 "
            "(a byte-order mark inside the file, as when two files are joined: remove it)",
            file=path.name,
            row=line,
        )
    import csv

    # newline="": the csv module sees every line ending as written (\r\n, \n, or a lone \r)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    try:
        header = [from_csv_text(str(h)) for h in next(reader)]
        rows: list[tuple[int, list[Any]]] = []
        start = reader.line_num + 1
        for cells in reader:  # the row number is the editor's line where the record starts
            rows.append((start, [from_csv_text(c) for c in cells]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(
            f"CSV 格式错误 (malformed CSV: {exc})", file=path.name, row=reader.line_num
        ) from None
    return RawTable(name, path.name, None, header, rows)


def _open_book(path: Path, data_only: bool) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DataError(
            f"不是有效的 Excel 工作簿 (not an .xlsx workbook: {exc.__class__.__name__})",
            file=path.name,
        ) from None


def _sheet_rows(ws: Any) -> Iterator[tuple[Any, ...]]:
    """Every row of a read-only sheet, whatever its ``<dimension>`` claims (Excel and other
    writers leave it stale; openpyxl would stop at it)."""
    ws.reset_dimensions()
    return ws.iter_rows(values_only=True)


def _xlsx_tables(
    path: Path, problems: list[Problem]
) -> Iterator[tuple[str, list[str], list[tuple[int, list[Any]]]]]:
    """Each sheet's header and rows: cached values of formula cells, and a problem for every
    formula cell that has no cached value (a file written by a program, never calculated)."""
    guard_workbook(path, DATASET_LIMITS)
    values, formulas = _open_book(path, True), _open_book(path, False)
    cells = 0
    try:
        for ws, wf in zip(values.worksheets, formulas.worksheets):
            rows: list[tuple[int, list[Any]]] = []
            for number, (row, written) in enumerate(zip(_sheet_rows(ws), _sheet_rows(wf)), 1):
                cells += len(row) + 1
                if cells > XLSX_MAX_CELLS:
                    raise DataError(
                        f"工作簿的单元格超过 {XLSX_MAX_CELLS:,} 个，未读取 "
                        f"(more than {XLSX_MAX_CELLS:,} cells: not read)",
                        file=path.name,
                        sheet=ws.title,
                        row=number,
                    )
                rows.append((number, list(row)))
                for col, (value, text) in enumerate(zip(row, written)):
                    if value is None and isinstance(text, str) and text.startswith("="):
                        header = rows[0][1] if rows else []
                        name = header[col] if col < len(header) and header[col] else None
                        problems.append(
                            Problem(
                                "公式没有保存计算结果：请在 Excel 或 WPS 中打开并保存 "
                                "(a formula without a cached value: open and save the "
                                "file in Excel or WPS)",
                                file=path.name,
                                sheet=ws.title,
                                row=number,
                                column=str(name) if name is not None else _column_letter(col),
                                value=text,
                            )
                        )
            if not rows:
                yield ws.title, [], []
                continue
            header = ["" if h is None else str(h) for h in rows[0][1]]
            yield ws.title, header, rows[1:]
    finally:
        values.close()
        formulas.close()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _table_for(label: str) -> Table | None:
    """The table a file or sheet name means: case, width and spaces do not count, nor an
    invisible character (which :func:`_invisible_name` reports)."""
    key = unicodedata.normalize("NFKC", without_invisible(label)).strip().lower()
    for t in TABLES.values():
        if key in (t.name, t.zh):
            return t
    return None


def _invisible_name(file: str, sheet: str | None) -> list[Problem]:
    """A table's file or sheet name with an invisible character in it: a problem naming it
    escaped (the table is read; its name should be typed again)."""
    invisible = invisible_character(file if sheet is None else sheet)
    if invisible is None:
        return []
    if sheet is None:
        return [Problem(f"文件名{invisible}", file=show_invisible(file))]
    return [Problem(f"工作表名{invisible}", file=file, sheet=show_invisible(sheet))]


def _linked_outside(file: Path, folder: Path) -> Problem | None:
    """A table file that is a link to a file outside its data folder: refused (the data
    set is what the folder holds; a link could make kpibook read any file)."""
    target = file.resolve()
    if folder.resolve() in target.parents:
        return None
    return Problem(
        f"表文件是指向数据文件夹之外（{target}）的链接，未读取；请复制该文件 "
        "(the table file is a link to a file outside the data folder: not read; copy the file)",
        file=file.name,
    )


def _not_a_file(file: Path) -> Problem | None:
    """A table name that is a device, a pipe, a folder or a broken link: refused, never read
    (reading ``/dev/zero`` or a FIFO would never end) and never skipped silently."""
    if file.is_file():
        return None
    return Problem(
        "不是普通文件（设备、管道、文件夹或失效的链接），未读取；请换成表格文件 "
        "(not a regular file: a device, pipe, folder or broken link; not read)",
        file=file.name,
    )


def _readable(file: Path, folder: Path) -> bool:
    """A file of a data folder that may be read: a regular file, not a link out of it."""
    return file.is_file() and _linked_outside(file, folder) is None


def _twice(spec: Table, places: list[str], file: str) -> Problem:
    """Both spellings of one table (``actuals`` and ``完成``): which one is meant is not ours
    to guess."""
    return Problem(
        f"同一张表出现两次：{' 和 '.join(places)}，只能保留一个 "
        f"(the {spec.name} table is given twice: keep one)",
        file=file,
    )


#: Spreadsheet files that a CSV data folder does not read.
_WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".et", ".ods")


def _files(folder: Path) -> list[Path]:
    """The folder's entries, sorted; none when it cannot be listed."""
    try:
        return sorted(folder.iterdir())
    except OSError:
        return []


def _table_files(folder: Path) -> tuple[dict[str, list[Path]], list[Problem]]:
    """Each table's CSV files in a data folder, and a warning for every other CSV there.

    A file's name is matched as a sheet title is (:func:`_table_for`: case, full- or
    half-width and spaces do not count), so ``Actuals.csv`` or ``ａｃｔｕａｌｓ.csv`` beside
    ``actuals.csv`` is one table given twice, never one of them silently dropped; and a CSV
    that is no table's (``actuals (1).csv``, a browser's second download) is named, never
    ignored without a word. Hidden files (``._actuals.csv`` of a Mac) are not tables."""
    spelled: dict[str, list[Path]] = {}
    unread: list[Problem] = []
    for file in _files(folder):
        name = unicodedata.normalize("NFKC", file.name)
        stem, dot, suffix = name.rpartition(".")
        if not dot or suffix.strip().lower() != "csv" or name.startswith((".", "~$")):
            continue
        spec = _table_for(stem)
        if spec is not None:
            spelled.setdefault(spec.name, []).append(file)
            unread += _invisible_name(file.name, None)
        else:
            unread.append(_unread_csv(file.name, stem))
    return spelled, unread


def _unread_csv(file: str, stem: str) -> Problem:
    """The warning for a CSV of a data folder whose name is no table's: not read, and the
    tables its name contains (``actuals (1)``, ``actuals - 副本``, ``复件 完成``), since it is
    most likely a copy or another version of one of them."""
    key = unicodedata.normalize("NFKC", stem).lower()
    like = [t for t in TABLES.values() if t.name in key or t.zh in key]
    if like:
        names = "、".join(f"{t.name}.csv（{t.zh}）" for t in like)
        english = " or ".join(f"{t.name}.csv" for t in like)
        message = (
            f"文件名不是表名，此文件未读取；它像是 {names}的副本或另一版本：要用它的数据，"
            f"请把它改名为该表名并移走原来的那份 (not a table's name: this file is not "
            f"read; it looks like a copy or another version of {english}: to use it, give it "
            "that name in place of the other)"
        )
    else:
        tables = "、".join(t.name for t in TABLES.values())
        message = (
            f"文件名不是表名（{tables}，或其中文名），此文件未读取 (not a table's name: this "
            "file is not read)"
        )
    return Problem(message, file=file, severity="warning")


def _workbooks_in(folder: Path, *, has_csv: bool) -> list[Problem]:
    """Workbooks lying in a CSV data folder, never ignored without a word: only the CSVs are
    read there (a warning); a workbook with sheets named like the tables beside CSV tables
    is a problem (which of the two is the data is not ours to guess), and so is a folder
    with no CSV but a workbook (``--data`` should name the workbook)."""
    problems = []
    for book in _files(folder):
        if book.suffix.lower() not in _WORKBOOKS or book.name.startswith(("~$", ".")):
            continue  # ~$data.xlsx: the lock file of a workbook open in Excel
        if not has_csv:
            message = (
                f"数据文件夹中没有 CSV 表，只有工作簿 {book.name}：请用 --data {book.name} "
                f"指向该工作簿 (a folder with no CSV tables but a workbook: give the workbook "
                "itself as --data)"
            )
            problems.append(Problem(message, file=book.name))
            continue
        sheets = [t for t in _book_sheets(book) if _table_for(t) is not None]
        if sheets:
            message = (
                f"数据文件夹中既有 CSV 表，又有含同名工作表（{'、'.join(sheets)}）的工作簿，"
                "只能保留一份数据：请移走工作簿或 CSV (a workbook with the tables' sheets "
                "beside the CSV tables: keep one of them)"
            )
            problems.append(Problem(message, file=book.name))
        else:
            message = (
                "CSV 数据文件夹只读取 CSV 文件，此工作簿未读取 (a CSV data folder reads only "
                "its CSV files: this workbook is not read)"
            )
            problems.append(Problem(message, file=book.name, severity="warning"))
    return problems


def _book_sheets(book: Path) -> list[str]:
    """The sheet titles of an .xlsx/.xlsm (read from its directory only), else none."""
    try:
        with zipfile.ZipFile(book) as archive:
            return list(sheet_titles(archive).values())
    except (zipfile.BadZipFile, OSError, ValueError):
        return []


def read_raw_tables(path: Path) -> tuple[dict[str, RawTable], list[Problem]]:
    """Every table of a data set as read, with the problems of finding and reading them."""
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    if path.is_dir():
        spelled, unread = _table_files(path)
        for t in TABLES.values():
            found = spelled.get(t.name, [])
            if not found:
                if not t.optional:
                    problems.append(
                        Problem(
                            f"缺少必需的表 (missing table): {t.name}.csv 或 {t.zh}.csv",
                            file=str(path),
                        )
                    )
                continue
            if len(found) > 1:
                problems.append(_twice(t, [p.name for p in found], str(path)))
                continue
            refused = _linked_outside(found[0], path) or _not_a_file(found[0])
            if refused is not None:
                problems.append(refused)
                continue
            try:
                tables[t.name] = _read_csv(found[0], t.name)
            except DataError as exc:
                problems.append(exc.problem)
        problems += unread
        problems += _workbooks_in(
            path, has_csv=any(p.suffix.lower() == ".csv" for p in _files(path))
        )
    elif path.is_file() and path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets: dict[str, list[str]] = {}
        try:
            for sheet, header, rows in _xlsx_tables(path, problems):
                spec = _table_for(sheet)
                if spec is not None:
                    sheets.setdefault(spec.name, []).append(sheet)
                    problems += _invisible_name(path.name, sheet)
                    tables.setdefault(
                        spec.name, RawTable(spec.name, path.name, sheet, header, rows)
                    )
        except DataError as exc:  # the workbook is not read at all, not half of it
            tables.clear()
            problems.append(exc.problem)
        else:
            for name, found_sheets in sheets.items():
                if len(found_sheets) > 1:
                    problems.append(_twice(TABLES[name], found_sheets, path.name))
            for t in TABLES.values():
                if t.name not in tables and not t.optional:
                    problems.append(
                        Problem(
                            f"缺少必需的工作表 (missing sheet): {t.zh} 或 {t.name}", file=path.name
                        )
                    )
    elif path.exists():
        problems.append(
            Problem(
                "数据应为一个 CSV 文件夹或一个 .xlsx 工作簿 "
                "(expected a folder of CSV files or one .xlsx workbook)",
                file=str(path),
            )
        )
    else:
        problems.append(Problem("找不到数据 (no such file or folder)", file=str(path)))
    return tables, problems


# --------------------------------------------------------------------------- typing columns


def _header_key(cell: str) -> list[str]:
    """Spellings to try for a header cell: as is, then parts of ``名称(name)`` / ``*指标``
    (an invisible character in it is a problem of its own, named by :func:`_map_header`)."""
    text = unicodedata.normalize("NFKC", without_invisible(str(cell))).strip().lstrip("*").strip()
    parts = [text]
    for sep in ("(", "（", " ", "/"):
        if sep in text:
            parts += [p.strip(" )）") for p in text.split(sep)]
    return [p for p in parts if p]


def _map_header(raw: RawTable, table: Table, problems: list[Problem]) -> dict[str, int]:
    aliases = table.aliases()
    index: dict[str, int] = {}
    for i, cell in enumerate(raw.header):
        if invisible := invisible_character(str(cell)):
            problems.append(raw.place(1, show_invisible(str(cell)), None, invisible))
        name = next((aliases[k] for k in _header_key(cell) if k in aliases), None)
        if name is None:
            if str(cell).strip():
                problems.append(_unknown_column(raw, table, str(cell)))
            continue
        if name in index:
            problems.append(raw.place(1, cell, None, f"列重复 (duplicate column for {name})"))
            continue
        index[name] = i
    for col in table.columns:
        if col.required and col.name not in index:
            problems.append(
                raw.place(
                    1, f"{col.zh[0]} / {col.name}", None, "缺少必需的列 (missing required column)"
                )
            )
    return index


def _unknown_column(raw: RawTable, table: Table, cell: str) -> Problem:
    """A warning for a header kpibook does not know, naming the known column nearest to it
    (a misspelled ``direciton`` would otherwise silently judge a ``down`` indicator ``up``)."""
    import difflib

    known = {c.name: c.name for c in table.columns} | {
        z: c.name for c in table.columns for z in c.zh
    }
    key = unicodedata.normalize("NFKC", cell).strip().lower()
    near = difflib.get_close_matches(key, list(known), n=1, cutoff=0.5)
    if near:
        column = table.column(known[near[0]])
        hint = f"{column.name} ({column.zh[0]})"
        message = f"未知的列，已忽略；是否应为「{hint}」？ (unknown column, ignored: did you mean {hint}?)"
    else:
        message = "未知的列，已忽略 (unknown column, ignored)"
    return raw.place(1, cell, None, message, severity="warning")


def _typed_frame(raw: RawTable, problems: list[Problem]) -> pd.DataFrame:
    """The table with canonical columns and parsed values; bad cells become problems."""
    table = TABLES[raw.name]
    index = _map_header(raw, table, problems)
    records: list[dict[str, Any]] = []
    percent: dict[str, list[int]] = {}  # rows whose number was written with "%", per column
    seen: dict[tuple[str, str, Any], Any] = {}  # org names, periods and ids repeat on every row
    for rownum, cells in raw.rows:
        if all(is_blank(c) for c in cells):
            continue
        if raw.sheet is None and len(cells) != len(raw.header):  # a CSV row out of shape
            problems.append(_misshapen(raw, rownum, cells))
            continue  # its cells are shifted: read none of them rather than guess
        problems += _headless_cells(raw, rownum, cells)
        record: dict[str, Any] = {"_row": rownum, "_file": raw.file, "_sheet": raw.sheet}
        for col in table.columns:
            if col.name not in index:  # an absent choice column reads as blank: its default
                record[col.name] = (
                    canonical_choice(col.name, None) if col.kind == "choice" else None
                )
                continue
            i = index[col.name]
            value = cells[i] if i < len(cells) else None
            # the type is part of the key: True == 1 == 1.0 to Python, never to a reader
            key = (
                col.name,
                type(value).__name__,
                value if isinstance(value, (str, int, float, type(None))) else repr(value),
            )
            parsed = seen.get(key, _UNSEEN)
            if parsed is _UNSEEN:
                try:
                    if isinstance(value, str) and (control := control_character(value)):
                        raise DataError(control)  # any cell: strip() hides a form feed in 848\f
                    if isinstance(value, str) and (invisible := invisible_character(value)):
                        raise DataError(invisible)  # 太源镇\u200b is not 太源镇, yet looks it
                    parsed = (
                        _qualified_cell(value, col.name, col.required)
                        if col.qualified
                        else _cell(col.kind, col.name, value, col.required)
                    )
                except DataError as exc:
                    parsed = exc
                seen[key] = parsed
            if isinstance(parsed, DataError):
                problems.append(
                    raw.place(rownum, raw.header[i], _shown(value), parsed.problem.message)
                )
                parsed = None
            elif col.kind == "number" and _written_as_percent(value):
                percent.setdefault(col.name, []).append(rownum)
            if isinstance(parsed, Qualified):
                record["qualifier"], record["_cell_unit"] = parsed.qualifier, parsed.unit
                parsed = parsed.number
            record[col.name] = parsed
        records.append(record)
    columns = ["_row", "_file", "_sheet"] + [c.name for c in table.columns]
    if any(c.qualified for c in table.columns):
        columns += ["qualifier", "_cell_unit"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame.attrs["percent"] = percent
    return frame


def _shown(value: Any) -> Any:
    """A cell's value as a message shows it: a date as the user sees it (``2013-06-30``),
    text with its invisible characters escaped (``太源镇\\u200b``), else as it is."""
    if (date := shown_date(value)) is not None:
        return date
    return show_invisible(value) if isinstance(value, str) else value


def _misshapen(raw: RawTable, row: int, cells: list[Any]) -> Problem:
    """The problem for a CSV row whose cell count differs from its header's: the cells past
    the header would be dropped and every cell after a split one shifted, so the row is not
    read. More cells most often come from a comma inside a cell without quotes
    (``占全年任务1,550万``); fewer from a comma left out."""
    found, wanted = len(cells), len(raw.header)
    written = ",".join("" if c is None else str(c) for c in cells)
    joined = next((i for i, c in enumerate(cells) if isinstance(c, str) and _multiline(c)), None)
    if joined is not None:  # a quote left open swallowed the lines after it
        column = raw.header[joined] if joined < wanted else None
        return raw.place(
            row,
            column,
            show_invisible(str(cells[joined])),
            f"这一格从一个引号开始，跨了几行，把后面的行并了进来（这一行因此有 {found} 个单元格，"
            f"表头有 {wanted} 列）：多半是少了一个右引号；请补上右引号，或删除多余的左引号 "
            f"(a cell opened by a quote runs over several lines and swallowed the rows after "
            f"it, {found} cells under a header of {wanted}: most likely a missing closing quote)",
        )
    if found > wanted:
        extra = "、".join(f"「{show_invisible(str(c))}」" for c in cells[wanted:])
        message = (
            f"这一行有 {found} 个单元格，表头只有 {wanted} 列，多出的 {found - wanted} 个"
            f"（{extra}）不会被读取：多半是某一格里的逗号（如 1,550 或 备注中的逗号）没有加英文"
            '双引号，把一格拆成了几格；请给含逗号的单元格加上双引号（"占全年任务1,550万"），'
            f"或在 Excel、WPS 中修改后另存为 CSV (a row of {found} cells under a header of "
            f"{wanted} columns: most likely a comma inside a cell without quotes split it; "
            "quote that cell)"
        )
    else:
        message = (
            f"这一行只有 {found} 个单元格，表头有 {wanted} 列，少了 {wanted - found} 个：多半是"
            "漏了逗号，或两格写在了一起，后面的值因此错了列；请补齐逗号（空的格也要留逗号），"
            f"或在 Excel、WPS 中修改后另存为 CSV (a row of {found} cells under a header of "
            f"{wanted} columns: a comma left out shifts the cells after it; add the missing "
            "commas, an empty cell too)"
        )
    return raw.place(row, None, show_invisible(written), message)


def _multiline(text: str) -> bool:
    return "\n" in text or "\r" in text


def _headless_cells(raw: RawTable, row: int, cells: list[Any]) -> list[Problem]:
    """A value in a column with no header (past the header's last column of a sheet, or
    under an empty header cell): it belongs to no column and would be dropped silently."""
    problems = []
    width = len(raw.header)
    unnamed = [i for i, h in enumerate(raw.header) if not str(h).strip()]
    for i in unnamed + list(range(width, len(cells))):
        value = cells[i] if i < len(cells) else None
        if not is_blank(value):
            problems.append(
                raw.place(
                    row,
                    f"第{_column_letter(i)}列（没有表头）",
                    _shown(value),
                    "这一列没有表头，其中的值不会被读取：请填写表头（列名），或删除这个值 "
                    "(a value in a column without a header would be ignored: name the column "
                    "or delete the value)",
                )
            )
    return problems


def _written_as_percent(value: Any) -> bool:
    """A cell written as a percentage (``848%``, ``53.5％``)."""
    return isinstance(value, str) and unicodedata.normalize("NFKC", value).strip().endswith("%")


def _percent_of_amounts(
    frame: pd.DataFrame, raw: RawTable, units: dict[str, str], column: str
) -> list[Problem]:
    """A figure written with ``%`` for an indicator not measured in percent (``848%`` of
    国地两税 in 万元): a problem, since what 848% would be in 万元 is not ours to guess."""
    rows = set(frame.attrs.get("percent", {}).get(column, []))
    if not rows:
        return []
    where = _column_index(raw, column)
    cells = dict(raw.rows)
    problems = []
    for _, row in frame[frame["_row"].isin(rows)].iterrows():
        unit = units.get(row["indicator"])
        if not isinstance(unit, str) or is_percent_unit(unit):
            continue
        written = cells.get(row["_row"], [])
        problems.append(
            raw.place(
                row["_row"],
                raw.header[where] if where is not None else column,
                written[where] if where is not None and where < len(written) else None,
                f"带百分号的数，但指标「{row['indicator']}」的单位是「{unit}」：百分比不是{unit}数，"
                f"请填写以{unit}计的数值 (a percentage for an indicator measured in {unit})",
            )
        )
    return problems


def _column_index(raw: RawTable, column: str) -> int | None:
    """Where the canonical ``column`` is in the table's header, as :func:`_map_header` reads it."""
    aliases = TABLES[raw.name].aliases()
    for i, cell in enumerate(raw.header):
        if next((aliases[k] for k in _header_key(cell) if k in aliases), None) == column:
            return i
    return None


_UNSEEN = object()


#: Figures beyond these magnitudes are typing or export errors, and break every ratio.
NUMBER_MAX, NUMBER_MIN = 1e15, 1e-9


def _cell(kind: str, name: str, value: Any, required: bool) -> Any:
    if kind == "number":
        number = parse_number(value)
        if number is not None and not (number == 0 or NUMBER_MIN <= abs(number) <= NUMBER_MAX):
            raise DataError(
                f"数值超出合理范围（绝对值应在 {NUMBER_MIN:g} 到 {NUMBER_MAX:g} 之间） "
                f"(number out of range: its magnitude must be between {NUMBER_MIN:g} "
                f"and {NUMBER_MAX:g})"
            )
        return number
    if kind == "text" and isinstance(value, str) and ("\n" in value or "\r" in value):
        raise DataError(
            "单元格里有换行：名称、代码、单位和备注只能是一行；CSV 文件里常是少了一个右引号，"
            "把后面几行并进了这一格 (a line break in a one-line cell: in a CSV, often a "
            "missing closing quote that swallowed the rows after it)"
        )
    if is_blank(value):
        if required and kind != "number":
            raise DataError("必填项为空 (required value is empty)")
        return canonical_choice(name, None) if kind == "choice" else None
    if kind == "period":
        if shown_date(value) is not None:
            raise DataError(
                "期间单元格是日期：Excel 把输入的期间（如 2013-06）当成了日期；请把单元格"
                "格式改为「文本」后重新输入，或写成 2013H1、2013年1-6月 (a period cell holds a "
                "date: Excel took the period typed for a date; format the cell as text and type "
                "it again, or write 2013H1)"
            )
        return str(parse_period(value))
    if kind == "choice":
        choice = canonical_choice(name, value)
        if choice is None:
            from .schema import CHOICES

            allowed = "、".join(dict.fromkeys(CHOICES[name]))
            raise DataError(f"不是允许的取值 (not allowed; use one of: {allowed})")
        return choice
    if kind == "int":
        number = parse_number(value)
        if number is None or not float(number).is_integer() or not 0 <= number <= 6:
            raise DataError("应为 0 到 6 的整数 (an integer from 0 to 6)")
        return int(number)
    text = unicodedata.normalize("NFC", shown_date(value) or str(value)).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if cell_length(text) > CELL_MAX_CHARS:
        raise DataError(
            f"文字过长：超过 Excel 单元格的 {CELL_MAX_CHARS} 字上限，报告的完成情况表写不下 "
            f"(text longer than the {CELL_MAX_CHARS} characters an Excel cell holds)"
        )
    return text


def _qualified_cell(value: Any, name: str, required: bool) -> Qualified:
    """A figure cell that may carry a qualifier and a unit (300余人): the number checked as
    any figure is."""
    figure = parse_qualified(value)
    return figure._replace(number=_cell("number", name, figure.number, required))


def _cell_units(frame: pd.DataFrame, raw: RawTable, problems: list[Problem]) -> None:
    """A unit written in the figure's cell (300余人) is the row's unit when its unit column is
    empty; one that differs from the unit column is a problem. Drops the helper column."""
    if "_cell_unit" not in frame:
        return
    aliases = TABLES[raw.name].aliases()
    header = next((h for h in raw.header if aliases.get(str(h).strip()) == "value"), "value")
    written_units = [isinstance(u, str) and u != "" for u in frame["_cell_unit"]]
    for i in frame.index[written_units]:
        written, given = frame.at[i, "_cell_unit"], frame.at[i, "unit"]
        if is_blank(given):
            frame.at[i, "unit"] = written
        elif normalise_unit(written) != normalise_unit(given):
            problems.append(
                raw.place(
                    frame.at[i, "_row"],
                    header,
                    f"{written}（单位列：{given}）",
                    f"单元格中的单位「{written}」与单位列的「{given}」不一致 "
                    f"(the unit in the cell differs from the unit column)",
                )
            )
    del frame["_cell_unit"]


def _convert_units(
    frame: pd.DataFrame,
    raw: RawTable,
    units: dict[str, str],
    value_col: str,
    problems: list[Problem],
) -> None:
    """Express ``value_col`` in each indicator's unit (万元 → 亿元 …); unknown pairs: problems."""
    header = next(
        (h for h in raw.header if "unit" in _header_key(h) or "单位" in _header_key(h)), "unit"
    )
    wanted = frame["indicator"].map(units)
    given = frame["unit"].where(frame["unit"].notna(), None)
    factors: dict[tuple[str, str], float | None] = {}
    for pair in {(g, w) for g, w in zip(given, wanted) if g and isinstance(w, str)}:
        try:
            factors[pair] = conversion_factor(*pair)
        except DataError:
            factors[pair] = None
    for i in frame.index[given.notna() & wanted.notna()]:
        factor = factors.get((given[i], wanted[i]))
        if factor is None:
            unit = frame.at[i, "unit"]
            problems.append(
                raw.place(
                    frame.at[i, "_row"],
                    header,
                    unit,
                    f"无法把「{normalise_unit(unit)}」换算为「{normalise_unit(wanted[i])}」 "
                    f"(no conversion from {normalise_unit(unit)} to {normalise_unit(wanted[i])})",
                )
            )
            continue
        if (
            factor != 1.0
            and frame.at[i, value_col] is not None
            and not pd.isna(frame.at[i, value_col])
        ):
            frame.at[i, value_col] = frame.at[i, value_col] * factor
        frame.at[i, "unit"] = normalise_unit(wanted[i])


def _sha256(path: Path) -> dict[str, str]:
    files = (
        sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and _readable(p, path))
        if path.is_dir()
        else [path]
    )
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


# --------------------------------------------------------------------------- public API


def check_dataset(path: str | Path | None = None) -> tuple[Dataset | None, list[Problem]]:
    """Read and validate; return the data set (``None`` if it has errors) and every problem."""
    root = Path(path) if path is not None else default_data()
    raws, problems = read_raw_tables(root)
    frames: dict[str, pd.DataFrame] = {}
    for name in TABLE_ORDER:
        if name in raws:
            frames[name] = _typed_frame(raws[name], problems)
        else:
            frames[name] = pd.DataFrame(
                columns=["_row", "_file", "_sheet"] + [c.name for c in TABLES[name].columns]
            )
    if "actuals" in raws:
        _cell_units(frames["actuals"], raws["actuals"], problems)
    if "indicators" in raws:
        units = dict(zip(frames["indicators"]["indicator"], frames["indicators"]["unit"]))
        for name, col in (("targets", "target"), ("actuals", "value")):
            if name in raws and "unit" in frames[name]:
                problems += _percent_of_amounts(frames[name], raws[name], units, col)
                _convert_units(frames[name], raws[name], units, col, problems)
    for name in ("indicators", "actuals"):  # a header alone: nothing to report from
        if name in raws and frames[name].empty and raws[name].header:
            problems.append(
                raws[name].place(
                    2, None, None, f"表中只有表头，没有数据行 (the {name} table has no rows)"
                )
            )
    resolve_names(frames)
    if not _incomplete(raws):
        problems += cross_check(frames)
    problems.sort(key=_reading_order)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        return None, problems
    return _assemble(root, frames, [p for p in problems if p.severity != "error"]), problems


def _incomplete(raws: dict[str, RawTable]) -> list[str]:
    """The required tables not read, or read without a required column (each already an
    error): the checks across tables are left out then, as they would only repeat it for
    every row of the others (指标不存在 for each target when indicators.csv is unreadable,
    无目标 for each org when targets.csv is)."""
    return [
        t.name
        for t in TABLES.values()
        if not t.optional
        and (t.name not in raws or any(_column_index(raws[t.name], c) is None for c in t.required))
    ]


def _reading_order(p: Problem) -> tuple[int, str, str, int]:
    """Problems in the order a user fixes them: by table, then file, then row (stable)."""
    names = {p.sheet, Path(p.file).stem if p.file else None}
    table = next(
        (i for i, t in enumerate(TABLE_ORDER) if names & {t, TABLES[t].zh}), len(TABLE_ORDER)
    )
    return table, p.file or "", p.sheet or "", p.row if p.row is not None else -1


def load_dataset(path: str | Path | None = None) -> Dataset:
    """The validated data set at ``path`` (default: the shipped sample).

    Raises :class:`DataErrors` listing every problem, each with file, row, column and value.
    """
    root = Path(path) if path is not None else default_data()
    key = _cache_key(root)
    known = _MEMO.get(key) if key else None
    if key and known is None:  # an entry that cannot be loaded is a miss
        known = cache.load_pickle("datasets", f"{key}.pickle", expected=Dataset)
        if known is not None:
            _MEMO.put(key, known)
    if known is not None:
        return _copy(known, root)  # the same files, maybe reached by another path
    checked, problems = check_dataset(root)
    if checked is None:
        raise DataErrors([p for p in problems if p.severity == "error"], source=str(root))
    checked.key = key
    if key:
        cache.write("datasets", f"{key}.pickle", pickle.dumps(checked, pickle.HIGHEST_PROTOCOL))
        memo = _copy(checked, root)
        memo._origin = None  # the caller's may change: the memo's copy is the origin of later ones
        _MEMO.put(key, memo)
    return checked


#: Validated data sets of this process by :func:`_cache_key`, handed out as copies.
_MEMO: cache.Memo[str, Dataset] = cache.Memo()


def _copy(ds: Dataset, root: Path) -> Dataset:
    """A data set of its own for each caller, at once: pandas copies a frame's data only
    when one of the copies is changed (copy-on-write), so a caller may change its frames
    without changing anyone else's."""
    frames = {
        f.name: getattr(ds, f.name).copy(deep=False)
        for f in fields(ds)
        if isinstance(getattr(ds, f.name), pd.DataFrame)
    }
    copy = replace(ds, path=root, sources=dict(ds.sources), warnings=list(ds.warnings), **frames)
    copy._origin = (ds, frames)
    return copy


def _loader_digest() -> str:
    """The code that reads a data set: a cached data set read by other code is never reused."""
    from . import numbers, periods, schema, text, units, validate

    return source_digest(
        sys.modules[__name__], validate, schema, numbers, units, periods, text, errors
    )


def _cache_key(root: Path) -> str | None:
    """A digest of the input files, of the code that reads them, kpibook's version and the
    user: a validated data set is read once and reused by every report of a batch (each a
    fresh process), never by another version or another user. Within a process, files whose
    size, change time and inode are as when they were read are not read again."""
    try:
        files = sorted(root.iterdir()) if root.is_dir() else [root]
        inputs = [
            f
            for f in files
            if (f.is_file() if root.is_file() else _readable(f, root))
            and f.suffix.lower() in (".csv", ".xlsx", ".xlsm")
        ]
        seen = repr([(str(root.resolve()), *_stat(f)) for f in inputs])
        known = _KEYS.get(seen)
        if known is not None:
            return known
        digest = hashlib.sha256(str(root.resolve()).encode("utf-8"))
        digest.update(_loader_digest().encode("ascii"))
        version = package_version("kpibook", "0+unknown")
        digest.update(f"{version}\0{getattr(os, 'getuid', lambda: 0)()}".encode())
        for f in inputs:
            digest.update(f.name.encode("utf-8") + b"\0" + f.read_bytes())
        stats = [_stat(f) for f in inputs]
    except OSError:
        return None
    settled = time.time_ns() - _SETTLED_NS
    if seen != repr([(str(root.resolve()), *st) for st in stats]) or any(
        max(st[2], st[3]) > settled for st in stats
    ):  # changed while read, or so lately that a change within the clock's tick would not
        return digest.hexdigest()  # show in the times: digest it again next time
    return _KEYS.put(seen, digest.hexdigest())


def _stat(file: Path) -> tuple[str, int, int, int, int]:
    st = file.stat()
    return file.name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


#: Digests of input files by what ``stat`` says of them, in this process.
_KEYS: cache.Memo[str, str] = cache.Memo(16)
#: Files changed less than this long ago are digested on every read (as git's "racily clean"
#: files): file times are kept in coarse ticks, so a second change within one would not show.
_SETTLED_NS = 2_000_000_000


def _assemble(root: Path, frames: dict[str, pd.DataFrame], warnings: list[Problem]) -> Dataset:
    ind = frames["indicators"].copy()
    ind["name"] = ind["name"].where(ind["name"].notna(), ind["indicator"])
    ind["order"] = range(len(ind))
    ind = ind.set_index("indicator", drop=False)
    orgs = frames["orgs"]
    seen = list(dict.fromkeys(list(frames["actuals"]["org"]) + list(frames["targets"]["org"])))
    if len(orgs):
        listed = list(orgs["org"])
        orgs = pd.concat(
            [orgs, pd.DataFrame({"org": [o for o in seen if o not in listed]})], ignore_index=True
        )
    else:
        orgs = pd.DataFrame({c.name: [None] * len(seen) for c in TABLES["orgs"].columns})
        orgs["org"] = seen
    return Dataset(
        path=root,
        indicators=ind,
        targets=frames["targets"].reset_index(drop=True),
        actuals=frames["actuals"].reset_index(drop=True),
        projects=frames["projects"].reset_index(drop=True),
        notes=frames["notes"].reset_index(drop=True),
        orgs=orgs.reset_index(drop=True),
        sources=_sha256(root) if root.exists() else {},
        warnings=warnings,
    )
