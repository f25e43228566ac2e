"""The district report's sections, checked against the metrics they show (data/district-demo)."""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from helpers.base.resources import data_dir
from helpers.data.dataset import load_dataset
from helpers.data.numbers import format_number, round_half_up
from helpers.data.periods import period_label
from helpers.document import narrative
from helpers.metrics.district import behind_frame, on_pace_counts, spread_indicators
from helpers.metrics.progress import behind_pace, progress_table
from helpers.metrics.status import BEHIND, SHORTFALL, rank_text, status_label
from helpers.sections.district import (
    District,
    change_text,
    indicator_chunks,
)
from helpers.sections.titles import district_title
from tests.pages import bold_selectors, unknown_bold_selectors
from tests.tables import ACTUALS, INDICATORS, TARGETS, write_tables

SECTIONS = ("title", "totals", "ranking", "matrix", "behind", "spread", "data_notes")
EVIL = "<script>alert(1)</script>"
_VOID = {"br", "img", "hr", "meta", "link", "input", "col", "wbr", "source"}


@pytest.fixture(scope="module")
def h1() -> District:
    return District.load(data_dir("district-demo"), "2013H1")


@pytest.fixture(scope="module")
def blocks(h1: District) -> dict[str, str]:
    return {name: getattr(h1, name)().body for name in SECTIONS}


class _Balance(HTMLParser):
    """Fails on a closing tag that closes nothing open, and remembers what stays open."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):  # <img .../>: opens and closes nothing
        assert tag in _VOID, f"<{tag}/> is not a void element"

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()


def assert_well_formed(body: str) -> None:
    parser = _Balance()
    parser.feed(body)
    parser.close()
    assert parser.stack == [], f"unclosed tags {parser.stack}"
    assert BeautifulSoup(body, "html.parser").find("script") is None


# --------------------------------------------------------------------------- title


def test_title_names_district_and_period(h1):
    assert district_title(h1.ds, "2013H1") == "示范区2013年上半年乡镇工作进度汇总报告"
    english = district_title(h1.ds, "2013H1", "en")
    assert english.startswith("Shifan District: ") and "示范区" not in english  # orgs.parent_en
    assert period_label("2013H1", "en") in district_title(h1.ds, "2013H1", "en")


def test_load_defaults_to_demo_and_latest_period():
    d = District.load()
    ds = load_dataset(data_dir("district-demo"))
    assert d.period == ds.latest_period()
    assert d.ds.org_list == ds.org_list


# --------------------------------------------------------------------------- totals


def test_totals_are_sums_of_the_towns(h1):
    table = h1.table
    assert len(h1.totals_table)
    for r in h1.totals_table.to_dict("records"):
        towns = table[table["indicator"] == r["indicator"]]
        assert r["actual"] == pytest.approx(towns["actual"].sum())
        both = towns[towns["actual"].notna() & towns["annual_target"].notna()]
        assert r["annual_target"] == pytest.approx(both["annual_target"].sum())
        if r["direction"] != "down":
            assert r["completion"] == pytest.approx(
                both["actual"].sum() / both["annual_target"].sum()
            )


def test_totals_table_shows_the_sums(h1, blocks):
    soup = BeautifulSoup(blocks["totals"], "html.parser")
    rows = {
        tr.find("th").get_text(): [td.get_text() for td in tr.find_all("td")]
        for tr in soup.select("table.kpi-table tbody tr")
        if tr.find("td")
    }
    tax = h1.totals_table.set_index("indicator").loc["tax"]
    assert format_number(tax["actual"], 0) in rows[tax["name"]]
    assert format_number(tax["annual_target"], 0) in rows[tax["name"]]
    assert h1.ds.district in soup.find("caption").get_text()


def test_totals_growth_is_like_for_like(h1):
    """A town with no figure last year must not inflate the district's growth."""
    table = h1.table
    missing = table[table["actual"].notna() & table["prior"].isna() & (table["measure"] != "rate")]
    assert len(missing), "the demo data has a town without last year's figure"
    ind = missing.iloc[0]["indicator"]
    towns = table[(table["indicator"] == ind) & table["actual"].notna() & table["prior"].notna()]
    row = h1.totals_table.set_index("indicator").loc[ind]
    assert row["yoy"] == pytest.approx(towns["actual"].sum() / towns["prior"].sum() - 1)
    assert row["yoy_orgs"] == len(towns) < row["orgs"]
    naive = table.loc[table["indicator"] == ind, "actual"].sum() / towns["prior"].sum() - 1
    assert row["yoy"] != pytest.approx(naive)


def test_totals_sentence_counts_and_towns(h1, blocks):
    text = BeautifulSoup(blocks["totals"], "html.parser").get_text()
    counts = on_pace_counts(h1.table)
    share = counts["on_pace"] / counts["judged"]
    best = share.idxmax()
    assert counts.at[best, "on_pace"] == counts.at[best, "judged"] == 25
    assert f"达到序时进度或目标最多的是{best}（25项全部达到）" in text
    worst = list(share[share == share.min()].index)
    # fewest by the share shown (2 of 25 and 2 of 24 are both 8%), each with its own counts
    assert f"最少的是{'、'.join(worst)}（均为25项中2项）、兴寺镇（24项中2项）。" in text
    # the opening names the district and runs into the figures, as an office writes it
    assert (
        "截至6月底，示范区12个乡镇（街道）合计完成国地两税1.17亿元，占全年任务2.59亿元的45.2%"
        in text
    )
    assert "合计数与各乡镇目标之和相比" not in text


# --------------------------------------------------------------------------- ranking


def _rank_grid(body: str) -> dict[tuple[str, str], str]:
    """(town, indicator name) → cell text, from every rank table of the block."""
    grid = {}
    for table in BeautifulSoup(body, "html.parser").select("table.kb-rank"):
        names = [th.get_text() for th in table.select("thead th.kb-ind")]
        for tr in table.select("tbody tr"):
            town = tr.find("th").get_text()
            cells = tr.find_all("td")[1:]  # the first is 达序时
            assert len(cells) == len(names)
            for name, td in zip(names, cells):
                grid[(town, name)] = td.get_text()
    return grid


def test_ranks_are_competition_ranks_with_ties_as_binglie(h1, blocks):
    table = h1.table
    grid = _rank_grid(blocks["ranking"])
    tied_any = False
    for ind, group in table.groupby("indicator"):
        ranks = sorted(group["rank"].dropna())
        # 1, 2, 2, 4: each rank is one more than the number of towns ranked above it
        assert ranks == [1 + sum(x < r for x in ranks) for r in ranks], ind
        assert not ranks or max(ranks) <= len(ranks)
        for r in group.itertuples(index=False):
            text = grid[(r.org, r.name)]
            if math.isnan(r.rank):
                assert text == "—"
            elif r.rank_tied:
                tied_any = True
                assert text.startswith(f"并列{int(r.rank)}")
            else:
                assert text.removesuffix(change_text(r.rank_change)) == str(int(r.rank))
    assert tied_any, "the demo data has ties"


def test_rank_table_shows_rank_tie_and_change(h1, blocks):
    grid = _rank_grid(blocks["ranking"])
    table = h1.table
    assert len(grid) == len(h1.ds.org_list) * table["indicator"].nunique()
    changed = 0
    for r in table.itertuples(index=False):
        text = grid[(r.org, r.name)]
        expected = (
            rank_text(r.rank, bool(r.rank_tied)) + change_text(r.rank_change)
            if not math.isnan(r.rank)
            else "—"
        )
        assert text == expected
        changed += bool(change_text(r.rank_change)) and not math.isnan(r.rank)
    assert changed, "the demo data has rank changes against 2012H2"
    foot = BeautifulSoup(blocks["ranking"], "html.parser").select_one("p.kb-foot").get_text()
    assert period_label("2012H2") in foot and "并列" in foot


def test_rank_change_text():
    assert change_text(2.0) == "↑2"
    assert change_text(-1.0) == "↓1"
    assert change_text(0.0) == "" and change_text(float("nan")) == ""
    assert rank_text(2.0, True) == "并列2" and rank_text(2.0, True, "en") == "=2"
    assert rank_text(float("nan"), False) == "—"


def test_first_period_has_no_rank_change():
    d = District.load(data_dir("district-demo"), "2012H1")
    assert d.table["rank_change"].isna().all()
    assert "↑" not in d.ranking().body and "↓" not in d.ranking().body


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=20), min_size=1, max_size=9),
    st.integers(min_value=3, max_value=14),
)
def test_indicator_chunks_cover_everything_in_few_even_groups(sizes, limit):
    rows = []
    for s, size in enumerate(sizes):
        rows += [
            {"indicator": f"s{s}i{i}", "sector": f"sector{s}", "order": len(rows)}
            for i in range(size)
        ]
    table = pd.DataFrame(rows)
    chunks = indicator_chunks(table, limit)
    flat = [i for c in chunks for i in c]
    assert flat == list(table["indicator"])
    assert all(0 < len(c) <= limit for c in chunks)
    pieces = [min(limit, size - k) for size in sizes for k in range(0, size, limit)]
    greedy, current = 0, limit + 1  # the fewest groups, packing whole pieces in order
    for p in pieces:
        if current + p > limit:
            greedy, current = greedy + 1, 0
        current += p
    assert len(chunks) == greedy
    for c in chunks:  # a sector no longer than the limit is never split
        for s, size in enumerate(sizes):
            inside = sum(i.startswith(f"s{s}i") for i in c)
            assert size > limit or inside in (0, size)


# --------------------------------------------------------------------------- matrix


def test_matrix_labels_every_cell(h1, blocks):
    figures = h1.matrix_figures()
    assert figures and all(isinstance(f, Figure) for f in figures)
    chunks = indicator_chunks(h1.table)
    assert len(figures) == len(chunks)
    for fig, ids in zip(figures, chunks):
        rows = h1.table[h1.table["indicator"].isin(ids)]
        labels = [t.get_text() for t in fig.findobj(lambda a: a.get_gid() == "cell_label")]
        assert len(labels) == len(h1.ds.org_list) * len(ids)
        assert all(labels)
        assert labels.count("—") == len(labels) - len(rows)  # — only where a town has no row
    assert BeautifulSoup(blocks["matrix"], "html.parser").find_all("img", src=True)


# --------------------------------------------------------------------------- behind


def test_behind_list_matches_progress_table(h1):
    table = h1.table
    frame = behind_frame(table, h1.totals_table)
    listed = {
        (ind, org)
        for ind, items in zip(frame["indicator"], frame["behind"])
        for _, org, *_ in items
    }
    expected = set(zip(behind_pace(table)["indicator"], behind_pace(table)["org"]))
    assert listed == expected
    status = {(o, i): s for o, i, s in zip(table["org"], table["indicator"], table["status"])}
    for ind, items, count in zip(frame["indicator"], frame["behind"], frame["towns"]):
        assert count == len(items)
        assert all(status[(org, ind)] == s for s, org, *_ in items)
        order = [(SHORTFALL.index(s), gap) for s, _, gap, *_ in items]
        for (a_sev, a_gap), (b_sev, b_gap) in zip(order, order[1:]):  # worst first
            assert a_sev < b_sev or (a_sev == b_sev and (math.isnan(b_gap) or a_gap <= b_gap))
    over = [any(s == "over_cap" for s, *_ in items) for items in frame["behind"]]
    assert over == sorted(over, reverse=True)  # indicators with a town over its cap first
    gaps = [g for g, o in zip(frame["district_gap"], over) if not o and not math.isnan(g)]
    assert gaps == sorted(gaps)


def test_behind_block_shows_towns_and_gaps(h1, blocks):
    soup = BeautifulSoup(blocks["behind"], "html.parser")
    rows = {
        tr.find("th").get_text(): tr.find_all("td")[-1].get_text()
        for tr in soup.select("table.kb-behind tbody tr")
    }
    worst = behind_pace(h1.table)
    worst = worst[worst["gap_pp"].notna() & worst["status"].isin(BEHIND)].iloc[0]
    # a count indicator's whole list in whole points when any of its towns counts under 10
    places = min(
        narrative.percent_places(r, 1)
        for r in h1.table.to_dict("records")
        if r["indicator"] == worst["indicator"] and r["status"] in BEHIND
    )
    gap = f"{abs(round_half_up(worst['gap_pp'], places)):.{places}f}"
    assert f"{worst['org']}（\u2212{gap}）" in rows[worst["name"]]
    assert status_label(worst["status"]) in rows[worst["name"]]
    capped = h1.table[h1.table["status"] == "over_cap"]
    for r in capped.itertuples(index=False):
        assert r.org in rows[r.name] and "超出控制数" in rows[r.name]


def test_a_stock_short_of_its_target_is_listed_as_below_target_never_behind(h1, blocks):
    """在建面积 (a ``level`` indicator) is judged against its target alone: the behind list
    groups its towns under 未达目标 with their share of the target, never 严重滞后 with a gap
    to time progress; English says Below target."""
    frame = behind_frame(h1.table, h1.totals_table).set_index("indicator")
    items = frame.loc["resettle_area", "behind"]
    assert items and {s for s, *_ in items} == {"below_target"}
    soup = BeautifulSoup(blocks["behind"], "html.parser")
    rows = {
        tr.find("th").get_text(): tr.find_all("td")[-1].get_text()
        for tr in soup.select("table.kb-behind tbody tr")
    }
    text = rows["农民集中居住区在建面积"]
    first = h1.table.set_index(["org", "indicator"]).loc[(items[0][1], "resettle_area")]
    share = f"{round_half_up(first['completion'] * 100, 1):.1f}%"
    assert text.startswith(f"未达目标：{items[0][1]}（占目标{share}）、")
    assert "滞后" not in text and "\u2212" not in text
    caption = soup.select_one("table.kb-behind caption").get_text()
    assert caption == "滞后于序时进度、未达目标或超出控制数的指标及乡镇"
    en = District(h1.ds, h1.period, lang="en", table=h1.table, totals_table=h1.totals_table)
    en_rows = BeautifulSoup(en.behind().body, "html.parser")
    cells = {
        tr.find("th").get_text(): tr.find_all("td")[-1].get_text()
        for tr in en_rows.select("table.kb-behind tbody tr")
    }
    assert cells["Farmers' resettlement housing under construction"].startswith("Below target: ")
    assert "% of target)" in cells["Farmers' resettlement housing under construction"]


# --------------------------------------------------------------------------- spread, notes


def test_spread_draws_the_widest_headline_indicators(h1, blocks):
    ids = spread_indicators(h1.table, 4)
    assert 0 < len(ids) <= 4
    heads = h1.table[h1.table["sector"] == "综合"]
    assert set(ids) <= set(heads["indicator"])
    iqr = heads.groupby("indicator")["basis_ratio"].quantile(0.75) - heads.groupby("indicator")[
        "basis_ratio"
    ].quantile(0.25)
    left_out = iqr.drop(ids)
    assert left_out.empty or left_out.max() <= iqr[ids].min()
    assert len(BeautifulSoup(blocks["spread"], "html.parser").find_all("img")) == len(ids)
    assert len(BeautifulSoup(h1.spread(["tax"]).body, "html.parser").find_all("img")) == 1


def test_data_notes_name_estimates_and_missing_targets(h1, blocks):
    text = BeautifulSoup(blocks["data_notes"], "html.parser").get_text()
    estimates = h1.table[h1.table["data_status"] == "预计"]
    assert len(estimates)
    for org in estimates["org"].unique():
        assert org in text
    for r in h1.table[h1.table["status"] == "no_target"].itertuples(index=False):
        assert r.name in text and r.org in text
    assert "矛盾纠纷调处成功率" in text  # the rate left out of the totals is named


# --------------------------------------------------------------------------- HTML safety


def test_every_block_is_well_formed_without_script(blocks):
    for name, body in blocks.items():
        assert body, name
        assert_well_formed(body)


def test_english_blocks(h1):
    en = District(h1.ds, h1.period, "en", 1, h1.table, h1.totals_table)
    for name in ("title", "ranking", "behind", "data_notes"):  # the charts are the charts module's
        assert_well_formed(getattr(en, name)().body)
    assert en.title().body.count(h1.ds.district_name("en")) == 1
    assert h1.ds.district not in en.title().body
    assert "并列" not in en.ranking().body
    assert "Far behind" in en.behind().body


def test_town_names_are_escaped(tmp_path: Path):
    data = write_tables(
        tmp_path / "evil",
        {
            "indicators": INDICATORS,
            "targets": TARGETS.replace("乙镇", EVIL),
            "actuals": ACTUALS.replace("乙镇", EVIL),
        },
    )
    d = District.load(data)
    assert EVIL in d.ds.org_list
    seen = 0
    for name in SECTIONS:
        body = getattr(d, name)().body
        assert_well_formed(body)
        seen += EVIL in BeautifulSoup(body, "html.parser").get_text()
    assert seen >= 2  # the name is shown, as text, in the rank and behind tables at least


def test_one_town_data_set_still_reports():
    d = District.load(Path(data_dir("district-demo")).parent / "sample")
    for name in SECTIONS:
        assert_well_formed(getattr(d, name)().body)
    assert len(progress_table(d.ds, d.period)["org"].unique()) == 1


def test_a_town_without_figures_is_named_not_reported_and_left_out(tmp_path):
    """丙镇 is in orgs.csv but sent no figure for 2013H1: 未报送, not a row of 无数据."""
    orgs = "org,name\n甲镇,甲镇\n乙镇,乙镇\n丙镇,丙镇\n"
    data = write_tables(
        tmp_path / "u",
        {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS, "orgs": orgs},
    )
    district = District.load(data, "2013H1")
    assert district.unreported == ["丙镇"]
    assert "丙镇" not in set(district.table["org"])
    page = BeautifulSoup(str(district.title()), "html.parser").get_text()
    assert "2个乡镇（街道）" in page
    assert "未报送：丙镇（1个乡镇，本期无任何数据，未列入汇总和排名）" in page
    ranks = BeautifulSoup(str(district.ranking()), "html.parser").get_text()
    assert "丙镇" not in ranks


def test_the_pace_sentence_ranks_only_flows_behind_time(h1):
    """在建面积 (a stock at 74.5% of its target) is short of its target, not behind time: the
    totals' sentence names the flows furthest behind time progress only."""
    zh = h1._pace_sentence()
    assert "农民集中居住区在建面积" not in zh
    assert zh.startswith(
        "全区合计中，按序时进度考核的21项指标均低于序时进度，"
        "其余3项存量和控制类指标有2项达到目标或控制在控制数以内；"
    )
    assert "低于序时进度最多的是规模林下养鸡户（12.2个百分点）、新培育限额以上服务业企业" in zh
    en = District.load(data_dir("district-demo"), "2013H1", lang="en")._pace_sentence()
    assert "Farmers' resettlement housing" not in en
    assert "furthest behind: Large-scale under-forest poultry farms (12.2 pp behind)" in en
    assert en.startswith("All 21 district totals judged against time progress are behind it; ")


def test_english_district_names_towns_and_sectors_in_english():
    en = District.load(data_dir("district-demo"), "2013H1", lang="en")
    text = BeautifulSoup(en.totals().body, "html.parser").get_text()
    assert "Most indicators on pace or on target: Nanxing Town (all 25)" in text
    assert (
        "fewest: Baomiao Subdistrict, Yongshan Town, Xinchang Town (2 of 25 each), "
        "Xingsi Town (2 of 24)." in text
    )
    assert en._sector_name("综治稳定") == "Public order and stability"
    towns = BeautifulSoup(en.ranking().body, "html.parser").select("th.kb-town")
    assert "Nanxing Town" in {th.get_text() for th in towns}
    zh = BeautifulSoup(
        District.load(data_dir("district-demo"), "2013H1").ranking().body, "html.parser"
    )
    assert "南兴镇" in {th.get_text() for th in zh.select("th.kb-town")}


def test_the_english_rank_footnote_says_competition_ranks():
    en = District.load(data_dir("district-demo"), "2013H1", lang="en")
    text = BeautifulSoup(en.ranking().body, "html.parser").get_text()
    assert "Competition ranks among the townships" in text and "(1, 2, 2, 4)" in text
    assert "Dense" not in text


def test_every_bold_style_of_the_district_page_is_known_to_the_page_font(blocks):
    """The page's Bold face holds the text of the elements kpibook knows as bold
    (helpers.output.fonts): a district style that bolds anything else would lose glyphs."""
    page = "".join(blocks.values())
    assert bold_selectors(page)
    assert unknown_bold_selectors(page) == []


#: A half-width mark touching a Chinese character: what a Chinese text must not contain.
HALF_WIDTH = re.compile(r"[\u4e00-\u9fff][,;:()!?]|[,;:()!?][\u4e00-\u9fff]")


def test_chinese_district_text_has_full_width_punctuation(h1, blocks):
    """Every sentence, label, caption and table cell of the district report: ，（）：； between
    Chinese characters (the behind list once wrote 宝庙街道(−66.9), the notes 产值(新场镇))."""
    for name, body in blocks.items():
        text = BeautifulSoup(body, "html.parser").get_text("\n")
        assert not HALF_WIDTH.findall(text), (name, HALF_WIDTH.findall(text)[:5])
    rows = BeautifulSoup(blocks["behind"], "html.parser").select("table.kb-behind tbody td")
    assert any("（" in td.get_text() and "）" in td.get_text() for td in rows)


def test_the_english_district_report_has_no_chinese_but_data_warnings(h1):
    """Title, opening, ranks, matrices' captions, behind list and notes in English: towns by
    their name_en, the district by its parent_en (the 预计数 note once listed 新场镇)."""
    en = District(h1.ds, h1.period, "en", 1, h1.table, h1.totals_table)
    for name in SECTIONS:
        text = BeautifulSoup(getattr(en, name)().body, "html.parser").get_text(" ")
        assert not re.findall(r"[\u4e00-\u9fff]+", text), (
            name,
            re.findall(r"[\u4e00-\u9fff]+", text)[:5],
        )
    notes = BeautifulSoup(en.data_notes().body, "html.parser").get_text(" ")
    assert "Estimates: Output of industry above designated size (" in notes


def test_at_the_year_end_the_district_counts_annual_targets_not_time():
    """1–12月: the totals are counted as 完成全年任务 or not; no 序时进度 in the pace sentence."""
    for lang, done, short in (
        ("zh", "按全年任务考核的", "完成全年任务的"),
        ("en", "judged against the annual target", "of the annual target"),
    ):
        year = District.load(data_dir("district-demo"), "2013H2", lang=lang)
        text = BeautifulSoup(year.totals().body, "html.parser").find_all("p")[1].get_text()
        assert done in text and short in text, text
        assert "序时" not in text and "time progress" not in text, text
