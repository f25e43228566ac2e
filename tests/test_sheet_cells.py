"""Cells as offices write them: units, ranks, growth words, 预计 and stars around a number."""

from __future__ import annotations

import pytest

from helpers.errors import NumberError
from helpers.importer.cells import (
    Cell,
    clean_text,
    is_known_unit,
    parse_cell,
    unit_in_text,
)


@pytest.mark.parametrize(
    "raw, expected",
    [
        (848, Cell(848.0)),
        (6035.0, Cell(6035.0)),
        ("6,035", Cell(6035.0)),
        ("６０３５", Cell(6035.0)),
        ("1.98亿", Cell(1.98, unit="亿元")),
        ("1.98亿元", Cell(1.98, unit="亿元")),
        ("8600万", Cell(8600.0, unit="万元")),
        ("6035 万元", Cell(6035.0, unit="万元")),
        ("40000平方米", Cell(40000.0, unit="平方米")),
        ("12.3(3)", Cell(12.3, rank=3)),
        ("12.3（3）", Cell(12.3, rank=3)),
        ("12.3(并列3)", Cell(12.3, rank=3)),
        ("预计848", Cell(848.0, estimated=True)),
        ("848(预计)", Cell(848.0, estimated=True)),
        ("预计1.98亿(2)", Cell(1.98, unit="亿元", rank=2, estimated=True)),
        ("1,850*", Cell(1850.0, starred=True)),
        ("—", Cell(None)),
        ("-", Cell(None)),
        ("/", Cell(None)),
        ("", Cell(None)),
        (None, Cell(None)),
        ("55%", Cell(55.0)),
    ],
)
def test_value_cells(raw: object, expected: Cell) -> None:
    assert parse_cell(raw) == expected


@pytest.mark.parametrize(
    "raw, value, word",
    [
        ("下降15.8", -15.8, "下降"),
        ("同比下降15.8%", -15.8, "下降"),
        ("增长5.2", 5.2, "增长"),
        ("减少3", -3.0, "减少"),
        ("持平", 0.0, "持平"),
        ("-15.8", -15.8, None),
        ("增长12.5(2)", 12.5, "增长"),
    ],
)
def test_growth_words_in_yoy_columns(raw: str, value: float, word: str | None) -> None:
    cell = parse_cell(raw, growth=True)
    assert cell.value == pytest.approx(value)
    assert cell.sign_word == word


@pytest.mark.parametrize("raw", ["abc", "约6亿", "下降-5", "预计", "(3)", "1.2.3", "6亿吨"])
def test_not_numbers_raise_with_the_cell_value(raw: str) -> None:
    with pytest.raises(NumberError) as info:
        parse_cell(raw, growth=True)
    assert info.value.value == raw


def test_growth_words_only_in_yoy_columns() -> None:
    with pytest.raises(NumberError, match="同比"):
        parse_cell("下降15.8")


def test_units_in_headers_and_names() -> None:
    assert unit_in_text("全年目标(万元)") == "万元"
    assert unit_in_text("粮食产量（吨）") == "吨"
    assert unit_in_text("完成率(%)") is None  # a percent header is not the row's unit
    assert unit_in_text("规模工业增加值(可比价)") is None
    assert unit_in_text("用电量(单位:万千瓦时)") == "万千瓦时"
    assert is_known_unit("亿") and is_known_unit("个") and not is_known_unit("可比价")
    assert clean_text(" 全年\n目标 ") == "全年目标"
