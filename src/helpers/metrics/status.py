"""The status of an indicator against its target and the time elapsed: one vocabulary.

Every label, chart colour, sentence and count reads the keys and groups defined here, so a
label and the sentence beside it never disagree. Thresholds are configurable (offices vary).
"""

from __future__ import annotations

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
    "status_label",
    "judge",
    "rank_text",
    "tie_word",
]


class StatusKey(StrEnum):
    """The status of one indicator for one org and period (equal to its string value)."""

    EXCEEDED = "exceeded"
    COMPLETED = "completed"
    AHEAD = "ahead"
    AT_PACE = "at_pace"
    SLIGHTLY_BEHIND = "slightly_behind"
    BEHIND = "behind"
    FAR_BEHIND = "far_behind"
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
    StatusKey.AHEAD: ("超序时", "Ahead of pace"),
    StatusKey.AT_PACE: ("持平", "At pace"),
    StatusKey.SLIGHTLY_BEHIND: ("略滞后", "Slightly behind"),
    StatusKey.BEHIND: ("滞后", "Behind"),
    StatusKey.FAR_BEHIND: ("严重滞后", "Far behind"),
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
    StatusKey.AHEAD,
    StatusKey.AT_PACE,
    StatusKey.WITHIN_CAP,
)
#: Behind, worst first: over a cap, then by how far behind the time elapsed.
BEHIND = (StatusKey.OVER_CAP, StatusKey.FAR_BEHIND, StatusKey.BEHIND, StatusKey.SLIGHTLY_BEHIND)
#: Not judged: no target (or a zero one), or no figure.
UNJUDGED = (StatusKey.NO_TARGET, StatusKey.NO_DATA)


def status_label(key: str, lang: str = "zh") -> str:
    """The label of a status key in the report's language."""
    return STATUS[key][0 if lang == "zh" else 1]


def judge(row: dict[str, Any], th: Thresholds) -> StatusKey:
    """The status of a progress row (actual, targets, direction, basis ratio and pace gap)."""
    if is_missing(row["actual"]):
        return StatusKey.NO_DATA
    if row["direction"] == "down":
        cap = row["annual_target"] if not is_missing(row["annual_target"]) else row["period_target"]
        if is_missing(cap):
            return StatusKey.NO_TARGET
        return StatusKey.WITHIN_CAP if row["actual"] <= cap else StatusKey.OVER_CAP
    if is_missing(row["gap_pp"]):
        return StatusKey.NO_TARGET
    shown = round_half_up(row["basis_ratio"] * 100, th.precision)
    if shown > 100:
        return StatusKey.EXCEEDED
    if shown == 100:
        return StatusKey.COMPLETED
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
