"""Text that reads cleanly but is not what it shows: invisible characters, wrong encodings;
and the key two spellings of one name share.

A zero-width space pasted from a web page makes ``太源镇\u200b`` another name than ``太源镇``
while both look the same; a Big5 file decodes as GBK without an error, every character
turned into another. Both are named here, with the cell or file, so a message never says
「太源镇」 unknown, did you mean 太源镇, and never lists fifty garbled values. Which characters
are invisible is :mod:`helpers.base.invisible`'s rule, re-exported here.
"""

from __future__ import annotations

import unicodedata

from ..base.invisible import (
    INVISIBLE,
    invisible_character,
    is_invisible,
    show_invisible,
    without_invisible,
)

__all__ = [
    "INVISIBLE",
    "is_invisible",
    "invisible_character",
    "show_invisible",
    "without_invisible",
    "misread_encoding",
    "mojibake",
    "name_key",
]

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


def name_key(name: str) -> str:
    """What two spellings of one name share: full-width folded to half-width (NFKC), case
    and every space removed (``ＡＢ镇``, ``AB 镇`` and ``ab镇`` are one key)."""
    return "".join(unicodedata.normalize("NFKC", str(name)).casefold().split())
