import os
import stat

import pytest

from helpers.base.files import safe_name, unique_names, write_atomic, write_csv_atomic
from helpers.output.records import read_records, write_record


@pytest.mark.parametrize(
    "name",
    [
        "../../x",
        "..",
        "a/b",
        "a\\b",
        "CON",
        "con.txt",
        "nul",
        "a\nb",
        "x\x00y",
        "",
        "   ",
        "district",
        "index",
        'a:b*c?"d<e>f|g',
    ],
)
def test_hostile_names_become_safe_stems(name, tmp_path):
    stem = safe_name(name)
    assert stem and "/" not in stem and "\\" not in stem and ".." not in stem
    assert not any(ord(c) < 32 for c in stem)
    assert stem.lower() not in {"con", "nul", "district", "index"}
    path = (tmp_path / f"{stem}.html").resolve()
    assert path.parent == tmp_path.resolve()  # never outside the folder
    path.write_text("ok")


def test_chinese_names_are_kept():
    assert safe_name("太源镇") == "太源镇"
    assert safe_name("长 滩 乡") == "长 滩 乡"


def test_names_stay_unique():
    stems = unique_names(["a/b", "a_b", "a\\b", "Con", "con", "太源镇"])
    assert len(set(s.lower() for s in stems.values())) == 6


def test_write_atomic_writes_and_replaces(tmp_path):
    target = tmp_path / "reports" / "2013H1" / "城关镇.html"
    write_atomic(target, "旧")
    write_atomic(target, "新的报告")
    assert target.read_text(encoding="utf-8") == "新的报告"
    write_atomic(target, b"%PDF-1.7")
    assert target.read_bytes() == b"%PDF-1.7"
    assert os.listdir(target.parent) == ["城关镇.html"]
    mode = stat.S_IMODE(target.stat().st_mode)
    assert mode & stat.S_IRUSR and mode & stat.S_IWUSR and not mode & stat.S_IXUSR


def test_write_atomic_failure_keeps_the_old_file(tmp_path):
    target = tmp_path / "城关镇.pdf"
    write_atomic(target, b"good")
    with pytest.raises(TypeError):
        write_atomic(target, object())  # type: ignore[arg-type]
    assert target.read_bytes() == b"good"
    assert os.listdir(tmp_path) == ["城关镇.pdf"]


def test_write_atomic_failed_rename_leaves_no_temporary_file(tmp_path):
    occupied = tmp_path / "out.html"
    (occupied / "inside").mkdir(parents=True)  # a non-empty directory cannot be replaced
    with pytest.raises(OSError):
        write_atomic(occupied, "报告")
    assert sorted(os.listdir(tmp_path)) == ["out.html"]
    assert os.listdir(occupied) == ["inside"]


def test_records_round_trip(tmp_path):
    write_record(tmp_path, "2013H1", "太源镇", {"org": "太源镇", "status": "ok"})
    write_record(tmp_path, "2013H1", "district", {"org": "", "status": "failed"})
    records = read_records(tmp_path, "2013H1")
    assert {r["status"] for r in records} == {"ok", "failed"}
    assert read_records(tmp_path, "2014H1") == []


def test_a_csv_kpibook_writes_keeps_a_cell_with_a_carriage_return_in_its_row(tmp_path):
    """A lone CR inside a cell (old Mac text, a pasted cell) is not quoted by the CSV writer
    and would end the row for every reader: kpibook writes every line break as LF, quoted."""
    import csv

    import pandas as pd

    frame = pd.DataFrame(
        {
            "org": ["甲镇", "乙镇", "丙镇"],
            "note": ["第一行\r第二行", "x\r\ny", "\r=1"],
            "n": [1, 2, 3],
        }
    )
    path = write_csv_atomic(tmp_path / "t.csv", frame)
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["org", "note", "n"],
        ["甲镇", "第一行\n第二行", "1"],
        ["乙镇", "x\ny", "2"],
        ["丙镇", "\n=1", "3"],  # a line break first: no spreadsheet reads a formula
    ]
    assert "\r" not in path.read_text(encoding="utf-8")
