"""``write_template``: the empty input workbook, its 说明 sheet, the round trip via the loader."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.data.schema import CHOICES, TABLE_ORDER, TABLES
from helpers.data.template import GUIDE_HEADER, GUIDE_SHEET, header_name, write_template
from helpers.errors import UsageError

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


@pytest.fixture
def book(tmp_path):
    return load_workbook(write_template(tmp_path / "模板.xlsx"))


def test_every_table_has_its_chinese_sheet_after_the_guide(book):
    assert book.sheetnames == [GUIDE_SHEET] + [TABLES[t].zh for t in TABLE_ORDER]
    assert book.active.title == GUIDE_SHEET


@pytest.mark.parametrize("table", TABLE_ORDER)
def test_header_row_is_the_first_chinese_name_of_each_column(book, table):
    sheet = book[TABLES[table].zh]
    header = [c.value for c in sheet[1]]
    assert header == [c.zh[0] for c in TABLES[table].columns]
    assert sheet.max_row == 1  # empty below the header
    assert sheet.freeze_panes == "A2"
    for cell, column in zip(sheet[1], TABLES[table].columns):
        assert cell.font.b
        assert cell.fill.fgColor.rgb not in (None, "00000000")
        assert column.name in cell.comment.text
        assert ("必填" in cell.comment.text) == column.required
        assert sheet.column_dimensions[cell.column_letter].width >= 10
    required = {c.font.color.rgb for c, col in zip(sheet[1], TABLES[table].columns) if col.required}
    optional = {
        c.font.color.rgb if c.font.color else None
        for c, col in zip(sheet[1], TABLES[table].columns)
        if not col.required
    }
    assert required and not required & optional  # required columns look different


@pytest.mark.parametrize("table", TABLE_ORDER)
def test_choice_columns_offer_every_accepted_value(book, table):
    sheet = book[TABLES[table].zh]
    rules = {str(r.sqref).split(":")[0][:-1]: r for r in sheet.data_validations.dataValidation}
    for cell, column in zip(sheet[1], TABLES[table].columns):
        if column.kind == "choice":
            rule = rules[cell.column_letter]
            assert rule.type == "list"
            assert rule.formula1.strip('"').split(",") == list(CHOICES[column.name])
        else:
            assert cell.column_letter not in rules


def test_guide_sheet_explains_every_table_and_column(book):
    sheet = book[GUIDE_SHEET]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header_at = next(i for i, r in enumerate(rows) if tuple(r[: len(GUIDE_HEADER)]) == GUIDE_HEADER)
    described = {(r[1], r[2]): r for r in rows[header_at + 1 :] if r[2]}
    for name in TABLE_ORDER:
        table = TABLES[name]
        for column in table.columns:
            row = described[(name, column.name)]
            assert row[0] == table.zh
            assert header_name(column) in row[3].split("、")
            assert (row[4] == "是") == column.required
            assert column.help_zh in row[5]
    text = "\n".join(str(v) for r in rows for v in r if v)
    for form in ("2013H1", "2013Q1", "2013-06", "6,035", "55%", "—"):
        assert form in text


def test_refuses_to_overwrite_unless_asked(tmp_path):
    path = write_template(tmp_path / "t.xlsx")
    path.write_bytes(b"someone's filled-in workbook")
    with pytest.raises(UsageError):
        write_template(path)
    assert path.read_bytes() == b"someone's filled-in workbook"
    assert write_template(path, overwrite=True) == path
    assert load_workbook(path).sheetnames[0] == GUIDE_SHEET


@pytest.mark.parametrize("name", ["t.csv", "missing-folder/t.xlsx"])
def test_refuses_a_path_it_cannot_write(tmp_path, name):
    with pytest.raises(UsageError):
        write_template(tmp_path / name)


def test_the_sample_filled_into_the_template_loads_like_the_csv_folder(tmp_path):
    """The round trip: template → fill in (under its Chinese headers) → load_dataset."""
    from helpers.data.dataset import load_dataset

    path = write_template(tmp_path / "填报.xlsx")
    book = load_workbook(path)
    for name in TABLE_ORDER:
        frame = pd.read_csv(SAMPLE / f"{name}.csv", dtype=str, keep_default_na=False)
        sheet = book[TABLES[name].zh]
        columns = [TABLES[name].column(header_name_to_canonical(name, c.value)) for c in sheet[1]]
        for record in frame.to_dict("records"):
            sheet.append([_as_excel(record.get(c.name, ""), c.kind) for c in columns])
    book.save(path)

    from_xlsx, from_csv = load_dataset(path), load_dataset(SAMPLE)
    for name in TABLE_ORDER:
        mine = getattr(from_xlsx, name).drop(columns=["_row", "_file", "_sheet"], errors="ignore")
        theirs = getattr(from_csv, name).drop(columns=["_row", "_file", "_sheet"], errors="ignore")
        pd.testing.assert_frame_equal(
            mine.reset_index(drop=True), theirs.reset_index(drop=True), check_dtype=False
        )


def header_name_to_canonical(table: str, header: str) -> str:
    return next(c.name for c in TABLES[table].columns if header_name(c) == header)


def _as_excel(text: str, kind: str) -> object:
    """A cell as an office would type it: numbers as numbers, everything else as text."""
    if text == "":
        return None
    if kind in ("number", "int"):
        try:
            number = float(text)
        except ValueError:  # a figure with its qualifier (300余) is typed as text
            return text
        return int(number) if number.is_integer() else number
    return text


def test_the_guide_names_the_english_name_columns(book):
    """sector_en, and name_en of projects and orgs: optional, in the template like every column."""
    rows = [[c.value for c in r] for r in book[GUIDE_SHEET].iter_rows()]
    english = {
        (r[1], r[2]): r[3].split("、")[0]
        for r in rows
        if r[2] in ("sector_en", "name_en", "parent_en")
    }
    assert english == {
        ("indicators", "name_en"): "英文名称",
        ("indicators", "sector_en"): "领域英文名称",
        ("projects", "name_en"): "项目英文名称",
        ("orgs", "name_en"): "英文名称",
        ("orgs", "parent_en"): "上级英文名称",
    }
    assert [c.value for c in book["乡镇"][1]] == [
        "乡镇",
        "全称",
        "英文名称",
        "上级",
        "上级英文名称",
    ]
