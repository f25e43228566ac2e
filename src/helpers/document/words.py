"""The report's words in two languages, and Chinese punctuation.

Chinese text is written with full-width punctuation (，；：！？（）): :func:`zh_punctuation`
is the one rule, applied to every Chinese text a report shows — the document model applies
it to each block of a Chinese :class:`~helpers.document.model.Document`, and a
:class:`Catalogue` to each Chinese text it gives out (chart labels, district sections). A mark
between two digits (``6,035``, ``8:30``) or between two Latin letters or digits (``GDP, CPI``,
``http://``) stays half-width: only a mark touching a Chinese character changes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..data.periods import Period, is_full_year

__all__ = ["Catalogue", "is_zh", "zh_punctuation", "year_end", "YEAR_SUFFIX"]

#: A catalogue key's year-end form: ``title`` → ``title_year`` (see :func:`year_end`).
YEAR_SUFFIX = "_year"


def year_end(period: Period | str | None) -> bool:
    """Whether a report of ``period`` is the year-end (全年/年度) summary: its figures run to
    December, the whole year has passed, nothing is measured against 序时进度 (time
    elapsed), and every catalogue text that has a year-end form (``key_year``) uses it —
    完成全年任务 for 达序时, 工作总结 for 工作进度报告. The one home of the period's words;
    the statuses follow the same rule (:func:`helpers.metrics.status.judged_on_time`)."""
    return period is not None and str(period) != "" and is_full_year(period)


_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_CJK = re.compile(r"[‘-‟⺀-鿿\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]")
_ANY = re.compile(r"[,;:!?()]")
_MARK = re.compile(r" ?([,;:!?]) ?")


def _cjk(ch: str) -> bool:
    return bool(ch) and _CJK.match(ch) is not None


def is_zh(lang: str) -> bool:
    """Whether ``lang`` is written in Chinese (everything but ``en``)."""
    return lang != "en"


def _latin(ch: str) -> bool:
    return bool(ch) and ch.isascii() and ch.isalnum()


def zh_punctuation(text: str, before: str = "", after: str = "", *, english: bool = False) -> str:
    """``text`` with the punctuation that touches Chinese made full-width.

    ``,;:!?`` become ``，；：！？`` when the character before or after them (spaces skipped)
    is Chinese or full-width, unless both are digits; spaces around them go. A pair of
    parentheses becomes ``（）`` when it holds a Chinese character or touches one. ``before``
    and ``after`` are the characters around ``text`` (the neighbouring runs of a paragraph).

    ``english``: the text is an English document's, where only Chinese text (a note or a
    project quoted as the data gives it) is Chinese-punctuated: a mark changes only inside a
    Chinese run (one side Chinese, the other not a Latin letter or digit: ``完善,项目`` and
    ``66.7%,低于`` but not ``Town, 兴寺镇``), a pair of parentheses only when it follows
    Chinese (``安置房(32栋)``, not ``Taiyuan (太源镇)``).
    """
    if not text or _ANY.search(text) is None:
        return text
    text = _parentheses(text, before, after, english)

    def mark(m: re.Match[str]) -> str:
        start, end = m.start(), m.end()
        left = text[start - 1] if start else before[-1:]
        right = text[end] if end < len(text) else after[:1]
        if english:
            chinese = (_cjk(left) and not _latin(right)) or (_cjk(right) and not _latin(left))
            return _FULL[m.group(1)] if chinese and " " not in m.group(0) else m.group(0)
        if (_cjk(left) or _cjk(right)) and not (left.isdigit() and right.isdigit()):
            return _FULL[m.group(1)]
        return m.group(0)

    return _MARK.sub(mark, text)


def _parentheses(text: str, before: str, after: str, english: bool = False) -> str:
    chars = list(text)
    stack: list[int] = []
    for i, ch in enumerate(chars):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            left = chars[j - 1] if j else before[-1:]
            right = chars[i + 1] if i + 1 < len(chars) else after[:1]
            inner = chars[j + 1 : i]
            if english:
                if _cjk(left):
                    chars[j], chars[i] = "（", "）"
            elif _cjk(left) or _cjk(right) or any(_cjk(c) for c in inner):
                chars[j], chars[i] = "（", "）"
    return "".join(chars)


class Catalogue:
    """Texts by key in Chinese and English: ``words(lang, key, **fields)``.

    A Chinese text comes out with :func:`zh_punctuation` applied after the fields are filled
    in, so the catalogue and the data it quotes follow one rule. A value that is not a string
    (a tuple of column headers) is given as it is, each string in it punctuated.
    """

    def __init__(self, zh: Mapping[str, Any], en: Mapping[str, Any]) -> None:
        missing = set(zh) ^ set(en)
        missing |= {k for k in zh if k.endswith(YEAR_SUFFIX) and k[: -len(YEAR_SUFFIX)] not in zh}
        if missing:
            raise ValueError(f"keys in one language only: {sorted(missing)}")
        self._texts = {"zh": dict(zh), "en": dict(en)}

    def __call__(self, lang: str, key: str, *, at: Any = None, **fields: Any) -> Any:
        """The text ``key`` in ``lang``, its fields filled in; ``at`` is the report's period:
        at the year's end (:func:`year_end`) the key's year-end form when it has one."""
        zh = is_zh(lang)
        texts = self._texts["zh" if zh else "en"]
        if at is not None and year_end(at) and key + YEAR_SUFFIX in texts:
            key += YEAR_SUFFIX
        value = texts[key]
        if isinstance(value, str):
            text = value.format(**fields) if fields else value
            return zh_punctuation(text) if zh else text
        if isinstance(value, tuple) and zh:
            return tuple(zh_punctuation(v) if isinstance(v, str) else v for v in value)
        return value
