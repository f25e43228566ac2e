"""Qualifiers the data gives a figure (300余人, 约50, 近2000万元): the number is computed with,
the qualifier written back in the sentence (约/近 before the number, 余/多 after it); a
misplaced or doubled qualifier is a problem naming the cell."""

from __future__ import annotations

import pytest

from helpers.data.dataset import check_dataset, load_dataset
from helpers.data.numbers import Qualified, parse_qualified
from helpers.document.narrative import amount, indicator_sentence
from helpers.errors import NumberError
from helpers.metrics.progress import progress_table
from tests.tables import write_tables

INDICATORS = """\
indicator,name,name_en,sector,unit,direction,measure,decimals
jobs,新增就业,New jobs,民生,人,,,
train,培训,Training,民生,人次,,,
inv,项目投资,Investment,投资,万元,,,
inv2,技改投资,Upgrade investment,投资,万元,,,
firms,新增个体户,New traders,服务业,户,,,
"""
TARGETS = """\
org,indicator,period,target
甲镇,jobs,2013,500
甲镇,train,2013,100
甲镇,inv,2013,5000
甲镇,inv2,2013,5000
甲镇,firms,2013,40
"""


def data(tmp_path, actuals: str):
    return write_tables(
        tmp_path / "q",
        {
            "indicators": INDICATORS,
            "targets": TARGETS,
            "actuals": "org,indicator,period,value,unit\n" + actuals,
        },
    )


@pytest.mark.parametrize(
    ("cell", "parsed"),
    [
        ("300余人", Qualified(300.0, "余", "人")),
        ("约50", Qualified(50.0, "约")),
        ("近2000万元", Qualified(2000.0, "近", "万元")),
        ("20多", Qualified(20.0, "多")),
        ("１，２００余", Qualified(1200.0, "余")),  # full width, thousands
        ("6,035", Qualified(6035.0)),
        ("—", Qualified(None)),
        (12.5, Qualified(12.5)),
    ],
)
def test_a_cell_gives_its_number_qualifier_and_unit(cell, parsed):
    assert parse_qualified(cell) == parsed


@pytest.mark.parametrize("cell", ["余300", "约约5", "约300余", "300余余", "300人余", "多20"])
def test_a_misplaced_or_doubled_qualifier_is_an_error(cell):
    with pytest.raises(NumberError, match="限定词"):
        parse_qualified(cell)


def test_the_sentence_writes_the_qualifier_the_data_gives(tmp_path):
    folder = data(
        tmp_path,
        "甲镇,jobs,2013H1,300余人,\n"
        "甲镇,train,2013H1,约50,\n"
        "甲镇,inv,2013H1,近2000万元,\n"
        "甲镇,inv2,2013H1,近0.25亿元,\n"  # the cell's unit converted, the qualifier kept
        "甲镇,firms,2013H1,20多,户\n",
    )
    table = progress_table(load_dataset(folder), "2013H1", "甲镇").set_index("indicator")
    assert table.loc["jobs", "actual"] == 300 and table.loc["jobs", "qualifier"] == "余"
    assert table.loc["inv2", "actual"] == 2500  # computed with the number
    said = {
        i: indicator_sentence(r)
        for i, r in table.reset_index().set_index("indicator", drop=False).iterrows()
    }
    assert said["jobs"].startswith("新增就业300余人，占全年任务500人的60.0%")
    assert said["train"].startswith("培训约50人次，")
    assert said["inv"].startswith("完成项目投资近2000万元，占全年任务5000万元的40.0%")
    assert said["inv2"].startswith("完成技改投资近2500万元，")
    assert said["firms"].startswith("新增个体户20多户，")
    english = indicator_sentence(table.reset_index().iloc[0], lang="en")
    assert english.startswith("New jobs: over 300 people")


def test_amount_places_the_qualifier_around_the_converted_figure():
    assert amount(12000, "万元", 0, qualifier="近") == "近1.2亿元"
    assert amount(300, "人", 0, qualifier="余") == "300余人"
    assert amount(300, "人", 0, qualifier="") == "300人"
    assert amount(50, "万元", 0, "en", qualifier="约") == "about 0.5 million yuan"


def test_bad_qualifiers_and_a_unit_that_disagrees_are_listed_at_once(tmp_path):
    folder = data(
        tmp_path,
        "甲镇,jobs,2013H1,余300,\n"
        "甲镇,train,2013H1,约约5,\n"
        "甲镇,inv,2013H1,300余人,万元\n"  # the cell says 人, the unit column 万元
        "甲镇,firms,2013H1,20多,户\n",
    )
    ds, problems = check_dataset(folder)
    found = [str(p) for p in problems if p.severity == "error"]
    assert ds is None
    assert any("余300" in e and "第2行" in e and "限定词" in e for e in found)
    assert any("约约5" in e and "第3行" in e for e in found)
    assert any("第4行" in e and "单位" in e and "不一致" in e for e in found)
    assert len(found) == 3
