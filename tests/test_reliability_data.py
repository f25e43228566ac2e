"""Issue 14, figures silently lost and inputs that crashed a report: each is now a problem
(or a warning) with its file, row, column and value, found by ``check`` before ``run``."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from helpers.base.files import STEM_BYTES, safe_name, write_atomic
from helpers.cli import main
from helpers.data.dataset import check_dataset, load_dataset
from tests.tables import ACTUALS, INDICATORS, TARGETS, write_tables

pytestmark = pytest.mark.usefixtures("own_cache")


def tables(**changes: str) -> dict[str, str]:
    return {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS} | changes


def errors(folder: Path) -> list[str]:
    ds, problems = check_dataset(folder)
    assert ds is None
    return [str(p) for p in problems if p.severity == "error"]


def workbook(path: Path, sheets: dict[str, str]) -> Path:
    """CSV texts as the sheets of one .xlsx (numbers as numbers, ``=…`` as formulas)."""
    book = Workbook()
    book.remove(book.active)
    for title, text in sheets.items():
        ws = book.create_sheet(title)
        for line in csv.reader(io.StringIO(text.strip())):
            cells: list[object] = []
            for cell in line:
                try:
                    cells.append(float(cell))
                except ValueError:
                    cells.append(cell or None)
            ws.append(cells)
    book.save(path)
    return path


# ---------------------------------------------------------------------- .xlsx data sets


def test_a_formula_without_a_cached_value_is_a_problem(tmp_path):
    actuals = ACTUALS.replace("甲镇,tax,2013H1,848,", "甲镇,tax,2013H1,=400+448,")
    path = workbook(tmp_path / "d.xlsx", tables(actuals=actuals))
    assert errors(path) == [
        "d.xlsx[actuals] 第2行 列「value」 值「=400+448」：公式没有保存计算结果：请在 Excel 或 WPS "
        "中打开并保存 (a formula without a cached value: open and save the file in Excel or WPS)"
    ]


def test_rows_past_a_stale_dimension_are_read(tmp_path):
    path = workbook(tmp_path / "d.xlsx", tables())
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(stale, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                head, _, rest = data.partition(b'<dimension ref="')
                data = head + b'<dimension ref="A1:B3' + rest[rest.index(b'"') :]
            dst.writestr(info, data)
    with zipfile.ZipFile(stale) as archive:  # the dimension now claims 3 rows and 2 columns
        assert b'<dimension ref="A1:B3"/>' in archive.read("xl/worksheets/sheet3.xml")
    whole, cut = load_dataset(path), load_dataset(stale)
    assert len(cut.actuals) == len(whole.actuals) == 11
    assert cut.actuals["value"].tolist() == whole.actuals["value"].tolist()


def test_one_table_given_twice_is_a_problem(tmp_path):
    folder = write_tables(tmp_path / "d", tables(完成=ACTUALS))
    assert errors(folder) == [
        f"{folder}：同一张表出现两次：actuals.csv 和 完成.csv，只能保留一个 "
        "(the actuals table is given twice: keep one)"
    ]
    book = workbook(tmp_path / "d.xlsx", tables(完成=ACTUALS))
    assert errors(book) == [
        "d.xlsx：同一张表出现两次：actuals 和 完成，只能保留一个 "
        "(the actuals table is given twice: keep one)"
    ]


# ---------------------------------------------------------------------- columns and names


def test_a_misspelled_column_is_a_warning_naming_the_nearest(tmp_path):
    folder = write_tables(
        tmp_path / "d", tables(indicators=INDICATORS.replace("direction", "direciton"))
    )
    ds = load_dataset(folder)
    assert [str(w) for w in ds.warnings] == [
        "indicators.csv 第1行 列「direciton」：未知的列，已忽略；是否应为「direction (方向)」？ "
        "(unknown column, ignored: did you mean direction (方向)?)"
    ]


@pytest.mark.parametrize(
    ("other", "shown"),
    [("ＡＢ镇", "ＡＢ镇"), ("AB 镇", "AB 镇"), ("ab镇", "ab镇")],
)
def test_org_names_differing_only_in_width_or_spaces_are_a_problem(tmp_path, other, shown):
    targets = TARGETS + "AB镇,tax,2013,10,\n"
    actuals = ACTUALS + "AB镇,tax,2013H1,5,,,,\n" + f"{other},tax,2013Q1,3,,,,\n"
    folder = write_tables(tmp_path / "d", tables(targets=targets, actuals=actuals))
    assert (
        f"actuals.csv 第14行 列「org」 值「{shown}」：乡镇名称与「AB镇」只差全角/半角、大小写或空格，"
        "请统一写法 (org name differs from 'AB镇' only in width, case or spaces: write it one way)"
    ) in errors(folder)


# ---------------------------------------------------------------------- cells that crashed


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"actuals": ACTUALS + '甲镇,tax,2013Q1,3,,,,"line 1\x0bline 2"\n'},
            "actuals.csv 第13行 列「note」 值「line 1\\x0bline 2」：含有控制字符 U+000B（如 Word 的手动"
            "换行），请删除或换成普通换行 (a control character U+000B, e.g. a Word line break: "
            "remove it or use a normal line break)",
        ),
        (
            {"actuals": ACTUALS + "甲镇,tax,2013Q1,1e308,,,,\n"},
            "actuals.csv 第13行 列「value」 值「1e308」：数值超出合理范围（绝对值应在 1e-09 到 1e+15 "
            "之间） (number out of range: its magnitude must be between 1e-09 and 1e+15)",
        ),
        (
            {"targets": TARGETS + "乙镇,new,2013,1e-320,\n"},
            "targets.csv 第12行 列「target」 值「1e-320」：数值超出合理范围（绝对值应在 1e-09 到 1e+15 "
            "之间） (number out of range: its magnitude must be between 1e-09 and 1e+15)",
        ),
        (
            {"actuals": ACTUALS + "甲镇,tax,2013Q1,3,,,1e308,\n"},
            "actuals.csv 第13行 列「yoy」 值「1e308」：数值超出合理范围（绝对值应在 1e-09 到 1e+15 "
            "之间） (number out of range: its magnitude must be between 1e-09 and 1e+15)",
        ),
        (
            {"actuals": ACTUALS.splitlines()[0] + "\n"},
            "actuals.csv 第2行：表中只有表头，没有数据行 (the actuals table has no rows)",
        ),
        (
            {"actuals": ACTUALS + "\ufefforg,indicator,period,value,unit,status,yoy,note\n"},
            "actuals.csv 第13行：文件中间有一个 BOM 字符（U+FEFF）：可能是两个文件拼接而成，请删除它 "
            "(a byte-order mark inside the file, as when two files are joined: remove it)",
        ),
    ],
    ids=["word line break", "1e308", "target 1e-320", "yoy 1e308", "header only", "inner BOM"],
)
def test_cells_that_crashed_a_report_are_problems_check_finds(tmp_path, capsys, changes, message):
    folder = write_tables(tmp_path / "d", tables(**changes))
    assert message in errors(folder)
    assert main(["check", "--data", str(folder)]) == 2
    assert message in capsys.readouterr().err


def test_cr_only_line_endings_read_as_lines(tmp_path):
    crlf = write_tables(tmp_path / "lf", tables())
    cr = write_tables(
        tmp_path / "cr", {k: v.replace("\n", "\r") for k, v in tables().items()}, encoding="gbk"
    )
    a, b = load_dataset(crlf), load_dataset(cr)
    assert b.actuals[["org", "indicator", "period", "value"]].equals(
        a.actuals[["org", "indicator", "period", "value"]]
    )
    assert b.actuals["_row"].tolist() == a.actuals["_row"].tolist()


def test_an_org_name_too_long_for_the_file_system_gets_a_short_stem(tmp_path):
    name = "很长的乡镇名称" * 20  # 140 characters, 420 bytes in UTF-8
    stem = safe_name(name)
    assert len(stem.encode("utf-8")) <= STEM_BYTES and stem.startswith("很长的乡镇名称")
    assert safe_name(name + "甲") != stem  # two long names never share a file
    write_atomic(tmp_path / f"{stem}.ipynb", "{}")  # the longest suffix kpibook writes
    assert (tmp_path / f"{stem}.ipynb").read_text() == "{}"


def test_negative_decimals_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--decimals", "-1"])
    assert exit_.value.code == 2
    assert (
        "--decimals 的值「-1」不对：应为 0 到 6 的整数 (--decimals: an integer from 0 to 6, got '-1')"
        in capsys.readouterr().err
    )


def test_workbook_round_trip_of_the_small_data(tmp_path):
    """The .xlsx reader with its formula pass reads the same figures as the CSVs."""
    book = workbook(tmp_path / "d.xlsx", tables())
    folder = write_tables(tmp_path / "d", tables())
    a, b = load_dataset(folder), load_dataset(book)
    assert a.actuals["value"].tolist() == b.actuals["value"].tolist()


# ---------------------------------------------- round two: figures lost or guessed, devices


@pytest.mark.parametrize(
    "value, message",
    [
        ("nan", "不是数字"),
        ("None", "不是数字"),
        ("NaN", "不是数字"),
        ("84 8", "数字中间有空格"),
        ("848 848", "数字中间有空格"),
        ("8\u300048", "数字中间有空格"),
        ("12. 5", "数字中间有空格"),
    ],
)
def test_text_that_is_not_one_number_is_a_problem_never_a_gap_or_a_join(tmp_path, value, message):
    folder = write_tables(tmp_path / "d", tables(actuals=ACTUALS.replace(",848,", f",{value},")))
    [problem] = [p for p in errors(folder) if "第2行" in p]
    assert message in problem and f"值「{value}」" in problem and "列「value」" in problem


def test_a_missing_closing_quote_is_a_problem_not_swallowed_rows(tmp_path):
    """The quote opens in a 备注 and runs to the end: three rows would vanish into it."""
    broken = ACTUALS.replace("甲镇,tax,2013H1,848,,,,", '甲镇,tax,2013H1,848,,,,"华能电器、驾校')
    folder = write_tables(tmp_path / "d", tables(actuals=broken))
    found = errors(folder)
    assert any("第2行" in p and "少了一个右引号" in p and "列「note」" in p for p in found)


def test_notes_keep_their_lines(tmp_path):
    notes = 'org,period,section,text\n甲镇,2013H1,highlights,"1、一\n2、二"\n'
    folder = write_tables(tmp_path / "d", tables(notes=notes))
    assert list(load_dataset(folder).notes["text"]) == ["1、一\n2、二"]


def test_a_name_with_a_line_break_cannot_forge_a_log_line(tmp_path, capsys):
    forged = "甲镇\n2013-07-03 06:00:09+00:00 [9/9] 2013H1 假镇: ok (1.0s)"
    folder = write_tables(
        tmp_path / "d", tables(actuals=ACTUALS.replace("甲镇,tax,2013H1", f'"{forged}",tax,2013H1'))
    )
    assert any("单元格里有换行" in p and "列「org」" in p for p in errors(folder))
    from helpers.run.console import log_line

    log_line(forged)
    [line] = capsys.readouterr().err.splitlines()
    assert "\\n2013-07-03" in line


@pytest.mark.parametrize("kind", ["device", "fifo", "folder"])
def test_a_table_that_is_no_regular_file_is_refused_at_once(tmp_path, kind):
    import os

    folder = write_tables(tmp_path / "d", tables())
    table = folder / "projects.csv"
    if kind == "device":
        table.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(table)
    else:
        table.mkdir()
    _, problems = check_dataset(folder)  # returns: nothing read from the device or pipe
    assert any(p.file == "projects.csv" and p.severity == "error" for p in problems)
