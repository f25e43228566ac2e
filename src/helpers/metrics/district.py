"""District metrics: who is on pace, who is behind and by how much, where towns differ most.

Frames computed from a progress table of all orgs (:func:`helpers.metrics.progress.progress_table`)
for the district report; no words and no drawing.
"""

from __future__ import annotations

import math

import pandas as pd

from ..base.missing import is_missing
from .progress import behind_pace
from .status import ON_PACE, SHORTFALL, UNJUDGED, StatusKey

__all__ = ["HEADLINE_SECTORS", "on_pace_counts", "behind_frame", "spread_indicators"]

#: Sector names that hold the headline indicators of 总体情况 (the table's 主要指标).
HEADLINE_SECTORS = ("综合", "主要指标", "主要经济指标", "overall", "headline")


def on_pace_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Per town: indicators with a target (``judged``), and those on pace or within the cap
    (``on_pace``)."""
    judged = table[~table["status"].isin(UNJUDGED)]
    orgs = list(dict.fromkeys(table["org"]))
    counts = (
        pd.DataFrame(
            {
                "judged": judged.groupby("org").size(),
                "on_pace": judged[judged["status"].isin(ON_PACE)].groupby("org").size(),
            }
        )
        .reindex(orgs)
        .fillna(0)
        .astype(int)
    )
    counts.index.name = "org"
    return counts


def behind_frame(table: pd.DataFrame, totals: pd.DataFrame | None = None) -> pd.DataFrame:
    """The shortfall list: one row per indicator on which some town is behind pace, over its
    cap, or (a stock, a rate, a period target) below its target: 未达目标, never 滞后.

    Columns: indicator, name, name_en, unit, measure, direction, decimals, district_gap (the
    district total's pace gap, NaN without one), towns (the number behind), orgs (towns with a
    row), and ``behind``: a list of ``(status, org, gap, actual, cap)`` worst first. Indicators
    with a town over its cap come first, then by the district's gap (else the towns' mean gap),
    smallest first.
    """
    bad = behind_pace(table)
    gaps = (
        {} if totals is None or totals.empty else dict(zip(totals["indicator"], totals["gap_pp"]))
    )
    position = {o: i for i, o in enumerate(dict.fromkeys(table["org"]))}
    severity = {k: i for i, k in enumerate(SHORTFALL)}
    rows = []
    for ind, group in bad.groupby("indicator", sort=False):
        first = group.iloc[0]
        group = group.assign(_sev=group["status"].map(severity), _pos=group["org"].map(position))
        group = group.sort_values(["_sev", "gap_pp", "_pos"], na_position="last", kind="stable")
        items = []
        for r in group.itertuples(index=False):
            cap = r.annual_target if not is_missing(r.annual_target) else r.period_target
            items.append((r.status, r.org, r.gap_pp, r.actual, cap))
        district_gap = gaps.get(ind, math.nan)
        rows.append(
            dict(
                indicator=ind,
                name=first["name"],
                name_en=first["name_en"],
                unit=first["unit"],
                measure=first["measure"],
                direction=first["direction"],
                decimals=first["decimals"],
                order=first["order"],
                district_gap=district_gap,
                towns=len(group),
                orgs=int((table["indicator"] == ind).sum()),
                behind=items,
                _over=0 if (group["status"] == StatusKey.OVER_CAP).any() else 1,
                _key=district_gap
                if not is_missing(district_gap)
                else float(group["gap_pp"].mean())
                if group["gap_pp"].notna().any()
                else math.inf,
            )
        )
    frame = pd.DataFrame(
        rows,
        columns=[
            "indicator",
            "name",
            "name_en",
            "unit",
            "measure",
            "direction",
            "decimals",
            "order",
            "district_gap",
            "towns",
            "orgs",
            "behind",
            "_over",
            "_key",
        ],
    )
    frame = frame.sort_values(["_over", "_key", "order"], kind="stable")
    return frame.drop(columns=["_over", "_key"]).reset_index(drop=True)


def spread_indicators(table: pd.DataFrame, limit: int = 4) -> list[str]:
    """The headline sector's indicators with the widest spread of completion, in catalogue order.

    Spread = interquartile range of the ratio each town is judged on (``basis_ratio``); caps
    and indicators nobody has a target for are left out. Without a headline sector, all
    indicators compete.
    """
    sectors = list(dict.fromkeys(table.sort_values("order", kind="stable")["sector"]))
    head = next((s for s in sectors if str(s).strip().lower() in HEADLINE_SECTORS), None)
    rows = table if head is None else table[table["sector"] == head]
    rows = rows[(rows["direction"] != "down") & rows["basis_ratio"].notna()]
    if rows.empty:
        return []
    q = rows.groupby("indicator")["basis_ratio"].quantile([0.25, 0.75]).unstack()
    spread = (q[0.75] - q[0.25]).sort_values(ascending=False, kind="stable")
    chosen = set(spread.index[:limit])
    order = rows.drop_duplicates("indicator").sort_values("order", kind="stable")["indicator"]
    return [i for i in order if i in chosen]
