"""helpers.errors: problems name the file, row, column and value, and show values safely."""

from __future__ import annotations

from helpers.errors import DataErrors, Problem


def test_a_problem_names_its_place_and_value():
    text = str(
        Problem("不是数字 (not a number)", file="actuals.csv", row=3, column="value", value="x")
    )
    assert "actuals.csv" in text and "3" in text and "value" in text and "x" in text


def test_control_characters_are_shown_and_chinese_is_kept():
    """A Word line break (\\x0b) or a newline cannot fake a line; the Chinese stays readable."""
    text = str(
        Problem("有控制字符", file="notes.csv", row=2, column="text", value="第一\x0b第二\n伪造")
    )
    assert "第一\\x0b第二\\n伪造" in text
    assert "\n" not in text and "\x0b" not in text and "\\u" not in text


def test_every_problem_is_listed_at_once():
    errors = DataErrors(
        [Problem("甲", file="a.csv", row=1), Problem("乙", file="a.csv", row=2)], source="a"
    )
    assert "甲" in str(errors) and "乙" in str(errors) and len(errors.problems) == 2
