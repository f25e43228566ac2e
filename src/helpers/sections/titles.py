"""Report titles: a township report's and the district report's, from the org, the period and
the notes' ``title`` word.

Apart from the sections because planning a batch names every report before any is made:
:func:`helpers.run.batch.plan_jobs` imports this, not the sections and their charts, so the
batch's parent does not spend half a second importing matplotlib before its first report.
May import what ``helpers.sections`` may, except ``helpers.document.charts``.
"""

from __future__ import annotations

import re

import pandas as pd

from ..data.dataset import Dataset
from ..data.periods import period_label, plans_word
from ..document.html import markdown_blocks
from ..document.model import Paragraph
from ..document.words import Catalogue, year_end

__all__ = ["report_title", "title_word", "title_words", "district_title", "plain_text"]

#: The district report's title, with its year-end form (DOMAIN.md, Period words).
_t = Catalogue(
    {
        "title": "{district}{period}乡镇工作进度汇总报告",
        "title_year": "{district}{period}度乡镇工作总结汇总",
    },
    {
        "title": "{district}: township progress summary, {period}",
        "title_year": "{district}: annual summary of the townships, {period}",
    },
)


def report_title(
    org_name: str, period: str, lang: str = "zh", word: str = "", *, plans: bool = False
) -> str:
    """太源镇2013年上半年工作进度报告; with figures to December the annual summary,
    太源镇2013年工作总结 (English: Taiyuan: progress report, H1 2013 / annual summary, 2013).

    ``word`` is the notes table's ``title`` (Chinese only): it replaces the title word
    (工作总结及打算 → 太源镇2013年上半年工作总结及打算); one that starts with a year
    (2013年上半年工作总结及打算) follows the org name, one that starts with the org name is
    the whole title. At the year's end (:func:`~helpers.document.words.year_end`) the
    default is the annual summary, with next year's plans when the report has them:
    兴寺镇2013年工作总结及2014年工作打算 (DOMAIN.md, Period words)."""
    label = period_label(period, lang)
    full = year_end(period)
    if lang == "en":
        kind = "annual summary" if full else "progress report"
        more = f" and plans for {plans_word(period, 'en')}" if full and plans else ""
        return f"{org_name}: {kind}{more}, {label}"
    word = word.strip()
    if word.startswith(org_name) and word != org_name:
        return word
    if re.match(r"\d{4}年", word):
        return f"{org_name}{word}"
    if not word:
        word = "工作进度报告"
        if full:
            word = "工作总结" + (f"及{plans_word(period)}工作打算" if plans else "")
    return f"{org_name}{label}{word}"


def plain_text(text: str) -> str:
    """A notes text as one line of plain text (Markdown emphasis dropped), for a heading."""
    blocks = markdown_blocks(text)
    return " ".join(
        "".join(r.text for r in b.runs).replace("\n", " ")
        for b in blocks
        if isinstance(b, Paragraph)
    ).strip()


def title_word(notes: pd.DataFrame, org: str, period: str) -> str:
    """The ``title`` note of ``org`` and ``period`` as plain text ("" when there is none)."""
    return title_words(notes[notes["org"] == org], period).get(org, "")


def title_words(notes: pd.DataFrame, period: str) -> dict[str, str]:
    """Every org's :func:`title_word` for ``period`` at once (its first ``title`` note)."""
    rows = notes[(notes["period"] == period) & (notes["section"] == "title")]
    first = rows.drop_duplicates("org")
    return {str(org): plain_text(str(text)) for org, text in zip(first["org"], first["text"])}


def district_title(ds: Dataset, period: str, lang: str = "zh") -> str:
    """示范区2013年上半年乡镇工作进度汇总报告 / 示范区: township progress summary, H1 2013."""
    return _t(lang, "title", at=period).format(
        district=ds.district_name(lang), period=period_label(period, lang)
    )
