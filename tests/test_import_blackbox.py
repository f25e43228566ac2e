"""Classes a black-box test of ``kpibook import`` found still wrong (issue 11), each fixed at
its mechanism and tested here on sheets built with openpyxl, wider than the examples seen:

1. growth beyond ±300% by every path (reported, worked out from 上年同期, across two places);
2. the org from a 通报 title (…局关于…的通报, 关于印发…); 3. title vs 填报单位 disagreeing;
4. 合计/小计/全区 rows never indicators nor orgs, and listed; 5. one-indicator district sheets
named from the title; 6. one org in several spellings; 7. a cap of 0 起; 8. a workbook whose
sheet cannot be picked; 9. percents under a 上年同期 header.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import Workbook

from helpers.importer.merge import import_files, merge_results, read_existing
from helpers.importer.orgs import is_total_label, match_org, same_org
from helpers.importer.tidy import ImportErrors, import_sheet
from tests.workbooks import build_xlsx, kpibook, same

HEADER = ["指标名称", "单位", "全年目标", "1-6月累计"]


def book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook of several sheets, in order."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def problems(call: Any) -> list[Any]:
    with pytest.raises(ImportErrors) as info:
        call()
    return info.value.problems


# --------------------------------------------------------------------------- 1. growth


@pytest.mark.parametrize(
    "actual, last, growth",
    [(5000, 1000, "+400.0%"), (848, 120, "+606.7%"), (-500, 100, "-600.0%"), (9.9, 2, "+395.0%")],
)
def test_growth_worked_out_from_last_year_beyond_300_is_a_problem(
    tmp_path: Path, actual: float, last: float, growth: str
) -> None:
    rows: list[list[Any]] = [
        ["青山镇2016年1-6月主要经济指标完成情况表"],
        [*HEADER, "上年同期"],
        ["国地两税", "万元", 1500, actual, last],
        ["新增就业", "人", 500, 300, 280],
    ]
    found = problems(lambda: import_sheet(build_xlsx(tmp_path / "g.xlsx", rows)))
    assert len(found) == 1
    p = found[0]
    assert (p.file, p.sheet, p.row, p.column) == ("g.xlsx", "Sheet1", 3, "E(上年同期)")
    assert growth in p.message and f"{actual:g}" in p.message and f"{last:g}" in p.message


def test_growth_within_300_passes_and_a_confirmed_column_warns(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["青山镇2016年1-6月主要经济指标完成情况表"],
        [*HEADER, "上年同期"],
        ["国地两税", "万元", 1500, 4000, 1000],  # +300% exactly: allowed
    ]
    result = import_sheet(build_xlsx(tmp_path / "ok.xlsx", rows))
    assert result.actuals["value"].tolist() == [4000.0, 1000.0]
    rows[2][3] = 4001
    path = build_xlsx(tmp_path / "conf.xlsx", rows)
    mapping = tmp_path / "map.csv"
    mapping.write_text(
        "sheet,item,column,header,role,unit,example,confirm\n,column,E,,last_actual,,,yes\n"
    )
    from helpers.importer.mapping import read_mapping

    (result,) = import_files([path], mapping=read_mapping(mapping))
    assert any("警告" in line and "+300.1%" in line for line in result.inferences)


@pytest.mark.parametrize(
    "header, cell", [("增减%", 29450), ("同比±%", "增长29450"), ("比上年增长%", -450)]
)
def test_a_reported_growth_far_out_is_a_problem_naming_the_cell(
    tmp_path: Path, header: str, cell: Any
) -> None:
    rows: list[list[Any]] = [
        ["青山镇2016年1-6月主要经济指标完成情况表"],
        [*HEADER, header],
        ["国地两税", "万元", 1500, 848, cell],
    ]
    (p,) = problems(lambda: import_sheet(build_xlsx(tmp_path / "r.xlsx", rows)))
    assert (p.row, p.column[0]) == (3, "E") and "超出 ±300%" in p.message and "848" in p.message


def test_growth_in_a_district_sheet_both_paths(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["示范区各乡镇2016年1-6月国地两税完成情况"],
        ["单位:万元"],
        ["乡镇", "全年目标", "1-6月", "上年同期"],
        ["太源镇", 1500, 848, 800],
        ["柳林乡", 1200, 640, 100],  # +540%
    ]
    (p,) = problems(lambda: import_files([build_xlsx(tmp_path / "d.xlsx", rows)]))
    assert (p.row, p.column) == (5, "D(上年同期)") and "+540.0%" in p.message


def test_growth_worked_out_across_the_folder_and_a_sheet(tmp_path: Path) -> None:
    out = tmp_path / "data"
    last = [["青山镇2015年1-6月主要经济指标完成情况表"], HEADER, ["国地两税", "万元", 1400, 100]]
    now = [["青山镇2016年1-6月主要经济指标完成情况表"], HEADER, ["国地两税", "万元", 1500, 848]]
    run = kpibook("import", str(build_xlsx(tmp_path / "a.xlsx", last)), "--out", str(out))
    assert run.returncode == 0, run.stderr
    before = (out / "actuals.csv").read_bytes()
    run = kpibook("import", str(build_xlsx(tmp_path / "b.xlsx", now)), "--out", str(out))
    assert run.returncode == 2
    assert "+748.0%" in run.stderr and "848" in run.stderr and "actuals.csv" in run.stderr
    assert (out / "actuals.csv").read_bytes() == before  # nothing written


# --------------------------------------------------------------------------- 2, 3. org


@pytest.mark.parametrize(
    "title, org",
    [
        ("区统计局关于柳林乡2013年上半年主要经济指标完成情况的通报", "柳林乡"),
        ("关于印发城南镇2013年1-6月主要经济指标完成情况的通知", "城南镇"),
        ("XX县统计局关于金华镇2013年上半年经济运行情况的通报", "金华镇"),
        ("XX县统计局关于2013年上半年金华镇主要经济指标完成情况的通报", "金华镇"),
        ("县政府办关于青山镇2013年上半年工作目标完成情况的通报", "青山镇"),
        ("区统计局关于印发《石桥街道2013年上半年主要指标》的通知", "石桥街道"),
        ("城南镇人民政府关于2013年上半年主要经济指标完成情况的报告", "城南镇"),
        ("关于柳林乡上半年主要经济指标完成情况的通报", "柳林乡"),
    ],
)
def test_the_org_from_a_tongbao_title(tmp_path: Path, title: str, org: str) -> None:
    rows: list[list[Any]] = [[title], HEADER, ["国地两税", "万元", 1550, 848]]
    result = import_sheet(build_xlsx(tmp_path / "t.xlsx", rows), period="2013H1")
    assert result.org == org
    assert result.targets["org"].tolist() == [org]


def test_title_and_reporting_unit_naming_different_orgs_stop(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["柳林乡2016年1-6月主要经济指标完成情况表"],
        ["填报单位:城南镇人民政府(盖章)"],
        HEADER,
        ["国地两税", "万元", 1550, 848],
    ]
    path = build_xlsx(tmp_path / "two.xlsx", rows)
    (p,) = problems(lambda: import_sheet(path))
    assert "柳林乡" in p.message and "城南镇" in p.message and "--org" in p.message
    assert p.row == 2
    assert import_sheet(path, org="城南镇").org == "城南镇"  # how to choose, as it says
    run = kpibook("import", str(path), "--out", str(tmp_path / "o"))
    assert run.returncode == 2 and "--org 柳林乡" in run.stderr


@pytest.mark.parametrize(
    "title, line, org",
    [
        ("太源2016年1-6月主要经济指标完成情况表", "填报单位:太源镇人民政府", "太源镇"),
        ("城关街道办事处2016年1-6月主要指标", "填报单位：城关街道（盖章）", "城关街道"),
        ("城南镇2016年上半年主要指标", "报送单位:城南镇人民政府 2016年7月5日", "城南镇"),
    ],
)
def test_title_and_reporting_unit_spelling_one_org_differently(
    tmp_path: Path, title: str, line: str, org: str
) -> None:
    rows: list[list[Any]] = [[title], [line], HEADER, ["国地两税", "万元", 1550, 848]]
    assert import_sheet(build_xlsx(tmp_path / "s.xlsx", rows)).org == org


# --------------------------------------------------------------------------- 4. totals


def test_total_rows_are_never_indicators_and_are_listed(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["青山镇2016年1-6月主要经济指标完成情况表"],
        HEADER,
        ["一、财税"],
        ["国税", "万元", 1000, 500],
        ["地税", "万元", 550, 348],
        ["小  计", "万元", 1550, 848],
        ["全镇财政总收入", "万元", 2000, 1100],
        ["（合计）", "万元", 3550, 1948],
        ["【总计】", None, 3550, 1948],
        ["共 计", "万元", 3550, 1948],
        ["全镇", "万元", 3550, 1948],
        ["全区合计(万元)", None, 3550, 1948],
        ["二、其他"],
        ["新增就业", "人", 500, 300],
        ["合 计", None, None, None],
    ]
    path = build_xlsx(tmp_path / "tot.xlsx", rows)
    result = import_sheet(path)
    assert result.indicators["name"].tolist() == ["国税", "地税", "全镇财政总收入", "新增就业"]
    summary = result.inferences[-1]
    for n in (6, 8, 9, 10, 11, 12, 15):
        assert f"第{n}行" in summary, summary
    run = kpibook("import", str(path), "--out", str(tmp_path / "o"))
    assert run.returncode == 0, run.stderr
    assert "跳过合计/小计行 7 行" in run.stdout


@pytest.mark.parametrize(
    "label, total",
    [
        ("合计", True),
        ("合  计", True),
        ("(小计)", True),
        ("［总计］", True),
        ("共计", True),
        ("全区", True),
        ("全 镇", True),
        ("全县合计", True),
        ("三、合计", True),
        ("全镇财政总收入", False),
        ("合计收入", False),
        ("全区生产总值", False),
        ("小计划生育", False),
    ],
)
def test_what_is_a_total_label(label: str, total: bool) -> None:
    assert is_total_label(label) is total


def test_district_subtotals_skipped_totals_checked(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["示范区各乡镇2016年1-6月国地两税完成情况"],
        ["单位:万元"],
        ["乡镇", "全年目标", "1-6月", "同比%"],
        ["太源镇", 1500, 848, 12.3],
        ["柳林乡", 1200, 640, -2.0],
        ["小 计", 2700, 1488, None],
        ["城关街道", 800, 410, 3.0],
        ["（合计）", 3500, 1898, None],
        ["共计", 3500, 1898, None],
    ]
    (result,) = import_files([build_xlsx(tmp_path / "d.xlsx", rows)])
    assert result.orgs == ["太源镇", "柳林乡", "城关街道"]
    assert any("第6行「小计」是小计行" in line for line in result.inferences)
    assert sum("与各乡镇之和 1898 一致" in line for line in result.inferences) == 2
    assert "跳过合计/小计行 3 行" in result.inferences[-1]


# --------------------------------------------------------------------------- 5. one per sheet


@pytest.mark.parametrize(
    "title, name, unit",
    [
        ("示范区各乡镇2013年1-6月国地两税完成情况", "国地两税", "万元"),
        ("示范区各乡镇（街道）2013年1-6月规模工业增加值完成情况表", "规模工业增加值", "万元"),
        ("2013年1-6月示范区各乡镇招商引资到位资金统计表", "招商引资到位资金", "万元"),
        ("示范区2013年上半年各乡镇固定资产投资情况表", "固定资产投资", "万元"),
        ("示范区各乡镇国地两税2013年1-6月完成情况", "国地两税", "万元"),
        ("区统计局关于各乡镇2013年上半年国地两税完成情况的通报", "国地两税", "万元"),
        ("示范区各乡镇2013年1-6月国地两税任务完成情况", "国地两税", "万元"),
        ("各乡镇(街道)2013年1-6月新增就业人数完成情况(单位:人)", "新增就业人数", "人"),
    ],
)
def test_one_indicator_per_sheet_named_from_the_title(
    tmp_path: Path, title: str, name: str, unit: str
) -> None:
    rows: list[list[Any]] = [
        [title],
        ["单位:万元" if unit == "万元" else None],
        ["乡镇", "全年目标", "1-6月", "同比%", "位次"],
        ["太源镇", 1500, 848, 12.3, 1],
        ["柳林乡", 1200, 640, -2.0, 2],
        ["合计", 2700, 1488, None, None],
    ]
    (result,) = import_files([book(tmp_path / "one.xlsx", {"表3": rows})])
    assert result.indicators["name"].tolist() == [name]
    assert result.indicators["unit"].tolist() == [unit]
    assert result.period == "2013H1"
    same(
        result.actuals,
        """
org,period,value,yoy
太源镇,2013H1,848,12.3
柳林乡,2013H1,640,-2
""",
    )


def test_a_district_sheet_headed_mingcheng_is_not_read_as_indicators(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["示范区各乡镇2013年1-6月国地两税完成情况"],
        ["单位:万元"],
        ["名称", "全年目标", "1-6月", "同比%"],
        ["太源镇", 1500, 848, 12.3],
        ["柳林乡", 1200, 640, -2.0],
        ["城关街道", 900, 400, 1.0],
    ]
    (result,) = import_files([build_xlsx(tmp_path / "m.xlsx", rows)])
    assert result.orgs == ["太源镇", "柳林乡", "城关街道"]
    assert result.indicators["indicator"].tolist() == ["tax"]


# --------------------------------------------------------------------------- 6. spellings


def test_one_org_in_several_spellings_across_sheets(tmp_path: Path) -> None:
    def sheet(org: str, name: str, figures: list[Any]) -> Path:
        rows: list[list[Any]] = [[f"{org}2016年1-6月主要经济指标完成情况表"], HEADER, figures]
        return build_xlsx(tmp_path / name, rows)

    paths = [
        sheet("太源", "a.xlsx", ["国地两税", "万元", 1550, 848]),
        sheet("太源镇", "b.xlsx", ["新增就业", "人", 500, 300]),
        sheet("城关街道办事处", "c.xlsx", ["国地两税", "万元", 900, 400]),
        sheet("城关街道", "d.xlsx", ["新增就业", "人", 300, 200]),
        sheet("城南镇人民政府", "e.xlsx", ["国地两税", "万元", 700, 300]),
        sheet("城南镇", "f.xlsx", ["新增就业", "人", 200, 100]),
    ]
    merged = merge_results(import_files(paths))
    assert not merged.problems
    assert merged.tables["targets"]["org"].tolist() == [
        "太源镇",
        "太源镇",
        "城关街道",
        "城关街道",
    ] + [
        "城南镇",
        "城南镇",
    ]
    assert merged.orgs is not None and merged.orgs["org"].tolist() == [
        "太源镇",
        "城关街道",
        "城南镇",
    ]
    assert any("「太源」与「太源镇」是同一乡镇" in line for line in merged.inferences)


def test_a_spelling_matches_the_folders_orgs_or_is_ambiguous(tmp_path: Path) -> None:
    out = tmp_path / "data"
    out.mkdir()
    (out / "orgs.csv").write_text("org,parent\n太源镇,示范区\n城关镇,示范区\n城关街道,示范区\n")
    rows: list[list[Any]] = [["太源2016年1-6月主要经济指标"], HEADER, ["国地两税", "万元", 1, 1]]
    merged = merge_results(
        import_files([build_xlsx(tmp_path / "t.xlsx", rows)]), read_existing(out)
    )
    assert not merged.problems and merged.tables["targets"]["org"].tolist() == ["太源镇"]
    rows[0] = ["城关2016年1-6月主要经济指标"]
    merged = merge_results(
        import_files([build_xlsx(tmp_path / "c.xlsx", rows)]), read_existing(out)
    )
    (p,) = merged.problems
    assert "城关镇" in p.message and "城关街道" in p.message and p.value == "城关"


def test_org_spelling_rules() -> None:
    assert same_org("太源", "太源镇") and same_org("城关街道办事处", "城关街道")
    assert not same_org("城关镇", "城关街道") and not same_org("太源镇", "太平镇")
    assert match_org("城关", ["城关镇", "城关街道"]) == ["城关镇", "城关街道"]
    assert match_org("城关镇", ["城关镇", "城关"]) == ["城关镇"]


def test_two_spellings_in_one_district_sheet_are_a_duplicate(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["示范区各乡镇2016年1-6月国地两税完成情况"],
        ["单位:万元"],
        ["乡镇", "全年目标", "1-6月"],
        ["太源镇", 1500, 848],
        ["太源", 1200, 640],
    ]
    (p,) = problems(lambda: import_files([build_xlsx(tmp_path / "d.xlsx", rows)]))
    assert p.row == 5 and "太源镇" in p.message


# --------------------------------------------------------------------------- 7. cap of zero


def test_a_cap_of_zero_is_a_target_of_zero(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["青山镇2016年1-6月主要经济指标完成情况表"],
        HEADER,
        ["安全生产事故", "起", 0, 0],
        ["较大事故", "起", "≤0", 0],
        ["命案", "起", 0, 0],
        ["森林火灾", "起", "0起", 1],
        ["群体性事件", "起", "杜绝", 0],
        ["重大刑事案件", "宗", "零", 0],
        ["新培育规上企业", "个", 0, 1],
    ]
    path = build_xlsx(tmp_path / "zero.xlsx", rows)
    result = import_sheet(path)
    assert result.indicators["direction"].tolist() == ["down"] * 6 + ["up"]
    assert result.targets["target"].tolist() == [0.0] * 7
    assert any("警告" in line and "C9 目标为 0" in line for line in result.inferences)
    out = tmp_path / "o"
    assert kpibook("import", str(path), "--out", str(out)).returncode == 0
    targets = pd.read_csv(out / "targets.csv", dtype=str, encoding="utf-8-sig")
    assert targets["target"].tolist() == ["0"] * 7
    from helpers.data.dataset import load_dataset
    from helpers.metrics.progress import progress_table

    table = progress_table(load_dataset(out), "2016H1").set_index("name")
    assert table.loc["命案", "status"] == "within_cap"
    assert table.loc["森林火灾", "status"] == "over_cap"
    assert table.loc["新培育规上企业", "status"] == "no_target"


# --------------------------------------------------------------------------- 8. which sheet


def test_a_working_sheet_beside_the_sheet_sent_asks_for_sheet(tmp_path: Path) -> None:
    sent = [["青山镇2016年1-6月主要经济指标完成情况表"], HEADER, ["国地两税", "万元", 1550, 848]]
    draft = [["青山镇2016年1-6月主要经济指标(底稿)"], HEADER, ["国地两税", "万元", 1550, 850]]
    path = book(tmp_path / "w.xlsx", {"上报表": sent, "底稿": draft, "说明": [["填表说明"]]})
    (p,) = problems(lambda: import_files([path]))
    assert "--sheet 底稿" in p.message and "--sheet 上报表" in p.message
    assert "上报表、底稿、说明" in p.message
    (result,) = import_files([path], sheet="上报表")
    assert result.actuals["value"].tolist() == [848.0]


def test_no_table_in_any_sheet_lists_the_sheets(tmp_path: Path) -> None:
    odd = [["青山镇2016年上半年"], ["项 目 一览", "数"], ["国地两税", 848]]
    path = book(tmp_path / "n.xlsx", {"封面": [["封面"]], "数据": odd})
    (p,) = problems(lambda: import_files([path]))
    assert "--sheet" in p.message and "封面、数据" in p.message


def test_sheets_of_different_indicators_or_orgs_still_merge(tmp_path: Path) -> None:
    a = [["青山镇2016年1-6月经济指标完成情况表"], HEADER, ["国地两税", "万元", 1550, 848]]
    b = [["青山镇2016年1-6月社会事业指标完成情况表"], HEADER, ["新增就业", "人", 500, 300]]
    c = [["白马镇2016年1-6月经济指标完成情况表"], HEADER, ["国地两税", "万元", 1200, 640]]
    results = import_files([book(tmp_path / "ok.xlsx", {"经济": a, "社会": b, "白马": c})])
    assert len(results) == 3


# --------------------------------------------------------------------------- 9. % under 上年同期


def test_percents_under_a_last_year_header_are_growth(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["青山镇2016年1-6月主要经济指标完成情况表"],
        [*HEADER, "上年同期"],
        ["国地两税", "万元", 1550, 848, "12.5%"],
        ["新增就业", "人", 500, 300, "-3%"],
        ["城镇化率", "%", 60, 55, "53%"],  # a rate: last year's 53% is its figure
        ["招商引资到位资金", "亿元", 2, 1.1, 0.2],
    ]
    path = build_xlsx(tmp_path / "p.xlsx", rows, percent=("E6",))  # 0.2 shown as 20.0%
    result = import_sheet(path)
    same(
        result.actuals,
        """
indicator,period,value,yoy
tax,2016H1,848,12.5
new_jobs,2016H1,300,-3
ind_4f815dc0c27febff,2016H1,55,53
funds_in_place,2016H1,1.1,20
""",
        ["period", "value", "yoy"],
    )
    assert any("按同比%读" in line for line in result.inferences)


def test_some_percents_under_a_last_year_header_are_a_problem(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["青山镇2016年1-6月主要经济指标完成情况表"],
        [*HEADER, "上年同期"],
        ["国地两税", "万元", 1550, 848, 790],
        ["新增就业", "人", 500, 300, "12.5%"],
    ]
    (p,) = problems(lambda: import_sheet(build_xlsx(tmp_path / "m.xlsx", rows)))
    assert (p.row, p.column, p.value) == (4, "E(上年同期)", "12.5%")
    assert ",column,E,,yoy" in p.message


def test_percents_under_last_year_beside_a_growth_column_are_a_problem(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["青山镇2016年1-6月主要经济指标完成情况表"],
        [*HEADER, "上年同期", "同比%"],
        ["国地两税", "万元", 1550, 848, "12.5%", 3.0],
    ]
    (p,) = problems(lambda: import_sheet(build_xlsx(tmp_path / "b.xlsx", rows)))
    assert p.column == "E(上年同期)" and "另有同比列" in p.message


def test_percents_under_last_year_in_a_district_sheet(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["示范区各乡镇2016年1-6月国地两税完成情况"],
        ["单位:万元"],
        ["乡镇", "全年目标", "1-6月", "上年同期"],
        ["太源镇", 1500, 848, "12.5%"],
        ["柳林乡", 1200, 640, "-2%"],
    ]
    (result,) = import_files([build_xlsx(tmp_path / "d.xlsx", rows)])
    assert result.actuals["yoy"].tolist() == [12.5, -2.0]
    assert result.actuals["period"].tolist() == ["2016H1", "2016H1"]


@pytest.mark.parametrize("header", ["上年同期(%)", "去年同期%"])
def test_a_last_year_header_with_percent_is_growth(tmp_path: Path, header: str) -> None:
    rows: list[list[Any]] = [
        ["青山镇2016年1-6月主要经济指标完成情况表"],
        [*HEADER, header],
        ["国地两税", "万元", 1550, 848, 12.5],
        ["新增就业", "人", 500, 300, -3],
    ]
    result = import_sheet(build_xlsx(tmp_path / "h.xlsx", rows))
    assert result.actuals["period"].tolist() == ["2016H1", "2016H1"]
    assert result.actuals["yoy"].tolist() == [12.5, -3.0]
