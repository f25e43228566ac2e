from pathlib import Path

import pytest
from openpyxl import Workbook

from helpers.data.dataset import check_dataset, load_dataset
from helpers.errors import DataErrors, KpibookError
from tests.tables import ACTUALS, INDICATORS, TARGETS, write_tables


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_every_encoding_reads_the_same(tmp_path, small_tables, encoding):
    ds = load_dataset(write_tables(tmp_path / encoding, small_tables, encoding))
    assert ds.org_list == ["甲镇", "乙镇"]
    tax = ds.actuals.query("org == '甲镇' and indicator == 'tax' and period == '2013H1'")
    assert tax["value"].item() == 848


def test_chinese_table_and_column_names(tmp_path):
    zh = {
        "指标": INDICATORS.replace(
            "indicator,name,name_en,sector,unit,direction,measure,decimals",
            "指标,名称,英文名称,领域,单位,方向,类型,小数位",
        ),
        "目标": TARGETS.replace("org,indicator,period,target,unit", "乡镇,指标,期间,目标,单位"),
        "完成": ACTUALS.replace(
            "org,indicator,period,value,unit,status,yoy,note",
            "乡镇,指标,期间,完成,单位,状态,同比,备注",
        ),
    }
    ds = load_dataset(write_tables(tmp_path / "zh", zh))
    assert ds.indicator("tax")["name"] == "国地两税"
    assert (
        ds.actuals.query("indicator == 'fai' and period == '2013H1' and org == '甲镇'")[
            "value"
        ].item()
        == 6035
    )


def test_units_are_converted_to_the_indicators(small_data):
    ds = load_dataset(small_data)
    fai = ds.targets.query("org == '甲镇' and indicator == 'fai' and period == '2013'")
    assert fai["target"].item() == pytest.approx(12000)
    assert fai["unit"].item() == "万元"


def test_xlsx_workbook_with_chinese_sheets(tmp_path, small_data):
    import csv

    book = Workbook()
    book.remove(book.active)
    for sheet, name in (("指标", "indicators"), ("目标", "targets"), ("完成", "actuals")):
        ws = book.create_sheet(sheet)
        for row in csv.reader(
            (small_data / f"{name}.csv").read_text(encoding="utf-8").splitlines()
        ):
            ws.append(row)
    path = tmp_path / "data.xlsx"
    book.save(path)
    ds = load_dataset(path)
    assert (
        ds.actuals.query("indicator == 'tax' and org == '甲镇' and period == '2013H1'")[
            "value"
        ].item()
        == 848
    )
    assert set(ds.sources) == {"data.xlsx"}


def test_sources_have_sha256(small_data):
    ds = load_dataset(small_data)
    assert set(ds.sources) == {"indicators.csv", "targets.csv", "actuals.csv"}
    assert all(len(h) == 64 for h in ds.sources.values())


def test_several_problems_are_all_reported_with_place(tmp_path, small_tables):
    bad = dict(small_tables)
    bad["actuals"] = (
        ACTUALS + "甲镇,tax,2013H3,84x8,,,,\n甲镇,tax,2013H1,849,,,,\n"
        "甲镇,foo,2013H1,1,,,,\n甲镇,fai,2013H1,5,公顷,,,\n"
    )
    folder = write_tables(tmp_path / "bad", bad)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(DataErrors) as info:
        load_dataset(folder)
    problems = info.value.problems
    text = str(info.value)
    # the four bad rows start at line 13 (header is line 1, 11 good rows)
    assert ("actuals.csv", 13, "period", "2013H3") in {
        (p.file, p.row, p.column, p.value) for p in problems
    }
    assert ("actuals.csv", 13, "value", "84x8") in {
        (p.file, p.row, p.column, p.value) for p in problems
    }
    assert any(p.row == 14 and "第2行" in p.message for p in problems)  # duplicate names both rows
    assert any(p.row == 15 and p.value == "foo" for p in problems)
    assert any(p.row == 16 and p.column == "unit" and p.value == "公顷" for p in problems)
    assert "84x8" in text and "2013H3" in text
    assert isinstance(info.value, ValueError) and isinstance(info.value, KpibookError)
    assert before == {p.name: p.read_bytes() for p in folder.iterdir()}  # inputs untouched


def test_missing_table_and_column(tmp_path, small_tables):
    folder = write_tables(
        tmp_path / "m",
        {
            "indicators": small_tables["indicators"],
            "actuals": small_tables["actuals"].replace("value", "amount"),
        },
    )
    dataset, problems = check_dataset(folder)
    assert dataset is None
    messages = [str(p) for p in problems]
    assert any("targets.csv" in m for m in messages)
    assert any(p.column and "value" in p.column and p.row == 1 for p in problems)


def test_not_text_and_empty_files(tmp_path, small_tables):
    folder = write_tables(tmp_path / "b", small_tables)
    (folder / "targets.csv").write_bytes(b"PK\x03\x04\x00\x00binary")
    (folder / "actuals.csv").write_bytes(b"")
    _, problems = check_dataset(folder)
    assert any(p.file == "targets.csv" and "不是文本文件" in p.message for p in problems)
    assert any(p.file == "actuals.csv" and "文件为空" in p.message for p in problems)


def test_not_a_workbook(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("not a zip")
    _, problems = check_dataset(path)
    assert problems and problems[0].file == "x.xlsx" and "Excel" in problems[0].message


def test_org_with_actuals_but_no_targets(tmp_path, small_tables):
    bad = dict(small_tables)
    bad["actuals"] = ACTUALS + "丙 镇,tax,2013H1,5,,,,\n"
    _, problems = check_dataset(write_tables(tmp_path / "o", bad))
    assert any(p.value == "丙 镇" and p.row == 13 and "没有任何目标" in p.message for p in problems)


def test_falling_cumulative_is_a_warning(tmp_path, small_tables):
    tables = dict(small_tables)
    tables["actuals"] = ACTUALS + "甲镇,tax,2013Q1,900,,,,\n"
    ds = load_dataset(write_tables(tmp_path / "w", tables))
    assert [w.severity for w in ds.warnings] == ["warning"]
    # the 2013H1 figure (line 2) falls below the 2013Q1 one added at line 12
    assert (
        ds.warnings[0].row == 2
        and ds.warnings[0].value == 848
        and "2013Q1" in ds.warnings[0].message
    )


def test_missing_path(tmp_path):
    _, problems = check_dataset(tmp_path / "nowhere")
    assert "找不到" in problems[0].message


def test_default_is_the_sample():
    if not (Path(__file__).parents[1] / "data" / "sample" / "indicators.csv").exists():
        pytest.skip("sample data not yet shipped")
    ds = load_dataset()
    assert ds.latest_period() == "2013H1"


def test_a_changed_file_is_read_again_not_served_from_cache(tmp_path, small_tables, monkeypatch):
    monkeypatch.setenv("KPIBOOK_CACHE", str(tmp_path / "cache"))
    folder = write_tables(tmp_path / "c", small_tables)
    first = load_dataset(folder)
    assert list((tmp_path / "cache" / "datasets").iterdir())
    again = load_dataset(folder)
    assert again.actuals.equals(first.actuals) and again is not first
    actuals = folder / "actuals.csv"
    actuals.write_text(
        actuals.read_text(encoding="utf-8").replace(",848,", ",900,"), encoding="utf-8"
    )
    changed = load_dataset(folder)
    assert (
        changed.actuals.query("org == '甲镇' and indicator == 'tax' and period == '2013H1'")[
            "value"
        ].item()
        == 900
    )


def test_copies_name_the_orgs_once_and_a_replaced_table_afresh(tmp_path, small_tables, monkeypatch):
    """Every load hands out a copy; the copies that keep the orgs table they were given share
    one set of lookups (built once, not once a copy), and a copy whose table is replaced,
    or the caller's first copy changed afterwards, names from its own table."""
    from helpers.data.choose import find_org
    from helpers.data.dataset import Dataset

    monkeypatch.setenv("KPIBOOK_CACHE", str(tmp_path / "cache"))
    folder = write_tables(tmp_path / "c", small_tables)
    built: list[str] = []
    names_in = Dataset._names_in

    def counted(self, lang):
        built.append(lang)
        return names_in(self, lang)

    monkeypatch.setattr(Dataset, "_names_in", counted)
    first = load_dataset(folder)
    copies = [load_dataset(folder) for _ in range(3)]
    assert [find_org(c, "乙镇") for c in copies] == ["乙镇"] * 3
    assert copies[0].org_names() is copies[2].org_names()
    assert built == ["zh"]  # once for all the copies
    assert copies[1].org_name("甲镇", "en") == copies[2].org_name("甲镇", "en")
    assert built == ["zh", "en"]

    renamed = copies[0].orgs.copy()
    renamed.loc[renamed["org"] == "甲镇", "name"] = "改名镇"
    copies[0].orgs = renamed
    first.orgs = renamed.copy()
    assert copies[0].org_name("甲镇") == first.org_name("甲镇") == "改名镇"
    assert find_org(copies[0], "改名镇") == "甲镇"
    later = load_dataset(folder)
    assert later.org_name("甲镇") == copies[1].org_name("甲镇") == "甲镇"
    with pytest.raises(KpibookError):
        find_org(later, "改名镇")

    periods = later.periods()
    copies[2].actuals = copies[2].actuals[copies[2].actuals["period"] != periods[-1]]
    assert not copies[2].has_period(periods[-1]) and copies[2].periods() == periods[:-1]
    assert later.has_period(periods[-1]) and load_dataset(folder).periods() == periods


def test_names_are_accepted_where_ids_are_and_the_nearest_is_suggested(tmp_path):
    """国地两税 in the targets is the indicator tax; a near miss names the nearest."""
    import shutil

    from helpers.data.dataset import check_dataset, load_dataset
    from tests.tables import SAMPLE

    folder = tmp_path / "names"
    shutil.copytree(SAMPLE, folder)
    targets = folder / "targets.csv"
    lines = targets.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",tax,", ",国地两税,")
    targets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ds = load_dataset(folder)
    assert "tax" in set(ds.targets["indicator"]) and "国地两税" not in set(ds.targets["indicator"])
    lines[1] = lines[1].replace(",国地两税,", ",国地两水,")
    lines[2] = lines[2].replace(",fai,", ",固定资产投资,")
    targets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, problems = check_dataset(folder)
    shown = [str(p) for p in problems if p.severity == "error"]
    assert "第2行" in shown[0] and "是不是：tax（国地两税）" in shown[0]  # row order
    assert "第3行" in shown[1] and "fai（社会固定资产投资）" in shown[1]
