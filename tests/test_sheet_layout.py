"""Titles, header rows and column roles of a 主要经济指标完成情况表."""

from __future__ import annotations

import pytest

from helpers.data.periods import parse_period
from helpers.importer.layout import (
    classify_header,
    find_layout,
    parse_title,
    period_for_months,
)
from helpers.importer.sheets import Grid


@pytest.mark.parametrize(
    "title, org, period",
    [
        ("XX镇2013年1-6月主要经济指标完成情况表", "XX镇", "2013H1"),
        ("XX镇2013年1-3月主要经济指标完成情况表", "XX镇", "2013Q1"),
        ("XX镇2013年1-12月主要经济指标完成情况表", "XX镇", "2013"),
        ("XX镇2013年全年主要经济指标完成情况表", "XX镇", "2013"),
        ("XX镇2013年度主要经济指标完成情况表", "XX镇", "2013"),
        ("XX镇2013年1-5月主要经济指标完成情况表", "XX镇", "2013-05"),
        ("XX镇2013年1-9月主要经济指标完成情况表", "XX镇", "2013Q3"),
        ("XX镇2013年1—6月主要经济指标完成情况表", "XX镇", "2013H1"),
        ("XX镇 2013年 1～6月 主要经济指标完成情况表", "XX镇", "2013H1"),
        ("附件1：太源镇2013年上半年主要经济指标完成情况", "太源镇", "2013H1"),
        ("2013年上半年龙泉乡主要经济指标完成情况", "龙泉乡", "2013H1"),
        ("2013年1-3月金溪街道主要经济指标完成情况表", "金溪街道", "2013Q1"),
        ("2013年一季度某某镇主要经济指标", "某某镇", "2013Q1"),
    ],
)
def test_titles_give_org_and_period(title: str, org: str, period: str) -> None:
    info = parse_title(title)
    assert info.org == org
    assert info.period == parse_period(period)


def test_a_month_alone_is_flagged_and_read_as_cumulative() -> None:
    info = parse_title("XX镇2013年6月份主要经济指标完成情况表")
    assert info.period == parse_period("2013H1") and info.month_only


def test_titles_without_org_or_period() -> None:
    assert parse_title("主要经济指标完成情况表").period is None
    assert parse_title("2013年1-6月各乡镇主要经济指标完成情况").org is None


@pytest.mark.parametrize(
    "months, period",
    [(3, "2013Q1"), (6, "2013H1"), (9, "2013Q3"), (12, "2013"), (5, "2013-05"), (11, "2013-11")],
)
def test_cumulative_spans_as_periods(months: int, period: str) -> None:
    assert period_for_months(2013, months) == parse_period(period)


@pytest.mark.parametrize(
    "header, role",
    [
        ("指标名称", "name"),
        ("指 标", "name"),
        ("单位", "unit"),
        ("计量单位", "unit"),
        ("序号", "serial"),
        ("全年目标", "target"),
        ("上半年目标", "target"),
        ("目标任务|全年", "target"),
        ("全年目标(万元)", "target"),
        ("1-6月累计", "actual"),
        ("本期|累计", "actual"),
        ("1-6月|完成", "actual"),
        ("完成情况|1-6月累计", "actual"),
        ("同比±%", "yoy"),
        ("本期|同比±%", "yoy"),
        ("同比增长(%)", "yoy"),
        ("比上年同期增长%", "yoy"),
        ("上年同期|累计", "last_actual"),
        ("去年同期", "last_actual"),
        ("上年同期|同比±%", "last_yoy"),
        ("备注", "note"),
        ("数据状态", "status"),
        ("领域", "sector"),
        ("完成率%", "ignored"),
        ("完成情况|完成率", "ignored"),
        ("序时进度", "ignored"),
        ("超(欠)序时", "ignored"),
        ("位次", "ignored"),
        ("预计全年", "ignored"),
        ("奋斗目标", "ignored"),
        ("6月当月", "ignored"),
        ("下半年目标", "ignored"),
        ("联系人", "ignored"),
    ],
)
def test_header_roles(header: str, role: str) -> None:
    assert classify_header(header)[0] == role


def _grid(rows: list[list[object]], merged: set[tuple[int, int]] | None = None) -> Grid:
    return Grid("t.csv", None, rows, list(range(1, len(rows) + 1)), merged or set())


def test_two_level_header_from_a_csv_fills_the_top_level_right() -> None:
    grid = _grid(
        [
            ["XX镇2013年1-6月主要经济指标完成情况表", None, None, None, None, None],
            ["单位:万元", None, None, None, None, None],
            ["指标名称", "单位", "本期", None, "上年同期", None],
            [None, None, "累计", "同比±%", "累计", "同比±%"],
            ["国地两税", "万元", "848", "12.3", "755", "8.1"],
        ]
    )
    layout = find_layout(grid)
    assert layout is not None
    assert layout.header_rows == [2, 3] and layout.first_data == 4
    assert [c.role for c in layout.columns] == [
        "name",
        "unit",
        "actual",
        "yoy",
        "last_actual",
        "last_yoy",
    ]
    assert layout.columns[3].header == "本期/同比±%"
    assert layout.table_unit == "万元" and layout.table_unit_row == 2
    assert layout.title is not None and layout.title.org == "XX镇"


def test_one_level_header_is_not_mistaken_for_two() -> None:
    grid = _grid(
        [
            ["指标名称", "全年目标(万元)", "1-6月累计(万元)"],
            ["一、工业", None, None],
            ["规模工业产值", "120000", "60000"],
        ]
    )
    layout = find_layout(grid)
    assert layout is not None and layout.header_rows == [0]
    assert layout.columns[1].unit == "万元" and layout.columns[2].end_month == 6


def test_no_header_row() -> None:
    assert find_layout(_grid([["a", "b"], ["1", "2"]])) is None


def test_org_from_the_reporting_unit_line() -> None:
    grid = _grid(
        [
            ["主要经济指标完成情况表", None],
            ["填报单位:青山镇", "单位:亿元"],
            ["指标名称", "全年目标"],
        ]
    )
    layout = find_layout(grid)
    assert layout is not None
    assert layout.org_line == ("青山镇", 2)
    assert layout.table_unit == "亿元"


def test_a_heading_right_below_the_header_is_not_a_second_header_level() -> None:
    grid = _grid(
        [
            ["序号", "指标名称", "全年目标", "1-6月累计"],
            ["一、工业", None, None, None],
            [1, "规模工业产值", 12, 6],
        ]
    )
    layout = find_layout(grid)
    assert layout is not None and layout.header_rows == [0] and layout.first_data == 1
