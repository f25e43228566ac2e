"""Property tests: the number reader and the period parser either give the right value or raise
the project's own error, never another exception."""

from __future__ import annotations

import math
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.data.numbers import parse_number, round_half_up
from helpers.data.periods import parse_period
from helpers.errors import NumberError, PeriodError

FULLWIDTH = str.maketrans("0123456789-.%,", "０１２３４５６７８９－．％，")


@given(st.text(max_size=20))
def test_any_text_is_a_number_none_or_number_error(text):
    try:
        value = parse_number(text)
    except NumberError as exc:
        assert exc.value == text
    else:
        assert value is None or math.isfinite(value)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False))
def test_numbers_written_any_way_read_back(number):
    plain = f"{number:f}"
    grouped = f"{number:,f}"
    for cell in (plain, grouped, plain + "%", grouped.translate(FULLWIDTH), f" {plain} "):
        assert parse_number(cell) == float(plain), cell


@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.integers(min_value=0, max_value=4),
)
def test_half_up_rounding_is_within_half_a_unit(value, decimals):
    rounded = round_half_up(value, decimals)
    assert abs(rounded - value) <= 0.5 * 10**-decimals + 1e-9 * max(1.0, abs(value))


@given(st.text(max_size=12))
def test_any_text_is_a_period_or_period_error(text):
    try:
        period = parse_period(text)
    except PeriodError:
        return
    assert 1 <= period.end_month <= 12
    assert parse_period(str(period)) == period  # the canonical form reads back the same


@given(
    st.integers(min_value=1000, max_value=9999), st.sampled_from(["Y", "H", "Q", "M"]), st.data()
)
def test_every_valid_period_parses(year, kind, data):
    number = {
        "Y": 0,
        "H": data.draw(st.integers(1, 2)),
        "Q": data.draw(st.integers(1, 4)),
        "M": data.draw(st.integers(1, 12)),
    }[kind]
    text = {
        "Y": f"{year}",
        "H": f"{year}H{number}",
        "Q": f"{year}Q{number}",
        "M": f"{year}-{number:02d}",
    }[kind]
    period = parse_period(text)
    assert (period.year, period.kind, str(period)) == (year, kind, text)
    assert period.end_month == {"Y": 12, "H": 6 * number, "Q": 3 * number, "M": number}[kind]
    assert parse_period(unicodedata.normalize("NFKC", text.translate(FULLWIDTH))) == period


@settings(max_examples=50)
@given(st.integers(min_value=1000, max_value=9999), st.integers(min_value=3, max_value=99))
def test_impossible_halves_and_quarters_are_period_errors(year, number):
    for text in (f"{year}H{number}", f"{year}Q{number + 2}"):
        try:
            parse_period(text)
        except PeriodError as exc:
            assert exc.value == text
        else:
            raise AssertionError(f"{text} parsed")
