"""helpers.data.text: invisible characters in any cell of a data set and Big5 files read as
GBK are problems naming the cell (or file) and the character, never invisible in the
message (issue 14: F09, C24, C31)."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from openpyxl import Workbook

from helpers.data.dataset import load_dataset
from helpers.data.text import invisible_character, misread_encoding, show_invisible
from tests.tables import (
    ACTUALS,
    INDICATORS,
    SAMPLE,
    TARGETS,
    check_errors,
    data_folder,
    kpibook_cli,
)

pytestmark = pytest.mark.usefixtures("own_cache")


def invisible(code: str, zh: str, en: str) -> str:
    return (
        f"含有看不见的字符 {code} {zh}（常是从网页或聊天软件复制来的）：看起来相同的名称因此不同，"
        "方向字符还会把文字倒过来显示；请删除它，重新输入这一格 (an invisible character, "
        f"{code} {en}, often pasted from a web page or a chat: names that look the same differ "
        "by it, direction marks turn text around; delete it and type the cell again)"
    )


# ---------------------------------------------------------------- invisible characters

CHARACTERS = [
    ("\u200b", "U+200B", "零宽空格", "zero-width space"),
    ("\u200c", "U+200C", "零宽不连字", "zero-width non-joiner"),
    ("\u200d", "U+200D", "零宽连字", "zero-width joiner"),
    ("\u200e", "U+200E", "从左到右标记", "left-to-right mark"),
    ("\u200f", "U+200F", "从右到左标记", "right-to-left mark"),
    ("\u202a", "U+202A", "从左到右嵌入", "left-to-right embedding"),
    ("\u202b", "U+202B", "从右到左嵌入", "right-to-left embedding"),
    ("\u202c", "U+202C", "方向格式结束", "pop directional formatting"),
    ("\u202d", "U+202D", "从左到右强制", "left-to-right override"),
    ("\u202e", "U+202E", "从右到左强制", "right-to-left override"),
    ("\u2066", "U+2066", "从左到右隔离", "left-to-right isolate"),
    ("\u2067", "U+2067", "从右到左隔离", "right-to-left isolate"),
    ("\u2068", "U+2068", "首字方向隔离", "first strong isolate"),
    ("\u2069", "U+2069", "方向隔离结束", "pop directional isolate"),
    ("\u2060", "U+2060", "零宽不换行", "word joiner"),
    ("\u00ad", "U+00AD", "软连字符", "soft hyphen"),
    ("\u2028", "U+2028", "行分隔符", "line separator"),
    ("\u3164", "U+3164", "韩文填充字符", "Hangul filler"),
    ("\u0085", "U+0085", "控制字符", "a control character"),
    ("\u2064", "U+2064", "不可见的格式字符", "invisible plus"),
]


@pytest.mark.parametrize(("char", "code", "zh", "en"), CHARACTERS)
def test_an_invisible_character_in_an_org_names_cell_and_character(tmp_path, char, code, zh, en):
    actuals = ACTUALS.replace("甲镇,tax,2013H1,848,", f"甲镇{char},tax,2013H1,848,")
    assert check_errors(data_folder(tmp_path, actuals=actuals)) == [
        f"actuals.csv 第2行 列「org」 值「甲镇\\u{ord(char):04x}」：{invisible(code, zh, en)}"
    ]


def test_the_testers_zero_width_space_through_the_cli(tmp_path):
    """F09: 「太源镇​」 unknown, did you mean 太源镇 — now the character itself is named."""
    data = shutil.copytree(SAMPLE, tmp_path / "data")
    text = (data / "actuals.csv").read_text(encoding="utf-8")
    (data / "actuals.csv").write_text(
        text.replace("太源镇,tax,2013H1", "太源镇\u200b,tax,2013H1", 1), encoding="utf-8"
    )
    expected = "actuals.csv 第2行 列「org」 值「太源镇\\u200b」：" + invisible(
        "U+200B", "零宽空格", "zero-width space"
    )
    check = kpibook_cli("check", "--data", str(data))
    assert check.returncode == 2 and expected in check.stdout + check.stderr
    assert "乡镇不存在" not in check.stdout + check.stderr  # no riddle beside it
    out = tmp_path / "out"
    run = kpibook_cli(
        "run", "--data", str(data), "--period", "2013H1", "--to", "html", "--out", str(out)
    )
    assert run.returncode == 2 and expected in run.stderr and not out.exists()


def test_a_spoofed_file_name_never_gets_past_check(tmp_path):
    """C24: 太源\u202eLMTH.exe\u200b镇 in every table: refused before any file is named."""
    data = shutil.copytree(SAMPLE, tmp_path / "data")
    for table in data.glob("*.csv"):
        text = table.read_text(encoding="utf-8")
        table.write_text(text.replace("太源镇", "太源\u202eLMTH.exe\u200b镇"), encoding="utf-8")
    out = tmp_path / "out"
    run = kpibook_cli(
        "run", "--data", str(data), "--period", "2013H1", "--to", "html", "--out", str(out)
    )
    assert run.returncode == 2 and not out.exists()
    assert "值「太源\\u202eLMTH.exe\\u200b镇」" in run.stderr
    assert "U+202E 从右到左强制、U+200B 零宽空格" in run.stderr
    assert "\u202e" not in run.stderr  # the override is never printed raw


@pytest.mark.parametrize(
    ("table", "old", "new", "column"),
    [
        ("actuals", "甲镇,tax,2013H1,848,", "甲镇,tax,2013H1,848\u200b,", "value"),
        ("actuals", "乙镇,tax,2013H1,400,,,12.5,", "乙镇,tax,2013H1,400,,,12.5,备\u200d注", "note"),
        ("indicators", "tax,国地两税,", "tax,国地\u200b两税,", "name"),
        ("targets", "甲镇,tax,2013,", "甲镇,tax\u2060,2013,", "indicator"),
        ("actuals", "甲镇,tax,2013H1,848,,", "甲镇,tax,2013H1,848,万元\u200e,", "unit"),
    ],
)
def test_every_text_and_number_cell_is_checked(tmp_path, table, old, new, column):
    tables = {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS}
    assert old in tables[table]
    path = data_folder(tmp_path, **{table: tables[table].replace(old, new)})
    [problem] = [e for e in check_errors(path) if "含有看不见的字符" in e]
    assert problem.startswith(f"{table}.csv 第") and f"列「{column}」" in problem
    assert "\\u" in problem and not any(ch in problem for ch in "\u200b\u200d\u2060\u200e")


def test_an_invisible_character_in_a_note_and_in_a_header(tmp_path):
    notes = "org,period,section,text\n甲镇,2013H1,highlights,一条\u200b亮点\n"
    actuals = ACTUALS.replace("org,indicator,period,value", "org,indicator\u200b,period,value")
    found = check_errors(data_folder(tmp_path, notes=notes, actuals=actuals))
    zw = invisible("U+200B", "零宽空格", "zero-width space")
    assert found == [
        f"actuals.csv 第1行 列「indicator\\u200b」：{zw}",  # the column is still read
        f"notes.csv 第2行 列「text」 值「一条\\u200b亮点」：{zw}",
    ]


def test_a_bom_inside_a_workbook_cell_is_named(tmp_path):
    book = Workbook()
    book.remove(book.active)
    for title, text in {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS}.items():
        ws = book.create_sheet(title)
        for line in csv.reader(io.StringIO(text)):
            ws.append([c.replace("乙镇", "\ufeff乙镇") if title == "targets" else c for c in line])
    book.save(path := tmp_path / "d.xlsx")
    bom = invisible("U+FEFF", "字节顺序标记（BOM）", "byte-order mark")
    assert f"d.xlsx[targets] 第9行 列「org」 值「\\ufeff乙镇」：{bom}" in check_errors(path)


def test_text_without_invisible_characters_is_untouched():
    for text in ("太源镇", "AB 镇", "tab\tand\nline", "＋５％", "€𠀾"):
        assert invisible_character(text) is None and show_invisible(text) == text
    assert show_invisible("a\u202eb\u200bc") == "a\\u202eb\\u200bc"


# ---------------------------------------------------------------- encodings


BIG5 = (
    "targets.csv：文件的编码看起来是 Big5（繁体），kpibook 只读 UTF-8 或 GBK：按 GBK 读会把每个"
    "汉字读成别的字；请在 Excel 或 WPS 中打开后另存为「CSV UTF-8（逗号分隔）」或 GBK 编码的 CSV "
    "(the file looks like Big5 (traditional Chinese): read as GBK, {share} of its characters "
    "come out wrong; save it as CSV UTF-8 or GBK)"
)


def test_the_testers_big5_targets_are_one_problem(tmp_path):
    """C31: the sample's targets.csv saved as Big5 gave 52 garbled values; now one problem."""
    data = shutil.copytree(SAMPLE, tmp_path / "data")
    text = (data / "targets.csv").read_text(encoding="utf-8")
    (data / "targets.csv").write_bytes(text.encode("big5", errors="replace"))
    check = kpibook_cli("check", "--data", str(data))
    assert check.returncode == 2
    said = check.stdout + check.stderr
    assert BIG5.format(share="68%") in said and "data: 1 个错误 (errors)" in said


@pytest.mark.parametrize("codec", ["big5", "cp950"])
def test_traditional_text_in_big5_is_named(tmp_path, codec):
    targets = TARGETS.replace("镇", "鎮").replace("亿", "億")
    path = data_folder(tmp_path, targets=targets)
    (path / "targets.csv").write_bytes(targets.encode(codec))
    assert check_errors(path) == [BIG5.format(share="50%")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_other_encodings_keep_working_with_rare_and_traditional_characters(tmp_path, encoding):
    """GBK with traditional names (鎮, 鄉) and rare ones (堃, 喆), GB18030 with 𠀾 and €."""
    actuals = ACTUALS.replace("乙镇,tax,2013H1,400,,,12.5,", "乙镇,tax,2013H1,400,,,12.5,堃喆鎮鄉")
    if encoding != "gbk":
        actuals = actuals.replace("堃喆", "堃喆𠀾€")
    ds = load_dataset(data_folder(tmp_path, encoding, actuals=actuals))
    assert ds.actuals["note"].dropna().tolist()[0].startswith("堃喆")


def test_a_gbk_file_written_in_traditional_characters_is_not_called_big5():
    text = TARGETS.replace("镇", "鎮").replace("亿", "億")
    data = text.encode("gbk")
    assert misread_encoding(data, data.decode("gb18030")) is None
    sample = (SAMPLE / "notes.csv").read_text(encoding="utf-8")
    assert misread_encoding(sample.encode("gbk"), sample) is None


def test_an_invisible_character_in_a_file_or_sheet_name_is_named(tmp_path):
    path = data_folder(tmp_path)
    (path / "targets.csv").rename(path / "targets\u200b.csv")
    zw = invisible("U+200B", "零宽空格", "zero-width space")
    assert check_errors(path) == [f"targets\\u200b.csv：文件名{zw}"]
    book = Workbook()
    book.remove(book.active)
    for title, text in {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS}.items():
        ws = book.create_sheet(title + ("\u200f" if title == "actuals" else ""))
        for line in csv.reader(io.StringIO(text)):
            ws.append(line)
    book.save(xlsx := tmp_path / "d.xlsx")
    rlm = invisible("U+200F", "从右到左标记", "right-to-left mark")
    assert check_errors(xlsx) == [f"d.xlsx[actuals\\u200f]：工作表名{rlm}"]


@pytest.mark.parametrize(("saved", "western"), [("utf-8", "latin-1"), ("gbk", "cp1252")])
def test_chinese_garbled_by_a_western_code_page_is_one_problem(tmp_path, saved, western):
    """太源镇 opened as Latin-1 and saved as UTF-8 (Ì«Ô´Õò): one problem, not a list of
    unknown towns and invisible characters."""
    path = data_folder(tmp_path)
    garbled = ACTUALS.encode(saved).decode(western)
    (path / "actuals.csv").write_text(garbled, encoding="utf-8")
    [problem] = check_errors(path)
    assert problem.startswith("actuals.csv：文件中的中文是乱码（如「")
    assert "」原是「甲镇,tax,2013H1,848" in problem and "它曾被按西文编码打开又保存过" in problem


def test_western_text_with_accents_is_not_called_garbled(tmp_path):
    from helpers.data.text import mojibake

    assert mojibake("Café, naïve, Zürich, Málaga, Ångström, Øresund, façade, Dvořák") is None
    for table in SAMPLE.glob("*.csv"):
        assert mojibake(table.read_text(encoding="utf-8")) is None
