"""helpers.errors: problems name the file, row, column and value, and show values safely."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from helpers.errors import DataErrors, Problem
from tests.tables import HALF_WIDTH, HALF_WIDTH_BY_MARKS

SRC = Path(__file__).resolve().parent.parent / "src" / "helpers"
#: Where kpibook's messages are written: the data layer, the errors, and the run and its
#: output (the command, the log, the index).
MESSAGE_MODULES = sorted(
    [
        *(SRC / "data").glob("*.py"),
        *(SRC / "base").glob("*.py"),
        *(SRC / "run").glob("*.py"),
        *(SRC / "output" / name for name in ("records.py", "index.py", "render.py")),
        SRC / "errors.py",
        SRC / "cli.py",
    ]
)


def string_constants(path: Path) -> list[tuple[int, str]]:
    """Every string literal of a module but its docstrings (English prose about the code)
    and its regular expressions, with its line: each message, each piece of an f-string."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    patterns = {  # every piece of a pattern given to re: (?:上半年) is regex syntax
        id(piece)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "re"
        and node.args
        for piece in ast.walk(node.args[0])
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docs
        and id(node) not in patterns
        and not node.value.startswith("^")  # a pattern kept in a constant
        and re.search(r"[\u4e00-\u9fff]", node.value)  # text, not a set of marks
    ]


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


@pytest.mark.parametrize("path", MESSAGE_MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_chinese_messages_use_full_width_punctuation(path):
    """Every Chinese text kpibook writes (messages, column help, the template's guide, the
    demo's notes) uses ，：；（）: 「同一张表出现两次:…,只能保留一个」 was the data layer's; the
    English after it keeps its own marks, numbers and % stay half-width."""
    wrong = [
        f"{path.name}:{line}: {text!r}"
        for line, text in string_constants(path)
        if HALF_WIDTH.search(text) or HALF_WIDTH_BY_MARKS.search(text)
    ]
    assert not wrong, wrong


def test_a_problem_joins_place_and_message_with_a_full_width_colon():
    text = str(Problem("不是数字 (not a number)", file="a.csv", row=3, column="value", value="x"))
    assert text == "a.csv 第3行 列「value」 值「x」：不是数字 (not a number)"
    assert str(Problem("文件为空", file="a.csv")) == "a.csv：文件为空"
    assert str(Problem("只有说明")) == "只有说明"


def test_a_long_value_is_shown_by_its_start_and_its_length():
    """A value of up to 100 characters is shown whole; a longer one (a 30,000-character note)
    by its first 50, escapes kept, and how long it is: the place says where the rest is."""
    whole = Problem("太长", file="actuals.csv", row=2, column="note", value="说" * 100)
    assert f"值「{'说' * 100}」" in str(whole)
    value = "\u200b" + "明" * 149
    long = str(Problem("太长", file="actuals.csv", row=2, column="note", value=value))
    assert long.startswith("actuals.csv 第2行 列「note」 值「")
    assert "明" * 49 + "…（共 150 字 / 150 characters）」：太长" in long
    assert "\u200b" not in long and "明" * 50 not in long and len(long) < 140
