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

__all__ = [
    "Period",
    "parse_period",
    "time_progress",
    "last_completed_half",
    "period_label",
    "span_word",
    "is_full_year",
    "plans_word",
]

_FORMS = (
    (re.compile(r"^(\d{4})$"), "Y"),
    (re.compile(r"^(\d{4})\s*[Hh]([12])$"), "H"),
    (re.compile(r"^(\d{4})\s*[Qq]([1-4])$"), "Q"),
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "M"),
)
_DASH = "[-—–~～至]"
#: Chinese spellings (the words of a sheet's title): a quarter number or word, 全年, 1-N月份.
_CHINESE = (
    (re.compile(r"^(\d{4})年?(?:上半年)$"), "H", 1),
    (re.compile(r"^(\d{4})年?(?:下半年)$"), "H", 2),
    (re.compile(r"^(\d{4})年(?:全年|度)?$"), "Y", None),
    (re.compile(r"^(\d{4})年?全年$"), "Y", None),
    (re.compile(r"^(\d{4})年?(?:前三季度|1" + _DASH + r"3季度)$"), "Q", 3),
    (re.compile(r"^(\d{4})年?第?([一二三四1-4])季度$"), "Q", None),
    (re.compile(r"^(\d{4})年(\d{1,2})月份?$"), "M", None),
    (re.compile(r"^(\d{4})年?1" + _DASH + r"(\d{1,2})月份?$"), "M", None),
)
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4}


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
    """Parse ``2013``, ``2013H1``, ``2013Q2``, ``2013-06``, and the Chinese words of a sheet's
    title: 2013年上半年, 2013年全年 (2013年度), 2013年一季度, 2013年前三季度, 2013年1-6月(份).

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
                if fixed is not None:
                    n = fixed
                elif kind == "Y":
                    n = 0
                else:
                    n = _QUARTERS.get(m.group(2)) or int(m.group(2))
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


#: What figures to the end of month 3, 6, 9, 12 cover, in the reports' words.
_SPANS = {
    3: ("一季度", "Q1"),
    6: ("上半年", "H1"),
    9: ("前三季度", "Jan–Sep"),
    12: ("全年", "full year"),
}


def is_full_year(period: Period | str) -> bool:
    """Whether the figures run to December: the report is the 全年 (annual) summary."""
    return parse_period(period).end_month == 12


def span_word(period: Period | str, lang: str = "zh") -> str:
    """What the period's cumulative figures cover: 一季度, 上半年, 前三季度, 全年, or 1-8月.

    The words follow the months the figures cover, not how the period was written: 2013H2
    and 2013Q4 (figures to December) are 全年, 2013Q2 is 上半年. A month period is 1-N月.
    """
    p = parse_period(period)
    if p.kind != "M" and p.end_month in _SPANS:
        return _SPANS[p.end_month][lang == "en"]
    if lang == "en":
        return f"Jan–{_dt.date(2000, p.end_month, 1):%b}"
    return f"1-{p.end_month}月"


def plans_word(period: Period | str, lang: str = "zh") -> str:
    """Whose plans a report closes with: 下半年 after 上半年, 2014年 after 2013's 全年,
    二季度 after 一季度, 四季度 after 前三季度, else 下一步."""
    p = parse_period(period)
    en = lang == "en"
    if p.end_month == 12:
        return f"{p.year + 1}" if en else f"{p.year + 1}年"
    if p.kind != "M" and p.end_month in (3, 6, 9):
        return {3: ("二季度", "Q2"), 6: ("下半年", "the second half"), 9: ("四季度", "Q4")}[
            p.end_month
        ][en]
    return "the next months" if en else "下一步"


def period_label(period: Period | str, lang: str = "zh") -> str:
    """How a report names the period, by the months its figures cover (:func:`span_word`):
    ``2013年上半年``, ``2013年一季度``, ``2013年前三季度``, ``2013年`` (全年), ``2013年1-8月``."""
    p = parse_period(period)
    if lang == "en":
        return f"{p.year}" if is_full_year(p) else f"{span_word(p, 'en')} {p.year}"
    return f"{p.year}年" if is_full_year(p) else f"{p.year}年{span_word(p)}"
