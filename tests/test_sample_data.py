"""The shipped sample (data/sample): the seed township's 2013 H1 figures as data-contract tables."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.data.numbers import round_half_up
from helpers.data.periods import parse_period, time_progress
from helpers.data.schema import CHOICES, TABLE_ORDER, TABLES
from helpers.data.units import convert
from helpers.document.words import zh_punctuation

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
SEED = Path("/work/shared/seed/township-2013-H1-summary.txt")
ORG = "太源镇"


def read(table: str) -> pd.DataFrame:
    """A sample table as plain text cells (what a spreadsheet user typed)."""
    return pd.read_csv(SAMPLE / f"{table}.csv", dtype=str, keep_default_na=False, encoding="utf-8")


def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("the seed report is not on this machine")
    return SEED.read_text(encoding="utf-8")


def actual(indicator: str, period: str = "2013H1") -> pd.Series:
    rows = read("actuals").query("indicator == @indicator and period == @period")
    assert len(rows) == 1, (indicator, period)
    return rows.iloc[0]


def target(indicator: str, period: str) -> pd.Series:
    rows = read("targets").query("indicator == @indicator and period == @period")
    assert len(rows) == 1, (indicator, period)
    return rows.iloc[0]


@pytest.mark.parametrize("table", TABLE_ORDER)
def test_every_table_is_a_utf8_csv_with_canonical_columns(table):
    frame = read(table)
    columns = [c.name for c in TABLES[table].columns]
    assert set(frame.columns) <= set(columns)
    assert set(TABLES[table].required) <= set(frame.columns)
    assert len(frame) > 0
    for name in TABLES[table].required:
        assert (frame[name].str.strip() != "").all(), f"{table}.{name} has an empty cell"


def test_keys_are_unique_and_refer_to_known_things():
    indicators = read("indicators")
    assert indicators["indicator"].is_unique
    assert indicators["indicator"].str.fullmatch(r"[a-z][a-z0-9_]*").all()
    known = set(indicators["indicator"])
    for table in ("targets", "actuals"):
        frame = read(table)
        assert set(frame["indicator"]) <= known
        assert not frame.duplicated(list(TABLES[table].key)).any()
        assert set(frame["org"]) == {ORG}
    for table in ("targets", "actuals", "projects", "notes"):
        for period in read(table)["period"]:
            parse_period(period)


def test_choice_columns_hold_allowed_values():
    indicators = read("indicators")
    for column in ("direction", "measure"):
        assert set(indicators[column]) <= set(CHOICES[column])
    assert set(read("actuals")["status"]) <= set(CHOICES["status"])
    sectors = set(indicators["sector"]) - {"综合"}
    assert (
        set(read("notes")["section"])
        == {
            "title",
            "overview",
            "highlights",
            "problems",
            "plans",
        }
        | sectors
    )


def test_sectors_follow_the_seed():
    sectors = set(read("indicators")["sector"])
    assert {"工业", "农业", "服务业", "城镇化", "民生", "综治稳定"} <= sectors
    text = seed_text()
    for sector in sectors - {"综合"}:
        assert sector in text


def test_down_level_and_rate_indicators_are_present():
    ind = read("indicators").set_index("indicator")
    downs = ind.index[ind["direction"] == "down"]
    assert len(downs) >= 1
    for d in downs:  # a cap for every down indicator, and the figure within it
        assert float(actual(d)["value"]) <= float(target(d, "2013")["target"])
    assert (ind["measure"] == "level").any()
    assert (ind["measure"] == "rate").any()


# (indicator, value as given, unit as given, the phrase of the seed it comes from)
SEED_FIGURES = [
    ("tax", "848", "万元", "完成国地两税848万元"),
    ("fai", "6035", "万元", "完成社会固定资产投资6035万元"),
    ("ind_output", "6", "亿元", "规模工业产值6亿元"),
    ("ind_value_added", "1.98", "亿元", "增加值1.98亿元"),
    ("projects_100m", "1", "个", "1亿元以上项目1个"),
    ("funds_in_place", "0.7", "亿元", "到位资金0.7亿元"),
    ("funds_outside", "0.7", "亿元", "省外资金0.7亿元"),
    ("new_service_ent", "1", "户", "限额以上企业1户"),
    ("veg_belt", "2000", "亩", "蔬菜产业带2000亩"),
    ("fruit_belt", "3000", "亩", "林产业带3000亩"),
    ("forest_chicken", "2", "户", "林下养鸡2户"),
    ("reservoir", "3", "个", "病险水库整治3个"),
    ("transformer", "2", "台", "变压器2台"),
    ("road_black", "800", "米", "黑化路面800米"),
    ("shop_signs", "220", "个", "翻新店招220个"),
    ("square", "2000", "平方米", "2000平方米社区广场"),
    ("resettle_area", "40000", "平方米", "40000平方米农民集中居住区"),
    ("training", "4", "次", "培训4次"),
    ("new_jobs", "300余", "人", "新增就业300余人"),  # the qualifier kept in the data
    ("ethic_models", "10", "名", "“师德标兵”10名"),
]


@pytest.mark.parametrize("indicator,value,unit,phrase", SEED_FIGURES)
def test_seed_figures_are_in_the_sample_as_given(indicator, value, unit, phrase):
    assert phrase in seed_text()
    row = actual(indicator)
    assert row["value"] == value
    unit_in_catalogue = read("indicators").set_index("indicator").loc[indicator, "unit"]
    assert (row["unit"] or unit_in_catalogue) == unit


def test_seed_targets_are_in_the_sample_as_given():
    text = seed_text()
    assert "占全年任务1550万" in text and "上半年目标任务5500万元" in text
    assert target("tax", "2013")["target"] == "1550"
    assert target("fai", "2013H1")["target"] == "5500"
    assert target("fai", "2013")["target"]  # an illustrative annual target as well


def test_the_seeds_ratios_follow_from_the_sample():
    tax = float(actual("tax")["value"]) / float(target("tax", "2013")["target"])
    fai = float(actual("fai")["value"]) / float(target("fai", "2013H1")["target"])
    assert round_half_up(tax * 100, 1) == 54.7
    assert round_half_up(fai * 100, 1) == 109.7
    text = seed_text()  # ... and round to the seed's whole percentages
    assert f"的{round_half_up(tax * 100):.0f}%" in text
    assert f"的{round_half_up(fai * 100):.0f}%" in text
    assert time_progress("2013H1") == 0.5


def test_units_that_differ_from_the_indicator_convert():
    ind = read("indicators").set_index("indicator")
    rows = pd.concat([read("targets").rename(columns={"target": "value"}), read("actuals")])
    differing = rows[(rows["unit"] != "") & (rows["unit"] != rows["indicator"].map(ind["unit"]))]
    assert len(differing) >= 2  # the sample exercises conversion both for a target and an actual
    assert set(differing["indicator"]) >= {"funds_in_place", "ind_output"}
    for _, row in differing.iterrows():
        convert(float(row["value"]), row["unit"], ind.loc[row["indicator"], "unit"])


def test_prior_year_and_estimates_for_a_complete_report():
    actuals = read("actuals")
    prior = set(actuals.query("period == '2012H1'")["indicator"])
    assert {"tax", "fai", "ind_output", "ind_value_added"} <= prior
    assert (actuals["status"] == "预计").sum() >= 2
    reported = actuals[actuals["yoy"] != ""]
    assert len(reported) >= 1 and set(reported["period"]) == {"2013H1"}


def test_key_projects_with_their_stage_and_percent():
    projects = read("projects").set_index("project")
    text = seed_text()

    def find(fragment: str) -> pd.Series:
        hits = projects[projects.index.str.contains(fragment, regex=False)]
        assert len(hits) == 1, fragment
        return hits.iloc[0]

    assert find("32栋1526套")["stage"] == "主体完工" and "主体全面完工" in text
    for part, percent in (("室外景观", "30"), ("绿化", "20"), ("水电气", "85")):
        assert find(part)["percent_complete"] == percent
        assert f"完成{percent}%" in text
    centre = find("驾驶员考试中心")
    assert centre["total_investment"] == "8000" and centre["stage"] == "设备安装调试"
    assert "投资8000万元" in text and "设备安装调试" in text
    jingyuan = find("井源小区")
    assert jingyuan["total_investment"] == "1500" and jingyuan["stage"] == "全面开工"
    assert find("农民集中居住区")["stage"]
    assert set(read("projects")["period"]) == {"2013H1"}


#: The seed's slips that the sample's notes correct (see data/sample/README.md).
SEED_CORRECTIONS = {
    "、、": "、",
    "-九洪": "九洪",
    "经过林": "经果林",
    '"流动人员管理"': "“流动人员管理”",
}


def test_notes_keep_the_seeds_wording():
    notes = read("notes")
    counts = notes["section"].value_counts()
    assert (counts["highlights"], counts["problems"], counts["plans"]) == (2, 2, 4)
    assert (counts["title"], counts["overview"]) == (1, 1)
    text = seed_text()
    for slip, fixed in SEED_CORRECTIONS.items():
        assert slip in text
        text = text.replace(slip, fixed)
    text = zh_punctuation(text)  # the seed writes half-width commas; the notes full-width
    for note in notes["text"]:
        note = zh_punctuation(note)
        heading = re.match(r"\*\*(.+?)。\*\*", note)
        body = note[heading.end() :] if heading else note
        assert body in text, body[:20]
        if heading:
            assert heading.group(1) in text


def test_orgs_name_the_township_and_its_district():
    orgs = read("orgs")
    assert orgs[["org", "parent"]].values.tolist() == [[ORG, "示范区"]]


def test_readme_marks_what_is_illustrative():
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    assert "illustrative" in readme.lower()
    for table in ("targets", "actuals", "projects", "orgs"):
        assert f"`{table}" in readme
    for indicator in set(read("targets")["indicator"]) - {"tax"}:
        assert indicator in readme, indicator


def test_the_sample_loads_through_the_data_contract():
    from helpers.data.dataset import check_dataset

    ds, problems = check_dataset(SAMPLE)
    assert ds is not None, [str(p) for p in problems]
    assert [p for p in problems if p.severity == "error"] == []
    assert ds.org_list == [ORG] and ds.district == "示范区"
    funds = ds.actuals.query("indicator == 'funds_in_place' and period == '2013H1'")
    assert funds["value"].item() == pytest.approx(
        0.7
    )  # the seed's 0.7亿元, in the indicator's unit
    last_year = ds.actuals.query("indicator == 'funds_in_place' and period == '2012H1'")
    assert last_year["value"].item() == pytest.approx(convert(5000, "万元", "亿元"))
    given = target("ind_output", "2013")
    loaded = ds.targets.query("indicator == 'ind_output' and period == '2013'")["target"].item()
    assert loaded == pytest.approx(convert(float(given["target"]), given["unit"], "亿元"))
    assert len(ds.projects) == len(read("projects")) and len(ds.notes) == len(read("notes"))


def test_the_sample_names_its_sectors_projects_and_township_in_english():
    ind = read("indicators")
    sectors = dict(zip(ind["sector"], ind["sector_en"], strict=True))
    assert sectors["工业"] == "Industry" and sectors["综治稳定"] == "Public order and stability"
    assert all(ind["sector_en"]) and all(read("projects")["name_en"])
    assert read("orgs")["name_en"].tolist() == ["Taiyuan Town"]
