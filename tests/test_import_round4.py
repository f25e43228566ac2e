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

from helpers.errors import DataErrors
from helpers.importer.mapping import read_mapping
from helpers.importer.merge import import_files
from helpers.importer.tidy import import_sheet
from tests.workbooks import build_xlsx, kpibook, nothing_written, problems_of, same

HEADER = ["指标名称", "单位", "全年目标", "1-6月", "同比±%"]
FIGURES: list[list[Any]] = [
    ["地区生产总值", "万元", 50000, 26000, 8.5],
    ["新增就业", "人", 500, 300, None],
]


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
        ("中共石门乡委 石门乡政府2016年1-6月主要经济指标完成情况", "石门乡"),
        ("柳林乡党委、政府关于2016年上半年工作情况的报告", "柳林乡"),
        ("中共柳林乡委员会、乡人民政府关于2016年上半年工作的报告", "柳林乡"),
        ("柳林乡人民政府办公室关于2016年1-6月主要经济指标完成情况的通报", "柳林乡"),
        ("中共城关街道工委 城关街道办事处关于2016年上半年工作的报告", "城关街道"),
        ("城关街道党工委、办事处2016年上半年主要经济指标完成情况", "城关街道"),
        ("新区镇党委 新区镇政府2016年上半年主要指标完成情况", "新区镇"),
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
        (
            [["中共金山镇委员会  金山镇人民政府"], ["2016年上半年主要经济指标完成情况表"]],
            "金山镇",
            "2016H1",
        ),
        ([["金山镇经济指标完成情况表"], ["（统计时段：2016年1-6月）"]], "金山镇", "2016H1"),
        ([["金山镇2016年主要经济指标完成情况"], ["(1-6月累计)"]], "金山镇", "2016H1"),
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


def test_a_date_line_is_no_title(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["金山镇主要经济指标完成情况表"],
        [None, None, None, "2016年7月5日"],
        ["指标名称", "单位", "全年目标", "累计", "同比±%"],
        *FIGURES,
    ]
    path = build_xlsx(tmp_path / "d.xlsx", rows)
    (p,) = problems_of(lambda: import_sheet(path))
    assert p.message.startswith("标题和表头都看不出期间,请用 --period 指定")  # not 2016年7月
    assert import_sheet(path, period="2016H1").org == "金山镇"


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


def test_a_district_title_over_a_period_row(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["示范区各乡镇固定资产投资完成情况(单位:万元)"],
        ["(2016年1-6月)"],
        ["乡镇", "全年目标", "1-6月", "同比%"],
        ["太源镇", 30000, 16000, 8.5],
        ["柳林乡", 20000, 11000, 0.4],
    ]
    (result,) = import_files([build_xlsx(tmp_path / "d.xlsx", rows)])
    assert (result.parent, result.period) == ("示范区", "2016H1")
    same(
        result.actuals,
        """
org,indicator,period,value,unit,yoy
太源镇,fai,2016H1,16000,万元,8.5
柳林乡,fai,2016H1,11000,万元,0.4
""",
    )


@pytest.mark.parametrize(
    "text, name",
    [
        ("示范区各乡镇", "示范区各乡镇"),
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


# --------------------------------------------------------------------------- 3. 比上年增减

TITLE = "青山镇2016年1-6月主要经济指标完成情况表"


def change_sheet(tmp_path: Path, header: str, cells: list[Any], **kw: Any) -> Path:
    rows: list[list[Any]] = [
        [TITLE],
        ["指标名称", "单位", "全年目标", "1-6月", header],
        ["地区生产总值", "万元", 50000, 26000, cells[0]],
        ["财政收入", "万元", 3000, 1600, cells[1]],
        ["新增就业", "人", 500, 300, cells[2]],
    ]
    return build_xlsx(tmp_path / "c.xlsx", rows, **kw)


@pytest.mark.parametrize(
    "header, cells, percent, yoy, amounts",
    [
        ("比上年增减", ["8.5%", "-2.1%", 20], (), [8.5, -2.1, None], "E5"),
        ("比上年增减", ["增长8.5%", "下降2.1%", "+20"], (), [8.5, -2.1, None], "E5"),
        ("比上年增减", [0.085, -0.021, 20], ("E3", "E4"), [8.5, -2.1, None], "E5"),
        ("比上年增减(%)", [8.5, -2.1, None], (), [8.5, -2.1, None], None),
        ("比上年增减（%）", ["8.5%", -2.1, 4], (), [8.5, -2.1, 4.0], None),
        ("增减额", [1800, "-2.1%", 20], (), [None, -2.1, None], "E3、E5"),
        ("比上年增减(万元)", [1800, 120, None], (), [None, None, None], "E3、E4"),
        ("增减", ["8.5%", None, "12人"], (), [8.5, None, None], "E5"),
    ],
)
def test_percent_cells_of_a_change_column_are_growth_the_rest_amounts(
    tmp_path: Path,
    header: str,
    cells: list[Any],
    percent: tuple[str, ...],
    yoy: list[float | None],
    amounts: str | None,
) -> None:
    result = import_sheet(change_sheet(tmp_path, header, cells, percent=percent))
    shown = ["" if v is None else f"{v:g}" for v in yoy]
    same(
        result.actuals,
        f"""
org,indicator,period,value,unit,yoy
青山镇,gdp,2016H1,26000,万元,{shown[0]}
青山镇,fiscal_revenue,2016H1,1600,万元,{shown[1]}
青山镇,new_jobs,2016H1,300,人,{shown[2]}
""",
    )
    listed = [line for line in result.inferences if line.startswith("增减列中不带%的数是增减额")]
    if amounts is None:
        assert not listed
    else:
        assert len(listed) == 1 and listed[0].endswith(f": {amounts}")


def test_a_two_level_change_group_amount_and_percent(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        [TITLE],
        ["指标名称", "单位", "全年目标", "1-6月", "比上年增减", None],
        [None, None, None, None, "绝对额", "%"],
        ["地区生产总值", "万元", 50000, 26000, 2000, 8.3],
        ["财政收入", "万元", 3000, 1600, -34, "-2.1%"],
    ]
    merges = ("A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2")
    result = import_sheet(build_xlsx(tmp_path / "g.xlsx", rows, merges=merges))
    same(
        result.actuals,
        """
org,indicator,period,value,unit,yoy
青山镇,gdp,2016H1,26000,万元,8.3
青山镇,fiscal_revenue,2016H1,1600,万元,-2.1
""",
    )
    assert any(line.endswith(": E4、E5") for line in result.inferences)


def test_a_change_cell_that_cannot_be_read_is_a_problem(tmp_path: Path) -> None:
    path = change_sheet(tmp_path, "比上年增减", ["8.5%", "见附表", 20])
    (p,) = problems_of(lambda: import_sheet(path))
    assert (p.row, p.column, p.value) == (4, "E(比上年增减)", "见附表")
    assert p.message.startswith("不是数字")


def test_a_percent_change_of_a_rate_is_points_or_growth_a_problem(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        [TITLE],
        ["指标名称", "单位", "全年目标", "1-6月", "比上年增减"],
        ["城镇化率", "%", 56, 55.2, "1.2%"],
        ["森林覆盖率", "%", 60, 58.1, "增长0.5%"],
        ["地区生产总值", "万元", 50000, 26000, "8.5%"],
    ]
    path = build_xlsx(tmp_path / "r.xlsx", rows)
    (p,) = problems_of(lambda: import_sheet(path))
    assert (p.row, p.column, p.value) == (3, "E(比上年增减)", "1.2%")
    assert "百分点还是同比增幅" in p.message and "「增长1.2%」" in p.message
    assert "`,column,E,,yoy,,,`" in p.message
    out = tmp_path / "data"
    run = kpibook("import", str(path), "--out", str(out))
    assert run.returncode == 2 and "1.2%" in run.stderr and nothing_written(out)
    rows[2][4] = "增长1.2%"
    result = import_sheet(build_xlsx(tmp_path / "r2.xlsx", rows))
    assert result.actuals["yoy"].tolist() == [1.2, 0.5, 8.5]


def test_two_different_growths_in_one_row_are_a_problem(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        [TITLE],
        ["指标名称", "单位", "全年目标", "1-6月", "同比%", "比上年增减"],
        ["地区生产总值", "万元", 50000, 26000, 8.5, "8.5%"],
        ["财政收入", "万元", 3000, 1600, -2.1, "-3.0%"],
        ["新增就业", "人", 500, 300, None, 20],
    ]
    (p,) = problems_of(lambda: import_sheet(build_xlsx(tmp_path / "two.xlsx", rows)))
    assert (p.row, p.column, p.value) == (4, "F(比上年增减)", "-3.0%")
    assert "E4「-2.1」、F4「-3.0%」" in p.message and "`,column,F,,ignored,,,`" in p.message


def test_a_district_change_column_percent_cells_are_growth(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["示范区各乡镇2016年1-6月主要指标完成情况"],
        ["乡镇", "财政收入(万元)", None, None],
        [None, "全年目标", "1-6月", "比上年增减"],
        ["太源镇", 3000, 1600, "-2.1%"],
        ["柳林乡", 2000, 1100, 35],
    ]
    path = build_xlsx(tmp_path / "d.xlsx", rows, merges=("B2:D2",))
    (result,) = import_files([path])
    same(
        result.actuals,
        """
org,indicator,period,value,unit,yoy
太源镇,fiscal_revenue,2016H1,1600,万元,-2.1
柳林乡,fiscal_revenue,2016H1,1100,万元,
""",
    )
    assert any(line.endswith(": D5") for line in result.inferences)


# --------------------------------------------------------------------------- 4. fractions


def growth_sheet(tmp_path: Path, header: str, cells: list[Any], **kw: Any) -> Path:
    rows: list[list[Any]] = [
        [TITLE],
        ["指标名称", "单位", "全年目标", "1-6月", header],
        ["地区生产总值", "万元", 50000, 26000, cells[0]],
        ["财政收入", "万元", 3000, 1600, cells[1]],
    ]
    return build_xlsx(tmp_path / "f.xlsx", rows, **kw)


@pytest.mark.parametrize(
    "header, cells",
    [
        ("同比±%", [0.085, -0.021]),
        ("同比增长", [0.12, None]),
        ("增幅(%)", ["0.085", "-0.021"]),
        ("比上年同期增长", [0.3, 0]),
    ],
)
def test_growth_written_as_fractions_is_a_problem_naming_the_mapping_line(
    tmp_path: Path, header: str, cells: list[Any]
) -> None:
    path = growth_sheet(tmp_path, header, cells)
    found = problems_of(lambda: import_sheet(path))
    small = [(n, v) for n, v in zip((3, 4), cells) if v not in (None, 0)]
    assert [(p.row, p.column) for p in found] == [(n, f"E({header})") for n, _ in small]
    for p in found:
        assert "是小数写法" in p.message
        assert "`,percent,E,,fraction,,,`" in p.message
        assert "`,percent,E,,percent,,,`" in p.message


@pytest.mark.parametrize(
    "cells, percent, yoy",
    [
        ([0.085, -0.021], ("E3", "E4"), [8.5, -2.1]),  # percent-formatted: as shown
        (["8.5%", "-0.021%"], (), [8.5, -0.021]),  # written with %
        ([8.5, 0.3], (), [8.5, 0.3]),  # the column writes percents as numbers
        ([0, None], (), [0.0, None]),
    ],
)
def test_growth_the_cell_or_the_column_says(
    tmp_path: Path, cells: list[Any], percent: tuple[str, ...], yoy: list[float | None]
) -> None:
    result = import_sheet(growth_sheet(tmp_path, "同比±%", cells, percent=percent))
    assert [None if v != v else v for v in result.actuals["yoy"]] == yoy


def test_district_growth_written_as_fractions(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["示范区各乡镇2016年1-6月固定资产投资完成情况(单位:万元)"],
        ["乡镇", "全年目标", "1-6月", "同比%"],
        ["太源镇", 30000, 16000, 0.085],
        ["柳林乡", 20000, 11000, -0.04],
    ]
    path = build_xlsx(tmp_path / "d.xlsx", rows)
    found = problems_of(lambda: import_files([path]))
    assert [(p.row, p.column, p.value) for p in found] == [
        (3, "D(同比%)", "0.085"),
        (4, "D(同比%)", "-0.04"),
    ]
    mapping = tmp_path / "map.csv"
    mapping.write_text("sheet,item,column,header,role\n,percent,D,,小数\n", encoding="utf-8")
    (result,) = import_files([path], mapping=read_mapping(mapping))
    assert result.actuals["yoy"].tolist() == [8.5, -4.0]


def test_the_percent_line_of_the_mapping_settles_fractions(tmp_path: Path) -> None:
    path = growth_sheet(tmp_path, "同比±%", [0.085, -0.021])
    out = tmp_path / "data"
    run = kpibook("import", str(path), "--out", str(out))
    assert run.returncode == 2 and ",percent,E,,fraction,,," in run.stderr
    assert "第3行" in run.stderr and "第4行" in run.stderr and nothing_written(out)
    head = "sheet,item,column,header,role,unit,example,confirm\n"
    fraction = tmp_path / "fraction.csv"
    fraction.write_text(head + ",percent,E,,fraction,,,\n", encoding="utf-8")
    run = kpibook("import", str(path), "--out", str(out), "--map", str(fraction))
    assert run.returncode == 0, run.stderr
    actuals = (out / "actuals.csv").read_text(encoding="utf-8-sig")
    assert "gdp,2016H1,26000" in actuals and ",8.5," in actuals and ",-2.1," in actuals
    kept = (out / "import-maps" / "f.xlsx.csv").read_text(encoding="utf-8-sig")
    assert ",percent,E,同比±%,fraction,,," in kept  # the next sheet is read the same way
    as_is = tmp_path / "percent.csv"
    as_is.write_text(head + ",percent,E,,percent,,,\n", encoding="utf-8")
    (result,) = import_files([path], mapping=read_mapping(as_is))
    assert result.actuals["yoy"].tolist() == [0.085, -0.021]


def test_a_bad_percent_line_is_a_problem(tmp_path: Path) -> None:
    bad = tmp_path / "map.csv"
    bad.write_text("sheet,item,column,header,role\n,percent,E,,tenths\n,percent,,,fraction\n")
    with pytest.raises(DataErrors) as info:
        read_mapping(bad)
    assert [p.row for p in info.value.problems] == [2, 3]
    assert "fraction" in info.value.problems[0].message


def test_rates_written_55_percent_55_and_0_55(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        [TITLE],
        ["指标名称", "单位", "全年目标", "1-6月", "同比±%"],
        ["城镇化率", "%", "55%", 0.56, None],  # 0.56 beside 55%: the fraction 56%
        ["森林覆盖率", "%", 60, 58.2, None],  # plainly percents
        ["农村自来水普及率", "%", 0.95, 0.9, None],  # fractions alone: ambiguous
        ["人口自然增长率", "%", 6, 0.2, None],  # 0.2 beside 6: 20% or 0.2%? ambiguous
    ]
    path = build_xlsx(tmp_path / "r.xlsx", rows)
    found = problems_of(lambda: import_sheet(path))
    assert [(p.row, p.column[0], p.value) for p in found] == [
        (5, "C", "0.95"),
        (5, "D", "0.9"),
        (6, "D", "0.2"),
    ]
    assert all("`,percent," in p.message and "fraction" in p.message for p in found)
    rows[5][3] = "0.2%"
    head = "sheet,item,column,header,role,unit,example,confirm\n"
    mapping = tmp_path / "map.csv"
    mapping.write_text(head + ",percent,C,,fraction,,,\n,percent,D,,fraction,,,\n")
    (result,) = import_files(
        [build_xlsx(tmp_path / "r2.xlsx", rows)], mapping=read_mapping(mapping)
    )
    same(
        result.actuals,
        """
org,indicator,period,value,unit
青山镇,urbanization_rate,2016H1,56,%
青山镇,forest_coverage,2016H1,58.2,%
青山镇,rural_tap_water_rate,2016H1,90,%
青山镇,natural_population_growth,2016H1,0.2,%
""",
        ["org", "value", "unit"],
    )
    assert result.targets["target"].tolist() == [55, 60, 95, 6]


# --------------------------------------------------------------------------- 5. layouts

NOT_SUPPORTED = "不支持的表格布局："
BOTH = "kpibook 能读两种布局：乡镇的完成情况表"
DISTRICT_TITLE = "示范区2016年1-6月各乡镇主要经济指标完成情况"

LAYOUTS: dict[str, tuple[list[list[Any]], tuple[str, ...], str]] = {
    "orgs across, one level": (
        [
            [DISTRICT_TITLE],
            ["指标", "单位", "太源镇", "柳林乡", "城关街道"],
            ["地区生产总值", "万元", 26000, 21000, 30000],
            ["财政收入", "万元", 1600, 1200, 900],
        ],
        (),
        "乡镇在列、指标在行（转置的区县汇总表；第2行 C、D、E 列是乡镇：太源镇、柳林乡、城关街道）",
    ),
    "orgs across, groups of target and actual": (
        [
            [DISTRICT_TITLE],
            ["指标名称", "单位", "太源镇", None, "柳林乡", None],
            [None, None, "目标", "完成", "目标", "完成"],
            ["地区生产总值", "万元", 50000, 26000, 40000, 21000],
            ["财政收入", "万元", 3000, 1600, 2000, 1200],
        ],
        ("C2:D2", "E2:F2"),
        "乡镇在列、指标在行（转置的区县汇总表；第2行 C、E 列是乡镇：太源镇、柳林乡）",
    ),
    "orgs across under a 单位 row, with a 全区 column": (
        [
            [DISTRICT_TITLE],
            ["单位：万元"],
            ["项目", "全区", "太源镇人民政府", "城关街道办事处", "高新园区"],
            ["地区生产总值", 77000, 26000, 30000, 21000],
        ],
        (),
        "第3行 C、D、E 列是乡镇：太源镇人民政府、城关街道办事处、高新园区",
    ),
    "targets and actuals as rows": (
        [
            ["青山镇2016年1-6月主要经济指标完成情况表"],
            ["项目", "地区生产总值(万元)", "财政收入(万元)"],
            ["全年目标", 50000, 3000],
            ["1-6月完成", 26000, 1600],
            ["同比%", 8.5, -2.1],
        ],
        (),
        "目标、完成在行，指标在列（转置的乡镇表；A 列是全年目标、1-6月完成、同比%）",
    ),
    "one row per month": (
        [
            ["青山镇2016年各月主要经济指标"],
            ["月份", "地区生产总值(万元)", "财政收入(万元)"],
            ["1月", 4000, 300],
            ["2月", 4100, 250],
            ["3月", 4500, 260],
        ],
        (),
        "每行一个月份（A 列是 1月、2月、3月 等）",
    ),
    "a long list of township and indicator": (
        [
            [DISTRICT_TITLE],
            ["乡镇", "指标名称", "单位", "全年目标", "1-6月"],
            ["太源镇", "地区生产总值", "万元", 50000, 26000],
            ["太源镇", "财政收入", "万元", 3000, 1600],
            ["柳林乡", "地区生产总值", "万元", 40000, 21000],
        ],
        (),
        "清单式长表，每行一个乡镇的一个指标（第2行起 A 列是乡镇，B 列是指标，同一指标重复出现）",
    ),
}


@pytest.mark.parametrize("case", list(LAYOUTS))
def test_a_layout_kpibook_does_not_read_is_named(tmp_path: Path, case: str) -> None:
    rows, merges, what = LAYOUTS[case]
    path = build_xlsx(tmp_path / "x.xlsx", rows, merges=merges)
    (p,) = problems_of(lambda: import_files([path]))
    assert p.message.startswith(NOT_SUPPORTED) and what in p.message, p.message
    assert BOTH in p.message and "找不到表头" not in p.message
    (q,) = problems_of(lambda: import_sheet(path))
    assert q.message == p.message
    out = tmp_path / "data"
    run = kpibook("import", str(path), "--out", str(out))
    assert run.returncode == 2 and NOT_SUPPORTED in run.stderr and nothing_written(out)


def test_a_transposed_sheet_beside_a_good_one_stops_the_import(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    good = wb.active
    good.title = "青山镇"
    for row in [["青山镇2016年1-6月主要经济指标完成情况表"], HEADER, *FIGURES]:
        good.append(row)
    for name in ("转置", "月报"):
        ws = wb.create_sheet(name)
        rows, _, _ = LAYOUTS["orgs across, one level" if name == "转置" else "one row per month"]
        for row in rows:
            ws.append(row)
    path = tmp_path / "book.xlsx"
    wb.save(path)
    (p,) = problems_of(lambda: import_files([path]))
    assert p.sheet == "转置" and p.message.startswith(NOT_SUPPORTED + "乡镇在列")
    del wb["转置"]
    wb.save(path)
    (result,) = import_files([path])  # a month sheet beside the table: skipped, said why
    assert result.org == "青山镇" and len(result.actuals) == 2
    assert any(
        line.startswith("工作表「月报」：不支持的表格布局：每行一个月份")
        for line in result.inferences
    )


def test_a_sheet_with_no_table_says_what_is_read(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["青山镇2016年工作要点"], ["一、抓好项目建设"], ["二、抓好财税征收"]]
    (p,) = problems_of(lambda: import_files([build_xlsx(tmp_path / "n.xlsx", rows)]))
    assert p.message.startswith("找不到表头") and "别的布局 kpibook 不支持" in p.message
    assert BOTH in p.message


# --------------------------------------------------------------------------- 6. zip bombs


def office_book(path: Path) -> Path:
    return build_xlsx(path, [[TITLE], HEADER, *FIGURES])


def test_a_zip_bomb_given_to_import_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    import time
    import zipfile

    from helpers.data.workbooks import SHEET_LIMITS

    base = office_book(tmp_path / "base.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        with dst.open("xl/media/image1.bin", "w") as part:  # zeros: 1000 to 1 in the zip
            chunk = bytes(1 << 20)
            for _ in range(SHEET_LIMITS.max_bytes // len(chunk) + 1):
                part.write(chunk)
    assert bomb.stat().st_size < SHEET_LIMITS.max_bytes // 500
    start = time.monotonic()
    with pytest.raises(Exception) as info:
        import_files([bomb])
    assert time.monotonic() - start < 5
    assert str(info.value) == (
        "bomb.xlsx：工作簿解压后有 65 MB，超过导入上限 64 MB，未读取 "
        "(the workbook expands to 65 MB, more than the 64 MB limit: not read)"
    )
    out = tmp_path / "data"
    run = kpibook("import", str(bomb), "--out", str(out))
    assert run.returncode == 2 and "超过导入上限 64 MB" in run.stderr and not out.exists()


def test_the_import_limits_are_the_data_sets_rule_with_lower_numbers(tmp_path: Path) -> None:
    import zipfile

    from helpers.data.workbooks import WorkbookLimits
    from helpers.errors import DataError
    from helpers.importer.sheets import read_grids

    path = office_book(tmp_path / "o.xlsx")
    with zipfile.ZipFile(path) as archive:
        size = sum(i.file_size for i in archive.infolist())
    assert read_grids(path, limits=WorkbookLimits(size, 4, 20, "导入"))[0].rows[0][0] == TITLE
    with pytest.raises(DataError, match=r"超过导入上限 0 MB"):
        read_grids(path, limits=WorkbookLimits(size - 1, 4, 20, "导入"))
    with pytest.raises(DataError, match=r"工作表超过 3 行") as info:
        read_grids(path, limits=WorkbookLimits(size, 3, None, "导入"))  # the sheet has 4
    assert info.value.problem.sheet == "Sheet1"
    with pytest.raises(DataError, match=r"工作表的范围超过 19 个单元格（到第 4 行、第 5 列）"):
        read_grids(path, limits=WorkbookLimits(size, 4, 19, "导入"))  # 4 rows × 5 columns


def test_a_far_cell_is_refused_before_a_million_rows_are_walked(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in [[TITLE], HEADER, *FIGURES]:
        sheet.append(row)
    sheet["A1048576"] = "far"
    path = tmp_path / "far.xlsx"
    book.save(path)
    (p,) = problems_of_data(lambda: import_files([path]))
    assert p.sheet == "Sheet" and p.message.startswith(
        "工作表的范围超过 500,000 个单元格（到第 1,048,576 行、第 5 列），未读取"
    )


def problems_of_data(call: Any) -> list[Any]:
    from helpers.errors import DataError

    with pytest.raises(DataError) as info:
        call()
    return [info.value.problem]


# --------------------------------------------------------------------------- 7. re-checks


def test_growth_from_a_last_year_column_beyond_300_percent_stops_the_import(
    tmp_path: Path,
) -> None:
    rows: list[list[Any]] = [
        [TITLE],
        ["指标名称", "单位", "全年目标", "1-6月", "上年同期"],
        ["地区生产总值", "万元", 50000, 26000, 24000],
        ["招商引资到位资金", "万元", 30000, 16000, 3.2],  # 3.2 万元: 亿元 meant?
        ["新增就业", "人", 500, 300, 1500],  # -80%: within ±300%
    ]
    path = build_xlsx(tmp_path / "l.xlsx", rows)
    (p,) = problems_of(lambda: import_files([path]))
    assert (p.row, p.column, p.value) == (4, "E(上年同期)", "3.2")
    assert "算出同比 +499900.0%,超出 ±300%" in p.message and "confirm" in p.message
    out = tmp_path / "data"
    run = kpibook("import", str(path), "--out", str(out))
    assert run.returncode == 2 and "E(上年同期)" in run.stderr and nothing_written(out)


def test_total_rows_are_skipped_and_listed(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        [TITLE],
        HEADER,
        ["国税", "万元", 1000, 500, 3.1],
        ["地税", "万元", 550, 348, 2.0],
        ["小  计", "万元", 1550, 848, None],
        ["东部片区合计", "万元", 1550, 848, None],
        ["新增就业", "人", 500, 300, None],
        ["总计", "万元", 2050, 1148, None],
    ]
    result = import_sheet(build_xlsx(tmp_path / "t.xlsx", rows))
    same(
        result.actuals,
        """
org,indicator,period,value,unit,yoy
青山镇,national_tax,2016H1,500,万元,3.1
青山镇,local_tax,2016H1,348,万元,2
青山镇,new_jobs,2016H1,300,人,
""",
        ["org", "period", "value", "unit", "yoy"],
    )
    assert "第5行「小  计」、第6行「东部片区合计」、第8行「总计」" in result.inferences[-1]


def test_spellings_of_one_org_across_merged_sheets(tmp_path: Path) -> None:
    from helpers.importer.merge import merge_results

    def sheet(org: str, name: str, figures: list[Any]) -> Path:
        rows: list[list[Any]] = [[f"{org}2016年1-6月主要经济指标完成情况表"], HEADER, figures]
        return build_xlsx(tmp_path / name, rows)

    paths = [
        sheet("太源", "a.xlsx", ["地区生产总值", "万元", 50000, 26000, 8.5]),
        sheet("太源镇", "b.xlsx", ["新增就业", "人", 500, 300, None]),
        sheet("城关街道", "c.xlsx", ["地区生产总值", "万元", 40000, 21000, 7.0]),
        sheet("城关街道办事处", "d.xlsx", ["新增就业", "人", 300, 200, None]),
        sheet("中共城关街道工作委员会", "e.xlsx", ["财政收入", "万元", 3000, 1600, None]),
    ]
    merged = merge_results(import_files(paths))
    assert not merged.problems
    same(
        merged.tables["targets"],
        """
org,indicator,period,target,unit
太源镇,gdp,2016,50000,万元
太源镇,new_jobs,2016,500,人
城关街道,gdp,2016,40000,万元
城关街道,new_jobs,2016,300,人
城关街道,fiscal_revenue,2016,3000,万元
""",
    )


@pytest.mark.parametrize(
    "name, unit, target",
    [
        ("安全生产事故", "起", 0),
        ("较大火灾事故", "起", "≤0"),
        ("群体性事件", "件", "控制在0件以内"),
        ("重大刑事案件", "宗", "杜绝"),
    ],
)
def test_a_zero_cap_is_zero_not_no_target(
    tmp_path: Path, name: str, unit: str, target: Any
) -> None:
    rows: list[list[Any]] = [[TITLE], HEADER, [name, unit, target, 0, None]]
    result = import_sheet(build_xlsx(tmp_path / "z.xlsx", rows))
    same(
        result.targets,
        """
org,period,target
青山镇,2016,0
""",
    )
    assert result.indicators["direction"].tolist() == ["down"]
    assert not any("未设目标" in line for line in result.inferences)


@pytest.mark.parametrize("org", ["(", "（）", "—", "2016年", "12"])
def test_an_org_given_as_punctuation_is_refused(tmp_path: Path, org: str) -> None:
    path = build_xlsx(tmp_path / "p.xlsx", [["(2016年1-6月)"], HEADER, *FIGURES])
    out = tmp_path / "data"
    run = kpibook("import", str(path), "--org", org, "--out", str(out))
    assert run.returncode == 2 and f"--org「{org}」不是乡镇名称" in run.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "number_format, shown",
    [
        ('0.0"%"', [8.5, 2.1, 55.0]),  # a % printed as text: the figure as it is
        ("0.0\\%", [8.5, 2.1, 55.0]),
        ("0.0%", [850.0, 210.0, 5500.0]),  # a real percent format: shown ×100
    ],
)
def test_a_percent_sign_in_the_format_is_not_always_a_percent_format(
    number_format: str, shown: list[float], tmp_path: Path
) -> None:
    from helpers.importer.sheets import read_grids

    rows: list[list[Any]] = [
        [TITLE],
        ["指标名称", "单位", "全年目标", "1-6月", "同比±%"],
        ["地区生产总值", "万元", 50000, 26000, 8.5],
        ["财政收入", "万元", 3000, 1600, 2.1],
        ["城镇化率", "%", 56, 55, None],
    ]
    path = build_xlsx(tmp_path / "f.xlsx", rows)
    from openpyxl import load_workbook

    book = load_workbook(path)
    for ref in ("E3", "E4", "D5"):
        book.active[ref].number_format = number_format
    book.save(path)
    (grid,) = read_grids(path)
    assert [grid.rows[2][4], grid.rows[3][4], grid.rows[4][3]] == shown
    if number_format == "0.0%":
        found = problems_of(lambda: import_sheet(path))  # 850% growth, 5500% of a 56% target
        assert [(p.row, p.column[0]) for p in found] == [(3, "E"), (5, "D")]
        return
    result = import_sheet(path)
    assert result.actuals["value"].tolist() == [26000, 1600, 55]
    assert [None if v != v else v for v in result.actuals["yoy"]] == [8.5, 2.1, None]


def test_the_mapping_lines_the_change_problems_name_do_what_they_say(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        [TITLE],
        ["指标名称", "单位", "全年目标", "1-6月", "比上年增减"],
        ["城镇化率", "%", 56, 55.2, "1.2%"],
        ["地区生产总值", "万元", 50000, 26000, 8.5],
    ]
    path = build_xlsx(tmp_path / "m.xlsx", rows)
    (p,) = problems_of(lambda: import_files([path]))
    line = "`,column,E,,yoy,,,`"
    assert line in p.message
    mapping = tmp_path / "map.csv"
    mapping.write_text("sheet,item,column,header,role\n" + line.strip("`") + "\n")
    (result,) = import_files([path], mapping=read_mapping(mapping))
    assert result.actuals["yoy"].tolist() == [1.2, 8.5]  # every cell of E is growth now
    mapping.write_text("sheet,item,column,header,role\n,column,E,,change\n,percent,H,,fraction\n")
    (q,) = problems_of(lambda: import_files([path], mapping=read_mapping(mapping)))
    assert q.message.startswith("映射文件中的列 H 不在表中") and q.sheet == "Sheet1"
