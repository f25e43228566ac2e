"""Indicator and sector ids depend on the normalised name alone, so half-years line up."""

from __future__ import annotations

import hashlib

import pytest

from helpers.importer.ids import (
    display_name,
    indicator_id,
    normalise_name,
    sector_id,
    strip_numbering,
)


@pytest.mark.parametrize(
    "spelling",
    [
        "国地两税",
        "1、国地两税",
        "（1）国地两税",
        "国 地 两 税（万元）",
        "1. 国地两税(万元)",
        "①国地两税",
        "国地两税*",
    ],
)
def test_spellings_of_one_indicator_share_its_id(spelling: str) -> None:
    assert indicator_id(spelling) == "tax"
    assert display_name(spelling) == "国地两税"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("社会固定资产投资", "fai"),
        ("全社会固定资产投资", "fai"),
        ("规模工业产值", "ind_output"),
        ("规模以上工业总产值", "ind_output"),
        ("规上工业增加值", "ind_value_added"),
        ("其中:省外资金", "funds_outside"),
        ("GDP", "gdp"),
    ],
)
def test_common_indicators_have_readable_ids(name: str, expected: str) -> None:
    assert indicator_id(name) == expected


def test_other_indicators_get_a_hash_of_the_normalised_name() -> None:
    name = "农民集中居住区建设"
    expected = "ind_" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:16]
    assert indicator_id(name) == expected
    assert indicator_id("6、 农民集中居住区建设（平方米）") == expected
    assert indicator_id("农民集中居住区") != expected


def test_names_keep_brackets_that_are_not_units() -> None:
    assert normalise_name("规模工业增加值(可比价)") == "规模工业增加值(可比价)"
    assert strip_numbering("其中:省外资金") == "省外资金"


@pytest.mark.parametrize(
    "heading", ["一、工业", "（一）工业", "(一)工业", "一.工业", " 工业 ", "一、工 业"]
)
def test_sector_ids_are_the_name_without_numbering(heading: str) -> None:
    assert sector_id(heading) == "工业"
