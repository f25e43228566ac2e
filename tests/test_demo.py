"""The seeded demo district: deterministic, loadable, and with the situations it promises."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.data.demo import DISTRICT, generate_district, main, town_name_en, town_names
from helpers.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "district-demo"
FILES = ("indicators.csv", "targets.csv", "actuals.csv", "projects.csv", "notes.csv", "orgs.csv")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return generate_district(tmp_path_factory.mktemp("demo") / "district")


def read(folder: Path, table: str) -> pd.DataFrame:
    frame = pd.read_csv(folder / f"{table}.csv", dtype=str, keep_default_na=False)
    for column in ("target", "value"):
        if column in frame:
            frame[column] = frame[column].astype(float)
    return frame


def june(folder: Path, year: str = "2013") -> pd.DataFrame:
    """Every June actual with its annual target, direction, measure and pace gap (points)."""
    ind = read(folder, "indicators")[["indicator", "direction", "measure"]]
    targets = read(folder, "targets").query("period == @year")[["org", "indicator", "target"]]
    actuals = read(folder, "actuals").query("period == @year + 'H1'")
    rows = actuals.merge(targets, on=["org", "indicator"], how="left").merge(ind, on="indicator")
    rows["ratio"] = rows["value"] / rows["target"].where(rows["target"] != 0)
    rows["gap"] = (rows["ratio"] - 0.5) * 100
    return rows


def test_same_seed_gives_byte_identical_files(tmp_path, demo):
    again = generate_district(tmp_path / "again")
    for name in FILES:
        assert (again / name).read_bytes() == (demo / name).read_bytes(), name


def test_another_seed_gives_another_district(tmp_path, demo):
    other = generate_district(tmp_path / "other", seed=7)
    assert (other / "actuals.csv").read_bytes() != (demo / "actuals.csv").read_bytes()


def test_the_shipped_demo_is_what_its_readme_command_makes(demo):
    assert "python -m helpers.data.demo data/district-demo --towns 12 --seed 2013" in (
        SHIPPED / "README.md"
    ).read_text(encoding="utf-8")
    for name in FILES:
        assert (SHIPPED / name).read_bytes() == (demo / name).read_bytes(), name


def test_at_least_twelve_townships_with_township_names(demo):
    orgs = read(demo, "orgs")
    assert len(orgs) >= 12 and orgs["org"].is_unique
    assert orgs["org"].str.fullmatch(r"[\u4e00-\u9fff]{2}(镇|乡|街道)").all()
    assert set(orgs["org"].str.extract(r"(镇|乡|街道)$")[0]) == {"镇", "乡", "街道"}
    assert (orgs["parent"] == DISTRICT).all()
    for table in ("targets", "actuals", "projects", "notes"):
        assert set(read(demo, table)["org"]) <= set(orgs["org"])


def test_the_catalogue_is_the_samples(demo):
    assert (demo / "indicators.csv").read_bytes().splitlines() == (
        ROOT / "data" / "sample" / "indicators.csv"
    ).read_bytes().splitlines()


def test_two_years_of_half_years_and_annual_targets(demo):
    assert set(read(demo, "actuals")["period"]) == {"2012H1", "2012H2", "2013H1", "2013H2"}
    assert {"2012", "2013"} <= set(read(demo, "targets")["period"])


def test_cumulative_figures_never_fall_from_june_to_december(demo):
    ind = read(demo, "indicators").set_index("indicator")
    actuals = read(demo, "actuals")
    actuals = actuals[actuals["indicator"].map(ind["measure"]) == "cumulative"]
    actuals = actuals.assign(year=actuals["period"].str[:4], half=actuals["period"].str[4:])
    wide = actuals.pivot_table(index=["org", "indicator", "year"], columns="half", values="value")
    assert len(wide) > 0 and (wide["H2"] >= wide["H1"]).all()


def test_townships_ahead_behind_and_severely_behind(demo):
    growth = (
        june(demo).query("direction == 'up' and measure == 'cumulative'").dropna(subset=["gap"])
    )
    assert (growth["gap"] >= 0).any()
    assert ((growth["gap"] < -10) & (growth["gap"] >= -30)).any()
    assert (growth["gap"] < -30).any()
    by_town = growth.groupby("org")["gap"].median()
    assert by_town.max() > 0 and (by_town < -30).sum() >= 1  # whole townships, not one cell


def test_a_township_without_a_target_for_an_indicator(demo):
    rows = june(demo)
    assert rows["target"].isna().any()
    assert rows.loc[rows["target"].isna(), "value"].notna().all()  # it still reports a figure


def test_a_zero_target(demo):
    assert (read(demo, "targets")["target"] == 0).any()


def test_estimated_june_figures(demo):
    estimates = read(demo, "actuals").query("status == '预计'")
    assert estimates["org"].nunique() >= 2
    assert set(read(demo, "actuals")["status"]) <= {"预计", "快报", "正式"}


def test_a_down_indicator_exceeded_in_exactly_one_township(demo):
    downs = june(demo).query("direction == 'down'")
    over = downs[downs["value"] > downs["target"]]
    assert over["org"].nunique() == 1


def test_ties_in_a_ranking(demo):
    growth = june(demo).query("direction == 'up'").dropna(subset=["ratio"])
    tied = growth[growth.duplicated(["indicator", "ratio"], keep=False)]
    assert len(tied) >= 2
    money = read(demo, "indicators").query("unit in ['万元', '亿元']")["indicator"]
    assert tied["indicator"].isin(money).any()  # not only small counts that tie by chance


def test_a_township_without_last_years_figure(demo):
    actuals = read(demo, "actuals")
    pairs = {
        y: set(zip(a["org"], a["indicator"])) for y, a in actuals.groupby(actuals["period"].str[:4])
    }
    assert pairs["2013"] - pairs["2012"]


def test_projects_and_notes_for_every_township(demo):
    orgs = set(read(demo, "orgs")["org"])
    projects, notes = read(demo, "projects"), read(demo, "notes")
    assert set(projects["org"]) == orgs and set(notes["org"]) == orgs
    assert set(notes["section"]) == {"highlights", "problems", "plans"}
    percent = projects["percent_complete"].astype(float)
    assert percent.between(0, 100).all()
    ordered = projects.assign(p=percent).groupby(["org", "project"])["p"]
    assert ordered.apply(lambda s: s.is_monotonic_increasing).all()


def test_the_demo_loads_through_the_data_contract(demo):
    from helpers.data.dataset import check_dataset

    ds, problems = check_dataset(demo)
    assert ds is not None, [str(p) for p in problems[:5]]
    assert len(ds.org_list) == len(read(demo, "orgs")) and ds.district == DISTRICT


def test_a_hundred_townships(tmp_path):
    from helpers.data.dataset import check_dataset

    out = generate_district(tmp_path / "big", towns=100, seed=1)
    orgs = read(out, "orgs")
    assert len(orgs) == 100 and orgs["org"].is_unique
    ds, problems = check_dataset(out)
    assert ds is not None, [str(p) for p in problems[:5]]


def test_a_thousand_townships_have_distinct_names_and_the_small_demo_keeps_its_own():
    import numpy as np

    names = town_names(1000, np.random.default_rng(1))
    assert len(set(names)) == 1000
    assert any(len(n) == 4 and n.endswith("镇") for n in names)  # three characters and 镇
    assert all(
        re.fullmatch(r"[A-Z][a-z']+ (Town|Township|Subdistrict)", town_name_en(n)) for n in names
    )
    small = town_names(12, np.random.default_rng(2013))
    assert all(len(n) - len(k) == 2 for n in small for k in ("街道", "镇", "乡") if n.endswith(k))


def test_one_year_only(tmp_path):
    out = generate_district(tmp_path / "one", towns=12, years=(2013,))
    assert set(read(out, "actuals")["period"]) == {"2013H1", "2013H2"}


@pytest.mark.parametrize("towns", [0, 1, 100_000])
def test_refuses_impossible_sizes(tmp_path, towns):
    with pytest.raises(UsageError):
        generate_district(tmp_path / "x", towns=towns)


def test_command_line(tmp_path, capsys, demo):
    assert main([str(tmp_path / "cli"), "--towns", "12", "--seed", "2013"]) == 0
    assert "12" in capsys.readouterr().out
    assert (tmp_path / "cli" / "actuals.csv").read_bytes() == (demo / "actuals.csv").read_bytes()


def test_the_towns_have_english_names_in_pinyin(demo):
    orgs = pd.read_csv(demo / "orgs.csv", dtype=str)
    english = dict(zip(orgs["org"], orgs["name_en"], strict=True))
    assert english["宝庙街道"] == "Baomiao Subdistrict"
    assert english["南兴镇"] == "Nanxing Town" and english["金林乡"] == "Jinlin Township"
    assert all(
        re.fullmatch(r"[A-Z][a-z']+ (Town|Township|Subdistrict)", e) for e in english.values()
    )
    assert town_name_en("西安乡") == "Xi'an Township"  # an apostrophe before a vowel syllable
