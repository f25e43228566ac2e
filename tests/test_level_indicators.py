"""Level (stock) and rate indicators are judged against their target alone, never against
time progress: drawn apart in the completion dot plot and left out of the "behind time
progress" list of the overview text. A data set with a level indicator at 74.5% of its target
(在建面积, the reader's case) and flows behind and ahead of pace."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers.data.dataset import load_dataset
from helpers.document import charts
from helpers.document.narrative import indicator_sentence, pace_summary
from helpers.document.tables import progress_frame, progress_html
from helpers.metrics.progress import annual_flows, headline, progress_table
from helpers.metrics.status import judged_on_time, status_label
from helpers.output import index
from helpers.sections import explore
from helpers.sections.report import Report
from tests.tables import write_tables

INDICATORS = """\
indicator,name,name_en,sector,unit,direction,measure,decimals
tax,国地两税,Tax,财税,万元,,,
veg,蔬菜基地,Vegetable base,农业,亩,,,
area,农民集中居住区在建面积,Housing under construction,城镇化,平方米,,level,
stock,存栏生猪,Pigs in stock,农业,头,,level,
rate,矛盾纠纷调处成功率,Disputes mediated,综治,%,,rate,1
acc,安全生产事故,Accidents,综治,起,down,,
"""
TARGETS = """\
org,indicator,period,target
甲镇,tax,2013,1000
甲镇,veg,2013,1000
甲镇,area,2013,50000
甲镇,stock,2013,2000
甲镇,rate,2013,95
甲镇,acc,2013,2
"""
ACTUALS = """\
org,indicator,period,value
甲镇,tax,2013H1,450
甲镇,veg,2013H1,300
甲镇,area,2013H1,37250
甲镇,stock,2013H1,600
甲镇,rate,2013H1,93
甲镇,acc,2013H1,0
"""


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> object:
    folder = write_tables(
        tmp_path_factory.mktemp("level") / "d",
        {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS},
    )
    ds = load_dataset(folder)
    return progress_table(ds, "2013H1", "甲镇"), folder


def labels_by_name(fig) -> dict[str, str]:
    ax = fig.axes[0]
    names = [t.get_text() for t in charts.row_names(ax)]
    ys = [t.get_position()[1] for t in charts.row_names(ax)]
    rows = {
        round(t.get_position()[1], 3): t.get_text()
        for t in ax.texts
        if t.get_gid() == "status_label"
    }
    return {n: rows[round(y, 3)] for n, y in zip(names, ys) if round(y, 3) in rows}


def test_the_level_indicator_is_at_74_5_percent(table):
    t, _ = table
    area = t.set_index("indicator").loc["area"]
    assert round(area["completion"] * 100, 1) == 74.5 and area["measure"] == "level"


def test_levels_and_rates_are_drawn_apart_from_the_flows(table):
    t, _ = table
    fig = charts.completion_dots(t)
    ax = fig.axes[0]
    rows = charts.row_names(ax)
    ticks = [x.get_text().replace("\n", "") for x in rows]  # wrapped names
    ys = dict(zip(ticks, [x.get_position()[1] for x in rows]))
    group = ys["〔只比目标：存量、比率、控制数〕"]
    for flow in ("国地两税", "蔬菜基地"):
        assert ys[flow] < group
    for alone in ("农民集中居住区在建面积", "存栏生猪", "矛盾纠纷调处成功率", "安全生产事故"):
        assert ys[alone] > group, alone
    # the time-progress line spans the flows' rows only (y grows downwards)
    (pace,) = [line for line in ax.get_lines() if line.get_label() == "time_progress"]
    assert list(pace.get_xdata()) == [0.5, 0.5]
    assert max(pace.get_ydata()) < group
    labels = labels_by_name(fig)
    assert labels["农民集中居住区在建面积"] == "占目标74.5%"
    assert labels["存栏生猪"] == "占目标30.0%"
    assert "滞后" not in labels["矛盾纠纷调处成功率"] and "93.0%" in labels["矛盾纠纷调处成功率"]
    assert labels["蔬菜基地"] == "滞后 30.0%"  # a flow keeps its time-progress label
    assert labels["安全生产事故"].startswith("控制在目标内")


def test_english_labels_say_of_target(table):
    t, _ = table
    fig = charts.completion_dots(t, lang="en")
    labels = labels_by_name(fig)
    assert labels["Housing under construction"] == "74.5% of target"
    assert "[Against the target alone: stocks, rates, caps]" in [
        x.get_text().replace(":\n", ": ") for x in charts.row_names(fig.axes[0])
    ]


def test_levels_are_not_ranked_behind_time_progress(table):
    t, _ = table
    assert set(annual_flows(t)["indicator"]) == {"tax", "veg"}
    text = pace_summary(t)
    assert text.startswith(
        "按序时进度考核的2项指标均低于序时进度；"
        "其余4项存量、比率和控制类指标中，1项达到目标或控制在控制数以内。"
    )
    behind = text[text.index("。") + 1 :]
    assert behind == "蔬菜基地低于序时进度20.0个百分点，国地两税低于5.0个百分点。"
    assert "蔬菜基地" in behind and "国地两税" in behind
    assert behind.index("蔬菜基地") < behind.index("国地两税")  # furthest behind first
    for name in ("在建面积", "存栏生猪", "调处成功率"):
        assert name not in text
    english = pace_summary(t, lang="en")
    assert "Housing" not in english and "Pigs" not in english
    assert "Behind time progress (50%): Vegetable base, Tax" in english


def test_the_report_overview_says_the_same(table):
    _, folder = table
    report = Report.load(Path(folder), "甲镇", "2013H1")
    text = "".join(b.text for b in report.overview().blocks if hasattr(b, "runs"))
    assert "低于序时进度" in text and "在建面积（" not in text
    assert "存栏生猪（" not in text


# ------------------------------------------------ one rule: metrics judge, everything shows it


def test_the_status_itself_says_below_target(table):
    """The metrics layer gives a stock, a rate or a period target short of its target the
    status 未达目标 (below_target); only flows are judged on time (judged_on_time)."""
    t, _ = table
    status = dict(zip(t["indicator"], t["status"]))
    assert status == {
        "tax": "slightly_behind",
        "veg": "behind",
        "area": "below_target",
        "stock": "below_target",
        "rate": "below_target",
        "acc": "within_cap",
    }
    on_time = {r["indicator"]: judged_on_time(r) for r in t.to_dict("records")}
    assert on_time == {
        "tax": True,
        "veg": True,
        "area": False,
        "stock": False,
        "rate": False,
        "acc": False,
    }
    assert [status_label(status["area"]), status_label(status["area"], "en")] == [
        "未达目标",
        "Below target",
    ]


def test_headline_counts_stocks_as_below_target_not_behind(table):
    """headline(): 滞后 (behind) counts the flows behind time (and caps exceeded) only; the
    stock, the herd and the rate short of their target are counted as 未达目标. The index line
    built from these counts says 2 项滞后 and 3 项未达目标, not 5 项滞后."""
    t, _ = table
    h = headline(t)
    assert h["status_counts"] == {
        "below_target": 3,
        "slightly_behind": 1,
        "behind": 1,
        "within_cap": 1,
    }
    assert (h["judged"], h["on_pace"], h["behind"], h["below_target"]) == (6, 1, 2, 3)
    line = index._row({"status": "ok", "org": "甲镇", "metrics": h})
    # says what it counts: 1 on time or within its cap or target, 2 behind time, 3 short of
    # a target judged alone; the sort value the index's script uses is still on_pace/judged
    assert '<td data-value="0.166667">1/6 项达到序时或目标，2 项滞后，3 项未达目标</td>' in line
    h["double_half"] = True
    h["status_counts"] = {"within_cap": 1, "on_pace": 5}
    line = index._row({"status": "ok", "org": "甲镇", "metrics": h})
    assert ">1/6 项达到序时或目标，双过半</td>" in line
    # at the year's end: 完成全年任务 or not, never 序时 nor the mid-year 双过半
    h["status_counts"] = {"within_cap": 1, "below_target": 5}
    line = index._row({"status": "ok", "org": "甲镇", "period": "2013H2", "metrics": h})
    assert ">1/6 项完成全年任务或达到目标，5 项未完成</td>" in line


def test_a_period_target_short_of_it_is_below_target(tmp_path):
    """A flow with only a 上半年目标 is judged against that target (its time is the period
    itself): 4000 of 5500 is 未达目标, never 滞后; 6035 of 5500 is 超额完成. The catalogue
    here has no measure or direction column: absent, they take their defaults (cumulative,
    up), as blank cells do."""
    folder = write_tables(
        tmp_path / "p",
        {
            "indicators": "indicator,name,sector,unit\nfai,社会固定资产投资,投资,万元\n",
            "targets": "org,indicator,period,target\n甲镇,fai,2013H1,5500\n乙镇,fai,2013H1,5500\n",
            "actuals": "org,indicator,period,value\n甲镇,fai,2013H1,4000\n乙镇,fai,2013H1,6035\n",
        },
    )
    t = progress_table(load_dataset(folder), "2013H1").set_index("org")
    assert (t.loc["甲镇", "measure"], t.loc["甲镇", "direction"]) == ("cumulative", "up")
    assert t.loc["甲镇", "status"] == "below_target"
    assert t.loc["乙镇", "status"] == "exceeded"
    assert indicator_sentence(t.loc["甲镇"].to_dict()) == (
        "完成社会固定资产投资4000万元，占上半年目标任务5500万元的72.7%。"
    )


def test_tables_explore_and_charts_show_the_same_label(table):
    """Every place that writes a status writes the one label: the 完成情况表, explore's show,
    status_counts and town bars, the rank chart, all 未达目标 for the stock."""
    t, _ = table
    frame = progress_frame(t)
    assert frame.set_index("指标").loc["农民集中居住区在建面积", "状态"] == "未达目标"
    notes = progress_html(t)
    assert "未达目标：存量、比率类指标和期间目标只与目标比较，不比序时进度。" in notes
    assert "Below target: stocks, rates and period targets are judged against their target" in (
        progress_html(t, lang="en")
    )
    soup = BeautifulSoup(explore.show(t, rows=None).to_html(), "html.parser")
    head = [th.get_text() for th in soup.select("thead th")]
    cells = {
        tr.find_all("td")[head.index("指标")].get_text(): tr.find_all("td")[
            head.index("状态")
        ].get_text()
        for tr in soup.select("tbody tr")
    }
    assert cells["农民集中居住区在建面积"] == "未达目标"
    assert cells["蔬菜基地"] == "滞后"
    counts = explore.status_counts(t)
    assert list(counts.columns) == ["略滞后", "滞后", "未达目标", "控制在目标内"]
    assert list(counts.loc["甲镇"]) == [1, 1, 3, 1]  # 滞后 is the vegetable base alone
    assert set(explore.pick(t, status="未达目标")["indicator"]) == {"area", "stock", "rate"}
    fig = charts.rank_dots(t, "area")
    labels = [x.get_text() for x in fig.axes[0].texts if x.get_gid() == "status_label"]
    assert labels == ["未达目标 74.5%"]
    assert charts.rank_dots(t, "area", lang="en").axes[0].texts  # drawn in English too
    en = [
        x.get_text()
        for x in charts.rank_dots(t, "area", lang="en").axes[0].texts
        if x.get_gid() == "status_label"
    ]
    assert en == ["Below target 74.5%"]
