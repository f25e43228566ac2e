"""The catalogue of bad and hostile inputs: each gets its exact message, and nothing is written.

Bad input: every problem at once, each with file, row (as the editor shows it), column and
value; `kpibook run` exits 2 before making anything. Hostile text (names, notes, units) is
data: the HTML shows it as text, file names stay inside --out, parameters stay values.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers.data.dataset import check_dataset, load_dataset
from helpers.sections.report import Report
from tests.tables import ACTUALS, INDICATORS, TARGETS, write_tables

KPIBOOK = Path(sys.executable).parent / "kpibook"
FIRST_NEW_LINE = 13  # ACTUALS has a header and 11 rows: an appended row is line 13

# (name, tables to change {table: text appended or replacing}, exact problem text)
CATALOGUE = [
    (
        "not a number",
        {"actuals": ACTUALS + "甲镇,tax,2013Q1,84x8,,,,\n"},
        "actuals.csv 第13行 列「value」 值「84x8」：不是数字 (not a number)",
    ),
    (
        "unknown period",
        {"actuals": ACTUALS + "甲镇,tax,2013H3,848,,,,\n"},
        "actuals.csv 第13行 列「period」 值「2013H3」：期间格式不对 (unknown period): "
        "应为 2013、2013H1、2013Q2 或 2013-06",
    ),
    (
        "indicator not in the catalogue",
        {"actuals": ACTUALS + "甲镇,gdp,2013H1,5,,,,\n"},
        "actuals.csv 第13行 列「indicator」 值「gdp」：指标不存在 (unknown indicator)",
    ),
    (
        "duplicate rows, both named",
        {"actuals": ACTUALS + "甲镇,tax,2013H1,849,,,,\n"},
        "actuals.csv 第13行 列「org/indicator/period」 值「甲镇/tax/2013H1」："
        "完成数重复：与第2行相同，请只保留一行 (duplicate of row 2: keep one)",
    ),
    (
        "required column missing",
        {"actuals": ACTUALS.replace("org,indicator,period,value", "org,indicator,period,amount")},
        "actuals.csv 第1行 列「完成 / value」：缺少必需的列 (missing required column)",
    ),
    (
        "unit that cannot be converted",
        {"actuals": ACTUALS + "甲镇,tax,2013Q1,3,亩,,,\n"},
        "actuals.csv 第13行 列「unit」 值「亩」："
        "无法把「亩」换算为「万元」 (no conversion from 亩 to 万元)",
    ),
    (
        "org with actuals but no targets",
        {"actuals": ACTUALS + "丙镇,tax,2013H1,5,,,,\n"},
        "actuals.csv 第13行 列「org」 值「丙镇」：该乡镇有完成数但没有任何目标 "
        "(org has actuals but no targets at all: check the spelling of its name)",
    ),
    (
        "choice not allowed",
        {"indicators": INDICATORS + "x,X,,工业,个,sideways,,\n"},
        "indicators.csv 第8行 列「direction」 值「sideways」：不是允许的取值 "
        "(not allowed; use one of: up、down、正向、逆向、越大越好、越小越好)",
    ),
]


def tables(**changes: str) -> dict[str, str]:
    return {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS} | changes


@pytest.mark.parametrize(("name", "changes", "message"), CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_each_bad_input_gets_its_exact_message(tmp_path, name, changes, message):
    folder = write_tables(tmp_path / "d", tables(**changes))
    dataset, problems = check_dataset(folder)
    assert dataset is None
    assert message in [str(p) for p in problems if p.severity == "error"]


def test_files_that_are_not_text_or_not_a_spreadsheet_or_empty(tmp_path):
    folder = write_tables(tmp_path / "d", tables())
    (folder / "targets.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (folder / "actuals.csv").write_bytes(b"")
    workbook = tmp_path / "data.xlsx"
    workbook.write_text("org,indicator\n", encoding="utf-8")
    messages = [str(p) for p in check_dataset(folder)[1]]
    assert "targets.csv：不是文本文件 (not a text file: binary content)" in messages
    assert "actuals.csv：文件为空 (empty file)" in messages
    assert [str(p) for p in check_dataset(workbook)[1]] == [
        "data.xlsx：不是有效的 Excel 工作簿 (not an .xlsx workbook: BadZipFile)"
    ]


def test_falling_cumulative_is_a_warning_shown_in_the_report(tmp_path):
    folder = write_tables(tmp_path / "d", tables(actuals=ACTUALS + "甲镇,tax,2013Q1,900,,,,\n"))
    ds = load_dataset(folder)
    assert [str(w) for w in ds.warnings] == [
        "actuals.csv 第2行 列「value」 值「848.0」：累计数低于同年较早期间 2013Q1 的 900 "
        "(cumulative figure below the earlier period's)"
    ]
    notes = BeautifulSoup(
        Report.load(folder, "甲镇", "2013H1").data_notes().body, "html.parser"
    ).get_text()
    assert "累计数低于同年较早期间 2013Q1" in notes and "actuals.csv 第2行" in notes


def kpibook(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(KPIBOOK), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_several_problems_reported_in_one_run_and_nothing_written(tmp_path):
    bad = ACTUALS + "甲镇,tax,2013Q1,84x8,,,,\n甲镇,tax,2013H3,848,,,,\n甲镇,gdp,2013H1,5,,,,\n"
    folder = write_tables(tmp_path / "d", tables(actuals=bad))
    before = {p: p.read_bytes() for p in folder.iterdir()}
    result = kpibook("run", "--data", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    for line in (
        "第13行 列「value」 值「84x8」",
        "第14行 列「period」 值「2013H3」",
        "第15行 列「indicator」 值「gdp」",
    ):
        assert line in result.stderr
    assert "3 个问题" in result.stderr
    assert not (tmp_path / "out").exists()
    assert before == {p: p.read_bytes() for p in folder.iterdir()}  # inputs never modified


# ------------------------------------------------------------------------------ hostile text

SCRIPT = "<script>alert(1)</script>"
# a name with a line break is a problem check finds (tests/test_reliability_data.py)
HOSTILE_ORGS = ["../../x", "CON", 'q"; import os; os.system("touch PWNED") #', "$x$ 镇"]


def hostile_data(folder: Path) -> Path:
    indicators = INDICATORS + f'evil,"{SCRIPT}",,<b>工业</b>,<i>个</i>,,,\n'
    targets, actuals = [TARGETS.strip()], [ACTUALS.strip()]
    for org in HOSTILE_ORGS:
        quoted = '"' + org.replace('"', '""') + '"'
        targets += [f"{quoted},tax,2013,1000,", f"{quoted},evil,2013,10,"]
        actuals += [
            f"{quoted},tax,2013H1,500,,,,",
            f'{quoted},evil,2013H1,3,,,,"<img src=x onerror=alert(1)>"',
        ]
    notes = (
        "org,period,section,text\n"
        f'甲镇,2013H1,highlights,"**亮点** <iframe src=http://evil.example></iframe> {SCRIPT}"\n'
        "甲镇,2013H1,problems,\"[点我](javascript:alert(1)) <a href='javascript:alert(2)'>x</a>\"\n"
    )
    return write_tables(
        folder,
        {
            "indicators": indicators,
            "targets": "\n".join(targets) + "\n",
            "actuals": "\n".join(actuals) + "\n",
            "notes": notes,
        },
    )


def test_hostile_data_renders_as_text_and_stays_inside_out(tmp_path):
    folder = hostile_data(tmp_path / "data")
    out = tmp_path / "out"
    outside_before = {p for p in Path(tmp_path).rglob("*")}
    result = kpibook(
        "run",
        "--data",
        str(folder),
        "--out",
        str(out),
        "--to",
        "html",
        "--period",
        "2013H1",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    period = out / "2013H1"
    pages = sorted(period.glob("*.html"))
    assert (
        len(pages) == len(HOSTILE_ORGS) + 2 + 1 + 1
    )  # the hostile orgs, 甲镇, 乙镇, district, index
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert not soup.find_all(["iframe", "object", "embed"]), page.name
        scripts = soup.find_all("script")
        if page.name == "index.html":  # its own sort/filter script, one, holding no data
            assert len(scripts) <= 1 and not any(s.get("src") for s in scripts)
            assert all(org not in s.get_text() for s in scripts for org in HOSTILE_ORGS)
        else:
            assert not scripts, page.name
        for tag in soup.find_all(True):
            assert not [a for a in tag.attrs if a.lower().startswith("on")], (page.name, tag.name)
            for attr in ("href", "src"):
                assert not str(tag.get(attr, "")).strip().lower().startswith("javascript:"), (
                    page.name
                )
    text = BeautifulSoup(
        (period / "甲镇.html").read_text(encoding="utf-8"), "html.parser"
    ).get_text()
    assert SCRIPT in text and "<iframe src=http://evil.example></iframe>" in text
    # every file is inside --out, and nothing ran
    created = {p for p in Path(tmp_path).rglob("*")} - outside_before
    assert all(out in p.parents or p == out for p in created), [
        p for p in created if out not in p.parents
    ]
    notebooks = Path(__file__).parents[1] / "notebooks"  # where the notebooks run
    assert not list(Path(tmp_path).rglob("PWNED")) and not (notebooks / "PWNED").exists()
    names = {p.name for p in period.iterdir()}
    assert all("/" not in n and "\n" not in n and not n.upper().startswith("CON.") for n in names)
