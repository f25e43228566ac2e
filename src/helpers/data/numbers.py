"""Numbers as Chinese spreadsheets write them, rounded and formatted as reports print them.

Cells carry thousands separators (``6,035``), full-width digits and signs (``６０３５``,
``－``, ``％``), a trailing ``%``, and ``—``/``-``/``/``/empty for "no value". Anything
else is an error, never a silent zero. Rounding is half-up (Python's ``round`` is half-even).
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from ..errors import NumberError

__all__ = [
    "parse_number",
    "is_blank",
    "round_half_up",
    "format_number",
    "format_percent",
    "format_signed",
    "MINUS",
    "NONE_MARKS",
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
    if isinstance(value, bool):
        raise NumberError("不是数字 (not a number)", value=value)
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
