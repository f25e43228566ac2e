"""Many sheets into one data set: every sheet of every file, merged by org and period.

A district office builds its data set from its townships' sheets (or from its own district
sheets, one indicator or many per sheet), and adds the next ones later. :func:`import_files`
reads every sheet with a table in every file; :func:`merge_results` merges them with what
is already in the folder: the same org, indicator and period twice with different figures is
a problem naming both places, the same figure twice is one row, and nothing already there is
lost. :func:`write_merged` writes the tables together (all new or all old).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from ..base.cells import csv_frame
from ..base.files import decode_text, inside, write_together
from ..base.missing import is_missing
from ..data.numbers import parse_qualified
from ..data.schema import TABLES
from ..data.units import conversion_factor
from ..errors import DataError, Problem, UnitError, UsageError
from .cells import clean_text
from .district import find_district_layout, import_district, names_are_orgs
from .ids import id_clash_message, is_generated, legacy_id, same_indicator
from .layout import find_layout, org_name_ok
from .mapping import Mapping, apply_district, apply_layout, reading_rows
from .orgs import match_org, org_parts, preferred_spelling
from .sheets import read_grids
from .tidy import _COLUMNS, OUTPUT_TABLES, ImportErrors, ImportResult, import_grid
from .unsupported import SUPPORTED, unsupported_layout

__all__ = [
    "Merged",
    "file_labels",
    "folder_orgs",
    "import_files",
    "merge_results",
    "read_existing",
    "write_merged",
]


def import_files(
    paths: Sequence[str | Path],
    *,
    org: str | None = None,
    period: str | None = None,
    sheet: str | None = None,
    mapping: Mapping | None = None,
    known_orgs: Sequence[str] = (),
) -> list[ImportResult]:
    """Every sheet with a table (a township's or a district's) of every file, in order.

    ``known_orgs``: the orgs of the data set imported into (:func:`folder_orgs`); with the
    orgs of the sheets read before, a header naming them without 镇/乡 (``太源 | 柳林``) shows
    a turned table, which is not read.

    Problems of all files are gathered and raised together (:class:`ImportErrors`); a file
    without any table is a problem too. ``mapping`` (the user's mapping file) overrides
    roles, units, header rows, org and period, and marks confirmed columns.
    """
    mapping = mapping or Mapping()
    org = org if org is not None else mapping.org
    if org is not None and not org_name_ok(clean_text(org)):
        raise UsageError(
            f"--org「{org}」不是乡镇名称：只有标点、数字或日期 (--org {org!r}: not an org's "
            f"name, only punctuation, digits or a date)"
        )
    period = period if period is not None else mapping.period
    results: list[ImportResult] = []
    problems: list[Problem] = []
    inferences: list[str] = []
    labels = file_labels(paths)
    for raw in paths:
        path = Path(raw)
        grids = every_grid = read_grids(path)
        for g in grids:  # two 城关镇.xlsx from two folders: each named by its path as given
            g.file = labels[str(raw)]
        if sheet is not None:
            chosen = [g for g in grids if g.sheet == sheet]
            if not chosen:
                names = "、".join(str(g.sheet) for g in grids)
                raise UsageError(
                    f"{labels[str(raw)]}: 没有工作表「{sheet}」(no sheet {sheet!r}); 有 (sheets): {names}"
                )
            grids = chosen
        found = 0
        reasons: list[Problem] = []  # sheets of a layout kpibook does not read
        start = len(results)
        single = len(grids) == 1  # its mapping then holds for any sheet name (the next one's)
        for grid in grids:
            here: list[str] = []
            label = f"{grid.file}[{grid.sheet}]" if grid.sheet else grid.file
            rules = mapping.for_sheet(grid.sheet)
            layout = find_layout(grid, header=rules.header)
            if (
                layout is not None
                and rules.header is None
                and names_are_orgs(grid, layout.name_column.index, layout.first_data)
                and find_district_layout(grid) is not None
            ):
                here.append(
                    f"{label}: 指标名称列 {layout.name_column.label} 中都是乡镇名,按区县汇总表读 "
                    f"(the name column holds townships: read as a district sheet)"
                )
                layout = None
            district = find_district_layout(grid) if layout is None else None
            unsupported = unsupported_layout(
                grid,
                found=layout is not None or district is not None,
                known=[*known_orgs, *(o for r in results for o in r.orgs)],
            )
            if unsupported is not None and unsupported[1]:
                found += 1  # townships' figures the wrong way round: a problem, never skipped
                problems.append(Problem(unsupported[0], file=grid.file, sheet=grid.sheet))
                continue
            if unsupported is not None:
                why = unsupported[0]
                reasons.append(Problem(why, file=grid.file, sheet=grid.sheet))
                if len(grids) > 1:
                    inferences.append(
                        f"工作表「{grid.sheet}」：{why.split('。')[0]}，跳过 "
                        f"(sheet {grid.sheet!r}: a layout kpibook does not read, skipped)"
                    )
                continue
            try:
                if layout is not None:
                    found += 1
                    here.append(f"== {label}: 乡镇的完成情况表 (a township's sheet)")
                    if grid.encoding:
                        here.append(f"编码 {grid.encoding} (encoding)")
                    wrong = apply_layout(layout, rules, here)
                    if wrong:
                        located = [replace(p, file=grid.file, sheet=grid.sheet) for p in wrong]
                        raise ImportErrors(located, grid.file, here)
                    result = import_grid(
                        grid,
                        layout,
                        org=org,
                        period=period,
                        inferences=here,
                        confirmed=rules.confirmed,
                        directions=rules.directions,
                    )
                    # after the import: it may have re-read a column (% under 上年同期 → 同比)
                    result.reading = reading_rows(
                        grid, layout=layout, any_sheet=single, decided=result.decided
                    )
                    result.file, result.source = path.name, str(raw)
                    results.append(result)
                    continue
                if district is not None:
                    found += 1
                    here.append(f"== {label}: 区县汇总表 (a district sheet)")
                    wrong = apply_district(district, rules, here)
                    if wrong:
                        located = [replace(p, file=grid.file, sheet=grid.sheet) for p in wrong]
                        raise ImportErrors(located, grid.file, here)
                    result = import_district(
                        grid,
                        district,
                        period=period,
                        parent=org,
                        inferences=here,
                        confirmed=rules.confirmed,
                    )
                    result.reading = reading_rows(grid, district=district, any_sheet=single)
                    result.file, result.source = path.name, str(raw)
                    results.append(result)
                    continue
                if len(grids) > 1 and any(not _empty(r) for r in grid.rows):
                    inferences.append(
                        f"工作表「{grid.sheet}」没有可识别的表,跳过 (sheet {grid.sheet!r}: "
                        f"no table found, skipped)"
                    )
            except ImportErrors as exc:
                problems.extend(exc.problems)
                inferences.extend(exc.inferences)
        if not found and reasons:
            problems.extend(reasons)
        elif not found:
            sheet_names = [str(g.sheet) for g in every_grid if g.sheet is not None]
            hint = (
                f";工作簿中的工作表 (sheets): {'、'.join(sheet_names)}。如表在其中某个工作表,用 "
                f"--sheet 指定,如 --sheet {sheet_names[0]},并在映射文件(--map)中写明表头行 "
                f"(header_rows) (pick the sheet with --sheet and give its header rows in the "
                f"mapping)"
                if len(sheet_names) > 1
                else ""
            )
            problems.append(
                Problem(
                    "找不到表头:应有一行含「指标名称」和「目标/累计/同比」等列(乡镇的表),"
                    "或「乡镇」列和各指标的「目标/完成」列(区县汇总表);别的布局 kpibook 不支持。"
                    f"{SUPPORTED} (no header row: neither a township's sheet with 指标名称 nor a "
                    "district sheet with a 乡镇 column; other layouts are not supported)" + hint,
                    file=labels[str(raw)],
                    sheet=sheet,
                )
            )
        elif sheet is None:
            problems.extend(_same_figures_twice(labels[str(raw)], results[start:], every_grid))
    if problems:
        raise ImportErrors(problems, _source(paths), inferences)
    if inferences and results:
        results[0].inferences[:0] = inferences
    return results


def _same_figures_twice(name: str, results: list[ImportResult], grids: list[Any]) -> list[Problem]:
    """A problem when two sheets of one workbook hold different figures for the same org,
    indicator and period (a 底稿 beside the sheet sent): the importer cannot pick one."""
    keys: dict[tuple[str, str, str, str], tuple[str, dict[str, Any]]] = {}
    clashes: dict[tuple[str, str], list[str]] = {}
    for r in results:
        for table, value_col in (("targets", "target"), ("actuals", "value")):
            for row in r.tables[table].to_dict("records"):
                key = (table, str(row["org"]), str(row["indicator"]), str(row["period"]))
                first, old = keys.setdefault(key, (str(r.sheet), row))
                if first == str(r.sheet) or _conflict(old, row, value_col, None) is None:
                    continue  # one sheet, or the same figure (an annual target on every tab)
                clashes.setdefault((first, str(r.sheet)), []).append(f"{key[1]} {key[2]} {key[3]}")
    sheets = "、".join(str(g.sheet) for g in grids)
    problems = []
    for (a, b), what in clashes.items():
        shown = "、".join(what[:3]) + (f" 等{len(what)}项" if len(what) > 3 else "")
        problems.append(
            Problem(
                f"工作表「{a}」和「{b}」都有 {shown} 的数,无法判断用哪个工作表(底稿、副本?);"
                f"请用 --sheet 指定,如 --sheet {b} 或 --sheet {a};工作簿中的工作表: {sheets} "
                f"(two sheets hold figures for the same org, indicator and period: pick one "
                f"with --sheet)",
                file=name,
                sheet=b,
            )
        )
    return problems


def _empty(row: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def folder_orgs(existing: dict[str, pd.DataFrame]) -> list[str]:
    """The orgs a data set folder already holds (:func:`read_existing`'s tables)."""
    names: list[str] = []
    for name in ("orgs", "targets", "actuals"):
        frame = existing.get(name)
        if frame is not None and "org" in frame.columns:
            names.extend(str(o) for o in frame["org"] if not is_missing(o))
    return list(dict.fromkeys(names))


def file_labels(paths: Sequence[str | Path]) -> dict[str, str]:
    """How messages name each file given: its name, or, where two given files share a name
    (``a/城关镇.xlsx`` and ``b/城关镇.xlsx``), the path as given on the command line."""
    names = [Path(p).name for p in paths]
    return {str(p): Path(p).name if names.count(Path(p).name) == 1 else str(p) for p in paths}


def _source(paths: Sequence[str | Path]) -> str:
    names = [Path(p).name for p in paths]
    return names[0] if len(names) == 1 else f"{len(names)} 个文件 (files)"


@dataclass
class Merged:
    """The merged tables, what the merge decided, and the conflicts it found."""

    tables: dict[str, pd.DataFrame]
    orgs: pd.DataFrame | None
    inferences: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)


def read_existing(folder: Path) -> dict[str, pd.DataFrame]:
    """The import tables (and ``orgs``) already in ``folder``, canonical column names, as text."""
    out: dict[str, pd.DataFrame] = {}
    for name in (*OUTPUT_TABLES, "orgs"):
        path = folder / f"{name}.csv"
        if not path.is_file() or path.stat().st_size == 0:
            continue
        text, _ = decode_text(path.read_bytes(), path.name)
        import io

        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        aliases = TABLES[name].aliases()
        frame = frame.rename(columns={c: aliases.get(str(c).strip(), c) for c in frame.columns})
        out[name] = frame.replace("", None)
    return out


def _number(value: Any) -> float | None:
    """A figure's number; ``300余`` (a qualifier, the data set's rule) is 300."""
    if is_missing(value):
        return None
    number: float | None
    try:
        number = float(value)
    except (TypeError, ValueError):
        try:
            number = parse_qualified(value).number if isinstance(value, str) else None
        except DataError:
            return None
    if number is None:
        return None
    return None if math.isnan(number) else number


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def merge_results(
    results: list[ImportResult],
    existing: dict[str, pd.DataFrame] | None = None,
    *,
    existing_name: str = "",
    replace: bool = False,
) -> Merged:
    """Merge imported sheets with what a folder already holds (``existing``).

    The same (org, indicator, period) with different figures — between two sheets, or
    between a sheet and the folder — is a problem naming both places; ``replace=True`` lets
    the sheets' figures replace the folder's (never another sheet's), each one listed.
    """
    existing = existing or {}
    merged = Merged({}, None)
    results = _match_orgs(results, existing, merged)
    results = _legacy_ids(results, existing, merged)
    units: dict[str, str] = {}
    indicators: dict[str, dict[str, Any]] = {}
    ind_from: dict[str, str] = {}
    for _, row in existing.get("indicators", pd.DataFrame()).iterrows():
        record = {k: (None if is_missing(v) else v) for k, v in row.items()}
        indicators[str(record["indicator"])] = record
        ind_from[str(record["indicator"])] = f"{existing_name}indicators.csv"
    for result in results:
        for record in result.indicators.to_dict("records"):
            ind = str(record["indicator"])
            place = f"{result.file}" + (f"[{result.sheet}]" if result.sheet else "")
            if ind not in indicators:
                indicators[ind] = dict(record)
                ind_from[ind] = place
                continue
            old = indicators[ind]
            if is_generated(ind) and not same_indicator(str(old.get("name")), str(record["name"])):
                merged.problems.append(
                    Problem(
                        id_clash_message(ind, str(old.get("name")), ind_from[ind], record["name"]),
                        file=result.file,
                        sheet=result.sheet,
                        value=record["name"],
                    )
                )
                continue
            if old.get("unit") != record["unit"]:
                try:
                    conversion_factor(record["unit"], old.get("unit"))
                except UnitError:
                    merged.problems.append(
                        Problem(
                            f"指标 {ind} 的单位在 {ind_from[ind]} 是 {old.get('unit')},在 "
                            f"{place} 是 {record['unit']},无法换算 (one indicator in two "
                            f"units that do not convert)",
                            file=result.file,
                            sheet=result.sheet,
                            value=record["name"],
                        )
                    )
            if record["direction"] == "down" and old.get("direction") != "down":
                old["direction"] = "down"
                merged.inferences.append(
                    f"指标 {ind} 在 {place} 是控制数 → 越小越好 (a cap in one sheet: down)"
                )
    for ind, record in indicators.items():
        units[ind] = str(record.get("unit"))
    merged.tables["indicators"] = _table("indicators", list(indicators.values()), existing)
    for table, value_col in (("targets", "target"), ("actuals", "value")):
        rows: dict[tuple[str, str, str], dict[str, Any]] = {}
        where: dict[tuple[str, str, str], str] = {}
        source: dict[tuple[str, str, str], int] = {}  # which result a row came from
        from_folder: set[tuple[str, str, str]] = set()
        frame = existing.get(table)
        if frame is not None:
            for n, row in enumerate(frame.to_dict("records"), start=2):
                key = (str(row["org"]), str(row["indicator"]), str(row["period"]))
                rows[key] = row
                where[key] = f"{existing_name}{table}.csv 第{n}行"
                from_folder.add(key)
        added = 0
        for n_result, result in enumerate(results):
            for row in result.tables[table].to_dict("records"):
                key = (str(row["org"]), str(row["indicator"]), str(row["period"]))
                place = result.origins.get((table, *key), result.file)
                if key not in rows:
                    rows[key] = row
                    where[key] = place
                    source[key] = n_result
                    added += 1
                    continue
                conflict = _conflict(rows[key], row, value_col, units.get(key[1]))
                if conflict is None:
                    _fill(rows[key], row)
                    continue
                if replace and key in from_folder:
                    merged.inferences.append(
                        f"{'/'.join(key)}: {where[key]} 的 {conflict[0]} 被 {place} 的 "
                        f"{conflict[1]} 替换 (--force: the sheet's figure replaces the folder's)"
                    )
                    rows[key] = row
                    where[key] = place
                    source[key] = n_result
                    from_folder.discard(key)
                    continue
                merged.problems.append(
                    Problem(
                        f"{key[0]} {key[1]} {key[2]} 有两个不同的数: {where[key]} 是 "
                        f"{conflict[0]}, {place} 是 {conflict[1]} (two different figures for "
                        f"one org, indicator and period: fix one sheet"
                        + (", or --force to replace the folder's" if key in from_folder else "")
                        + ")",
                        file=result.file,
                        sheet=result.sheet,
                        value=conflict[1],
                    )
                )
        if table == "actuals":
            _growth_across(results, rows, where, source, units, merged)
        merged.tables[table] = _table(table, list(rows.values()), existing)
        merged.added[table] = added
    merged.orgs = _orgs(results, existing.get("orgs"), merged.tables)
    return merged


def _growth_across(
    results: list[ImportResult],
    rows: dict[tuple[str, str, str], dict[str, Any]],
    where: dict[tuple[str, str, str], str],
    source: dict[tuple[str, str, str], int],
    units: dict[str, str],
    merged: Merged,
) -> None:
    """同比 worked out from two places (a sheet and the folder, or two sheets) beyond ±300%:
    a problem naming both figures and where they are (a warning once a column is confirmed).

    The same sheet's 本期 and 上年同期 are checked when the sheet is read
    (:func:`helpers.importer.tidy._plausible`); a reported 同比 is used as it is.
    """
    from ..data.periods import parse_period
    from ..errors import PeriodError
    from .tidy import MAX_GROWTH

    trusted = {key for r in results for key in r.trusted}
    for key, row in rows.items():
        if _number(row.get("yoy")) is not None:
            continue
        try:
            last = str(parse_period(key[2]).shifted_years(-1))
        except PeriodError:
            continue
        prior_key = (key[0], key[1], last)
        prior_row = rows.get(prior_key)
        if prior_row is None:
            continue
        here, there = source.get(key), source.get(prior_key)
        if (here is None and there is None) or here == there:
            continue  # both from the folder, or both from one sheet (checked there)
        unit = units.get(key[1])
        value, prior = _number(row.get("value")), _number(prior_row.get("value"))
        if value is None or prior is None or prior <= 0:
            continue
        try:
            if unit and not is_missing(row.get("unit")):
                value *= conversion_factor(row["unit"], unit)
            if unit and not is_missing(prior_row.get("unit")):
                prior *= conversion_factor(prior_row["unit"], unit)
        except DataError:
            continue
        growth = (value / prior - 1) * 100
        if abs(growth) <= MAX_GROWTH:
            continue
        message = (
            f"{key[0]} {key[1]}: {where[key]} 的 {key[2]} 数 {row.get('value')} 与 "
            f"{where[prior_key]} 的 {last} 数 {prior_row.get('value')} 算出同比 {growth:+.1f}%,"
            f"超出 ±{MAX_GROWTH:g}% (growth worked out across two places beyond "
            f"±{MAX_GROWTH:g}%: {row.get('value')} vs {prior_row.get('value')})"
        )
        if ("actuals", *key) in trusted or ("actuals", *prior_key) in trusted:
            merged.inferences.append(
                f"警告 (warning) {message};映射中已确认该列 (the column is confirmed)"
            )
            continue
        index = here if here is not None else there
        assert index is not None
        result = results[index]
        merged.problems.append(
            Problem(
                f"{message}。请核对两处的数、单位与期间;如确实无误,在映射文件中把该列标为已确认 "
                f"(confirm=yes) 后用 --map 再导入 (check both figures, units and periods; if "
                f"right, confirm the column in the mapping and import again with --map)",
                file=result.file,
                sheet=result.sheet,
                value=row.get("value"),
            )
        )


def _legacy_ids(
    results: list[ImportResult], existing: dict[str, pd.DataFrame], merged: Merged
) -> list[ImportResult]:
    """A folder imported before issue 11 holds 8-hex ids (``ind_23f0e653``); today's id of
    the same name starts with it (``ind_23f0e653…``): the folder's id is kept for the same
    name (each one listed), so the new figures line up with the old. A different name on the
    old id stays a new indicator (the old id was a collision)."""
    frame = existing.get("indicators")
    if frame is None or "indicator" not in frame.columns:
        return results
    folder = {
        str(row["indicator"]): str(row.get("name"))
        for row in frame.to_dict("records")
        if is_generated(str(row["indicator"]))
    }
    out = []
    for r in results:
        rename: dict[str, str] = {}
        for record in r.indicators.to_dict("records"):
            ind = str(record["indicator"])
            old = legacy_id(ind)
            if old is not None and old in folder and same_indicator(folder[old], record["name"]):
                rename[ind] = old
                merged.inferences.append(
                    f"指标「{record['name']}」沿用数据文件夹中的旧编号 {old} (新编号 {ind}) "
                    f"(the folder's id from an earlier import is kept for the same name)"
                )
        if not rename:
            out.append(r)
            continue
        out.append(
            dataclasses.replace(
                r,
                indicators=_renamed(r.indicators, rename, "indicator"),
                targets=_renamed(r.targets, rename, "indicator"),
                actuals=_renamed(r.actuals, rename, "indicator"),
                origins={(t, o, rename.get(i, i), p): v for (t, o, i, p), v in r.origins.items()},
                trusted={(t, o, rename.get(i, i), p) for (t, o, i, p) in r.trusted},
            )
        )
    return out


def _renamed(frame: pd.DataFrame, rename: dict[str, str], column: str = "org") -> pd.DataFrame:
    """``frame`` with its orgs (or another ``column``) renamed."""
    frame = frame.copy()
    frame[column] = [rename.get(o, o) for o in frame[column]]
    return frame


def _match_orgs(
    results: list[ImportResult], existing: dict[str, pd.DataFrame], merged: Merged
) -> list[ImportResult]:
    """The sheets' org spellings made one with each other and with the folder's.

    ``太源`` and ``太源镇``, ``城关街道`` and ``城关街道办事处`` are one org (each rename listed);
    the folder's spelling wins, else one that says the org's kind. A name that could be two
    orgs (``城关`` beside ``城关镇`` and ``城关街道``) is a problem, never a guess.
    """
    folder = folder_orgs(existing)
    names = list(dict.fromkeys(o for r in results for o in r.orgs))
    where = {o: r for r in reversed(results) for o in r.orgs}
    rename: dict[str, str] = {}
    pending: list[str] = []

    def ambiguous(name: str, could: list[str], among: str) -> None:
        r = where[name]
        merged.problems.append(
            Problem(
                f"乡镇「{name}」可能是{among}的「{'」或「'.join(could)}」,无法判断;请在表中写全称"
                f"(如「{could[0]}」),或用 --org 指定 (an org name that could be several orgs: "
                f"write the full name in the sheet, or give --org)",
                file=r.file,
                sheet=r.sheet,
                value=name,
            )
        )

    for name in names:
        if name in folder:
            continue
        could = match_org(name, folder)
        if len(could) == 1:
            rename[name] = could[0]
        elif len(could) > 1:
            ambiguous(name, could, "数据文件夹中")
        else:
            pending.append(name)
    groups: dict[tuple[str, str], list[str]] = {}
    for name in pending:
        base, kind = org_parts(name)
        if kind is not None:
            groups.setdefault((base, kind), []).append(name)
    for name in pending:
        base, kind = org_parts(name)
        if kind is not None:
            continue
        fits = [g for (b, _), g in groups.items() if b == base]
        if len(fits) == 1:
            fits[0].append(name)
        elif len(fits) > 1:
            ambiguous(name, [preferred_spelling(g) for g in fits], "各表中")
    for group in groups.values():
        keep = preferred_spelling(group)
        for name in group:
            if name != keep:
                rename[name] = keep
    if not rename:
        return results
    for old, new in rename.items():
        merged.inferences.append(
            f"乡镇「{old}」与「{new}」是同一乡镇,按「{new}」合并 (one org, two spellings: "
            f"merged as {new})"
        )
    out = []
    for r in results:
        if not any(o in rename for o in r.orgs):
            out.append(r)
            continue

        out.append(
            dataclasses.replace(
                r,
                org=rename.get(r.org, r.org),
                targets=_renamed(r.targets, rename),
                actuals=_renamed(r.actuals, rename),
                origins={(t, rename.get(o, o), i, p): v for (t, o, i, p), v in r.origins.items()},
                trusted={(t, rename.get(o, o), i, p) for (t, o, i, p) in r.trusted},
            )
        )
    return out


def _conflict(
    old: dict[str, Any], new: dict[str, Any], value_col: str, unit: str | None
) -> tuple[str, str] | None:
    """The two figures as written when they differ (after unit conversion), else ``None``."""
    a, b = _number(old.get(value_col)), _number(new.get(value_col))
    try:
        if a is not None and unit and not is_missing(old.get("unit")):
            a *= conversion_factor(old.get("unit"), unit)
        if b is not None and unit and not is_missing(new.get("unit")):
            b *= conversion_factor(new.get("unit"), unit)
    except DataError:
        pass
    if not _same(a, b):  # as written: 26000, not 26000.0
        return (
            f"{_plain(old.get(value_col))} {old.get('unit') or ''}".strip(),
            f"{_plain(new.get(value_col))} {new.get('unit') or ''}".strip(),
        )
    ya, yb = _number(old.get("yoy")), _number(new.get("yoy"))
    if ya is not None and yb is not None and not _same(ya, yb):
        return f"同比 {ya:g}%", f"同比 {yb:g}%"
    return None


def _fill(old: dict[str, Any], new: dict[str, Any]) -> None:
    """The same figure twice: keep one row, with what either says (同比, 状态, 备注)."""
    for col in ("yoy", "status", "note"):
        if is_missing(old.get(col)) and not is_missing(new.get(col)):
            old[col] = new[col]


def _table(
    name: str, records: list[dict[str, Any]], existing: dict[str, pd.DataFrame]
) -> pd.DataFrame:
    columns = list(_COLUMNS[name])
    if name in existing:  # the folder's own columns are kept, in its order
        columns = list(existing[name].columns) + [
            c for c in columns if c not in existing[name].columns
        ]
    return pd.DataFrame.from_records(records, columns=columns)


def _orgs(
    results: list[ImportResult], existing: pd.DataFrame | None, tables: dict[str, pd.DataFrame]
) -> pd.DataFrame | None:
    """An ``orgs`` table when the data set has several orgs or a district: order and parent."""
    seen: dict[str, str | None] = {}
    if existing is not None:
        for row in existing.to_dict("records"):
            seen[str(row["org"])] = None if is_missing(row.get("parent")) else row.get("parent")
    for result in results:
        for org in result.orgs:
            if org not in seen or (seen[org] is None and result.parent):
                seen[org] = result.parent
    for name in ("targets", "actuals"):
        for org in tables[name]["org"]:
            seen.setdefault(str(org), None)
    if existing is None and len(seen) < 2 and not any(seen.values()):
        return None
    columns = list(existing.columns) if existing is not None else ["org", "parent"]
    if "parent" not in columns:
        columns.append("parent")
    records = []
    old = {str(r["org"]): r for r in existing.to_dict("records")} if existing is not None else {}
    for org, parent in seen.items():
        record = dict(old.get(org, {"org": org}))
        if parent and is_missing(record.get("parent")):
            record["parent"] = parent
        records.append(record)
    return pd.DataFrame.from_records(records, columns=columns)


def _plain(value: Any) -> Any:
    """A figure as the CSV should show it: 848, not 848.0; text (a folder's own) unchanged."""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.15g}"
    return value


def _csv(frame: pd.DataFrame) -> str:
    frame = frame.copy()
    for col in ("target", "value", "yoy"):
        if col in frame.columns:
            frame[col] = frame[col].astype(object).map(_plain)
    return "\ufeff" + csv_frame(frame).to_csv(
        index=False, float_format="%.15g", lineterminator="\n"
    )


def write_merged(merged: Merged, out: Path, extra: dict[Path, str] | None = None) -> list[Path]:
    """Write the merged tables (and ``extra`` files: the mapping) into ``out`` together:
    every file new, or every file old."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: 不是文件夹 (not a directory)")
    files: dict[Path, bytes | str] = {
        out / f"{name}.csv": _csv(merged.tables[name]) for name in OUTPUT_TABLES
    }
    files.update(extra or {})
    if merged.orgs is not None:
        files[out / "orgs.csv"] = _csv(merged.orgs)
    out.mkdir(parents=True, exist_ok=True)
    return write_together({inside(out, path): text for path, text in files.items()})
