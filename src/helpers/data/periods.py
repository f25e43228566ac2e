"""Reporting periods: ``2013`` (year), ``2013H1``, ``2013Q2``, ``2013-06`` (month).

Figures are cumulative from 1 January to the period's end, so what matters about a period
is its year and its end month: time progress (序时进度) is end month / 12.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..errors import PeriodError

__all__ = ["Period", "parse_period", "time_progress", "last_completed_half", "period_label"]

_FORMS = (
    (re.compile(r"^(\d{4})$"), "Y"),
    (re.compile(r"^(\d{4})\s*[Hh]([12])$"), "H"),
    (re.compile(r"^(\d{4})\s*[Qq]([1-4])$"), "Q"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "M"),
)
_CHINESE = (
    (re.compile(r"^(\d{4})年?(?:上半年)$"), "H", 1),
    (re.compile(r"^(\d{4})年?(?:下半年)$"), "H", 2),
    (re.compile(r"^(\d{4})年$"), "Y", None),
    (re.compile(r"^(\d{4})年(\d{1,2})月$"), "M", None),
    (re.compile(r"^(\d{4})年1-(\d{1,2})月$"), "M", None),
)


@dataclass(frozen=True, order=True)
class Period:
    """A period by year and kind (``Y``, ``H``, ``Q``, ``M``) and its number within the year."""

    year: int
    end_month: int
    kind: str
    number: int = 0

    def __str__(self) -> str:
        if self.kind == "Y":
            return f"{self.year}"
        if self.kind == "M":
            return f"{self.year}-{self.number:02d}"
        return f"{self.year}{self.kind}{self.number}"

    @property
    def time_progress(self) -> float:
        """序时进度: months elapsed / 12 (``2013H1`` → 0.5)."""
        return self.end_month / 12

    @property
    def year_period(self) -> Period:
        """The whole year this period belongs to (where annual targets live)."""
        return Period(self.year, 12, "Y", 0)

    def shifted_years(self, years: int) -> Period:
        """The same period ``years`` later (``-1``: the same period last year, for 同比)."""
        return Period(self.year + years, self.end_month, self.kind, self.number)

    def previous(self) -> Period:
        """The period of the same kind just before this one (``2013H1`` → ``2012H2``)."""
        count = {"Y": 1, "H": 2, "Q": 4, "M": 12}[self.kind]
        if self.kind == "Y":
            return Period(self.year - 1, 12, "Y", 0)
        if self.number > 1:
            return make(self.year, self.kind, self.number - 1)
        return make(self.year - 1, self.kind, count)


def make(year: int, kind: str, number: int = 0) -> Period:
    """A period from its parts, checked."""
    months = {"Y": 12, "H": 6 * number, "Q": 3 * number, "M": number}[kind]
    limits = {"Y": (0, 0), "H": (1, 2), "Q": (1, 4), "M": (1, 12)}[kind]
    if kind != "Y" and not limits[0] <= number <= limits[1]:
        raise PeriodError(
            f"no such period number {number} for kind {kind}", value=f"{year}{kind}{number}"
        )
    return Period(year, months, kind, number)


def parse_period(text: Any) -> Period:
    """Parse ``2013``, ``2013H1``, ``2013Q2``, ``2013-06`` (and 2013年上半年, 2013年1-6月).

    Raises :class:`PeriodError` (a ``ValueError``) for anything else, e.g. ``2013H3``.
    """
    if isinstance(text, Period):
        return text
    if isinstance(text, bool) or text is None:
        raise PeriodError("期间为空或不是期间 (not a period)", value=text)
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    raw = unicodedata.normalize("NFKC", str(text)).strip()
    for pattern, kind in _FORMS:
        m = pattern.match(raw)
        if m:
            year = int(m.group(1))
            number = int(m.group(2)) if kind != "Y" else 0
            try:
                return make(year, kind, number)
            except PeriodError:
                break
    else:
        for pattern, kind, fixed in _CHINESE:
            m = pattern.match(raw)
            if m:
                n = fixed if fixed is not None else (int(m.group(2)) if kind == "M" else 0)
                try:
                    return make(int(m.group(1)), kind, n)
                except PeriodError:
                    break
    raise PeriodError(
        "期间格式不对 (unknown period): 应为 2013、2013H1、2013Q2 或 2013-06", value=text
    )


def time_progress(period: Period | str) -> float:
    """序时进度 of a period: end month / 12."""
    return parse_period(period).time_progress


def last_completed_half(today: _dt.date) -> Period:
    """The last half-year that ended before ``today`` (the default report period).

    On 2026-11-26 that is ``2026H1``; on 2027-01-05 it is ``2026H2``.
    """
    if today.month >= 7:
        return make(today.year, "H", 1)
    return make(today.year - 1, "H", 2)


def period_label(period: Period | str, lang: str = "zh") -> str:
    """How a report names the period: ``2013年上半年`` / ``1-6月`` style, or English."""
    p = parse_period(period)
    if lang == "en":
        names = {
            "Y": f"{p.year}",
            "H": f"H{p.number} {p.year}",
            "Q": f"Q{p.number} {p.year}",
            "M": f"Jan–{_dt.date(2000, p.end_month, 1):%b} {p.year}",
        }
        return names[p.kind]
    if p.kind == "Y":
        return f"{p.year}年"
    if p.kind == "H":
        return f"{p.year}年{'上' if p.number == 1 else '下'}半年"
    if p.kind == "Q":
        return f"{p.year}年第{'一二三四'[p.number - 1]}季度"
    return f"{p.year}年1-{p.end_month}月"
