"""Checks across the tables of a data set, after each cell has been read.

Per-cell problems (not a number, unknown period, …) are found while reading; this module
finds what only the tables together show: duplicates, references to unknown indicators or
orgs, orgs with figures but no targets, and cumulative figures that fall within a year.
Value ranges are declared as pandera schemas and validated lazily, so every failure is
reported, each at the row where the user can find it.
"""

from __future__ import annotations

import difflib
from typing import Any

import pandas as pd
import pandera.pandas as pa

from ..errors import Problem
from .periods import parse_period
from .schema import CHOICES, NOTE_SECTIONS, TABLES, canonical_choice
from .text import name_key
from .units import UNIT_GROUPS, normalise_unit

__all__ = ["cross_check", "resolve_names", "is_percent_unit", "RANGE_SCHEMAS"]

#: Value ranges per table; failures become problems at the offending row.
RANGE_SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "projects": pa.DataFrameSchema(
        {
            "percent_complete": pa.Column(
                float, pa.Check.in_range(0, 100), nullable=True, coerce=True, required=False
            ),
            "total_investment": pa.Column(
                float, pa.Check.ge(0), nullable=True, coerce=True, required=False
            ),
            "year_plan": pa.Column(
                float, pa.Check.ge(0), nullable=True, coerce=True, required=False
            ),
            "year_done": pa.Column(
                float, pa.Check.ge(0), nullable=True, coerce=True, required=False
            ),
        }
    ),
    "targets": pa.DataFrameSchema(
        {
            "target": pa.Column(float, pa.Check.ge(0), nullable=True, coerce=True),
        }
    ),
}
_RANGE_TEXT = {
    "in_range": "超出允许范围 0-100 (out of range 0-100)",
    "greater_than_or_equal_to": "不能为负数 (must not be negative)",
}


def _at(
    row: pd.Series,
    message: str,
    column: str | None = None,
    value: Any = None,
    severity: str = "error",
) -> Problem:
    return Problem(
        message,
        file=row["_file"],
        sheet=row["_sheet"],
        row=int(row["_row"]),
        column=column,
        value=value,
        severity=severity,
    )


def _ranges(name: str, frame: pd.DataFrame) -> list[Problem]:
    if name not in RANGE_SCHEMAS or frame.empty:
        return []
    try:
        RANGE_SCHEMAS[name].validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = []
        for case in exc.failure_cases.itertuples():
            if case.index is None or pd.isna(case.index):
                continue
            row = frame.loc[case.index]
            check = str(case.check).split("(")[0]
            problems.append(
                _at(row, _RANGE_TEXT.get(check, str(case.check)), case.column, case.failure_case)
            )
        return problems
    return []


#: What one row of each table with unique keys is, in Chinese (its key is the schema's).
_KEYED = {"indicators": "指标代码", "targets": "目标", "actuals": "完成数", "projects": "项目"}
_KEYED |= {"orgs": "乡镇"}


def _duplicates(frame: pd.DataFrame, keys: list[str], what: str) -> list[Problem]:
    """Rows whose key (``org`` of the orgs, ``indicator`` of the indicators, ``org/indicator/
    period`` of the figures …) another row already has: an error at each later row naming
    the first. Text is compared by :func:`name_key`, the rule names are matched by, so
    ``ＡＢ镇`` and ``AB 镇`` are the same org here too; a row with an empty key part is left
    to the problem already reported for it."""
    if frame.empty or any(k not in frame for k in keys):
        return []
    present = frame[keys].notna().all(axis=1)
    keyed = frame.loc[present, keys].map(lambda v: name_key(v) if isinstance(v, str) else v)
    repeated = keyed[keyed.duplicated(keep=False)]
    problems = []
    first: dict[tuple[object, ...], pd.Series] = {}
    for i, key in zip(repeated.index, repeated.itertuples(index=False, name=None)):
        row = frame.loc[i]
        seen = first.setdefault(key, row)
        if seen is row:
            continue
        label = "/".join(str(row[k]) for k in keys)
        before = int(seen["_row"])
        shown = "/".join(str(seen[k]) for k in keys)
        if shown == label:
            message = f"{what}重复：与第{before}行相同，请只保留一行 (duplicate of row {before}: keep one)"
        else:
            message = (
                f"{what}重复：与第{before}行的「{shown}」只差全角/半角、大小写或空格，是同一个；"
                f"请只保留一行 (duplicate of row {before}, {shown!r}, written another way: "
                "keep one row)"
            )
        problems.append(_at(row, message, "/".join(keys), label))
    return problems


def _unique_keys(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Every table whose rows must be unique, checked by its schema key (one rule: a town
    listed twice in the orgs is counted as two towns, an indicator twice as two rows)."""
    return [
        problem
        for name, what in _KEYED.items()
        if name in frames
        for problem in _duplicates(frames[name], list(TABLES[name].key), what)
    ]


def _unknown(
    frame: pd.DataFrame, column: str, known: set[str], what: str, names: dict[str, str]
) -> list[Problem]:
    bad = frame[frame[column].notna() & ~frame[column].isin(known)]
    problems = []
    for _, row in bad.iterrows():
        near = difflib.get_close_matches(str(row[column]), list(names), n=3, cutoff=0.5)
        shown = dict.fromkeys(names[n] + (f"（{n}）" if n != names[n] else "") for n in near)
        hint = "；是不是：" + "、".join(shown) if near else ""
        problems.append(_at(row, f"{what}不存在{hint} (unknown {column})", column, row[column]))
    return problems


def resolve_names(frames: dict[str, pd.DataFrame]) -> None:
    """Where an indicator (or org) id belongs, its name is accepted too: ``国地两税`` in the
    targets means the indicator whose name it is, compared by :func:`name_key`. Changes the
    frames in place; a name that two ids share is left as written (then it is a problem)."""
    for column, table, fields in (
        ("indicator", "indicators", ("indicator", "name", "name_en")),
        ("org", "orgs", ("org", "name")),
    ):
        ids = _named_ids(frames.get(table), column, fields)
        for name in ("targets", "actuals", "projects", "notes"):
            frame = frames.get(name)
            if frame is None or column not in frame or frame.empty:
                continue
            known = set(frames[table][column]) if table in frames else set()
            frame[column] = [
                v if not isinstance(v, str) or v in known else ids.get(name_key(v), v)
                for v in frame[column]
            ]
    notes = frames.get("notes")
    if notes is not None and "section" in notes and not notes.empty:
        sectors = _sectors(frames.get("indicators"))
        notes["section"] = [_section(v, sectors) for v in notes["section"]]


def _sectors(indicators: pd.DataFrame | None) -> dict[str, str]:
    """name key → the sector as the indicators write it (the id a sector note resolves to)."""
    if indicators is None or indicators.empty or "sector" not in indicators:
        return {}
    written = [s for s in indicators["sector"] if isinstance(s, str) and s.strip()]
    return {name_key(s): s for s in dict.fromkeys(written)}


def _section(value: object, sectors: dict[str, str]) -> object:
    """A notes row's section: a note word (``亮点`` → ``highlights``) or a sector as the
    indicators write it (``工业``, ``ＩＮＤ`` → ``IND``); anything else is left as written."""
    if not isinstance(value, str):
        return value
    return canonical_choice("section", value) or sectors.get(name_key(value), value)


def _unknown_sections(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Notes rows whose section is neither a note word nor a sector of the indicators; a
    title written twice for one org and period, or over more than one line."""
    notes = frames["notes"]
    if notes.empty:
        return []
    sectors = list(_sectors(frames["indicators"]).values())
    allowed = "、".join(f"{k}（{v}）" for k, v in NOTE_SECTIONS.items())
    allowed += "，或领域：" + "、".join(sectors) if sectors else ""
    spellings = {k: v for k, v in CHOICES["section"].items()} | {s: s for s in sectors}
    known = set(NOTE_SECTIONS) | set(sectors)
    problems = []
    for _, row in notes[notes["section"].notna() & ~notes["section"].isin(known)].iterrows():
        near = difflib.get_close_matches(str(row["section"]), list(spellings), n=3, cutoff=0.4)
        shown = dict.fromkeys(
            spellings[n] + (f"（{n}）" if n != spellings[n] else "") for n in near
        )
        hint = "；是不是：" + "、".join(shown) if near else ""
        problems.append(
            _at(
                row,
                f"栏目不存在；可填：{allowed}{hint} (unknown section: use a note section or a "
                "sector of the indicators)",
                "section",
                row["section"],
            )
        )
    titles = notes[notes["section"] == "title"]
    for _, row in titles[titles.duplicated(["org", "period"])].iterrows():
        problems.append(
            _at(
                row,
                "同一乡镇同一期间只能有一个标题 (one title per org and period)",
                "section",
                row["section"],
            )
        )
    for _, row in titles.iterrows():
        if isinstance(row["text"], str) and len(row["text"].strip().splitlines()) > 1:
            problems.append(
                _at(
                    row,
                    "标题只能写一行 (a title is one line)",
                    "text",
                    row["text"],
                )
            )
    return problems


def _spelled(
    table: pd.DataFrame | None, column: str, fields: tuple[str, ...]
) -> list[tuple[str, str]]:
    """Every (spelling, id) of a table: its ids and names, as written (a row whose id is
    missing, or was refused, names nothing)."""
    if table is None or table.empty:
        return []
    return [
        (row[f], row[column])
        for _, row in table.iterrows()
        if isinstance(row[column], str) and row[column].strip()
        for f in fields
        if f in row and isinstance(row[f], str) and row[f].strip()
    ]


def _named_ids(table: pd.DataFrame | None, column: str, fields: tuple[str, ...]) -> dict[str, str]:
    """name key → id, for every spelling in ``fields`` that names exactly one id."""
    seen: dict[str, set[str]] = {}
    for spelling, id_ in _spelled(table, column, fields):
        seen.setdefault(name_key(spelling), set()).add(id_)
    return {key: next(iter(ids)) for key, ids in seen.items() if len(ids) == 1}


def _spellings(table: pd.DataFrame, column: str, fields: tuple[str, ...]) -> dict[str, str]:
    """Every spelling (id, names) → the id, for suggesting the nearest."""
    return dict(_spelled(table, column, fields))


def _falling_cumulatives(actuals: pd.DataFrame, indicators: pd.DataFrame) -> list[Problem]:
    """A cumulative figure below an earlier one of the same year: a warning for 数据说明."""
    cumulative = set(indicators.loc[indicators["measure"] == "cumulative", "indicator"])
    usable = actuals["value"].notna() & actuals["period"].notna()
    frame = actuals[actuals["indicator"].isin(cumulative) & usable].copy()
    if frame.empty:
        return []
    parsed = {p: parse_period(p) for p in frame["period"].unique()}
    frame["_year"] = frame["period"].map(lambda p: parsed[p].year)
    frame["_end"] = frame["period"].map(lambda p: parsed[p].end_month)
    keys = ["org", "indicator", "_year"]
    ends = frame.groupby(keys + ["_end"], sort=True)["value"].max().reset_index()
    running = ends.groupby(keys, sort=False)["value"].cummax()
    ends["_earlier"] = running.groupby([ends[k] for k in keys], sort=False).shift()
    frame = frame.merge(ends.drop(columns="value"), on=keys + ["_end"], how="left")
    earlier_max = frame["_earlier"]
    problems = []
    for _, row in frame[frame["value"] < earlier_max].iterrows():
        same = frame[
            (frame["org"] == row["org"])
            & (frame["indicator"] == row["indicator"])
            & (frame["_year"] == row["_year"])
            & (frame["_end"] < row["_end"])
        ]
        best = same.loc[same["value"].idxmax()]
        problems.append(
            _at(
                row,
                f"累计数低于同年较早期间 {best['period']} 的 {best['value']:g} "
                f"(cumulative figure below the earlier period's)",
                "value",
                row["value"],
                severity="warning",
            )
        )
    return problems


def is_percent_unit(unit: object) -> bool:
    """Whether a unit is a percentage (``%``, ``百分比``, ``个百分点``): a figure written with
    ``%`` belongs only to such an indicator."""
    text = normalise_unit(unit)
    return text in UNIT_GROUPS["percent"] or "%" in text or "百分" in text


def _rows(frame: pd.DataFrame) -> str:
    """``第2、5行``: the rows of a frame as a user finds them."""
    return "第" + "、".join(str(int(r)) for r in frame["_row"]) + "行"


def _where(frame: pd.DataFrame) -> str:
    """``targets.csv 第3行`` (or ``data.xlsx[targets] 第3行``): rows of another table."""
    first = frame.iloc[0]
    sheet = first["_sheet"]
    name = str(first["_file"]) + (f"[{sheet}]" if isinstance(sheet, str) and sheet else "")
    return f"{name} {_rows(frame)}"


def _fractions_for_percent(
    actuals: pd.DataFrame, targets: pd.DataFrame, indicators: pd.DataFrame
) -> list[Problem]:
    """A rate in percent (unit ``%`` or measure rate) given as a fraction on one side only:
    every figure within 0–1.5 (``0.968``, meaning 96.8%) while the target is above 1.5
    (``95``), or the reverse. A warning naming the rows of both, never a silent comparison
    of 0.968 with 95 (a small rate such as 1.2% against 4.5% is legitimate: not an error)."""
    rates = set(
        indicators.loc[
            (indicators["measure"] == "rate") | indicators["unit"].map(is_percent_unit),
            "indicator",
        ]
    )
    problems: list[Problem] = []
    figures = actuals[actuals["indicator"].isin(rates) & actuals["value"].notna()]
    goals = targets[targets["indicator"].isin(rates) & targets["target"].notna()]
    for (org, indicator), done in figures.groupby(["org", "indicator"], sort=False):
        wanted = goals[(goals["org"] == org) & (goals["indicator"] == indicator)]
        if wanted.empty:
            continue
        if done["value"].between(0, 1.5).all() and (wanted["target"] > 1.5).any():
            at, column, other = done, "value", wanted[wanted["target"] > 1.5]
            side, other_side = "完成数", "目标"
        elif wanted["target"].between(0, 1.5).all() and (done["value"] > 1.5).any():
            at, column, other = wanted, "target", done[done["value"] > 1.5]
            side, other_side = "目标", "完成数"
        else:
            continue
        first = at.iloc[0]
        shown = "、".join(f"{v:g}" for v in at[column])
        rows = ", ".join(str(int(r)) for r in at["_row"])
        problems.append(
            _at(
                first,
                f"百分比指标「{indicator}」的{side}（{_rows(at)}：{shown}）都在 0–1.5 之间，"
                f"而{other_side}（{_where(other)}）大于 1.5：是不是把 96.8% 写成了 0.968？"
                f"请统一按百分数填写 (a rate in percent given as a fraction: rows {rows} are "
                "all within 0-1.5 while the other side is above 1.5; write both in percent)",
                column,
                f"{first[column]:g}",
                severity="warning",
            )
        )
    return problems


def _same_end_twice(frame: pd.DataFrame, column: str, what: str) -> list[Problem]:
    """One figure given under two spellings of one period end (``2013-06``, ``2013Q2`` and
    ``2013H1`` are all cumulative to the end of June) for the same org and indicator: with
    different values, which one is meant is not ours to guess (an error naming both rows);
    with equal values, a warning."""
    usable = frame[frame["period"].notna() & frame["org"].notna() & frame["indicator"].notna()]
    if usable.empty:
        return []
    ends = {p: parse_period(p) for p in usable["period"].unique()}
    keyed = usable.assign(
        _year=usable["period"].map(lambda p: ends[p].year),
        _end=usable["period"].map(lambda p: ends[p].end_month),
    )
    problems = []
    for _, group in keyed.groupby(["org", "indicator", "_year", "_end"], sort=False):
        if group["period"].nunique() < 2:
            continue
        first = group.iloc[0]
        for _, row in group[group["period"] != first["period"]].iterrows():
            a, b = first[column], row[column]
            same = bool((pd.isna(a) and pd.isna(b)) or a == b)
            month = f"{int(first['_year'])}年{int(first['_end'])}月末"
            shown = "、".join("—" if pd.isna(v) else f"{v:g}" for v in (a, b))
            pair = f"{first['period']} and {row['period']}"
            message = (
                f"与第{int(first['_row'])}行（期间 {first['period']}）是同一个{what}："
                f"期间 {row['period']} 和 {first['period']} 都是截至{month}的数，"
                + (
                    f"数值相同（{shown}），只需保留一行 (the same figure given twice, under "
                    f"two spellings of one period end, {pair}: keep one row)"
                    if same
                    else f"数值却不同（{shown}），请只保留正确的一行 (one figure given twice, "
                    f"under two spellings of one period end, {pair}, with different values: "
                    "keep the right row)"
                )
            )
            problems.append(
                _at(row, message, "period", row["period"], severity="warning" if same else "error")
            )
    return problems


def _negative_cumulatives(actuals: pd.DataFrame, indicators: pd.DataFrame) -> list[Problem]:
    """A negative figure of a cumulative indicator counted in amounts (``-848`` 万元 of
    国地两税): a warning at its row. Growth rates (percent units) and levels may be negative,
    and refunds can make a cumulative figure negative, so it is never an error."""
    amounts = indicators[
        (indicators["measure"] == "cumulative") & ~indicators["unit"].map(is_percent_unit)
    ]
    units = dict(zip(amounts["indicator"], amounts["unit"]))
    bad = actuals[actuals["indicator"].isin(set(units)) & (actuals["value"] < 0)]
    return [
        _at(
            row,
            f"累计完成数是负数（{row['value']:g} {units[row['indicator']]}）：累计数一般不小于 0，"
            "请核对是否把增减额或增长率填成了完成数 (a negative cumulative figure: check it "
            "is not a change or a growth rate)",
            "value",
            f"{row['value']:g}",
            severity="warning",
        )
        for _, row in bad.iterrows()
    ]


def _lookalike_orgs(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Org names that differ only in width, case or spaces: one org written two ways would
    give two reports without a word. An error at the first row of each later spelling."""
    first: dict[str, str] = {}
    problems = []
    for name in ("orgs", "targets", "actuals", "projects", "notes"):
        frame = frames[name]
        if frame.empty:
            continue
        for _, row in frame.drop_duplicates("org").iterrows():
            org = row["org"]
            if not isinstance(org, str):
                continue
            seen = first.setdefault(name_key(org), org)
            if seen != org:
                problems.append(
                    _at(
                        row,
                        f"乡镇名称与「{seen}」只差全角/半角、大小写或空格，请统一写法 "
                        f"(org name differs from {seen!r} only in width, case or spaces: "
                        "write it one way)",
                        "org",
                        org,
                    )
                )
    return _once(problems)


def _sector_rows(indicators: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Each sector as written, with its indicator rows, in the order of the indicators."""
    if indicators.empty or "sector" not in indicators:
        return []
    written = indicators[indicators["sector"].map(lambda s: isinstance(s, str) and bool(s.strip()))]
    return [(str(s), group) for s, group in written.groupby("sector", sort=False)]


def _same_names(frame: pd.DataFrame, column: str, what: str, severity: str) -> list[Problem]:
    """Two rows of different ids shown under one name (``name``, else the id; compared by
    :func:`name_key`): two towns' reports with one title (an error), two indicators'
    rows with one label (a warning). At each later row, naming the first."""
    if frame.empty or "name" not in frame:
        return []
    problems = []
    first: dict[str, pd.Series] = {}
    for _, row in frame.iterrows():
        ident, name = row[column], row["name"]
        shown = name.strip() if isinstance(name, str) and name.strip() else ident
        if not isinstance(shown, str) or not isinstance(ident, str):
            continue
        seen = first.setdefault(name_key(shown), row)
        if seen is row or name_key(seen[column]) == name_key(ident):
            continue  # the same id twice is a duplicate key, reported once as such
        problems.append(
            _at(
                row,
                f"{what}「{ident}」的名称「{shown}」与第{int(seen['_row'])}行的{what}"
                f"「{seen[column]}」相同，报告中无法区分；请改用不同的名称 (shown under the same "
                f"name as row {int(seen['_row'])}, {seen[column]!r}: give it another name)",
                "name",
                name if isinstance(name, str) else ident,
                severity,
            )
        )
    return problems


def _reserved_sectors(indicators: pd.DataFrame) -> list[Problem]:
    """A sector named like a notes section (``title``, ``亮点``, ``ＨＩＧＨＬＩＧＨＴＳ``): a
    notes row of that section could be the sector's prose or the section itself, and the
    section wins (a sector ``title`` took the report's title as its heading). One error per
    sector, at its first row, naming its other rows and the fix."""
    reserved = {name_key(k): v for k, v in CHOICES["section"].items()}
    problems = []
    for sector, group in _sector_rows(indicators):
        section = reserved.get(name_key(sector))
        if section is None:
            continue
        others = group.iloc[1:]
        also = f"（同一领域还在{_rows(others)}）" if len(others) else ""
        problems.append(
            _at(
                group.iloc[0],
                f"领域名称「{sector}」是文字表的栏目名「{section}（{NOTE_SECTIONS[section]}）」，"
                f"文字表中的这一栏会被当成{NOTE_SECTIONS[section]}而不是该领域的文字{also}；"
                "请给领域另起名称，如 工业、农业、社会事业 (a sector named like the notes "
                f"section {section!r}: its notes would be taken for the {section}; rename "
                "the sector)",
                "sector",
                sector,
            )
        )
    return problems


def _lookalike_sectors(indicators: pd.DataFrame) -> list[Problem]:
    """Sector names that differ only in width, case or spaces (``工业`` and ``工 业``): the
    report would show two sectors, and the notes go to the first. An error at the first
    row of each later spelling."""
    first: dict[str, str] = {}
    problems = []
    for sector, group in _sector_rows(indicators):
        seen = first.setdefault(name_key(sector), sector)
        if seen != sector:
            problems.append(
                _at(
                    group.iloc[0],
                    f"领域名称与「{seen}」只差全角/半角、大小写或空格，报告会把它们当成两个领域；"
                    f"请统一写法 (sector name differs from {seen!r} only in width, case or "
                    "spaces: write it one way)",
                    "sector",
                    sector,
                )
            )
    return problems


def _district_names(orgs: pd.DataFrame) -> list[Problem]:
    """One parent, one English name: a warning at each row whose ``parent_en`` differs from
    the first given for its parent (the report uses the first)."""
    if orgs.empty or "parent_en" not in orgs or "parent" not in orgs:
        return []
    problems = []
    first: dict[str, str] = {}
    for _, row in orgs.iterrows():
        parent, english = row["parent"], row["parent_en"]
        if not isinstance(english, str) or not english.strip():
            continue
        if not isinstance(parent, str) or not parent.strip():
            problems.append(
                _at(
                    row,
                    "填了上级英文名称但没有上级（所属区县），英文名称不会用到 "
                    "(parent_en without a parent: it is not used)",
                    "parent_en",
                    english,
                    "warning",
                )
            )
            continue
        seen = first.setdefault(parent, english.strip())
        if seen != english.strip():
            problems.append(
                _at(
                    row,
                    f"上级「{parent}」的英文名称与前面写的「{seen}」不同，英文报告用「{seen}」 "
                    f"(another English name for {parent}: the report uses {seen!r})",
                    "parent_en",
                    english,
                    "warning",
                )
            )
    return problems


def _once(problems: list[Problem]) -> list[Problem]:
    """Each (value, file) once: a spelling repeated on many rows is one problem."""
    seen: set[tuple[object, object]] = set()
    out = []
    for p in problems:
        if (p.value, p.file) not in seen:
            seen.add((p.value, p.file))
            out.append(p)
    return out


def cross_check(frames: dict[str, pd.DataFrame]) -> list[Problem]:
    """Every problem that only the tables together reveal (errors and warnings)."""
    ind, targets, actuals = frames["indicators"], frames["targets"], frames["actuals"]
    problems = _unique_keys(frames)
    known = set(ind["indicator"])
    spelled = _spellings(ind, "indicator", ("indicator", "name", "name_en"))
    problems += _unknown(targets, "indicator", known, "指标", spelled)
    problems += _unknown(actuals, "indicator", known, "指标", spelled)
    duplicate = {(p.file, p.sheet, p.row) for p in problems}
    problems += [  # a row already named as a duplicate is not named again as a lookalike
        p for p in _lookalike_orgs(frames) if (p.file, p.sheet, p.row) not in duplicate
    ]
    problems += _same_names(frames["orgs"], "org", "乡镇", "error")
    problems += _same_names(ind, "indicator", "指标", "warning")
    problems += _reserved_sectors(ind)
    problems += _lookalike_sectors(ind)
    problems += _unknown_sections(frames)
    problems += _district_names(frames["orgs"])
    if len(frames["orgs"]):
        orgs = set(frames["orgs"]["org"])
        spelled = _spellings(frames["orgs"], "org", ("org", "name"))
        for name in ("targets", "actuals", "projects", "notes"):
            problems += _unknown(frames[name], "org", orgs, "乡镇", spelled)
    with_targets = set(targets["org"])
    for org, group in actuals.groupby("org", sort=False):
        if org not in with_targets:
            problems.append(
                _at(
                    group.iloc[0],
                    "该乡镇有完成数但没有任何目标 (org has actuals but no "
                    "targets at all: check the spelling of its name)",
                    "org",
                    org,
                )
            )
    for name, frame in frames.items():
        problems += _ranges(name, frame)
    problems += _falling_cumulatives(actuals, ind)
    problems += _same_end_twice(targets, "target", "目标")
    problems += _same_end_twice(actuals, "value", "完成数")
    problems += _fractions_for_percent(actuals, targets, ind)
    problems += _negative_cumulatives(actuals, ind)
    return problems
