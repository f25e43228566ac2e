"""``kpibook import``: the shipped office sheets against hand-written tidy tables, each quirk,
every problem at once, stable ids across half-years, and writing the data set."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import Workbook

from helpers.data.dataset import load_dataset
from helpers.errors import DataErrors, UsageError
from helpers.importer.ids import display_name
from helpers.importer.tidy import (
    DEFAULT_SECTOR,
    ImportErrors,
    import_sheet,
    write_dataset,
)
from tests.workbooks import build_xlsx

SHEETS = Path(__file__).parent / "sheets"
EXPECTED = SHEETS / "expected"
FIXTURES = ["taiyuan-2013H1.xlsx", "taiyuan-2013.xlsx", "longquan-2013H1.xls", "jinxi-2013Q1.csv"]
NUMERIC = ("target", "value", "yoy")


def _read(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for col in NUMERIC:
        if col in frame:
            frame[col] = pd.to_numeric(frame[col].replace("", None)).astype("float64")
    return frame


def _xlsx(
    tmp_path: Path, rows: list[list[Any]], merges: tuple[str, ...] = (), name: str = "t.xlsx"
) -> Path:
    return build_xlsx(tmp_path / name, rows, merges=merges)


TITLE = ["青山镇2013年1-6月主要经济指标完成情况表"]
HEADER = ["指标名称", "单位", "全年目标", "1-6月累计", "同比±%", "备注"]


# --------------------------------------------------------------------------- shipped sheets


@pytest.mark.parametrize("fixture", FIXTURES)
def test_shipped_sheet_matches_the_hand_written_tables(fixture: str, tmp_path: Path) -> None:
    result = import_sheet(SHEETS / fixture)
    written = write_dataset(result, tmp_path)
    expected_dir = EXPECTED / Path(fixture).stem
    assert [p.name for p in written] == ["indicators.csv", "targets.csv", "actuals.csv"]
    for path in written:
        pd.testing.assert_frame_equal(
            _read(path), _read(expected_dir / path.name), check_exact=False
        )


def test_the_sample_township_figures(tmp_path: Path) -> None:
    result = import_sheet(SHEETS / "taiyuan-2013H1.xlsx")
    assert (result.org, result.period, result.sheet) == ("太源镇", "2013H1", "Sheet1")
    actual = result.actuals.set_index(["indicator", "period"])
    target = result.targets.set_index(["indicator", "period"])
    assert actual.loc[("tax", "2013H1"), "value"] / target.loc[
        ("tax", "2013"), "target"
    ] == pytest.approx(848 / 1550)
    assert target.loc[("fai", "2013H1"), "target"] == 5500
    assert actual.loc[("ind_value_added", "2013H1"), ["value", "unit"]].tolist() == [1.98, "亿元"]


def test_an_imported_sheet_loads_as_a_data_set_with_units_converted(tmp_path: Path) -> None:
    result = import_sheet(SHEETS / "taiyuan-2013H1.xlsx")
    write_dataset(result, tmp_path)
    data = load_dataset(tmp_path)
    actual = data.actuals.set_index(["indicator", "period"])
    assert data.indicators.loc["ind_value_added", "unit"] == "万元"
    assert actual.loc[("ind_value_added", "2013H1"), "value"] == pytest.approx(1.98 * 10_000)
    assert actual.loc[("tax", "2013H1"), "value"] == 848
    assert actual.loc[("ind_output", "2013H1"), "status"] == "预计"


def test_inferences_name_every_guess() -> None:
    result = import_sheet(SHEETS / "taiyuan-2013H1.xlsx")
    text = "\n".join(result.inferences)
    assert "表头在第3-4行" in text
    assert "乡镇: 太源镇" in text and "期间: 2013H1" in text
    assert "列 F(本期/累计) → 累计完成" in text and "列 J(完成率%) → 忽略" in text
    assert "第5行「一、财税」→ 领域 财税" in text
    assert "F11「1.98亿」→ 1.98 亿元" in text
    assert "G6、G11" in text  # the ranks dropped
    for ind, unit in zip(result.indicators["indicator"], result.indicators["unit"]):
        assert any(f"→ {ind},单位 {unit}" in line for line in result.inferences), ind


def test_ids_line_up_between_two_sheets_of_one_township() -> None:
    half = import_sheet(SHEETS / "taiyuan-2013H1.xlsx")
    year = import_sheet(SHEETS / "taiyuan-2013.xlsx")
    assert year.period == "2013"
    assert any(
        "百分比格式" in line and "D8" in line for line in year.inferences
    )  # 0.096 shown as 9.6%
    assert set(year.indicators["indicator"]) <= set(half.indicators["indicator"])
    assert set(year.indicators["sector"]) <= set(half.indicators["sector"])
    shared = "农民集中居住区建设"
    expected = "ind_" + hashlib.sha1(shared.encode()).hexdigest()[:16]
    for result in (half, year):
        row = result.indicators.loc[result.indicators["name"] == shared]
        assert row["indicator"].tolist() == [expected]


def test_fixtures_are_what_make_sheets_builds(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_sheets", SHEETS / "make_sheets.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    for path in module.build(tmp_path, xls=False):
        rebuilt, shipped = import_sheet(path), import_sheet(SHEETS / path.name)
        for name in ("indicators", "targets", "actuals"):
            pd.testing.assert_frame_equal(rebuilt.tables[name], shipped.tables[name])


def test_a_utf8_csv_reads_like_the_gbk_one(tmp_path: Path) -> None:
    gbk = SHEETS / "jinxi-2013Q1.csv"
    utf8 = tmp_path / "jinxi-2013Q1.csv"
    utf8.write_bytes(gbk.read_bytes().decode("gb18030").encode("utf-8-sig"))
    a, b = import_sheet(gbk), import_sheet(utf8)
    pd.testing.assert_frame_equal(a.actuals, b.actuals)
    assert "编码 UTF-8 (BOM)" in b.inferences[0]


# --------------------------------------------------------------------------- org and period


def test_org_and_period_arguments_override_the_title() -> None:
    result = import_sheet(SHEETS / "taiyuan-2013H1.xlsx", org="太源", period="2013H1")
    assert set(result.actuals["org"]) == {"太源"} and set(result.targets["org"]) == {"太源"}
    assert any("来自参数" in line and "太源镇" in line for line in result.inferences)


def test_a_sheet_without_title_needs_org_and_period(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path, [["指标名称", "单位", "全年目标", "累计完成"], ["国地两税", "万元", 1550, 848]]
    )
    with pytest.raises(ImportErrors) as info:
        import_sheet(path)
    messages = " ".join(p.message for p in info.value.problems)
    assert "--org" in messages and "--period" in messages  # both at once
    result = import_sheet(path, org="青山镇", period="2013H1")
    assert result.actuals[["org", "period", "value"]].values.tolist() == [
        ["青山镇", "2013H1", 848.0]
    ]


def test_period_from_the_header_when_the_title_has_only_the_year(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [["青山镇2013年主要经济指标完成情况表"], HEADER, ["国地两税", "万元", 1550, 848, 5, None]],
    )
    result = import_sheet(path)
    assert result.period == "2013H1"
    assert any("来自列头" in line for line in result.inferences)


@pytest.mark.parametrize(
    "span, period",
    [
        ("1-3月", "2013Q1"),
        ("1-12月", "2013"),
        ("全年", "2013"),
        ("1-5月", "2013-05"),
        ("上半年", "2013H1"),
    ],
)
def test_title_periods(tmp_path: Path, span: str, period: str) -> None:
    path = _xlsx(
        tmp_path,
        [
            [f"青山镇2013年{span}主要经济指标完成情况表"],
            ["指标名称", "单位", "全年目标", "累计", "备注"],
            ["国地两税", "万元", 1550, 848, None],
        ],
    )
    assert import_sheet(path).period == period


def test_header_months_that_contradict_the_period_are_a_problem() -> None:
    with pytest.raises(ImportErrors) as info:
        import_sheet(SHEETS / "longquan-2013H1.xls", period="2013-05")
    (problem,) = info.value.problems
    assert problem.column == "C(1-6月累计(万元))" and problem.sheet == "2013上半年"


def test_bad_arguments_are_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--period"):
        import_sheet(SHEETS / "taiyuan-2013H1.xlsx", period="2013H3")
    with pytest.raises(UsageError, match="没有工作表"):
        import_sheet(SHEETS / "taiyuan-2013H1.xlsx", sheet="nope")
    with pytest.raises(UsageError):
        import_sheet(tmp_path / "missing.xlsx")


def test_the_first_sheet_with_a_header_is_used(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["本表由统计站填报"])
    ws = wb.create_sheet("数据")
    for row in (TITLE, HEADER, ["国地两税", "万元", 1550, 848, 12.3, None]):
        ws.append(row)
    path = tmp_path / "two.xlsx"
    wb.save(path)
    result = import_sheet(path)
    assert result.sheet == "数据" and "工作表「数据」" in result.inferences[0]
    with pytest.raises(ImportErrors, match="找不到表头"):
        import_sheet(path, sheet="说明")


# --------------------------------------------------------------------------- quirks


def test_targets_by_period_and_last_year(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            TITLE,
            ["指标名称", "单位", "全年目标", "上半年目标", "本期", None, "上年同期", None],
            [None, None, None, None, "累计", "同比±%", "累计", "同比±%"],
            ["国地两税", "万元", 1550, 700, 848, 12.3, 755, 8.1],
        ],
        merges=("A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2", "G2:H2"),
    )
    result = import_sheet(path)
    assert result.targets[["period", "target"]].values.tolist() == [
        ["2013", 1550.0],
        ["2013H1", 700.0],
    ]
    assert result.actuals[["period", "value", "yoy"]].values.tolist() == [
        ["2013H1", 848.0, 12.3],
        ["2012H1", 755.0, 8.1],
    ]


def test_units_from_header_row_line_and_cell(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            TITLE,
            ["单位:万元"],
            ["指标名称", "全年目标", "1-6月累计", "上年同期(亿元)"],
            ["国地两税", 1550, 848, 0.0755],
            ["规模工业产值", "12亿", "6亿", 5.43],
            ["粮食产量(吨)", 3000, 1250, None],
        ],
    )
    result = import_sheet(path)
    units = dict(zip(result.indicators["name"], result.indicators["unit"]))
    assert units == {"国地两税": "万元", "规模工业产值": "万元", "粮食产量": "吨"}
    rows = result.actuals.set_index(["indicator", "period"])
    assert rows.loc[("tax", "2012H1"), "unit"] == "亿元"  # from the header
    assert rows.loc[("ind_output", "2013H1"), "unit"] == "亿元"  # from the cell
    assert rows.loc[("grain_output", "2013H1"), "unit"] == "吨"  # from the name
    assert any("单位行" in line for line in result.inferences)


def test_a_unit_only_in_the_cells(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path, [TITLE, ["指标名称", "全年目标", "1-6月累计"], ["规模工业产值", "12亿", "6亿"]]
    )
    result = import_sheet(path)
    assert result.indicators["unit"].tolist() == ["亿元"]
    assert any("单元格" in line for line in result.inferences)


def test_estimates_from_cell_note_status_column_and_star(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            TITLE,
            ["指标名称", "单位", "1-6月累计", "状态", "备注"],
            ["国地两税", "万元", "预计848", None, None],
            ["社会固定资产投资", "万元", 6035, None, "6月数为预计"],
            ["规模工业产值", "亿元", 6, "快报", None],
            ["新增就业", "人", "300*", None, None],
            ["粮食产量", "吨", "1250*", "正式", None],
        ],
    )
    result = import_sheet(path)
    status = dict(zip(result.actuals["indicator"], result.actuals["status"].fillna("")))
    assert status == {
        "tax": "预计",
        "fai": "预计",
        "ind_output": "快报",
        "new_jobs": "",
        "grain_output": "正式",
    }
    assert any("带*号,表下没有说明" in line for line in result.inferences)


def test_a_footnote_gives_the_star_its_meaning(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            TITLE,
            ["指标名称", "单位", "1-6月累计"],
            ["新增就业", "人", "300*"],
            ["注:标*的为预计数"],
        ],
    )
    assert import_sheet(path).actuals["status"].tolist() == ["预计"]


def test_sector_headings_in_their_forms(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            TITLE,
            ["序号", "指标名称", "单位", "全年目标", "1-6月累计"],
            [None, "财税"],
            [1, "国地两税", "万元", 1550, 848],  # the only text of its row
            ["一、工业"],
            [2, "规模工业产值", "亿元", 12, 6],  # merged across the table
            [None, "（一）农业"],
            [3, "粮食产量", "吨", 3000, 1250],  # numbered, in the name column
            ["三", "服务业"],
            [4, "社会消费品零售总额", "万元", 15000, 7200],  # number in the 序号 column
            ["四、城建", None, None, None, None],
            [5, "黑化路面", "米", 1000, 800],
            [None, "新增就业", "人", "—", "—"],  # — : an indicator, no figures
        ],
        merges=("A5:E5", "A11:E11"),
    )
    result = import_sheet(path)
    sectors = dict(zip(result.indicators["name"], result.indicators["sector"]))
    assert sectors == {
        "国地两税": "财税",
        "规模工业产值": "工业",
        "粮食产量": "农业",
        "社会消费品零售总额": "服务业",
        "黑化路面": "城建",
        "新增就业": "城建",
    }
    assert "new_jobs" not in set(result.actuals["indicator"])
    assert any("第3行「财税」→ 领域 财税" in line for line in result.inferences)


def test_lone_numbers_and_sub_items_are_not_headings(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            TITLE,
            ["序号", "指标名称", "全年目标(亿元)", "1-6月累计(亿元)"],
            ["一、招商"],
            [None, "招商引资到位资金", 1.5, 0.7],
            [7],
            [None, "其中:省外资金", None, None],
        ],
    )
    result = import_sheet(path)
    assert result.indicators[["name", "sector"]].values.tolist() == [
        ["招商引资到位资金", "招商"],
        ["省外资金", "招商"],
    ]


def test_indicators_before_any_heading_get_the_default_sector(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [TITLE, HEADER, ["国地两税", "万元", 1550, 848, 12.3, None]])
    result = import_sheet(path)
    assert result.indicators["sector"].tolist() == [DEFAULT_SECTOR]
    assert any(DEFAULT_SECTOR in line for line in result.inferences)


def test_no_value_marks_ranks_and_growth_words(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            TITLE,
            HEADER,
            ["国地两税", "万元", "—", "848(3)", "下降15.8", None],
            ["社会固定资产投资", "万元", "/", "6,035", "增长5.2(1)", None],
            ["规模工业产值", "亿元", "-", "6", None, None],
            ["粮食产量", "吨", None, 1250, "持平", None],
        ],
    )
    result = import_sheet(path)
    assert result.targets.empty
    assert result.actuals[["value", "yoy"]].fillna(-999).values.tolist() == [
        [848.0, -15.8],
        [6035.0, 5.2],
        [6.0, -999],
        [1250.0, 0.0],
    ]


def test_notes_and_direction(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            TITLE,
            HEADER,
            ["安全生产事故", "起", 3, 0, None, None],
            ["越级上访", "批次", 0, 0, None, "控制数"],
            ["国地两税", "万元", 1550, 848, None, "含一次性税收"],
        ],
    )
    result = import_sheet(path)
    assert result.indicators["direction"].tolist() == ["down", "down", "up"]
    assert result.actuals["note"].fillna("").tolist() == ["", "控制数", "含一次性税收"]


def test_rates_are_marked_as_rates(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [TITLE, HEADER, ["城镇化率", "%", 55, "52%", None, None]])
    result = import_sheet(path)
    assert result.indicators["measure"].tolist() == ["rate"]
    assert result.actuals["value"].tolist() == [52.0]


# --------------------------------------------------------------------------- problems


def test_every_problem_at_once_with_its_place(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            TITLE,
            HEADER,
            ["国地两税", "万元", "abc", 848, 12.3, None],
            ["社会固定资产投资", "万元", 5500, "6000左右", "下降-3", None],
            ["规模工业产值", "个", 12, "6亿", None, None],
            ["新增就业", None, 500, 300, None, None],
        ],
    )
    with pytest.raises(ImportErrors) as info:
        import_sheet(path)
    assert isinstance(info.value, DataErrors)
    found = {(p.row, p.column, p.value) for p in info.value.problems}
    assert found == {
        (3, "C(全年目标)", "abc"),
        (4, "D(1-6月累计)", "6000左右"),
        (4, "E(同比±%)", "下降-3"),
        (5, "D(1-6月累计)", "6亿"),
        (6, "A(指标名称)", "新增就业"),
    }
    assert all(p.file == "t.xlsx" and p.sheet == "Sheet1" for p in info.value.problems)
    assert "第3行" in str(info.value) and "列「C(全年目标)」" in str(info.value)
    assert info.value.inferences  # what was understood before the problems, for the analyst


def test_growth_words_outside_yoy_columns_are_problems(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, [TITLE, HEADER, ["国地两税", "万元", 1550, "增长848", None, None]])
    with pytest.raises(ImportErrors, match="同比"):
        import_sheet(path)


def test_duplicate_indicators_and_ambiguous_columns(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            TITLE,
            HEADER,
            ["国地两税", "万元", 1550, 848, None, None],
            ["1、国地两税(万元)", None, 1550, 848, None, None],
        ],
    )
    with pytest.raises(ImportErrors, match="指标重复") as info:
        import_sheet(path)
    assert info.value.problems[0].row == 4
    path = _xlsx(
        tmp_path,
        [TITLE, ["指标名称", "单位", "1-6月累计", "累计完成"], ["国地两税", "万元", 848, 848]],
        name="two.xlsx",
    )
    with pytest.raises(ImportErrors, match="多列"):
        import_sheet(path)


def test_figures_without_a_name_and_formulas_without_results(tmp_path: Path) -> None:
    path = _xlsx(
        tmp_path,
        [
            TITLE,
            HEADER,
            [None, "万元", 1550, 848, None, None],
            ["国地两税", "万元", 1550, "=VLOOKUP(C4,A1:B2,2)", None, None],
        ],
    )
    with pytest.raises(ImportErrors) as info:
        import_sheet(path)
    messages = [(p.row, p.message) for p in info.value.problems]
    assert messages[0][0] == 3 and "没有指标名称" in messages[0][1]
    assert messages[1][0] == 4 and "公式" in messages[1][1]


# --------------------------------------------------------------------------- writing


def test_write_refuses_to_overwrite(tmp_path: Path) -> None:
    result = import_sheet(SHEETS / "jinxi-2013Q1.csv")
    out = tmp_path / "data"
    write_dataset(result, out)
    before = (out / "actuals.csv").read_bytes()
    with pytest.raises(UsageError, match="actuals.csv"):
        write_dataset(result, out)
    assert (out / "actuals.csv").read_bytes() == before
    assert write_dataset(result, out, overwrite=True)[2].read_bytes() == before


def test_write_replaces_empty_files_and_writes_utf8(tmp_path: Path) -> None:
    result = import_sheet(SHEETS / "longquan-2013H1.xls")
    (tmp_path / "targets.csv").write_text("")
    paths = write_dataset(result, tmp_path)
    raw = paths[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "粮食产量" in raw.decode("utf-8-sig")
    assert not list(tmp_path.glob(".*tmp"))
    plain = write_dataset(result, tmp_path / "plain", bom=False)[0].read_bytes()
    assert not plain.startswith(b"\xef\xbb\xbf")
    names = _read(paths[0])["name"].tolist()
    assert names == [display_name(n) for n in names]
