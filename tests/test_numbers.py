import math

import pytest

from helpers.data.numbers import (
    format_number,
    format_percent,
    is_blank,
    parse_number,
    round_half_up,
)
from helpers.errors import NumberError


@pytest.mark.parametrize(
    "cell, value",
    [
        ("6,035", 6035.0),
        ("６０３５", 6035.0),
        ("６，０３５", 6035.0),
        ("55%", 55.0),
        ("55％", 55.0),
        ("－15.8", -15.8),
        ("\u221215.8", -15.8),
        (" 848 ", 848.0),
        ("1.98", 1.98),
        (848, 848.0),
        (0.55, 0.55),
        ("1,234,567.5", 1234567.5),
        ("+3", 3.0),
        ("1e3", 1000.0),
    ],
)
def test_number_forms(cell, value):
    assert parse_number(cell) == pytest.approx(value)


@pytest.mark.parametrize("cell", ["—", "-", "/", "", "  ", None, float("nan"), "－", "——"])
def test_no_value_marks(cell):
    assert parse_number(cell) is None
    assert is_blank(cell)


@pytest.mark.parametrize(
    "cell", ["abc", "12.3(3)", "1.98亿", "1,23", "下降15.8", "12..3", True, float("inf"), "6 035x"]
)
def test_anything_else_is_an_error_naming_the_value(cell):
    with pytest.raises(NumberError) as info:
        parse_number(cell)
    assert info.value.value == cell


@pytest.mark.parametrize(
    "value, decimals, expected",
    [
        (54.65, 1, 54.7),
        (0.125, 2, 0.13),
        (2.5, 0, 3.0),
        (-2.5, 0, -3.0),
        (109.72727, 1, 109.7),
        (54.7097, 0, 55.0),
        (1.005, 2, 1.01),
    ],
)
def test_round_half_up(value, decimals, expected):
    assert round_half_up(value, decimals) == expected


def test_float_noise_does_not_turn_a_half_down():
    assert round_half_up(0.0185 * 100, 1) == 1.9
    assert format_percent(0.0185) == "1.9%"
    assert round_half_up(1093 / 2000 * 100, 1) == 54.7


def test_python_round_would_differ():
    assert round(2.5) == 2 and round_half_up(2.5) == 3


def test_format():
    assert format_number(6035) == "6,035"
    assert format_number(None) == "—"
    assert format_number(math.nan) == "—"
    assert format_number(-0.04, 1) == "0.0"
    assert format_number(1.985, 2) == "1.99"
    assert format_percent(0.547097) == "54.7%"
    assert format_percent(0.547097, 0) == "55%"
    assert format_percent(float("nan")) == "—"
