"""The mapping file: what the importer read each column as, for the user to confirm and keep.

``kpibook import`` prints its reading of every sheet as a small table (column letter, header
as written, role, unit, an example value) and writes it beside the data, one file per
imported file: ``import-maps/<file>.csv`` (:func:`mapping_files`; two files of one name from
two folders get the org, or a digest of the path, in the name: one file per source).
Given back with ``--map`` (edited or not), it overrides the reading: any column's role or
unit, the header rows, the org or the period; ``confirm=yes`` on a column turns its
implausible figures (同比 beyond ±300%, …) from problems into warnings. The next half-year's
sheet of the same office is read with the same file.

Columns of the file: ``sheet`` (empty = every sheet), ``item`` (``column``, ``header_rows``,
``org``, ``period``), ``column`` (the letter), ``header``, ``role``, ``unit``, ``example``,
``confirm``. For ``header_rows`` the ``header`` field is ``3`` or ``3-4``; for ``org`` and
``period`` the value is in ``role``. A ``direction`` line names an indicator in ``header``
and says ``up`` (越大越好) or ``down`` (越小越好) in ``role``; ``example`` says what decided
it (the target cell ``C6「≥3.5%」``, the name): the importer writes one for every indicator
whose direction is not the default, and the user's line overrides any reading.
A ``percent`` line says how a column writes its percents where no cell says it (no % sign,
no percent format): ``fraction`` (a figure between -1 and 1 is a fraction, 0.085 is 8.5%)
or ``percent`` (8.5 is 8.5%, 0.085 is 0.085%), in ``role``;
it settles growth written between -1 and 1, and rates written 0.55, which are problems
until it is said.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..base.cells import csv_text, from_csv_text
from ..base.files import decode_text, safe_name, write_atomic
from ..data.units import normalise_unit
from ..errors import DataErrors, Problem
from .cells import clean_text, is_known_unit
from .district import DistrictLayout, Group
from .layout import Column, Layout
from .sheets import Grid, Unreadable

__all__ = [
    "MAP_DIR",
    "ROLES",
    "Mapping",
    "SheetMap",
    "read_mapping",
    "reading_rows",
    "apply_layout",
    "apply_district",
    "format_table",
    "write_mapping",
    "mapping_text",
    "mapping_files",
]

MAP_DIR = "import-maps"  # one mapping file per imported file, beside the data
FIELDS = ("sheet", "item", "column", "header", "role", "unit", "example", "confirm")

#: Roles a column can be given, with the words the printed table uses.
ROLES = {
    "name": "指标名称",
    "org": "乡镇",
    "unit": "单位",
    "sector": "领域",
    "note": "备注",
    "status": "数据状态",
    "serial": "序号",
    "target": "目标",
    "actual": "累计完成",
    "yoy": "同比%",
    "last_actual": "上年同期",
    "last_yoy": "上年的同比%",
    "change": "比上年增减(带%为同比)",
    "ignored": "忽略",
}
_YES = {"yes", "y", "是", "√", "1", "true", "确认", "已确认"}
_DIRECTIONS = {"up": "up", "down": "down", "越大越好": "up", "越小越好": "down"}
_NO = {"", "no", "n", "否", "0", "false"}
_PERCENTS = {
    "fraction": "fraction",
    "小数": "fraction",
    "percent": "percent",
    "百分数": "percent",
    "%": "percent",
}


@dataclass
class SheetMap:
    """What the mapping says about one sheet (or, under sheet ``""``, about every sheet)."""

    roles: dict[str, str] = field(default_factory=dict)  # letter → role
    units: dict[str, str] = field(default_factory=dict)  # letter → unit
    confirmed: set[str] = field(default_factory=set)  # letters
    header: tuple[int, int] | None = None  # (first row, levels)
    headers: dict[str, str] = field(default_factory=dict)  # letter → header as the file says
    directions: dict[str, str] = field(default_factory=dict)  # indicator name → up/down
    percent: dict[str, str] = field(default_factory=dict)  # letter → fraction / percent


@dataclass
class Mapping:
    """A whole mapping file."""

    sheets: dict[str, SheetMap] = field(default_factory=dict)
    org: str | None = None
    period: str | None = None

    def for_sheet(self, sheet: str | None) -> SheetMap:
        """The rules for ``sheet``: those for every sheet, then the sheet's own on top."""
        common = self.sheets.get("", SheetMap())
        own = self.sheets.get(sheet or "", SheetMap()) if sheet else SheetMap()
        return SheetMap(
            {**common.roles, **own.roles},
            {**common.units, **own.units},
            common.confirmed | own.confirmed,
            own.header or common.header,
            {**common.headers, **own.headers},
            {**common.directions, **own.directions},
            {**common.percent, **own.percent},
        )


def read_mapping(path: str | Path) -> Mapping:
    """Read a mapping file; every bad line at once as :class:`DataErrors`."""
    path = Path(path)
    text, _ = decode_text(path.read_bytes(), path.name)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [f for f in ("item", "column", "role") if f not in (reader.fieldnames or [])]
    if missing:
        raise DataErrors(
            [
                Problem(
                    f"映射文件缺少列 (mapping file lacks columns): {', '.join(missing)}",
                    file=path.name,
                    row=1,
                )
            ],
            path.name,
        )
    mapping = Mapping()
    problems: list[Problem] = []
    for n, row in enumerate(reader, start=2):

        def get(key: str, row: dict[str, Any] = row) -> str:
            return clean_text(from_csv_text(row.get(key) or ""))

        item, sheet, letter = get("item").lower(), (row.get("sheet") or "").strip(), get("column")
        rules = mapping.sheets.setdefault(sheet, SheetMap())

        def bad(message: str, column: str, value: Any, n: int = n) -> None:
            problems.append(Problem(message, file=path.name, row=n, column=column, value=value))

        if item in ("org", "乡镇"):
            mapping.org = get("role") or None
        elif item in ("period", "期间"):
            mapping.period = get("role") or None
        elif item in ("direction", "方向"):
            said = _DIRECTIONS.get(get("role").lower())
            if said is None or not get("header"):
                bad(
                    "方向行应在 header 写指标名称,在 role 写 up(越大越好)或 down(越小越好) "
                    "(a direction line: the indicator in header, up or down in role)",
                    "role",
                    get("role"),
                )
                continue
            rules.directions[get("header")] = said
        elif item in ("percent", "百分数"):
            said = _PERCENTS.get(get("role").lower())
            if said is None or not re.fullmatch(r"[A-Z]{1,3}", letter.upper()):
                bad(
                    "百分数行应在 column 写列字母，在 role 写 fraction（小数，0.085 即 8.5%）或 "
                    "percent（百分数，8.5 即 8.5%） (a percent line: the column letter, and "
                    "fraction or percent in role)",
                    "role",
                    get("role"),
                )
                continue
            rules.percent[letter.upper()] = said
        elif item in ("header_rows", "表头"):
            m = re.fullmatch(r"(\d+)(?:-(\d+))?", get("header"))
            if not m:
                bad("表头行应写成 3 或 3-4 (header rows: 3 or 3-4)", "header", get("header"))
                continue
            first, last = int(m.group(1)), int(m.group(2) or m.group(1))
            if last < first or last - first > 1:
                bad("表头最多两行 (at most two header rows)", "header", get("header"))
                continue
            rules.header = (first, last - first + 1)
        elif item in ("column", "列"):
            if not re.fullmatch(r"[A-Z]{1,3}", letter.upper()):
                bad("列应写成字母,如 F (a column letter, like F)", "column", letter)
                continue
            letter = letter.upper()
            role = get("role").lower()
            if role not in ROLES:
                bad(
                    f"未知的作用,可用 (unknown role; one of): {', '.join(ROLES)}",
                    "role",
                    role,
                )
                continue
            rules.roles[letter] = role
            if get("header"):
                rules.headers[letter] = get("header")
            unit = get("unit")
            if unit:
                if not is_known_unit(unit):
                    bad("未知的单位 (unknown unit)", "unit", unit)
                    continue
                rules.units[letter] = normalise_unit(unit)
            confirm = get("confirm").lower()
            if confirm in _YES:
                rules.confirmed.add(letter)
            elif confirm not in _NO:
                bad("confirm 只能是 yes 或空 (confirm: yes or empty)", "confirm", confirm)
        elif item:
            bad(
                "未知的项目,可用 column、header_rows、direction、percent、org、period (unknown item)",
                "item",
                item,
            )
    if problems:
        raise DataErrors(problems, path.name)
    return mapping


def _example(grid: Grid, first: int, j: int, limit: int = 200) -> str:
    for i in range(first, min(len(grid.rows), first + limit)):
        v = grid.cell(i, j)
        if isinstance(v, Unreadable):
            return v.text
        if v is not None and str(v).strip() and (i, j) not in grid.merged:
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            return str(v).strip()
    return ""


def reading_rows(
    grid: Grid,
    layout: Layout | None = None,
    district: DistrictLayout | None = None,
    *,
    any_sheet: bool = False,
    decided: list[tuple[str, str, str]] | None = None,
) -> list[dict[str, str]]:
    """The mapping table of one sheet: header rows, one line per column, then one
    ``direction`` line per indicator in ``decided`` ((name, up/down, what decided it)).

    ``any_sheet``: the file has this one sheet, so the lines hold for any sheet name (the
    next half-year's file names its sheet otherwise).
    """
    sheet = "" if any_sheet else grid.sheet or ""
    rows: list[dict[str, str]] = []
    header_rows = layout.header_rows if layout else district.header_rows if district else []
    numbers = [grid.row_numbers[i] for i in header_rows]
    if numbers:
        rows.append(
            _line(
                sheet, "header_rows", header="-".join(map(str, sorted({numbers[0], numbers[-1]})))
            )
        )
    first = layout.first_data if layout else district.first_data if district else 0
    columns: list[Column] = []
    if layout is not None:
        columns = list(layout.columns)
    elif district is not None:
        columns = [Column(district.org_column, "乡镇", "org")]
        for g in district.groups:
            amounts = ("target", "actual", "last_actual")
            columns.extend(
                replace(c, unit=c.unit or (g.unit if c.role in amounts else None))
                for c in g.columns
            )
    for c in columns:
        if c.role == "ignored" and not c.header:
            continue
        rows.append(
            _line(
                sheet,
                "column",
                column=c.letter,
                header=c.header,
                role=c.role,
                unit=c.unit or "",
                example=_example(grid, first, c.index),
            )
        )
    for c in columns:
        if c.percent is not None:
            rows.append(_line(sheet, "percent", column=c.letter, header=c.header, role=c.percent))
    for name, direction, why in decided or ():
        rows.append(_line(sheet, "direction", header=name, role=direction, example=why))
    return rows


def _line(sheet: str, item: str, **values: str) -> dict[str, str]:
    row = {f: "" for f in FIELDS}
    row.update(sheet=sheet, item=item, **values)
    return row


_PERIOD_WORDS = re.compile(
    r"(?:19|20)\d{2}年度?|\d{1,2}[-—–~至]\d{1,2}月份?|\d{1,2}月份?|上半年|下半年|全年|年度|"
    r"前三季度|第?[一二三四]季度"
)


def _header_key(text: str) -> str:
    """A header without its period words: 1-6月累计 and 1-12月累计 are one column's header."""
    return _PERIOD_WORDS.sub("", clean_text(text))


def _moved(rules: SheetMap, columns: list[Column]) -> list[Problem]:
    """A problem for every column whose header is not the one the mapping was made for."""
    problems = []
    for c in columns:
        said = rules.headers.get(c.letter)
        if said and _header_key(said) != _header_key(c.header):
            problems.append(
                Problem(
                    f"映射文件中列 {c.letter} 的表头是「{said}」,表中是「{c.header}」:表的列变了,"
                    f"请改映射文件 (the mapping was made for another layout: column "
                    f"{c.letter} was {said!r}; fix the mapping)",
                    column=c.letter,
                    value=c.header,
                )
            )
    return problems


def apply_layout(layout: Layout, rules: SheetMap, inferences: list[str]) -> list[Problem]:
    """The mapping's roles and units on a township sheet's columns; each change listed.

    A column whose header differs from the one the mapping names (period words aside) is
    a problem: a mapping made for another layout would put figures in the wrong place.
    """
    problems: list[Problem] = _moved(rules, layout.columns)
    letters = {c.letter: k for k, c in enumerate(layout.columns)}
    layout.columns = _percents(layout.columns, rules, inferences, problems)
    for letter in sorted(set(rules.roles) | set(rules.units)):
        if letter not in letters:
            problems.append(
                Problem(f"映射文件中的列 {letter} 不在表中 (no column {letter} in the sheet)")
            )
            continue
        k = letters[letter]
        c = layout.columns[k]
        role = rules.roles.get(letter, c.role)
        if role == "org":
            problems.append(
                Problem(f"列 {letter}: org 只用于区县汇总表 (org: only in a district sheet)")
            )
            continue
        unit = rules.units.get(letter, c.unit)
        if (role, unit) != (c.role, c.unit):
            inferences.append(
                f"列 {c.label}: {c.role} → {role}"
                + (f",单位 {unit}" if unit else "")
                + " (映射文件 / from the mapping file)"
            )
            why = c.why if role == "ignored" else ""
            layout.columns[k] = replace(c, role=role, unit=unit, why=why or "映射文件 (mapping)")
    return problems


def _percents(
    columns: list[Column], rules: SheetMap, inferences: list[str], problems: list[Problem]
) -> list[Column]:
    """The columns with the mapping's ``percent`` lines on them, each listed; a line for a
    column not in the sheet is a problem."""
    letters = {c.letter for c in columns}
    for letter in sorted(set(rules.percent) - letters):
        problems.append(
            Problem(f"映射文件中的列 {letter} 不在表中 (no column {letter} in the sheet)")
        )
    out = []
    for c in columns:
        said = rules.percent.get(c.letter)
        if said is not None:
            how = "小数，0.085 即 8.5%" if said == "fraction" else "百分数，8.5 即 8.5%"
            inferences.append(
                f"列 {c.label} 中不带%的百分数按{how}（映射文件） (from the mapping file: {said})"
            )
            c = replace(c, percent=said)
        out.append(c)
    return out


def apply_district(dl: DistrictLayout, rules: SheetMap, inferences: list[str]) -> list[Problem]:
    """The mapping's roles and units on a district sheet's indicator columns."""
    problems: list[Problem] = _moved(rules, [c for g in dl.groups for c in g.columns])
    known = {c.letter for g in dl.groups for c in g.columns}
    for letter in sorted(set(rules.percent) - known):
        problems.append(
            Problem(f"映射文件中的列 {letter} 不是指标列 (column {letter}: not an indicator's)")
        )
    dl.groups = [
        Group(g.name, g.unit, _percents(g.columns, rules, inferences, [])) for g in dl.groups
    ]
    for letter in sorted(set(rules.roles) | set(rules.units)):
        if letter not in known and rules.roles.get(letter) != "org":
            problems.append(
                Problem(f"映射文件中的列 {letter} 不是指标列 (column {letter}: not an indicator's)")
            )
    groups: list[Group] = []
    for g in dl.groups:
        cols = []
        for c in g.columns:
            role = rules.roles.get(c.letter, c.role)
            unit = rules.units.get(c.letter, c.unit)
            if (role, unit) != (c.role, c.unit):
                inferences.append(
                    f"列 {c.label}: {c.role} → {role}"
                    + (f",单位 {unit}" if unit else "")
                    + " (映射文件 / from the mapping file)"
                )
                c = replace(c, role=role, unit=unit)
            cols.append(c)
        groups.append(Group(g.name, g.unit, cols))
    dl.groups = groups
    return problems


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` columns; a two-level header keeps its leaf whole."""
    if _width(text) > limit and "/" in text:
        group, _, leaf = text.rpartition("/")
        room = limit - _width(leaf) - 1
        if room >= 4:
            return _cut(group, room) + "/" + leaf
    out = ""
    for ch in text:
        if _width(out + ch) > limit - 1:
            return out + "…"
        out += ch
    return out


def format_table(rows: list[dict[str, str]]) -> str:
    """The reading as a small aligned table: 列, 表头, 作用, 单位, 示例."""
    head = ["列", "表头 (header)", "作用 (role)", "单位", "示例 (example)"]
    lines = [head]
    for r in rows:
        if r["item"] != "column":
            continue
        role = f"{r['role']} {ROLES.get(r['role'], '')}"
        lines.append([r["column"], _cut(r["header"], 24), role, r["unit"], _cut(r["example"], 16)])
    widths = [max(_width(line[k]) for line in lines) for k in range(len(head))]
    out = []
    for line in lines:
        out.append(
            "  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(line, widths)).rstrip()
        )
    return "\n".join(out)


def mapping_text(rows: list[dict[str, str]]) -> str:
    """The mapping file's text (UTF-8 with BOM, for Excel)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(FIELDS), lineterminator="\n")
    writer.writeheader()
    writer.writerows([{f: csv_text(row.get(f, "")) for f in FIELDS} for row in rows])
    return "\ufeff" + buffer.getvalue()


def write_mapping(rows: list[dict[str, str]], path: Path) -> Path:
    """Write the mapping file alone, whole or not at all."""
    return write_atomic(path, mapping_text(rows))


def mapping_files(
    results: list[Any],
    files: list[str],
    *,
    org: str | None = None,
    period: str | None = None,
    mapping: Mapping | None = None,
) -> dict[str, str]:
    """The mapping files of one import, file name → text: one per file given, holding the
    reading of that file's sheets only (``results`` are
    :class:`helpers.importer.tidy.ImportResult`, matched by the path as given).

    The name is ``<file>.csv``; two files of one name (``城关镇/1-6月.xlsx``,
    ``河西镇/1-6月.xlsx``) get their orgs in it (``1-6月.xlsx-城关镇.csv``), and the same orgs
    too a digest of the path as given, so no file's reading is written over another's and
    ``--map`` with a file's own mapping reads that file as it was read. ``org``/``period``
    (given on the command line) are kept as lines; columns the user confirmed stay confirmed.
    """
    names = [Path(f).name for f in files]
    out: dict[str, str] = {}
    for f, name in zip(files, names, strict=True):
        mine = [r for r in results if (r.source or r.file) in (str(f), name)]
        if names.count(name) > 1:
            mine = [r for r in results if r.source == str(f)]
        rows = [dict(row) for r in mine for row in r.reading]
        if org:
            rows.append({"item": "org", "role": org})
        if period:
            rows.append({"item": "period", "role": period})
        if mapping is not None:
            for row in rows:
                rules = mapping.for_sheet(row.get("sheet") or None)
                if row.get("item") == "column" and row.get("column") in rules.confirmed:
                    row["confirm"] = "yes"
        stem = name
        if names.count(name) > 1:
            orgs = list(dict.fromkeys(o for r in mine for o in r.orgs))
            stem = f"{name}-{'、'.join(orgs[:3])}" if orgs else name
            same = [
                g
                for g, n in zip(files, names, strict=True)
                if n == name and g != f and _orgs_of(results, g) == orgs
            ]
            if not orgs or same:
                stem += "-" + hashlib.sha1(str(f).encode("utf-8")).hexdigest()[:8]
        out[f"{safe_name(stem)}.csv"] = mapping_text(rows)
    return out


def _orgs_of(results: list[Any], source: str) -> list[str]:
    return list(dict.fromkeys(o for r in results if r.source == str(source) for o in r.orgs))
