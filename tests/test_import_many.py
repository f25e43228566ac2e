"""Many sheets into one data set, and the mapping file the user confirms and keeps.

``kpibook import A.xlsx B.xlsx --out DIR`` merges by org and period; importing into a folder
that already holds a data set keeps everything there; the same figure twice is one row, two
different figures for one org, indicator and period are a problem naming both places and
nothing is written. The mapping (``import-maps/<file>.csv``) is written beside the data and,
given back with ``--map``, overrides roles, units, header rows, org and period, and turns a
confirmed column's implausible figures into warnings.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from helpers.errors import DataErrors
from helpers.importer.mapping import read_mapping
from helpers.importer.merge import import_files, merge_results, read_existing
from helpers.importer.tidy import ImportErrors
from tests.workbooks import build_xlsx, kpibook, same

HEADER = ["指标名称", "单位", "全年目标", "1-6月累计", "同比±%"]


def township(tmp_path: Path, org: str, figures: dict[str, tuple[Any, ...]], name: str = "") -> Path:
    rows: list[list[Any]] = [[f"{org}2016年1-6月主要经济指标完成情况表"], HEADER]
    rows += [[ind, *fig] for ind, fig in figures.items()]
    return build_xlsx(tmp_path / (name or f"{org}.xlsx"), rows)


A = {"国地两税": ("万元", 1550, 848, 12.3), "新增就业": ("人", 500, 300, None)}
B = {"国地两税": ("万元", 1200, 640, -2.0), "招商引资到位资金": ("亿元", 1.5, 0.7, 16.7)}


def _csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_two_townships_into_one_data_set_then_a_third_added(tmp_path: Path) -> None:
    out = tmp_path / "区-2016H1"
    a, b = township(tmp_path, "青山镇", A), township(tmp_path, "白马镇", B)
    run = kpibook("import", str(a), str(b), "--out", str(out))
    assert run.returncode == 0, run.stderr
    assert _csv(out / "targets.csv").values.tolist() == [
        ["青山镇", "tax", "2016", "1550", "万元"],
        ["青山镇", "new_jobs", "2016", "500", "人"],
        ["白马镇", "tax", "2016", "1200", "万元"],
        ["白马镇", "funds_in_place", "2016", "1.5", "亿元"],
    ]
    assert _csv(out / "indicators.csv")["indicator"].tolist() == [
        "tax",
        "new_jobs",
        "funds_in_place",
    ]
    assert _csv(out / "orgs.csv")["org"].tolist() == ["青山镇", "白马镇"]
    assert sorted(p.name for p in (out / "import-maps").iterdir()) == [
        "白马镇.xlsx.csv",
        "青山镇.xlsx.csv",
    ]
    c = township(tmp_path, "柳林乡", {"国地两税": ("万元", 900, 455, 3.1)})
    again = kpibook("import", str(c), "--out", str(out))
    assert again.returncode == 0, again.stderr
    targets = _csv(out / "targets.csv")
    assert targets["org"].tolist() == ["青山镇", "青山镇", "白马镇", "白马镇", "柳林乡"]
    assert _csv(out / "orgs.csv")["org"].tolist() == ["青山镇", "白马镇", "柳林乡"]
    assert len(list((out / "import-maps").iterdir())) == 3  # the earlier mappings kept
    assert kpibook("check", "--data", str(out)).returncode == 0


def test_the_same_figure_twice_is_one_row(tmp_path: Path) -> None:
    a = township(tmp_path, "青山镇", A)
    copy = township(tmp_path, "青山镇", {"国地两税": ("万元", 1550, 848, 12.3)}, name="copy.xlsx")
    merged = merge_results(import_files([a, copy]))
    assert not merged.problems
    assert merged.tables["targets"]["target"].tolist() == [1550, 500]
    assert merged.added == {"targets": 2, "actuals": 2}


def test_a_conflict_names_both_files_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    a = township(tmp_path, "青山镇", A)
    other = township(tmp_path, "青山镇", {"国地两税": ("万元", 1550, 850, 12.3)}, name="二稿.xlsx")
    run = kpibook("import", str(a), str(other), "--out", str(out))
    assert run.returncode == 2
    assert "青山镇.xlsx[Sheet1] D3" in run.stderr and "二稿.xlsx[Sheet1] D3" in run.stderr
    assert "848" in run.stderr and "850" in run.stderr
    assert not out.exists()


def test_a_conflict_with_the_folder_keeps_the_folder_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        kpibook("import", str(township(tmp_path, "青山镇", A)), "--out", str(out)).returncode == 0
    )
    (out / "notes.csv").write_text("org,period,section,text\n青山镇,2016H1,highlights,亮点\n")
    before = {p.name: p.read_bytes() for p in out.glob("*.csv")}
    fixed = township(tmp_path, "青山镇", {"国地两税": ("万元", 1550, 850, 12.3)}, name="改.xlsx")
    refused = kpibook("import", str(fixed), "--out", str(out))
    assert refused.returncode == 2
    assert "actuals.csv 第2行" in refused.stderr and "改.xlsx[Sheet1] D3" in refused.stderr
    assert "--force" in refused.stderr
    assert {p.name: p.read_bytes() for p in out.glob("*.csv")} == before
    forced = kpibook("import", str(fixed), "--out", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    actuals = _csv(out / "actuals.csv")
    assert actuals["value"].tolist() == ["850", "300"]  # replaced; the other row kept
    assert (out / "notes.csv").read_bytes() == before["notes.csv"]  # not ours: untouched
    assert "替换" in forced.stdout


def test_an_existing_hand_made_data_set_keeps_its_columns(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "indicators.csv").write_text(
        "指标,名称,领域,单位,decimals\ntax,国地两税,财税,万元,0\n", encoding="utf-8"
    )
    (out / "targets.csv").write_text("乡镇,指标,期间,目标\n东山镇,tax,2016,700\n")
    (out / "actuals.csv").write_text("乡镇,指标,期间,完成\n东山镇,tax,2016H1,333\n")
    existing = read_existing(out)
    merged = merge_results(import_files([township(tmp_path, "青山镇", A)]), existing)
    assert not merged.problems
    indicators = merged.tables["indicators"]
    assert list(indicators.columns[:5]) == ["indicator", "name", "sector", "unit", "decimals"]
    assert indicators.iloc[0].to_dict()["sector"] == "财税"  # the folder's own kept
    assert merged.tables["targets"]["org"].tolist() == ["东山镇", "青山镇", "青山镇"]


# --------------------------------------------------------------------------- the mapping


def _map_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_the_mapping_is_printed_written_and_read_back(tmp_path: Path) -> None:
    out = tmp_path / "out"
    path = township(tmp_path, "青山镇", A)
    run = kpibook("import", str(path), "--out", str(out))
    assert run.returncode == 0, run.stderr
    table = run.stdout.split("读法 (reading)", 1)[1]
    assert "D   1-6月累计" in table and "actual 累计完成" in table and "848" in table
    rows = _map_rows(out / "import-maps" / "青山镇.xlsx.csv")
    assert rows[0] == {
        "sheet": "",
        "item": "header_rows",
        "column": "",
        "header": "2",
        "role": "",
        "unit": "",
        "example": "",
        "confirm": "",
    }
    assert [(r["column"], r["role"], r["example"]) for r in rows[1:]] == [
        ("A", "name", "国地两税"),
        ("B", "unit", "万元"),
        ("C", "target", "1550"),
        ("D", "actual", "848"),
        ("E", "yoy", "12.3"),
    ]
    mapping = read_mapping(out / "import-maps" / "青山镇.xlsx.csv")
    assert mapping.for_sheet("任意").roles == {
        "A": "name",
        "B": "unit",
        "C": "target",
        "D": "actual",
        "E": "yoy",
    }


def test_a_confirmed_column_turns_the_problem_into_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "out"
    big = township(tmp_path, "青山镇", {"引进企业": ("家", 10, 6, 500)})
    refused = kpibook("import", str(big), "--out", str(out))
    assert refused.returncode == 2 and "E3" not in refused.stderr and "第3行" in refused.stderr
    assert "confirm" in refused.stderr
    mapfile = tmp_path / "map.csv"
    mapfile.write_text(
        "sheet,item,column,header,role,unit,example,confirm\n,column,E,同比±%,yoy,,500,yes\n",
        encoding="utf-8",
    )
    run = kpibook("import", str(big), "--out", str(out), "--map", str(mapfile))
    assert run.returncode == 0, run.stderr
    assert "警告 (warning) E3" in run.stdout
    assert _csv(out / "actuals.csv")["yoy"].tolist() == ["500"]
    kept = _map_rows(out / "import-maps" / "青山镇.xlsx.csv")
    assert [r["confirm"] for r in kept if r["column"] == "E"] == ["yes"]


def test_the_mapping_overrides_roles_units_header_org_and_period(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["说明:本表按上级要求填报"],
        ["项", "计量", "数1", "数2", "数3"],  # headers nobody can read
        ["国地两税", "万元", 1550, 848, 755],
        ["新增就业", "人", 500, 300, 280],
    ]
    path = build_xlsx(tmp_path / "odd.xlsx", rows)
    with pytest.raises(ImportErrors):
        import_files([path])
    mapfile = tmp_path / "odd.csv"
    mapfile.write_text(
        "sheet,item,column,header,role,unit,example,confirm\n"
        ",header_rows,,2,,,,\n"
        ",column,A,,name,,,\n"
        ",column,B,,unit,,,\n"
        ",column,C,,target,,,\n"
        ",column,D,,actual,,,\n"
        ",column,E,,last_actual,,,\n"
        ",org,,,东山镇,,,\n"
        ",period,,,2016H1,,,\n",
        encoding="utf-8",
    )
    [result] = import_files([path], mapping=read_mapping(mapfile))
    assert (result.org, result.period) == ("东山镇", "2016H1")
    same(
        result.actuals,
        """
org,indicator,period,value,unit
东山镇,tax,2016H1,848,万元
东山镇,tax,2015H1,755,万元
东山镇,new_jobs,2016H1,300,人
东山镇,new_jobs,2015H1,280,人
""",
    )
    assert "列 C(数1): ignored → target (映射文件 / from the mapping file)" in result.inferences


def test_a_bad_mapping_lists_every_bad_line(tmp_path: Path) -> None:
    mapfile = tmp_path / "bad.csv"
    mapfile.write_text(
        "sheet,item,column,header,role,unit,example,confirm\n"
        ",column,F,,growth,,,\n"
        ",column,7,,actual,,,\n"
        ",column,G,,actual,斤两,,\n"
        ",header_rows,,3-5,,,,\n"
        ",column,H,,yoy,,,maybe\n",
        encoding="utf-8",
    )
    with pytest.raises(DataErrors) as info:
        read_mapping(mapfile)
    assert [(p.row, p.column) for p in info.value.problems] == [
        (2, "role"),
        (3, "column"),
        (4, "unit"),
        (5, "header"),
        (6, "confirm"),
    ]


def test_the_next_half_years_sheet_reads_with_the_same_mapping(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = township(tmp_path, "青山镇", A)
    assert kpibook("import", str(first), "--out", str(out)).returncode == 0
    kept = out / "import-maps" / "青山镇.xlsx.csv"
    rows: list[list[Any]] = [
        ["青山镇2016年1-12月主要经济指标完成情况表"],
        ["指标名称", "单位", "全年目标", "1-12月累计", "同比±%"],
        ["国地两税", "万元", 1550, 1610, 9.6],
    ]
    year = build_xlsx(tmp_path / "全年.xlsx", rows)
    run = kpibook("import", str(year), "--out", str(out), "--map", str(kept))
    assert run.returncode == 0, run.stderr
    assert set(_csv(out / "actuals.csv")["period"]) == {"2016H1", "2016"}
    moved = build_xlsx(
        tmp_path / "改版.xlsx",
        [rows[0], ["指标名称", "单位", "1-12月累计", "全年目标", "同比±%"], rows[2]],
    )
    refused = kpibook("import", str(moved), "--out", str(tmp_path / "o2"), "--map", str(kept))
    assert refused.returncode == 2
    assert "映射文件中列 C 的表头是「全年目标」" in refused.stderr
    assert not (tmp_path / "o2").exists()
