"""Issue 14, second round: data inputs that were read wrongly or vaguely are now problems (or
warnings) naming the file, row, column and value, found by ``check`` before ``run``."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from helpers.data.dataset import check_dataset
from tests.tables import ACTUALS, INDICATORS, ROOT, TARGETS, write_tables

KPIBOOK = ROOT / ".venv" / "bin" / "kpibook"


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KPIBOOK_CACHE", str(tmp_path / "cache"))


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
