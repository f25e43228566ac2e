"""Find the layout of a 主要经济指标完成情况表: title, 单位 row, header rows, what each column is.

Offices lay the table out in many ways: a title row (``XX镇2013年1-6月主要经济指标完成情况表``)
that names the org and the period, a ``单位:万元`` row, a one- or two-level header with
merged cells (``本期`` over ``累计 | 同比±%``), computed columns (完成率, 序时进度, 位次) that
kpibook recomputes. This module reads only the words: it classifies each header by keywords
and reports what it decided, so the importer can print every inference.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..data.numbers import is_blank
from ..data.periods import Period, make
from ..data.units import normalise_unit
from .cells import clean_text, is_known_unit, strip_invisible, unit_in_text
from .orgs import is_total_label, preferred_spelling, same_org
from .sheets import Grid, Unreadable, cell_text, column_letter, is_number

__all__ = [
    "Title",
    "Column",
    "Layout",
    "parse_title",
    "period_in_text",
    "classify_header",
    "classify_column",
    "normalise_org",
    "joint_org",
    "looks_like_org",
    "ORG_HEADER",
    "org_name_ok",
    "compose_title",
    "find_layout",
    "period_for_months",
    "NAME_HEADERS",
]

#: Header cells that name the indicator column.
NAME_HEADERS = frozenset(
    {
        "指标名称",
        "指标",
        "项目",
        "名称",
        "主要指标",
        "项目名称",
        "指标项目",
        "经济指标",
        "主要经济指标",
        "指标名",
        "考核指标",
        "内容",
    }
)
_UNIT_HEADERS = frozenset({"单位", "计量单位", "计算单位"})
_SECTOR_HEADERS = frozenset({"类别", "领域", "板块", "分类", "行业", "所属领域", "大类"})
_STATUS_HEADERS = frozenset({"状态", "数据状态", "是否预计", "数据类型", "数据性质"})
_SERIAL_HEADERS = frozenset({"序号", "编号", "序"})

_COMPUTED = (
    "完成率",
    "完成比例",
    "完成进度",
    "完成%",
    "占全年",
    "占年度",
    "占目标",
    "占上半年",
    "占任务",
    "序时",
    "超欠",
    "超(欠)",
    "欠超",
    "进度",
    "位次",
    "排名",
    "名次",
    "排序",
    "差距",
    "差额",
    "绝对额",
)
_FORECAST = ("预计全年", "全年预计", "预计完成全年", "全年预测")
_STRETCH = ("奋斗", "争取", "力争")
_MONTHLY = ("本月", "当月", "单月")
_GROWTH = (
    "同比",
    "增长",
    "增幅",
    "增速",
    "增减",
    "±",
    "+-",
    "比上年",
    "较上年",
    "比去年",
    "较去年",
)
_LAST = ("上年", "去年", "同期", "上期")
_TARGET = ("目标", "任务", "计划", "预期", "控制数")
_ACTUAL = ("累计", "完成", "实绩", "实际", "本期", "本年", "实现", "金额", "数值", "绝对值", "总量")

_DASH = r"[-—–~～至到]"
_SPAN = re.compile(rf"1{_DASH}{{1,2}}(\d{{1,2}})月份?")
_MONTH = re.compile(r"(?<![\d-])(\d{1,2})月份?")
_QUARTERS = (
    ("前三季度", 9),
    ("1-3季度", 9),
    ("一季度", 3),
    ("第一季度", 3),
    ("1季度", 3),
    ("上半年", 6),
    ("半年", 6),
    ("全年", 12),
    ("年度", 12),
)


def period_for_months(year: int, end_month: int) -> Period:
    """A cumulative 1–N月 span as a period: 3 → Q1, 6 → H1, 9 → Q3, 12 → year, else the month."""
    if end_month == 12:
        return make(year, "Y")
    if end_month == 6:
        return make(year, "H", 1)
    if end_month in (3, 9):
        return make(year, "Q", end_month // 3)
    return make(year, "M", end_month)


_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "o": 0, "一": 1, "二": 2, "三": 3, "四": 4}
_CN_DIGITS.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
_CN_YEAR = re.compile(r"([一二][〇○零Ｏ一二三四五六七八九][〇○零Ｏ一二三四五六七八九]{2})(?=年)")
_CN_MONTH = r"(十[一二]?|[一二三四五六七八九])"


def _cn_month(text: str) -> str:
    """一 … 十二 as digits (a month)."""
    if text.startswith("十"):
        return str(10 + (_CN_DIGITS[text[1]] if len(text) > 1 else 0))
    return str(_CN_DIGITS[text])


def arabic_dates(text: str) -> str:
    """A year and months written in Chinese numerals as digits: ``二〇一六年`` (also ``二○一六年``,
    ``二零一六年``) → ``2016年``; ``一至六月`` / ``1—六月`` after a year → ``1至6月``; ``六月`` →
    ``6月``. Other text is unchanged (``一季度`` keeps its words)."""
    text = _CN_YEAR.sub(lambda m: "".join(str(_CN_DIGITS[c]) for c in m.group(1)), text)
    return re.sub(
        rf"(?:(?<=年)|(?<={_DASH})){_CN_MONTH}(?=月|{_DASH})", lambda m: _cn_month(m.group(1)), text
    )


def title_text(value: object) -> str:
    """A title's or header's text as read for a period: :func:`clean_text` and
    :func:`arabic_dates`."""
    return arabic_dates(clean_text(value))


def period_in_text(text: str) -> tuple[int | None, int | None, bool]:
    """(year, end month, month-only) of a period written in a title or header; parts may be None.

    ``2013年1-6月`` → (2013, 6, False); ``上半年目标`` → (None, 6, False); ``全年目标`` →
    (None, 12, False); ``2013年6月`` → (2013, 6, True): a month alone, read as 1–6月.
    Years and months in Chinese numerals count (``二〇一六年上半年``, :func:`arabic_dates`).
    """
    t = title_text(text)
    year_m = re.search(r"((?:19|20)\d{2})年", t)
    year = int(year_m.group(1)) if year_m else None
    rest = t[year_m.end() :] if year_m else t
    m = _SPAN.search(rest)
    if m and 1 <= int(m.group(1)) <= 12:
        return year, int(m.group(1)), False
    for word, month in _QUARTERS:
        if word in rest and not (word == "半年" and "下半年" in rest):
            return year, month, False
    if year_m and rest.startswith("度"):  # 2013年度
        return year, 12, False
    m = _MONTH.match(rest) if year_m else None
    if m and 1 <= int(m.group(1)) <= 12:
        return year, int(m.group(1)), True
    return year, None, False


@dataclass(frozen=True)
class Title:
    """What the title row says: the org and the period, each possibly unknown."""

    text: str
    row: int
    org: str | None
    period: Period | None
    month_only: bool = False  # ``2013年6月`` without ``1-``: read as 1–6月


_ORG_END = r"(?:街道办事处|街道办|街道|办事处|镇|乡|开发区|园区|管委会|社区|区|县|市)"
_PERIOD_WORDS = (
    rf"(?:1{_DASH}{{1,2}}\d{{1,2}}月份?|前三季度|第?一季度|上半年|全年|度|\d{{1,2}}月份?)?"
)


_ORG_NOISE = (
    re.compile(r"^(?:填报|报送|报表|制表|编制|填表|上报)?单位(?:名称)?[:：]"),
    re.compile(r"[(（\[【](?:盖章|公章|章|签章|印章)[)）\]】]"),
    re.compile(r"(?:截至|截止|截止到|截至到).*$"),
    re.compile(r"(?:19|20)\d{2}(?:年.*|[-./]\d{1,2}(?:[-./]\d{1,2})?)$"),
    re.compile(r"\d{1,2}月(?:\d{1,2}日)?.*$"),
    re.compile(r"(?:上半年|下半年|前三季度|第?[一二三四]季度|全年|年度|1-\d{1,2}月).*$"),
)
#: The office after an org's name: 人民政府, 党委, 委员会 (in ``中共XX委员会``).
_ORG_OFFICE = re.compile(r"(?:人民政府|政府|党工委|党委|工作委员会|委员会)$")
#: A name from data is never a path: ``..``, ``../``, ``/..`` and backslashes go
#: (``../../evil镇`` → ``evil镇``); a slash left between organs is read by :func:`joint_org`.
_PATH_LIKE = re.compile(r"\.{2,}[/\\]?|[/\\]\.+|\\|[\x00-\x1f\x7f]")
#: A name that reads like a path (``/tmp/x/``, ``../``, ``~/``, ``C:\``, ``.\``: it begins
#: with a separator, has two or more, or a part before the last in Latin letters, dots or
#: ``~``) is the path's last part: ``/tmp/outside/龙泉乡`` → ``龙泉乡``, never
#: ``tmpoutside龙泉乡``; ``XX镇党委/XX镇政府`` (organs, one slash) is left to :func:`joint_org`.
_PATH_HEAD = re.compile(r"^\s*(?:[A-Za-z]:)?[~.]*[/\\]")
_PATH_PART = re.compile(r"^[\x20-\x7e]*$")


def _path_tail(name: str) -> str:
    """``name`` less any path before its last part (see :data:`_PATH_HEAD`)."""
    parts = re.split(r"[/\\]", name)
    if len(parts) > 1 and (
        _PATH_HEAD.match(name) or len(parts) > 2 or any(_PATH_PART.match(p) for p in parts[:-1])
    ):
        return parts[-1]
    return name


#: Characters around a name that are never part of it (a bracket left from ``(2016年1-6月)``).
_ORG_STRIP = ":：,，、.。;；·•-—–~～()（）[]【】<>《》〈〉「」『』\"'“”‘’*#/\\| "

#: The organs of a township as titles name them: ``中共柳林乡委员会``, ``柳林乡人民政府``,
#: ``XX镇党委``, ``城关街道办事处``, ``中共城关街道工作委员会``, ``XX乡党政办``; after the
#: first, the place may be left out or shortened (``XX镇党委、政府``, ``…委员会、乡人民政府``).
_KIND = r"(?:街道|镇|乡|开发区|园区|社区|区|县|市)"
_OFFICE = (
    r"(?:工作委员会|管理委员会|委员会|党工委|工委|党委|人民政府办公室|政府办公室|人民政府|政府|"
    r"党政办公室|党政办|办公室|办事处|管委会|委)"
)
_PARTY = r"(?:中共|中国共产党)?"
_PLACE = rf"((?:(?![党委府办])[\u4e00-\u9fffA-Za-z]){{1,12}}{_KIND})"  # no office's words
_FIRST = rf"{_PARTY}{_PLACE}({_OFFICE})?"
_FOLLOW = rf"[、,，/&和与及暨]?{_PARTY}(?:{_PLACE}({_OFFICE})?|{_KIND}?({_OFFICE}))"
_JOINT = re.compile(rf"{_FIRST}(?:{_FOLLOW})?(?:{_FOLLOW})?(?:{_FOLLOW})?")


def joint_org(text: str) -> str | None:
    """The one org that a title's issuer or a 填报单位 names through its organs, or ``None``.

    ``中共柳林乡委员会柳林乡人民政府`` → ``柳林乡``; ``XX镇党委、政府`` → ``XX镇``;
    ``中共城关街道工作委员会城关街道办事处`` → ``城关街道``; ``石桥街道办事处`` stays as written.
    ``None`` when the text is not made of organs only (or names places side by side with no
    office: ``示范区各乡镇``); ``""`` when they name different places (no one org).
    """
    m = _JOINT.fullmatch(clean_text(text))
    if m is None:
        return None
    groups = m.groups()
    organs = [(groups[0], groups[1])] + [
        (groups[k], groups[k + 1] or groups[k + 2]) for k in range(2, len(groups), 3)
    ]
    places = [(place, office) for place, office in organs if place]
    if len(places) > 1 and not any(office for _, office in organs):
        return None  # 示范区各乡镇: names side by side, not a township's organs
    names = [place + ("办事处" if office == "办事处" else "") for place, office in places]
    if any(not same_org(names[0], n) for n in names[1:]):
        return ""
    return preferred_spelling(names)


def org_name_ok(name: str | None) -> bool:
    """Whether ``name`` can be an org's name: some letters (not ``(``, ``—`` or digits alone)
    and not a period's words (``上半年``)."""
    if not name:
        return False
    letters = re.sub(r"[^\u4e00-\u9fffA-Za-z]", "", name)
    if not letters:
        return False
    return bool(re.sub(r"上半年|下半年|前三季度|季度|全年|年度|年|月份|月|底|日", "", letters))


#: Headers of a column of townships (a district sheet): 乡镇, 镇街, 单位名称 …
ORG_HEADER = re.compile(
    r"^(?:乡镇|镇乡|镇街|乡镇街道|镇街道|乡|镇|街道|单位|地区|区域|乡镇名称|单位名称|镇名)"
    r"(?:[(（][^)）]*[)）])?(?:名称)?$"
)
_ORG_NAME = re.compile(
    r"^[\u4e00-\u9fffA-Za-z]{1,10}(?:镇|乡|街道|街道办事处|办事处|社区|园区|开发区)$"
)


def looks_like_org(text: str) -> bool:
    """Whether a cell names a township (太源镇, 城关街道办事处, 高新园区), not a total (全区)."""
    return bool(text) and not is_total_label(text) and bool(_ORG_NAME.match(normalise_org(text)))


def normalise_org(text: object) -> str:
    """An org's name as one spelling: ``填报单位:城南镇人民政府(盖章)`` → ``城南镇``.

    Full-width and half-width forms are one name (NFKC), spaces and invisible characters
    go, path-like punctuation goes (``../../evil镇`` → ``evil镇``), and what offices
    write around the name goes: 填报单位:, (盖章), 人民政府, 截至…, a trailing date, the
    party committee beside the government (:func:`joint_org`). ``""`` when nothing that
    can be a name is left (:func:`org_name_ok`): a bracket is never an org.
    """
    name = clean_text(text)
    name = _path_tail(name)
    before = None
    while before != name:
        before = name
        for pattern in _ORG_NOISE:
            name = pattern.sub("", name)
        name = _PATH_LIKE.sub("", name).strip(_ORG_STRIP)
        joint = joint_org(name)
        if joint is not None:
            name = joint
            break
        name = _ORG_OFFICE.sub("", name).replace("/", "").strip(_ORG_STRIP)
    return name if org_name_ok(name) else ""


#: Words that label a period (``统计时段``, ``报告期``), never an org's name.
_PERIOD_LABEL = re.compile(r"(?:时段|时间|期间|报告期|统计期|日期|年份|月份)$")


def parse_title(text: str, row: int = 0) -> Title:
    """Org and period from a title like ``XX镇2013年1-6月主要经济指标完成情况表``.

    The org is what comes before the year, else a name ending in 镇/乡/街道… right after the
    period (``2013年1-6月XX镇主要经济指标…``). A year in Chinese numerals (``二〇一六年``)
    is a year, never the org.
    """
    t = title_text(text)
    year, month, month_only = period_in_text(t)
    period = period_for_months(year, month) if year and month else None
    issuer, t = _strip_issuer(t)
    org: str | None = None
    if year is not None:
        head, _, tail = t.partition(f"{year}年")
        head = re.sub(r"^(?:附件|附表|表)\d*[:：、.]?", "", head).strip(_ORG_STRIP)
        head = re.split(r"[:：]", head)[-1]  # (统计时段:2016年…): a label, not a name
        if _PERIOD_LABEL.search(head):
            head = ""
        if head:
            org = head
        else:
            m = re.match(
                rf"{_PERIOD_WORDS}(.+?{_ORG_END})(?=主要|经济|各项|重点|指标|完成|工作|目标|考核)",
                tail,
            )
            org = m.group(1) if m else None
    else:  # 柳林乡上半年主要经济指标…: no year, but the org still opens the title
        m = re.match(
            rf"(.+?{_ORG_END})(?={_PERIOD_WORDS}(?:主要|经济|各项|重点|指标|完成|工作|目标|考核))",
            t,
        )
        org = m.group(1) if m else None
    if org:
        org = normalise_org(org) or None
    if org and (
        org.startswith(("各", "全", "所有"))
        or org in ("乡镇", "镇", "乡")
        or re.search(r"各(?:乡|镇|街|村|社区|单位|部门)", org)
    ):
        org = None  # 各乡镇 / 全区 / 示范区各乡镇: a table of many orgs, not one org's
    if org is None and issuer:  # 城南镇人民政府关于2016年上半年…: the issuer is the org
        own = normalise_org(issuer)
        if re.fullmatch(rf"[\u4e00-\u9fffA-Za-z]{{1,10}}{_ORG_END}", own) and not re.search(
            r"[局委厅室部]|中心", own
        ):
            org = own
    return Title(str(text).strip(), row, org, period, month_only)


_ISSUER = re.compile(r"^(.*)关于(?:印发|转发|下发|公布|通报|报送)?")
_QUOTES = re.compile(r"[《》「」『』“”\"'〈〉]")


def _strip_issuer(text: str) -> tuple[str, str]:
    """(issuer, rest) of a 通报 title: ``区统计局关于柳林乡2013年上半年…的通报`` →
    (``区统计局``, ``柳林乡2013年上半年…``); also ``关于印发…``, ``…办关于…``. No 关于: ("", text)."""
    t = _QUOTES.sub("", text)
    m = _ISSUER.match(t)
    if not m:
        return "", text
    rest = re.sub(r"(?:的)?(?:通报|通知|报告|情况说明)$", "", t[m.end() :])
    return m.group(1), rest


@dataclass(frozen=True)
class Column:
    """One column of the table and what the importer takes it for."""

    index: int
    header: str  # as shown to the user: 本期/累计
    role: str  # name unit sector note status serial target actual last_actual yoy
    #                        last_yoy change ignored
    why: str = ""  # why a column is ignored
    year: int | None = None  # a year written in the header (2012年1-6月)
    end_month: int | None = None  # the period written in the header (1-6月 → 6, 全年 → 12)
    unit: str | None = None  # a unit written in the header ((万元))
    estimated: bool = False  # 预计 in the header
    #: how its percents are written where no cell says: ``fraction`` (0.085 = 8.5%) or
    #: ``percent`` (8.5 = 8.5%), from the mapping file's ``percent`` line; None: not said
    percent: str | None = None

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def label(self) -> str:
        """``F(本期/累计)`` — how problems and inferences name the column."""
        return f"{self.letter}({self.header})" if self.header else self.letter


_COMPLETION = re.compile(r"^(?:完成|占)(?:全年|年度|上半年|半年|本年)?(?:目标|任务|计划)")
_RANK_NOTE = re.compile(r"[(（\[【](?:位次|排名|名次|排位)[)）\]】]")
_AMOUNT_UNIT = re.compile(r"[(（](?:[^)）%]*元|[^)）%]*亩|[^)）%]*米|个|人|户|家|项|起)[)）]")


def classify_header(text: str) -> tuple[str, str]:
    """(role, reason) of a header by its words.

    A two-level header is given as ``group|leaf``: the leaf decides first, the group only
    where the leaf says too little (:func:`classify_column`).
    """
    if "|" in text:
        group, _, leaf = text.partition("|")
        return classify_column(group, leaf)
    return _classify_one(text)


def _is_comparison(text: str) -> bool:
    """同比, 与上年同期比, 比上年增减: a group of a comparison with last year, not a figure of it."""
    t = clean_text(text)
    return (
        t.startswith("同比")
        or t.endswith(("比", "相比", "对比", "比较"))
        or bool(re.search(r"[比较](上年|去年|同期)", t))
    )


def classify_column(group: str, leaf: str) -> tuple[str, str]:
    """(role, reason) of a column under a two-level header: the leaf first, then the group.

    ``同比 | 上年同期`` is last year's figure, ``同比 | 增减±%`` the growth; ``上年同期 |
    累计`` last year's figure and ``上年同期 | 同比%`` last year's growth; ``1-6月 | 完成率``
    a computed column. A leaf that names no role (``%``, ``数值``) takes the group's.
    """
    group, leaf = clean_text(group), clean_text(leaf)
    if not group or not leaf or group == leaf:
        return _classify_one(group or leaf)
    leaf_role, leaf_why = _classify_one(leaf)
    group_role, group_why = _classify_one(group)
    if leaf_role in ("name", "unit", "sector", "note", "status", "serial", "change"):
        return leaf_role, leaf_why
    if group_role == "change" and leaf in ("绝对额", "绝对值", "绝对数", "数额", "总额"):
        return "change", ""  # 比上年增减 | 绝对额: the amount of change
    if leaf_role == "ignored" and leaf_why != _UNKNOWN:
        return leaf_role, leaf_why
    comparison = _is_comparison(group)
    last_group = not comparison and any(w in group for w in _LAST)
    if comparison:
        if leaf_role in ("last_actual", "last_yoy"):
            return ("last_actual" if leaf_role == "last_actual" else "last_yoy"), ""
        if leaf_role == "yoy":
            return "yoy", ""
        if leaf_role == "actual" and not any(w in leaf for w in _ACTUAL):
            return "yoy", ""  # 同比 | 1-6月: the growth of the period
        if leaf_role == "ignored":
            return "yoy", ""  # 同比 | %
        return (
            "ignored",
            "同比组下看不出是上年数还是增幅 (under 同比: neither last year nor growth)",
        )
    if last_group:
        if leaf_role in ("yoy", "last_yoy"):
            return "last_yoy", ""
        if leaf_role in ("actual", "last_actual", "ignored"):
            return "last_actual", ""
        return "ignored", "上年同期组下的目标列 (a target under 上年同期)"
    if group_role == "target" and leaf_role == "actual" and not any(w in leaf for w in _ACTUAL):
        return "target", ""  # 目标 | 全年
    if leaf_role == "ignored":  # 1-6月 | 数值
        return group_role, group_why
    return leaf_role, leaf_why


_UNKNOWN = "未识别的表头 (unknown header)"
#: Words of a column of amounts of change (增减额): never growth unless a cell says %.
_CHANGE_AMOUNT = ("增减额", "增加额", "增减量", "增量")
_RATE_MARKS = ("%", "％", "幅", "率", "速", "百分")


def _is_change_amount(text: str) -> bool:
    """比上年增减, 增减: a difference in the figure's own unit, unless %/幅/率 makes it a rate."""
    return "增减" in text and not any(w in text for w in _RATE_MARKS)


def _classify_one(text: str) -> tuple[str, str]:
    """(role, reason) of one header cell by its words."""
    t = clean_text(text)
    if _RANK_NOTE.search(t) and any(w in t for w in _GROWTH):  # 增幅%(位次): growth, rank in cell
        t = _RANK_NOTE.sub("", t)
    bare = re.sub(r"[(（][^)）]*[)）]", "", t)
    if not t:
        return "ignored", "空表头 (no header)"
    if bare in _SERIAL_HEADERS:
        return "serial", "序号 (row number)"
    if bare in NAME_HEADERS or bare.endswith("指标名称"):
        return "name", ""
    if bare in _UNIT_HEADERS:
        return "unit", ""
    if bare in _SECTOR_HEADERS:
        return "sector", ""
    if bare.startswith("备注") or bare in ("说明", "情况说明"):
        return "note", ""
    if bare in _STATUS_HEADERS:
        return "status", ""
    if "下半年" in t:
        return "ignored", "下半年数,不是1月起累计 (second half only, not cumulative)"
    if any(w in t for w in _FORECAST):
        return "ignored", "全年预计数,不是累计完成 (a forecast, not an actual)"
    if any(w in t for w in _STRETCH):
        return "ignored", "奋斗/争取目标,只读考核目标 (a stretch target)"
    if any(w in t for w in _MONTHLY):
        return "ignored", "当月数,不是累计 (a single month, not cumulative)"
    if _COMPLETION.match(bare):
        return (
            "ignored",
            "完成目标的百分比,由 kpibook 重新计算 (a completion %: kpibook recomputes it)",
        )
    if bare in ("绝对额", "绝对值", "绝对数", "总额", "数额"):
        return "actual", ""  # 本期 | 绝对额: the amount itself, beside its growth
    if any(w in t for w in _CHANGE_AMOUNT) and not any(w in bare for w in _RATE_MARKS):
        return "change", ""  # 增减额: an amount, unless a cell says % (read_change)
    if any(w in t for w in _COMPUTED):
        return "ignored", "计算列,由 kpibook 重新计算 (computed: kpibook recomputes it)"
    if (any(w in t for w in _GROWTH) and _AMOUNT_UNIT.search(t)) or _is_change_amount(t):
        return "change", ""  # 比上年增减: amounts of change, or growth where a cell says %
    if re.search(r"[比较](上年|去年|同期)", t) or (
        _is_comparison(bare) and any(w in t for w in _LAST)
    ):
        return "yoy", ""  # 比上年同期, 与上年同期比(%): a comparison, so the growth
    if any(w in t for w in _LAST):
        return ("last_yoy" if any(w in t for w in _GROWTH) else "last_actual"), ""
    if any(w in t for w in _GROWTH):
        return "yoy", ""
    if any(w in t for w in _TARGET):
        return "target", ""
    if any(w in t for w in _ACTUAL) or period_in_text(t)[1] is not None:
        return "actual", ""
    return "ignored", _UNKNOWN


_VALUE_ROLES = ("target", "actual", "yoy", "last_actual", "last_yoy", "change")


@dataclass
class Layout:
    """Where the table is in the grid and what each column holds."""

    header_rows: list[int]  # grid indexes of the header rows (one or two)
    first_data: int  # grid index of the first row after the header
    columns: list[Column]
    title: Title | None = None
    table_unit: str | None = None  # from a ``单位:万元`` row
    table_unit_text: str | None = None
    table_unit_row: int | None = None
    org_line: tuple[str, int] | None = None  # from a ``填报单位:XX镇`` row
    notes: list[str] = field(default_factory=list)  # what was decided, for the inferences

    def of(self, role: str) -> list[Column]:
        return [c for c in self.columns if c.role == role]

    @property
    def name_column(self) -> Column:
        return self.of("name")[0]


def _header_row(grid: Grid, limit: int = 30) -> int | None:
    """The first row with an indicator-name header and at least one value header."""
    for i in range(min(len(grid.rows), limit)):
        texts = [cell_text(v) for v in grid.rows[i]]
        if any(is_number(v) for v in grid.rows[i]):
            continue
        has_name = any(classify_header(t)[0] == "name" for t in texts if t)
        values = sum(classify_header(t)[0] in _VALUE_ROLES for t in texts if t)
        if has_name and values:
            return i
    return None


def _is_sub_header(grid: Grid, top: int, name_col: int) -> bool:
    """Whether the row below the header is its second level (累计 | 同比 under 本期)."""
    below = top + 1
    if below >= len(grid.rows):
        return False
    row = grid.rows[below]
    if any(is_number(v) for v in row):
        return False
    name_below = cell_text(grid.cell(below, name_col))
    if name_below and name_below != cell_text(grid.cell(top, name_col)):
        return False
    new = [
        j
        for j, v in enumerate(row)
        if cell_text(v) and cell_text(v) != cell_text(grid.cell(top, j))
    ]
    if any(cell_text(row[j]) and j <= name_col for j in new):
        return False  # text at or left of the name column: a heading row (一、工业), not a header
    return any(classify_header(cell_text(row[j]))[0] in _VALUE_ROLES for j in new)


def find_layout(grid: Grid, header: tuple[int, int] | None = None) -> Layout | None:
    """The layout of the table in ``grid``, or ``None`` when no header row is found.

    ``header`` = (first header row, number of levels) as the mapping file gives it (rows as
    the user sees them) instead of finding it; the name column is then the one headed like a
    name, else the first column with text.
    """
    notes: list[str] = []
    if header is not None:
        top = next((i for i, n in enumerate(grid.row_numbers) if n == header[0]), None)
        if top is None:
            return None
        notes.append(f"表头第{header[0]}行起共{header[1]}行 (映射文件给定 / from the mapping file)")
    else:
        top = _header_row(grid)
    if top is None:
        return None
    tops = [cell_text(v) for v in grid.rows[top]] + [""] * (grid.width - len(grid.rows[top]))
    name_col = next(
        (j for j, t in enumerate(tops) if t and classify_header(t)[0] == "name"),
        next((j for j, t in enumerate(tops) if t), 0),
    )
    header_rows = [top]
    subs = [""] * grid.width
    two = (
        header[1] >= 2 and top + 1 < len(grid.rows)
        if header is not None
        else _is_sub_header(grid, top, name_col)
    )
    if two:
        header_rows.append(top + 1)
        subs = [cell_text(v) for v in grid.rows[top + 1]] + [""] * (
            grid.width - len(grid.rows[top + 1])
        )
        for j in range(grid.width):  # a CSV loses merges: 本期 stands over its first column only
            if not tops[j] and subs[j]:
                k = j - 1
                while k >= 0 and not tops[k] and subs[k]:
                    k -= 1
                if k >= 0 and tops[k] and subs[k] and (top, j) not in grid.merged:
                    tops[j] = tops[k]
                    notes.append(
                        f"表头「{tops[k]}」向右覆盖 {column_letter(j)} 列 "
                        f"(top header {tops[k]!r} also covers column {column_letter(j)})"
                    )
    columns: list[Column] = []
    for j in range(grid.width):
        parts = [p for p in dict.fromkeys((tops[j], subs[j])) if p]
        role, why = classify_column(tops[j], subs[j])
        if header is not None and j == name_col and role != "name":
            role, why = "name", ""
        if j in grid.hidden_columns and role != "ignored":
            why = (
                f"隐藏列,未导入;看起来是 {role} (a hidden column, not imported; looks like {role})"
            )
            role = "ignored"
        shown = "/".join(parts)
        year, month, _ = period_in_text(shown)
        estimated = "预计" in shown and role in ("actual", "last_actual")
        columns.append(Column(j, shown, role, why, year, month, unit_in_text(shown), estimated))
    layout = Layout(header_rows, header_rows[-1] + 1, columns, notes=notes)
    _read_rows_above(grid, top, layout)
    return layout


#: Labels of the fields a line above the header may hold, several to a line
#: (``填报单位：白马镇人民政府（盖章）　　单位：万元　　填报人：张三``), longest first.
_FIELD_LABEL = re.compile(
    r"(填报单位|报送单位|报表单位|编制单位|填表单位|上报单位|报送机关|计量单位|金额单位|单位|"
    r"填报人|填表人|制表人|审核人|负责人|单位负责人|统计负责人|联系人|联系电话|电话|手机|"
    r"填报日期|报送日期|填表日期|制表日期|报出日期|日期|统计时段|报告期|时间)"
    r"(?:名称)?\s*(?:[(（][^)）]*[)）])?\s*[:：]"
)
_ORG_LABELS = frozenset({"填报单位", "报送单位", "报表单位", "编制单位", "填表单位", "上报单位"})
_ORG_LABELS |= {"报送机关"}
_UNIT_LABELS = frozenset({"单位", "计量单位", "金额单位"})


def labelled_fields(value: object) -> list[tuple[str, str]]:
    """The labelled fields of one cell, (label, value as written) in order: a line holding
    several (separated by spaces, full-width spaces, tabs or nothing) is split at each
    label, so ``填报单位：白马镇人民政府（盖章）　单位：万元`` gives the org and the unit apart."""
    text = strip_invisible(unicodedata.normalize("NFKC", str(value)))
    marks = list(_FIELD_LABEL.finditer(text))
    return [
        (m.group(1), text[m.end() : marks[k + 1].start() if k + 1 < len(marks) else None].strip())
        for k, m in enumerate(marks)
    ]


_NOT_TITLE = re.compile(
    r"^(?:计量|金额)?单位|^填报|^报送|^制表|^日期|^时间|^填表|^编制单位|^上报单位"
)
_TITLE_WORDS = ("完成情况", "指标", "统计表", "一览表")


def _read_rows_above(grid: Grid, top: int, layout: Layout) -> None:
    """Title, ``单位:万元`` and ``填报单位:XX镇`` from the rows above the header."""
    lines: list[tuple[str, int]] = []
    for i in range(top):
        for j, value in enumerate(grid.rows[i]):
            if (i, j) in grid.merged:
                continue
            text = cell_text(value)
            if not text:
                continue
            for label, field_value in labelled_fields(value):
                if label in _ORG_LABELS and layout.org_line is None:
                    first_word = (re.split(r"[\s,，;；]+", field_value) or [""])[0]
                    if org := normalise_org(first_word):
                        layout.org_line = (org, grid.row_numbers[i])
                if label in _UNIT_LABELS and layout.table_unit is None:
                    word = (re.split(r"\s+", field_value) or [""])[0]  # 万元    2016年7月6日
                    raw = re.split(r"[,，;；)）]", clean_text(word))[0]
                    first = re.split(r"[、/,，]", raw)[0]
                    if is_known_unit(first):
                        layout.table_unit = normalise_unit(first)
                        layout.table_unit_text = raw
                        layout.table_unit_row = grid.row_numbers[i]
            if not _NOT_TITLE.match(text):
                lines.append((str(value), grid.row_numbers[i]))
    layout.title = compose_title(lines)


_DATE_ONLY = re.compile(
    r"[(（]?(?:(?:19|20)\d{2}年\d{1,2}月\d{1,2}日|(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2})[)）]?"
)


def _period_only(text: str) -> bool:
    """Whether a line says nothing but a period: ``(2016年1-6月)``, ``【上半年】``."""
    rest = re.sub(r"(?:19|20)\d{2}年度?|\d{1,2}月份?|\d{1,2}日|底", "", title_text(text))
    rest = re.sub(
        r"上半年|下半年|前三季度|第?[一二三四]季度|全年|截至|截止到?|至|1[-—–~]", "", rest
    )
    return not re.sub(r"[^\u4e00-\u9fffA-Za-z]", "", rest)


def compose_title(lines: list[tuple[str, int]]) -> Title | None:
    """The title of a table from the lines above its header, (text, row) in order.

    The title is the first line with a year, else the first with 完成情况/指标/统计表/一览表;
    a title may be split over rows: ``柳林乡主要经济指标完成情况表`` over ``(2016年1-6月)``,
    or ``柳林乡2016年主要经济指标`` over ``（1—6月）``. The org then comes from the row that
    names one and the period from the year and the months wherever each is written; a row
    that only gives the period never gives the org (its bracket is no name). A row naming
    only the township's organs (``中共金山镇委员会 金山镇人民政府`` over the title) gives the
    org; a date alone (``2016年7月5日``, the day it was filled in) is no title.
    """
    lines = [(t, r) for t, r in lines if not _DATE_ONLY.fullmatch(title_text(t))]
    titled = [
        (text, row)
        for text, row in lines
        if re.search(r"(?:19|20)\d{2}年", title_text(text))
        or any(w in text for w in _TITLE_WORDS)
        or period_in_text(text)[1] is not None
    ]
    main = next(
        ((t, r) for t, r in titled if re.search(r"(?:19|20)\d{2}年", title_text(t))),
        next(((t, r) for t, r in titled if any(w in t for w in _TITLE_WORDS)), None),
    )
    if main is not None and _period_only(main[0]):  # (2016年1-6月) under the title proper
        main = next(((t, r) for t, r in titled if any(w in t for w in _TITLE_WORDS)), main)
    if main is None:
        return None
    title = parse_title(*main)
    others = [parse_title(t, r) for t, r in titled if (t, r) != main]
    used: list[tuple[str, int]] = [main]
    org, period, month_only = title.org, title.period, title.month_only
    if org is None:
        named = next((o for o in others if o.org and org_name_ok(o.org)), None)
        organs = next(
            (
                (t, r)
                for t, r in lines
                if (t, r) != main and re.search(_OFFICE, title_text(t)) and joint_org(t)
            ),
            None,
        )
        if named is not None:
            org = named.org
            used.append((named.text, named.row))
        elif organs is not None:  # 中共金山镇委员会 金山镇人民政府 over the title
            org = joint_org(organs[0])
            used.append(organs)
    if period is None:
        year = next((y for t, _ in titled if (y := period_in_text(t)[0]) is not None), None)
        months = next(
            ((t, r, m) for t, r in titled if (m := period_in_text(t))[1] is not None), None
        )
        if year is not None and months is not None:
            period = period_for_months(year, months[2][1] or 12)
            month_only = months[2][2]
            used.append((months[0], months[1]))
    if len(used) == 1:
        return title
    used.sort(key=lambda line: line[1])
    text = " ".join(dict.fromkeys(t.strip() for t, _ in used))
    return Title(text, used[0][1], org, period, month_only)


def blank_row(row: list[Any]) -> bool:
    """True when every cell of the row is empty or a no-value mark."""
    return all(is_blank(v) if not isinstance(v, Unreadable) else False for v in row)
