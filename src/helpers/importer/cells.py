"""One cell of an office's 完成情况表 read as what it says: a number and the marks around it.

Offices write more than a number into a cell: the unit (``1.98亿``), the township's rank
(``12.3(3)``), growth in words (``下降15.8`` = −15.8, ``增长5.2``), an estimate marker
(``预计848``, ``848(预计)``) or a footnote star (``848*``). :func:`parse_cell` takes these
apart; the number itself is read by :func:`helpers.data.numbers.parse_number`, so anything that
is still not a number is a :class:`~helpers.errors.NumberError`, never a silent zero.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..data.numbers import (
    QUALIFIERS_AFTER,
    QUALIFIERS_BEFORE,
    is_blank,
    parse_number,
    parse_qualified,
)
from ..data.units import COUNT_UNITS, UNIT_GROUPS, normalise_unit
from ..errors import NumberError

__all__ = [
    "Cell",
    "parse_cell",
    "parse_target",
    "unit_in_text",
    "is_known_unit",
    "KNOWN_UNITS",
    "clean_text",
    "INVISIBLE",
    "invisible_characters",
    "invisible_note",
    "strip_invisible",
]

#: Units an indicator may have that convert to nothing: the counts of
#: :data:`helpers.data.units.COUNT_UNITS`, and rates and energy units.
KNOWN_UNITS = COUNT_UNITS | frozenset(
    {
        "元/人",
        "万元/人",
        "元/亩",
        "千瓦时",
        "万千瓦时",
        "千瓦",
        "吨标准煤",
        "万吨标准煤",
    }
)

_NEGATIVE_WORDS = ("负增长", "下降", "减少", "降低", "下滑", "回落", "降", "减")
_POSITIVE_WORDS = ("增长", "增加", "上升", "提高", "提升", "增", "升")
_FLAT_WORDS = ("持平",)
_RANK = re.compile(r"[(\[【]\s*(?:并列)?\s*第?\s*(\d{1,3})\s*名?\s*[)\]】]$")
_ESTIMATE_SUFFIX = re.compile(r"[(\[【]\s*预计?\s*[)\]】]$")


#: Characters nobody sees that a copy from a web page or Word leaves in a cell: zero-width
#: space and joiners, direction marks and embeddings, word joiner, isolates, a byte-order
#: mark (U+FEFF) in mid-cell, a soft hyphen. Kept, one would give a name a new id.
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def invisible_characters(value: Any) -> list[str]:
    """The invisible characters in a cell's text, as ``U+FEFF`` (each once, in order)."""
    if not isinstance(value, str):
        return []
    return list(dict.fromkeys(f"U+{ord(c):04X}" for c in INVISIBLE.findall(value)))


def invisible_note(value: Any, where: str) -> str | None:
    """The inference line saying which invisible characters were removed from a cell, or
    ``None`` when it has none."""
    found = invisible_characters(value)
    if not found:
        return None
    return (
        f"{where}「{strip_invisible(str(value)).strip()}」中的不可见字符 {'、'.join(found)} 已删去 "
        f"(invisible characters removed)"
    )


def strip_invisible(text: str) -> str:
    """``text`` without the :data:`INVISIBLE` characters."""
    return INVISIBLE.sub("", text)


def clean_text(value: Any) -> str:
    """A cell's text, NFKC-normalised (full-width → ASCII), without any whitespace nor
    invisible characters (:data:`INVISIBLE`)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", strip_invisible(str(value)))
    return re.sub(r"\s+", "", text)


def _all_units() -> list[str]:
    units = set(KNOWN_UNITS)
    for sizes in UNIT_GROUPS.values():
        units.update(sizes)
    units.update({"亿", "万"})
    units.discard("%")  # a percent sign stays with the number (parse_number reads it)
    return sorted(units, key=len, reverse=True)


_UNITS = _all_units()


def is_known_unit(text: str) -> bool:
    """True when ``text`` is a unit kpibook knows (万元, 亿元, 亩, 个, %, …)."""
    unit = normalise_unit(text)
    return unit in _UNITS or unit == "%"


def unit_in_text(text: str, *, percent: bool = False) -> str | None:
    """The unit written in brackets in a header or a name: ``全年目标(万元)`` → ``万元``.

    ``(%)`` counts only with ``percent=True`` (an indicator's name: ``城镇化率(%)``); in a
    header it marks the column's numbers as percents (``同比增长(%)``), not a unit.
    """
    for inner in re.findall(
        r"[(（\[【]([^()（）\[\]【】]+)[)）\]】]", unicodedata.normalize("NFKC", text)
    ):
        inner = clean_text(inner)
        inner = re.sub(r"^(?:单位|计量单位)[:：]?", "", inner)
        if inner == "%":
            if percent:
                return "%"
            continue
        if inner and is_known_unit(inner):
            return normalise_unit(inner)
    return None


@dataclass(frozen=True)
class Cell:
    """What one cell says: the number (``None`` for none) and what was written around it."""

    value: float | None
    unit: str | None = None  # a unit written in the cell itself (``1.98亿`` → 亿元)
    rank: int | None = None  # a rank written after the number (``12.3(3)`` → 3)
    estimated: bool = False  # 预计
    starred: bool = False  # a footnote star (``848*``)
    sign_word: str | None = None  # 下降 / 增长 / 持平, when growth was written in words
    bound: str | None = None  # a target written as a cap (``≤2起`` → "cap") or a floor ("floor")
    #: 约 / 近 / 余 / 多 written with the figure (``300余``), kept as the data set keeps it
    qualifier: str = ""

    def written(self) -> float | str | None:
        """The figure as a data set's 完成 cell holds it: the number, or the number with its
        qualifier where the data contract puts it (``300余``, ``约600``: 约/近 before, 余/多
        after, :data:`helpers.data.numbers.QUALIFIERS_BEFORE`)."""
        if not self.qualifier or self.value is None:
            return self.value
        number = f"{self.value:.15g}"
        if self.qualifier in QUALIFIERS_BEFORE:
            return self.qualifier + number
        return number + self.qualifier


def parse_cell(raw: Any, *, growth: bool = False, qualified: bool = False) -> Cell:
    """Read one cell. ``growth=True`` for 同比 columns, the only ones where ``下降15.8`` is allowed;
    ``qualified=True`` for figures (完成数) that may carry 约/近/余/多 (``300余``, ``约600``), read
    by the data layer's rule (:func:`helpers.data.numbers.parse_qualified`).

    ``"1.98亿"`` → Cell(1.98, unit="亿元"); ``"12.3(3)"`` → Cell(12.3, rank=3);
    ``"预计848"`` → Cell(848, estimated=True); ``"下降15.8"`` → Cell(-15.8, sign_word="下降");
    ``"—"`` → Cell(None). Raises :class:`NumberError` for anything else.
    """
    if not isinstance(raw, str):
        return Cell(parse_number(raw))
    if is_blank(raw):
        return Cell(None)
    text = clean_text(raw)
    estimated = starred = False
    rank: int | None = None
    changed = True
    while changed and text:  # the marks come in any order: 预计848*(3), 848(3)(预计) …
        changed = False
        for prefix in ("预计", "预"):
            if text.startswith(prefix):
                text, estimated, changed = text[len(prefix) :].lstrip(":"), True, True
                break
        m = _ESTIMATE_SUFFIX.search(text)
        if m:
            text, estimated, changed = text[: m.start()], True, True
        if text.endswith("预计"):
            text, estimated, changed = text[:-2], True, True
        m = _RANK.search(text)
        if m and rank is None and m.start() > 0:
            text, rank, changed = text[: m.start()], int(m.group(1)), True
        if text.endswith("*") or text.startswith("*"):
            text, starred, changed = text.strip("*"), True, True
    sign_word: str | None = None
    sign = 1.0
    body = text[2:] if growth and text.startswith("同比") else text
    for words, factor in ((_FLAT_WORDS, 0.0), (_NEGATIVE_WORDS, -1.0), (_POSITIVE_WORDS, 1.0)):
        word = next((w for w in words if body.startswith(w)), None)
        if word is not None:
            if not growth:
                raise NumberError(
                    f"「{word}」只用于同比列 (growth words only in a year-on-year column)",
                    value=raw,
                )
            sign_word, sign, body = word, factor, body[len(word) :]
            break
    if sign_word is not None:
        text = body
        if sign_word in _FLAT_WORDS:
            if text not in ("", "0", "0%", "0.0", "0.0%"):
                raise NumberError("「持平」后不应再有数字 (nothing after 持平)", value=raw)
            return Cell(0.0, rank=rank, estimated=estimated, starred=starred, sign_word=sign_word)
    qualifier = ""
    if set(QUALIFIERS_BEFORE + QUALIFIERS_AFTER) & set(text) and sign_word is None:
        qualifier = parse_qualified(text).qualifier  # a misplaced one: NumberError, its rule
        if qualifier and not qualified:
            raise NumberError(
                f"「{qualifier}」等限定词(约、近、余、多)只能用于完成数,目标、同比请写确数 "
                f"(a qualifier is kept only with an actual figure)",
                value=raw,
            )
        if qualifier:
            at = 0 if text.startswith(qualifier) else text.index(qualifier)
            text = text[:at] + text[at + 1 :]
    unit: str | None = None
    for candidate in _UNITS:
        if (
            text.endswith(candidate)
            and len(text) > len(candidate)
            and text[-len(candidate) - 1].isdigit()
        ):
            unit, text = normalise_unit(candidate), text[: -len(candidate)]
            break
    try:
        number = parse_number(text)
    except NumberError:
        raise NumberError("不是数字 (not a number)", value=raw) from None
    if number is None:
        if estimated or rank is not None or unit or sign_word:
            raise NumberError("标记后没有数字 (a mark without a number)", value=raw)
        return Cell(None, starred=starred)
    if sign_word is not None:
        if number < 0:
            raise NumberError(
                f"「{sign_word}」后又有负号 (a growth word and a minus sign)", value=raw
            )
        number = sign * number
    return Cell(
        number,
        unit=unit,
        rank=rank,
        estimated=estimated,
        starred=starred,
        sign_word=sign_word,
        qualifier=qualifier,
    )


_CAP_BEFORE = re.compile(r"^(?:≤|<=|<|=<|不超过|不高于|不多于|不大于|少于|低于|控制在|控制数|控制)")
_FLOOR_BEFORE = re.compile(r"^(?:≥|>=|>|=>|不低于|不少于|不小于|高于|达到|力争达到)")
_CAP_AFTER = re.compile(r"(?:以内|以下|之内|内)$")
_FLOOR_AFTER = re.compile(r"(?:以上|及以上)$")


_ZERO_CAP = frozenset({"杜绝", "杜绝发生", "零发生", "不发生", "零事故", "零容忍"})


def parse_target(raw: Any) -> Cell:
    """A target cell, which may be a bound: ``≤2``, ``≤2起``, ``控制在2起以内`` → Cell(2, cap).

    ``≥95%``, ``不低于95`` → a floor (``bound="floor"``). Anything else as :func:`parse_cell`.
    """
    if not isinstance(raw, str):
        return parse_cell(raw)
    text = clean_text(raw)
    if text in _ZERO_CAP:  # 杜绝, 零发生: a cap of zero
        return Cell(0.0, bound="cap")
    if text in ("零", "〇"):
        return Cell(0.0)
    bound: str | None = None
    for before, after, kind in (
        (_CAP_BEFORE, _CAP_AFTER, "cap"),
        (_FLOOR_BEFORE, _FLOOR_AFTER, "floor"),
    ):
        m_before, m_after = before.search(text), after.search(text)
        if m_before or m_after:
            if m_before:
                text = text[m_before.end() :]
            m_after = after.search(text)
            if m_after:
                text = text[: m_after.start()]
            bound = kind
            break
    if bound is None:
        return parse_cell(raw)
    try:
        cell = parse_cell(text)
    except NumberError:
        raise NumberError("不是数字 (not a number)", value=raw) from None
    if cell.value is None:
        raise NumberError("控制数/下限后没有数字 (a bound without a number)", value=raw)
    return Cell(cell.value, unit=cell.unit, estimated=cell.estimated, bound=bound)
