"""The district report's sections: every township of a district side by side for one period.

``notebooks/district.ipynb`` stays thin: it loads a :class:`District` and calls one method per
section, each returning a :class:`helpers.document.html.Block`. The figures come from
``helpers.metrics.progress`` (``progress_table`` for all orgs, ``district_totals``, ``behind_pace``),
the sentences from ``helpers.document.narrative``, the charts from ``helpers.document.charts`` and the totals
table from ``helpers.document.tables``; this module only arranges them and adds the two district
tables (ranks, and who is behind). Town names come from data: every string is escaped.

The rank table has the towns as rows and the indicators as columns (split at sector
boundaries into tables of at most :data:`RANK_COLUMNS` indicators so it fits A4): competition
ranks, ties as ``并列2``, the change against the previous period as ``↑2`` / ``↓1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from ..base.markup import escape
from ..base.missing import is_missing
from ..base.resources import data_dir
from ..data.dataset import Dataset
from ..data.numbers import format_number, format_signed, round_half_up
from ..data.periods import parse_period, period_label
from ..document import charts, narrative, tables
from ..document.html import Block, document_html, figure_html
from ..document.model import Document
from ..document.palette import STATUS_COLORS, STATUS_TINTS
from ..document.words import Catalogue
from ..metrics.district import (
    HEADLINE_SECTORS,
    behind_frame,
    on_pace_counts,
    spread_indicators,
)
from ..metrics.progress import annual_flows, district_totals, progress_table
from ..metrics.status import (
    ON_PACE,
    SHORTFALL,
    UNJUDGED,
    StatusKey,
    rank_text,
    status_label,
)
from .parameters import check_parameters
from .report import with_sector_en
from .titles import district_title

__all__ = [
    "District",
    "change_text",
    "indicator_chunks",
    "RANK_COLUMNS",
    "DISTRICT_CSS",
    "TOTALS_CSS",
]

#: The shipped district data set: what ``District.load()`` reads when no data set is given.
#: At most this many indicator columns per rank table (so a table fits A4 portrait).
RANK_COLUMNS = 12
#: Above this many townships the status matrix and the rank charts show the worst and the
#: best :data:`SUMMARY_EACH` (hundreds of rows are unreadable on a page or a phone), with a
#: count of every township's statuses by sector; the rank tables keep every township.
SUMMARY_ABOVE = 40
SUMMARY_EACH = 15
#: Statuses that count as on pace (达到或超过序时进度, or within the cap).
#: Statuses of the behind list, worst first (the order of :func:`behind_frame`'s groups).
_ORDINALS = "一二三四五六七八九十"
_SECTIONS = ("totals", "ranking", "matrix", "behind", "spread")

DISTRICT_CSS = (
    ".kb-rank{border-collapse:collapse;font-size:11.5px;line-height:1.3;margin:.4em 0 1em}"
    ".kb-rank caption{font-weight:bold;text-align:left;padding:.2em 0 .4em}"
    ".kb-rank th,.kb-rank td{border:1px solid #b8b8b8;padding:2px 3px;text-align:center;"
    "vertical-align:middle}"
    ".kb-rank thead th{background:#f0f0f0;font-weight:bold}"
    ".kb-rank thead th.kb-ind{font-weight:normal;width:3.3em;min-width:3.3em;max-width:3.6em;"
    "word-break:break-all;vertical-align:bottom;font-size:11px}"
    ".kb-rank th.kb-town{text-align:left;white-space:nowrap;font-weight:normal}"
    ".kb-rank td{white-space:nowrap;font-variant-numeric:tabular-nums}"
    ".kb-rank td.kb-first{font-weight:bold}"
    ".kb-rank .kb-up{color:#1b7a43}.kb-rank .kb-down{color:#c0302b}"
    ".kb-rank small{display:block;font-size:10px;line-height:1.1}"
    ".kb-foot{font-size:11px;color:#666;line-height:1.5;margin:-.4em 0 1em}"
    ".kb-behind tfoot td{border:none;text-align:left;font-size:11px;color:#666;"
    "white-space:normal;padding:1px 0}"
    ".kb-behind{border-collapse:collapse;font-size:12.5px;line-height:1.45;margin:.4em 0 1em;width:100%}"
    ".kb-behind caption{font-weight:bold;text-align:left;padding:.2em 0 .4em}"
    ".kb-behind th,.kb-behind td{border:1px solid #b8b8b8;padding:3px 6px;vertical-align:top;text-align:left}"
    ".kb-behind thead th{background:#f0f0f0;white-space:nowrap}"
    ".kb-behind td.kb-num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
    ".kb-behind .kb-group{display:block;padding-left:.5em;margin:1px 0}"
    ".kb-behind .kb-label{font-weight:bold}"
    ".kb-rank tr,.kb-behind tr{break-inside:avoid;page-break-inside:avoid}"
    + "".join(
        f".kb-behind .kb-group-{k}{{box-shadow:inset 4px 0 0 {STATUS_COLORS[k]};"
        f"background:{STATUS_TINTS[k]}}}"
        for k in SHORTFALL
    )
)

#: The totals table has no period-target columns but a 备注 column: set a little tighter so
#: it fits the A4 text width (190 mm) without scrolling.
TOTALS_CSS = (
    ".kb-totals .kpi-table{font-size:12px}"
    ".kb-totals .kpi-table th,.kb-totals .kpi-table td{padding:3px 4px}"
    ".kb-totals .kpi-table td.kpi-note{min-width:4.5em;font-size:11px}"
)

_TEXT: dict[str, dict[str, str | tuple[str, ...]]] = {
    "zh": {
        "subtitle": "{n}个乡镇（街道） · 数据截至{year}年{month}月底 · 序时进度{month}/12 = {pace}",
        "subtitle_year": "{n}个乡镇（街道） · 数据截至{year}年{month}月底",
        "behind_year": "未完成全年任务的指标",
        "behind_none_year": "各乡镇有目标的指标均完成全年任务或达到目标，没有超出控制数的指标。",
        "behind_intro_year": "{k}项指标有乡镇未完成全年任务或超出控制数，共{rows}项次；"
        "按全区差距从大到小排列，乡镇按差距从大到小排列。",
        "behind_caption_year": "未完成全年任务或超出控制数的指标及乡镇",
        "behind_foot_year": "全区栏为各乡镇合计的完成率与全年任务（100%）之差（个百分点），"
        "比率类指标为实际值与目标之差；乡镇括号内为完成全年任务的比例"
        "（比率类为实际值与目标），控制类指标列实际数/控制数。",
        "of_target_year": "完成{pct}",
        "towns_best_year": "从乡镇看，有目标的指标完成全年任务或达到目标最多的是{best}，最少的是{worst}。",
        "towns_all_year": "{town}（{judged}项全部完成）",
        "towns_same_all_year": "{towns}（均为{judged}项全部完成）",
        "rank_pace_year": "完成全年任务",
        "rank_pace_foot_year": "完成全年任务 = 完成全年任务或达到目标（含控制在控制数以内）的指标数 / 有目标的指标数。",
        "spread_intro_year": "下图按完成率排列各乡镇（位次在前，并列者标“并列”），竖线为全年目标（100%）。",
        "note_pace_year": "完成率 = 全年累计完成 ÷ 全年目标。",
        "dots_caption": "全区各项指标完成率与序时进度",
        "dots_caption_year": "全区各项指标完成全年任务情况",
        "unreported": "未报送：{names}（{k}个乡镇，本期无任何数据，未列入汇总和排名）",
        "totals": "全区总体情况",
        "ranking": "各乡镇指标排名",
        "matrix": "各乡镇完成状态一览",
        "behind": "滞后及未达目标的指标",
        "spread": "主要指标的乡镇分布",
        "notes": "数据说明",
        "totals_intro": "{district}{n}个乡镇（街道）",
        "pace_count": "全区合计中，按序时进度考核的{timed}项指标有{on}项达到或超过序时进度",
        "pace_none": "全区合计中，按序时进度考核的{timed}项指标均低于序时进度",
        "pace_all": "全区合计中，按序时进度考核的{timed}项指标均达到或超过序时进度",
        "pace_alone": "，其余{alone}项存量和控制类指标有{met}项达到目标或控制在控制数以内",
        "pace_alone_all": "，其余{alone}项存量和控制类指标均达到目标或控制在控制数以内",
        "pace_alone_none": "，其余{alone}项存量和控制类指标均未达标",
        "pace_worst": "；低于序时进度最多的是{items}",
        "pace_worst_item": "{name}（{gap}个百分点）",
        "pace_over": "；超出控制数的有{items}",
        "pace_more": "。各指标滞后的乡镇见第四部分。",
        "pace_count_year": "全区合计中，按全年任务考核的{timed}项指标有{on}项完成全年任务",
        "pace_none_year": "全区合计中，按全年任务考核的{timed}项指标均未完成全年任务",
        "pace_all_year": "全区合计中，按全年任务考核的{timed}项指标均完成全年任务",
        "pace_worst_year": "；差距最大的是{items}",
        "pace_worst_item_year": "{name}（完成全年任务的{share}）",
        "pace_more_year": "。各指标未完成全年任务的乡镇见第四部分。",
        "towns_best": "从乡镇看，有目标的指标达到序时进度或目标最多的是{best}，最少的是{worst}。",
        "towns_item": "{town}（{judged}项中{on}项）",
        "towns_all": "{town}（{judged}项全部达到）",
        "towns_same": "{towns}（均为{judged}项中{on}项）",
        "towns_same_all": "{towns}（均为{judged}项全部达到）",
        "totals_caption": "{district}{when}主要经济指标完成情况表（各乡镇合计）",
        "coverage": "{k}/{n}个乡镇有目标",
        "yoy_coverage": "同比按有上年数的{k}个乡镇计",
        "rank_caption": "各乡镇指标位次（{part}）",
        "rank_town": "乡镇",
        "rank_pace": "达序时",
        "rank_foot": "位次按各乡镇完成率从高到低排（控制类指标数小者在前），相同者并列，其后位次顺延（1、2、2、4）；"
        "— 为未设目标或无数据，不参加排名。",
        "rank_change": "↑/↓ 为较上期（{previous}）位次升降名数，空白为位次不变或上期未排名。",
        "rank_pace_foot": "达序时 = 达到或超过序时进度（含控制在目标内）的指标数 / 有目标的指标数。",
        "behind_none": "各乡镇有目标的指标均达到序时进度或目标，没有超出控制数的指标。",
        "behind_intro": "{k}项指标有乡镇滞后于序时进度、未达目标或超出控制数，共{rows}项次；"
        "按全区差距从大到小排列，乡镇按差距从大到小排列。",
        "behind_head": ("指标", "全区", "乡镇数", "乡镇及差距（个百分点）"),
        "behind_caption": "滞后于序时进度、未达目标或超出控制数的指标及乡镇",
        "behind_foot": "全区栏为各乡镇合计的完成率与序时进度之差（个百分点），"
        "存量类指标为完成率与目标（100%）之差，比率类指标为实际值与目标之差；"
        "滞后乡镇括号内为与序时进度的差距（个百分点），未达目标乡镇括号内为占目标的比例"
        "（比率类为实际值与目标），控制类指标列实际数/控制数。",
        "of_target": "占目标{pct}",
        "rate_vs": "{actual}，目标{target}",
        "sep": "、",
        "colon": "：",
        "semi": "；",
        "spread_intro": "下图按完成率排列各乡镇（位次在前，并列者标“并列”），竖虚线为序时进度，实线为目标。",
        "ends_matrix": "共{n}个乡镇，图中为达序时比例最高的{k}个和最低的{k}个（上为最高）；"
        "全部乡镇的状态按领域计数如下表，各乡镇的位次见“各乡镇指标排名”。",
        "ends_rank": "共{n}个乡镇，每图为位次最前的{k}个和最后的{k}个；全部位次见“各乡镇指标排名”。",
        "count_caption": "全部{n}个乡镇各领域指标的状态计数（乡镇 × 指标）",
        "count_sector": "领域",
        "count_all": "合计",
        "note_pace": "序时进度 = 已过月数 ÷ 12 = {month}/12 = {pace}；完成率 = 1月至期末累计完成 ÷ 全年目标；"
        "超（欠）序时 = （完成率 − 序时进度） × 100，单位为个百分点。",
        "note_totals": "全区合计：各指标只合计同时有完成数和全年目标的乡镇，与其目标之和相比；"
        "比率类指标（{names}）不能相加，未列入全区合计，见排名与状态表。",
        "note_totals_all": "全区合计：各指标只合计同时有完成数和全年目标的乡镇，与其目标之和相比。",
        "note_rank": "排名：在本数据集的{n}个乡镇间排位次，完成率相同为并列，其后位次顺延（如1、2、2、4）；"
        "控制类指标按实际数从小到大排；"
        "未设目标的乡镇不参加该指标排名。",
        "note_estimate": "预计数：{items}。",
        "note_no_target": "未设目标（或目标为0），只列完成数：{items}。",
        "note_warning": "数据提示：{w}",
    },
    "en": {
        "subtitle": "{n} townships · figures to the end of {period} · time progress {pace}",
        "subtitle_year": "{n} townships · figures to the end of {period}",
        "behind_year": "Indicators short of the annual target",
        "behind_none_year": "Every township met every annual target it has; no cap exceeded.",
        "behind_intro_year": "{k} indicators have townships short of the annual target or over "
        "the cap ({rows} in all); worst first.",
        "behind_caption_year": "Indicators short of the annual target or over the cap, and the "
        "townships",
        "behind_foot_year": "District: completion of the summed figures minus 100% (pp); rates: "
        "actual minus target. Townships: share of the annual target done (rates: actual and "
        "target); caps: figure / cap.",
        "of_target_year": "{pct} done",
        "towns_best_year": "Most annual targets met: {best}; fewest: {worst}.",
        "towns_all_year": "{town} (all {judged})",
        "towns_same_all_year": "{towns} (all {judged} each)",
        "rank_pace_year": "Annual target met",
        "rank_pace_foot_year": "Annual target met = indicators that met the annual target (or "
        "stayed within the cap) / indicators with a target.",
        "spread_intro_year": "Townships ordered by completion (rank first, ties marked =); "
        "solid line: the annual target (100%).",
        "note_pace_year": "Completion = full-year figure ÷ annual target.",
        "dots_caption": "District completion against time progress",
        "dots_caption_year": "District: annual targets, completion",
        "unreported": "Not reported: {names} ({k} townships with no figure for the period, "
        "left out of the totals and ranks)",
        "totals": "The district as a whole",
        "ranking": "Townships ranked per indicator",
        "matrix": "Status by township",
        "behind": "Indicators behind pace or below target",
        "spread": "How the townships spread",
        "notes": "About the data",
        "totals_intro": "{district}: the {n} townships' figures summed, against the sum of their targets.",
        "pace_count": "Of the {timed} district totals judged against time progress, {on} are on "
        "or ahead of pace",
        "pace_none": "All {timed} district totals judged against time progress are behind it",
        "pace_all": "All {timed} district totals judged against time progress are on or ahead "
        "of pace",
        "pace_alone": "; of the other {alone} (stocks and caps), {met} meet their target or cap",
        "pace_alone_all": "; the other {alone} (stocks and caps) all meet their target or cap",
        "pace_alone_none": "; none of the other {alone} (stocks and caps) meets its target or cap",
        "pace_worst": "; furthest behind: {items}",
        "pace_worst_item": "{name} ({gap} pp behind)",
        "pace_over": "; over the cap: {items}",
        "pace_more": ". Section 4 names the townships behind on each.",
        "pace_count_year": "Of the {timed} district totals judged against the annual target, "
        "{on} met it",
        "pace_none_year": "None of the {timed} district totals judged against the annual target "
        "met it",
        "pace_all_year": "All {timed} district totals judged against the annual target met it",
        "pace_worst_year": "; furthest short: {items}",
        "pace_worst_item_year": "{name} ({share} of the annual target)",
        "pace_more_year": ". Section 4 names the townships short of it on each.",
        "towns_best": "Most indicators on pace or on target: {best}; fewest: {worst}.",
        "towns_item": "{town} ({on} of {judged})",
        "towns_all": "{town} (all {judged})",
        "towns_same": "{towns} ({on} of {judged} each)",
        "towns_same_all": "{towns} (all {judged} each)",
        "totals_caption": "{district}: main indicators{when} (sum of the townships)",
        "coverage": "{k}/{n} with a target",
        "yoy_coverage": "growth over the {k} with last year's figure",
        "rank_caption": "Rank of each township ({part})",
        "rank_town": "Township",
        "rank_pace": "On pace",
        "rank_foot": "Competition ranks among the townships (higher completion first; caps: "
        "smaller first), ties marked = and the next rank skipped (1, 2, 2, 4); — no target or "
        "no figure, not ranked.",
        "rank_change": "↑/↓ places gained or lost since the previous period ({previous}); "
        "blank: unchanged or not ranked then.",
        "rank_pace_foot": "On pace = indicators on or ahead of time progress (or within the cap) / "
        "indicators with a target.",
        "behind_none": "Every township is on pace with, or has met, every indicator that has a "
        "target; no cap exceeded.",
        "behind_intro": "{k} indicators have townships behind pace, below target or over the cap "
        "({rows} in all); worst first.",
        "behind_head": ("Indicator", "District", "Townships", "Townships and gap (pp)"),
        "behind_caption": "Indicators behind pace, below target or over the cap, and the townships",
        "behind_foot": "District: completion of the summed figures minus time progress (pp); "
        "stocks: completion minus 100%; rates: actual minus target. Townships behind pace: gap "
        "to time progress (pp); below target: share of the target (rates: actual and target); "
        "caps: figure / cap.",
        "of_target": "{pct} of target",
        "rate_vs": "{actual}, target {target}",
        "sep": ", ",
        "colon": ": ",
        "semi": "; ",
        "spread_intro": "Townships ordered by completion (rank first, ties marked =); dashed line: "
        "time progress; solid line: target.",
        "ends_matrix": "{n} townships: the charts show the {k} with the highest and the {k} with "
        "the lowest share on pace (highest on top); the table counts every township's statuses "
        "by sector, and the rank tables list every township.",
        "ends_rank": "{n} townships: each chart shows the first {k} and the last {k} by rank; "
        "the rank tables list every township.",
        "count_caption": "Statuses of all {n} townships by sector (township × indicator)",
        "count_sector": "Sector",
        "count_all": "Total",
        "note_pace": "Time progress = months elapsed ÷ 12 = {month}/12 = {pace}; completion = cumulative "
        "figure ÷ annual target; pace gap = (completion − time progress) × 100, in "
        "percentage points.",
        "note_totals": "District totals sum the townships that have both a figure and an annual target "
        "and compare with the sum of their targets; rates ({names}) cannot be summed and "
        "are left out of the totals.",
        "note_totals_all": "District totals sum the townships that have both a figure and an annual "
        "target and compare with the sum of their targets.",
        "note_rank": "Ranks: competition ranking among the {n} townships of the data set (1, 2, 2, 4), "
        "equal completion tied; caps "
        "ranked by the figure, smallest first; townships with no target are not ranked.",
        "note_estimate": "Estimates: {items}.",
        "note_no_target": "No (or zero) target, figure shown without a ratio: {items}.",
        "note_warning": "Data warning: {w}",
    },
}


_t = Catalogue(_TEXT["zh"], _TEXT["en"])


def _name(row: dict[str, Any], lang: str) -> str:
    en = row.get("name_en")
    return en if lang == "en" and isinstance(en, str) and en.strip() else str(row["name"])


# --------------------------------------------------------------------------- frames


def change_text(change: float) -> str:
    """A rank change (previous rank − this rank) as ``↑2`` / ``↓1``; empty if none or unchanged."""
    if is_missing(change) or change == 0:
        return ""
    return f"{'↑' if change > 0 else '↓'}{abs(int(change))}"


def indicator_chunks(table: pd.DataFrame, limit: int = 12) -> list[list[str]]:
    """Indicator ids (catalogue order) in as few groups of at most ``limit`` as possible.

    Groups break between sectors (a sector longer than ``limit`` is cut into pieces first) and
    are as even as the sectors allow, so a 26-indicator catalogue gives three tables of about
    nine rather than 12 + 12 + 2.
    """
    rows = table.drop_duplicates("indicator").sort_values("order", kind="stable")
    pieces: list[list[str]] = []
    for _, group in rows.groupby("sector", sort=False):
        ids = list(group["indicator"])
        pieces += [ids[i : i + limit] for i in range(0, len(ids), limit)]
    if not pieces:
        return []
    sizes = [len(p) for p in pieces]
    # best[i]: (number of groups, largest group, start of the last group) for the first i pieces
    best: list[tuple[int, int, int]] = [(0, 0, 0)] + [(10**9, 10**9, 0)] * len(pieces)
    for i in range(1, len(pieces) + 1):
        for j in range(i - 1, -1, -1):
            size = sum(sizes[j:i])
            if size > limit and j < i - 1:
                break
            candidate = (best[j][0] + 1, max(best[j][1], size), j)
            if candidate[:2] < best[i][:2]:
                best[i] = candidate
    chunks: list[list[str]] = []
    i = len(pieces)
    while i > 0:
        j = best[i][2]
        chunks.insert(0, [ind for piece in pieces[j:i] for ind in piece])
        i = j
    return chunks


# --------------------------------------------------------------------------- the report


@dataclass
class District:
    """The district report for one period: all townships side by side, section by section."""

    ds: Dataset
    period: str
    lang: str = "zh"
    decimals: int = 1
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    totals_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Towns with no figure at all for the period (未报送): named, never counted as reporting.
    unreported: list[str] = field(default_factory=list)

    @classmethod
    def load(
        cls,
        data: str | Path = "",
        period: str = "",
        *,
        lang: str = "zh",
        decimals: int = 1,
        share: Any = False,
        out: Any = "",
    ) -> District:
        """Check every parameter (:func:`~helpers.sections.parameters.check_parameters`),
        load the data set (default: the district demo) and pick the period (default: latest)."""
        p = check_parameters(
            data,
            None,
            period,
            lang=lang,
            decimals=decimals,
            share=share,
            out=out,
            default=data_dir("district-demo"),
        )
        ds, period, lang, decimals = p.ds, p.period, p.lang, p.decimals
        unreported = ds.unreported(period)
        table = progress_table(ds, period)
        table = table[~table["org"].isin(unreported)].reset_index(drop=True)
        totals = district_totals(ds, period)
        table, totals = (with_sector_en(t, ds.indicators) for t in (table, totals))
        return cls(ds, period, lang, int(decimals), table, totals, unreported)

    # -- helpers ----------------------------------------------------------------------------
    @property
    def zh(self) -> bool:
        return self.lang != "en"

    @property
    def title_text(self) -> str:
        return district_title(self.ds, self.period, self.lang)

    def _w(self, key: str, **fields: Any) -> Any:
        """The catalogue's text ``key`` for this report: its language, and at the year's end
        its year-end form (``key_year``: 完成全年任务 for 达序时, no 序时进度) when it has one."""
        return _t(self.lang, key, at=self.period, **fields)

    def _heading(self, section: str) -> str:
        n = _SECTIONS.index(section) + 1
        text = self._w(section)
        text = f"{_ORDINALS[n - 1]}、{text}" if self.zh else f"{n}. {text}"
        return f"<h2>{escape(text)}</h2>"

    def _sectors(self) -> list[str]:
        return list(dict.fromkeys(self.table.sort_values("order", kind="stable")["sector"]))

    def _headline_sector(self) -> str | None:
        return next(
            (s for s in self._sectors() if str(s).strip().lower() in HEADLINE_SECTORS), None
        )

    def _sector_name(self, sector: str) -> str:
        english = tables.english_sectors(self.ds.indicators).get(str(sector))
        return tables.sector_name(sector, self.lang, english)

    def _town(self, org: str) -> str:
        """A township as the report names it: its key (宝庙街道), in English its name_en
        (Baomiao Subdistrict) when the data gives one, else its key."""
        english = self.ds.org_name(org, "en")
        return english if not self.zh and english != self.ds.org_name(org) else str(org)

    def _towns_named(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with its ``org`` as the report names the towns, for the charts."""
        if self.zh or frame.empty:
            return frame
        return frame.assign(org=frame["org"].map(self._town))

    def _previous(self) -> str | None:
        previous = str(parse_period(self.period).previous())
        return previous if self.ds.has_period(previous) else None

    def _join(self, items: Sequence[str]) -> str:
        return self._w("sep").join(items)

    # -- sections ---------------------------------------------------------------------------
    def title(self) -> Block:
        """The report's title and the line saying what it covers."""
        p = parse_period(self.period)
        sub = self._w("subtitle").format(
            n=len(self.ds.org_list) - len(self.unreported),
            year=p.year,
            month=p.end_month,
            pace=narrative.percent(p.time_progress, 0),
            period=period_label(self.period, "en"),
        )
        html = f'<h1 class="kb-title">{escape(self.title_text)}</h1><p class="kb-subtitle">{escape(sub)}</p>'
        if self.unreported:
            names = self._join([self.ds.org_name(o, self.lang) for o in self.unreported])
            line = self._w("unreported", names=names, k=len(self.unreported))
            html += f'<p class="kb-subtitle kb-unreported">{escape(line)}</p>'
        return Block(html)

    def totals(self) -> Block:
        """全区总体情况: the district totals in sentences, a chart and the 完成情况表 of the sums."""
        totals = self.totals_table
        parts = [self._heading("totals")]
        if not totals.empty:
            head = self._headline_sector()
            rows = (
                totals[totals["sector"] == head]
                if head in set(totals["sector"])
                else totals.sort_values("order").groupby("sector", sort=False).head(1)
            )
            intro = self._w("totals_intro").format(
                district=self.ds.district_name(self.lang), n=len(self.ds.org_list)
            )
            if self.zh:  # 截至6月底，示范区12个乡镇（街道）合计完成国地两税…
                text = narrative.headline_paragraph(
                    rows, lang=self.lang, decimals=self.decimals, subject=intro
                )
            else:
                text = f"{intro} " + narrative.headline_paragraph(
                    rows, lang=self.lang, decimals=self.decimals
                )
            parts.append(f"<p>{escape(text)}</p>")
            parts.append(f"<p>{escape(self._pace_sentence())}</p>")
        towns = self._towns_sentence()
        if towns:
            parts.append(f"<p>{escape(towns)}</p>")
        if not totals.empty and totals["basis_ratio"].notna().any():
            parts.append(
                figure_html(
                    charts.completion_dots(
                        tables.named_sectors(totals, self.lang, self.ds.indicators), lang=self.lang
                    ),
                    self._w("dots_caption"),
                )
            )
        if not totals.empty:
            model = tables.progress_model(
                self._totals_rows(),
                lang=self.lang,
                caption=self._totals_caption(),
                decimals=self.decimals,
            )
            table = document_html(Document([model]))  # a card per row on a phone
            parts.append(f'<style>{TOTALS_CSS}</style><div class="kb-totals">{table}</div>')
        return Block("\n".join(parts))

    def _pace_sentence(self) -> str:
        """How many district totals are on pace; the few furthest behind, the rest in section 四."""
        totals = self.totals_table
        if len(totals) <= 8:  # short enough for narrative's full list
            return narrative.pace_summary(totals, lang=self.lang, decimals=self.decimals)
        # only flows are behind *time*: a stock short of its target is counted apart
        timed = annual_flows(totals)
        judged = totals[~totals["status"].isin(UNJUDGED)]
        alone = judged[~judged.index.isin(timed.index)]
        behind = timed[timed["gap_pp"] < 0].sort_values("gap_pp").head(3)
        over = totals[totals["status"] == StatusKey.OVER_CAP]
        # at the year's end the whole year has passed: 完成全年任务 or not, never 序时进度
        items = [
            self._w("pace_worst_item").format(
                name=_name(r, self.lang),
                gap=format_number(abs(r["gap_pp"]), self.decimals),
                share=format_number(r["completion"] * 100, self.decimals) + "%",
            )
            for r in behind.to_dict("records")
        ]
        on = int(timed["status"].isin(ON_PACE).sum())
        key = "pace_none" if on == 0 else "pace_all" if on == len(timed) else "pace_count"
        text = self._w(key).format(timed=len(timed), on=on)
        if len(alone):
            met = int(alone["status"].isin(ON_PACE).sum())
            key = (
                "pace_alone_all"
                if met == len(alone) > 1
                else "pace_alone_none"
                if met == 0 and len(alone) > 1
                else "pace_alone"
            )
            text += self._w(key).format(alone=len(alone), met=met)
        if items:
            text += self._w("pace_worst").format(items=self._join(items))
        if len(over):
            text += self._w("pace_over").format(
                items=self._join([_name(r, self.lang) for r in over.to_dict("records")])
            )
        return text + self._w("pace_more")

    def _towns_sentence(self) -> str:
        counts = on_pace_counts(self.table)
        counts = counts[counts["judged"] > 0]
        if len(counts) < 2:
            return ""
        share = counts["on_pace"] / counts["judged"]

        def items(which: pd.Index) -> str:
            """The towns, those of the same counts together (宝庙街道、永山镇（均为25项中2项）),
            each group with its own counts (兴寺镇（24项中2项）)."""
            groups: dict[tuple[int, int], list[str]] = {}
            for o in which:
                pair = (int(counts.at[o, "judged"]), int(counts.at[o, "on_pace"]))
                groups.setdefault(pair, []).append(o)
            parts = []
            for (judged, on), towns in groups.items():
                if len(towns) > 1:
                    key = "towns_same_all" if on == judged else "towns_same"
                    parts.append(
                        self._w(key).format(
                            towns=self._join([self._town(o) for o in towns]), judged=judged, on=on
                        )
                    )
                else:
                    key = "towns_all" if on == judged else "towns_item"
                    parts.append(
                        self._w(key).format(town=self._town(towns[0]), judged=judged, on=on)
                    )
            return self._join(parts)

        # fewest and most by the share as a reader sees it (a whole percentage): 2 of 25 and
        # 2 of 24 are both 8%, so both are named, each with its own counts
        shown = share.map(lambda x: round_half_up(float(x) * 100, 0))
        most = shown[share.sort_values(ascending=False, kind="stable").index]
        least = shown[share.sort_values(kind="stable").index]  # the very fewest first
        best = most[most == shown.max()].index
        worst = least[least == shown.min()].index
        if shown.max() == shown.min():
            return ""
        return self._w("towns_best").format(best=items(best), worst=items(worst))

    def _totals_rows(self) -> pd.DataFrame:
        """District totals with a note where fewer towns have a target than a figure."""
        rows = self.totals_table.copy()
        notes = []
        for r in rows.itertuples(index=False):
            k, n, y = int(r.orgs_with_target), int(r.orgs), int(getattr(r, "yoy_orgs", r.orgs))
            note = [self._w("coverage").format(k=k, n=n)] if 0 < k < n else []
            if 0 < y < n:
                note.append(self._w("yoy_coverage").format(k=y, n=n))
            notes.append(self._w("semi").join(note) or None)
        rows["note"] = notes
        return rows

    def _totals_caption(self) -> str:
        p = parse_period(self.period)
        if self.zh:
            when = (
                f"{p.year}年"
                if p.kind == "Y"
                else f"{p.year}年1-{p.end_month}月"
                if p.end_month > 1
                else f"{p.year}年1月"
            )
        else:
            when = f", {period_label(self.period, 'en')}"
        return self._w("totals_caption").format(
            district=self.ds.district_name(self.lang), when=when
        )

    def ranking(self) -> Block:
        """各乡镇指标排名: towns × indicators of competition ranks, ties 并列, ↑/↓ against last period."""
        parts = [self._heading("ranking")]
        if self.table.empty:
            return Block("".join(parts))
        parts.append(f"<style>{DISTRICT_CSS}</style>")
        for chunk in self._rank_chunks():
            parts.append(self._rank_table(chunk))
        foot = [self._w("rank_foot"), self._w("rank_pace_foot")]
        previous = self._previous()
        if previous:
            foot.append(self._w("rank_change").format(previous=period_label(previous, self.lang)))
        parts.append('<p class="kb-foot">' + "<br>".join(escape(line) for line in foot) + "</p>")
        return Block("\n".join(parts))

    def _rank_chunks(self) -> list[list[str]]:
        """Indicator ids per rank table / matrix: see :func:`indicator_chunks`."""
        return indicator_chunks(self.table, RANK_COLUMNS)

    def _rank_table(self, ids: list[str]) -> str:
        t = self.table
        meta = t.drop_duplicates("indicator").set_index("indicator")
        cells = {
            (r.org, r.indicator): r for r in t[t["indicator"].isin(ids)].itertuples(index=False)
        }
        counts = on_pace_counts(t)
        sectors = list(dict.fromkeys(meta.loc[ids, "sector"]))
        part = self._join([self._sector_name(s) for s in sectors])
        caption = self._w("rank_caption").format(part=part)
        top = [
            f'<th scope="col" rowspan="2">{escape(self._w("rank_town"))}</th>',
            f'<th scope="col" rowspan="2">{escape(self._w("rank_pace"))}</th>',
        ]
        for s in sectors:
            span = int((meta.loc[ids, "sector"] == s).sum())
            top.append(f'<th scope="colgroup" colspan="{span}">{escape(self._sector_name(s))}</th>')
        names = "".join(
            f'<th scope="col" class="kb-ind">{escape(_name(meta.loc[i].to_dict(), self.lang))}</th>'
            for i in ids
        )
        body = []
        for org in dict.fromkeys(t["org"]):
            judged, on = counts.at[org, "judged"], counts.at[org, "on_pace"]
            tds = [
                f'<th scope="row" class="kb-town">{escape(self._town(org))}</th>',
                f"<td>{on}/{judged}</td>" if judged else "<td>—</td>",
            ]
            for i in ids:
                r = cells.get((org, i))
                if r is None or is_missing(r.rank):
                    tds.append("<td>—</td>")
                    continue
                change = change_text(r.rank_change)
                css = "kb-up" if change.startswith("↑") else "kb-down"
                small = f'<small class="{css}">{escape(change)}</small>' if change else ""
                first = ' class="kb-first"' if r.rank == 1 else ""
                tds.append(
                    f"<td{first}>{escape(rank_text(r.rank, bool(r.rank_tied), self.lang))}{small}</td>"
                )
            body.append("<tr>" + "".join(tds) + "</tr>")
        return (
            f'<div class="kpi-wrap"><table class="kb-rank"><caption>{escape(caption)}</caption>'
            f"<thead><tr>{''.join(top)}</tr><tr>{names}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>"
        )

    def _summarised(self) -> bool:
        """Whether the charts show the ends (:data:`SUMMARY_ABOVE`) rather than every town."""
        return self.table["org"].nunique() > SUMMARY_ABOVE

    def _ends(self) -> list[str]:
        """The :data:`SUMMARY_EACH` towns with the highest share of judged indicators on pace,
        then the as many with the lowest, highest first; ties keep the table's order, towns
        with nothing judged are in neither."""
        counts = on_pace_counts(self.table)
        counts = counts[counts["judged"] > 0]
        share = (counts["on_pace"] / counts["judged"]).sort_values(ascending=False, kind="stable")
        order = list(share.index)
        k = SUMMARY_EACH
        return order if len(order) <= 2 * k else order[:k] + order[-k:]

    def _status_counts(self) -> str:
        """Every town's cells counted by sector and status: the whole district in a few rows."""
        t = self.table
        used = [k for k in STATUS_TINTS if k in set(t["status"])]
        head = "".join(
            f'<th scope="col">{escape(h)}</th>'
            for h in [self._w("count_sector")]
            + [status_label(k, self.lang) for k in used]
            + [self._w("count_all")]
        )
        body = []
        for sector in self._sectors():
            counts = t[t["sector"] == sector]["status"].value_counts()
            cells = "".join(f'<td class="kb-num">{int(counts.get(k, 0))}</td>' for k in used)
            body.append(
                f'<tr><th scope="row">{escape(self._sector_name(sector))}</th>{cells}'
                f'<td class="kb-num">{int(counts.sum())}</td></tr>'
            )
        caption = self._w("count_caption").format(n=t["org"].nunique())
        return (
            f'<style>{DISTRICT_CSS}</style><div class="kpi-wrap"><table class="kb-behind">'
            f"<caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table></div>"
        )

    def matrix(self) -> Block:
        """各乡镇完成状态一览: town × indicator, every cell tinted and labelled with its status
        (above :data:`SUMMARY_ABOVE` towns: the best and the worst, and a count of all)."""
        parts = [self._heading("matrix")]
        if self._summarised():
            n, k = self.table["org"].nunique(), SUMMARY_EACH
            parts.append(f"<p>{escape(self._w('ends_matrix').format(n=n, k=k))}</p>")
            parts.append(self._status_counts())
        parts += [
            figure_html(fig, fig.axes[0].get_title(loc="left") if fig.axes else "")
            for fig in self.matrix_figures()
        ]
        return Block("\n".join(parts))

    def matrix_figures(self) -> list[Figure]:
        """The status matrices, one per group of sectors (:func:`indicator_chunks`), titled by
        sector: as many indicators each as fit the report's chart width with 9 pt text
        (:func:`~helpers.document.charts.matrix_columns`), so a phone shows it at 9 px or more."""
        figures = []
        table = self.table
        if self._summarised():  # the ends, highest first: status_matrix keeps the rows' order
            ends = self._ends()
            table = table[table["org"].isin(ends)]
            table = table.iloc[table["org"].map(ends.index).argsort(kind="stable")]
        named = self._towns_named(table)
        fit = charts.matrix_columns(list(dict.fromkeys(named["org"])), self.lang)
        for ids in indicator_chunks(table, min(RANK_COLUMNS, fit)) or [[]]:
            rows = named[named["indicator"].isin(ids)]
            sectors = self._join(
                [
                    self._sector_name(s)
                    for s in dict.fromkeys(rows.sort_values("order", kind="stable")["sector"])
                ]
            )
            title = None
            if sectors:
                title = (
                    f"各乡镇完成状态：{sectors}" if self.zh else f"Status by township: {sectors}"
                )
            figures.append(charts.status_matrix(rows, lang=self.lang, title=title))
        return figures

    def behind(self) -> Block:
        """滞后及未达目标的指标: each indicator some town is behind on (滞后), below (未达目标) or
        over (超出控制数), and who, worst first."""
        parts = [self._heading("behind")]
        frame = behind_frame(self.table, self.totals_table)
        if frame.empty:
            parts.append(f"<p>{escape(self._w('behind_none'))}</p>")
            return Block("\n".join(parts))
        intro = self._w("behind_intro").format(k=len(frame), rows=int(frame["towns"].sum()))
        parts.append(f"<p>{escape(intro)}</p>")
        parts.append(f"<style>{DISTRICT_CSS}</style>")
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in self._w("behind_head"))
        body = []
        for r in frame.to_dict("records"):
            district = (
                "—"
                if is_missing(r["district_gap"])
                else format_signed(r["district_gap"], self.decimals)
            )
            groups = []
            for status in SHORTFALL:
                items = [self._behind_item(r, item) for item in r["behind"] if item[0] == status]
                if items:
                    label = status_label(status, self.lang) + self._w("colon")
                    groups.append(
                        f'<span class="kb-group kb-group-{status}"><span class="kb-label">'
                        f"{escape(label)}</span>{escape(self._join(items))}</span>"
                    )
            body.append(
                f'<tr><th scope="row">{escape(_name(r, self.lang))}</th>'
                f'<td class="kb-num">{escape(district)}</td>'
                f'<td class="kb-num">{r["towns"]}/{r["orgs"]}</td><td>{"".join(groups)}</td></tr>'
            )
        tfoot = f'<tfoot><tr><td colspan="4">{escape(self._w("behind_foot"))}</td></tr></tfoot>'
        parts.append(
            f'<div class="kpi-wrap"><table class="kb-behind"><caption>'
            f"{escape(self._w('behind_caption'))}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody>{tfoot}</table></div>"
        )
        return Block("\n".join(parts))

    def _list_places(self, row: dict[str, Any]) -> int:
        """The decimal places of one indicator's list of towns: whole percentages and points
        for the whole list when any of its towns counts under 10 (one rule in one list: 71%、
        75%、80%, never 71.4%、75%、80%)."""
        return min(
            (
                narrative.percent_places({"unit": row["unit"], "annual_target": item[4]}, d)
                for item in row["behind"]
                for d in [self.decimals]
            ),
            default=self.decimals,
        )

    def _behind_item(self, row: dict[str, Any], item: tuple[str, str, float, float, float]) -> str:
        status, key, gap, actual, cap = item
        org = self._town(key)
        if status == StatusKey.OVER_CAP:
            dec = 0 if is_missing(row["decimals"]) else int(row["decimals"])
            figures = f"{format_number(actual, dec)}/{format_number(cap, dec)}"
            if self.zh:
                return f"{org}（{figures}{row['unit']}）"
            unit = narrative.UNIT_EN.get(row["unit"], row["unit"])
            return f"{org} ({figures} {unit})" if unit else f"{org} ({figures})"
        if status == StatusKey.BELOW_TARGET:
            figure = self._below_target(row, actual, cap)
        else:
            figure = format_signed(gap, self._list_places(row))
        return f"{org}（{figure}）" if self.zh else f"{org} ({figure})"

    def _below_target(self, row: dict[str, Any], actual: float, target: float) -> str:
        """A town below a target judged alone: 占目标74.5%; a rate: 53.5%，目标55%."""
        if row["measure"] == "rate":
            dec = 0 if is_missing(row["decimals"]) else int(row["decimals"])
            unit = row["unit"] if isinstance(row["unit"], str) else ""
            return self._w("rate_vs").format(
                actual=format_number(actual, dec) + unit, target=format_number(target, dec) + unit
            )
        places = self._list_places(row)
        pct = narrative.percent(actual / target, places) if target else "—"
        flow = row["measure"] == "cumulative"  # at the year's end: 完成75% of the annual task
        return _t(self.lang, "of_target", at=self.period if flow else None).format(pct=pct)

    def spread(self, indicators: Sequence[str] | None = None, *, limit: int = 4) -> Block:
        """主要指标的乡镇分布: one ranked dot chart per indicator.

        ``indicators`` (ids) default to the headline sector's ``limit`` indicators with the
        widest spread between towns (:func:`spread_indicators`).
        """
        parts = [self._heading("spread")]
        ids = list(indicators) if indicators is not None else spread_indicators(self.table, limit)
        if ids:
            parts.append(f"<p>{escape(self._w('spread_intro'))}</p>")
        if ids and self._summarised():
            n, k = self.table["org"].nunique(), SUMMARY_EACH
            parts.append(f"<p>{escape(self._w('ends_rank').format(n=n, k=k))}</p>")
        for ind in ids:
            rows = self.table[self.table["indicator"] == ind]
            name = _name(rows.iloc[0].to_dict(), self.lang) if len(rows) else str(ind)
            parts.append(
                figure_html(
                    charts.rank_dots(self._towns_named(self._rank_ends(rows)), ind, lang=self.lang),
                    f"{name}：各乡镇完成情况排名" if self.zh else f"{name}: townships ranked",
                )
            )
        return Block("\n".join(parts))

    def _rank_ends(self, rows: pd.DataFrame) -> pd.DataFrame:
        """One indicator's rows for its rank chart: all of them, or above
        :data:`SUMMARY_ABOVE` towns the first and the last :data:`SUMMARY_EACH` by rank (their
        ranks among every town kept); unranked towns (no target) are left out there."""
        if not self._summarised():
            return rows
        ranked = rows[rows["rank"].notna()].sort_values("rank", kind="stable")
        k = SUMMARY_EACH
        return ranked if len(ranked) <= 2 * k else pd.concat([ranked.head(k), ranked.tail(k)])

    def data_notes(self) -> Block:
        """数据说明: how figures are computed and ranked, estimates, no targets, warnings, sources."""
        t, lang = self.table, self.lang
        p = parse_period(self.period)
        items = [
            self._w("note_pace").format(
                month=p.end_month, pace=narrative.percent(p.time_progress, 0)
            )
        ]
        rates = t[t["measure"] == "rate"].drop_duplicates("indicator")
        if len(rates):
            items.append(
                self._w("note_totals").format(
                    names=self._join([_name(r, lang) for r in rates.to_dict("records")])
                )
            )
        else:
            items.append(self._w("note_totals_all"))
        items.append(self._w("note_rank").format(n=len(self.ds.org_list)))
        for key, status in (("note_estimate", "预计"),):
            found = self._by_indicator(t[t["data_status"] == status])
            if found:
                items.append(self._w(key).format(items=found))
        none = self._by_indicator(t[t["status"] == StatusKey.NO_TARGET])
        if none:
            items.append(self._w("note_no_target").format(items=none))
        for w in self.ds.warnings:
            if w.row is not None:
                items.append(self._w("note_warning").format(w=w))
        # sources and versions are the page footer's and the manifest's, not the body's
        body = "".join(f"<li>{escape(i)}</li>" for i in items)
        return Block(f'<h2>{escape(self._w("notes"))}</h2><ul class="kb-notes">{body}</ul>')

    def _by_indicator(self, rows: pd.DataFrame) -> str:
        """``规模工业产值(新场镇、永山镇)、…``: the towns concerned, grouped by indicator."""
        if rows.empty:
            return ""
        parts = []
        for _, group in rows.sort_values("order", kind="stable").groupby("indicator", sort=False):
            name = _name(group.iloc[0].to_dict(), self.lang)
            towns = self._join([self._town(o) for o in group["org"]])
            parts.append(f"{name}（{towns}）" if self.zh else f"{name} ({towns})")
        return self._join(parts)
