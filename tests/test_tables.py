"""The report's tables: display frame, escaped HTML and the .xlsx read back with openpyxl."""

from __future__ import annotations

import math
import re

import openpyxl
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from helpers.base.missing import NONE
from helpers.data.dataset import load_dataset
from helpers.data.numbers import MINUS
from helpers.document.tables import (
    chinese_ordinal,
    figure_decimals,
    progress_caption,
    progress_frame,
    progress_html,
    progress_layout,
    projects_frame,
    projects_html,
    sector_label,
)
from helpers.document.xlsx import write_progress_xlsx
from helpers.errors import UsageError
from helpers.metrics.progress import district_totals, progress_table
from helpers.metrics.status import STATUS, status_label
from tests.tables import ACTUALS, INDICATORS, TARGETS, write_tables

NAME, UNIT, ANNUAL, ACTUAL, RATE, PACE, GAP, YOY, RANK, STATUS_COL, NOTE = (
    "指标",
    "单位",
    "全年目标",
    "1-6月累计",
    "完成率",
    "序时进度",
    "超（欠）序时",
    "同比±",
    "位次",
    "状态",
    "备注",
)


@pytest.fixture
def ds(small_data):
    return load_dataset(small_data)


@pytest.fixture
def table(ds):
    return progress_table(ds, "2013H1", "甲镇")


@pytest.fixture
def frame(table):
    return progress_frame(table)


def rows_by_name(frame: pd.DataFrame, name_col: str = NAME) -> pd.DataFrame:
    kinds = frame.attrs["row_kinds"]
    return frame[[k == "indicator" for k in kinds]].set_index(name_col)


def build(
    tmp_path,
    name="t",
    indicators=INDICATORS,
    targets=TARGETS,
    actuals=ACTUALS,
    period="2013H1",
    org=None,
):
    folder = write_tables(
        tmp_path / name, {"indicators": indicators, "targets": targets, "actuals": actuals}
    )
    return progress_table(load_dataset(folder), period, org)


# --------------------------------------------------------------------------- frame


def test_headers_for_a_half_year_with_period_targets_and_ranks(frame):
    assert list(frame.columns) == [
        NAME,
        UNIT,
        ANNUAL,
        "上半年目标",
        ACTUAL,
        RATE,
        "上半年完成率",
        PACE,
        GAP,
        YOY,
        RANK,
        STATUS_COL,
        NOTE,
    ]


def test_headers_follow_the_period_and_drop_empty_columns(tmp_path):
    q1 = build(
        tmp_path,
        "q1",
        targets=TARGETS.replace("2013H1", "2013Q1"),
        actuals=ACTUALS.replace("2013H1", "2013Q1"),
        period="2013Q1",
    )
    assert {"一季度目标", "1-3月累计", "一季度完成率"} <= set(progress_frame(q1).columns)
    month = build(
        tmp_path,
        "m",
        targets=TARGETS.replace("2013H1", "2013-05"),
        actuals=ACTUALS.replace("2013H1", "2013-05"),
        period="2013-05",
    )
    assert {"期间目标", "1-5月累计"} <= set(progress_frame(month).columns)
    # one org only, no period target: no 上半年目标 and no 位次 columns
    single = build(
        tmp_path,
        "one",
        targets="\n".join(
            line
            for line in TARGETS.splitlines()
            if not line.startswith(("乙镇", "甲镇,fai,2013H1"))
        )
        + "\n",
        actuals="\n".join(line for line in ACTUALS.splitlines() if not line.startswith("乙镇"))
        + "\n",
    )
    columns = list(progress_frame(single).columns)
    assert "上半年目标" not in columns and "上半年完成率" not in columns and RANK not in columns
    assert columns[:3] == [NAME, UNIT, ANNUAL]


def test_sector_rows_in_catalogue_order(frame, ds):
    kinds = frame.attrs["row_kinds"]
    headings = [frame.iloc[i][NAME] for i, k in enumerate(kinds) if k == "sector"]
    sectors = list(dict.fromkeys(ds.indicators.sort_values("order")["sector"]))
    assert headings == [f"{chinese_ordinal(i)}、{s}" for i, s in enumerate(sectors, start=1)]
    assert headings[0] == "一、财税"
    assert kinds[0] == "sector"
    # every indicator sits under its own sector's heading
    current = None
    names = dict(zip(ds.indicators["name"], ds.indicators["sector"]))
    for i, kind in enumerate(kinds):
        cell = frame.iloc[i][NAME]
        if kind == "sector":
            current = cell.split("、", 1)[1]
            assert (frame.iloc[i].drop(NAME) == "").all()
        else:
            assert names[cell] == current
    assert frame.attrs["status"][0] is None


def test_figures_percentages_and_signed_points(frame, table):
    rows = rows_by_name(frame)
    tax, fai = table.set_index("indicator").loc["tax"], table.set_index("indicator").loc["fai"]
    assert rows.loc["社会固定资产投资", ACTUAL] == "6,035"
    assert rows.loc["社会固定资产投资", ANNUAL] == "12,000"  # 1.2亿元 converted to 万元
    assert rows.loc["社会固定资产投资", "上半年目标"] == "5,500"
    assert rows.loc["国地两税", RATE] == "54.7%" == f"{848 / 1550:.1%}"
    assert rows.loc["国地两税", PACE] == "50.0%"
    assert rows.loc["国地两税", GAP] == "+4.7"
    assert rows.loc["国地两税", YOY] == f"+{(tax['actual'] / tax['prior'] - 1) * 100:.1f}%"
    assert rows.loc["社会固定资产投资", "上半年完成率"] == f"{6035 / 5500:.1%}"
    # negative growth keeps its sign, written with a true minus: 同比下降 13.8%
    assert rows.loc["社会固定资产投资", YOY] == f"{MINUS}13.8%"
    assert fai["yoy"] < 0
    # a stock and a rate are compared with their target, never with time (review 13, item 6)
    assert rows.loc["集中居住区", PACE] == rows.loc["集中居住区", GAP] == NONE
    assert rows.loc["集中居住区", RATE] == "80.0%"
    assert rows.loc["城镇化率", PACE] == rows.loc["城镇化率", GAP] == NONE
    assert rows.loc["城镇化率", RATE] == NONE  # 53.5 ÷ 55 means nothing for a rate
    assert rows.loc["城镇化率", STATUS_COL] == "未达目标"
    assert rows.loc["城镇化率", ACTUAL] == "53.5" and rows.loc["城镇化率", UNIT] == "%"


def test_small_counts_get_whole_percentages(tmp_path):
    """新增项目 1 of 2: 50% and +0 in the table, as the sentence says; 亿元 figures keep 1 place."""
    targets = TARGETS.replace("甲镇,new,2013,0,", "甲镇,new,2013,2,")
    data = write_tables(
        tmp_path / "c", {"indicators": INDICATORS, "targets": targets, "actuals": ACTUALS}
    )
    rows = rows_by_name(progress_frame(progress_table(load_dataset(data), "2013H1", "甲镇")))
    assert rows.loc["新增项目", RATE] == "100%"  # 2 of 2
    assert rows.loc["新增项目", GAP] == "+50"
    assert rows.loc["国地两税", RATE] == "54.7%"


def test_no_value_zero_target_and_caps(frame):
    rows = rows_by_name(frame)
    new = rows.loc["新增项目"]  # zero target, no prior year
    assert new[ANNUAL] == "0"
    assert new[RATE] == new[PACE] == new[GAP] == new[YOY] == NONE
    assert new[STATUS_COL] == status_label("no_target")
    assert rows.loc["国地两税", "上半年目标"] == NONE
    acc = rows.loc["安全生产事故"]  # a down indicator: its cap, no completion
    assert acc[ANNUAL] == "控制数3"
    assert acc[RATE] == acc[GAP] == acc[PACE] == NONE
    assert acc[STATUS_COL] == status_label("within_cap")


def test_status_labels_and_estimate_marked(frame, table):
    rows = rows_by_name(frame)
    for rec in table.to_dict("records"):
        assert rows.loc[rec["name"], STATUS_COL] == status_label(rec["status"])
    assert "预计" in rows.loc["社会固定资产投资", NOTE]
    statuses = [s for s in frame.attrs["status"] if s]
    assert statuses == list(table.sort_values("order")["status"])


def test_half_up_rounding_of_ratios_and_gaps(tmp_path):
    # 1093 / 2000 = 0.5465 exactly; the gap is 4.649999999999999 in binary
    t = build(
        tmp_path,
        targets=TARGETS.replace("甲镇,tax,2013,1550", "甲镇,tax,2013,2000"),
        actuals=ACTUALS.replace("甲镇,tax,2013H1,848", "甲镇,tax,2013H1,1093"),
        org="甲镇",
    )
    tax = t.set_index("indicator").loc["tax"]
    assert tax["completion"] == 0.5465 and round(tax["completion"] * 100, 1) == 54.6  # half-even
    rows = rows_by_name(progress_frame(t))
    assert rows.loc["国地两税", RATE] == "54.7%"
    assert rows.loc["国地两税", GAP] == "+4.7"
    assert rows_by_name(progress_frame(t, decimals=0)).loc["国地两税", RATE] == "55%"
    assert rows_by_name(progress_frame(t, decimals=2)).loc["国地两税", RATE] == "54.65%"


def test_reported_yoy_is_marked_and_rate_growth_is_in_points(tmp_path):
    t = build(tmp_path, actuals=ACTUALS + "甲镇,urban,2012H1,50,,,,\n")
    frame = progress_frame(t)
    rows = frame[[k == "indicator" for k in frame.attrs["row_kinds"]]].set_index(["乡镇", NAME])
    assert rows.loc[("乙镇", "国地两税"), YOY] == "+12.5%*"
    assert rows.loc[("甲镇", "城镇化率"), YOY] == "+3.5个百分点"


def test_ranks_are_competition_ranks_with_ties_and_none(tmp_path):
    t = build(
        tmp_path,
        targets=TARGETS + "丙镇,tax,2013,1000,\n",
        actuals=ACTUALS + "丙镇,tax,2013H1,400,,,,\n",
    )
    frame = progress_frame(t)
    assert list(frame.columns[:2]) == ["乡镇", NAME]  # several orgs: an org column
    rows = frame[[k == "indicator" for k in frame.attrs["row_kinds"]]].set_index(["乡镇", NAME])
    assert rows.loc[("甲镇", "国地两税"), RANK] == "1"
    assert rows.loc[("乙镇", "国地两税"), RANK] == rows.loc[("丙镇", "国地两税"), RANK] == "并列2"
    assert rows.loc[("甲镇", "新增项目"), RANK] == "-"  # no target, no rank
    assert rows.loc[("甲镇", "城镇化率"), RANK] == "-"  # the only org with this indicator
    # rows of an indicator follow the orgs' order, under one sector heading
    tax_orgs = [o for o, n in rows.index if n == "国地两税"]
    assert tax_orgs == ["甲镇", "乙镇", "丙镇"]
    en = progress_frame(t, lang="en")
    en_rows = en[[k == "indicator" for k in en.attrs["row_kinds"]]].set_index(["Org", "Indicator"])
    assert en_rows.loc[("乙镇", "Tax revenue"), "Rank"] == "=2"


def test_english_headers_and_labels(table):
    en = progress_frame(table, lang="en")
    assert list(en.columns) == [
        "Indicator",
        "Unit",
        "Annual target",
        "H1 target",
        "Jan–Jun",
        "Completion",
        "Completion (H1)",
        "Time progress",
        "vs pace",
        "YoY",
        "Rank",
        "Status",
        "Notes",
    ]
    rows = rows_by_name(en, "Indicator")
    assert rows.loc["Tax revenue", "Status"] == status_label("ahead", "en")
    assert rows.loc["Tax revenue", "Unit"] == "10k yuan"
    assert rows.loc["Safety accidents", "Annual target"] == "cap 3"
    assert "estimate" in rows.loc["Fixed-asset investment", "Notes"]
    headings = [
        en.iloc[i]["Indicator"] for i, k in enumerate(en.attrs["row_kinds"]) if k == "sector"
    ]
    assert "Industry" in headings and not any("、" in h for h in headings)


def test_one_period_per_table(tmp_path, ds):
    both = pd.concat([progress_table(ds, "2013H1"), progress_table(ds, "2012H1")])
    with pytest.raises(UsageError):
        progress_frame(both)
    with pytest.raises(UsageError):
        progress_frame(progress_table(ds, "2013H1"), lang="fr")


def test_district_totals_have_no_rank_and_a_district_caption(ds):
    totals = district_totals(ds, "2013H1")
    frame = progress_frame(totals)
    assert RANK not in frame.columns and "乡镇" not in frame.columns
    assert progress_caption(totals) == "全区2013年1-6月主要经济指标完成情况表"


def test_helpers_decimals_ordinals_sector_labels():
    assert figure_decimals([6035.0, 12000.0]) == 0
    assert figure_decimals([999.5]) == 1
    assert figure_decimals([1.98, 4.2]) == 2
    assert figure_decimals([0.7, 1.0]) == 1
    assert figure_decimals([6.0, 13.0]) == 0
    assert figure_decimals([6.0], 2) == 2
    assert figure_decimals([math.nan, None]) == 0
    assert [chinese_ordinal(n) for n in (1, 9, 10, 11, 20, 23)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十三",
    ]
    assert sector_label("工业", 2) == "二、工业" and sector_label("工业", 2, "en") == "Industry"


# --------------------------------------------------------------------------- HTML


def test_html_structure_caption_header_and_classes(table, frame):
    soup = BeautifulSoup(progress_html(table), "html.parser")
    tables = soup.find_all("table")
    assert len(tables) == 1
    assert soup.caption.get_text() == "甲镇2013年1-6月主要经济指标完成情况表"
    head_rows = soup.thead.find_all("tr")
    assert len(head_rows) == 2  # 目标任务 and 完成率 group their 全年/上半年 columns
    groups = {
        th.get_text(): int(th["colspan"]) for th in head_rows[0].find_all("th") if th.get("colspan")
    }
    assert groups == {"目标任务": 2, "完成率": 2}
    n = len(frame.columns)
    sector_rows = soup.select("tr.kpi-sector")
    assert [r.get_text() for r in sector_rows] == [
        frame.iloc[i][NAME] for i, k in enumerate(frame.attrs["row_kinds"]) if k == "sector"
    ]
    assert all(int(r.th["colspan"]) == n for r in sector_rows)
    body_rows = [r for r in soup.select("tbody tr") if "kpi-sector" not in (r.get("class") or [])]
    assert len(body_rows) == len(table)
    for tr, rec in zip(body_rows, table.sort_values("order").to_dict("records")):
        cells = tr.find_all(["th", "td"])
        assert len(cells) == n
        assert cells[0].name == "th" and cells[0].get_text() == rec["name"]
        status = tr.select_one("td.kpi-status")
        assert f"kpi-status-{rec['status']}" in status["class"]
        assert status.get_text() == status_label(rec["status"])
    assert [td.get_text() for td in body_rows[0].select("td.kpi-num")][:1] == ["1,550"]
    # every status key has a style rule, and the stylesheet can be left out
    css = soup.style.get_text()
    assert all(f".kpi-status-{k}" in css for k in STATUS)
    assert BeautifulSoup(progress_html(table, css=False), "html.parser").style is None
    assert BeautifulSoup(progress_html(table, caption=""), "html.parser").caption is None


def test_html_single_header_row_without_period_targets(tmp_path):
    t = build(tmp_path, targets=TARGETS.replace("甲镇,fai,2013H1,5500,\n", ""), org="甲镇")
    soup = BeautifulSoup(progress_html(t, lang="en"), "html.parser")
    assert len(soup.thead.find_all("tr")) == 1
    assert soup.find("div", class_="kpi-wrap")["lang"] == "en"
    assert soup.caption.get_text() == "甲镇: main economic indicators, Jan–Jun 2013"


HOSTILE = "<script>alert(1)</script>"


def test_html_escapes_every_data_string(tmp_path):
    indicators = INDICATORS.replace("tax,国地两税", f'tax,"{HOSTILE}"').replace(
        "财税", "<b>财税</b>"
    )
    actuals = ACTUALS.replace(
        "甲镇,tax,2013H1,848,,,,", "甲镇,tax,2013H1,848,,,,<img src=x onerror=alert(2)>"
    )
    t = build(tmp_path, indicators=indicators, actuals=actuals, org="甲镇")
    out = progress_html(t, caption=f"{HOSTILE}表")
    soup = BeautifulSoup(out, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None and soup.find("b") is None
    assert soup.find("th", string=HOSTILE) is not None
    assert soup.caption.get_text() == f"{HOSTILE}表"
    assert "<img src=x onerror=alert(2)>" in soup.get_text()
    assert "一、<b>财税</b>" in soup.get_text()


def test_projects_frame_and_html(tmp_path, small_tables):
    projects = (
        "org,period,project,sector,total_investment,year_plan,year_done,stage,percent_complete,note\n"
        "甲镇,2013H1,考试中心,服务业,8000,5000,4200,设备安装调试,,预计7月初投入试运行\n"
        f'甲镇,2013H1,"{HOSTILE}",工业,,,,在建,30,"<i>室外景观</i>完成30%"\n'
    )
    folder = write_tables(tmp_path / "p", small_tables | {"projects": projects})
    rows = load_dataset(folder).projects
    frame = projects_frame(rows)
    assert list(frame.columns) == [
        "项目",
        "总投资",
        "年度计划",
        "已完成投资",
        "阶段",
        "形象进度",
        "进展情况",
    ]
    assert list(frame.iloc[0]) == [
        "考试中心",
        "8,000",
        "5,000",
        "4,200",
        "设备安装调试",
        NONE,
        "预计7月初投入试运行",
    ]
    assert frame.iloc[1]["形象进度"] == "30%" and frame.iloc[1]["总投资"] == NONE
    assert list(projects_frame(rows, lang="en").columns)[0] == "Project"
    soup = BeautifulSoup(projects_html(rows), "html.parser")
    assert soup.find("script") is None and soup.find("i") is None
    assert soup.find("th", string=HOSTILE) is not None
    assert soup.caption.get_text() == "重点项目推进情况"
    assert [small.get_text() for small in soup.thead.find_all("small")] == ["万元"] * 3
    assert len(soup.tbody.find_all("tr")) == len(rows)


# --------------------------------------------------------------------------- xlsx


def test_xlsx_reads_back_with_numbers_formats_and_layout(tmp_path, table, frame):
    path = write_progress_xlsx(table, tmp_path / "out" / "甲镇.xlsx")
    assert path.exists() and [p.name for p in path.parent.iterdir()] == ["甲镇.xlsx"]
    ws = openpyxl.load_workbook(path).active
    n = len(frame.columns)
    last = openpyxl.utils.get_column_letter(n)
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert ws["A1"].value == "甲镇2013年1-6月主要经济指标完成情况表" and f"A1:{last}1" in merged
    assert ws["A2"].value == "填报单位：甲镇"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(
        ws.PAPERSIZE_A4
    )
    # one page wide (1, the default when the attribute is left out), as many pages long as it takes
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
    assert int(ws.page_setup.fitToHeight) == 0 and ws.print_options.horizontalCentered
    assert ws.freeze_panes == "B5" and ws.print_title_rows == "$3:$4"
    assert ws["C3"].value == "目标任务" and "C3:D3" in merged and ws["C4"].value == "全年"
    assert ws["A3"].font.b and ws["A3"].border.left.style == "thin"
    # rows: sector headings merged across, then indicators with real numbers
    header, group = {}, None
    for j in range(1, n + 1):  # "目标任务/全年" under a group, else the header itself
        top, sub = ws.cell(3, j).value, ws.cell(4, j).value
        group = top if top is not None else group
        header[f"{group}/{sub}" if sub else top] = j
    assert header["目标任务/全年"] == 3 and header["完成率/上半年"] == header["完成率/全年"] + 1
    by_name = {}
    for r in range(5, 5 + len(frame)):
        if f"A{r}:{last}{r}" in merged:
            assert ws.cell(r, 1).value in set(frame[NAME]) and ws.cell(r, 1).font.b
        else:
            by_name[ws.cell(r, 1).value] = r
    assert set(by_name) == set(table["name"])
    for rec in table.to_dict("records"):
        r = by_name[rec["name"]]
        actual = ws.cell(r, header["1-6月累计"])
        assert isinstance(actual.value, (int, float)) and actual.value == pytest.approx(
            rec["actual"]
        )
        assert ws.cell(r, header["状态"]).value == status_label(rec["status"])
        completion = ws.cell(r, header["完成率/全年"])
        if rec["direction"] == "down" or rec["measure"] == "rate" or math.isnan(rec["completion"]):
            assert completion.value == NONE
        else:
            assert completion.value == pytest.approx(rec["completion"], rel=1e-9)
            assert completion.number_format == "#,##0.0%"
    tax = by_name["国地两税"]
    assert ws.cell(tax, header["目标任务/全年"]).number_format == "#,##0"
    gap = ws.cell(tax, header["超（欠）序时（个百分点）"])
    assert gap.value == pytest.approx(table.set_index("indicator").loc["tax", "gap_pp"])
    assert gap.number_format.startswith("+#,##0.0;")
    yoy = ws.cell(by_name["社会固定资产投资"], header["同比±"])
    assert yoy.value < 0 and "%" in yoy.number_format
    cap = ws.cell(by_name["安全生产事故"], header["目标任务/全年"])
    assert cap.value == 3 and cap.number_format == '"控制数"#,##0'
    assert ws.cell(by_name["国地两税"], header["位次"]).value == 1


def test_workbook_groups_digits_as_the_page_does(tmp_path):
    """A figure of four digits or more: the workbook's number format groups thousands exactly
    where the cell's text on the page does (2,000.0% completion, +1,950.0 points ahead, but
    +1900.0% year on year), so the 完成情况表 in Excel reads as the page."""
    t = build(
        tmp_path,
        targets="org,indicator,period,target,unit\n甲镇,tax,2013,10,\n甲镇,fai,2013,5,\n",
        actuals="org,indicator,period,value,unit,status,yoy,note\n"
        "甲镇,tax,2013H1,200,,,,\n甲镇,tax,2012H1,10,,,,\n甲镇,fai,2013H1,4,,,,\n",
    )
    layout = progress_layout(t)
    checked = set()
    for row in layout.rows:
        for key, cell in row.cells.items():
            whole = re.search(r"\d[\d,]*", cell.text)
            if not isinstance(cell.value, float) or whole is None:
                continue
            if len(whole.group().replace(",", "")) >= 4:
                assert ("," in cell.text) == ("#,##0" in cell.number_format), (key, cell)
                checked.add(key)
    assert {"completion", "gap", "yoy"} <= checked
    tax = next(r for r in layout.rows if r.cells.get("name") and r.cells["name"].text == "国地两税")
    assert tax.cells["completion"].text == "2,000.0%"
    assert tax.cells["completion"].number_format == "#,##0.0%"


def test_xlsx_tied_rank_stays_numeric(tmp_path):
    t = build(
        tmp_path,
        targets=TARGETS + "丙镇,tax,2013,1000,\n",
        actuals=ACTUALS + "丙镇,tax,2013H1,400,,,,\n",
    )
    ws = openpyxl.load_workbook(write_progress_xlsx(t, tmp_path / "all.xlsx", lang="en")).active
    rank_col = next(c.column for c in ws[3] if c.value == "Rank")
    ranks = {
        (ws.cell(r, 1).value, ws.cell(r, 2).value): ws.cell(r, rank_col)
        for r in range(5, ws.max_row + 1)
    }
    tied = ranks[("乙镇", "Tax revenue")]
    assert tied.value == 2 and tied.number_format == '"="0'
    assert ws.title == "Progress" and ws["A1"].value.endswith("Jan–Jun 2013")


def test_xlsx_written_atomically(tmp_path, table):
    out = tmp_path / "reports"
    out.mkdir()
    path = out / "甲镇.xlsx"
    path.write_bytes(b"old report")
    write_progress_xlsx(table, path, title="自定义标题")
    assert openpyxl.load_workbook(path).active["A1"].value == "自定义标题"
    # a target that cannot be replaced: the error surfaces and no temporary file stays behind
    blocked = out / "dir.xlsx"
    blocked.mkdir()
    (blocked / "keep").write_text("x")
    with pytest.raises(OSError):
        write_progress_xlsx(table, blocked)
    assert sorted(p.name for p in out.iterdir()) == ["dir.xlsx", "甲镇.xlsx"]
    assert not any(re.search(r"\.tmp$", p.name) for p in out.rglob("*"))


def test_sample_data_set_renders_every_indicator(tmp_path):
    ds = load_dataset()
    org = ds.org_list[0]
    table = progress_table(ds, ds.latest_period(), org)
    frame = progress_frame(table)
    kinds = frame.attrs["row_kinds"]
    assert kinds.count("indicator") == len(table)
    assert kinds.count("sector") == table["sector"].nunique()
    soup = BeautifulSoup(progress_html(table, org_name=ds.org_name(org)), "html.parser")
    assert soup.caption.get_text().startswith(ds.org_name(org))
    assert len(soup.select("td.kpi-status")) == len(table)
    ws = openpyxl.load_workbook(write_progress_xlsx(table, tmp_path / "sample.xlsx")).active
    numbers = [
        c.value for row in ws.iter_rows(min_row=5) for c in row if isinstance(c.value, float)
    ]
    assert len(numbers) >= len(table)


def test_rows_judged_against_their_target_alone_read_below_target(table):
    """A rate (53.5% of 55%) and a stock (40000 of 50000) short of their target are 未达目标,
    not 滞后 (behind the time elapsed); a flow behind time keeps its time status."""
    zh = rows_by_name(progress_frame(table))
    assert zh.loc["城镇化率", STATUS_COL] == "未达目标"
    assert zh.loc["集中居住区", STATUS_COL] == "未达目标"
    assert zh.loc["国地两税", STATUS_COL] == "超序时"
    en = rows_by_name(progress_frame(table, lang="en"), "Indicator")
    assert en.loc["Urbanisation rate", "Status"] == "Below target"
    assert en.loc["Housing", "Status"] == "Below target"
    assert en.loc["Tax revenue", "Status"] == "Ahead of pace"


def test_the_actual_keeps_the_datas_qualifier(tmp_path):
    """300余 in the data is 300余 in the table (over 300 in English), and 300 with the
    number format #,##0"余" in the workbook."""
    actuals = ACTUALS.replace("甲镇,tax,2013H1,848,,,,", "甲镇,tax,2013H1,848余,,,,").replace(
        "甲镇,housing,2013H1,40000,,,,", "甲镇,housing,2013H1,约40000,,,,"
    )
    t = build(tmp_path, actuals=actuals, org="甲镇")
    zh = rows_by_name(progress_frame(t))
    assert zh.loc["国地两税", "1-6月累计"] == "848余"
    assert zh.loc["集中居住区", "1-6月累计"] == "约40,000"
    en = rows_by_name(progress_frame(t, lang="en"), "Indicator")
    assert en.loc["Tax revenue", "Jan–Jun"] == "over 848"
    html = BeautifulSoup(progress_html(t), "html.parser")
    assert "848余" in html.get_text()
    path = write_progress_xlsx(t, tmp_path / "q.xlsx")
    ws = openpyxl.load_workbook(path).active
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, int | float)}
    assert cells[848].number_format == '#,##0"余"'
    assert cells[40000].number_format == '"约"#,##0'
