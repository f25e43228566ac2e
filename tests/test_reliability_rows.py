"""Issue 14, third round: CSV rows out of shape, values under no header and date cells of a
workbook are problems naming the file, row, column and value, found by ``check`` and
``run`` alike, never a figure or a 备注 cut short without a word."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

from helpers.data.dataset import load_dataset
from tests.tables import (
    ACTUALS,
    INDICATORS,
    SAMPLE,
    TARGETS,
    check_errors,
    data_folder,
    kpibook_cli,
)

HEADER = "org,indicator,period,value,unit,status,yoy,note"


pytestmark = pytest.mark.usefixtures("own_cache")


# ---------------------------------------------------------------- cells beyond the header


MORE = (
    "actuals.csv 第2行 值「甲镇,tax,2013H1,848,,,,占全年任务1,550万的55%」：这一行有 9 个单元格，"
    "表头只有 8 列，多出的 1 个（「550万的55%」）不会被读取：多半是某一格里的逗号（如 1,550 或 "
    '备注中的逗号）没有加英文双引号，把一格拆成了几格；请给含逗号的单元格加上双引号（"占全年任务'
    '1,550万"），或在 Excel、WPS 中修改后另存为 CSV (a row of 9 cells under a header of 8 '
    "columns: most likely a comma inside a cell without quotes split it; quote that cell)"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_an_unquoted_comma_in_a_note_is_a_problem_naming_the_row(tmp_path, encoding):
    actuals = ACTUALS.replace(
        "甲镇,tax,2013H1,848,,,,", "甲镇,tax,2013H1,848,,,,占全年任务1,550万的55%"
    )
    path = data_folder(tmp_path, encoding, actuals=actuals)
    assert check_errors(path) == [MORE]
    check = kpibook_cli("check", "--data", str(path))
    assert check.returncode == 2 and MORE in check.stdout + check.stderr
    out = tmp_path / "out"
    run = kpibook_cli(
        "run", "--data", str(path), "--period", "2013H1", "--to", "html", "--out", str(out)
    )
    assert run.returncode == 2 and MORE in run.stdout + run.stderr
    assert not out.exists()  # nothing written


def test_the_testers_row_of_ten_cells_in_the_sample(tmp_path):
    data = shutil.copytree(SAMPLE, tmp_path / "data")
    text = (data / "actuals.csv").read_text(encoding="utf-8")
    old = "太源镇,tax,2013H1,848,万元,正式,,\n"  # the sample's row (its note dropped, issue 13)
    assert old in text
    (data / "actuals.csv").write_text(
        text.replace(old, "太源镇,tax,2013H1,848,万元,正式,,占全年任务1,550万的55%,extra\n"),
        encoding="utf-8",
    )
    check = kpibook_cli("check", "--data", str(data))
    assert check.returncode == 2
    assert (
        "actuals.csv 第2行 值「太源镇,tax,2013H1,848,万元,正式,,占全年任务1,550万的55%,extra」："
        "这一行有 10 个单元格，表头只有 8 列，多出的 2 个（「550万的55%」、「extra」）不会被读取"
    ) in check.stdout + check.stderr


@pytest.mark.parametrize(
    ("row", "found"),
    [
        ("甲镇,tax,2013H1,848,,,", 7),  # the note's comma left out
        ("甲镇,tax,2013H1,848", 4),  # optional cells left off
        ("甲镇,tax,2013H1848,,,,", 7),  # two cells run together
    ],
)
def test_a_row_with_fewer_cells_is_a_problem_naming_the_row(tmp_path, row, found):
    path = data_folder(tmp_path, actuals=ACTUALS.replace("甲镇,tax,2013H1,848,,,,", row))
    assert check_errors(path) == [
        f"actuals.csv 第2行 值「{row}」：这一行只有 {found} 个单元格，表头有 8 列，少了 "
        f"{8 - found} 个：多半是漏了逗号，或两格写在了一起，后面的值因此错了列；请补齐逗号（空的格"
        f"也要留逗号），或在 Excel、WPS 中修改后另存为 CSV (a row of {found} cells under a header "
        f"of 8 columns: a comma left out shifts the cells after it; add the missing commas, an "
        "empty cell too)"
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "gb18030"])
def test_quoted_commas_and_blank_lines_stay_fine(tmp_path, encoding):
    actuals = (
        ACTUALS.replace(
            "甲镇,tax,2013H1,848,,,,", '甲镇,tax,2013H1,"848",,,,"占全年任务1,550万的55%"'
        )
        + "\n,,,\n"  # an empty line and a blank row of another width lose nothing
    )
    ds = load_dataset(data_folder(tmp_path, encoding, actuals=actuals))
    notes = ds.actuals.set_index(["org", "indicator", "period"])["note"]
    assert notes[("甲镇", "tax", "2013H1")] == "占全年任务1,550万的55%"
    assert kpibook_cli("check", "--data", str(tmp_path / "data")).returncode == 0


def test_a_tab_separated_row_out_of_shape_is_named_too(tmp_path):
    tabbed = (
        ACTUALS.replace('"6,035"', "6035")
        .replace(",", "\t")
        .replace("甲镇\ttax\t2013H1\t848\t\t\t\t", "甲镇\ttax\t2013H1\t848\t\t\t\t备注\t多余")
    )
    [problem] = check_errors(data_folder(tmp_path, actuals=tabbed))
    assert (
        problem.startswith("actuals.csv 第2行 ") and "这一行有 9 个单元格，表头只有 8 列" in problem
    )


def test_a_value_under_an_empty_header_cell_is_a_problem(tmp_path):
    actuals = ACTUALS.replace(HEADER, HEADER.replace(",yoy,", ",,"))
    assert check_errors(data_folder(tmp_path, actuals=actuals)) == [
        "actuals.csv 第10行 列「第G列（没有表头）」 值「12.5」：这一列没有表头，其中的值不会被读取："
        "请填写表头（列名），或删除这个值 (a value in a column without a header would be "
        "ignored: name the column or delete the value)"
    ]


def test_a_missing_closing_quote_names_the_cell_not_the_count(tmp_path):
    broken = ACTUALS.replace("甲镇,tax,2013H1,848,,,,", '甲镇,tax,2013H1,848,,,,"华能电器、驾校')
    [problem] = check_errors(data_folder(tmp_path, actuals=broken))
    assert problem.startswith("actuals.csv 第2行 列「note」 值「华能电器、驾校\\n甲镇,tax,2012H1")
    assert "这一格从一个引号开始，跨了几行" in problem and "多半是少了一个右引号" in problem


# ---------------------------------------------------------------- workbooks


def book(path: Path, actuals: list[list[object]]) -> Path:
    """The small data set as an .xlsx with the actuals sheet given as cell values."""
    import csv
    import io

    wb = Workbook()
    wb.remove(wb.active)
    for title, text in (("indicators", INDICATORS), ("targets", TARGETS)):
        ws = wb.create_sheet(title)
        for line in csv.reader(io.StringIO(text)):
            ws.append([float(c) if c.replace(".", "").isdigit() else c or None for c in line])
    ws = wb.create_sheet("actuals")
    ws.append(HEADER.split(","))
    for row in actuals:
        ws.append(row)
    wb.save(path)
    return path


GOOD = [
    ["甲镇", "tax", "2013H1", 848],
    ["甲镇", "fai", "2013H1", 6035],
    ["乙镇", "tax", "2013H1", 400],
]


def test_a_value_past_the_last_header_of_a_sheet_is_a_problem(tmp_path):
    rows = [GOOD[0] + [None, None, None, "占全年任务", "1,550万"], *GOOD[1:]]
    assert check_errors(book(tmp_path / "d.xlsx", rows)) == [
        "d.xlsx[actuals] 第2行 列「第I列（没有表头）」 值「1,550万」：这一列没有表头，其中的值不会被"
        "读取：请填写表头（列名），或删除这个值 (a value in a column without a header would be "
        "ignored: name the column or delete the value)"
    ]


DATE = (
    "单元格是日期或时间，不是数字：多半是它的格式被设成了日期，Excel 把输入的数显示成了日期；请把"
    "单元格格式改为「常规」或「数值」，再输入数字 (a date or time cell, not a number: the cell "
    "is formatted as a date; set its format to General or Number and type the number again)"
)


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        (datetime.datetime(2013, 6, 30), "2013-06-30"),
        (datetime.datetime(1902, 4, 27), "1902-04-27"),  # 848 typed into a date cell
        (datetime.datetime(2013, 6, 30, 8, 30), "2013-06-30 08:30"),
        (datetime.time(12, 30), "12:30"),
    ],
)
def test_a_date_in_a_value_cell_is_named_as_a_date(tmp_path, cell, shown):
    path = book(tmp_path / "d.xlsx", [GOOD[0][:3] + [cell], *GOOD[1:]])
    assert check_errors(path) == [f"d.xlsx[actuals] 第2行 列「value」 值「{shown}」：{DATE}"]
    check = kpibook_cli("check", "--data", str(path))
    assert check.returncode == 2 and f"值「{shown}」：{DATE}" in check.stdout + check.stderr


def test_a_date_in_a_yoy_cell_and_a_period_cell_are_named_as_dates(tmp_path):
    rows = [
        GOOD[0][:3] + [848, None, None, datetime.datetime(2013, 1, 5)],
        ["甲镇", "fai", datetime.datetime(2013, 6, 1), 6035],
        GOOD[2],
    ]
    assert check_errors(book(tmp_path / "d.xlsx", rows)) == [
        f"d.xlsx[actuals] 第2行 列「yoy」 值「2013-01-05」：{DATE}",
        "d.xlsx[actuals] 第3行 列「period」 值「2013-06-01」：期间单元格是日期：Excel 把输入的期间"
        "（如 2013-06）当成了日期；请把单元格格式改为「文本」后重新输入，或写成 2013H1、2013年1-6月 "
        "(a period cell holds a date: Excel took the period typed for a date; format the cell "
        "as text and type it again, or write 2013H1)",
    ]
