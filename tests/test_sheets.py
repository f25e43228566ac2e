"""Reading .xlsx, .xls and Excel-saved CSVs into grids: merges filled, rows as the user sees."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from helpers.errors import DataError, UsageError
from helpers.importer.sheets import Unreadable, column_letter, read_grids

SHEETS = Path(__file__).parent / "sheets"


def test_column_letters() -> None:
    assert [column_letter(j) for j in (0, 1, 25, 26, 27, 701, 702)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]


def test_xlsx_merged_cells_are_filled_and_marked(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["标题"])
    ws.append(["本期", None, "备注"])
    ws.append(["累计", "同比", None])
    ws.merge_cells("A1:C1")
    ws.merge_cells("A2:B2")
    ws.merge_cells("C2:C3")
    path = tmp_path / "m.xlsx"
    wb.save(path)
    (grid,) = read_grids(path)
    assert grid.rows[0] == ["标题", "标题", "标题"]
    assert grid.rows[1] == ["本期", "本期", "备注"]
    assert grid.rows[2] == ["累计", "同比", "备注"]
    assert (1, 1) in grid.merged and (1, 0) not in grid.merged and (2, 2) in grid.merged
    assert grid.row_numbers == [1, 2, 3]


def test_xlsx_percent_formatted_cells_read_as_the_percent_shown(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append([0.123, 0.5])
    ws["A1"].number_format = "0.0%"
    path = tmp_path / "p.xlsx"
    wb.save(path)
    (grid,) = read_grids(path)
    assert grid.rows[0][0] == pytest.approx(12.3)
    assert grid.rows[0][1] == 0.5
    assert grid.percent_cells == [(0, 0)]


def test_xlsx_formula_without_saved_result_is_computed_when_simple(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append([848, "=A1*2", "=SUM(A1:B1)", "=ROUND(A1/3,1)", "=(A1-B1)/B1*100"])
    ws.append(["=C1+1", "=IF(A1>0,1,0)", "=Sheet2!A1", "=A1/A3", "=B2+1"])
    ws["C1"].number_format = "0.0%"
    path = tmp_path / "f.xlsx"
    wb.save(path)  # openpyxl saves no computed result: Excel would
    (grid,) = read_grids(path)
    assert grid.rows[0][1:4] == [1696.0, pytest.approx(254400.0), 282.7]
    assert grid.rows[0][4] == pytest.approx(-50.0)
    assert grid.rows[1][0] == 2545.0  # a chain: C1 computed first (as 2544, before the % format)
    assert grid.computed[(0, 1)] == "=A1*2" and (0, 0) not in grid.computed
    for j, why in ((1, "IF"), (2, "another sheet"), (3, "DIV/0"), (4, "IF")):
        cell = grid.rows[1][j]
        assert isinstance(cell, Unreadable) and cell.text.startswith("="), (j, cell)
        assert "公式" in cell.reason and why in cell.reason, cell.reason
    assert (1, 1) not in grid.computed


def test_hidden_rows_and_columns_are_known(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    for r in range(5):
        ws.append([f"r{r}", r, r * 2])
    ws.row_dimensions[3].hidden = True
    ws.column_dimensions["C"].hidden = True
    path = tmp_path / "h.xlsx"
    wb.save(path)
    (grid,) = read_grids(path)
    assert grid.hidden_rows == {2} and grid.hidden_columns == {2}


def test_xls_fixture_reads_with_its_merged_title() -> None:
    (grid,) = read_grids(SHEETS / "longquan-2013H1.xls")
    assert grid.sheet == "2013上半年"
    title = grid.rows[0][0]
    assert "龙泉乡" in title and grid.rows[0][5] == title and (0, 5) in grid.merged
    assert grid.rows[4][1] == 3000.0


def test_csv_saved_by_excel_in_gbk() -> None:
    (grid,) = read_grids(SHEETS / "jinxi-2013Q1.csv")
    assert grid.encoding == "GB18030 (GBK)"
    assert grid.rows[0][0].startswith("金溪街道")
    assert grid.rows[0][1] is None  # the padding commas Excel writes are empty cells


@pytest.mark.parametrize(
    "encoding, label",
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (BOM)"), ("gb18030", "GB18030 (GBK)")],
)
def test_csv_encodings(tmp_path: Path, encoding: str, label: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("指标名称,全年目标\r\n国地两税,1550\r\n".encode(encoding))
    (grid,) = read_grids(path)
    assert grid.encoding == label
    assert grid.rows == [["指标名称", "全年目标"], ["国地两税", "1550"]]


def test_csv_row_numbers_follow_the_lines_of_multiline_cells(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('"全年\n目标",x\na,b\n', encoding="utf-8")
    (grid,) = read_grids(path)
    assert grid.row_numbers == [1, 3]


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        read_grids(tmp_path / "missing.xlsx")
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(UsageError, match="xlsx"):
        read_grids(tmp_path / "a.txt")
    (tmp_path / "web.xls").write_text("<html><table><tr><td>1</td></tr></table></html>")
    with pytest.raises(DataError, match="HTML"):
        read_grids(tmp_path / "web.xls")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(DataError) as info:
        read_grids(tmp_path / "broken.xlsx")
    assert info.value.file == "broken.xlsx"
