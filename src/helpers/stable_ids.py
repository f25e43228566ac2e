"""Stable ids for indicators and sectors read from an office's sheet.

An office renames nothing between half-years on purpose, but spacing, full-width brackets,
numbering (``1、``, ``(二)``) and ``其中:`` come and go. The id depends only on the
normalised Chinese name: common indicators get a readable id from a fixed table (国地两税 →
``tax``), any other one ``ind_`` + the first 8 hex digits of the SHA-1 of its normalised
name, so the next half-year's sheet lines up with the last without any state.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from .sheet_cells import unit_in_text

__all__ = ["normalise_name", "display_name", "indicator_id", "sector_id", "KNOWN_INDICATORS",
           "strip_numbering", "NUMBERING"]

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
KNOWN_INDICATORS: dict[str, str] = {
    "国地两税": "tax", "国税地税": "tax", "国地税收": "tax", "税收收入": "tax", "国地税": "tax",
    "社会固定资产投资": "fai", "全社会固定资产投资": "fai", "固定资产投资": "fai",
    "固定资产投资总额": "fai",
    "规模工业产值": "industrial_output", "规模以上工业总产值": "industrial_output",
    "规上工业总产值": "industrial_output", "规模工业总产值": "industrial_output",
    "规模以上工业产值": "industrial_output", "规上工业产值": "industrial_output",
    "规模工业增加值": "industrial_va", "规模以上工业增加值": "industrial_va",
    "规上工业增加值": "industrial_va",
    "地区生产总值": "gdp", "gdp": "gdp", "生产总值": "gdp",
    "一般公共预算收入": "fiscal_revenue", "地方公共财政收入": "fiscal_revenue",
    "公共财政预算收入": "fiscal_revenue", "地方财政收入": "fiscal_revenue", "财政收入": "fiscal_revenue",
    "社会消费品零售总额": "retail_sales", "社会消费品零售额": "retail_sales",
    "招商引资到位资金": "investment_funds", "到位资金": "investment_funds",
    "招商引资到位资金总额": "investment_funds",
    "省外资金": "out_of_province_funds", "省外到位资金": "out_of_province_funds",
    "引进省外资金": "out_of_province_funds",
    "引进1亿元以上项目": "big_projects", "引进亿元以上项目": "big_projects",
    "新引进亿元以上项目": "big_projects",
    "新培育限额以上服务业企业": "new_service_firms", "新培育服务业限额以上企业": "new_service_firms",
    "新增限上服务业企业": "new_service_firms",
    "新培育规模企业": "new_industrial_firms", "新增规模以上工业企业": "new_industrial_firms",
    "新增规上工业企业": "new_industrial_firms",
    "农民人均纯收入": "rural_income", "农村居民人均可支配收入": "rural_income",
    "城镇居民人均可支配收入": "urban_income",
    "新增就业": "new_jobs", "新增城镇就业": "new_jobs", "城镇新增就业": "new_jobs",
    "粮食产量": "grain_output", "粮食总产量": "grain_output",
    "外贸进出口总额": "trade", "进出口总额": "trade",
    "实际利用外资": "fdi",
    "安全生产事故": "safety_accidents", "安全生产事故起数": "safety_accidents",
    "越级上访": "petitions", "越级上访批次": "petitions",
}


def strip_numbering(text: str) -> str:
    """``一、工业`` → ``工业``; ``(1)国地两税`` → ``国地两税``; ``其中:省外资金`` → ``省外资金``."""
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
    if m and unit_in_text(m.group(0)) is not None:
        name = name[: m.start()]
    return re.sub(r"\s+", "", name).rstrip("*:：")


def normalise_name(text: str) -> str:
    """The form ids are computed from: display name, NFKC, no spaces, ASCII lower-cased."""
    return display_name(text).lower()


def indicator_id(name: str) -> str:
    """A stable id: the fixed id of a common indicator, else ``ind_`` + 8 hex of SHA-1."""
    key = normalise_name(name)
    if key in KNOWN_INDICATORS:
        return KNOWN_INDICATORS[key]
    return "ind_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]


def sector_id(heading: str) -> str:
    """A sector's id: its Chinese name without numbering (``一、工业`` → ``工业``)."""
    return re.sub(r"\s+", "", strip_numbering(heading)).rstrip(":：")
