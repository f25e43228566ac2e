"""Stable ids for indicators and sectors read from an office's sheet.

An office renames nothing between half-years on purpose, but spacing, full-width brackets,
numbering (``1、``, ``(二)``) and ``其中:`` come and go. The id depends only on the
normalised Chinese name: common indicators get a readable id from a fixed table (国地两税 →
``tax``), any other one ``ind_`` + the first 16 hex digits (64 bits) of the SHA-1 of its
normalised name, so the next half-year's sheet lines up with the last without any state.

Up to issue 11 the id held 8 hex digits (32 bits): at 10⁴–10⁵ names two different names
shared one id and were merged. The longer id starts with the old one, so a data set imported
before lines up (:func:`legacy_id`): the merge keeps the folder's old id for the same name.
Two different names on one id are a problem, never a merge (:func:`same_indicator`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .cells import strip_invisible, unit_in_text

__all__ = [
    "normalise_name",
    "display_name",
    "indicator_id",
    "sector_id",
    "KNOWN_INDICATORS",
    "strip_numbering",
    "NUMBERING",
    "HASH_DIGITS",
    "is_generated",
    "legacy_id",
    "same_indicator",
    "id_clash_message",
]

#: Hex digits of a generated id: 64 bits, no collision expected below ~10⁹ names.
HASH_DIGITS = 16
#: Hex digits of the ids imported before issue 11 (a prefix of today's).
LEGACY_DIGITS = 8
_GENERATED = re.compile(r"^ind_[0-9a-f]{8,40}$")

#: Numbering in front of a heading or an indicator: 一、 (一) 1、 1. (1) ① 其中:
NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]"
    r"|[(（][一二三四五六七八九十]+[)）][、.．]?"
    r"|\d{1,2}[、.．](?!\d)"
    r"|[(（]\d{1,2}[)）][、.．]?)"
)
_TRAILING_BRACKET = re.compile(r"[(（\[【][^()（）\[\]【】]*[)）\]】]\s*$")
_SUBITEM = re.compile(r"^(?:其中|内含|含)[:：,，]?")

#: Normalised names of common indicators → readable ids (several spellings per indicator).
#: The ids are those of the shipped sample data set (data/sample), so a township's own sheet
#: lines up with it.
KNOWN_INDICATORS: dict[str, str] = {
    "国地两税": "tax",
    "国税地税": "tax",
    "国地税收": "tax",
    "税收收入": "tax",
    "国地税": "tax",
    "社会固定资产投资": "fai",
    "全社会固定资产投资": "fai",
    "固定资产投资": "fai",
    "固定资产投资总额": "fai",
    "规模工业产值": "ind_output",
    "规模以上工业总产值": "ind_output",
    "规上工业总产值": "ind_output",
    "规模工业总产值": "ind_output",
    "规模以上工业产值": "ind_output",
    "规上工业产值": "ind_output",
    "规模工业增加值": "ind_value_added",
    "规模以上工业增加值": "ind_value_added",
    "规上工业增加值": "ind_value_added",
    "引进亿元以上项目": "projects_100m",
    "引进1亿元以上项目": "projects_100m",
    "新引进亿元以上项目": "projects_100m",
    "成功引进1亿元以上项目": "projects_100m",
    "招商引资到位资金": "funds_in_place",
    "到位资金": "funds_in_place",
    "招商引资到位资金总额": "funds_in_place",
    "省外到位资金": "funds_outside",
    "省外资金": "funds_outside",
    "引进省外资金": "funds_outside",
    "新培育规模以上工业企业": "new_scale_ent",
    "新培育规模企业": "new_scale_ent",
    "新增规模以上工业企业": "new_scale_ent",
    "新增规上工业企业": "new_scale_ent",
    "引进企业": "new_firms",
    "新培育限额以上服务业企业": "new_service_ent",
    "新培育服务业限额以上企业": "new_service_ent",
    "新增限上服务业企业": "new_service_ent",
    "无公害蔬菜产业带": "veg_belt",
    "优质经果林产业带": "fruit_belt",
    "规模林下养鸡户": "forest_chicken",
    "病险水库整治": "reservoir",
    "新增农网变压器": "transformer",
    "场镇路面黑化": "road_black",
    "翻新店招": "shop_signs",
    "新建社区广场": "square",
    "农民集中居住区在建面积": "resettle_area",
    "职业技能和农村实用技术培训": "training",
    "评选师德标兵": "ethic_models",
    "新增就业": "new_jobs",
    "新增城镇就业": "new_jobs",
    "城镇新增就业": "new_jobs",
    "安全生产事故": "safety_accidents",
    "安全生产事故起数": "safety_accidents",
    "越级上访": "petitions",
    "越级上访批次": "petitions",
    "矛盾纠纷调处成功率": "dispute_rate",
    "地区生产总值": "gdp",
    "gdp": "gdp",
    "生产总值": "gdp",
    "一般公共预算收入": "fiscal_revenue",
    "地方公共财政收入": "fiscal_revenue",
    "公共财政预算收入": "fiscal_revenue",
    "地方财政收入": "fiscal_revenue",
    "财政收入": "fiscal_revenue",
    "社会消费品零售总额": "retail_sales",
    "社会消费品零售额": "retail_sales",
    "农民人均纯收入": "rural_income",
    "农村居民人均可支配收入": "rural_income",
    "城镇居民人均可支配收入": "urban_income",
    "粮食产量": "grain_output",
    "粮食总产量": "grain_output",
    "外贸进出口总额": "trade",
    "进出口总额": "trade",
    "实际利用外资": "fdi",
}


def strip_numbering(text: str) -> str:
    """``一、工业`` → ``工业``; ``(1)国地两税`` → ``国地两税``; ``其中:省外资金`` → ``省外资金``."""
    text = strip_invisible(text)  # a U+FEFF or U+200B in a name would give it a new id
    text = re.sub(r"^\s*[\u2460-\u2473\u2776-\u277f]", "", text)  # ① … ⑳ (NFKC makes them digits)
    text = unicodedata.normalize("NFKC", text).strip()
    before = None
    while before != text:
        before = text
        text = NUMBERING.sub("", text).strip()
        text = _SUBITEM.sub("", text).strip()
    return text


def display_name(text: str) -> str:
    """The indicator's name for the report: numbering, ``其中:`` and a unit in brackets removed."""
    name = strip_numbering(text)
    m = _TRAILING_BRACKET.search(name)
    if m and unit_in_text(m.group(0), percent=True) is not None:
        name = name[: m.start()]
    return re.sub(r"\s+", "", name).rstrip("*:：")


def normalise_name(text: str) -> str:
    """The form ids are computed from: display name, NFKC, no spaces, ASCII lower-cased."""
    return display_name(text).lower()


def indicator_id(name: str) -> str:
    """A stable id: the fixed id of a common indicator, else ``ind_`` + 16 hex of SHA-1."""
    key = normalise_name(name)
    if key in KNOWN_INDICATORS:
        return KNOWN_INDICATORS[key]
    return "ind_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:HASH_DIGITS]


def is_generated(ind: str) -> bool:
    """Whether an id was made from a name's hash (``ind_`` + hex), not a readable one."""
    return bool(_GENERATED.match(ind))


def legacy_id(ind: str) -> str | None:
    """The id the same name had before issue 11 (``ind_`` + 8 hex), for a generated id."""
    if not is_generated(ind) or len(ind) <= 4 + LEGACY_DIGITS:
        return None
    return ind[: 4 + LEGACY_DIGITS]


def same_indicator(a: str, b: str) -> bool:
    """Whether two names are one indicator: the same normalised name, or two spellings of a
    common indicator (规上工业增加值 / 规模以上工业增加值)."""
    ka, kb = normalise_name(a), normalise_name(b)
    if ka == kb:
        return True
    return ka in KNOWN_INDICATORS and KNOWN_INDICATORS[ka] == KNOWN_INDICATORS.get(kb)


def sector_id(heading: str) -> str:
    """A sector's id: its Chinese name without numbering (``一、工业`` → ``工业``)."""
    return re.sub(r"\s+", "", strip_numbering(heading)).rstrip(":：")


def id_clash_message(ind: str, first: str, where: str, name: str) -> str:
    """The problem of two different names given one id (never merged: one would report the
    other's figures)."""
    return (
        f"指标「{display_name(name)}」与{where}的「{display_name(first)}」名称不同,却得到同一编号 "
        f"{ind};请在映射文件或表中改写其中一个名称 (two different indicator names got one id "
        f"{ind}: not merged; rename one of them)"
    )
