import datetime as dt

import pytest

from helpers.data.periods import (
    is_full_year,
    last_completed_half,
    parse_period,
    period_label,
    plans_word,
    span_word,
    time_progress,
)
from helpers.errors import PeriodError


@pytest.mark.parametrize(
    "text, canonical, end_month, kind",
    [
        ("2013", "2013", 12, "Y"),
        (2013, "2013", 12, "Y"),
        (2013.0, "2013", 12, "Y"),
        ("2013H1", "2013H1", 6, "H"),
        ("2013h2", "2013H2", 12, "H"),
        ("2013Q1", "2013Q1", 3, "Q"),
        ("2013Q3", "2013Q3", 9, "Q"),
        ("2013-06", "2013-06", 6, "M"),
        ("2013-6", "2013-06", 6, "M"),
        ("２０１３Ｈ１", "2013H1", 6, "H"),
        ("2013年上半年", "2013H1", 6, "H"),
        ("2013年1-9月", "2013-09", 9, "M"),
    ],
)
def test_every_period_form(text, canonical, end_month, kind):
    p = parse_period(text)
    assert (str(p), p.end_month, p.kind) == (canonical, end_month, kind)


@pytest.mark.parametrize(
    "bad", ["2013H3", "2013Q5", "2013-13", "2013-00", "H1", "", None, "13H1", True]
)
def test_bad_periods_raise_period_error_with_value(bad):
    with pytest.raises(PeriodError) as info:
        parse_period(bad)
    assert isinstance(info.value, ValueError)
    assert info.value.value == bad


def test_time_progress():
    assert time_progress("2013H1") == 0.5
    assert time_progress("2013Q1") == 0.25
    assert time_progress("2013-09") == 0.75
    assert time_progress("2013") == 1.0


def test_previous_and_last_year():
    assert str(parse_period("2013H1").previous()) == "2012H2"
    assert str(parse_period("2013H2").previous()) == "2013H1"
    assert str(parse_period("2013Q1").previous()) == "2012Q4"
    assert str(parse_period("2013-01").previous()) == "2012-12"
    assert str(parse_period("2013H1").shifted_years(-1)) == "2012H1"
    assert str(parse_period("2013Q2").year_period) == "2013"


@pytest.mark.parametrize(
    "today, expected",
    [
        (dt.date(2026, 11, 26), "2026H1"),
        (dt.date(2026, 7, 1), "2026H1"),
        (dt.date(2026, 6, 30), "2025H2"),
        (dt.date(2027, 1, 5), "2026H2"),
    ],
)
def test_last_completed_half(today, expected):
    assert str(last_completed_half(today)) == expected


def test_labels():
    assert period_label("2013H1") == "2013年上半年"
    assert period_label("2013-06") == "2013年1-6月"
    assert period_label("2013H1", "en") == "H1 2013"


@pytest.mark.parametrize(
    ("period", "label", "span", "plans", "label_en", "plans_en"),
    [
        ("2013H1", "2013年上半年", "上半年", "下半年", "H1 2013", "the second half"),
        ("2013Q2", "2013年上半年", "上半年", "下半年", "H1 2013", "the second half"),
        ("2013H2", "2013年", "全年", "2014年", "2013", "2014"),  # figures to December
        ("2013Q4", "2013年", "全年", "2014年", "2013", "2014"),
        ("2013", "2013年", "全年", "2014年", "2013", "2014"),
        ("2013Q1", "2013年一季度", "一季度", "二季度", "Q1 2013", "Q2"),
        ("2013Q3", "2013年前三季度", "前三季度", "四季度", "Jan–Sep 2013", "Q4"),
        ("2013-08", "2013年1-8月", "1-8月", "下一步", "Jan–Aug 2013", "the next months"),
        ("2013-06", "2013年1-6月", "1-6月", "下一步", "Jan–Jun 2013", "the next months"),
    ],
)
def test_period_words_follow_the_months_the_figures_cover(
    period, label, span, plans, label_en, plans_en
):
    assert (period_label(period), span_word(period), plans_word(period)) == (label, span, plans)
    assert (period_label(period, "en"), plans_word(period, "en")) == (label_en, plans_en)
    assert is_full_year(period) == (span == "全年")
