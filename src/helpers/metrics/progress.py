"""Where each indicator stands: completion against target and time elapsed, growth, status, rank.

The rules are DESIGN.md's "Metrics": completion r = actual / annual target; time progress
p = end month / 12; pace gap = (r − p) × 100 percentage points; year-on-year from the
reported figure or last year's same period; a status label from configurable thresholds;
a competition rank among the orgs (1, 2, 2, 4). A missing or zero target, or no prior-year figure, gives no
ratio (``NaN``, shown as —), never an error.
"""

from __future__ import annotations

import math
import pickle
import sys
from typing import Any

import numpy as np
import pandas as pd

from ..base import cache
from ..base.missing import is_missing
from ..base.resources import source_digest
from ..data.dataset import Dataset
from ..data.periods import Period, parse_period
from ..errors import UnknownKeyError
from .status import (
    BEHIND,
    ON_PACE,
    SHORTFALL,
    UNJUDGED,
    StatusKey,
    Thresholds,
    annual_flow,
    judge,
)

__all__ = ["progress_table", "district_totals", "behind_pace", "annual_flows", "headline"]

_DEFAULT_THRESHOLDS = Thresholds()  # frozen: one shared default is safe


def _ratio(numerator: float | None, denominator: float | None) -> float:
    """numerator / denominator, or NaN where there is no meaningful ratio (no value, zero)."""
    if numerator is None or denominator is None:
        return math.nan
    if any(isinstance(v, float) and math.isnan(v) for v in (numerator, denominator)):
        return math.nan
    return math.nan if denominator == 0 else numerator / denominator


def _lookup(frame: pd.DataFrame, value_col: str) -> dict[tuple[str, str, str], Any]:
    cols = (frame[c].tolist() for c in ("org", "indicator", "period", value_col))  # fast iteration
    return {(o, i, p): v for o, i, p, v in zip(*cols)}


def _rows(ds: Dataset, period: Period, th: Thresholds) -> list[dict[str, Any]]:
    year, this, last = str(period.year_period), str(period), str(period.shifted_years(-1))
    targets = _lookup(ds.targets, "target")
    values = _lookup(ds.actuals, "value")
    a = ds.actuals
    # 约/近/余/多 as the cell gave it (300余人), for the sentences to write back
    qualifiers = a["qualifier"].tolist() if "qualifier" in a else [""] * len(a)
    meta = {
        (o, i, p): (s, y, n, q)
        for o, i, p, s, y, n, q in zip(
            *(a[c].tolist() for c in ("org", "indicator", "period", "status", "yoy", "note")),
            qualifiers,
        )
    }
    indicators = list(ds.indicators.itertuples(index=False))
    rows = []
    for org in ds.org_list:
        for ind in indicators:
            key = (org, ind.indicator, this)
            annual = targets.get((org, ind.indicator, year), math.nan)
            period_target = targets.get(key, math.nan) if this != year else math.nan
            actual = values.get(key, math.nan)
            if is_missing(actual) and is_missing(annual) and is_missing(period_target):
                continue  # this org does not report this indicator
            status_data, yoy_reported, note, qualifier = meta.get(key, (None, None, None, ""))
            prior = values.get((org, ind.indicator, last), math.nan)
            p = period.time_progress
            completion = _ratio(actual, annual)
            period_completion = _ratio(actual, period_target)
            # level and rate indicators are judged against the target alone; a period target
            # (上半年目标) is for the period itself, so its time progress is 100% too.
            if ind.measure == "cumulative" and not is_missing(completion):
                basis, basis_ratio, pace = "annual", completion, p
            elif not is_missing(completion):
                basis, basis_ratio, pace = "annual", completion, 1.0
            elif not is_missing(period_completion):
                basis, basis_ratio, pace = "period", period_completion, 1.0
            else:
                basis, basis_ratio, pace = "none", math.nan, math.nan
            if ind.measure == "rate" and basis != "none":
                target = annual if basis == "annual" else period_target
                gap = actual - target  # both in %: the gap is in percentage points already
            else:
                gap = (basis_ratio - pace) * 100
            if ind.direction == "down":
                completion = period_completion = gap = math.nan
            yoy_source: str | None
            if is_missing(yoy_reported):
                yoy, yoy_source = _ratio(actual, prior) - 1, "computed"
                if is_missing(yoy):
                    yoy_source = None
            else:
                yoy, yoy_source = yoy_reported / 100, "reported"
            row = dict(
                org=org,
                indicator=ind.indicator,
                name=ind.name,
                name_en=ind.name_en,
                sector=ind.sector,
                unit=ind.unit,
                direction=ind.direction,
                measure=ind.measure,
                decimals=ind.decimals,
                order=ind.order,
                period=this,
                actual=actual,
                data_status=status_data or "正式",
                note=note,
                qualifier=qualifier if isinstance(qualifier, str) else "",
                annual_target=annual,
                period_target=period_target,
                time_progress=p,
                completion=completion,
                period_completion=period_completion,
                basis=basis,
                basis_ratio=basis_ratio,
                pace=math.nan if ind.direction == "down" else pace,
                gap_pp=gap,
                prior=prior,
                yoy=yoy,
                yoy_source=yoy_source,
            )
            row["status"] = judge(row, th)
            rows.append(row)
    return rows


def _rank(frame: pd.DataFrame) -> pd.DataFrame:
    """Competition rank of the orgs per indicator (1, 2, 2, 4, as these reports rank): by
    completion, or by the figure itself for caps (smallest first). Scores equal to 9 places
    tie, so float noise never splits a tie."""
    score = np.where(
        frame["direction"] == "down",
        -frame["actual"].astype(float),
        frame["basis_ratio"].astype(float),
    )
    score = pd.Series(score, index=frame.index).round(9)
    ok = score.notna() & (frame["status"] != StatusKey.NO_TARGET)
    frame["rank"] = score.where(ok).groupby(frame["indicator"]).rank(method="min", ascending=False)
    counts = frame.groupby(["indicator", "rank"])["rank"].transform("size")
    frame["rank_tied"] = frame["rank"].notna() & (counts > 1)
    frame["ranked"] = frame.groupby("indicator")["rank"].transform("count")
    return frame


_COLUMNS = [
    "org",
    "indicator",
    "name",
    "name_en",
    "sector",
    "unit",
    "direction",
    "measure",
    "decimals",
    "order",
    "period",
    "actual",
    "data_status",
    "note",
    "qualifier",
    "annual_target",
    "period_target",
    "time_progress",
    "completion",
    "period_completion",
    "basis",
    "basis_ratio",
    "pace",
    "gap_pp",
    "prior",
    "yoy",
    "yoy_source",
    "status",
]


def progress_table(
    ds: Dataset,
    period: str | Period,
    org: str | None = None,
    *,
    thresholds: Thresholds = _DEFAULT_THRESHOLDS,
    with_rank_change: bool = True,
) -> pd.DataFrame:
    """One row per org and indicator for ``period``: figures, ratios, status, rank.

    Ranks are among all orgs of the data set; ``org`` only filters the result. The table of
    all orgs is cached by the data set's content, so each report of a district batch (a fresh
    process) reads it instead of ranking every township again.
    """
    p = parse_period(period)
    if org is not None and org not in ds.org_list:
        raise UnknownKeyError(
            "数据中没有这个乡镇 (no such org in the data set)",
            column="org",
            value=org,
            file=str(ds.path),
        )
    # these rules and the status rules they judge by, as cached: a change to either is a
    # new key, never a stale table
    code = (
        source_digest(sys.modules[__name__])[:6] + source_digest(sys.modules[judge.__module__])[:6]
    )
    key = (
        (
            f"{ds.key[:32]}-{code}-{p}-{thresholds.slightly_behind}-{thresholds.far_behind}-"
            f"{thresholds.precision}-"
            f"{int(with_rank_change)}.pickle"
        )
        if ds.key
        else None
    )
    frame = _MEMO.get(key) if key else None
    if key and frame is None:  # an entry that cannot be loaded is a miss
        frame = cache.load_pickle("progress", key, expected=pd.DataFrame)
    if frame is None:
        frame = _all_orgs(ds, p, thresholds, with_rank_change)
        if key:
            cache.write("progress", key, pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL))
    if key:
        _MEMO.put(key, frame)
    if org is not None:
        return frame[frame["org"] == org].reset_index(drop=True)
    return frame.copy(deep=False)  # copy-on-write: the caller's to change


#: Tables of all orgs of this process by their cache key, handed out as copies.
_MEMO: cache.Memo[str, pd.DataFrame] = cache.Memo()


def _all_orgs(
    ds: Dataset, p: Period, thresholds: Thresholds, with_rank_change: bool
) -> pd.DataFrame:
    frame = pd.DataFrame(_rows(ds, p, thresholds), columns=_COLUMNS)
    for col in (
        "actual",
        "annual_target",
        "period_target",
        "completion",
        "period_completion",
        "basis_ratio",
        "gap_pp",
        "prior",
        "yoy",
    ):
        frame[col] = frame[col].astype(float)
    frame = _rank(frame)
    frame["rank_change"] = math.nan
    previous = str(p.previous())
    if with_rank_change and ds.has_period(previous):
        before = progress_table(ds, previous, thresholds=thresholds, with_rank_change=False)
        old = dict(zip(zip(before["org"], before["indicator"]), before["rank"]))
        frame["rank_change"] = [
            old.get((o, i), math.nan) - r
            for o, i, r in zip(frame["org"], frame["indicator"], frame["rank"])
        ]
    return frame.sort_values(["org", "order"], key=_org_order(ds)).reset_index(drop=True)


def _org_order(ds: Dataset):
    position = {o: i for i, o in enumerate(ds.org_list)}
    return lambda s: s.map(position) if s.name == "org" else s


def behind_pace(table: pd.DataFrame) -> pd.DataFrame:
    """Rows short of what was asked (:data:`~.status.SHORTFALL`), furthest first: behind time
    progress (略滞后, 滞后, 严重滞后), over their cap, or below a target judged alone (未达目标)."""
    bad = table[table["status"].isin(SHORTFALL)]
    return bad.sort_values("gap_pp", na_position="first")


def annual_flows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``table`` that are :func:`~.status.annual_flow` s: judged against time
    progress before the year's end, against the annual target at its end."""
    mask = [annual_flow(r) for r in table.to_dict("records")]
    return table[pd.Series(mask, index=table.index, dtype=bool)]


def district_totals(
    ds: Dataset, period: str | Period, *, thresholds: Thresholds = _DEFAULT_THRESHOLDS
) -> pd.DataFrame:
    """The district as one org: summed figures against summed targets (additive indicators only).

    Rates are not additive and are left out. Like is compared with like: completion counts
    only orgs with both a figure and an annual target, growth only orgs with both this year's
    and last year's figure (``yoy_orgs`` of ``orgs``).
    """
    table = progress_table(ds, period, thresholds=thresholds, with_rank_change=False)
    table = table[table["measure"] != "rate"]
    rows = []
    for _ind, group in table.groupby("indicator", sort=False):
        first = group.iloc[0]
        both = group[group["actual"].notna() & group["annual_target"].notna()]
        actual = group["actual"].sum(min_count=1)
        paired = group[group["prior"].notna() & group["actual"].notna()]  # like for like
        prior = paired["prior"].sum(min_count=1)
        annual = both["annual_target"].sum(min_count=1)
        completion = _ratio(both["actual"].sum(min_count=1), annual)
        pace = first["time_progress"] if first["measure"] == "cumulative" else 1.0
        row = first.to_dict() | dict(
            org="__district__",
            actual=actual,
            annual_target=annual,
            period_target=math.nan,
            completion=completion if first["direction"] != "down" else math.nan,
            period_completion=math.nan,
            basis="annual" if not is_missing(completion) else "none",
            basis_ratio=completion,
            pace=pace if first["direction"] != "down" and not is_missing(completion) else math.nan,
            gap_pp=(completion - pace) * 100 if first["direction"] != "down" else math.nan,
            prior=prior,
            yoy=_ratio(paired["actual"].sum(min_count=1), prior) - 1,
            yoy_source="computed",
            qualifier="",  # a sum is written as summed
            orgs=len(group),
            orgs_with_target=len(both),
            yoy_orgs=len(paired),
            data_status="预计" if (group["data_status"] == "预计").any() else "正式",
        )
        row["status"] = judge(row, thresholds)
        rows.append(row)
    return pd.DataFrame(rows)


def headline(table: pd.DataFrame) -> dict[str, Any]:
    """Counts that summarise a progress table: indicators, how many meet pace, 双过半.

    ``judged`` = ``on_pace`` + ``behind`` (behind time progress or over a cap: what 滞后 counts)
    + ``below_target`` (a stock, rate or period target short of its target, 未达目标)."""
    judged = table[~table["status"].isin(UNJUDGED)]
    good = judged["status"].isin(ON_PACE)
    growth = table[
        (table["measure"] == "cumulative")
        & (table["direction"] == "up")
        & table["completion"].notna()
    ]
    return {
        "indicators": int(len(table)),
        "judged": int(len(judged)),
        "on_pace": int(good.sum()),
        "behind": int(judged["status"].isin(BEHIND).sum()),
        "below_target": int((judged["status"] == StatusKey.BELOW_TARGET).sum()),
        "status_counts": {k: int(v) for k, v in table["status"].value_counts().items()},
        "double_half": bool(len(growth))
        and bool((growth["completion"] >= growth["time_progress"]).all()),
    }
