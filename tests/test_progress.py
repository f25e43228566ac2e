import math

import pandas as pd
import pytest

from helpers.data.dataset import load_dataset
from helpers.metrics.progress import (
    behind_pace,
    district_totals,
    headline,
    progress_table,
)
from helpers.metrics.status import Thresholds, status_label
from tests.tables import ACTUALS, TARGETS, write_tables


@pytest.fixture
def table(small_data):
    t = progress_table(load_dataset(small_data), "2013H1")
    return t.set_index(["org", "indicator"])


def test_completion_and_pace(table):
    tax = table.loc[("甲镇", "tax")]
    assert tax["completion"] == pytest.approx(848 / 1550)
    assert tax["time_progress"] == 0.5
    assert tax["gap_pp"] == pytest.approx((848 / 1550 - 0.5) * 100)
    assert tax["status"] == "ahead"
    assert tax["yoy"] == pytest.approx(848 / 800 - 1)
    assert tax["yoy_source"] == "computed"


def test_period_target(table):
    fai = table.loc[("甲镇", "fai")]
    assert fai["period_completion"] == pytest.approx(6035 / 5500)
    assert fai["completion"] == pytest.approx(6035 / 12000)
    assert fai["data_status"] == "预计"
    assert fai["yoy"] == pytest.approx(6035 / 7000 - 1)  # negative growth stays negative


def test_reported_yoy_wins(table):
    assert table.loc[("乙镇", "tax"), "yoy"] == pytest.approx(0.125)
    assert table.loc[("乙镇", "tax"), "yoy_source"] == "reported"


def test_down_indicator_is_a_cap(table):
    assert table.loc[("甲镇", "acc"), "status"] == "within_cap"
    assert table.loc[("乙镇", "acc"), "status"] == "over_cap"
    assert math.isnan(table.loc[("甲镇", "acc"), "completion"])


def test_rate_gap_in_percentage_points(table):
    urban = table.loc[("甲镇", "urban")]
    assert urban["gap_pp"] == pytest.approx(53.5 - 55)
    assert urban["status"] == "below_target"  # a rate short of its target: 未达目标, not 略滞后
    assert status_label(urban["status"]) == "未达目标"


def test_level_is_judged_against_target_alone(table):
    housing = table.loc[("甲镇", "housing")]
    assert housing["gap_pp"] == pytest.approx((40000 / 50000 - 1) * 100)
    assert housing["status"] == "below_target"  # a stock short of its target, never 滞后
    assert status_label(housing["status"], "en") == "Below target"


def test_zero_target_and_no_prior_give_no_ratio(table):
    new = table.loc[("甲镇", "new")]
    assert math.isnan(new["completion"]) and new["status"] == "no_target"
    assert math.isnan(new["yoy"]) and pd.isna(new["yoy_source"])


def test_competition_ranks_skip_after_a_tie(tmp_path, small_tables):
    """1, 2, 2, 4 (并列第2, then 第4): the last of four is 4, as DOMAIN.md ranks."""
    tables = dict(small_tables)
    extra = {"丙镇": 400, "丁镇": 100}  # 乙镇 400/1000 = 丙镇 400/1000, 丁镇 last
    tables["targets"] = TARGETS + "".join(f"{o},tax,2013,1000,\n" for o in extra)
    tables["actuals"] = ACTUALS + "".join(f"{o},tax,2013H1,{v},,,,\n" for o, v in extra.items())
    t = progress_table(load_dataset(write_tables(tmp_path / "r", tables)), "2013H1")
    tax = t[t["indicator"] == "tax"].set_index("org")["rank"].to_dict()
    assert tax == {"甲镇": 1, "乙镇": 2, "丙镇": 2, "丁镇": 4}


@pytest.mark.parametrize(
    ("actual", "precision", "status"),
    [
        (500, 1, "at_pace"),  # exactly 50% at H1: 持平, as the sentence says
        (500.4, 1, "at_pace"),  # 50.04% is shown as 50.0%
        (500.6, 1, "ahead"),  # 50.06% is shown as 50.1%
        (504, 0, "at_pace"),  # 50.4% is shown as 50%
        (499.4, 1, "slightly_behind"),
        (1000, 1, "completed"),  # exactly 100%: 完成, not 超额完成
        (1000.4, 1, "completed"),
        (1000.6, 1, "exceeded"),
        (1004, 0, "completed"),
        (1006, 0, "exceeded"),
    ],
)
def test_status_is_judged_as_the_report_shows_it(tmp_path, small_tables, actual, precision, status):
    tables = dict(small_tables)
    tables["targets"] = TARGETS + "丙镇,tax,2013,1000,\n"
    tables["actuals"] = ACTUALS + f"丙镇,tax,2013H1,{actual},,,,\n"
    ds = load_dataset(write_tables(tmp_path / "s", tables))
    t = progress_table(ds, "2013H1", thresholds=Thresholds(precision=precision))
    assert t.set_index(["org", "indicator"]).loc[("丙镇", "tax"), "status"] == status


def test_rank_ties(tmp_path, small_tables):
    tables = dict(small_tables)
    tables["targets"] = TARGETS + "丙镇,tax,2013,1000,\n"
    tables["actuals"] = ACTUALS + "丙镇,tax,2013H1,400,,,,\n"
    t = progress_table(load_dataset(write_tables(tmp_path / "r", tables)), "2013H1")
    tax = t[t["indicator"] == "tax"].set_index("org")
    assert tax.loc["甲镇", "rank"] == 1
    assert tax.loc["乙镇", "rank"] == tax.loc["丙镇", "rank"] == 2
    assert tax.loc["乙镇", "rank_tied"] and not tax.loc["甲镇", "rank_tied"]
    acc = t[t["indicator"] == "acc"].set_index("org")
    assert acc.loc["甲镇", "rank"] == 1  # fewer accidents ranks first


def test_rank_change_against_previous_period(tmp_path, small_tables):
    tables = dict(small_tables)
    tables["actuals"] = ACTUALS + "甲镇,tax,2012H2,100,,,,\n乙镇,tax,2012H2,900,,,,\n"
    tables["targets"] = TARGETS + "甲镇,tax,2012,1500,\n乙镇,tax,2012,1000,\n"
    t = progress_table(load_dataset(write_tables(tmp_path / "c", tables)), "2013H1")
    tax = t[t["indicator"] == "tax"].set_index("org")
    assert tax.loc["甲镇", "rank_change"] == 1  # from 2nd to 1st
    assert tax.loc["乙镇", "rank_change"] == -1


def test_thresholds_are_configurable(small_data):
    ds = load_dataset(small_data)
    strict = progress_table(ds, "2013H1", thresholds=Thresholds(slightly_behind=-1, far_behind=-5))
    status = strict.set_index(["org", "indicator"])["status"]
    assert status[("乙镇", "tax")] == "far_behind"  # −10 points: 略滞后 by default
    assert status[("乙镇", "fai")] == "far_behind"
    assert status[("甲镇", "urban")] == "below_target"  # no threshold turns a rate into 滞后
    loose = progress_table(ds, "2013H1", thresholds=Thresholds(slightly_behind=-30, far_behind=-40))
    assert loose.set_index(["org", "indicator"]).loc[("乙镇", "fai"), "status"] == "slightly_behind"


def test_org_filter_and_unknown_org(small_data):
    ds = load_dataset(small_data)
    assert set(progress_table(ds, "2013H1", "乙镇")["org"]) == {"乙镇"}
    with pytest.raises(KeyError):
        progress_table(ds, "2013H1", "无此镇")


def test_district_totals(small_data):
    totals = district_totals(load_dataset(small_data), "2013H1").set_index("indicator")
    assert totals.loc["tax", "actual"] == 1248
    assert totals.loc["tax", "completion"] == pytest.approx(1248 / 2550)
    assert "urban" not in totals.index  # rates are not additive


def test_behind_and_headline(table):
    t = table.reset_index()
    甲 = t[t["org"] == "甲镇"]
    assert list(behind_pace(甲)["indicator"]) == ["housing", "urban"]
    h = headline(甲)
    assert h["indicators"] == 6 and h["status_counts"]["no_target"] == 1
    assert h["double_half"] is True
    assert (
        status_label("far_behind") == "严重滞后" and status_label("ahead", "en") == "Ahead of pace"
    )
