"""Text that reads cleanly but is not what it shows: invisible characters, wrong encodings.

A zero-width space pasted from a web page makes ``太源镇\u200b`` another name than ``太源镇``
while both look the same; a Big5 file decodes as GBK without an error, every character
turned into another. Both are named here, with the cell or file, so a message never says
「太源镇」 unknown, did you mean 太源镇, and never lists fifty garbled values.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "INVISIBLE",
    "invisible_character",
    "show_invisible",
    "without_invisible",
    "misread_encoding",
    "mojibake",
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


def _invisible(ch: str) -> bool:
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
    found = list(dict.fromkeys(ch for ch in text if _invisible(ch)))
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
    return "".join(f"\\u{ord(ch):04x}" if _invisible(ch) else ch for ch in text)


def without_invisible(text: str) -> str:
    """``text`` with its invisible characters removed (a header is still matched to its
    column while the character in it is reported)."""
    return "".join(ch for ch in text if not _invisible(ch))


#: Below this many non-ASCII characters a file says too little about its encoding.
_ENOUGH = 8
#: The share of GBK-decoded characters outside common Chinese text above which the file is
#: most likely in another encoding (Big5 read as GBK gives kana, Greek and rare characters
#: for about half of its characters; Chinese text in GBK has a few rare ones at most).
_IMPLAUSIBLE_SHARE = 0.3


def _common_gbk(ch: str) -> bool:
    """A character of everyday simplified Chinese text in GBK: a hanzi of GB2312 (its rows
    0xB0–0xF7) or its punctuation, full-width forms and numbered signs (rows 0xA1–0xA3)."""
    try:
        code = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(code) == 2 and (0xB0 <= code[0] <= 0xF7 or 0xA1 <= code[0] <= 0xA3)


def _implausible_share(text: str) -> tuple[float, int]:
    """The share of non-ASCII characters that are not common GBK text, and their count."""
    wide = [ch for ch in text if not ch.isascii() and not ch.isspace()]
    if not wide:
        return 0.0, 0
    rare = sum(1 for ch in wide if not _common_gbk(ch))
    return rare / len(wide), len(wide)


def misread_encoding(data: bytes, text: str) -> str | None:
    """The message for a file that decoded as GBK but is in another encoding, else ``None``.

    ``text`` is ``data`` as read as GBK/GB18030. When a large share of its characters is
    outside everyday Chinese text (kana, Greek, rare characters: what Big5 gives read as
    GBK) and the bytes decode cleanly as Big5 (Windows code page 950) into mostly Chinese
    characters, the file is Big5 (繁体). GBK files with a few rare characters (a name in
    an extension character, € or 𠀾) are far below that share and read as before."""
    share, count = _implausible_share(text)
    if count < _ENOUGH or share < _IMPLAUSIBLE_SHARE:
        return None
    try:
        big5 = data.decode("cp950")
    except UnicodeDecodeError:
        return None  # not Big5: GBK text with many rare characters is not ours to refuse
    wide = [ch for ch in big5 if not ch.isascii() and not ch.isspace()]
    chinese = sum(1 for ch in wide if unicodedata.name(ch, "").startswith(("CJK", "FULLWIDTH")))
    if not wide or chinese / len(wide) < 1 - _IMPLAUSIBLE_SHARE / 2:
        return None
    return (
        "文件的编码看起来是 Big5（繁体），kpibook 只读 UTF-8 或 GBK：按 GBK 读会把每个汉字读成"
        "别的字；请在 Excel 或 WPS 中打开后另存为「CSV UTF-8（逗号分隔）」或 GBK 编码的 CSV "
        f"(the file looks like Big5 (traditional Chinese): read as GBK, {share:.0%} of its "
        "characters come out wrong; save it as CSV UTF-8 or GBK)"
    )


def mojibake(text: str) -> str | None:
    """The message for text whose Chinese was garbled before it reached kpibook (read in a
    Western code page and saved again: ``太源镇`` as ``Ì«Ô´Õò`` or ``å¤ªæº\x90é\x95\x87``),
    else ``None``. Such text decodes without an error; it is known by being mostly Latin-1
    letters that, turned back into bytes, are UTF-8 or GBK Chinese."""
    latin = [ch for ch in text if "\x80" <= ch <= "\xff"]
    wide = [ch for ch in text if not ch.isascii()]
    if len(latin) < _ENOUGH or len(latin) < 0.5 * len(wide):
        return None
    for western in ("latin-1", "cp1252"):
        for chinese in ("utf-8", "gb18030"):
            try:
                meant = text.encode(western).decode(chinese)
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            share, count = _implausible_share(meant)
            if count and share < _IMPLAUSIBLE_SHARE / 3:
                line = next(x for x in text.splitlines() if any("\x80" <= c <= "\xff" for c in x))
                garbled = line[:24]
                fixed = garbled.encode(western).decode(chinese, "replace")
                return (
                    f"文件中的中文是乱码（如「{show_invisible(garbled)}」原是「{fixed}」）：它曾被按"
                    "西文编码打开又保存过；请找回原来的文件，或在 Excel、WPS 中重新输入后另存为"
                    f"「CSV UTF-8（逗号分隔）」 (the Chinese text is garbled, as when a file is "
                    "opened in a Western code page and saved again: use the original file)"
                )
    return None
