"""Issue 14, security and data loss: links out of --out, linked table files, formula
injection, zip bombs. Each case builds the input for real and asserts what the user sees."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from helpers.base.cells import csv_text, from_csv_text, looks_like_formula
from helpers.base.files import write_csv_atomic
from helpers.cli import main
from helpers.data.dataset import XLSX_MAX_BYTES, check_dataset, load_dataset
from helpers.document.xlsx import progress_xlsx
from helpers.errors import DataErrors
from helpers.metrics.progress import progress_table
from tests.tables import ACTUALS, INDICATORS, TARGETS, write_tables

pytestmark = pytest.mark.usefixtures("own_cache")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# ---------------------------------------------------------------------- links out of --out


@pytest.mark.parametrize("link", ["2013H1/failed", "2013H1/.kpibook", "2013H1"])
def test_a_link_in_out_that_leads_out_of_it_is_refused(tmp_path, capsys, link):
    data = write_tables(
        tmp_path / "d", {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS}
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for name in ("甲镇.html", "甲镇.ipynb", "notes.txt"):
        (elsewhere / name).write_text(f"precious {name}", encoding="utf-8")
    before = snapshot(elsewhere)
    out = tmp_path / "out"
    (out / link).parent.mkdir(parents=True, exist_ok=True)
    (out / link).symlink_to(elsewhere, target_is_directory=True)

    code = main(["run", "--data", str(data), "--out", str(out), "--period", "2013H1"])

    err = capsys.readouterr().err
    assert code == 2
    assert f"{out / link}：是指向输出文件夹之外（{elsewhere}）的链接，拒绝写入；请删除该链接" in err
    assert "(a link that leads outside --out" in err
    assert snapshot(elsewhere) == before  # nothing deleted, nothing written
    assert (out / link).is_symlink()


@pytest.mark.parametrize("lock", ["2013H1/.kpibook/run.lock", "2013H1/.kpibook/index.lock"])
@pytest.mark.parametrize("command", ["run", "index"])
@pytest.mark.parametrize("target", ["outside", "inside", "dangling"])
def test_a_lock_file_that_is_a_link_is_refused_with_the_link_message(
    tmp_path, capsys, lock, command, target
):
    """The tester's S26: run.lock or index.lock linked to a file outside --out (or to one
    inside, or to nothing): refused with the link's own message, naming the lock and where it
    leads, never a bare "Too many levels of symbolic links"; the file it points to unchanged,
    no report made."""
    data = write_tables(
        tmp_path / "d", {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS}
    )
    out = tmp_path / "out"
    (out / "2013H1" / ".kpibook").mkdir(parents=True)
    keep = {
        "outside": tmp_path / "keep.txt",
        "inside": out / "keep.txt",
        "dangling": tmp_path / "gone.txt",
    }[target]
    if target != "dangling":
        keep.write_text("keep", encoding="utf-8")
    (out / lock).symlink_to(keep)
    args = ["--data", str(data), "--period", "2013H1"] if command == "run" else []

    code = main([command, *args, "--out", str(out)])

    err = capsys.readouterr().err
    assert code == 2, err
    assert "Too many levels" not in err and "Errno" not in err
    if target == "inside":
        assert f"{out / lock}：是一个链接（指向 {keep}），kpibook 的锁文件不跟随链接" in err
        assert "remove the link" in err
    else:
        assert f"{out / lock}：是指向输出文件夹之外（{keep}）的链接，拒绝写入；请删除该链接" in err
        assert f"(a link that leads outside --out {out}" in err
    if target != "dangling":
        assert keep.read_text(encoding="utf-8") == "keep"
    assert not (out / "2013H1" / "甲镇.html").exists()
    assert (out / lock).is_symlink()


@pytest.mark.parametrize(
    ("link", "target"),
    [
        ("2013H1/failed", "."),  # the period folder itself: a good run would delete its reports
        ("2013H1/failed", "../2012H1"),  # another period's reports
        ("2013H1/.kpibook", "../2012H1/.kpibook"),
        ("2013H1", "2012H1"),
    ],
)
def test_a_link_in_out_that_stays_inside_is_refused_too(tmp_path, capsys, link, target):
    data = write_tables(
        tmp_path / "d", {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS}
    )
    out = tmp_path / "out"
    for period in ("2012H1", "2013H1"):
        assert main(["run", "--data", str(data), "--out", str(out), "--period", period]) in (0, 3)
    if link == "2013H1":
        for path in sorted((out / "2013H1").rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        (out / "2013H1").rmdir()
    elif (out / link).is_dir():
        for path in sorted((out / link).rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        (out / link).rmdir()
    (out / link).symlink_to(target, target_is_directory=True)
    before = snapshot(out / "2012H1") | {
        "2013H1/" + k: v for k, v in snapshot(out / "2013H1").items()
    }
    capsys.readouterr()

    code = main(["run", "--data", str(data), "--out", str(out), "--period", "2013H1", "--force"])

    err = capsys.readouterr().err
    assert code == 2
    assert f"{out / link}：是一个链接（指向 {target}）" in err and "remove the link" in err
    after = snapshot(out / "2012H1") | {
        "2013H1/" + k: v for k, v in snapshot(out / "2013H1").items()
    }
    assert after == before  # nothing deleted, nothing written
    assert (out / link).is_symlink()


def test_index_refuses_a_linked_records_folder(tmp_path, capsys):
    out = tmp_path / "out"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "2013H1").mkdir(parents=True)
    (out / "2013H1" / ".kpibook").symlink_to(elsewhere, target_is_directory=True)
    code = main(["index", "--out", str(out), "--period", "2013H1"])
    assert code == 2
    assert "拒绝写入" in capsys.readouterr().err
    assert not list(elsewhere.iterdir())  # no lock, no record, no scratch file outside --out


def test_a_table_file_linked_from_outside_the_data_folder_is_not_read(tmp_path):
    data = write_tables(tmp_path / "d", {"indicators": INDICATORS, "targets": TARGETS})
    secret = tmp_path / "secret" / "actuals.csv"
    secret.parent.mkdir()
    secret.write_text(ACTUALS, encoding="utf-8")
    (data / "actuals.csv").symlink_to(secret)
    ds, problems = check_dataset(data)
    assert ds is None
    assert [str(p) for p in problems] == [
        f"actuals.csv：表文件是指向数据文件夹之外（{secret}）的链接，未读取；请复制该文件 "
        "(the table file is a link to a file outside the data folder: not read; copy the file)"
    ]


# ---------------------------------------------------------------------- formula injection

FORMULAS = [
    '=HYPERLINK("http://evil.example","点我")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1",
    "\r=1",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_the_one_rule_for_formula_like_text(text):
    assert looks_like_formula(text)
    assert csv_text(text) == "'" + text and from_csv_text(csv_text(text)) == text
    assert csv_text(-3.0) == -3.0 and csv_text("太源镇") == "太源镇"
    assert from_csv_text("'太源镇") == "'太源镇"  # an apostrophe before ordinary text is data


def test_text_from_data_in_the_xlsx_is_never_a_formula(tmp_path):
    indicators = INDICATORS + '"=cmd|\' /C calc\'!A0",=HYPERLINK("x"),,"+工业",@个,,,\n'
    targets = TARGETS + "甲镇,\"=cmd|' /C calc'!A0\",2013,10,\n"
    actuals = ACTUALS + '甲镇,"=cmd|\' /C calc\'!A0",2013H1,3,,,,"-1+2 @SUM(A1)"\n'
    data = write_tables(
        tmp_path / "d", {"indicators": indicators, "targets": targets, "actuals": actuals}
    )
    table = progress_table(load_dataset(data), "2013H1")
    book = progress_xlsx(table, org_name="=1+1")
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet  # no formula anywhere in the sheet
    ws = load_workbook(io.BytesIO(book)).active
    texts = {c.value: c.data_type for row in ws.iter_rows() for c in row if c.value is not None}
    assert texts['=HYPERLINK("x")'] == "s"
    assert texts["-1+2 @SUM(A1)"] == "s"
    assert texts["填报单位：=1+1"] == "s"
    assert all(t != "f" for t in texts.values())
    # text a spreadsheet would read as a formula keeps Excel's quote prefix: it stays text
    # when someone edits the cell; other text has none
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for formula in ('=HYPERLINK("x")', "-1+2 @SUM(A1)"):
        assert cells[formula].quotePrefix, formula
    assert not cells["填报单位：=1+1"].quotePrefix and not cells["国地两税"].quotePrefix


TABLES = {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS}


def _workbook_of_note(tmp_path: Path, note: str) -> bytes:
    actuals = ACTUALS.replace("甲镇,tax,2013H1,848,,,,", f"甲镇,tax,2013H1,848,,,,{note}")
    tables = TABLES | {"actuals": actuals}
    data = write_tables(tmp_path / f"d{len(list(tmp_path.iterdir()))}", tables)
    return progress_xlsx(progress_table(load_dataset(data), "2013H1", "甲镇"))


@pytest.mark.parametrize(
    "text",
    ["说明" * 16384, "😀" * 16384, "a" * 32768],
    ids=["32768 Chinese", "16384 emoji (32768 UTF-16 units)", "32768 ASCII"],
)
def test_text_longer_than_an_excel_cell_is_a_problem_never_cut(tmp_path, text):
    """Excel holds 32,767 characters a cell, counted in UTF-16 units (an emoji is two): a
    longer 备注 is a data problem with its place, shortened in the message, before any report
    runs; a longer title (not from data) is an error of the workbook. Never silently cut."""
    with pytest.raises(DataErrors) as info:
        _workbook_of_note(tmp_path, text)
    [problem] = info.value.problems
    assert (problem.file, problem.row, problem.column) == ("actuals.csv", 2, "note")
    assert "32767 字上限" in problem.message and problem.value == text
    message = str(info.value)
    assert text[:10] in message and f"共 {len(text):,} 字" in message and len(message) < 400
    table = progress_table(load_dataset(write_tables(tmp_path / "ok", TABLES)), "2013H1", "甲镇")
    with pytest.raises(ValueError, match="32767 字上限") as error:
        progress_xlsx(table, title=text)
    assert text[:10] in str(error.value) and len(str(error.value)) < 200


@pytest.mark.parametrize("note", ["说明" * 16383 + "a", "😀" * 16383 + "a"])
def test_text_as_long_as_an_excel_cell_reads_back_whole(tmp_path, note):
    ws = load_workbook(io.BytesIO(_workbook_of_note(tmp_path, note))).active
    assert note in {c.value for row in ws.iter_rows() for c in row}


def test_escape_like_text_reads_back_as_written_or_is_an_error(tmp_path):
    """``_x0041_`` is how a workbook escapes "A": such text from data reads back as written;
    two sequences sharing an underscore, which XlsxWriter would let Excel decode, are an error."""
    for note in ("_x0041_", "备注_x4E2D_结束", "_x0041__x0042_", "_x0041_x0042"):
        book = _workbook_of_note(tmp_path, note)
        ws = load_workbook(io.BytesIO(book)).active
        assert note in {c.value for row in ws.iter_rows() for c in row}, note
        with zipfile.ZipFile(io.BytesIO(book)) as archive:
            strings = archive.read("xl/sharedStrings.xml").decode("utf-8")
        for sequence in re.findall(r"_x[0-9A-F]{4}_", note):  # escaped: Excel shows it too
            assert "_x005F" + sequence in strings, note
    for note in ("_x0041_x0042_", "_x005F_x0041_"):
        with pytest.raises(ValueError, match="_xHHHH_"):
            _workbook_of_note(tmp_path, note)


def test_csvs_kpibook_writes_keep_formula_text_as_text_and_read_it_back(tmp_path):
    folder = write_tables(tmp_path / "d", {"targets": TARGETS, "actuals": ACTUALS})
    frame = pd.read_csv(io.StringIO(INDICATORS), dtype=object)
    frame.loc[0, "name"] = '=HYPERLINK("http://evil.example")'
    frame.loc[1, "name"] = "-2+3 投资"
    frame.loc[2, "decimals"] = -0.0
    write_csv_atomic(folder / "indicators.csv", frame, bom=True)
    text = (folder / "indicators.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and "'-2+3 投资" in text
    names = load_dataset(folder).indicators["name"]
    assert names["tax"] == '=HYPERLINK("http://evil.example")' and names["fai"] == "-2+3 投资"


# ---------------------------------------------------------------------- zip bombs


def test_a_zip_bomb_is_refused_at_once(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            for _ in range(XLSX_MAX_BYTES // len(chunk) + 1):
                part.write(chunk)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    start = time.monotonic()
    ds, problems = check_dataset(bomb)
    assert time.monotonic() - start < 5
    assert ds is None
    assert [str(p) for p in problems] == [
        "bomb.xlsx：工作簿解压后有 257 MB，超过数据集上限 256 MB，未读取 "
        "(the workbook expands to 257 MB, more than the 256 MB limit: not read)"
    ]


def test_a_workbook_with_too_many_cells_is_refused(tmp_path):
    book = Workbook()
    for n, title in enumerate(("indicators", "targets")):
        ws = book.active if n == 0 else book.create_sheet()
        ws.title = title
        ws["A1"] = "indicator"
        ws["A1048576"] = "far"  # every row up to it is read, and counted
    path = tmp_path / "big.xlsx"
    book.save(path)
    ds, problems = check_dataset(path)
    assert ds is None
    assert [str(p) for p in problems] == [
        "big.xlsx[targets] 第951422行：工作簿的单元格超过 2,000,000 个，未读取 "
        "(more than 2,000,000 cells: not read)"
    ]


# ------------------------------------------------------- kpibook import: what it writes


def _office_sheet(path: Path) -> Path:
    """A township's 完成情况表 whose text cells start like formulas."""
    book = Workbook()
    sheet = book.active
    sheet.append(["龙泉乡2013年1-6月主要经济指标完成情况表"])
    sheet.append(["指标名称", "单位", "全年目标", "1-6月", "备注"])
    sheet.append(['=HYPERLINK("http://evil","x")税', "万元", 1550, 848, "+SUM(1,2)"])
    sheet.append(["社会固定资产投资", "万元", 12000, 6035, "@cmd"])
    sheet.append(["工业总产值", "万元", 90000, 40000, "-3 较上月"])
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, as Excel keeps a cell typed with a leading '
    book.save(path)
    return path


def test_import_writes_formula_like_text_as_text_and_reads_it_back(tmp_path):
    sheet = _office_sheet(tmp_path / "龙泉乡.xlsx")
    out = tmp_path / "data"
    assert main(["import", str(sheet), "--out", str(out)]) == 0
    written = "".join(p.read_text(encoding="utf-8-sig") for p in sorted(out.rglob("*.csv")))
    for text in ('=HYPERLINK(""http://evil""', "+SUM(1,2)", "@cmd", "-3 较上月"):
        assert f"'{text}" in written  # a spreadsheet shows it as text
    ds = load_dataset(out)
    assert '=HYPERLINK("http://evil","x")税' in set(ds.indicators["name"])  # exact round trip
    assert {"+SUM(1,2)", "@cmd"} <= set(ds.actuals["note"].dropna())


def test_import_refuses_a_link_in_out_that_leads_out_of_it(tmp_path, capsys):
    sheet = _office_sheet(tmp_path / "龙泉乡.xlsx")
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "data"
    out.mkdir()
    (out / "import-maps").symlink_to(outside)
    assert main(["import", str(sheet), "--out", str(out)]) == 2
    assert "拒绝写入" in capsys.readouterr().err
    assert not list(outside.iterdir())
    assert [p.name for p in out.iterdir()] == ["import-maps"]  # nothing else written either


# ---------------------------------------------------------------------- names from data are never paths


@pytest.mark.parametrize(
    "lead",
    ["{outside}/", "../../", "..\\..\\", "~/", "./../", "/"],
    ids=["absolute", "up two", "windows up", "home", "dot up", "root"],
)
def test_a_sheet_title_never_makes_import_write_outside_data(tmp_path, capsys, monkeypatch, lead):
    """``kpibook import`` names its folder from the org in the sheet's title: a title that
    begins with a path (absolute, ``../../``, ``~/``, Windows separators) still writes only
    under ``data/`` of the working folder, also with ``--force`` over an earlier import."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "actuals.csv").write_text("precious", encoding="utf-8")
    title = lead.format(outside=outside) + "龙泉乡2013年1-6月主要经济指标完成情况表"
    book = Workbook()
    sheet = book.active
    for row in (
        [title],
        ["指标名称", "单位", "全年目标", "1-6月累计"],
        ["国地两税", "万元", 1550, 848],
        ["新增就业", "人", 500, 300],
    ):
        sheet.append(row)
    work = tmp_path / "work"
    work.mkdir()
    book.save(work / "sheet.xlsx")
    before = snapshot(tmp_path)
    monkeypatch.chdir(work)
    assert main(["import", "sheet.xlsx"]) == 0
    assert main(["import", "sheet.xlsx", "--force"]) == 0
    after = snapshot(tmp_path)
    new = sorted(set(after) - set(before))
    assert new and all(name.startswith("work/data/") for name in new), new
    assert {k: v for k, v in after.items() if k in before} == before  # nothing else touched
    [folder] = {Path(name).parts[2] for name in new}
    assert "/" not in folder and "\\" not in folder and ".." not in folder
    assert folder == "龙泉乡-2013H1"  # the org is the path's last part, never the path's text
    assert "乡镇: " in capsys.readouterr().out  # the org read from the title is shown as read


@pytest.mark.parametrize("text", FORMULAS)
def test_each_formula_lead_in_a_name_unit_or_note_is_text_in_the_xlsx(tmp_path, text):
    """Every lead the issue names (=, +, -, @, a tab, a carriage return), in an indicator's
    name, its unit and a note, end to end: the table's .xlsx holds no formula, and each
    cell reads back as the text written."""
    name, note = f"{text}税", f"{text} 备注"
    frame = pd.read_csv(io.StringIO(INDICATORS), dtype=object)
    frame.loc[0, "name"] = name
    data = write_tables(tmp_path / "d", {"targets": TARGETS, "actuals": ACTUALS})
    write_csv_atomic(data / "indicators.csv", frame)
    actuals = pd.read_csv(io.StringIO(ACTUALS), dtype=object)
    actuals.loc[0, "note"] = note
    write_csv_atomic(data / "actuals.csv", actuals)
    if "\r" in text:  # a line break in a one-line cell: a problem naming it, never a row cut
        ds, problems = check_dataset(data)
        assert ds is None and [p.column for p in problems] == ["name", "note"]
        assert all("单元格里有换行" in str(p) for p in problems)
        write_csv_atomic(data / "indicators.csv", pd.read_csv(io.StringIO(INDICATORS)))
        write_csv_atomic(data / "actuals.csv", pd.read_csv(io.StringIO(ACTUALS), dtype=object))
        name = "国地两税"
    ds = load_dataset(data)  # a cell's leading white space (the tab) is trimmed
    assert ds.indicators.loc["tax", "name"] == name.strip()
    book = progress_xlsx(progress_table(ds, "2013H1"), org_name=text)
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and "<f " not in sheet
    cells = [c for row in load_workbook(io.BytesIO(book)).active.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert name.strip() in {c.value for c in cells}
