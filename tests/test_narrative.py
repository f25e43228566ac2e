import math

import pytest

from helpers.data.dataset import load_dataset
from helpers.document.narrative import (
    amount,
    headline_paragraph,
    indicator_sentence,
    pace_summary,
    percent,
)
from helpers.metrics.district import HEADLINE_SECTORS
from helpers.metrics.progress import progress_table
from helpers.metrics.status import Thresholds, status_label

NAN = math.nan


def row(**kw):
    base = dict(
        name="国地两税",
        name_en="Tax revenue",
        unit="万元",
        decimals=0,
        measure="cumulative",
        direction="up",
        period="2013H1",
        actual=848.0,
        annual_target=1550.0,
        period_target=NAN,
        completion=848 / 1550,
        period_completion=NAN,
        basis="annual",
        gap_pp=(848 / 1550 - 0.5) * 100,
        time_progress=0.5,
        prior=760.0,
        yoy=848 / 760 - 1,
        yoy_source="computed",
        data_status="正式",
        status="ahead",
    )
    base.update(kw)
    return base


CASES = {
    "ahead": (
        row(),
        "完成国地两税848万元，占全年任务1550万元的54.7%，超序时进度4.7个百分点，同比增长11.6%。",
        "Tax revenue: 8.48 million yuan, 54.7% of the annual target of 15.5 million yuan, "
        "4.7 percentage points ahead of time progress, up 11.6% year on year.",
    ),
    "behind": (
        row(
            actual=500.0,
            completion=500 / 1550,
            gap_pp=(500 / 1550 - 0.5) * 100,
            status="behind",
            prior=NAN,
            yoy=NAN,
        ),
        "完成国地两税500万元，占全年任务1550万元的32.3%，低于序时进度17.7个百分点。",
        "Tax revenue: 5 million yuan, 32.3% of the annual target of 15.5 million yuan, "
        "17.7 percentage points behind time progress.",
    ),
    "exceeded": (
        row(
            actual=1600.0,
            completion=1600 / 1550,
            gap_pp=(1600 / 1550 - 0.5) * 100,
            status="exceeded",
            prior=NAN,
            yoy=NAN,
        ),
        "完成国地两税1600万元，占全年任务1550万元的103.2%，已超额完成全年任务。",
        "Tax revenue: 16 million yuan, 103.2% of the annual target of 15.5 million yuan, "
        "annual target already exceeded.",
    ),
    "no_target": (
        row(
            annual_target=NAN,
            completion=NAN,
            gap_pp=NAN,
            basis="none",
            status="no_target",
            prior=NAN,
            yoy=NAN,
        ),
        "完成国地两税848万元。",
        "Tax revenue: 8.48 million yuan.",
    ),
    "zero_target": (
        row(annual_target=0.0, completion=NAN, gap_pp=NAN, basis="none", status="no_target"),
        "完成国地两税848万元，同比增长11.6%。",
        "Tax revenue: 8.48 million yuan, up 11.6% year on year.",
    ),
    "negative_growth": (
        row(prior=1000.0, yoy=848 / 1000 - 1),
        "完成国地两税848万元，占全年任务1550万元的54.7%，超序时进度4.7个百分点，同比下降15.2%。",
        "Tax revenue: 8.48 million yuan, 54.7% of the annual target of 15.5 million yuan, "
        "4.7 percentage points ahead of time progress, down 15.2% year on year.",
    ),
    "down": (
        row(
            name="安全生产事故",
            name_en="Accidents",
            unit="起",
            direction="down",
            actual=1.0,
            annual_target=2.0,
            completion=NAN,
            gap_pp=NAN,
            status="within_cap",
            prior=NAN,
            yoy=NAN,
        ),
        "发生安全生产事故1起，控制在年度控制数2起以内。",
        "Accidents: 1, within the cap of 2.",
    ),
    "down_over": (
        row(
            name="安全生产事故",
            name_en="Accidents",
            unit="起",
            direction="down",
            actual=3.0,
            annual_target=2.0,
            completion=NAN,
            gap_pp=NAN,
            status="over_cap",
            prior=NAN,
            yoy=NAN,
        ),
        "发生安全生产事故3起，超过年度控制数（2起）1起。",
        "Accidents: 3, over the cap of 2 by 1.",
    ),
    "level": (
        row(
            name="集中居住区",
            name_en="Housing",
            unit="平方米",
            measure="level",
            actual=40000.0,
            annual_target=50000.0,
            completion=0.8,
            gap_pp=-20.0,
            status="behind",
            prior=NAN,
            yoy=NAN,
        ),
        "集中居住区达到40000平方米，占年度目标50000平方米的80.0%。",
        "Housing: 40,000 m², 80.0% of the annual target of 50,000 m².",  # thousands grouped,
    ),
    "rate": (
        row(
            name="城镇化率",
            name_en="Urbanisation rate",
            unit="%",
            measure="rate",
            decimals=1,
            actual=53.5,
            annual_target=55.0,
            completion=53.5 / 55,
            gap_pp=-1.5,
            status="slightly_behind",
            prior=52.0,
            yoy=53.5 / 52 - 1,
        ),
        "城镇化率为53.5%，比目标55%低1.5个百分点，比上年同期提高1.5个百分点。",
        "Urbanisation rate: 53.5%, 1.5 percentage points below the target of 55%, "
        "1.5 percentage points higher than a year earlier.",
    ),
    "estimate": (
        row(
            unit="亿元",
            decimals=2,
            actual=1.98,
            annual_target=4.2,
            completion=1.98 / 4.2,
            gap_pp=(1.98 / 4.2 - 0.5) * 100,
            status="slightly_behind",
            data_status="预计",
            yoy=0.118,
            yoy_source="reported",
            name="规模工业增加值",
            name_en="Industrial value added",
        ),
        "完成规模工业增加值1.98亿元（预计），占全年任务4.2亿元的47.1%，低于序时进度2.9个百分点，同比增长11.8%。",
        "Industrial value added: 198 million yuan (estimate), 47.1% of the annual target of "
        "420 million yuan, 2.9 percentage points behind time progress, up 11.8% year on year.",
    ),
    "period_target": (
        row(
            name="社会固定资产投资",
            actual=6035.0,
            annual_target=NAN,
            period_target=5500.0,
            completion=NAN,
            period_completion=6035 / 5500,
            basis="period",
            gap_pp=9.7,
            status="exceeded",
            prior=NAN,
            yoy=NAN,
            name_en="Investment",
        ),
        "完成社会固定资产投资6035万元，占上半年目标任务5500万元的109.7%。",
        "Investment: 60.35 million yuan, 109.7% of the period target of 55 million yuan.",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_sentences_in_chinese_and_english(case):
    data, zh, en = CASES[case]
    assert indicator_sentence(data, lang="zh") == zh
    assert indicator_sentence(data, lang="en") == en


def test_never_growth_of_a_negative():
    text = indicator_sentence(CASES["negative_growth"][0])
    assert "增长-" not in text and "同比下降15.2%" in text


def test_amounts_switch_to_yi_from_one_yi():
    assert amount(19800, "万元", 0) == "1.98亿元"
    assert amount(9999, "万元", 0) == "9999万元"
    assert amount(60000, "万元", 0) == "6亿元"
    assert amount(0.7, "亿元", 2) == "7000万元"  # under 1亿元 in 万元 (DOMAIN.md's Writing)
    assert amount(0.09, "亿元", 2) == "900万元"
    assert amount(1.5, "亿元", 2) == "1.5亿元"
    assert amount(NAN, "万元") == "—"


def test_a_target_is_written_in_the_unit_of_the_figure_beside_it():
    assert amount(12000, "万元", 0, like=6035) == "12000万元"  # not 1.2亿元 beside 6035万元
    assert amount(42000, "万元", 0, like=19800) == "4.2亿元"
    assert amount(1.5, "亿元", 2, like=0.7) == "15000万元"
    assert amount(0.9, "亿元", 2, like=1.2) == "0.9亿元"


def test_english_amounts_in_millions_and_billions():
    assert amount(848, "万元", 0, "en") == "8.48 million yuan"
    assert amount(865100, "万元", 0, "en") == "8.65 billion yuan"
    assert amount(1, "次", 0, "en") == "1 session" and amount(3, "次", 0, "en") == "3 sessions"


def test_decimals_are_configurable_and_half_up():
    assert percent(0.54650, 1) == "54.7%"  # half-up, where round() would give 54.6
    assert percent(0.547097, 0) == "55%"
    assert percent(1.097273, 0) == "110%"
    data = CASES["ahead"][0]
    assert "54.71%" in indicator_sentence(data, decimals=2)


def test_seed_opening_figures_are_reproduced():
    """With 0 decimals the sample's 总体情况 paragraph says what the seed's opening paragraph says."""
    ds = load_dataset()
    table = progress_table(
        ds, ds.latest_period(), ds.org_list[0], thresholds=Thresholds(precision=0)
    )
    rows = table[table["sector"].isin(HEADLINE_SECTORS)]
    text = headline_paragraph(rows, decimals=0)
    assert text.startswith("截至6月底，")
    for figure in (
        "848万元",
        "1550万元",
        "的55%",
        "6035万元",
        "5500万元",
        "的110%",
        "6亿元",
        "1.98亿元",
        "到位资金7000万元",  # the seed writes 0.7亿元; DOMAIN.md: under 1亿元 in 万元
    ):
        assert figure in text, figure


def test_double_half_only_when_true(small_data):
    table = progress_table(load_dataset(small_data), "2013H1", "甲镇")
    assert "时间过半、任务过半" in pace_summary(table)
    behind = table.copy()
    behind.loc[behind["indicator"] == "tax", ["completion", "gap_pp", "status"]] = [
        0.3,
        -20.0,
        "behind",
    ]
    text = pace_summary(behind)
    assert "时间过半、任务过半" not in text and "国地两税低于序时进度20.0个百分点。" in text
    assert "Behind time progress (50%): Tax revenue" in pace_summary(behind, lang="en")


@pytest.mark.parametrize(
    ("actual", "decimals", "label", "words"),
    [
        (775, 1, "持平", "与序时进度持平"),  # exactly 50% at H1
        (775.5, 1, "持平", "与序时进度持平"),  # 50.03%, shown as 50.0%
        (777, 1, "超序时", "超序时进度0.1个百分点"),
        (781, 0, "持平", "与序时进度持平"),  # 50.4%, shown as 50%
        (1550, 1, "完成", "已完成全年任务"),  # exactly 100%
        (1550.5, 1, "完成", "已完成全年任务"),  # 100.03%, shown as 100.0%
        (1552, 1, "超额完成", "已超额完成全年任务"),
    ],
)
def test_label_and_sentence_agree_at_the_boundaries(tmp_path, actual, decimals, label, words):
    """The status label in the table and the sentence beside it say the same thing."""
    from bs4 import BeautifulSoup

    from helpers.sections.report import Report
    from tests.tables import INDICATORS, TARGETS, write_tables

    actuals = f"org,indicator,period,value\n甲镇,tax,2013H1,{actual}\n"
    data = write_tables(
        tmp_path / "d", {"indicators": INDICATORS, "targets": TARGETS, "actuals": actuals}
    )
    report = Report.load(data, "甲镇", "2013H1", decimals=decimals)
    sentence = indicator_sentence(report.table.iloc[0], decimals=decimals)
    assert words in sentence, sentence
    page = BeautifulSoup(report.progress_table().body, "html.parser")
    tax = next(tr for tr in page.select("tbody tr") if "国地两税" in tr.get_text())
    assert tax.select_one(".kpi-status").get_text(strip=True) == label


def test_small_counts_read_as_counts():
    """Whole percentages on counts under 10; a count's change as a count; nothing done yet."""
    two = row(
        name="新培育规模以上工业企业",
        unit="户",
        actual=1.0,
        annual_target=2.0,
        completion=0.5,
        gap_pp=0.0,
        status="at_pace",
        prior=NAN,
        yoy=NAN,
    )
    assert (
        indicator_sentence(two) == "新培育规模以上工业企业1户，占全年任务2户的50%，与序时进度持平。"
    )
    accidents = row(
        name="安全生产事故",
        unit="起",
        direction="down",
        actual=0.0,
        annual_target=3.0,
        completion=NAN,
        gap_pp=NAN,
        status="within_cap",
        prior=1.0,
        yoy=-1.0,
    )
    assert (
        indicator_sentence(accidents)
        == "未发生安全生产事故，控制在年度控制数3起以内，同比减少1起。"
    )
    none_yet = row(
        name="引进亿元以上项目",
        unit="个",
        actual=0.0,
        annual_target=1.0,
        completion=0.0,
        gap_pp=-50.0,
        status="far_behind",
        prior=NAN,
        yoy=NAN,
    )
    assert indicator_sentence(none_yet) == "引进亿元以上项目全年任务1个，上半年尚未完成。"
    big = row(name="新增就业", unit="人", actual=120.0, annual_target=300.0, completion=0.4)
    assert "的40.0%" in indicator_sentence(big, decimals=1)  # 300 is not a small count


@pytest.mark.parametrize(
    ("actual", "status", "zh", "en"),
    [
        (0.0, "within_cap", "未发生重大安全生产事故，实现年度零发生目标。", "within the zero cap"),
        (1.0, "over_cap", "重大安全生产事故1起，未实现年度零发生目标。", "over the zero cap"),
    ],
)
def test_a_cap_of_zero_reads_as_none_happened(actual, status, zh, en):
    accidents = row(
        name="重大安全生产事故",
        unit="起",
        direction="down",
        actual=actual,
        annual_target=0.0,
        completion=NAN,
        gap_pp=NAN,
        status=status,
        prior=NAN,
        yoy=NAN,
    )
    assert indicator_sentence(accidents) == zh  # not 控制在年度控制数0起以内
    assert en in indicator_sentence(accidents, lang="en")


def test_a_long_list_of_lagging_indicators_names_the_furthest_then_counts():
    ds = load_dataset()
    table = progress_table(ds, ds.latest_period(), ds.org_list[0]).copy()
    growth = (table["measure"] == "cumulative") & (table["direction"] == "up")
    growth &= table["completion"].notna()
    table.loc[growth, "completion"] = 0.2
    table.loc[growth, "gap_pp"] = [-30.0 - i for i in range(int(growth.sum()))]
    table.loc[growth, "status"] = "far_behind"
    first = table.index[growth][0]  # one on pace, the rest behind
    table.loc[first, ["completion", "gap_pp", "status"]] = [0.6, 10.0, "ahead"]
    text = pace_summary(table)
    n = int(growth.sum()) - 1
    names = list(table.loc[growth].sort_values("gap_pp")["name"][:5])
    # the five furthest named (one status: together, worst first), then how close the rest are
    assert n > 5 and text.endswith(
        f"，其余{n - 5}项与序时进度的差距均不超过{30 + n - 5}.0个百分点。"
    )
    assert f"按序时进度考核的{n + 1}项指标中，1项达到或超过序时进度；" in text
    assert f"{'、'.join(names)}分别低于序时进度{30 + n}.0、{29 + n}.0、" in text
    # all behind: said once, the furthest named, no 等N项 after "all"
    table.loc[first, ["completion", "gap_pp", "status"]] = [0.2, -29.0, "far_behind"]
    text = pace_summary(table)
    assert f"按序时进度考核的{n + 1}项指标均低于序时进度；" in text
    assert f"{'、'.join(names)}分别低于序时进度" in text and "其余" in text


def test_english_amounts_from_a_thousand_million_are_billions():
    """English writes 8.65 billion yuan, never 8651 million; small sums in yuan."""
    assert amount(86.51, "亿元", 2, "en") == "8.65 billion yuan"  # the district's 规模工业产值
    assert amount(99999.6, "万元", 0, "en") == "1 billion yuan"  # rounds to 1,000 million
    assert amount(99990, "万元", 0, "en") == "999.9 million yuan"
    assert amount(5, "万元", 0, "en") == "50,000 yuan"  # not 0.05 million yuan


def test_english_units_are_singular_for_one():
    assert amount(1, "次", 0, "en") == "1 session"
    assert amount(1, "人", 0, "en") == "1 person" and amount(2, "人", 0, "en") == "2 people"
    assert amount(1, "项目", 0, "en") == "1 project"
    assert amount(1, "项", 0, "en") == "1"  # a bare count has no word, not "1 项"
    training = row(
        name_en="Training sessions",
        unit="次",
        actual=3.0,
        annual_target=8.0,
        completion=3 / 8,
        gap_pp=-12.5,
        status="behind",
        prior=2.0,
        yoy=0.5,
    )
    assert indicator_sentence(training, lang="en") == (
        "Training sessions: 3 sessions, 38% of the annual target of 8 sessions, "
        "13 percentage points behind time progress, 1 more session than a year earlier."
    )
    fewer = dict(training, actual=1.0, prior=3.0)
    assert indicator_sentence(fewer, lang="en").startswith("Training sessions: 1 session,")
    assert indicator_sentence(fewer, lang="en").endswith(", 2 fewer sessions than a year earlier.")


def _flows(tmp_path, period: str, values: dict[str, float]) -> object:
    """Three flows (targets 1000) and a stock (target 100, figure 80) for 甲镇 at ``period``."""
    from tests.tables import write_tables

    indicators = (
        "indicator,name,name_en,sector,unit,direction,measure,decimals\n"
        + "".join(
            f"{i},{n},{e},综合,万元,up,cumulative,1\n"
            for i, n, e in (
                ("a", "国地两税", "Tax"),
                ("b", "固定资产投资", "Investment"),
                ("c", "招商引资", "Funds"),
            )
        )
        + "s,在建面积,Housing,城镇化,平方米,up,level,0\n"
    )
    targets = (
        "org,indicator,period,target\n"
        + "".join(f"甲镇,{i},2013,1000\n" for i in "abc")
        + "甲镇,s,2013,100\n"
    )
    actuals = (
        "org,indicator,period,value\n"
        + "".join(f"甲镇,{i},{period},{v}\n" for i, v in values.items())
        + f"甲镇,s,{period},80\n"
    )
    folder = write_tables(
        tmp_path / period, {"indicators": indicators, "targets": targets, "actuals": actuals}
    )
    return progress_table(load_dataset(folder), period, "甲镇")


def test_the_year_end_summary_counts_annual_targets_not_time(tmp_path):
    """At the year end (1–12月) the flows are counted as 完成全年任务 or not, never against a
    序时进度 of 100%."""
    t = _flows(tmp_path, "2013H2", {"a": 1200, "b": 800, "c": 0})
    assert pace_summary(t) == (
        "按全年任务考核的3项指标中，1项完成全年任务；"
        "其余1项存量、比率和控制类指标未达标。"
        "招商引资全年未实现零的突破，固定资产投资只完成全年任务的80.0%。"
    )
    assert pace_summary(t, lang="en").endswith("Short of the annual target: Funds, Investment.")
    # the label beside each figure says the same: short of the year's target, not behind time
    labels = dict(zip(t["indicator"], map(status_label, t["status"])))
    assert labels == {"a": "超额完成", "b": "未达目标", "c": "未达目标", "s": "未达目标"}
    sentences = " ".join(indicator_sentence(r) for r in t.to_dict("records"))
    assert "序时进度" not in sentences and "滞后" not in sentences
    half = _flows(tmp_path, "2013H1", {"a": 600, "b": 400, "c": 0})  # mid-year: behind time
    assert dict(zip(half["indicator"], map(status_label, half["status"])))["b"] == "略滞后"
    done = _flows(tmp_path, "2013H2", {"a": 1200, "b": 1000, "c": 1000})
    assert pace_summary(done).startswith("按全年任务考核的3项指标均完成全年任务；")
    assert "序时进度" not in pace_summary(done)


def test_all_on_pace_or_all_behind_is_said_once(tmp_path):
    """均达到或超过序时进度 / 均低于序时进度, never 3项中3项 or 0项达到."""
    ahead = _flows(tmp_path, "2013H1", {"a": 600, "b": 500, "c": 700})
    assert pace_summary(ahead).startswith(
        "按序时进度考核的3项指标均达到或超过序时进度；其余1项存量、比率和控制类指标未达标。"
        "各项增长指标均实现“时间过半、任务过半”。"
    )
    assert pace_summary(ahead, lang="en").startswith(
        "All 3 indicators judged against time progress are on or ahead of pace."
    )
    behind = _flows(tmp_path, "2013H1", {"a": 400, "b": 300, "c": 450})
    assert pace_summary(behind) == (
        "按序时进度考核的3项指标均低于序时进度；其余1项存量、比率和控制类指标未达标。"
        "固定资产投资低于序时进度20.0个百分点，国地两税、招商引资分别低于10.0、5.0个百分点。"
    )


def test_a_figure_shown_at_pace_is_not_listed_behind(tmp_path):
    """499.96 of 1000 is shown as 50.0%: 持平 in the table, so never in the 低于序时进度 list
    (the list follows the status, not the unrounded ratio)."""
    t = _flows(tmp_path, "2013H1", {"a": 499.96, "b": 300, "c": 700})
    text = pace_summary(t)
    assert "国地两税" not in text
    assert "固定资产投资低于序时进度20.0个百分点。" in text
