"""The report notebook's sections: each call returns a :class:`~helpers.document.model.Document`.

``notebooks/report.ipynb`` stays thin: it loads a :class:`Report` and calls one method per
section. Everything a section says comes from the figures (``metrics``), drafted sentences
(``narrative``), charts (``charts``) and tables (``tables``); the section puts them in a
document (headings, paragraphs, figures, tables), which the notebook shows as HTML and keeps
as JSON, so the HTML, PDF and Word files all say the same thing.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..data.dataset import Dataset, default_data, load_dataset
from ..data.periods import parse_period, period_label, plans_word
from ..data.schema import CHOICES, TABLES
from ..document import charts, narrative, tables
from ..document.html import figure, markdown_blocks
from ..document.model import Block, BulletList, Document, Heading, Paragraph, Run
from ..document.words import year_end
from ..document.xlsx import progress_xlsx
from ..metrics.district import HEADLINE_SECTORS
from ..metrics.progress import headline, progress_table
from ..metrics.status import StatusKey, Thresholds
from .parameters import check_parameters
from .titles import plain_text, report_title, title_word

__all__ = [
    "Report",
    "sub_number",
    "with_sector_en",
    "report_extras",
    "sector_note",
    "note_items",
    "note_blocks",
]

_ORDINALS = "一二三四五六七八九十"
_NOTE_SECTIONS = {
    "highlights": ("工作亮点", "Highlights"),
    "problems": ("存在的问题", "Problems"),
    "plans": ("{plans}工作打算", "Plans for {plans}"),
}


def sub_number(section: int, i: int, lang: str = "zh") -> str:
    """The number of the ``i``-th sub-section of section ``section``: （一）（二）… in Chinese,
    2.1, 2.2 … in English (a plain 1., 2. would collide with the sections' own numbers)."""
    return f"（{_ORDINALS[(i - 1) % 10]}）" if lang != "en" else f"{section}.{i} "


#: A line that starts a numbered item the way offices number them: 1、 1． 1） （1） (1) ①
#: 一、 （一）. ``1. `` and ``1) `` followed by a space are Markdown's own list items.
_ITEM = re.compile(
    r"^\s*(?:\d{1,3}\s*[、．）]|\d{1,3}[.)](?!\s|$)|[（(]\s*[\d一二三四五六七八九十]{1,3}\s*[)）]"
    r"|[\u2460-\u2473\u2776-\u277f]|[一二三四五六七八九十]{1,3}\s*、)"
)


def note_items(text: str) -> list[str]:
    """A notes cell cut into its numbered items: ``1、甲\n2、乙\n3、丙`` is three items (a
    lead line before the first number is one more); an item's further lines stay with it."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")
    starts = [i for i, line in enumerate(lines) if _ITEM.match(line)]
    cuts = sorted({0, *starts, len(lines)})
    items = ["\n".join(lines[a:b]).strip() for a, b in zip(cuts, cuts[1:])]
    return [item for item in items if item]


def note_blocks(text: str) -> list[Paragraph | BulletList]:
    """A notes cell as blocks (Markdown: paragraphs, lists, bold), each numbered item its own
    paragraph, as if each had been written in its own row: in the notebook, the HTML, the PDF
    and the Word draft alike (each with the body's first-line indent)."""
    return [b for item in note_items(text) for b in markdown_blocks(item)]


_LEAD = re.compile(r"^\s*\*\*(.+?)\*\*")
_HEADING_END = "。．.；;：:，,"


def sector_note(texts: list[str]) -> tuple[str, list[Paragraph | BulletList]]:
    """A sector's notes as its heading judgement and its prose: the first note's ``**…**``
    lead, else its first line, is the judgement (工业发展后劲十足, its closing 。 dropped); the
    rest of it and every further note are the prose, each line break kept."""
    if not texts:
        return "", []
    first, rest = texts[0].strip(), texts[1:]
    lead = _LEAD.match(first)
    if lead:
        judgement, remainder = lead.group(1), first[lead.end() :]
    else:
        judgement, _, remainder = first.partition("\n")
    prose: list[Paragraph | BulletList] = []
    for text in [remainder, *rest]:
        if text.strip():
            prose += note_blocks(text)
    return plain_text(judgement).rstrip(_HEADING_END), prose


def with_sector_en(table: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """``table`` (a progress table) with each row's ``sector_en`` from the indicators table
    (blank where the data gives none): what English sector headings are named by."""
    if "indicator" not in table or "sector_en" not in indicators:
        return table
    english = indicators.set_index("indicator", drop=False)["sector_en"]
    return table.assign(sector_en=table["indicator"].map(english.to_dict()))


def report_extras(
    data: str | Path, org: str, period: str, lang: str = "zh", decimals: int = 1
) -> tuple[bytes, dict[str, Any]]:
    """What a report adds beside its pages: the 完成情况表 workbook and the headline figures
    that the index and the manifest show (counts by status, 双过半), judged as the report
    with these ``decimals`` judges them."""
    ds = load_dataset(data)
    table = progress_table(ds, period, org, thresholds=judged_at(decimals))
    named = with_sector_en(table, ds.indicators)
    xlsx = progress_xlsx(named, lang=lang, decimals=decimals, org_name=ds.org_name(org, lang))
    return xlsx, headline(table)


def judged_at(decimals: int) -> Thresholds:
    """The default status boundaries, judged at the precision the report shows."""
    return Thresholds(precision=int(decimals))


@dataclass
class Report:
    """One org's report for one period, section by section."""

    ds: Dataset
    org: str
    period: str
    lang: str = "zh"
    decimals: int = 1
    table: pd.DataFrame = field(default_factory=pd.DataFrame)

    @classmethod
    def load(
        cls,
        data: str | Path = "",
        org: str = "",
        period: str = "",
        *,
        lang: str = "zh",
        decimals: int = 1,
        share: Any = False,
        out: Any = "",
    ) -> Report:
        """Check every parameter (:func:`~helpers.sections.parameters.check_parameters`:
        ``share`` and ``out`` too, so a bad one stops the notebook before its first section),
        load the data set (default: the sample), pick the org and period (default: first,
        latest)."""
        p = check_parameters(
            data,
            org or "",
            period,
            lang=lang,
            decimals=decimals,
            share=share,
            out=out,
            default=default_data(),
        )
        all_orgs = progress_table(p.ds, p.period, thresholds=judged_at(p.decimals))
        table = all_orgs[all_orgs["org"] == p.org].reset_index(drop=True)
        return cls(
            p.ds, p.org, p.period, p.lang, p.decimals, with_sector_en(table, p.ds.indicators)
        )

    # -- helpers ----------------------------------------------------------------------------
    @property
    def zh(self) -> bool:
        return self.lang != "en"

    @property
    def title_text(self) -> str:
        word = title_word(self._own_notes, self.org, self.period)
        name = self.ds.org_name(self.org, self.lang)
        plans = not self._notes("plans").empty
        return report_title(name, self.period, self.lang, word, plans=plans)

    def _sectors(self) -> list[str]:
        """The sectors in the indicators' order (where each sector first appears): those with
        figures for this org and period, and those with a sector note only."""
        shown = set(self.table["sector"])
        noted = set(self._own_notes["section"])
        every = dict.fromkeys(self.ds.indicators.sort_values("order")["sector"])
        return [s for s in every if s in shown or s in noted]

    def _sector_name(self, sector: str) -> str:
        """A sector as this report names it (English: the data's sector_en, else the usual
        name, else the Chinese)."""
        english = tables.english_sectors(self.ds.indicators).get(str(sector))
        return tables.sector_name(sector, self.lang, english)

    def _named(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with its sectors named as the report names them, for the charts."""
        return tables.named_sectors(frame, self.lang, self.ds.indicators)

    def _headline_sector(self) -> str | None:
        sectors = self._sectors()
        return next((s for s in sectors if str(s).strip().lower() in HEADLINE_SECTORS), None)

    def _heading(self, number: int | None, zh: str, en: str, level: int = 2) -> Heading:
        text = zh if self.zh else en
        if number is None:
            return Heading(text, level)
        return Heading(text, level, f"{_ORDINALS[number - 1]}、" if self.zh else f"{number}. ")

    def _doc(self, *blocks: Block) -> Document:
        return Document(list(blocks), self.lang)

    def _empty(self, section: str, fill: str) -> Document:
        """A section with nothing to say: left out of the report; the notebook says what to fill."""
        hint = f"「{section}」没有内容，报告里不出现这一节。要写这一节，{fill}。"
        return Document([], self.lang, hint=hint)

    @functools.cached_property
    def _projects(self) -> pd.DataFrame:
        """This org's projects of this period, picked out of the district's once."""
        p = self.ds.projects
        return p[(p["org"] == self.org) & (p["period"] == self.period)]

    @functools.cached_property
    def _own_notes(self) -> pd.DataFrame:
        """This org's notes of this period, picked out of the district's once."""
        n = self.ds.notes
        return n[(n["org"] == self.org) & (n["period"] == self.period)]

    def _notes(self, section: str) -> pd.DataFrame:
        n = self._own_notes
        return n[n["section"] == section]

    def _sub_sectors(self) -> list[str]:
        """The sectors of 分领域完成情况: every sector but the headline one (综合), which the
        overview tells."""
        headline = self._headline_sector()
        return [s for s in self._sectors() if s != headline]

    def _numbers(self) -> dict[str, int]:
        """Section numbers, skipping sections that have nothing to show."""
        present = ["overview", *(["sectors"] if self._sub_sectors() else [])]
        if not self._projects.empty:
            present.append("projects")
        present += [s for s in _NOTE_SECTIONS if not self._notes(s).empty]
        return {name: i + 1 for i, name in enumerate(present)}

    # -- sections ---------------------------------------------------------------------------
    def title(self) -> Document:
        """The report's title and the line saying what it covers."""
        p = parse_period(self.period)
        parts = [
            f"数据截至{p.year}年{p.end_month}月底",
            f"序时进度{p.end_month}/12 = {narrative.percent(p.time_progress, 0)}",
        ]
        if not self.zh:
            parts = [
                f"figures to the end of {period_label(self.period, 'en')}",
                f"time progress {narrative.percent(p.time_progress, 0)}",
            ]
        if year_end(self.period):  # the whole year has passed: no 序时进度 (100%) to give
            parts = parts[:1]
        district = self.ds.district_name(self.lang, default="")  # none given: left out
        sub = " · ".join([district, *parts] if district else parts)
        doc = self._doc(Heading(self.title_text, 1), Paragraph.of(sub, "subtitle"))
        doc.title = self.title_text
        return doc

    def overview(self) -> Document:
        """总体情况: the headline paragraph, the pace summary and the overview charts."""
        sector = self._headline_sector()
        rows = (
            self.table[self.table["sector"] == sector]
            if sector
            else self.table.sort_values("order").groupby("sector", sort=False).head(1)
        )
        blocks: list[Block] = [
            self._heading(self._numbers()["overview"], "总体情况", "Overview"),
            *self._opening(
                narrative.headline_paragraph(rows, lang=self.lang, decimals=self.decimals)
            ),
        ]
        if sector:  # the headline sector's own note follows its figures
            blocks += [b for t in self._notes(sector)["text"] for b in note_blocks(t)]
        blocks.append(
            Paragraph.of(narrative.pace_summary(self.table, lang=self.lang, decimals=self.decimals))
        )
        if self.table["completion"].notna().any():
            blocks.append(
                figure(
                    charts.completion_dots(self._named(self.table), lang=self.lang),
                    ("各项指标完成全年任务情况" if self.zh else "Annual targets: completion")
                    if year_end(self.period)
                    else (
                        "各项指标完成率与序时进度"
                        if self.zh
                        else "Completion against time progress"
                    ),
                )
            )
        if self.table["yoy"].notna().any():
            blocks.append(
                figure(
                    charts.yoy_bars(self._named(self.table), lang=self.lang),
                    "同比增长" if self.zh else "Year-on-year growth",
                )
            )
        return self._doc(*blocks)

    def _opening(self, figures: str) -> list[Block]:
        """The ``overview`` note (the year, the leadership, the strategy), then the headline
        figures: in Chinese they close the note's last paragraph, as the seed writes them."""
        blocks: list[Block] = [b for t in self._notes("overview")["text"] for b in note_blocks(t)]
        last = blocks[-1] if blocks else None
        text = "".join(r.text for r in last.runs).rstrip() if isinstance(last, Paragraph) else ""
        if figures and isinstance(last, Paragraph) and self.zh:
            blocks[-1] = Paragraph((*last.runs, Run(figures)), last.role)
        elif figures and isinstance(last, Paragraph) and text.endswith((".", "!", "?")):
            # an English note's last sentence, then the figures: "… year. By the end of June: …"
            blocks[-1] = Paragraph((*last.runs, Run(" " + figures)), last.role)
        elif figures:
            blocks.append(Paragraph.of(figures))
        return blocks

    def sectors(self) -> Document:
        """One sub-section per sector: its sentences and its bullet chart."""
        sectors = self._sub_sectors()
        if not sectors:
            return self._no_sectors()
        section = self._numbers()["sectors"]
        blocks: list[Block] = [self._heading(section, "分领域完成情况", "Progress by sector")]
        for i, sector in enumerate(sectors, start=1):
            rows = self.table[self.table["sector"] == sector].sort_values("order")
            number = sub_number(section, i, self.lang)
            judgement, prose = sector_note(list(self._notes(sector)["text"]))
            name = self._sector_name(sector)
            blocks.append(Heading((judgement if self.zh else "") or name, 3, number))
            sentences = narrative.join_sentences(
                (
                    narrative.indicator_sentence(r, lang=self.lang, decimals=self.decimals)
                    for r in rows.to_dict("records")
                ),
                self.lang,
            )
            if sentences:
                blocks.append(Paragraph.of(sentences))
            blocks += prose
            if not rows.empty:
                blocks.append(
                    figure(
                        charts.sector_bullets(self._named(rows), name, lang=self.lang),
                        f"{sector}指标完成情况" if self.zh else f"{name}: completion",
                    )
                )
        return self._doc(*blocks)

    def _no_sectors(self) -> Document:
        """分领域完成情况 with no sector besides the overview's: left out of the report; the
        notebook says why and which column gives indicators their sectors."""
        only = self._headline_sector() or "、".join(map(str, self._sectors())) or "无"
        table = TABLES["indicators"]
        hint = (
            f"「分领域完成情况」没有内容，报告里不出现这一节：全部指标都在「{only}」领域，"
            f"已写在总体情况中。要分领域写，在 {table.name}.csv（或工作簿的「{table.zh}」表）的 "
            "sector（领域）列给各项指标分领域，如 工业、农业、财税。"
        )
        return Document([], self.lang, hint=hint)

    def projects(self) -> Document:
        """重点项目: progress bars and the project table (nothing when there are no projects)."""
        projects = self._projects
        if projects.empty:
            return self._empty(
                "重点项目",
                TABLES["projects"].fill_hint(
                    "year_plan", "year_done", "stage", org=self.org, period=self.period
                ),
            )
        return self._doc(
            self._heading(self._numbers()["projects"], "重点项目", "Key projects"),
            figure(
                charts.project_progress(tables.project_names(projects, self.lang), lang=self.lang),
                "重点项目形象进度" if self.zh else "Key projects: progress",
            ),
            tables.projects_model(projects, lang=self.lang),
        )

    def notes(self, section: str) -> Document:
        """工作亮点 / 存在的问题 / 下半年 (or 2014年, 四季度…) 工作打算 from the notes table
        (Markdown: paragraphs, lists and bold; raw HTML never passed through)."""
        rows = self._notes(section)
        zh, en = _NOTE_SECTIONS[section]
        plans = {"plans": plans_word(self.period, self.lang)}
        if rows.empty:
            word = next(k for k, v in CHOICES["section"].items() if v == section and k != v)
            fill = TABLES["notes"].fill_hint(org=self.org, period=self.period, section=word)
            return self._empty(zh.format_map(plans), fill)
        heading = self._heading(
            self._numbers()[section], zh.format_map(plans), en.format_map(plans)
        )
        blocks: list[Block] = [heading]
        for text in rows["text"]:
            blocks += note_blocks(text)
        return self._doc(*blocks)

    def progress_table(self) -> Document:
        """附表: 主要经济指标完成情况表."""
        p = parse_period(self.period)
        caption = (
            f"{self.ds.org_name(self.org)}{p.year}年1-{p.end_month}月主要经济指标完成情况表"
            if self.zh
            else f"{self.ds.org_name(self.org, 'en')}: main indicators, "
            f"{period_label(self.period, 'en')}"
        )
        return self._doc(
            Heading("附表" if self.zh else "Appendix: indicator table", 2),
            tables.progress_model(self.table, lang=self.lang, caption=caption),
        )

    def data_notes(self) -> Document:
        """数据说明: estimates, indicators with no target, warnings, sources."""
        t = self.table
        items: list[str] = []
        p = parse_period(self.period)
        if year_end(self.period):  # nothing is measured against the time elapsed
            items.append(
                "完成率 = 全年累计完成 ÷ 全年目标。"
                if self.zh
                else "Completion = full-year figure ÷ annual target."
            )
        elif self.zh:
            items.append(
                f"序时进度 = 已过月数 ÷ 12 = {p.end_month}/12 = "
                f"{narrative.percent(p.time_progress, 0)}；"
                "完成率 = 1月至期末累计完成 ÷ 全年目标；"
                "超（欠）序时 = （完成率 − 序时进度） × 100，单位为个百分点。"
            )
        else:
            items.append(
                f"Time progress = months elapsed ÷ 12 = {p.end_month}/12; completion = cumulative "
                "figure ÷ annual target; pace gap = (completion − time progress) × 100, "
                "in percentage points."
            )
        for status, zh, en in (
            ("预计", "为预计数", "are estimates"),
            ("快报", "为快报数", "are preliminary"),
        ):
            names = list(t.loc[t["data_status"] == status, "name"])
            if names:
                items.append(
                    f"{'、'.join(names)}{zh}。" if self.zh else f"{', '.join(names)} {en}."
                )
        none = t[t["status"] == StatusKey.NO_TARGET]
        if len(none):
            names = list(none["name"])
            items.append(
                f"{'、'.join(names)}未设目标（或目标为0），只列完成数，不计算完成率。"
                if self.zh
                else f"{', '.join(names)}: no (or zero) target, figure shown without a ratio."
            )
        for w in self.ds.warnings:
            if w.row is not None:
                items.append(f"数据提示：{w}" if self.zh else f"Data warning: {w}")
        ranked = int(self.table["ranked"].max()) if "ranked" in self.table else 0
        if ranked > 1:
            items.append(
                f"位次：在{len(self.ds.org_list)}个乡镇间按完成率从高到低排（控制类指标数小者在前），"
                "相同者并列，其后位次顺延（如1、2、2、4）。"
                if self.zh
                else f"Ranks: among the {len(self.ds.org_list)} townships by completion (caps: "
                "smallest first), ties shared and the next rank skipped (1, 2, 2, 4)."
            )
        # The files and versions the figures came from are the page's footer and the
        # manifest's, never the body's: leaders read the body.
        return self._doc(
            Heading("数据说明" if self.zh else "About the data", 2),
            BulletList(tuple(Paragraph.of(i) for i in items), role="note"),
        )
