"""Layouts the importer does not read, named as such instead of "no header found".

kpibook reads two layouts: a township's 完成情况表 (one row per indicator; columns 指标名称,
单位, 目标, 完成, 同比) and a district sheet (one row per township; each indicator a group of
columns 目标 | 完成 | 同比). Offices also send the same figures turned round: townships as
columns and indicators as rows, 目标/完成 as rows and indicators as columns, or one row per
month. Such a sheet may even look like a supported one (a 单位 column over 太源镇 | 柳林乡
groups reads like a district sheet whose townships are the indicators). :func:`unsupported_layout`
recognises these from the words and says what the sheet is and what kpibook reads; the
importer stops with it, never reading such a sheet the wrong way round.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .layout import ORG_HEADER, _classify_one, looks_like_org
from .orgs import is_total_label, same_org
from .sheets import Grid, cell_text, column_letter, is_number

__all__ = ["unsupported_layout", "orgs_across", "SUPPORTED"]

#: What kpibook reads, said after every unsupported layout.
SUPPORTED = (
    "kpibook 能读两种布局：乡镇的完成情况表（每行一个指标，列为 指标名称、单位、目标、完成、同比）；"
    "区县汇总表（每行一个乡镇，每个指标一组列：目标 | 完成 | 同比）"
)
_SUPPORTED_EN = (
    "kpibook reads a township's sheet (one row per indicator: name, unit, target, actual, "
    "growth) or a district sheet (one row per township, a group of columns per indicator)"
)
_MONTH = re.compile(r"^(?:(?:19|20)\d{2}年)?(?:1[-—–~至])?(\d{1,2})月(?:份)?(?:累计)?$")


def _figures_below(grid: Grid, i: int, limit: int = 20) -> bool:
    rows = grid.rows[i + 1 : i + 1 + limit]
    return any(
        is_number(v) or (isinstance(v, str) and re.search(r"\d", v)) for r in rows for v in r
    )


#: A corner cell naming both ways of a turned table: 指标\乡镇, 项目/单位, 乡镇＼指标.
_CORNER = re.compile(
    r"^(?:指标|项目|指标名称)[\\/、]?(?:乡镇|镇乡|镇街|乡镇街道|单位|地区)(?:名称)?$"
    r"|^(?:乡镇|镇乡|镇街|单位|地区)[\\/、]?(?:指标|项目)(?:名称)?$"
)
_PLAIN_NAME = re.compile(r"^[\u4e00-\u9fffA-Za-z]{1,12}$")


def orgs_across(
    grid: Grid, limit: int = 30, known: Iterable[str] = ()
) -> tuple[int, list[int]] | None:
    r"""(row, columns) of a header row naming two or more townships across the sheet, with
    figures below: townships as columns, indicators as rows. ``None`` when there is none.

    A township is a name ending in 镇/乡/街道…, or — written without it (``太源 | 柳林``) —
    one of ``known`` (the orgs of the data set imported into, or of the other sheets), or
    any plain name in a row whose corner cell says the table is turned (``指标\乡镇``)."""
    known = [k for k in known if k]
    for i in range(min(len(grid.rows), limit)):
        row = grid.rows[i]
        if sum(is_number(v) for v in row) > 1:
            continue
        texts = [cell_text(v) for v in row]
        corner = any(_CORNER.match(t) for t in texts)
        seen: dict[str, int] = {}
        for j, text in enumerate(texts):
            if not text or text in seen or _CORNER.match(text):
                continue
            if (
                looks_like_org(text)
                or (_PLAIN_NAME.match(text) and any(same_org(text, k) for k in known))
                or (
                    corner
                    and not is_total_label(text)
                    and _PLAIN_NAME.match(text)
                    and _classify_one(text)[0] in ("ignored", "org")
                )
            ):
                seen[text] = j
        if len(seen) >= 2 and _figures_below(grid, i):
            return i, list(seen.values())
    return None


_ROLE_LABEL = re.compile(
    r"^(?:(?:19|20)\d{2}年)?(?:1[-—–~至]\d{1,2}月份?|上半年|全年|年度|本年|本期)?"
    r"(?:目标|任务|计划|目标任务|累计|完成|累计完成|完成数|实绩|同比|同比增长|同比增减|增幅|增速|"
    r"上年同期|去年同期)(?:数|值)?(?:[(（]%[)）]|%|±%)?$"
)


def _roles_down(grid: Grid, limit: int = 30) -> tuple[int, list[int]] | None:
    """(column, rows) of a column naming 目标 and 完成 down the sheet (rows of figures):
    indicators across the columns."""
    for j in range(min(grid.width, 3)):
        rows: list[int] = []
        roles: set[str] = set()
        for i in range(min(len(grid.rows), limit)):
            text = cell_text(grid.cell(i, j))
            if not _ROLE_LABEL.match(text) or not any(is_number(v) for v in grid.rows[i]):
                continue
            rows.append(i)
            roles.add(_classify_one(text)[0])
        if {"target", "actual"} <= roles:
            return j, rows
    return None


def _months_down(grid: Grid, limit: int = 40) -> tuple[int, list[int]] | None:
    """(column, rows) of a column of months (1月, 2月, …) with figures beside them."""
    for j in range(min(grid.width, 3)):
        rows = [
            i
            for i in range(min(len(grid.rows), limit))
            if _MONTH.match(cell_text(grid.cell(i, j))) and any(is_number(v) for v in grid.rows[i])
        ]
        if len(rows) >= 3:
            return j, rows
    return None


def _orgs_and_indicators_down(grid: Grid, limit: int = 30) -> tuple[int, int, int] | None:
    """(header row, org column, name column) of a list with one row per township and
    indicator (乡镇 | 指标名称 | 目标 | 完成): each indicator repeated once per township."""
    for i in range(min(len(grid.rows), limit)):
        texts = [cell_text(v) for v in grid.rows[i]]
        names = [j for j, t in enumerate(texts) if t and _classify_one(t)[0] == "name"]
        if not names:
            continue
        below = range(i + 1, min(len(grid.rows), i + 1 + limit))
        for j, t in enumerate(texts):
            if j in names or not t:
                continue
            orgs = [k for k in below if looks_like_org(cell_text(grid.cell(k, j)))]
            header = bool(ORG_HEADER.match(t)) and t != "单位"
            values = [cell_text(grid.cell(k, names[0])) for k in orgs]
            if len(orgs) >= 2 and (header or len(orgs) >= 3) and len(set(values)) < len(values):
                return i, j, names[0]
    return None


def unsupported_layout(
    grid: Grid, *, found: bool, known: Iterable[str] = ()
) -> tuple[str, bool] | None:
    """(why the sheet's layout is not one kpibook reads, whether that stops the import), or
    ``None``.

    ``found``: a supported layout was found in it; ``known``: org names known to be
    townships (the data set's, the other sheets'), which a header may write without 镇/乡.
    Townships as columns and a long list of township and indicator are said even then
    (they read as a sheet of the wrong way round) and always stop the import: their figures
    are townships' figures. The other turned-round layouts are said only when nothing was
    found, in place of "no header"; beside a sheet that is read (a monthly tab beside the
    table) they are skipped, and listed.
    """
    across = orgs_across(grid, known=known)
    if across is not None:
        i, columns = across
        names = "、".join(cell_text(grid.cell(i, j)) for j in columns[:4])
        names += " 等" if len(columns) > 4 else ""
        letters = "、".join(column_letter(j) for j in columns[:4])
        return (
            (
                f"不支持的表格布局：乡镇在列、指标在行（转置的区县汇总表；第{grid.row_numbers[i]}行 "
                f"{letters} 列是乡镇：{names}）。{SUPPORTED}。请在 Excel 中转置（复制后“选择性粘贴"
                f"→转置”），使每行一个乡镇，再导入 (layout not supported: townships as columns, "
                f"indicators as rows; {_SUPPORTED_EN}: transpose it in Excel, then import)"
            ),
            True,
        )
    listed = _orgs_and_indicators_down(grid)
    if listed is not None:
        i, j, k = listed
        return (
            (
                f"不支持的表格布局：清单式长表，每行一个乡镇的一个指标（第{grid.row_numbers[i]}行起 "
                f"{column_letter(j)} 列是乡镇，{column_letter(k)} 列是指标，同一指标重复出现）。"
                f"{SUPPORTED}。请按乡镇分成各自的表，或用 Excel 的数据透视表排成每行一个乡镇，再导入 "
                f"(layout not supported: a long list, one row per township and indicator; "
                f"{_SUPPORTED_EN}: split it by township or pivot it, then import)"
            ),
            True,
        )
    if found:
        return None
    down = _roles_down(grid)
    if down is not None:
        j, rows = down
        labels = "、".join(cell_text(grid.cell(i, j)) for i in rows[:4])
        return (
            (
                f"不支持的表格布局：目标、完成在行，指标在列（转置的乡镇表；{column_letter(j)} 列是"
                f"{labels}）。{SUPPORTED}。请在 Excel 中转置（复制后“选择性粘贴→转置”），使每行一个"
                f"指标，再导入 (layout not supported: targets and actuals as rows, indicators as "
                f"columns; {_SUPPORTED_EN}: transpose it in Excel, then import)"
            ),
            False,
        )
    months = _months_down(grid)
    if months is not None:
        j, rows = months
        labels = "、".join(cell_text(grid.cell(i, j)) for i in rows[:4])
        return (
            (
                f"不支持的表格布局：每行一个月份（{column_letter(j)} 列是 {labels} 等）。{SUPPORTED}。"
                f"请取截至本期的累计数，按乡镇的完成情况表整理后再导入 (layout not supported: one "
                f"row per month; {_SUPPORTED_EN}: take the cumulative figures of the period into a "
                f"township's sheet)"
            ),
            False,
        )
    return None
