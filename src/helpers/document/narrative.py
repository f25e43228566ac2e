"""Drafted sentences in the phrasing of Chinese progress reports (and the same facts in English).

``截至6月底，完成国地两税848万元，占全年任务1550万元的54.7%，超序时进度4.7个百分点，同比增长11.6%。``
Conventions (DOMAIN.md): differences of rates are 个百分点, never %; negative growth is
同比下降 x%; a cap (``down``) is 控制在年度控制数以内; no target means the figure alone; amounts
from 1亿元 up are written in 亿元; rounding is half-up; estimates are marked 预计.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import groupby
from typing import Any

import pandas as pd

from ..base.missing import NONE, is_missing
from ..data.numbers import QUALIFIERS_BEFORE, format_signed, round_half_up
from ..data.periods import parse_period, span_word
from ..data.units import is_count
from ..metrics.progress import annual_flows
from ..metrics.status import (
    BEHIND,
    ON_PACE,
    SHORTFALL,
    UNJUDGED,
    StatusKey,
    judged_on_time,
)

__all__ = [
    "amount",
    "percent",
    "percent_places",
    "count_change",
    "distinct_places",
    "yoy_text",
    "indicator_sentence",
    "join_sentences",
    "headline_paragraph",
    "pace_summary",
    "with_qualifier",
    "period_phrase",
    "unit_word",
    "UNIT_EN",
    "STAGE_EN",
    "stage_word",
]

#: English renderings of the usual units (anything else is shown as written).
UNIT_EN = {
    "万元": "10k yuan",
    "亿元": "100m yuan",
    "元": "yuan",
    "亩": "mu",
    "万亩": "10k mu",
    "平方米": "m²",
    "万平方米": "10k m²",
    "米": "m",
    "公里": "km",
    "个": "",
    "户": "",
    "人": "people",
    "次": "sessions",
    "场": "sessions",
    "期": "sessions",
    "台": "",
    "起": "",
    "名": "",
    "项": "",
    "家": "",
    "件": "",
    "座": "",
    "所": "",
    "处": "",
    "条": "",
    "项目": "projects",
    "批次": "batches",
    "%": "%",
}
#: English words of a key project's stage (阶段): anything else is shown as the data writes it.
STAGE_EN = {
    "前期": "Preparation",
    "启动": "Started",
    "开工": "Construction started",
    "全面开工": "Construction started",
    "在建": "Under construction",
    "加紧建设": "Under construction",
    "主体完工": "Main structure complete",
    "设备安装调试": "Commissioning equipment",
    "试运行": "Trial operation",
    "竣工": "Completed",
    "完工": "Completed",
    "全面完工": "Completed",
    "投入使用": "In use",
}


def stage_word(stage: Any, lang: str = "zh") -> str:
    """A project's stage in the report's language: 在建 → Under construction in English
    (:data:`STAGE_EN`), the data's own word where the vocabulary has none."""
    text = "" if is_missing(stage) else str(stage).strip()
    return STAGE_EN.get(text, text) if lang == "en" else text


#: The singular of each plural unit word English writes (1 session, 1 person, 1 project).
_SINGULAR = {
    "people": "person",
    "sessions": "session",
    "batches": "batch",
    "projects": "project",
}
_MONEY_WAN = "万元"
_YUAN = {"元": 1, "万元": 1e4, "亿元": 1e8}


#: How many lagging indicators a sentence names (the furthest behind) before 等N项.
NAMED_BEHIND = 5

#: Statuses of a target reached: the sentence says 已（超额）完成全年任务.
_MET = (StatusKey.EXCEEDED, StatusKey.COMPLETED)


def _trim(value: float, decimals: int) -> str:
    """Half-up to at most ``decimals`` places, without trailing zeros: 6.00 → 6, 0.70 → 0.7."""
    text = f"{round_half_up(value, decimals):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


#: How English writes the qualifiers a figure may carry (约50 → about 50, 300余 → over 300).
_QUALIFIER_EN = {"约": "about ", "近": "nearly ", "余": "over ", "多": "over "}


def unit_word(unit: str, count: float | None = None) -> str:
    """The English word of a unit for ``count`` of it: 次 → sessions, but 1 session; 人 →
    people, but 1 person; "" for a bare count (个, 户, 起: "2", not "2 pieces")."""
    en = UNIT_EN.get(str(unit), str(unit))
    return _SINGULAR.get(en, en) if count is not None and abs(count) == 1 else en


def _qualified(number: str, unit: str, qualifier: str) -> str:
    """约50人, 近2000万元: 约/近 before the number; 300余人, 20多个: 余/多 between it and the unit."""
    if not qualifier:
        return number + unit
    if qualifier in QUALIFIERS_BEFORE:
        return qualifier + number + unit
    return number + qualifier + unit


def with_qualifier(number: str, qualifier: Any, lang: str = "zh") -> str:
    """A number as the data qualified it: 300余, 约50 (English: over 300, about 50); the
    number alone when the data gave no qualifier."""
    q = qualifier if isinstance(qualifier, str) else ""
    if lang == "en":
        return _QUALIFIER_EN.get(q, "") + number
    return _qualified(number, "", q)


def amount(
    value: float | None,
    unit: str,
    decimals: int | None = None,
    lang: str = "zh",
    *,
    like: float | None = None,
    qualifier: str = "",
) -> str:
    """A figure with its unit as prose has it: 848万元, 1.98亿元 (from 19800万元), 900万元
    (from 0.09亿元: amounts under 1亿元 are in 万元), 40000平方米.

    ``like`` is the sentence's own figure (in ``unit``): a target or cap beside it is written
    in the unit that figure is written in — 6035万元，占全年任务12000万元, not 1.2亿元.
    ``qualifier`` is the one the data gave the figure (约, 近, 余, 多): 300余人, 约50人.
    """
    if value is None or is_missing(value):
        return "—"
    qualifier = qualifier if isinstance(qualifier, str) else ""
    places = 2 if decimals is None or is_missing(decimals) else int(decimals)
    if lang == "en":
        about = _QUALIFIER_EN.get(qualifier, "")
        if unit in _YUAN:  # English counts in millions and billions of yuan
            yuan = value * _YUAN[unit]
            if abs(round_half_up(yuan / 1e6, 2)) >= 1000:  # 86.51亿元 → 8.65 billion yuan
                return f"{about}{_trim(yuan / 1e9, 2)} billion yuan"
            if abs(yuan) >= 1e5:  # 50万元 → 0.5 million yuan
                return f"{about}{_trim(yuan / 1e6, 2)} million yuan"
            return f"{about}{round_half_up(yuan, 0):,.0f} yuan"  # 5万元 → 50,000 yuan
        text = _grouped(_trim(value, places))  # English groups thousands: 40,000 m²
        en = unit_word(unit, 1 if text == "1" and not about else None)
        return about + (f"{text}%" if unit == "%" else (f"{text} {en}" if en else text))
    if unit in (_MONEY_WAN, "亿元"):
        to_wan = 1e4 if unit == "亿元" else 1.0
        ref = value if like is None or is_missing(like) else like
        if abs(ref * to_wan) >= 1e4:
            value, places = value * to_wan / 1e4, max(places, 2) if unit == _MONEY_WAN else places
            unit = "亿元"
        else:
            value, places = value * to_wan, places if unit == _MONEY_WAN else max(places - 4, 0)
            unit = _MONEY_WAN
    return _qualified(_trim(value, places), unit, qualifier)


def _grouped(text: str) -> str:
    """A plain number with its thousands grouped, as English writes it: 40000 → 40,000."""
    sign, body = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, fraction = body.partition(".")
    return f"{sign}{int(whole):,}{dot}{fraction}" if whole.isdigit() else text


def percent(ratio: float, decimals: int = 1) -> str:
    """A ratio as a percentage with half-up rounding: 0.547 → 54.7%."""
    return (
        f"{_trim(ratio * 100, decimals)}%"
        if decimals == 0
        else f"{round_half_up(ratio * 100, decimals):.{decimals}f}%"
    )


def _points(gap: float, decimals: int) -> str:
    return f"{round_half_up(abs(gap), decimals):.{decimals}f}"


def period_phrase(period: str, lang: str = "zh") -> str:
    """截至6月底 / By the end of June."""
    p = parse_period(period)
    if lang == "en":
        return f"By the end of {pd.Timestamp(2000, p.end_month, 1):%B}"
    return f"截至{p.end_month}月底"


def _period_target_name(period: str) -> str:
    p = parse_period(period)
    return {
        "H": ("上半年" if p.number == 1 else "下半年"),
        "Q": f"{'一二三四'[p.number - 1]}季度",
        "M": f"1-{p.end_month}月",
        "Y": "全年",
    }[p.kind] + "目标任务"


def _yoy_clause(row: dict[str, Any], decimals: int, lang: str) -> str | None:
    if row.get("measure") == "rate":  # a change of a rate is in percentage points
        if is_missing(row.get("prior")) or is_missing(row.get("actual")):
            return None
        d = round_half_up(row["actual"] - row["prior"], decimals)
        if lang == "en":
            return (
                "unchanged year on year"
                if d == 0
                else f"{abs(d):.{decimals}f} percentage points "
                f"{'higher' if d > 0 else 'lower'} than a year earlier"
            )
        return (
            "与上年同期持平"
            if d == 0
            else f"比上年同期{'提高' if d > 0 else '降低'}{abs(d):.{decimals}f}个百分点"
        )
    change = count_change(row)
    if change is not None:  # a small count changes by a count: 同比减少1起, not 同比下降100.0%
        d = change
        if lang == "en":  # 1 more session, 2 fewer (accidents) than a year earlier
            more = "more" if d > 0 else "fewer"
            noun = unit_word(row["unit"], abs(d))
            return (
                "as many as a year earlier"
                if d == 0
                else f"{_trim(abs(d), 0)} {more}{' ' + noun if noun else ''} than a year earlier"
            )
        if d == 0:
            return "与上年同期持平"
        return f"同比{'增加' if d > 0 else '减少'}{amount(abs(d), row['unit'], 0)}"
    yoy = row.get("yoy")
    if yoy is None or is_missing(yoy):
        return None
    g = round_half_up(yoy * 100, decimals)
    if lang == "en":
        return (
            "unchanged year on year"
            if g == 0
            else f"{'up' if g > 0 else 'down'} {abs(g):.{decimals}f}% year on year"
        )
    if g == 0:
        return "与上年同期持平"
    return f"同比{'增长' if g > 0 else '下降'}{abs(g):.{decimals}f}%"


def count_change(row: Mapping[str, Any]) -> float | None:
    """The year-on-year change of a small count (either year under 10, growth not reported),
    as a count: 1 → 0 is −1 (减少1起), never −100.0%; 5 → 11 is 增加6起, never +120.0%;
    ``None`` for anything else. The one
    rule the sentence, the table's 同比± cell and the growth chart all follow."""
    prior, actual = row.get("prior"), row.get("actual")
    if (
        is_count(row.get("unit"))
        and row.get("measure") != "rate"
        and row.get("yoy_source") != "reported"
        and isinstance(prior, float | int)
        and isinstance(actual, float | int)
        and not is_missing(prior)
        and not is_missing(actual)
        and min(abs(prior), abs(actual)) < 10
    ):  # a percentage of (or down to) fewer than 10 things says little: 5 → 11 is 增加6起
        return float(round_half_up(actual - prior, 0))
    return None


def yoy_text(row: Mapping[str, Any], decimals: int = 1, lang: str = "zh") -> str:
    """The year-on-year change as a table cell or chart label writes it: ``+11.6%`` /
    ``−13.8%``; a small count's change as a count (``减少1起``, ``增加2户``, ``持平``; English
    ``1 fewer``, ``2 more``, ``unchanged``); a rate's change in points (``+1.6个百分点``);
    ``—`` when there is none."""
    d = count_change(row)
    if d is not None:
        if d == 0:
            return "unchanged" if lang == "en" else "持平"
        if lang == "en":
            noun = unit_word(str(row.get("unit")), abs(d))
            return f"{_trim(abs(d), 0)} {'more' if d > 0 else 'fewer'}{' ' + noun if noun else ''}"
        return f"{'增加' if d > 0 else '减少'}{amount(abs(d), str(row.get('unit')), 0)}"
    if row.get("measure") == "rate" and row.get("yoy_source") != "reported":
        prior, actual = row.get("prior"), row.get("actual")
        if prior is None or actual is None or is_missing(prior) or is_missing(actual):
            return NONE
        change = round_half_up(float(actual) - float(prior), decimals)
        points = " pp" if lang == "en" else "个百分点"
        return f"{format_signed(change, decimals)}{points}"
    yoy = row.get("yoy")
    if yoy is None or is_missing(yoy):
        return NONE
    mark = "*" if row.get("yoy_source") == "reported" else ""
    places = percent_places(row, decimals)  # as the sentence: whole percentages on small counts
    return format_signed(float(yoy), places, percent=True) + mark


def percent_places(row: Mapping[str, Any], decimals: int) -> int:
    """Decimal places of a percentage of this row: whole percentages for counts under 10
    (1 of 2 is 50%, not 50.0%), else the report's ``decimals``. Tables and sentences agree."""
    target = row.get("annual_target")
    if is_missing(target):
        target = row.get("period_target")
    if is_count(row.get("unit")) and isinstance(target, float | int) and abs(target) < 10:
        return 0
    return decimals


def distinct_places(row: Mapping[str, Any], lang: str = "zh") -> int | None:
    """The decimal places a sentence writes the figure and its targets with: the catalogue's
    (``decimals``), or more where a figure and its target would read the same but differ
    (46030万元 against 46000万元 is not 4.6亿元 against 4.6亿元, but 4.603亿元 against
    4.6亿元); ``None`` (the default places) when nothing needs more."""
    given = row.get("decimals")
    base = None if given is None or is_missing(given) else int(given)
    actual, unit = row.get("actual"), str(row.get("unit"))
    if actual is None or is_missing(actual):
        return base
    targets = [
        t
        for t in (row.get("annual_target"), row.get("period_target"))
        if t is not None and not is_missing(t) and t != actual
    ]
    start = 2 if base is None else base
    for places in range(start, start + 5):
        fig = amount(actual, unit, places, lang)
        if all(amount(t, unit, places, lang, like=actual) != fig for t in targets):
            return base if places == start else places
    return base


def _zh(row: dict[str, Any], decimals: int) -> str:
    unit, places = row["unit"], distinct_places(row)
    fig = amount(row["actual"], unit, places, qualifier=row.get("qualifier") or "")
    estimate = "（预计）" if row.get("data_status") == "预计" else ""
    verb = "完成" if unit in ("万元", "亿元", "元") and row["measure"] == "cumulative" else ""
    if row["measure"] == "rate":
        head = f"{row['name']}为{fig}{estimate}"
    elif row["measure"] == "level":
        head = f"{row['name']}达到{fig}{estimate}"
    else:
        head = f"{verb}{row['name']}{fig}{estimate}"
    clauses = [head]
    actual = row["actual"]
    annual, period_target = row.get("annual_target"), row.get("period_target")
    decimals = percent_places(row, decimals)
    if (
        row["measure"] == "cumulative"
        and row["direction"] != "down"
        and actual == 0
        and isinstance(annual, float | int)
        and annual > 0
    ):  # nothing done yet: say so, not 0个，占全年任务1个的0.0%
        when = span_word(row["period"])
        return f"{row['name']}全年任务{amount(annual, unit, places)}，{when}尚未完成。"
    if row["direction"] == "down":
        cap = annual if not is_missing(annual) else period_target
        if not is_missing(cap):
            which = "年度" if not is_missing(annual) else _period_target_name(row["period"])[:-4]
            if cap == 0:  # a cap of none: 零发生, not 控制在0起以内
                met = row["status"] == StatusKey.WITHIN_CAP
                clauses = [f"未发生{row['name']}{estimate}" if met else head]
                clauses.append(f"{'实现' if met else '未实现'}{which}零发生目标")
            elif row["status"] == StatusKey.WITHIN_CAP:
                if is_count(unit):  # 发生安全生产事故1起 / 未发生安全生产事故
                    clauses = [
                        f"发生{row['name']}{fig}{estimate}" if actual else f"未发生{row['name']}"
                    ]
                clauses.append(f"控制在{which}控制数{amount(cap, unit, places, like=actual)}以内")
            else:  # 发生安全生产事故3起，超过年度控制数（2起）1起: the cap, then by how much
                if is_count(unit):
                    clauses = [f"发生{row['name']}{fig}{estimate}"]
                clauses.append(
                    f"超过{which}控制数（{amount(cap, unit, places, like=actual)}）"
                    f"{amount(actual - cap, unit, places, like=actual)}"
                )
    elif row["measure"] == "rate":
        target = annual if not is_missing(annual) else period_target
        if not is_missing(target) and not is_missing(row.get("gap_pp")):
            gap = row["gap_pp"]
            if round_half_up(gap, decimals) == 0:
                clauses.append(f"达到目标{amount(target, unit, places)}")
            else:
                clauses.append(
                    f"比目标{amount(target, unit, places)}{'高' if gap > 0 else '低'}"
                    f"{_points(gap, decimals)}个百分点"
                )
    else:
        if not is_missing(row.get("completion")):
            word = "年度目标" if row["measure"] == "level" else "全年任务"
            clauses.append(
                f"占{word}{amount(annual, unit, places, like=actual)}"
                f"的{percent(row['completion'], decimals)}"
            )
        if not is_missing(row.get("period_completion")):
            clauses.append(
                f"占{_period_target_name(row['period'])}"
                f"{amount(period_target, unit, places, like=actual)}"
                f"的{percent(row['period_completion'], decimals)}"
            )
        if row["status"] in _MET and row.get("basis") == "annual":
            exceeded = row["status"] == StatusKey.EXCEEDED
            clauses.append("已超额完成全年任务" if exceeded else "已完成全年任务")
        elif judged_on_time(row) and not is_missing(row.get("gap_pp")):
            gap = row["gap_pp"]
            if row["status"] == StatusKey.AT_PACE:
                clauses.append("与序时进度持平")
            else:
                clauses.append(
                    f"{'超' if gap > 0 else '低于'}序时进度{_points(gap, decimals)}个百分点"
                )
    yoy = _yoy_clause(row, decimals, "zh")
    if yoy:
        clauses.append(yoy)
    return "，".join(clauses) + "。"


def _en(row: dict[str, Any], decimals: int) -> str:
    unit, places = row["unit"], distinct_places(row, "en")
    decimals = percent_places(row, decimals)  # 1 of 2 is 50%, as the table and Chinese say
    name = (
        row.get("name_en")
        if isinstance(row.get("name_en"), str) and row.get("name_en")
        else row["name"]
    )
    fig = amount(row["actual"], unit, places, "en", qualifier=row.get("qualifier") or "")
    estimate = " (estimate)" if row.get("data_status") == "预计" else ""
    clauses = [f"{name}: {fig}{estimate}"]
    annual, period_target = row.get("annual_target"), row.get("period_target")
    if row["direction"] == "down":
        cap = annual if not is_missing(annual) else period_target
        if not is_missing(cap):
            word = "within" if row["status"] == StatusKey.WITHIN_CAP else "over"
            over = row["status"] == StatusKey.OVER_CAP and cap != 0
            clauses.append(
                f"{word} the zero cap"
                if cap == 0
                else f"{word} the cap of {amount(cap, unit, places, 'en')}"
                + (f" by {amount(row['actual'] - cap, unit, places, 'en')}" if over else "")
            )
    elif row["measure"] == "rate":
        target = annual if not is_missing(annual) else period_target
        if not is_missing(target) and not is_missing(row.get("gap_pp")):
            gap = row["gap_pp"]
            clauses.append(
                f"{_points(gap, decimals)} percentage points {'above' if gap > 0 else 'below'} "
                f"the target of {amount(target, unit, places, 'en')}"
                if round_half_up(gap, decimals)
                else "on target"
            )
    else:
        if not is_missing(row.get("completion")):
            clauses.append(
                f"{percent(row['completion'], decimals)} of the annual target of "
                f"{amount(annual, unit, places, 'en')}"
            )
        if not is_missing(row.get("period_completion")):
            clauses.append(
                f"{percent(row['period_completion'], decimals)} of the period target of "
                f"{amount(period_target, unit, places, 'en')}"
            )
        if row["status"] in _MET and row.get("basis") == "annual":
            clauses.append(
                "annual target already exceeded"
                if row["status"] == StatusKey.EXCEEDED
                else "annual target met"
            )
        elif judged_on_time(row) and not is_missing(row.get("gap_pp")):
            gap = row["gap_pp"]
            clauses.append(
                "level with time progress"
                if row["status"] == StatusKey.AT_PACE
                else f"{_points(gap, decimals)} percentage points "
                f"{'ahead of' if gap > 0 else 'behind'} "
                "time progress"
            )
    yoy = _yoy_clause(row, decimals, "en")
    if yoy:
        clauses.append(yoy)
    return ", ".join(clauses) + "."


def indicator_sentence(
    row: dict[str, Any] | pd.Series, *, lang: str = "zh", decimals: int = 1
) -> str:
    """One sentence for one row of a progress table, in the report's phrasing."""
    data = dict(row) if not isinstance(row, dict) else row
    if is_missing(data.get("actual")):
        name = data["name"] if lang == "zh" else (data.get("name_en") or data["name"])
        return f"{name}暂无数据。" if lang == "zh" else f"{name}: no figure reported."
    return _zh(data, decimals) if lang == "zh" else _en(data, decimals)


def join_sentences(sentences: Iterable[str], lang: str = "zh") -> str:
    """Sentences as one paragraph: Chinese runs them on (…。…。), English puts a space after
    each full stop ("… time progress. Enterprises …", never "progress.Enterprises")."""
    parts = [s for s in sentences if s]
    return " ".join(parts) if lang == "en" else "".join(parts)


def headline_paragraph(
    rows: pd.DataFrame, *, lang: str = "zh", decimals: int = 1, subject: str = ""
) -> str:
    """总体情况: 截至6月底，<one clause group per headline indicator>。

    ``subject`` (Chinese only) names who the figures are of, before the first sentence:
    截至6月底，示范区12个乡镇（街道）合计完成国地两税…, as a district summary opens."""
    if rows.empty:
        return ""
    period = rows.iloc[0]["period"]
    sentences = [
        indicator_sentence(r, lang=lang, decimals=decimals) for r in rows.to_dict("records")
    ]
    if lang == "en":
        return f"{period_phrase(period, 'en')}: " + join_sentences(sentences, "en")
    if subject and sentences:  # 合计 before a 完成 sentence; else the subject leads it
        sentences[0] = subject + ("合计" if sentences[0].startswith("完成") else "") + sentences[0]
    return f"{period_phrase(period)}，" + join_sentences(sentences)


def _names(rows: Iterable[dict[str, Any]], lang: str) -> str:
    names = [(r.get("name_en") or r["name"]) if lang == "en" else r["name"] for r in rows]
    return ", ".join(names) if lang == "en" else "、".join(names)


def pace_summary(table: pd.DataFrame, *, lang: str = "zh", decimals: int = 1) -> str:
    """时间过半、任务过半 only when true; else which indicators are behind time progress
    (flows only: :func:`annual_flows`, behind as their status says); those judged against
    their target alone are counted apart (达到目标或控制在控制数以内). At the year end the
    time elapsed is the whole year: the flows are counted as 完成全年任务 or not."""
    growth = annual_flows(table)
    if growth.empty:
        return ""
    p = growth.iloc[0]["time_progress"]
    year_end = p >= 1  # every flow judged against its annual target: short of it, not behind
    behind = growth[growth["status"].isin(SHORTFALL if year_end else BEHIND)].sort_values("gap_pp")
    judged = table[~table["status"].isin(UNJUDGED)]
    alone = judged[~judged.index.isin(growth.index)]
    n, k = len(growth), len(alone)
    on_pace = int(growth["status"].isin(ON_PACE).sum())
    met = int(alone["status"].isin(ON_PACE).sum())
    records = behind.to_dict("records")
    if lang == "en":
        return _pace_summary_en(records, n, on_pace, k, met, p, decimals) + _over_caps(alone, "en")
    if year_end:
        head = (
            f"按全年任务考核的{n}项指标均未完成全年任务"
            if on_pace == 0
            else f"按全年任务考核的{n}项指标均完成全年任务"
            if on_pace == n
            else f"按全年任务考核的{n}项指标中，{on_pace}项完成全年任务"
        )
    else:
        head = (
            f"按序时进度考核的{n}项指标均低于序时进度"
            if on_pace == 0
            else f"按序时进度考核的{n}项指标均达到或超过序时进度"
            if on_pace == n
            else f"按序时进度考核的{n}项指标中，{on_pace}项达到或超过序时进度"
        )
    if k:
        head += (
            f"；其余{k}项存量、比率和控制类指标均达到目标或控制在控制数以内"
            if met == k
            else f"；其余{k}项存量、比率和控制类指标{'均' if k > 1 else ''}未达标"
            if met == 0
            else f"；其余{k}项存量、比率和控制类指标中，{met}项达到目标或控制在控制数以内"
        )
    head += "。"
    over = _over_caps(alone, "zh")
    if not records:
        return (
            head
            + ("各项增长指标均实现“时间过半、任务过半”。" if p == 0.5 and not over else "")
            + over
        )
    named = records[:NAMED_BEHIND]
    listed = _short_of_year(named, decimals) if year_end else _behind_time(named, decimals)
    rest = records[NAMED_BEHIND:]
    if rest and not year_end:  # the furthest named; the others are closer than the last named
        nearest = max(abs(r["gap_pp"]) for r in rest)
        listed += (
            f"，其余{len(rest)}项与序时进度的差距均不超过"
            f"{_points(nearest, max(percent_places(r, decimals) for r in rest))}个百分点"
        )
    elif rest:
        listed += f"，另有{len(rest)}项未完成全年任务"
    return head + listed + "。" + over


def _over_caps(rows: pd.DataFrame, lang: str) -> str:
    """A cap exceeded, always named: 安全生产事故超过年度控制数。 (English: Work-safety
    accidents exceeded the cap.)"""
    over = rows[rows["status"] == StatusKey.OVER_CAP].to_dict("records")
    if not over:
        return ""
    if lang == "en":
        verb = "exceeded their caps" if len(over) > 1 else "exceeded the cap"
        return f" {_names(over, 'en').capitalize()} {verb}."
    return f"{_names(over, 'zh')}{'均' if len(over) > 1 else ''}超过年度控制数。"


def _behind_time(records: list[dict[str, Any]], decimals: int) -> str:
    """Those behind time progress, worst first, those of one status together, as the seed
    writes them: 规模林下养鸡户低于序时进度17个百分点，规模工业产值、招商引资到位资金、
    规模工业增加值分别低于3.8、3.3、2.9个百分点."""
    parts = []
    for i, (_, group) in enumerate(groupby(records, key=lambda r: r["status"])):
        rows = list(group)
        gaps = [_points(r["gap_pp"], percent_places(r, decimals)) for r in rows]
        what = "低于序时进度" if i == 0 else "低于"
        if len(rows) == 1:
            parts.append(f"{rows[0]['name']}{what}{gaps[0]}个百分点")
        elif len(set(gaps)) == 1:  # 均低于序时进度50个百分点, not 分别…50、50
            parts.append(f"{_names(rows, 'zh')}均{what}{gaps[0]}个百分点")
        else:
            parts.append(f"{_names(rows, 'zh')}分别{what}{'、'.join(gaps)}个百分点")
    return "，".join(parts)


def _short_of_year(records: list[dict[str, Any]], decimals: int) -> str:
    """Those short of the annual target at the year's end, furthest first: none done
    (引进亿元以上项目全年未实现零的突破), then the least done (翻新店招完成全年任务的72.5%,
    those of one shown figure together) and the others with 分别."""
    zero = [r for r in records if r["completion"] == 0]
    done = [r for r in records if r["completion"] != 0]
    parts = []
    if zero:
        parts.append(f"{_names(zero, 'zh')}全年{'均' if len(zero) > 1 else ''}未实现零的突破")
    shown = [percent(r["completion"], percent_places(r, decimals)) for r in done]
    if done:
        first = [r for r, s in zip(done, shown) if s == shown[0]]
        both = "均" if len(first) > 1 else ""
        parts.append(f"{_names(first, 'zh')}{both}只完成全年任务的{shown[0]}")
        others, figures = done[len(first) :], shown[len(first) :]
        if len(others) == 1:
            parts.append(f"{others[0]['name']}完成{figures[0]}")
        elif others:
            parts.append(f"{_names(others, 'zh')}分别完成{'、'.join(figures)}")
    return "，".join(parts)


def _pace_summary_en(
    records: list[dict[str, Any]], n: int, on_pace: int, k: int, met: int, p: float, decimals: int
) -> str:
    """:func:`pace_summary` in English."""
    s = "" if n == 1 else "s"
    if p >= 1:
        head = (
            f"All {n} indicator{s} judged against the annual target met it."
            if on_pace == n
            else f"{on_pace} of {n} indicator{s} judged against the annual target met it."
        )
    else:
        head = (
            f"All {n} indicator{s} judged against time progress are on or ahead of pace."
            if on_pace == n and n > 1
            else f"{on_pace} of {n} indicator{s} judged against time progress "
            f"{'is' if on_pace == 1 else 'are'} on or ahead of pace."
        )
    if k:
        head += (
            f" All {k} judged against their target or cap alone (stocks, rates, caps) meet it."
            if met == k and k > 1
            else f" None of the {k} judged against their target or cap alone (stocks, rates, "
            "caps) meets it."
            if met == 0
            else f" {met} of {k} judged against their target or cap alone "
            f"(stocks, rates, caps) {'meets' if met == 1 else 'meet'} it."
        )
    if not records:
        return head + (
            " Half the year gone, half the work done for every growth indicator."
            if p == 0.5
            else ""
        )
    lead = (
        " Short of the annual target: " if p >= 1 else f" Behind time progress ({percent(p, 0)}): "
    )
    return (
        head
        + lead
        + _names(records[:NAMED_BEHIND], "en")
        + (f" and {len(records) - NAMED_BEHIND} more" if len(records) > NAMED_BEHIND else "")
        + "."
    )
