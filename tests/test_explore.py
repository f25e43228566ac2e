"""The analyst's helpers: load, filter, compare, show and draw, against the progress table."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from matplotlib.figure import Figure

from helpers.base.resources import data_dir
from helpers.data.dataset import load_dataset
from helpers.data.numbers import round_half_up
from helpers.data.periods import parse_period
from helpers.errors import DataErrors, PeriodError, UnknownKeyError, UsageError
from helpers.metrics.progress import progress_table
from helpers.metrics.status import STATUS, status_label
from helpers.sections import explore
from tests.tables import ONE_SECTOR, ROOT, SAMPLE, write_tables


@pytest.fixture(scope="module")
def loaded():
    return explore.load(data_dir("district-demo"), "2013H1")


def test_load_defaults_to_demo_latest():
    ds, table = explore.load()
    assert ds.path.resolve() == data_dir("district-demo").resolve()
    assert set(table["period"]) == {ds.latest_period()}
    assert set(table["org"]) == set(ds.org_list)


def test_catalogue_lists_every_indicator_under_chinese_headers(loaded):
    ds, _ = loaded
    head, rows = _cells(explore.catalogue(ds))
    assert head[:5] == ["代码", "名称", "英文名称", "领域", "单位"][: len(head[:5])]
    assert {"代码", "名称", "领域", "单位", "方向", "类型"} <= set(head)
    col = {h: i for i, h in enumerate(head)}
    assert [r[col["代码"]] for r in rows] == list(ds.indicators.index)
    assert {r[col["方向"]] for r in rows} <= {"正向", "逆向"}
    assert "逆向" in {r[col["方向"]] for r in rows}  # the demo has caps (安全事故)
    assert {r[col["类型"]] for r in rows} <= {"累计", "存量", "比率"}
    soup = BeautifulSoup(explore.catalogue(ds).to_html(), "html.parser")
    assert not soup.select("tbody th")  # no bare row numbers
    assert "direction" in _cells(explore.catalogue(ds, lang="en"))[0]


def test_show_pages_a_long_table(loaded):
    _, t = loaded
    assert len(t) > explore.PAGE_ROWS
    head, first = _cells(explore.show(t))
    assert len(first) == explore.PAGE_ROWS
    pages = -(-len(t) // explore.PAGE_ROWS)
    caption = BeautifulSoup(explore.show(t).to_html(), "html.parser").caption.get_text()
    assert f"共{len(t)}行" in caption and f"第1/{pages}页" in caption and "page=2" in caption
    _, last = _cells(explore.show(t, page=pages))
    assert len(last) == len(t) - (pages - 1) * explore.PAGE_ROWS
    col = head.index("乡镇")
    assert last[-1][col] == t.iloc[-1]["org"]
    assert len(_cells(explore.show(t, rows=None))[1]) == len(t)
    with pytest.raises(UsageError, match=f"没有第{pages + 1}页"):
        explore.show(t, page=pages + 1)
    short = explore.show(t.head(5)).to_html()
    assert "<caption" not in short


def test_show_wraps_names_not_figures(loaded):
    _, t = loaded
    styler = explore.show(t)
    html = styler.to_html()
    head, _ = _cells(styler)
    name, ratio = head.index("指标"), head.index("完成率")
    assert f"td.col{name} {{\n  white-space: normal;" in html
    assert f"td.col{ratio} {{\n  white-space: nowrap;" in html


def test_pick_filters_like_boolean_masks(loaded):
    ds, t = loaded
    got = explore.pick(t, sector="综合", status=["滞后", "far_behind"])
    want = t[(t["sector"] == "综合") & t["status"].isin(["behind", "far_behind"])]
    assert len(got) and got.equals(want.reset_index(drop=True))
    town = ds.org_list[3]
    assert set(explore.pick(t, org=town)["org"]) == {town}
    assert set(explore.pick(t, org=ds.org_name(town), ds=ds)["org"]) == {town}
    by_name = explore.pick(t, indicator="国地两税")
    assert set(by_name["indicator"]) == {"tax"} and len(by_name) == len(ds.org_list)
    assert explore.pick(t, indicator="Tax revenue (national and local)").equals(by_name)


@pytest.mark.parametrize(
    "kwargs", [{"status": "badly"}, {"sector": "太空"}, {"org": "无此镇"}, {"indicator": "nothing"}]
)
def test_pick_rejects_unknown_values_naming_choices(loaded, kwargs):
    _, t = loaded
    with pytest.raises(UnknownKeyError) as err:
        explore.pick(t, **kwargs)
    assert err.value.value == next(iter(kwargs.values()))
    assert "可选" in str(err.value)


def test_resolve_status_accepts_keys_and_labels():
    for key, (zh, en) in STATUS.items():
        assert (
            explore.resolve_status(key)
            == explore.resolve_status(zh)
            == explore.resolve_status(en.upper())
            == key
        )


def test_status_counts_add_up(loaded):
    ds, t = loaded
    counts = explore.status_counts(t)
    assert list(counts.index) == ds.org_list
    assert (
        counts.sum(axis=1).tolist()
        == t.groupby("org", sort=False).size().reindex(ds.org_list).tolist()
    )
    assert set(counts.columns) == {status_label(k) for k in t["status"].unique()}


def test_compare_two_periods(loaded):
    ds, _ = loaded
    frame = explore.compare(ds, "2012H1", "2013H1")
    a, b = progress_table(ds, "2013H1"), progress_table(ds, "2012H1")
    assert len(frame) == len(a)
    assert frame.attrs == {"before": "2012H1", "after": "2013H1"}
    old = b.set_index(["org", "indicator"])
    new = a.set_index(["org", "indicator"])
    for r in frame.to_dict("records"):
        key = (r["org"], r["indicator"])
        for col, src in (("actual", "actual"), ("completion", "completion"), ("rank", "rank")):
            for period, table in (("2012H1", old), ("2013H1", new)):
                value, expected = r[f"{col}_{period}"], table.loc[key, src]
                assert (math.isnan(value) and math.isnan(expected)) or value == pytest.approx(
                    expected
                )
        if not math.isnan(r["change"]):
            assert r["change"] == pytest.approx(r["actual_2013H1"] - r["actual_2012H1"])
        if not math.isnan(r["rank_change"]):
            assert r["rank_change"] == r["rank_2012H1"] - r["rank_2013H1"]
        assert r["status_2013H1"] == new.loc[key, "status"]


def test_compare_defaults_and_filters(loaded):
    ds, _ = loaded
    latest = parse_period(ds.latest_period())
    frame = explore.compare(ds, indicator="tax", org=ds.org_list[:2])
    assert frame.attrs == {"before": str(latest.shifted_years(-1)), "after": str(latest)}
    assert set(frame["indicator"]) == {"tax"} and list(frame["org"]) == ds.org_list[:2]
    with pytest.raises(UsageError):
        explore.compare(ds, "2013H1", "2013H1")
    with pytest.raises(UsageError):
        explore.default_before(ds, "2012H1")  # nothing earlier in the demo data


def _cells(styler) -> tuple[list[str], list[list[str]]]:
    soup = BeautifulSoup(styler.to_html(), "html.parser")
    head = [th.get_text() for th in soup.select("thead th")]
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in soup.select("tbody tr")]
    return head, rows


def test_show_formats_progress_table(loaded):
    _, t = loaded
    head, rows = _cells(explore.show(t, rows=None))
    assert len(rows) == len(t)
    assert {"乡镇", "指标", "完成率", "位次", "状态"} <= set(head)
    col = {h: i for i, h in enumerate(head)}
    tied = t[t["rank_tied"]].index[0]
    assert rows[tied][col["位次"]] == f"并列{int(t.loc[tied, 'rank'])}"
    for i, r in enumerate(t.itertuples(index=False)):
        assert rows[i][col["状态"]] == status_label(r.status)
    first = t.iloc[0]
    assert rows[0][col["完成率"]] == f"{round_half_up(first['completion'] * 100, 1):.1f}%"
    assert "期间目标" not in head or t["period_target"].notna().any()


def test_show_formats_compare(loaded):
    ds, _ = loaded
    frame = explore.compare(ds, "2012H1", "2013H1", org=ds.org_list[0])
    head, rows = _cells(explore.show(frame))
    assert "状态 2013H1" in head and "位次变化" in head and "decimals" not in head
    assert "指标" in head and "indicator" not in head and len(head) == len(frame.columns) - 2
    assert "safety_accidents" not in explore.show(frame).to_html()
    col = {h: i for i, h in enumerate(head)}
    for r, cells in zip(frame.to_dict("records"), rows):
        change = cells[col["增减"]]
        assert change == "—" or change[0] in "+\u22120"
        assert cells[col["状态 2013H1"]] == status_label(r["status_2013H1"])


def test_chart_kinds(loaded):
    ds, t = loaded
    fig = explore.chart(t, "国地两税", kind="rank")
    assert isinstance(fig, Figure)
    bars = explore.chart(t, "safety_accidents", kind="bar")
    labels = [a.get_text() for a in bars.findobj(lambda a: a.get_gid() == "status_label")]
    assert len(labels) == len(ds.org_list)
    rows = t[t["indicator"] == "safety_accidents"]
    assert sorted(label.split()[0] for label in labels) == sorted(
        status_label(s) for s in rows["status"]
    )
    with pytest.raises(UsageError):
        explore.chart(t, "tax", kind="pie")


def test_figures_inline_needs_a_shell():
    assert explore.figures_inline() is False


def test_explore_on_the_sample_data():
    ds, t = explore.load(load_dataset().path)
    assert len(explore.status_counts(t)) == 1
    assert isinstance(explore.show(explore.pick(t, sector=t["sector"].iloc[0])).to_html(), str)
    assert "国地两税" in explore.catalogue(ds).to_html()


# -- explore reads its parameters as report.ipynb does (issue 15: C71-C74, C79) ----------------


@pytest.mark.parametrize("start", ["notebooks", "."])
def test_load_finds_data_where_the_report_notebook_does(start: str, monkeypatch):
    monkeypatch.chdir(ROOT / start)
    ds, table = explore.load(" data/sample ", "2013年1-6月")
    assert ds.path.resolve() == SAMPLE.resolve() and set(table["period"]) == {"2013H1"}


def test_load_lists_where_it_looked(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DataErrors) as caught:
        explore.load("data/没有")
    text = str(caught.value)
    assert "找不到数据，找过（looked in）" in text and str(tmp_path / "data" / "没有") in text


@pytest.mark.parametrize("period, error", [("2014H1", UnknownKeyError), ("abc", PeriodError)])
def test_load_a_period_without_figures_names_the_periods(period: str, error: type):
    with pytest.raises(error) as caught:
        explore.load(data_dir("district-demo"), period)
    assert "2012H1、2012H2、2013H1、2013H2" in str(caught.value)


def test_load_checks_lang_too():
    with pytest.raises(UsageError, match="参数 lang 的值「fr」不对"):
        explore.load(lang="fr")


@pytest.mark.parametrize("before", ["2011H1", "2014年上半年", "abc"])
def test_compare_with_a_period_without_figures_names_the_periods(loaded, before: str):
    ds, _ = loaded
    with pytest.raises((UnknownKeyError, PeriodError)) as caught:
        explore.compare(ds, before=before, after="2013H1")
    assert f"值「{before}」" in str(caught.value) and "2012H1、2012H2、2013H1、2013H2" in str(
        caught.value
    )
    with pytest.raises(UnknownKeyError, match="2012H1、2012H2"):
        explore.compare(ds, before="2012H1", after="2015H1")


def test_one_period_data_set_runs_every_step(tmp_path: Path):
    """A freshly imported sheet: one period, one sector, no English names."""
    ds, table = explore.load(write_tables(tmp_path / "one", ONE_SECTOR))
    head, rows = _cells(explore.catalogue(ds))
    assert "英文名称" not in head and "None" not in str(rows) and "nan" not in str(rows)
    changes = explore.compare(ds)
    assert changes.empty
    caption = BeautifulSoup(explore.show(changes).to_html(), "html.parser").caption.get_text()
    assert (
        caption.startswith("数据中没有可与2013H1比较的更早期间") and "数据只有：2013H1" in caption
    )
    assert explore.chart(table, "国地两税") is not None


def test_catalogue_shows_a_dash_for_a_missing_english_name(tmp_path: Path):
    shutil.copytree(SAMPLE, tmp_path / "s")
    path = tmp_path / "s" / "indicators.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",")
    first[2] = ""
    path.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n", encoding="utf-8")
    head, rows = _cells(explore.catalogue(load_dataset(path.parent)))
    assert rows[0][head.index("英文名称")] == "—" and "None" not in str(rows)


@pytest.mark.parametrize(
    "kwargs, rows",
    [
        ({"org": "示范区永山镇"}, {"org": {"永山镇"}}),
        ({"org": " 永山 镇 "}, {"org": {"永山镇"}}),
        ({"sector": ["综合", "工 业"]}, {"sector": {"综合", "工业"}}),
        ({"sector": "工业 "}, {"sector": {"工业"}}),
        ({"status": " 滞 后 "}, {"status": {"behind"}}),
        ({"indicator": "国地 两税"}, {"indicator": {"tax"}}),
        ({"indicator": "ＴＡＸ"}, {"indicator": {"tax"}}),
    ],
)
def test_filters_accept_full_names_width_and_spaces(loaded, kwargs, rows):
    _, t = loaded
    got = explore.pick(t, **kwargs)
    assert len(got) and all(set(got[col]) == want for col, want in rows.items())


@pytest.mark.parametrize(
    "kwargs, word, nearest",
    [
        ({"sector": "工贸"}, "领域", "工业"),
        ({"org": "宝妙街道"}, "乡镇", "宝庙街道"),
        ({"status": "落后"}, "状态", "滞后"),
        ({"indicator": "税收"}, "指标", "国地两税"),
    ],
)
def test_an_unknown_filter_value_is_chinese_first_nearest_first(loaded, kwargs, word, nearest):
    _, t = loaded
    with pytest.raises(UnknownKeyError) as caught:
        explore.pick(t, **kwargs)
    text = str(caught.value)
    assert f"没有这个{word}；可选（近似的在前）：" in text and text.index(word) < text.index(
        "no such"
    )
    listed = text.split("：", 1)[1].split("、")
    assert nearest in listed[0]
