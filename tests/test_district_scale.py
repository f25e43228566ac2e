"""The district report for hundreds of townships stays readable: its charts show the best and
the worst, never one row per township, and a count by sector covers every township."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from helpers.data.demo import generate_district
from helpers.metrics.district import on_pace_counts
from helpers.sections.district import SUMMARY_ABOVE, SUMMARY_EACH, District

TOWNS = 300
#: the tallest a chart may be (inches): a title, a legend and 2 × SUMMARY_EACH rows
MAX_HEIGHT = 12.0


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> District:
    data = generate_district(tmp_path_factory.mktemp("d300") / "d", towns=TOWNS)
    return District.load(data, "2013H1")


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> District:
    data = generate_district(tmp_path_factory.mktemp("d12") / "d", towns=SUMMARY_ABOVE)
    return District.load(data, "2013H1")


def _rows(fig) -> list[str]:
    """The status matrix's rows (its y tick labels)."""
    return [t.get_text() for t in fig.axes[0].get_yticklabels()]


def test_matrix_shows_the_ends_with_bounded_height(big):
    figures = big.matrix_figures()
    assert figures
    counts = on_pace_counts(big.table)
    share = (counts["on_pace"] / counts["judged"])[counts["judged"] > 0]
    for fig in figures:
        assert fig.get_size_inches()[1] <= MAX_HEIGHT
        rows = _rows(fig)
        assert len(rows) == 2 * SUMMARY_EACH
        top, bottom = rows[:SUMMARY_EACH], rows[SUMMARY_EACH:]
        # the top rows are the best by share on pace, the bottom the worst, none in between
        assert min(share[top]) >= max(share[bottom])
        assert min(share[top]) >= share.quantile(0.9) and max(share[bottom]) <= share.quantile(0.1)
        assert share[top].is_monotonic_decreasing and share[bottom].is_monotonic_decreasing


def test_matrix_counts_every_township_by_sector(big):
    html = BeautifulSoup(big.matrix().body, "html.parser")
    table = html.find("table")
    assert table is not None and str(TOWNS) in table.caption.get_text()
    totals = [int(r.find_all("td")[-1].get_text()) for r in table.tbody.find_all("tr")]
    assert sum(totals) == len(big.table)  # every town × indicator cell, once
    sectors = [r.th.get_text() for r in table.tbody.find_all("tr")]
    assert len(sectors) == big.table["sector"].nunique()
    assert f"共{TOWNS}个乡镇" in html.get_text()


def test_rank_charts_show_first_and_last_by_rank(big):
    block = big.spread()
    assert f"共{TOWNS}个乡镇" in BeautifulSoup(block.body, "html.parser").get_text()
    ind = big.table["indicator"].iloc[0]
    rows = big._rank_ends(big.table[big.table["indicator"] == ind])
    ranked = big.table[(big.table["indicator"] == ind) & big.table["rank"].notna()]
    assert len(rows) == 2 * SUMMARY_EACH
    assert rows["rank"].iloc[0] == ranked["rank"].min()
    assert rows["rank"].iloc[-1] == ranked["rank"].max()  # the last rank among all 300
    from helpers.document import charts

    fig = charts.rank_dots(rows, ind, lang="zh")
    assert fig.get_size_inches()[1] <= MAX_HEIGHT
    assert len(charts.row_names(fig.axes[0])) == 2 * SUMMARY_EACH


def test_ranking_table_keeps_every_township(big):
    html = BeautifulSoup(big.ranking().body, "html.parser")
    first = html.find("table", class_="kb-rank")
    assert len(first.tbody.find_all("tr")) == TOWNS


def test_up_to_the_threshold_every_township_is_drawn(small):
    for fig in small.matrix_figures():
        assert len(_rows(fig)) == SUMMARY_ABOVE
    assert "共" not in BeautifulSoup(small.matrix().body, "html.parser").get_text()
    ind = small.table["indicator"].iloc[0]
    rows = small.table[small.table["indicator"] == ind]
    assert small._rank_ends(rows) is rows


def test_english_summary(big):
    en = District(
        big.ds, big.period, "en", big.decimals, big.table, big.totals_table, big.unreported
    )
    text = BeautifulSoup(en.matrix().body, "html.parser").get_text()
    assert f"{TOWNS} townships" in text and "Sector" in text
