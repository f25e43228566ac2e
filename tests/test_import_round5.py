"""Classes the fifth black-box round of ``kpibook import`` (issue 11, report b11) found, each
fixed at its mechanism and tested on sheets built here, wider than the cases:

1. a line of several labelled fields (填报单位：…（盖章）　　单位：万元　填报人：…) is split
   into its fields (t02);
2. a year in Chinese numerals (二〇一六年, 二○一六年, 二零一六年, 一至六月) is the period, never
   the org (t05);
3. generated indicator ids are 64 bits; two different names on one id are a problem, never a
   merge; a folder imported with the old 8-hex ids lines up (b04, b01);
4. path-like punctuation never stays in an org's name (s01);
5. 300余, 约600, 近500, 600多 in a 完成 cell are kept as the data set keeps them (u05);
6. two given files of one name are named by their path as given (m02), and each gets its own
   mapping file (m09);
7. a sheet formatted far below its table is read in bounded time and memory (b02);
8. invisible characters (U+FEFF, U+200B …) leave names, listed (C42);
9. a turned district sheet whose townships lack 镇/乡 is named as not supported.
"""

from __future__ import annotations

import hashlib
import resource
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from helpers.importer.ids import indicator_id, legacy_id
from helpers.importer.mapping import mapping_files, read_mapping
from helpers.importer.merge import import_files, merge_results, read_existing
from helpers.importer.sheets import read_grids
from helpers.importer.tidy import import_sheet
from tests.workbooks import BIN, build_xlsx, kpibook, nothing_written, problems_of, same

HEADER = ["指标名称", "单位", "全年目标", "1-6月", "同比±%"]
FIGURES: list[list[Any]] = [
    ["地区生产总值", "万元", 50000, 26000, 8.3],
    ["新增就业", "人", 500, 300, None],
]
TITLE = "2016年上半年主要经济指标完成情况表"


# --------------------------------------------------------------------------- 1. labelled fields


@pytest.mark.parametrize(
    "line",
    [
        "填报单位：白马镇人民政府（盖章）　　　　　单位：万元",
        "填报单位:白马镇人民政府(盖章)\t\t单位:万元\t填报人:张三",
        "报送单位：白马镇人民政府单位：万元",
        "填报单位（盖章）：白马镇人民政府　　计量单位：万元　　联系电话：0838-1234567",
        "编制单位：白马镇人民政府    金额单位：万元    2016年7月6日",
        "填报单位：白马镇　单位：万元　填报人：李四　审核人：王五　日期：2016年7月5日",
    ],
)
def test_a_line_of_labelled_fields_gives_the_org_and_the_unit_apart(
    tmp_path: Path, line: str
) -> None:
    rows: list[list[Any]] = [
        ["关于2016年上半年主要经济指标完成情况的通报"],
        [line],
        ["指标名称", "全年目标", "1-6月累计", "同比增长%"],
        ["地区生产总值", 50000, 26000, 8.3],
        ["固定资产投资", 60000, 31000, 10.7],
    ]
    result = import_sheet(build_xlsx(tmp_path / "通报.xlsx", rows))
    assert (result.org, result.period) == ("白马镇", "2016H1")
    same(
        result.targets,
        """
org,indicator,period,target,unit
白马镇,gdp,2016,50000,万元
白马镇,fai,2016,60000,万元
""",
    )
    same(
        result.actuals,
        """
org,indicator,period,value,unit,yoy
白马镇,gdp,2016H1,26000,万元,8.3
白马镇,fai,2016H1,31000,万元,10.7
""",
    )


def test_the_fields_after_the_org_never_join_it_through_the_cli(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        [TITLE],
        ["填报单位：柳林乡人民政府（盖章）　　填报人：张三　　联系电话：12345678"],
        HEADER,
        *FIGURES,
    ]
    out = tmp_path / "data"
    run = kpibook("import", str(build_xlsx(tmp_path / "t.xlsx", rows)), "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert "乡镇: 柳林乡 (来自第2行填报单位" in run.stdout
    assert (out / "targets.csv").read_text(encoding="utf-8-sig").splitlines()[1:] == [
        "柳林乡,gdp,2016,50000,万元",
        "柳林乡,new_jobs,2016,500,人",
    ]


# --------------------------------------------------------------------------- 2. 二〇一六年


@pytest.mark.parametrize(
    "title, period",
    [
        ("二〇一六年上半年红星镇主要经济指标完成情况", "2016H1"),
        ("二○一六年上半年红星镇主要经济指标完成情况", "2016H1"),
        ("二零一六年上半年红星镇主要经济指标完成情况", "2016H1"),
        ("二〇一六年一至六月红星镇主要经济指标完成情况表", "2016H1"),
        ("二〇一六年1-六月红星镇主要经济指标完成情况表", "2016H1"),
        ("红星镇二〇一六年一至九月主要经济指标完成情况", "2016Q3"),
        ("红星镇二〇一六年第一季度主要经济指标完成情况", "2016Q1"),
        ("红星镇二〇一五年度主要经济指标完成情况", "2015"),
    ],
)
def test_a_year_in_chinese_numerals_is_the_period_never_the_org(
    tmp_path: Path, title: str, period: str
) -> None:
    header = ["指标名称", "单位", "全年目标", "累计完成", "同比±%"]
    result = import_sheet(build_xlsx(tmp_path / "c.xlsx", [[title], header, *FIGURES]))
    assert (result.org, result.period) == ("红星镇", period)
    same(
        result.actuals,
        f"""
org,indicator,period,value,unit,yoy
红星镇,gdp,{period},26000,万元,8.3
红星镇,new_jobs,{period},300,人,
""",
    )


def test_a_title_of_only_a_chinese_year_gives_no_org(tmp_path: Path) -> None:
    path = build_xlsx(
        tmp_path / "y.xlsx", [["二〇一六年上半年主要经济指标完成情况"], HEADER, *FIGURES]
    )
    (p,) = problems_of(lambda: import_sheet(path))
    assert p.message.startswith("标题中看不出乡镇,请用 --org 指定")
    assert import_sheet(path, org="红星镇").period == "2016H1"


# --------------------------------------------------------------------------- 3. ids


def colliding(tmp_path: Path, org: str, name: str, target: int, actual: int) -> Path:
    """A sheet of one indicator (names whose old 8-hex ids are one: b04)."""
    rows: list[list[Any]] = [
        [f"{org}2016年1-6月主要经济指标完成情况表"],
        ["指标名称", "单位", "全年目标", "1-6月累计"],
        [name, "万元", target, actual],
    ]
    folder = tmp_path / org
    folder.mkdir(exist_ok=True)
    return build_xlsx(folder / f"{org}.xlsx", rows)


OLD_A, OLD_B = "指标33574", "指标18398"  # ind_d9f7037a both, in 32 bits


def test_names_that_shared_a_32_bit_id_get_two_ids(tmp_path: Path) -> None:
    assert legacy_id(indicator_id(OLD_A)) == legacy_id(indicator_id(OLD_B)) == "ind_d9f7037a"
    assert indicator_id(OLD_A) == "ind_" + hashlib.sha1(OLD_A.encode()).hexdigest()[:16]
    a = colliding(tmp_path, "城关镇", OLD_A, 1000, 500)
    b = colliding(tmp_path, "河西镇", OLD_B, 1000, 700)
    merged = merge_results(import_files([a, b]))
    assert not merged.problems
    same(
        merged.tables["indicators"],
        """
indicator,name,unit
ind_d9f7037a2e2f85cc,指标33574,万元
ind_d9f7037a41cb900a,指标18398,万元
""",
    )
    same(
        merged.tables["actuals"],
        """
org,indicator,period,value
城关镇,ind_d9f7037a2e2f85cc,2016H1,500
河西镇,ind_d9f7037a41cb900a,2016H1,700
""",
    )
    one = [["巨石镇2016年1-6月主要经济指标完成情况表"], ["指标名称", "单位", "全年目标", "1-6月"]]
    one += [[OLD_A, "万元", 10, 5], [OLD_B, "万元", 20, 7]]
    result = import_sheet(build_xlsx(tmp_path / "one.xlsx", one))
    assert result.indicators["name"].tolist() == [OLD_A, OLD_B]
    assert result.indicators["indicator"].nunique() == 2


def old_folder(tmp_path: Path) -> Path:
    """A data set imported before issue 11: 城关镇's 指标33574 under its 8-hex id."""
    out = tmp_path / "data"
    out.mkdir()
    (out / "indicators.csv").write_text(
        "indicator,name,sector,unit,direction,measure\n"
        "ind_d9f7037a,指标33574,综合,万元,up,cumulative\n",
        encoding="utf-8",
    )
    (out / "targets.csv").write_text(
        "org,indicator,period,target,unit\n城关镇,ind_d9f7037a,2016,1000,万元\n", encoding="utf-8"
    )
    (out / "actuals.csv").write_text(
        "org,indicator,period,value,unit,status,yoy,note\n城关镇,ind_d9f7037a,2016H1,500,万元,,,\n",
        encoding="utf-8",
    )
    return out


def test_a_folder_imported_with_8_hex_ids_lines_up(tmp_path: Path) -> None:
    out = old_folder(tmp_path)
    a = colliding(tmp_path, "城关镇", OLD_A, 1000, 500)
    b = colliding(tmp_path, "河西镇", OLD_B, 1000, 700)
    run = kpibook("import", str(a), str(b), "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert "沿用数据文件夹中的旧编号 ind_d9f7037a" in run.stdout
    tables = read_existing(out)
    same(
        tables["indicators"],
        """
indicator,name
ind_d9f7037a,指标33574
ind_d9f7037a41cb900a,指标18398
""",
    )
    same(
        tables["actuals"],
        """
org,indicator,period,value
城关镇,ind_d9f7037a,2016H1,500
河西镇,ind_d9f7037a41cb900a,2016H1,700
""",
    )
    check = kpibook("check", "--data", str(out))
    assert check.returncode == 0, check.stdout + check.stderr


def test_two_names_on_one_id_are_a_problem_never_a_merge(tmp_path: Path) -> None:
    out = tmp_path / "data"
    out.mkdir()
    clash = indicator_id("农民集中居住区建设")
    (out / "indicators.csv").write_text(
        f"indicator,name,sector,unit,direction,measure\n{clash},场镇绿化,综合,万元,up,cumulative\n",
        encoding="utf-8",
    )
    before = (out / "indicators.csv").read_bytes()
    rows: list[list[Any]] = [
        ["太源镇2016年1-6月主要经济指标完成情况表"],
        ["指标名称", "单位", "全年目标", "1-6月"],
        ["农民集中居住区建设", "万元", 4000, 1800],
    ]
    run = kpibook("import", str(build_xlsx(tmp_path / "t.xlsx", rows)), "--out", str(out))
    assert run.returncode == 2
    assert f"却得到同一编号 {clash}" in run.stderr
    assert "「场镇绿化」" in run.stderr and "「农民集中居住区建设」" in run.stderr
    assert "indicators.csv" in run.stderr  # where the other name is
    assert (out / "indicators.csv").read_bytes() == before
    assert not (out / "actuals.csv").exists()


# --------------------------------------------------------------------------- 4. path-like orgs


@pytest.mark.parametrize(
    "title",
    [
        "../../evil镇2016年1-6月主要经济指标完成情况表",
        "..\\..\\evil镇2016年1-6月主要经济指标完成情况表",
        "./evil镇2016年1-6月主要经济指标完成情况表",
        "/../evil镇2016年1-6月主要经济指标完成情况表",
        "evil镇/..2016年1-6月主要经济指标完成情况表",
    ],
)
def test_path_like_punctuation_never_stays_in_an_org(tmp_path: Path, title: str) -> None:
    path = build_xlsx(tmp_path / "evil.xlsx", [[title], HEADER, *FIGURES])
    result = import_sheet(path)
    assert result.org == "evil镇"
    assert set(result.targets["org"]) == {"evil镇"}


def test_path_like_orgs_in_a_reporting_line_and_a_district_sheet(tmp_path: Path) -> None:
    rows: list[list[Any]] = [[TITLE], ["填报单位：../../白马镇人民政府"], HEADER, *FIGURES]
    assert import_sheet(build_xlsx(tmp_path / "f.xlsx", rows)).org == "白马镇"
    district: list[list[Any]] = [
        ["示范区各乡镇2016年1-6月地区生产总值完成情况(单位:万元)"],
        ["乡镇", "全年目标", "1-6月"],
        ["../太源镇", 50000, 26000],
        ["..\\柳林乡", 30000, 16500],
    ]
    (result,) = import_files([build_xlsx(tmp_path / "d.xlsx", district)])
    assert result.orgs == ["太源镇", "柳林乡"]


# --------------------------------------------------------------------------- 5. qualifiers


def test_qualified_figures_are_kept_as_the_data_set_keeps_them(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["永丰镇2016年1-6月主要经济指标完成情况表"],
        ["指标名称", "单位", "全年目标", "1-6月"],
        ["新增就业", "人", 500, "300余"],
        ["农村劳动力培训", "人次", 1000, "约600"],
        ["新增城镇就业岗位", "个", 800, "近500"],
        ["转移就业", "人", 900, "600多"],
        ["返乡创业", "人", 100, "50余人"],
        ["固定资产投资", "万元", 20000, "约1.2亿"],
    ]
    path = build_xlsx(tmp_path / "永丰镇.xlsx", rows)
    result = import_sheet(path)
    assert result.actuals[["value", "unit"]].values.tolist() == [
        ["300余", "人"],
        ["约600", "人次"],
        ["近500", "个"],
        ["600多", "人"],
        ["50余", "人"],
        ["约1.2", "亿元"],
    ]
    assert set(result.actuals["period"]) == {"2016H1"}
    assert any("D3「300余」→ 300余" in line and "「余」" in line for line in result.inferences)
    out = tmp_path / "data"
    run = kpibook("import", str(path), "--out", str(out))
    assert run.returncode == 0, run.stderr
    lines = (out / "actuals.csv").read_text(encoding="utf-8-sig").splitlines()
    assert "永丰镇,new_jobs,2016H1,300余,人,,," in lines
    check = kpibook("check", "--data", str(out))
    assert check.returncode == 0, check.stdout + check.stderr
    again = kpibook("import", str(path), "--out", str(out))  # the same figures: no conflict
    assert again.returncode == 0, again.stderr


@pytest.mark.parametrize(
    "target, actual, message",
    [
        ("约600", 300, "限定词(约、近、余、多)只能用于完成数"),
        (600, "约300余", "限定词写法不对"),
        (600, "余300", "限定词写法不对"),
    ],
)
def test_a_qualifier_on_a_target_or_out_of_place_is_a_problem(
    tmp_path: Path, target: Any, actual: Any, message: str
) -> None:
    rows: list[list[Any]] = [
        ["永丰镇2016年1-6月主要经济指标完成情况表"],
        ["指标名称", "单位", "全年目标", "1-6月"],
        ["新增就业", "人", target, actual],
    ]
    (p,) = problems_of(lambda: import_sheet(build_xlsx(tmp_path / "q.xlsx", rows)))
    assert message in p.message and p.row == 3


# --------------------------------------------------------------------------- 6. same names


def township(folder: Path, org: str, gdp: int, *, serial: bool = False) -> Path:
    """``folder/1-6月.xlsx`` or ``folder/城关镇.xlsx`` of one township."""
    folder.mkdir(parents=True, exist_ok=True)
    if serial:  # another layout: 序号 first, the unit last
        rows: list[list[Any]] = [
            [f"{org}2016年1-6月主要经济指标完成情况表"],
            ["序号", "指标", "1-6月", "全年目标", "单位"],
            [1, "地区生产总值", gdp, 50000, "万元"],
        ]
    else:
        rows = [
            [f"{org}2016年1-6月主要经济指标完成情况表"],
            ["指标名称", "单位", "全年目标", "1-6月累计", "上年同期"],
            ["地区生产总值", "万元", 50000, gdp, 24000],
            ["固定资产投资", "万元", 60000, 31000, 28000],
        ]
    return build_xlsx(folder / "1-6月.xlsx", rows)


def test_a_conflict_between_two_files_of_one_name_names_their_paths(tmp_path: Path) -> None:
    a = township(tmp_path / "a", "城关镇", 26000).rename(tmp_path / "a" / "城关镇.xlsx")
    b = township(tmp_path / "b", "城关镇", 26500).rename(tmp_path / "b" / "城关镇.xlsx")
    out = tmp_path / "out"
    run = kpibook("import", "a/城关镇.xlsx", "b/城关镇.xlsx", "--out", str(out), cwd=tmp_path)
    assert run.returncode == 2 and nothing_written(out)
    assert "a/城关镇.xlsx[Sheet1] D3 是 26000 万元" in run.stderr
    assert "b/城关镇.xlsx[Sheet1] D3 是 26500 万元" in run.stderr
    assert "26000.0" not in run.stderr
    assert a.is_file() and b.is_file()


def test_each_file_given_gets_its_own_mapping_file(tmp_path: Path) -> None:
    a = township(tmp_path / "城关镇", "城关镇", 26000)
    b = township(tmp_path / "河西镇", "河西镇", 22000, serial=True)
    files = [str(a), str(b)]
    results = import_files(files)
    maps = mapping_files(results, files)
    assert sorted(maps) == ["1-6月.xlsx-城关镇.csv", "1-6月.xlsx-河西镇.csv"]
    assert "序号" not in maps["1-6月.xlsx-城关镇.csv"] and "序号" in maps["1-6月.xlsx-河西镇.csv"]
    for name, path in (("1-6月.xlsx-城关镇.csv", a), ("1-6月.xlsx-河西镇.csv", b)):
        written = tmp_path / name
        written.write_text(maps[name], encoding="utf-8")
        (again,) = import_files([path], mapping=read_mapping(written))
        (first,) = [r for r in results if r.source == str(path)]
        same(again.actuals, first.actuals.to_csv(index=False))
        same(again.targets, first.targets.to_csv(index=False))
    copies = [str(township(tmp_path / d, "城关镇", 26000)) for d in ("x", "y")]
    names = sorted(mapping_files(import_files(copies), copies))
    digests = [hashlib.sha1(c.encode()).hexdigest()[:8] for c in copies]
    assert names == sorted(f"1-6月.xlsx-城关镇-{d}.csv" for d in digests)
    assert sorted(mapping_files(import_files([str(a)]), [str(a)])) == ["1-6月.xlsx.csv"]


# --------------------------------------------------------------------------- 7. formatted far


def formatted_far(tmp_path: Path, empty_rows: int, far_value: bool = False) -> Path:
    """A 4-indicator sheet whose XML claims A1:XFD1048576 and holds ``empty_rows`` empty
    styled rows (cells A and Z) below the table (b02), written straight into the zip."""
    rows: list[list[Any]] = [
        ["格式镇2016年1-6月主要经济指标完成情况表"],
        HEADER,
        ["地区生产总值", "万元", 50000, 26000, 8.3],
        ["规上工业增加值", "万元", 20000, 9800, 9.5],
        ["固定资产投资", "万元", 60000, 31000, 10.7],
        ["社会消费品零售总额", "万元", 15000, 7600, 8.6],
    ]
    small = build_xlsx(tmp_path / "small.xlsx", rows)
    path = tmp_path / "格式镇.xlsx"
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode("utf-8")
                text = text.replace('<dimension ref="A1:E6"/>', '<dimension ref="A1:XFD1048576"/>')
                filler = "".join(
                    f'<row r="{r}"><c r="A{r}" s="1"/><c r="Z{r}" s="1"/></row>'
                    for r in range(7, 7 + empty_rows)
                )
                if far_value:
                    filler += (
                        f'<row r="{7 + empty_rows}"><c r="XFD{7 + empty_rows}"><v>1</v></c></row>'
                    )
                text = text.replace("</sheetData>", filler + "</sheetData>")
                data = text.encode("utf-8")
            dst.writestr(info, data)
    return path


def test_empty_formatted_rows_below_the_table_cost_little(tmp_path: Path) -> None:
    path = formatted_far(tmp_path, 200_000)
    (grid,) = read_grids(path)
    assert len(grid.rows) == 6 and grid.width == 5  # ends at the last value
    out = tmp_path / "data"

    def limit() -> None:  # the old reader needed 4.9 GB for 300,000 such rows
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    run = subprocess.run(
        [str(BIN / "kpibook"), "import", str(path), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit,
    )
    assert run.returncode == 0, run.stderr
    same(
        read_existing(out)["actuals"],
        """
org,indicator,period,value,yoy
格式镇,gdp,2016H1,26000,8.3
格式镇,ind_value_added,2016H1,9800,9.5
格式镇,fai,2016H1,31000,10.7
格式镇,retail_sales,2016H1,7600,8.6
""",
    )


def test_a_value_far_below_is_still_refused_before_it_is_read(tmp_path: Path) -> None:
    path = formatted_far(tmp_path, 30_000, far_value=True)
    with pytest.raises(Exception) as info:
        read_grids(path)
    assert "未读取" in str(info.value)


# --------------------------------------------------------------------------- 8. invisible


@pytest.mark.parametrize("mark", ["\ufeff", "\u200b", "\u200e", "\u202a", "\u2060", "\u2067"])
def test_invisible_characters_leave_names_and_are_listed(tmp_path: Path, mark: str) -> None:
    rows: list[list[Any]] = [
        [f"太源镇{mark}2016年1-6月主要经济指标完成情况表"],
        HEADER,
        [f"地区生产{mark}总值", "万元", 50000, 26000, 8.3],
        [f"{mark}农民集中居住区建设", "平方米", 40000, 18000, None],
    ]
    result = import_sheet(build_xlsx(tmp_path / "i.xlsx", rows))
    assert result.org == "太源镇"
    same(
        result.indicators,
        f"""
indicator,name,unit
gdp,地区生产总值,万元
{indicator_id("农民集中居住区建设")},农民集中居住区建设,平方米
""",
    )
    code = f"U+{ord(mark):04X}"
    assert any(f"A3 指标名称「地区生产总值」中的不可见字符 {code}" in x for x in result.inferences)
    assert any(
        f"A4 指标名称「农民集中居住区建设」中的不可见字符 {code}" in x for x in result.inferences
    )


def test_invisible_characters_leave_a_district_sheets_orgs(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["示范区各乡镇2016年1-6月地区生产总值完成情况(单位:万元)"],
        ["乡镇", "全年目标", "1-6月"],
        ["太源镇\ufeff", 50000, 26000],
        ["\u200b柳林乡", 30000, 16500],
    ]
    (result,) = import_files([build_xlsx(tmp_path / "d.xlsx", rows)])
    assert result.orgs == ["太源镇", "柳林乡"]
    assert any("第3行乡镇「太源镇」中的不可见字符 U+FEFF" in x for x in result.inferences)


# --------------------------------------------------------------------------- 9. turned sheets


def turned(tmp_path: Path, corner: str, name: str = "汇总.xlsx") -> Path:
    rows: list[list[Any]] = [
        ["示范区2016年1-6月主要经济指标完成情况"],
        [corner, "单位", "太源", "柳林", "城关"],
        ["地区生产总值", "万元", 26000, 22000, 18000],
        ["固定资产投资", "万元", 31000, 35000, 27000],
    ]
    return build_xlsx(tmp_path / name, rows)


@pytest.mark.parametrize(
    "corner", ["指标\\乡镇", "指标／乡镇", "项目\\单位", "乡镇＼指标", "指标名称/镇街"]
)
def test_a_turned_sheet_with_a_corner_cell_is_not_supported(tmp_path: Path, corner: str) -> None:
    out = tmp_path / "data"
    run = kpibook("import", str(turned(tmp_path, corner)), "--out", str(out))
    assert run.returncode == 2 and nothing_written(out)
    assert "不支持的表格布局：乡镇在列、指标在行" in run.stderr
    assert "C、D、E 列是乡镇：太源、柳林、城关" in run.stderr


def test_a_turned_sheet_naming_known_orgs_is_not_supported(tmp_path: Path) -> None:
    path = turned(tmp_path, "指标")
    (p,) = problems_of(lambda: import_files([path], known_orgs=["太源镇", "柳林乡", "城关镇"]))
    assert p.message.startswith("不支持的表格布局：乡镇在列、指标在行")
    own = township(tmp_path / "太源镇", "太源镇", 26000).rename(tmp_path / "太源镇.xlsx")
    other = township(tmp_path / "柳林乡", "柳林乡", 22000).rename(tmp_path / "柳林乡.xlsx")
    out = tmp_path / "data"
    run = kpibook("import", str(own), str(other), str(path), "--out", str(out))
    assert run.returncode == 2 and nothing_written(out)
    assert "不支持的表格布局：乡镇在列、指标在行" in run.stderr
    (q,) = problems_of(lambda: import_files([path]))  # nothing says 太源 is a township
    assert q.message.startswith("找不到表头")


@pytest.mark.parametrize(
    "written",
    [
        "/tmp/some/outside/龙泉乡",
        "tmp/some/outside/龙泉乡",
        "C:\\Users\\x\\龙泉乡",
        "~/龙泉乡",
        "./../龙泉乡",
        "data/龙泉乡",
    ],
)
def test_a_name_written_as_a_path_is_its_last_part(written):
    """A title that begins with a path names the org after its last separator, never the
    path's letters glued to it (``tmpsomeoutside龙泉乡``); one slash between organs stays
    for the organs' rule."""
    from helpers.importer.layout import normalise_org

    assert normalise_org(written) == "龙泉乡"
    assert normalise_org("柳林乡党委/柳林乡人民政府") == "柳林乡"
