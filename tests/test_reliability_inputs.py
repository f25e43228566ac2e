"""Issue 14, second round: data inputs that were read wrongly or vaguely are now problems (or
warnings) naming the file, row, column and value, found by ``check`` before ``run``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from helpers.data.dataset import check_dataset
from tests.tables import ACTUALS, INDICATORS, ROOT, TARGETS, write_tables

KPIBOOK = ROOT / ".venv" / "bin" / "kpibook"


pytestmark = pytest.mark.usefixtures("own_cache")


def folder(tmp_path: Path, **changes: str) -> Path:
    """The small data set as a CSV folder, with some tables replaced."""
    tables = {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS} | changes
    return write_tables(tmp_path / "data", tables)


def found(path: Path, severity: str) -> list[str]:
    """The messages of one severity that ``check`` gives for ``path``."""
    _, problems = check_dataset(path)
    return [str(p) for p in problems if p.severity == severity]


def check(path: Path) -> subprocess.CompletedProcess[str]:
    """The real ``kpibook check`` on ``path``."""
    return subprocess.run(
        [str(KPIBOOK), "check", "--data", str(path)], capture_output=True, text=True, timeout=120
    )


# ---------------------------------------------------------------- 1. TRUE/FALSE cells


@pytest.mark.parametrize("cell", ["TRUE", "FALSE", "是"])
def test_a_logical_text_in_a_value_is_a_problem_and_1_or_0_stay_numbers(tmp_path, cell):
    actuals = (
        ACTUALS.replace("甲镇,tax,2013H1,848,", f"甲镇,tax,2013H1,{cell},").replace(
            "甲镇,new,2013H1,2,", "甲镇,new,2013H1,1,"
        )
        + "乙镇,new,2013H1,0,,,,\n"
    )
    errors = found(folder(tmp_path, actuals=actuals), "error")
    assert len(errors) == 1 and f"「{cell}」" in errors[0] and "第2行" in errors[0]
    result = check(tmp_path / "data")
    assert result.returncode != 0 and "actuals.csv" in result.stdout + result.stderr


# ---------------------------------------------------------------- 2. % and amounts


@pytest.mark.parametrize("unit", ["万元", "亿元", "人"])
def test_a_percent_sign_on_an_amount_is_an_error(tmp_path, unit):
    indicators = INDICATORS.replace(
        "tax,国地两税,Tax revenue,财税,万元", f"tax,国地两税,Tax revenue,财税,{unit}"
    )
    actuals = ACTUALS.replace("甲镇,tax,2013H1,848,", "甲镇,tax,2013H1,84.8%,")
    errors = found(folder(tmp_path, indicators=indicators, actuals=actuals), "error")
    assert any(
        f"带百分号的数，但指标「tax」的单位是「{unit}」" in e and "84.8%" in e for e in errors
    )


@pytest.mark.parametrize(
    ("figure", "target", "side"),
    [("0.535", "55", "完成数"), ("0.6", "55", "完成数"), ("53.5%", "0.55", "目标")],
)
def test_a_rate_written_as_a_fraction_on_one_side_is_a_warning(tmp_path, figure, target, side):
    actuals = ACTUALS.replace("甲镇,urban,2013H1,53.5%,", f"甲镇,urban,2013H1,{figure},")
    targets = TARGETS.replace("甲镇,urban,2013,55,", f"甲镇,urban,2013,{target},")
    warnings = found(folder(tmp_path, actuals=actuals, targets=targets), "warning")
    assert any(f"百分比指标「urban」的{side}" in w and "写成了 0.968" in w for w in warnings)


def test_a_small_rate_against_a_small_target_is_not_a_fraction(tmp_path):
    actuals = ACTUALS.replace("甲镇,urban,2013H1,53.5%,", "甲镇,urban,2013H1,1.2,")
    targets = TARGETS.replace("甲镇,urban,2013,55,", "甲镇,urban,2013,1.4,")
    warnings = found(folder(tmp_path, actuals=actuals, targets=targets), "warning")
    assert not any("百分比指标" in w for w in warnings)


# ---------------------------------------------------------------- 4. negative cumulative


@pytest.mark.parametrize("value", ["-5", "-0.5", "-1,200"])
def test_a_negative_cumulative_amount_is_a_warning_naming_the_cell(tmp_path, value):
    actuals = ACTUALS.replace("甲镇,tax,2013H1,848,", f'甲镇,tax,2013H1,"{value}",')
    warnings = found(folder(tmp_path, actuals=actuals), "warning")
    assert any("累计完成数是负数" in w and "第2行" in w for w in warnings)


# ---------------------------------------------------------------- 8. spaces and qualifiers


@pytest.mark.parametrize("value", ["84 8", "1 550", "300 5余"])
def test_a_space_inside_a_number_is_a_problem(tmp_path, value):
    actuals = ACTUALS.replace("甲镇,tax,2013H1,848,", f"甲镇,tax,2013H1,{value},")
    errors = found(folder(tmp_path, actuals=actuals), "error")
    assert any("数字中间有空格" in e and f"「{value}」" in e for e in errors)


@pytest.mark.parametrize("value", ["300余", "约50", "近20"])
def test_a_qualified_number_is_accepted(tmp_path, value):
    actuals = ACTUALS.replace("甲镇,tax,2013H1,848,", f"甲镇,tax,2013H1,{value},")
    assert found(folder(tmp_path, actuals=actuals), "error") == []


# ---------------------------------------------------------------- 5. encodings


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "gb18030"])
def test_bom_and_gbk_csvs_still_load(tmp_path, encoding):
    tables = {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS}
    path = write_tables(tmp_path / "data", tables, encoding=encoding)
    ds, problems = check_dataset(path)
    assert ds is not None and [p for p in problems if p.severity == "error"] == []


def test_invalid_bytes_in_the_middle_name_the_file(tmp_path):
    path = folder(tmp_path)
    data = (path / "actuals.csv").read_bytes().replace("乙镇".encode(), b"\xff\xfe\xfd", 1)
    (path / "actuals.csv").write_bytes(data)
    result = check(path)
    assert result.returncode != 0 and "actuals.csv" in result.stdout + result.stderr


# ---------------------------------------------------------------- 6. workbooks in a CSV folder


@pytest.mark.parametrize("name", ["stray.xlsx", "old.xls", "data.ods"])
def test_a_workbook_in_a_csv_folder_is_named(tmp_path, name):
    path = folder(tmp_path)
    (path / name).write_bytes(b"not really a workbook")
    _, problems = check_dataset(path)
    assert any(name in str(p) for p in problems)


# ---------------------------------------------------------------- 7. the sheet size limit


def test_a_sheet_over_the_row_limit_is_refused_naming_the_sheet(tmp_path):
    from openpyxl import Workbook

    from helpers.data.dataset import XLSX_MAX_ROWS

    book = Workbook(write_only=True)
    for title, text in (("indicators", INDICATORS), ("targets", TARGETS)):
        ws = book.create_sheet(title)
        for line in text.strip().splitlines():
            ws.append(line.split(","))
    ws = book.create_sheet("actuals")
    ws.append(["org", "indicator", "period", "value"])
    for i in range(XLSX_MAX_ROWS + 1):
        ws.append(["甲镇", "tax", "2013H1", i])
    path = tmp_path / "big.xlsx"
    book.save(path)
    result = check(path)
    text = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"工作表超过 {XLSX_MAX_ROWS:,} 行，未读取" in text and "actuals" in text


# ---------------------------------------------------------------- 3. one period, two spellings


@pytest.mark.parametrize("spelling", ["2013年6月", "2013Q2", "2013-06"])
def test_one_figure_under_two_spellings_of_a_period_names_both_rows(tmp_path, spelling):
    actuals = ACTUALS + f"甲镇,tax,{spelling},900,,,,\n"
    errors = found(folder(tmp_path, actuals=actuals), "error")
    assert any("与第2行（期间 2013H1）是同一个" in e and "第13行" in e for e in errors)


def test_a_chinese_spelling_of_the_same_period_is_a_plain_duplicate(tmp_path):
    actuals = ACTUALS + "甲镇,tax,2013年上半年,900,,,,\n"
    errors = found(folder(tmp_path, actuals=actuals), "error")
    assert any("完成数重复：与第2行相同" in e and "第13行" in e for e in errors)


# ---------------------------------------------------------------- D01/D06. a table's files


@pytest.mark.parametrize("second", ["Actuals.csv", "ACTUALS.CSV", "ａｃｔｕａｌｓ.csv", "完成.csv"])
def test_one_table_in_two_files_differing_in_case_or_width_names_both(tmp_path, second):
    path = folder(tmp_path)
    (path / second).write_text(ACTUALS.replace("甲镇,tax,2013H1,848,", "甲镇,tax,2013H1,999,"))
    both = " 和 ".join(sorted(["actuals.csv", second]))
    assert found(path, "error") == [
        f"{path}：同一张表出现两次：{both}，只能保留一个 (the actuals table is given twice: keep one)"
    ]
    result = check(path)
    assert result.returncode == 2 and second in result.stdout + result.stderr


@pytest.mark.parametrize(
    "copy", ["actuals (1).csv", "actuals(2).csv", "actuals - 副本.csv", "复件 完成.csv"]
)
def test_a_copy_of_a_table_is_a_warning_naming_it_and_the_table(tmp_path, copy):
    path = folder(tmp_path)
    (path / copy).write_text(ACTUALS.replace("甲镇,tax,2013H1,848,", "甲镇,tax,2013H1,999,"))
    assert found(path, "error") == []
    assert found(path, "warning") == [
        f"{copy}：文件名不是表名，此文件未读取；它像是 actuals.csv（完成）的副本或另一版本："
        "要用它的数据，请把它改名为该表名并移走原来的那份 (not a table's name: this file is "
        "not read; it looks like a copy or another version of actuals.csv: to use it, give it "
        "that name in place of the other)"
    ]
    result = check(path)
    assert result.returncode == 0 and f"警告 {copy}" in result.stdout + result.stderr


def test_a_csv_named_like_no_table_is_a_warning(tmp_path):
    path = folder(tmp_path)
    (path / "summary.csv").write_text("a,b\n1,2\n")
    (path / "._actuals.csv").write_bytes(b"\x00\x05\x16\x07 Mac OS X resource fork")
    warnings = found(path, "warning")
    assert warnings == [
        "summary.csv：文件名不是表名（indicators、targets、actuals、projects、notes、orgs，"
        "或其中文名），此文件未读取 (not a table's name: this file is not read)"
    ]


# ---------------------------------------------------------------- X02/I07. control characters


@pytest.mark.parametrize(("char", "code"), [("\x00", "U+0000"), ("\x0c", "U+000C")])
@pytest.mark.parametrize(("column", "cell"), [("note", "鸿化{}项目"), ("value", "848{}")])
def test_a_nul_or_form_feed_in_a_cell_names_row_column_and_character(
    tmp_path, char, code, column, cell
):
    written = cell.format(char)
    if column == "note":
        actuals = ACTUALS.replace("甲镇,new,2013H1,2,,,,", f"甲镇,new,2013H1,2,,,,{written}")
    else:
        actuals = ACTUALS.replace("甲镇,tax,2013H1,848,", f"甲镇,tax,2013H1,{written},")
    row = 9 if column == "note" else 2
    shown = written.replace(char, "\\x00" if char == "\x00" else "\\x0c")
    assert found(folder(tmp_path, actuals=actuals), "error") == [
        f"actuals.csv 第{row}行 列「{column}」 值「{shown}」：含有控制字符 {code}（如 Word 的手动"
        f"换行），请删除或换成普通换行 (a control character {code}, e.g. a Word line break: "
        "remove it or use a normal line break)"
    ]
    result = check(tmp_path / "data")
    assert result.returncode == 2 and f"第{row}行" in result.stdout + result.stderr


def test_a_binary_file_is_still_not_text(tmp_path):
    path = folder(tmp_path)
    (path / "targets.csv").write_bytes(bytes(range(256)) * 8)
    assert "targets.csv：不是文本文件 (not a text file: binary content)" in found(path, "error")


def test_a_nul_in_an_imported_csv_names_row_and_column(tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "龙泉\x00乡2013年1-6月主要经济指标完成情况表\n指标名称,单位,全年目标,1-6月累计\n"
        "国地两税,万元,1550,848\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [str(KPIBOOK), "import", str(sheet), "--out", str(tmp_path / "imp")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert (
        "sheet.csv 第1行 列「A」 值「龙泉\\x00乡2013年1-6月主要经济指标完成情况表」："
        "含有控制字符 U+0000" in result.stderr
    )
    assert not (tmp_path / "imp").exists()


# ---------------------------------------------------------------- X11. Excel's "Unicode 文本"


def test_a_utf16_tab_separated_table_reads_as_its_utf8_csv(tmp_path):
    plain = check_dataset(folder(tmp_path / "a"))[0]
    path = folder(tmp_path / "b")
    (path / "targets.csv").write_bytes(TARGETS.replace(",", "\t").encode("utf-16"))
    unicode_text, problems = check_dataset(path)
    assert plain is not None and unicode_text is not None and problems == []
    columns = ["org", "indicator", "period", "target", "unit"]
    assert unicode_text.targets[columns].equals(plain.targets[columns])


def test_utf16_without_a_bom_is_refused_naming_the_encoding_and_the_fix(tmp_path):
    path = folder(tmp_path)
    (path / "targets.csv").write_bytes(TARGETS.replace(",", "\t").encode("utf-16-le"))
    assert found(path, "error") == [
        "targets.csv：像是没有 BOM 的 UTF-16 文本，无法可靠读取：请在 Excel 或 WPS 中另存为"
        "「CSV UTF-8（逗号分隔）」 (looks like UTF-16 text without a byte-order mark: save it "
        "as CSV UTF-8)"
    ]


def test_an_imported_utf16_tab_separated_sheet_reads_as_its_utf8_csv(tmp_path):
    from helpers.importer.sheets import read_grids

    text = "龙泉乡2013年1-6月完成情况表\n指标名称\t单位\t全年目标\t1-6月累计\n国地两税\t万元\t1,550\t848\n"
    (tmp_path / "u16.csv").write_bytes(text.encode("utf-16"))
    (tmp_path / "u8.csv").write_text(text.replace("\t", ",").replace("1,550", '"1,550"'))
    (u16,), (u8,) = read_grids(tmp_path / "u16.csv"), read_grids(tmp_path / "u8.csv")
    assert u16.rows == u8.rows and u16.rows[2] == ["国地两税", "万元", "1,550", "848"]
    assert u16.encoding == "UTF-16 (BOM)"
