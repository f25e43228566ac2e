"""Unit conversion between the units such reports use (元/万元/亿元, 平方米/万平方米, 亩/万亩…).

A row whose unit differs from its indicator's is converted; a pair with no known
conversion is an error (:class:`UnitError`), never a guess.
"""

from __future__ import annotations

import unicodedata

from ..errors import UnitError

__all__ = [
    "normalise_unit",
    "conversion_factor",
    "convert",
    "UNIT_GROUPS",
    "COUNT_UNITS",
    "is_count",
]

#: Each group: unit → size in the group's base unit. Units convert only within a group.
UNIT_GROUPS: dict[str, dict[str, float]] = {
    "money": {"元": 1, "千元": 1e3, "万元": 1e4, "百万元": 1e6, "亿元": 1e8},
    "area": {"平方米": 1, "㎡": 1, "m2": 1, "万平方米": 1e4, "平方公里": 1e6},
    "land": {"亩": 1, "万亩": 1e4, "公顷": 15},
    "length": {"米": 1, "m": 1, "千米": 1e3, "公里": 1e3, "km": 1e3},
    "mass": {"千克": 1, "公斤": 1, "kg": 1, "吨": 1e3, "万吨": 1e7},
    "people": {"人": 1, "人次": 1, "万人": 1e4, "万人次": 1e4},
    "households": {"户": 1, "万户": 1e4},
    "percent": {"%": 1, "百分比": 1},
}
#: Units of things counted one by one: a small count reads as a count, not a percentage
#: (完成2个中的1个, 同比减少1起).
COUNT_UNITS = frozenset(
    "个 户 人 人次 起 家 项 台 座 栋 次 名 批 批次 所 条 处 件 辆 头 只 套 宗 份 床 张 场 期 篇 支 村".split()
)


def is_count(unit: object) -> bool:
    """Whether ``unit`` counts whole things (个, 户, 起…), as :data:`COUNT_UNITS` lists."""
    return normalise_unit(unit) in COUNT_UNITS


_ALIASES = {
    "平米": "平方米",
    "平方": "平方米",
    "万平米": "万平方米",
    "亿": "亿元",
    "万": "万元",
    "元/": "元",
}


def normalise_unit(unit: object) -> str:
    """The canonical spelling of a unit: NFKC, no spaces or brackets, aliases resolved."""
    if unit is None:
        return ""
    text = unicodedata.normalize("NFKC", str(unit)).strip()
    if text.lower() == "nan":
        return ""
    text = text.strip("()（）[]【】 ").replace(" ", "")
    return _ALIASES.get(text, text)


def _group(unit: str) -> tuple[str, float] | None:
    for name, sizes in UNIT_GROUPS.items():
        if unit in sizes:
            return name, sizes[unit]
    return None


def conversion_factor(from_unit: object, to_unit: object) -> float:
    """The factor that turns a value in ``from_unit`` into ``to_unit`` (万元→亿元: 0.0001).

    Identical units (or an empty ``from_unit``, meaning "the indicator's unit") give 1.
    """
    src, dst = normalise_unit(from_unit), normalise_unit(to_unit)
    if not src or src == dst:
        return 1.0
    a, b = _group(src), _group(dst)
    if a is None or b is None or a[0] != b[0]:
        raise UnitError(
            f"无法把「{src}」换算为「{dst}」 (no conversion from {src} to {dst})", value=from_unit
        )
    return a[1] / b[1]


def convert(value: float | None, from_unit: object, to_unit: object) -> float | None:
    """``value`` in ``from_unit`` expressed in ``to_unit``; ``None`` stays ``None``."""
    factor = conversion_factor(from_unit, to_unit)
    return None if value is None else value * factor
