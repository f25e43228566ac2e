"""One org, many spellings: 太源 / 太源镇, 城关街道 / 城关街道办事处, 城南镇人民政府 / 城南镇.

Offices write a township's name with or without its kind (镇, 乡, 街道) and with the name of
its office (办事处, 人民政府). :func:`same_org` says whether two spellings (already through
:func:`helpers.importer.layout.normalise_org`) are one org; :func:`match_org` finds the one
known org a spelling stands for, or says it could be several (a problem, never a guess).
Also here: :func:`is_total_label`, the 合计 / 小计 / 全区 rows that are never an indicator
nor an org.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .cells import clean_text

__all__ = [
    "org_parts",
    "same_org",
    "match_org",
    "preferred_spelling",
    "is_total_label",
    "is_subtotal_label",
]

#: (suffix as written, the kind it means), longest first.
_KINDS = (
    ("街道办事处", "街道"),
    ("街道办", "街道"),
    ("办事处", "街道"),
    ("街道", "街道"),
    ("镇", "镇"),
    ("乡", "乡"),
)


def org_parts(name: str) -> tuple[str, str | None]:
    """(base, kind): ``城关街道办事处`` → (城关, 街道); ``太源镇`` → (太源, 镇); ``太源`` → (太源, None)."""
    t = clean_text(name)
    for suffix, kind in _KINDS:
        if t.endswith(suffix) and len(t) > len(suffix):
            return t[: -len(suffix)], kind
    return t, None


def same_org(a: str, b: str) -> bool:
    """Whether two spellings name one org: the same base, and the same kind or one without."""
    if clean_text(a) == clean_text(b):
        return True
    (base_a, kind_a), (base_b, kind_b) = org_parts(a), org_parts(b)
    if not base_a or base_a != base_b:
        return False
    return kind_a is None or kind_b is None or kind_a == kind_b


def match_org(name: str, known: Iterable[str]) -> list[str]:
    """The known orgs ``name`` may stand for: itself alone when written the same, else every
    spelling :func:`same_org` accepts (more than one: ambiguous)."""
    known = list(dict.fromkeys(known))
    if name in known:
        return [name]
    return [k for k in known if same_org(name, k)]


def preferred_spelling(names: Iterable[str]) -> str:
    """The spelling to keep among spellings of one org: one that says its kind, and of those
    the plain ``base+kind`` form (城关街道 over 城关街道办事处); else the first."""
    names = list(dict.fromkeys(names))
    with_kind = [n for n in names if org_parts(n)[1] is not None]
    for n in with_kind:
        base, kind = org_parts(n)
        if n == f"{base}{kind}":
            return n
    return with_kind[0] if with_kind else names[0]


_TOTAL_WORDS = r"(?:合计|总计|小计|共计|汇总|平均)"
_WHOLE = r"(?:全区|全县|全市|全镇|全乡|全街道|全办)"
#: A label ending in a total word, whatever names the part summed before it (东片小计, 城区合计,
#: 一片区小计, 乡镇合计, 全区合计数), or the whole place alone (全区, 全镇).
_TOTAL = re.compile(rf"^(?:.*?{_TOTAL_WORDS}|{_WHOLE})数?$")
_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）][、.．]?|\d{1,2}[、.．](?!\d))"
)


def _forms(text: str) -> list[str]:
    """A label as read: brackets dropped (``(合计)`` → 合计), bracketed parts dropped
    (``合计(万元)`` → 合计), numbering dropped."""
    t = clean_text(text)
    t = _NUMBERING.sub("", t)
    return [
        re.sub(r"[()（）\[\]【】<>《》〈〉「」『』]", "", t),
        re.sub(r"[(（\[【][^()（）\[\]【】]*[)）\]】]", "", t),
        t.strip(":：*"),
    ]


def is_total_label(text: str) -> bool:
    """True for 合计 / 小计 / 总计 / 共计 / 汇总 / 平均 rows and 全区 / 全镇 alone, also ``合  计``,
    ``(合计)``, ``全镇合计``, and a part's total (``东片小计``, ``城区合计``, ``一片区小计``):
    the sum of other rows, never an indicator nor an org. The one rule for township and
    district sheets alike. ``全镇财政总收入`` and ``合计收入`` are not one (the word must end
    the label)."""
    return any(f and _TOTAL.match(f) for f in _forms(text))


_WHOLE_SUM = re.compile(
    rf"^(?:(?:{_WHOLE}|本镇|本乡|本区|本县|区|县|镇|乡|各乡镇|乡镇|各镇|总)?(?:合计|总计|共计|汇总)"
    rf"|{_WHOLE})数?$"
)


def is_subtotal_label(text: str) -> bool:
    """True for a total row that is not the whole's sum: a 小计, a named part's total
    (``东片合计``, ``城区合计``), an average (``全区平均``). Such a row is skipped and listed;
    only the whole's (合计, 全区合计, 乡镇合计) is checked against the sum of the rows."""
    return is_total_label(text) and not any(f and _WHOLE_SUM.match(f) for f in _forms(text))
