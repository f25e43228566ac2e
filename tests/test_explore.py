"""The analyst's helpers: load, filter, compare, show and draw, against the progress table."""

from __future__ import annotations

import math

import pytest
from bs4 import BeautifulSoup
from matplotlib.figure import Figure

from helpers.base.resources import data_dir
from helpers.data.dataset import load_dataset
from helpers.data.numbers import round_half_up
from helpers.data.periods import parse_period
from helpers.errors import UnknownKeyError, UsageError
from helpers.metrics.progress import progress_table
from helpers.metrics.status import STATUS, status_label
from helpers.sections import explore


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
