"""Numbers as Chinese spreadsheets write them, rounded and formatted as reports print them.

Cells carry thousands separators (``6,035``), full-width digits and signs (``６０３５``,
``－``, ``％``), a trailing ``%``, and ``—``/``-``/``/``/empty for "no value". Anything
else is an error, never a silent zero. Rounding is half-up (Python's ``round`` is half-even).
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, NamedTuple

from ..errors import NumberError

__all__ = [
    "parse_number",
    "parse_qualified",
    "Qualified",
    "QUALIFIERS_BEFORE",
    "QUALIFIERS_AFTER",
    "is_blank",
    "round_half_up",
    "format_number",
    "format_percent",
    "format_signed",
    "MINUS",
    "NONE_MARKS",
    "shown_date",
]

#: Cell contents that mean "no value" (after NFKC normalisation and stripping).
#: ``nan``, ``None`` and ``null`` are not among them: a program's text for a lost value is
#: an error to fix, never a silent gap.
NONE_MARKS = frozenset({"", "-", "—", "——", "–", "/", "－", "―", "─", "无"})

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_SPLIT_DIGITS = re.compile(r"\d[\s\u00a0\u3000]+[\d.]|\.[\s\u00a0\u3000]+\d")
_MINUSES = {"\u2212": "-", "\u2012": "-", "\ufe63": "-"}


def is_blank(value: Any) -> bool:
    """True for an empty cell or a "no value" mark (``—``, ``-``, ``/``)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return _normalise(value) in NONE_MARKS
    try:  # pandas.NA, NaT and friends
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def shown_date(value: Any) -> str | None:
    """A date or time cell of a workbook as a user sees it (``2013-06-30``, ``2013-06-30
    08:30``, ``12:30``), ``None`` for any other value: where a number or a period belongs
    it is named as a date, never read as text with a space in it."""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    if isinstance(value, datetime.timedelta):
        return str(value)
    return None


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for bad, good in _MINUSES.items():
        text = text.replace(bad, good)
    return text.strip().replace(" ", "").replace("\u00a0", "")


def parse_number(value: Any) -> float | None:
    """A cell as a float, ``None`` for no value; :class:`NumberError` for anything else.

    ``"6,035"`` → 6035.0, ``"６０３５"`` → 6035.0, ``"55%"`` → 55.0 (the number of percent),
    ``"—"`` → None, ``"abc"`` → NumberError.
    """
    if isinstance(value, bool):  # an Excel TRUE/FALSE cell: a logical value, not 1 or 0
        raise NumberError(
            "是逻辑值（TRUE/FALSE），不是数字；请填写数值 (a TRUE/FALSE cell, not a number)",
            value=value,
        )
    if (shown := shown_date(value)) is not None:
        raise NumberError(
            "单元格是日期或时间，不是数字：多半是它的格式被设成了日期，Excel 把输入的数显示成了"
            "日期；请把单元格格式改为「常规」或「数值」，再输入数字 (a date or time cell, not a "
            "number: the cell is formatted as a date; set its format to General or Number and "
            "type the number again)",
            value=shown,
        )
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        if math.isnan(number):
            return None
        if math.isinf(number):
            raise NumberError("不是有限的数字 (not a finite number)", value=value)
        return number
    if is_blank(value):
        return None
    if _SPLIT_DIGITS.search(unicodedata.normalize("NFKC", str(value))):
        raise NumberError(
            "数字中间有空格：是一个数还是两个？(a space inside a number)", value=value
        )
    text = _normalise(str(value))
    if text.endswith("%"):
        text = text[:-1]
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise NumberError("不是数字 (not a number)", value=value)
    number = float(text)
    if math.isinf(number):
        raise NumberError("不是有限的数字 (not a finite number)", value=value)
    return number


#: Qualifiers a figure may carry (300余人, 约50, 近2000万元): 约/近 before the number,
#: 余/多 after it. The number is computed with; the qualifier is written back in sentences.
QUALIFIERS_BEFORE = ("约", "近")
QUALIFIERS_AFTER = ("余", "多")
_QUALIFIER_CHARS = frozenset(QUALIFIERS_BEFORE + QUALIFIERS_AFTER)
_QUALIFIED = re.compile(
    r"^(?P<before>[约近]?)(?P<number>[+-]?[\d.,]*\d[\d.,]*(?:[eE][+-]?\d+)?%?)"
    r"(?P<after>[余多]?)(?P<unit>[^\d()（）\[\]约近余多]*)$"
)


_SPACED_DIGITS = re.compile(r"[\d.,]\s+[\d.,]")


class Qualified(NamedTuple):
    """A figure as a cell gives it: the number, its qualifier (``约``, ``近``, ``余``, ``多``
    or ``""``) and a unit written in the cell after it (``""`` when none)."""

    number: float | None
    qualifier: str = ""
    unit: str = ""


def parse_qualified(value: Any) -> Qualified:
    """A figure cell that may carry a qualifier and a unit: ``"300余人"`` → (300, 余, 人),
    ``"约50"`` → (50, 约, ""), ``"近2000万元"`` → (2000, 近, 万元); otherwise as
    :func:`parse_number`. A misplaced or doubled qualifier (``余300``, ``约约5``, ``约300余``)
    is a :class:`NumberError`: the figure it means is not to be guessed."""
    if not isinstance(value, str) or is_blank(value):
        return Qualified(parse_number(value))
    text = _normalise(value)
    match = _QUALIFIED.match(text)
    if match is None or (match["before"] and match["after"]):
        if _QUALIFIER_CHARS & set(text):
            raise NumberError(
                "限定词写法不对：约、近写在数字前，余、多写在数字后，只写一个（如 约50、300余人）"
                " (a qualifier out of place: 约/近 before the number, 余/多 after it, one only)",
                value=value,
            )
        return Qualified(parse_number(value))
    plain = not (match["before"] or match["after"] or match["unit"].strip())
    if plain or _SPACED_DIGITS.search(unicodedata.normalize("NFKC", value)):
        return Qualified(parse_number(value))  # its rules: a space inside a number is a problem
    number = parse_number(match["number"])
    return Qualified(number, match["before"] or match["after"], match["unit"].strip())


def round_half_up(value: float, decimals: int = 0) -> float:
    """Round half away from zero, as reports and Excel do (``0.125`` → ``0.13``)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return value
    try:
        quantum = Decimal(1).scaleb(-decimals)
        # 15 significant digits drop the float noise of arithmetic (0.0185 * 100 is
        # 1.8499999999999999), so a half that the figures really have rounds up.
        return float(Decimal(f"{float(value):.15g}").quantize(quantum, rounding=ROUND_HALF_UP))
    except InvalidOperation:  # pragma: no cover - only for absurd magnitudes
        return float(value)


def format_number(
    value: float | None, decimals: int = 0, *, thousands: bool = True, none: str = "—"
) -> str:
    """``6035`` → ``"6,035"``; ``None`` → ``"—"``; half-up to ``decimals`` places."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return none
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = 0.0  # never print "-0"
    text = f"{rounded:,.{decimals}f}" if thousands else f"{rounded:.{decimals}f}"
    return text


#: The minus sign of signed figures (−13.8%): U+2212, which every report font has.
MINUS = "\u2212"


def format_signed(
    value: float | None,
    decimals: int = 1,
    *,
    percent: bool = False,
    thousands: bool = False,
    suffix: str = "",
    none: str = "—",
) -> str:
    """A change with its sign: ``+2.0`` / ``−4.8`` (U+2212); no sign when it rounds to zero.

    ``percent`` shows a ratio as a percentage (``0.138`` → ``+13.8%``); ``suffix`` follows the
    figure (``个百分点``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return none
    text = format_number(abs(value) * (100 if percent else 1), decimals, thousands=thousands)
    sign = ("+" if value > 0 else MINUS) if any(ch in "123456789" for ch in text) else ""
    return sign + text + ("%" if percent else "") + suffix


def format_percent(ratio: float | None, decimals: int = 1, *, none: str = "—") -> str:
    """A ratio as a percentage: ``0.547`` → ``"54.7%"``."""
    if ratio is None or (isinstance(ratio, float) and math.isnan(ratio)):
        return none
    return format_number(ratio * 100, decimals, thousands=False) + "%"
