"""``kpibook import`` on sheets laid out the way offices really send them (issue 11, part 1).

Each test builds its own .xlsx/.csv in ``tmp_path`` (openpyxl; a CSV as GBK bytes) and compares
the import with tidy tables written here by hand. Covered: column roles from the leaf header,
then the group (同比 / 与上年同期比 over 上年同期 | 增减±%), completion columns (完成全年目标%),
reported growth with a rank (增幅%(位次)), units in names (``(%)``), caps (≤2, ≤2起,
控制在2起以内), percent columns written 55%, 55 or 0.55, the org from the title or the 填报单位
row normalised, hidden rows and columns, formulas without saved results, and the plausibility
check that turns a misread column into a problem naming the cell.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers.importer.tidy import ImportErrors, import_sheet
from tests.workbooks import build_xlsx, kpibook, same

# --------------------------------------------------------------------------- class 1: roles


def chengnan(tmp_path: Path) -> Path:
    """城南镇: 填报单位 row with 人民政府(盖章) and a date, a title without org, a 同比 group over
    上年同期 | 增减±%, a 完成全年目标% column, a unit column."""
    rows: list[list[Any]] = [
        ["2016年1-6月主要经济指标完成情况表"] + [None] * 7,
        ["填报单位：城南镇人民政府（盖章）", None, None, None, None, "2016年7月4日", None, None],
        ["指标名称", "单位", "全年目标", "1-6月完成", "同比", None, "完成全年目标%", "备注"],
        [None, None, None, None, "上年同期", "增减±%", None, None],
        ["一、经济运行"] + [None] * 7,
        ["地区生产总值", "亿元", 12, 5.9, 5.4, 9.3, 49.2, None],
        ["全社会固定资产投资", "万元", 30000, 16200, 14700, "增长10.2", 54, None],
        ["社会消费品零售总额", "万元", 21000, 9870, 9300, 6.1, 47, None],
        ["二、财政"] + [None] * 7,
        ["一般公共预算收入", "万元", 2600, 1300, 1378, "下降5.7", 50, "含一次性收入"],
    ]
    merges = ("A1:H1", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:F3", "G3:G4", "H3:H4", "A5:H5")
    return build_xlsx(tmp_path / "chengnan.xlsx", rows, merges=merges)


def test_a_tongbi_group_over_last_year_and_growth(tmp_path: Path) -> None:
    result = import_sheet(chengnan(tmp_path))
    assert (result.org, result.period) == ("城南镇", "2016H1")
    same(
        result.indicators,
        """
indicator,name,sector,unit,direction,measure
gdp,地区生产总值,经济运行,亿元,up,cumulative
fai,全社会固定资产投资,经济运行,万元,up,cumulative
retail_sales,社会消费品零售总额,经济运行,万元,up,cumulative
fiscal_revenue,一般公共预算收入,财政,万元,up,cumulative
""",
    )
    same(
        result.targets,
        """
org,indicator,period,target,unit
城南镇,gdp,2016,12,亿元
城南镇,fai,2016,30000,万元
城南镇,retail_sales,2016,21000,万元
城南镇,fiscal_revenue,2016,2600,万元
""",
    )
    same(
        result.actuals,
        """
org,indicator,period,value,unit,status,yoy,note
城南镇,gdp,2016H1,5.9,亿元,,9.3,
城南镇,gdp,2015H1,5.4,亿元,,,
城南镇,fai,2016H1,16200,万元,,10.2,
城南镇,fai,2015H1,14700,万元,,,
城南镇,retail_sales,2016H1,9870,万元,,6.1,
城南镇,retail_sales,2015H1,9300,万元,,,
城南镇,fiscal_revenue,2016H1,1300,万元,,-5.7,含一次性收入
城南镇,fiscal_revenue,2015H1,1378,万元,,,
""",
    )
    text = "\n".join(result.inferences)
    assert "列 E(同比/上年同期) → 上年同期累计" in text
    assert "列 F(同比/增减±%) → 同比%" in text
    assert "列 G(完成全年目标%) → 忽略" in text


def jinhua(tmp_path: Path) -> Path:
    """金华镇截至…: 与上年同期比 merged over 上年同期 | 增减%, 完成全年目标(%), a 单位 row,
    (%) and (起) in names, caps ≤2, ≤2起, 控制在2起以内, a floor ≥95%."""
    rows: list[list[Any]] = [
        ["金华镇截至2016年6月底主要经济指标完成情况"] + [None] * 6,
        ["单位:万元"] + [None] * 6,
        ["指标名称", "全年目标", "1-6月", "与上年同期比", None, "完成全年目标(%)"],
        [None, None, None, "上年同期", "增减%", None],
        ["规上工业增加值", 52000, 24800, 22900, 8.3, 47.7],
        ["城镇化率(%)", 56, 54.8, 53.1, None, None],
        ["安全生产事故(起)", "≤2", 0, 1, None, None],
        ["火灾事故", "≤2起", 1, 0, None, None],
        ["越级上访(起)", "控制在2起以内", 1, 3, None, None],
        ["矛盾纠纷调处成功率(%)", "≥95%", 97, 96, None, None],
    ]
    merges = ("A1:F1", "A3:A4", "B3:B4", "C3:C4", "D3:E3", "F3:F4")
    return build_xlsx(tmp_path / "jinhua.xlsx", rows, merges=merges)


def test_compared_with_last_year_completion_growth_rank_units_and_caps(tmp_path: Path) -> None:
    result = import_sheet(jinhua(tmp_path))
    assert (result.org, result.period) == ("金华镇", "2016H1")
    same(
        result.indicators,
        """
indicator,name,sector,unit,direction,measure
ind_value_added,规上工业增加值,综合,万元,up,cumulative
ind_4f815dc0c27febff,城镇化率,综合,%,up,rate
safety_accidents,安全生产事故,综合,起,down,cumulative
ind_f9f07a09cd4b33bf,火灾事故,综合,起,down,cumulative
petitions,越级上访,综合,起,down,cumulative
dispute_rate,矛盾纠纷调处成功率,综合,%,up,rate
""",
        ["name", "sector", "unit", "direction", "measure"],
    )
    assert result.indicators["indicator"].tolist()[0] == "ind_value_added"
    same(
        result.targets,
        """
org,period,target,unit
金华镇,2016,52000,万元
金华镇,2016,56,%
金华镇,2016,2,起
金华镇,2016,2,起
金华镇,2016,2,起
金华镇,2016,95,%
""",
    )
    same(
        result.actuals[result.actuals["period"] == "2016H1"],
        """
org,period,value,unit,yoy
金华镇,2016H1,24800,万元,8.3
金华镇,2016H1,54.8,%,
金华镇,2016H1,0,起,
金华镇,2016H1,1,起,
金华镇,2016H1,1,起,
金华镇,2016H1,97,%,
""",
    )
    last = result.actuals[result.actuals["period"] == "2015H1"]
    assert last["value"].tolist() == [22900, 53.1, 1, 0, 3, 96]
    text = "\n".join(result.inferences)
    assert "列 F(完成全年目标(%)) → 忽略" in text
    assert "控制数 2" in text and "下限目标 95" in text


def test_reported_growth_with_rank_is_kept_and_the_rank_dropped(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["青山镇2016年1-6月主要经济指标完成情况表"],
        ["指标名称", "单位", "全年目标", "1-6月", "增幅%(位次)", "位次"],
        ["规上工业增加值", "亿元", 4.2, 2.05, "8.9(3)", 3],
        ["固定资产投资", "万元", 30000, 14000, "下降2.1(9)", 9],
    ]
    result = import_sheet(build_xlsx(tmp_path / "q.xlsx", rows))
    assert result.actuals["yoy"].tolist() == [8.9, -2.1]
    assert "列 F(位次) → 忽略" in "\n".join(result.inferences)


@pytest.mark.parametrize(
    "group",
    ["同比", "与上年同期比", "比上年同期", "同比增减", "较上年同期"],
)
def test_every_spelling_of_the_comparison_group(tmp_path: Path, group: str) -> None:
    rows: list[list[Any]] = [
        ["青山镇2016年1-6月主要经济指标完成情况表"] + [None] * 5,
        ["指标名称", "单位", "全年目标", "1-6月累计", group, None],
        [None, None, None, None, "上年同期", "增减±%"],
        ["招商引资到位资金", "万元", 80000, 41000, 36500, 12.3],
    ]
    result = import_sheet(build_xlsx(tmp_path / "g.xlsx", rows, merges=("E2:F2",)))
    got = result.actuals[["period", "value", "yoy"]].astype(object)
    assert got.where(got.notna(), None).values.tolist() == [
        ["2016H1", 41000.0, 12.3],
        ["2015H1", 36500.0, None],
    ]


# --------------------------------------------------------------------------- plausibility


MISREAD = [
    # a 同比 header over last year's figures: 29450% growth
    (["指标名称", "单位", "全年目标", "1-6月累计", "同比"], [1550, 848, 755], "E4", "同比"),
    # a 目标 header over completion percentages: the target column reads 54.7 of 848万元
    (["指标名称", "单位", "目标", "1-6月累计", "同比±%"], [54.7, 848, 12.3], "D4", "全年目标"),
    # a 同比 column read right, but a 上年同期 column in 亿元 where the row is in 万元
    (["指标名称", "单位", "全年目标", "1-6月累计", "去年同期"], [1550, 848, 0.0755], "E4", "上年"),
]


@pytest.mark.parametrize("header, figures, cell, word", MISREAD)
def test_a_misread_column_is_a_problem_naming_the_cell(
    tmp_path: Path, header: list[str], figures: list[float], cell: str, word: str
) -> None:
    rows: list[list[Any]] = [
        ["青山镇2013年1-6月主要经济指标完成情况表"],
        ["填报单位:青山镇"],
        header,
        ["国地两税", "万元", *figures],
    ]
    path = build_xlsx(tmp_path / "m.xlsx", rows)
    with pytest.raises(ImportErrors) as info:
        import_sheet(path)
    [problem] = info.value.problems
    assert f"{problem.column[0]}{problem.row}" == cell, problem
    assert "映射" in problem.message and "mapping" in problem.message
    out = tmp_path / "out"
    run = kpibook("import", str(path), "--out", str(out))
    assert run.returncode == 2 and f"第{problem.row}行" in run.stderr
    assert not out.exists()


# --------------------------------------------------------------------------- percents


def test_percent_rows_written_55_percent_55_or_0_55(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["青山镇2016年1-6月主要经济指标完成情况表"],
        ["指标名称", "单位", "全年目标", "1-6月累计", "上年同期"],
        ["城镇化率", "%", "56%", 0.548, 53.1],  # 0.548 beside percents: 54.8%
        ["森林覆盖率", "%", 0.62, 0.615, None],  # %-formatted cells
        ["农村自来水普及率", "%", 95, "94%", 0.9],  # 0.9 beside 95 and 94%: 90%
        ["人口自然增长率", "%", "0.6%", "0.5%", None],  # written with %: as written
    ]
    path = build_xlsx(tmp_path / "p.xlsx", rows, percent=("C4", "D4"))
    result = import_sheet(path)
    assert result.targets["target"].tolist() == pytest.approx([56, 62, 95, 0.6])
    values = result.actuals[result.actuals["period"] == "2016H1"]["value"].tolist()
    assert values == pytest.approx([54.8, 61.5, 94, 0.5])
    assert result.actuals[result.actuals["period"] == "2015H1"]["value"].tolist() == [53.1, 90]
    assert set(result.indicators["measure"]) == {"rate"}


def test_a_row_of_bare_fractions_in_percent_is_a_problem(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["青山镇2016年1-6月主要经济指标完成情况表"],
        ["指标名称", "单位", "全年目标", "1-6月累计"],
        ["城镇化率", "%", 0.56, 0.548],
    ]
    with pytest.raises(ImportErrors) as info:
        import_sheet(build_xlsx(tmp_path / "f.xlsx", rows))
    assert [(p.row, p.column[0]) for p in info.value.problems] == [(3, "C"), (3, "D")]
    assert "56%" in info.value.problems[0].message


# --------------------------------------------------------------------------- org, hidden, formulas


@pytest.mark.parametrize(
    "lines, org",
    [
        (["柳林乡上半年主要经济指标完成情况表"], "柳林乡"),
        (["金华镇截至2016年6月底主要经济指标完成情况"], "金华镇"),
        (["2016年上半年主要指标", "填报单位:城南镇人民政府(盖章)"], "城南镇"),
        (["2016年上半年主要指标", "填报单位： 城南镇人民政府  2016年7月5日"], "城南镇"),
        (["ＸＸ镇２０１６年１－６月主要经济指标完成情况"], "XX镇"),
        (["石桥街道办事处2016年1-6月主要经济指标完成情况"], "石桥街道办事处"),
    ],
)
def test_the_org_from_title_or_reporting_unit_is_normalised(
    tmp_path: Path, lines: list[str], org: str
) -> None:
    rows: list[list[Any]] = [[line] for line in lines] + [
        ["指标名称", "单位", "全年目标", "1-6月累计"],
        ["国地两税", "万元", 1550, 848],
    ]
    result = import_sheet(build_xlsx(tmp_path / "o.xlsx", rows), period="2016H1")
    assert result.org == org
    assert set(result.targets["org"]) == {org}


def test_hidden_rows_and_columns_are_listed_not_imported(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["青山镇2016年1-6月主要经济指标完成情况表"],
        ["指标名称", "单位", "全年目标", "原目标", "1-6月累计"],
        ["国地两税", "万元", 1550, 1400, 848],
        ["旧指标(已取消)", "万元", 100, 100, 20],
        ["新增就业", "人", 500, 450, 300],
    ]
    path = build_xlsx(tmp_path / "h.xlsx", rows, hidden_rows=(4,), hidden_columns=("D",))
    result = import_sheet(path)
    assert result.indicators["name"].tolist() == ["国地两税", "新增就业"]
    assert result.targets["target"].tolist() == [1550, 500]
    text = "\n".join(result.inferences)
    assert "第4行是隐藏行,未导入" in text and "旧指标" in text
    assert "隐藏列,未导入 (hidden columns, not imported): D(原目标)" in text


def test_formulas_without_results_are_computed_or_named(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["青山镇2016年1-6月主要经济指标完成情况表"],
        ["指标名称", "单位", "全年目标", "1-6月累计", "上年同期", "同比±%"],
        ["国地两税", "万元", 1550, "=400+448", 755, "=ROUND((D3-E3)/E3*100,1)"],
        ["社会固定资产投资", "万元", "=SUM(C5:C6)", "=D5+D6", None, None],
        ["其中:工业投资", "万元", 7000, 3500, None, None],
        ["其中:基础设施投资", "万元", 5000, 2535, None, None],
    ]
    result = import_sheet(build_xlsx(tmp_path / "f.xlsx", rows))
    assert result.targets["target"].tolist() == [1550, 12000, 7000, 5000]
    now = result.actuals[result.actuals["period"] == "2016H1"]
    assert now["value"].tolist() == [848, 6035, 3500, 2535]
    assert now["yoy"].tolist()[0] == 12.3
    assert "已按公式计算" in "\n".join(result.inferences)
    rows[3][3] = "=VLOOKUP(A4,Sheet2!A:B,2,FALSE)"
    with pytest.raises(ImportErrors) as info:
        import_sheet(build_xlsx(tmp_path / "g.xlsx", rows))
    [problem] = info.value.problems
    assert (problem.row, problem.column[0]) == (4, "D") and "公式" in problem.message


def test_a_gbk_csv_with_the_comparison_group(tmp_path: Path) -> None:
    text = (
        "白马镇2016年1-6月主要经济指标完成情况表,,,,,\r\n"
        "指标名称,单位,全年目标,1-6月,与上年同期比,\r\n"
        ",,,,上年同期,增减±%\r\n"
        '地方财政收入,万元,"2,600","1,300","1,378",下降5.7\r\n'
        "新增城镇就业(人),,800,420,400,5\r\n"
    )
    path = tmp_path / "baima.csv"
    path.write_bytes(text.encode("gbk"))
    result = import_sheet(path)
    same(
        result.actuals,
        """
org,indicator,period,value,unit,yoy
白马镇,fiscal_revenue,2016H1,1300,万元,-5.7
白马镇,fiscal_revenue,2015H1,1378,万元,
白马镇,new_jobs,2016H1,420,人,5
白马镇,new_jobs,2015H1,400,人,
""",
    )


@pytest.mark.parametrize("header", ["比上年增减", "增减", "比去年同期增减", "较上年增减额"])
def test_a_change_in_amount_is_never_growth(tmp_path: Path, header: str) -> None:
    """比上年增减 holds actual − last year in the figure's unit: ignored, growth from 上年同期."""
    path = build_xlsx(
        tmp_path / "t.xlsx",
        [
            ["柳林乡2016年1-6月主要经济指标完成情况表"],
            ["指标名称", "单位", "全年目标", "1-6月累计", "上年同期", header],
            ["地区生产总值", "亿元", 8, 4.4, 4.0, 0.4],
            ["固定资产投资", "万元", 30000, 16500, 15000, 1500],
        ],
    )
    result = import_sheet(path)
    assert result.actuals["yoy"].isna().all()
    assert "列 F" in "\n".join(result.inferences)


@pytest.mark.parametrize("header", ["与上年同期比", "与上年同期比(%)", "同上年相比(%)"])
def test_a_comparison_header_over_percents_is_growth(tmp_path: Path, header: str) -> None:
    """与上年同期比 holding 8.5 / "8.5%" is the reported growth, kept beside 去年同期."""
    path = build_xlsx(
        tmp_path / "t.xlsx",
        [
            ["柳林乡2016年1-6月主要经济指标完成情况表"],
            ["指标名称", "单位", "全年目标", "1-6月", "去年同期", header],
            ["地区生产总值", "亿元", 8, 4.4, 4.0, 8.5],
            ["固定资产投资", "万元", 30000, 16500, 15000, 9.8],
        ],
    )
    result = import_sheet(path)
    assert sorted(result.actuals["yoy"].dropna().astype(float)) == [8.5, 9.8]
    assert sorted(result.actuals["period"]) == ["2015H1", "2015H1", "2016H1", "2016H1"]
