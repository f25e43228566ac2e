"""Classes a third black-box round of ``kpibook import`` found wrong (issue 11), each fixed
at its mechanism and tested on new sheets built here with openpyxl:

1. an explicit ≥ / ≤ in the target cell decides the direction over the name, and a
   reduction rate (能耗下降, 降低率) is bigger-is-better; the mapping file shows it;
2. …小计 / …合计 rows (东片小计, 城区合计) are totals in district and township sheets alike;
The other classes of that round (the org from a title naming the party committee and the
government, 比上年增减 columns, growth written as fractions, a bracketed period row never an
org, transposed district sheets) are tested in ``test_import_round4.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers.importer.mapping import read_mapping
from helpers.importer.merge import import_files
from helpers.importer.tidy import import_sheet
from tests.workbooks import build_xlsx, kpibook

TITLE = "青山镇2016年1-6月主要经济指标完成情况表"
HEADER = ["指标名称", "单位", "全年目标", "1-6月", "同比±%"]


def directions(result: Any) -> dict[str, str]:
    return dict(zip(result.indicators["name"], result.indicators["direction"]))


# --------------------------------------------------------------------------- 1. direction


@pytest.mark.parametrize(
    "name, target, value",
    [
        ("单位GDP能耗降低率", "≥3.5%", 3.5),
        ("万元工业增加值能耗下降(%)", "不低于3.2", 3.2),
        ("化学需氧量排放量削减", "3%以上", 3.0),
        ("万元GDP能耗下降", 3.5, 3.5),  # no bound: the name alone, a reduction rate
    ],
)
def test_a_reduction_rate_is_bigger_is_better(
    tmp_path: Path, name: str, target: Any, value: float
) -> None:
    rows: list[list[Any]] = [
        [TITLE],
        HEADER,
        ["规上工业增加值", "万元", 12000, 6035, 8.5],
        [name, "%", target, 1.8, None],
    ]
    result = import_sheet(build_xlsx(tmp_path / "r.xlsx", rows))
    assert list(directions(result).values()) == ["up", "up"]
    assert result.targets["target"].iloc[1] == pytest.approx(value)


@pytest.mark.parametrize(
    "name, unit, target, want, guess",
    [
        ("事故隐患整改率", "%", "≥95%", "up", "越小越好"),  # 事故 in the name, a floor in the cell
        ("信访案件办结率", "%", ">=90", "up", "越小越好"),
        ("城镇登记失业率", "%", "≤4.5%", "down", "越大越好"),  # nothing in the name, a cap
        ("耕地占用", "亩", "不超过120亩", "down", "越大越好"),
    ],
)
def test_the_target_cell_decides_the_direction_over_the_name(
    tmp_path: Path, name: str, unit: str, target: str, want: str, guess: str
) -> None:
    rows: list[list[Any]] = [[TITLE], HEADER, [name, unit, target, 50, None]]
    path = build_xlsx(tmp_path / "d.xlsx", rows)
    (result,) = import_files([path])
    assert directions(result) == {name: want}
    said = [line for line in result.inferences if "以单元格为准" in line]
    assert len(said) == 1 and f"C3「{target}」" in said[0] and guess in said[0]
    lines = [r for r in result.reading if r["item"] == "direction"]
    assert [(r["header"], r["role"], r["example"]) for r in lines] == [
        (name, want, f"C3「{target}」")
    ]


def test_the_direction_line_of_the_mapping_file_overrides_the_cell(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        [TITLE],
        HEADER,
        ["单位GDP能耗降低率", "%", "≥3.5%", 1.8, None],
        ["安全生产事故", "起", "≤2", 1, None],
    ]
    path = build_xlsx(tmp_path / "m.xlsx", rows)
    out = tmp_path / "data"
    run = kpibook("import", str(path), "--out", str(out))
    assert run.returncode == 0, run.stderr
    written = (out / "import-maps" / "m.xlsx.csv").read_text(encoding="utf-8-sig")
    assert ",direction,,单位GDP能耗降低率,up,,C3「≥3.5%」," in written
    assert ",direction,,安全生产事故,down,,C4「≤2」," in written
    edited = tmp_path / "map.csv"
    edited.write_text(
        written.replace(",direction,,单位GDP能耗降低率,up,", ",direction,,单位GDP能耗降低率,down,"),
        encoding="utf-8",
    )
    (result,) = import_files([path], mapping=read_mapping(edited))
    assert directions(result) == {"单位GDP能耗降低率": "down", "安全生产事故": "down"}
    assert any("映射文件" in line and "单位GDP能耗降低率" in line for line in result.inferences)


def test_a_bad_direction_line_is_a_problem(tmp_path: Path) -> None:
    bad = tmp_path / "map.csv"
    bad.write_text("sheet,item,column,header,role\n,direction,,能耗,sideways\n", encoding="utf-8")
    with pytest.raises(Exception) as info:
        read_mapping(bad)
    assert "sideways" in str(info.value) and "up" in str(info.value)


def test_a_district_floor_target_means_up(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["示范区各乡镇2016年1-6月万元GDP能耗完成情况(单位:%)"],
        ["乡镇", "全年目标", "1-6月"],
        ["太源镇", "≥3.5", 1.8],
        ["柳林乡", "≥3.0", 2.0],
    ]
    (result,) = import_files([build_xlsx(tmp_path / "dd.xlsx", rows)])
    assert result.indicators["name"].tolist() == ["万元GDP能耗"]  # 能耗: down by the name
    assert result.indicators["direction"].tolist() == ["up"]


# --------------------------------------------------------------------------- 2. part totals


@pytest.mark.parametrize(
    "label, total, part",
    [
        ("东片小计", True, True),
        ("西 片 合 计", True, True),
        ("（城区合计）", True, True),
        ("一片区小计", True, True),
        ("山区乡镇合计", True, True),
        ("全区平均", True, True),
        ("全县总计", True, False),
        ("乡镇合计", True, False),
        ("合  计", True, False),
        ("全 区", True, False),
        ("合计数", True, False),
        ("东片区", False, False),
        ("合计收入", False, False),
        ("总计划投资", False, False),
        ("白沙镇", False, False),
    ],
)
def test_what_is_a_total_or_a_part_total(label: str, total: bool, part: bool) -> None:
    from helpers.importer.orgs import is_subtotal_label, is_total_label

    assert (is_total_label(label), is_subtotal_label(label)) == (total, part)


def test_part_totals_in_a_district_sheet_are_skipped_the_whole_checked(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["示范县2016年1-6月各乡镇主要指标完成情况"],
        ["乡镇", "固定资产投资(万元)", None],
        [None, "全年目标", "1-6月"],
        ["城关镇", 30000, 14000],
        ["石门乡", 20000, 11000],
        ["东 片 合 计", 50000, 25000],
        ["白沙镇", 25000, 12000],
        ["龙门镇", 5000, 1000],
        ["西片区小计", 30000, 13000],
        ["全县总计", 80000, 38000],
    ]
    path = build_xlsx(tmp_path / "d.xlsx", rows, merges=("B2:C2",))
    (result,) = import_files([path])
    assert result.orgs == ["城关镇", "石门乡", "白沙镇", "龙门镇"]
    assert sum("与各乡镇之和" in line and "一致" in line for line in result.inferences) == 2
    assert not any("不同" in line for line in result.inferences)
    summary = result.inferences[-1]
    for n, label in ((6, "东片合计"), (9, "西片区小计"), (10, "全县总计")):
        assert f"第{n}行「{label}」" in summary, summary


def test_part_totals_in_a_township_sheet_are_skipped_and_listed(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        [TITLE],
        HEADER,
        ["国税", "万元", 1000, 500, 3.1],
        ["地税", "万元", 550, 348, 2.0],
        ["税收小计", "万元", 1550, 848, None],
        ["非税收入", "万元", 300, 120, None],
        ["财政收入合计", "万元", 1850, 968, None],
        ["新增就业", "人", 500, 300, None],
    ]
    path = build_xlsx(tmp_path / "t.xlsx", rows)
    result = import_sheet(path)
    assert result.indicators["name"].tolist() == ["国税", "地税", "非税收入", "新增就业"]
    assert "第5行「税收小计」、第7行「财政收入合计」" in result.inferences[-1]
