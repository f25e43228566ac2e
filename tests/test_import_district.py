"""District sheets (one row per township, indicator groups in merged columns), and a district
office's path end to end: ``kpibook import`` → ``kpibook check`` → ``kpibook run``.

Fixtures are built here with openpyxl (and a GBK CSV as bytes); the expected tables are written
by hand. Covered: groups ``目标 | 完成 | 完成率 | 位次`` and ``全年目标 | 1-6月 | 同比%`` under
merged indicator names with units, a 全区 row checked against the sum (matching and not),
township names normalised (人民政府, full width), one indicator per sheet named by the title,
several sheets in one workbook, a CSV whose merges are lost, hidden rows, a misread group.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import Workbook

from helpers.importer.merge import import_files, merge_results
from helpers.importer.tidy import ImportErrors
from tests.workbooks import kpibook, same

TOWNS = ["城南镇", "金华镇", "柳林乡", "石桥街道"]


def district_book(path: Path, *, total: list[Any] | None = None) -> Path:
    """示范区 2016年1-6月: three indicators in merged groups, a 全区 row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "上半年"
    rows: list[list[Any]] = [
        ["示范区各乡镇(街道)2016年1-6月主要经济指标完成情况表"] + [None] * 10,
        [
            "乡镇(街道)",
            "规上工业增加值(亿元)",
            None,
            None,
            None,
            "固定资产投资(万元)",
            None,
            None,
            "一般公共预算收入(万元)",
            None,
            None,
        ],
        [
            None,
            "目标",
            "完成",
            "完成率",
            "位次",
            "全年目标",
            "1-6月",
            "同比%",
            "目标",
            "完成",
            "位次",
        ],
        ["城南镇人民政府", 4.2, 2.1, 50, 2, 30000, 16200, 10.2, 2600, 1300, 1],
        ["金华镇", 3.0, 1.35, 45, 4, 25000, 11000, "下降3.5", 1800, 950, 2],
        ["柳林乡", 1.2, 0.66, 55, 1, 8000, 4100, 4.1, 600, 280, 4],
        ["石桥街道", 5.0, 2.4, 48, 3, 40000, 19800, 6.6, 3000, 1500, 3],
        total or ["全区", 13.4, 6.51, 48.6, None, 103000, 51100, 5.1, 8000, 4030, None],
        ["注:完成率按全年目标计算。"],
    ]
    for row in rows:
        ws.append(row)
    for rng in ("A1:K1", "A2:A3", "B2:E2", "F2:H2", "I2:K2"):
        ws.merge_cells(rng)
    wb.save(path)
    return path


EXPECTED_TARGETS = """
org,indicator,period,target,unit
城南镇,ind_value_added,2016,4.2,亿元
城南镇,fai,2016,30000,万元
城南镇,fiscal_revenue,2016,2600,万元
金华镇,ind_value_added,2016,3,亿元
金华镇,fai,2016,25000,万元
金华镇,fiscal_revenue,2016,1800,万元
柳林乡,ind_value_added,2016,1.2,亿元
柳林乡,fai,2016,8000,万元
柳林乡,fiscal_revenue,2016,600,万元
石桥街道,ind_value_added,2016,5,亿元
石桥街道,fai,2016,40000,万元
石桥街道,fiscal_revenue,2016,3000,万元
"""
EXPECTED_ACTUALS = """
org,indicator,period,value,unit,yoy
城南镇,ind_value_added,2016H1,2.1,亿元,
城南镇,fai,2016H1,16200,万元,10.2
城南镇,fiscal_revenue,2016H1,1300,万元,
金华镇,ind_value_added,2016H1,1.35,亿元,
金华镇,fai,2016H1,11000,万元,-3.5
金华镇,fiscal_revenue,2016H1,950,万元,
柳林乡,ind_value_added,2016H1,0.66,亿元,
柳林乡,fai,2016H1,4100,万元,4.1
柳林乡,fiscal_revenue,2016H1,280,万元,
石桥街道,ind_value_added,2016H1,2.4,亿元,
石桥街道,fai,2016H1,19800,万元,6.6
石桥街道,fiscal_revenue,2016H1,1500,万元,
"""


def test_a_district_sheet_with_indicator_groups(tmp_path: Path) -> None:
    [result] = import_files([district_book(tmp_path / "d.xlsx")])
    assert (result.parent, result.period, result.orgs) == ("示范区", "2016H1", TOWNS)
    same(
        result.indicators,
        """
indicator,name,sector,unit,direction,measure
ind_value_added,规上工业增加值,综合,亿元,up,cumulative
fai,固定资产投资,综合,万元,up,cumulative
fiscal_revenue,一般公共预算收入,综合,万元,up,cumulative
""",
    )
    same(result.targets, EXPECTED_TARGETS)
    same(result.actuals, EXPECTED_ACTUALS)
    text = "\n".join(result.inferences)
    assert "「城南镇人民政府」→ 城南镇" in text
    assert "合计行 6.51 与各乡镇之和 6.51 一致" in text
    assert "第9行是表下说明" in text
    merged = merge_results([result])
    assert merged.orgs is not None
    assert merged.orgs.to_dict("records") == [{"org": t, "parent": "示范区"} for t in TOWNS]


def test_a_total_row_that_differs_from_the_sum_is_a_warning(tmp_path: Path) -> None:
    total = ["合计", 13.4, 6.9, None, None, 103000, 51100, None, 8000, 4030, None]
    [result] = import_files([district_book(tmp_path / "d.xlsx", total=total)])
    text = "\n".join(result.inferences)
    assert "警告 (warning) 规上工业增加值 完成:合计行 6.9 与各乡镇之和 6.51 不同" in text
    assert "全区" not in set(result.actuals["org"]) and "合计" not in set(result.actuals["org"])


def test_one_indicator_per_sheet_several_sheets_hidden_rows(tmp_path: Path) -> None:
    wb = Workbook()
    first = wb.active
    first.title = "投资"
    sheets: list[tuple[Any, list[list[Any]]]] = [
        (
            first,
            [
                ["示范区各乡镇2016年1-6月固定资产投资完成情况"],
                ["单位:万元"],
                ["乡镇", "全年目标", "1-6月累计", "同比增长%", "位次"],
                ["城南镇", 30000, 16200, 10.2, 1],
                ["金华镇", 25000, 11000, -3.5, 2],
                ["试点园区", 100, 50, None, None],  # hidden: not imported
            ],
        ),
        (
            wb.create_sheet("说明"),
            [["本表由区统计局汇总。"]],
        ),
        (
            wb.create_sheet("安全生产"),
            [
                ["示范区各乡镇2016年上半年安全生产事故情况"],
                ["乡镇", "控制数(起)", "1-6月(起)", "上年同期(起)"],
                ["城南镇", "≤2", 0, 1],
                ["金华镇", "控制在3起以内", 1, 1],
            ],
        ),
    ]
    for ws, rows in sheets:
        for row in rows:
            ws.append(row)
    first.row_dimensions[6].hidden = True
    path = tmp_path / "many.xlsx"
    wb.save(path)
    invest, safety = import_files([path])
    same(
        invest.targets,
        """
org,indicator,period,target,unit
城南镇,fai,2016,30000,万元
金华镇,fai,2016,25000,万元
""",
    )
    same(
        invest.actuals,
        """
org,indicator,period,value,unit,yoy
城南镇,fai,2016H1,16200,万元,10.2
金华镇,fai,2016H1,11000,万元,-3.5
""",
    )
    assert "第6行是隐藏行,未导入" in "\n".join(invest.inferences)
    same(
        safety.indicators,
        """
indicator,name,unit,direction
safety_accidents,安全生产事故,起,down
""",
        ["indicator", "unit", "direction"],
    )
    same(
        safety.actuals,
        """
org,period,value
城南镇,2016H1,0
城南镇,2015H1,1
金华镇,2016H1,1
金华镇,2015H1,1
""",
    )
    assert safety.targets["target"].tolist() == [2, 3]


def test_a_district_csv_without_merges(tmp_path: Path) -> None:
    text = (
        "示范区各乡镇2016年1-6月主要指标完成情况,,,,\r\n"
        "乡镇,一般公共预算收入(万元),,新增城镇就业(人),\r\n"
        ",目标,完成,目标,完成\r\n"
        "城南镇,2600,1300,800,420\r\n"
        "ＪＩＮ华镇,1800,950,500,260\r\n"
    )
    path = tmp_path / "d.csv"
    path.write_bytes(text.encode("gbk"))
    [result] = import_files([path])
    same(
        result.actuals,
        """
org,indicator,period,value,unit
城南镇,fiscal_revenue,2016H1,1300,万元
城南镇,new_jobs,2016H1,420,人
JIN华镇,fiscal_revenue,2016H1,950,万元
JIN华镇,new_jobs,2016H1,260,人
""",
    )


def test_a_misread_district_group_is_a_problem_naming_the_cell(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    for row in [
        ["示范区各乡镇2016年1-6月主要指标完成情况"],
        ["乡镇", "招商引资到位资金(万元)", None, None],
        [None, "目标", "1-6月", "同比"],  # the office put last year's figure under 同比
        ["城南镇", 80000, 41000, 36500],
    ]:
        ws.append(row)
    ws.merge_cells("B2:D2")
    path = tmp_path / "m.xlsx"
    wb.save(path)
    with pytest.raises(ImportErrors) as info:
        import_files([path])
    [problem] = info.value.problems
    assert (problem.row, problem.column, problem.value) == (
        4,
        "D(招商引资到位资金(万元)/同比)",
        "36500",
    )
    out = tmp_path / "out"
    run = kpibook("import", str(path), "--out", str(out))
    assert run.returncode == 2 and not out.exists()


def test_a_district_office_path_end_to_end(tmp_path: Path) -> None:
    data = tmp_path / "区-2016H1"
    imported = kpibook("import", str(district_book(tmp_path / "示范区.xlsx")), "--out", str(data))
    assert imported.returncode == 0, imported.stderr
    assert "读法 (reading)" in imported.stdout and "target 目标" in imported.stdout
    check = kpibook("check", "--data", str(data))
    assert check.returncode == 0, check.stderr
    assert "4 个乡镇" in check.stdout
    out = tmp_path / "reports"
    run = kpibook("run", "--data", str(data), "--out", str(out), "--to", "html", "--workers", "1")
    assert run.returncode == 0, run.stderr
    made = sorted(p.name for p in (out / "2016H1").glob("*.html"))
    assert made == sorted([*(f"{t}.html" for t in TOWNS), "district.html", "index.html"])
    page = (out / "2016H1" / "城南镇.html").read_text(encoding="utf-8")
    assert "16200" in page.replace(",", "") and "城南镇" in page
    orgs = pd.read_csv(data / "orgs.csv", encoding="utf-8-sig")
    assert orgs["parent"].tolist() == ["示范区"] * 4
