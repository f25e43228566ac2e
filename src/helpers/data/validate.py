"""Checks across the tables of a data set, after each cell has been read.

Per-cell problems (not a number, unknown period, …) are found while reading; this module
finds what only the tables together show: duplicates, references to unknown indicators or
orgs, orgs with figures but no targets, and cumulative figures that fall within a year.
Value ranges are declared as pandera schemas and validated lazily, so every failure is
reported, each at the row where the user can find it.
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import Any

import pandas as pd
import pandera.pandas as pa

from ..errors import Problem
from .periods import parse_period

__all__ = ["cross_check", "resolve_names", "name_key", "RANGE_SCHEMAS"]

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


def _duplicates(frame: pd.DataFrame, keys: list[str], what: str) -> list[Problem]:
    problems = []
    dup = frame[frame.duplicated(keys, keep=False)]
    for _, group in dup.groupby(keys, sort=False):
        rows = list(group["_row"])
        first = group.iloc[0]
        label = "/".join(str(first[k]) for k in keys)
        for _, row in group.iloc[1:].iterrows():
            problems.append(
                _at(
                    row,
                    f"{what}重复:与第{rows[0]}行相同 (duplicate of row {rows[0]})",
                    "/".join(keys),
                    label,
                )
            )
    return problems


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


def _spelled(
    table: pd.DataFrame | None, column: str, fields: tuple[str, ...]
) -> list[tuple[str, str]]:
    """Every (spelling, id) of a table: its ids and names, as written."""
    if table is None or table.empty:
        return []
    return [
        (row[f], str(row[column]))
        for _, row in table.iterrows()
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


def name_key(name: str) -> str:
    """What two spellings of one name share: full-width folded to half-width (NFKC), case
    and every space removed (``ＡＢ镇``, ``AB 镇`` and ``ab镇`` are one key)."""
    return "".join(unicodedata.normalize("NFKC", str(name)).casefold().split())


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
                        f"乡镇名称与「{seen}」只差全角/半角、大小写或空格,请统一写法 "
                        f"(org name differs from {seen!r} only in width, case or spaces: "
                        "write it one way)",
                        "org",
                        org,
                    )
                )
    return _once(problems)


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
    problems = _duplicates(ind, ["indicator"], "指标代码")
    known = set(ind["indicator"])
    spelled = _spellings(ind, "indicator", ("indicator", "name", "name_en"))
    problems += _unknown(targets, "indicator", known, "指标", spelled)
    problems += _unknown(actuals, "indicator", known, "指标", spelled)
    problems += _duplicates(targets, ["org", "indicator", "period"], "目标")
    problems += _duplicates(actuals, ["org", "indicator", "period"], "完成数")
    problems += _lookalike_orgs(frames)
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
    return problems
