"""The status of an indicator against its target and the time elapsed: one vocabulary.

Every label, chart colour, sentence and count reads the keys and groups defined here, so a
label and the sentence beside it never disagree. Thresholds are configurable (offices vary).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..base.missing import NONE, is_missing
from ..data.numbers import round_half_up

__all__ = [
    "StatusKey",
    "Thresholds",
    "STATUS",
    "STATUS_ORDER",
    "ON_PACE",
    "BEHIND",
    "UNJUDGED",
    "SHORTFALL",
    "TIME_STATUSES",
    "status_label",
    "annual_flow",
    "judged_on_time",
    "judge",
    "rank_text",
    "tie_word",
]


class StatusKey(StrEnum):
    """The status of one indicator for one org and period (equal to its string value)."""

    EXCEEDED = "exceeded"
    COMPLETED = "completed"
    ABOVE_TARGET = "above_target"
    AHEAD = "ahead"
    AT_PACE = "at_pace"
    SLIGHTLY_BEHIND = "slightly_behind"
    BEHIND = "behind"
    FAR_BEHIND = "far_behind"
    BELOW_TARGET = "below_target"
    WITHIN_CAP = "within_cap"
    OVER_CAP = "over_cap"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class Thresholds:
    """Status boundaries on the pace gap, in percentage points (offices vary: configurable).

    ``precision`` is the decimal places of the percentages the report shows: the completion
    and the gap are judged as shown, so a label and the sentence beside it agree (a gap shown
    as 0.0 is 持平, a completion shown as 100.0% is 完成, not 超额完成)."""

    slightly_behind: float = -10.0  # −10 ≤ gap < 0: 略滞后
    far_behind: float = -30.0  # gap < −30: 严重滞后; between: 滞后
    precision: int = 1


#: Status key → (Chinese label, English label). The label is always shown, never colour alone.
STATUS: dict[str, tuple[str, str]] = {
    StatusKey.EXCEEDED: ("超额完成", "Target exceeded"),
    StatusKey.COMPLETED: ("完成", "Target met"),
    StatusKey.ABOVE_TARGET: ("高于目标", "Above target"),
    StatusKey.AHEAD: ("超序时", "Ahead of pace"),
    StatusKey.AT_PACE: ("持平", "At pace"),
    StatusKey.SLIGHTLY_BEHIND: ("略滞后", "Slightly behind"),
    StatusKey.BEHIND: ("滞后", "Behind"),
    StatusKey.FAR_BEHIND: ("严重滞后", "Far behind"),
    StatusKey.BELOW_TARGET: ("未达目标", "Below target"),
    StatusKey.WITHIN_CAP: ("控制在目标内", "Within cap"),
    StatusKey.OVER_CAP: ("超出控制数", "Over cap"),
    StatusKey.NO_TARGET: ("未设目标", "No target"),
    StatusKey.NO_DATA: ("无数据", "No figure"),
}
STATUS_ORDER = list(STATUS)

#: On pace: target exceeded or met, ahead of or at the time elapsed, or within a cap.
ON_PACE = (
    StatusKey.EXCEEDED,
    StatusKey.COMPLETED,
    StatusKey.ABOVE_TARGET,
    StatusKey.AHEAD,
    StatusKey.AT_PACE,
    StatusKey.WITHIN_CAP,
)
#: Behind, worst first: over a cap, then by how far behind the time elapsed (what 滞后 counts).
BEHIND = (StatusKey.OVER_CAP, StatusKey.FAR_BEHIND, StatusKey.BEHIND, StatusKey.SLIGHTLY_BEHIND)
#: Every status short of what was asked, worst first: :data:`BEHIND`, then a stock, rate or
#: period target below its target (未达目标: short of the target, not behind the time elapsed).
SHORTFALL = (*BEHIND, StatusKey.BELOW_TARGET)
#: Statuses that speak of the time elapsed (超序时 … 严重滞后): only a row
#: :func:`judged_on_time` is given one.
TIME_STATUSES = (
    StatusKey.AHEAD,
    StatusKey.AT_PACE,
    StatusKey.SLIGHTLY_BEHIND,
    StatusKey.BEHIND,
    StatusKey.FAR_BEHIND,
)
#: Not judged: no target (or a zero one), or no figure.
UNJUDGED = (StatusKey.NO_TARGET, StatusKey.NO_DATA)


def status_label(key: str, lang: str = "zh") -> str:
    """The label of a status key in the report's language."""
    return STATUS[key][0 if lang == "zh" else 1]


def annual_flow(row: Mapping[str, Any]) -> bool:
    """Whether one progress row is a year-to-date flow (``cumulative``, ``up``) with a
    completion of its annual target: judged against time progress before the year's end
    (:func:`judged_on_time`), counted as 完成全年任务 or not at its end."""
    return (
        row.get("measure") == "cumulative"
        and row.get("direction") == "up"
        and not is_missing(row.get("completion"))
    )


def judged_on_time(row: Mapping[str, Any]) -> bool:
    """Whether one progress row is judged against time progress: an :func:`annual_flow`
    before the year's end. Level (stock) and rate indicators, caps and period targets
    (上半年目标) are judged against their target alone: never behind *time*, only short of
    their target (未达目标); so is every row at the year's end, when the whole year has
    passed (未完成全年任务, not 滞后). The one home of this rule: the status, the sentences,
    the tables and the charts all follow it."""
    elapsed = row.get("time_progress")
    return annual_flow(row) and (elapsed is None or is_missing(elapsed) or float(elapsed) < 1.0)


def judge(row: Mapping[str, Any], th: Thresholds) -> StatusKey:
    """The status of a progress row (actual, targets, direction, basis ratio and pace gap).

    A row not :func:`judged_on_time` below its target is 未达目标, never 滞后. A rate
    (矛盾纠纷调处成功率) is judged by its value against the target, never by a ratio of two
    rates: 高于目标, 完成 (equal as shown) or 未达目标."""
    if is_missing(row["actual"]):
        return StatusKey.NO_DATA
    if row["direction"] == "down":
        cap = row["annual_target"] if not is_missing(row["annual_target"]) else row["period_target"]
        if is_missing(cap):
            return StatusKey.NO_TARGET
        return StatusKey.WITHIN_CAP if row["actual"] <= cap else StatusKey.OVER_CAP
    if is_missing(row["gap_pp"]):
        return StatusKey.NO_TARGET
    if row.get("measure") == "rate":  # gap_pp is actual − target, in points
        points = round_half_up(row["gap_pp"], th.precision)
        if points > 0:
            return StatusKey.ABOVE_TARGET
        return StatusKey.COMPLETED if points == 0 else StatusKey.BELOW_TARGET
    shown = round_half_up(row["basis_ratio"] * 100, th.precision)
    if shown > 100:
        return StatusKey.EXCEEDED
    if shown == 100:
        return StatusKey.COMPLETED
    if not judged_on_time(row):
        return StatusKey.BELOW_TARGET
    gap = round_half_up(row["gap_pp"], th.precision)
    if gap > 0:
        return StatusKey.AHEAD
    if gap == 0:
        return StatusKey.AT_PACE
    if gap >= th.slightly_behind:
        return StatusKey.SLIGHTLY_BEHIND
    if gap >= th.far_behind:
        return StatusKey.BEHIND
    return StatusKey.FAR_BEHIND


def tie_word(lang: str = "zh") -> str:
    """What marks a tied rank: ``并列`` (``=`` in English)."""
    return "=" if lang == "en" else "并列"


def rank_text(rank: Any, tied: bool, lang: str = "zh", *, none: str = NONE) -> str:
    """``1``, ``并列2`` (``=2`` in English); ``none`` when not ranked (tables write ``-``)."""
    if is_missing(rank):
        return none
    return (tie_word(lang) if tied else "") + str(int(rank))
