"""Characters that show nothing: the one rule for zero-width spaces, direction marks and overrides.

A zero-width space pasted from a web page makes ``太源镇\u200b`` another name than ``太源镇``;
a right-to-left override (U+202E) turns ``太源\u202eLMTH.exe`` into what looks like an
``.exe``. One rule decides which characters are such: the data layer names them in cells
(:mod:`helpers.data.text`), :func:`helpers.base.files.safe_name` keeps them out of file names
and :func:`helpers.errors.visible` shows them escaped in every message.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "INVISIBLE",
    "is_invisible",
    "invisible_character",
    "show_invisible",
    "escaped",
    "without_invisible",
]

#: Invisible characters with the names a user can search for (Chinese, English).
INVISIBLE: dict[str, tuple[str, str]] = {
    "\u00ad": ("软连字符", "soft hyphen"),
    "\u034f": ("组合字形连接符", "combining grapheme joiner"),
    "\u061c": ("阿拉伯字母标记", "Arabic letter mark"),
    "\u115f": ("韩文填充字符", "Hangul filler"),
    "\u1160": ("韩文填充字符", "Hangul filler"),
    "\u180e": ("蒙古文元音分隔符", "Mongolian vowel separator"),
    "\u200b": ("零宽空格", "zero-width space"),
    "\u200c": ("零宽不连字", "zero-width non-joiner"),
    "\u200d": ("零宽连字", "zero-width joiner"),
    "\u200e": ("从左到右标记", "left-to-right mark"),
    "\u200f": ("从右到左标记", "right-to-left mark"),
    "\u2028": ("行分隔符", "line separator"),
    "\u2029": ("段落分隔符", "paragraph separator"),
    "\u202a": ("从左到右嵌入", "left-to-right embedding"),
    "\u202b": ("从右到左嵌入", "right-to-left embedding"),
    "\u202c": ("方向格式结束", "pop directional formatting"),
    "\u202d": ("从左到右强制", "left-to-right override"),
    "\u202e": ("从右到左强制", "right-to-left override"),
    "\u2060": ("零宽不换行", "word joiner"),
    "\u2066": ("从左到右隔离", "left-to-right isolate"),
    "\u2067": ("从右到左隔离", "right-to-left isolate"),
    "\u2068": ("首字方向隔离", "first strong isolate"),
    "\u2069": ("方向隔离结束", "pop directional isolate"),
    "\u3164": ("韩文填充字符", "Hangul filler"),
    "\ufeff": ("字节顺序标记（BOM）", "byte-order mark"),
    "\uffa0": ("韩文填充字符", "Hangul filler"),
}


def is_invisible(ch: str) -> bool:
    """A character that shows nothing: a format character (Cf: zero-width, direction marks
    and overrides, BOM), a line or paragraph separator, a C1 control (U+0080–U+009F), or
    one of the blank fillers of :data:`INVISIBLE`. Tab and line breaks are not among them."""
    if ch in INVISIBLE:
        return True
    category = unicodedata.category(ch)
    return category in ("Cf", "Zl", "Zp") or "\x80" <= ch <= "\x9f"


def _name(ch: str) -> tuple[str, str]:
    """``U+200B 零宽空格`` and ``U+200B zero-width space`` for one invisible character."""
    code = f"U+{ord(ch):04X}"
    zh, en = INVISIBLE.get(ch, ("", unicodedata.name(ch, "").lower()))
    if not zh:
        zh = "控制字符" if "\x80" <= ch <= "\x9f" else "不可见的格式字符"
        en = en or ("a control character" if zh == "控制字符" else "a format character")
    return f"{code} {zh}", f"{code} {en}"


def invisible_character(text: str) -> str | None:
    """The message for text holding an invisible character (a zero-width space, a direction
    mark or override, a BOM inside a cell), naming each kind once with its code point;
    ``None`` for text without one. Two names that look the same are never told apart by a
    character nobody can see, and a right-to-left override never turns a name around."""
    found = list(dict.fromkeys(ch for ch in text if is_invisible(ch)))
    if not found:
        return None
    zh = "、".join(_name(ch)[0] for ch in found)
    en = ", ".join(_name(ch)[1] for ch in found)
    return (
        f"含有看不见的字符 {zh}（常是从网页或聊天软件复制来的）：看起来相同的名称因此不同，"
        "方向字符还会把文字倒过来显示；请删除它，重新输入这一格 (an invisible character, "
        f"{en}, often pasted from a web page or a chat: names that look the same differ by it, "
        "direction marks turn text around; delete it and type the cell again)"
    )


def show_invisible(text: str) -> str:
    """``text`` with every invisible character written as its escape (``太源镇\\u200b``), so a
    message shows where it is."""
    return "".join(escaped(ch) if is_invisible(ch) else ch for ch in text)


def escaped(ch: str) -> str:
    """One character as Python writes its escape: ``\\u200b``, ``\\U000e0001`` (never the
    ambiguous ``\\ue0001``)."""
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def without_invisible(text: str) -> str:
    """``text`` with its invisible characters removed (a header is still matched to its
    column while the character in it is reported)."""
    return "".join(ch for ch in text if not is_invisible(ch))
