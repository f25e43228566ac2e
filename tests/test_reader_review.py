"""A native reader's review of the reports (issue 13, review 13): each finding's wording,
stated as the Chinese (and English) a township office would write."""

from __future__ import annotations

from helpers.document.model import Document, Paragraph, Table
from helpers.document.words import zh_punctuation
from helpers.sections.report import Report


def _text(doc: Document) -> str:
    parts: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            parts.append(b.text)
        elif isinstance(b, Table):
            parts += [c.text for r in b.rows for c in r.cells.values()]
    return "\n".join(parts)


# -- 3. Chinese text inside an English report keeps its Chinese punctuation --------------


def test_chinese_text_in_an_english_document_keeps_full_width_punctuation():
    doc = Document(
        [
            Paragraph.of("项目区配套设施建设逐步完善,项目区入场道路已全面建成。"),
            Paragraph.of("预计6月分批交付使用;二是考试中心建设已接近尾声。"),
            Paragraph.of("1-12月仅完成全年目标的66.7%,低于序时进度。"),
            Paragraph.of("昊华鸿化迁建安置房(32栋1526套)"),
        ],
        "en",
    )
    assert [b.text for b in doc.blocks] == [
        "项目区配套设施建设逐步完善，项目区入场道路已全面建成。",
        "预计6月分批交付使用；二是考试中心建设已接近尾声。",
        "1-12月仅完成全年目标的66.7%，低于序时进度。",
        "昊华鸿化迁建安置房（32栋1526套）",
    ]


def test_english_text_beside_chinese_keeps_english_punctuation():
    for text in (
        "Xingsi Town, 兴寺镇, met 2 targets.",
        "Taiyuan Town (太源镇): 25 indicators.",
        "Tax revenue: 8.48 million yuan, 54.7% of the annual target.",
        "Notes: 快报; 6月为预计数",
    ):
        assert zh_punctuation(text, english=True) == text
    doc = Document([Paragraph.of("Taiyuan Town (太源镇), figures to June: 25.")], "en")
    assert doc.blocks[0].text == "Taiyuan Town (太源镇), figures to June: 25."


def test_the_english_sample_report_has_no_half_width_marks_between_chinese():
    en = Report.load(lang="en")
    text = "\n".join(_text(getattr(en, s)()) for s in ("overview", "sectors", "projects"))
    text += "\n" + "\n".join(_text(en.notes(s)) for s in ("highlights", "problems", "plans"))
    assert "逐步完善，项目区" in text and "交付使用；二是" in text
    assert "逐步完善,项目区" not in text and "交付使用;二是" not in text


def test_english_project_stages_are_english_and_unknown_ones_stay_as_given():
    en = _text(Report.load(lang="en").projects())
    for english in ("Under construction", "Main structure complete", "Commissioning equipment"):
        assert english in en
    for chinese in ("在建", "主体完工", "设备安装调试", "竣工"):
        assert chinese not in en.split("\n")
    zh = _text(Report.load().projects())
    assert "在建" in zh and "Under construction" not in zh
    from helpers.document.narrative import stage_word

    assert stage_word("竣工", "en") == "Completed"
    assert stage_word("拆迁安置中", "en") == "拆迁安置中"  # no English: the data's word
    assert stage_word("在建", "zh") == "在建"


# -- 4. small counts: whole percentages and changes as counts, everywhere -----------------


def _row(report: Report, name: str) -> dict:
    return report.table.set_index("name").loc[name].to_dict() | {"name": name}


def _cells(report: Report) -> dict[str, dict[str, str]]:
    from helpers.document.tables import progress_layout

    layout = progress_layout(report.table, lang=report.lang, decimals=report.decimals)
    return {
        r.cells["name"].text: {k: c.text for k, c in r.cells.items()}
        for r in layout.rows
        if r.kind == "indicator"
    }


def test_small_count_changes_are_counts_in_the_table_and_the_chart():
    from helpers.document import charts

    report = Report.load()
    cells = _cells(report)
    assert cells["安全生产事故"]["yoy"] == "减少1起"  # 1 → 0, never −100.0%
    sentences = _text(report.sectors())
    assert "同比减少1起" in sentences
    fig = charts.yoy_bars(report.table)
    labels = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "value_label"]
    assert "减少1起" in labels and "−100.0%" not in labels
    assert "+1.6个百分点" in labels  # a rate's change in points, never +1.7%
    en = _cells(Report.load(lang="en"))
    assert en["Work-safety accidents"]["yoy"] == "1 fewer"


def test_count_changes_and_whole_percentages_follow_one_rule():
    from helpers.document.narrative import indicator_sentence, yoy_text

    base = {"name": "引进企业", "unit": "户", "measure": "cumulative", "yoy_source": "computed"}
    assert yoy_text(base | {"prior": 1, "actual": 2, "yoy": 1.0}) == "增加1户"
    assert yoy_text(base | {"prior": 3, "actual": 5, "yoy": 2 / 3}) == "增加2户"
    assert yoy_text(base | {"prior": 2, "actual": 2, "yoy": 0.0}) == "持平"
    assert yoy_text(base | {"prior": 2, "actual": 0, "yoy": -1.0}, lang="en") == "2 fewer"
    assert yoy_text(base | {"prior": 20, "actual": 25, "yoy": 0.25}) == "+25.0%"
    # a change from (or down to) fewer than 10: the district's 5 → 11 accidents
    assert yoy_text(base | {"unit": "起", "prior": 5, "actual": 11, "yoy": 1.2}) == "增加6起"
    assert yoy_text(base | {"prior": 12, "actual": 3, "yoy": -0.75}) == "减少9户"
    row = base | {
        "org": "甲镇",
        "period": "2013H1",
        "direction": "up",
        "actual": 1.0,
        "prior": 1.0,
        "yoy": 0.0,
        "annual_target": 3.0,
        "period_target": float("nan"),
        "completion": 1 / 3,
        "period_completion": float("nan"),
        "gap_pp": (1 / 3 - 0.5) * 100,
        "basis": "annual",
        "basis_ratio": 1 / 3,
        "time_progress": 0.5,
        "pace": 0.5,
        "status": "behind",
        "decimals": float("nan"),
        "data_status": "正式",
    }
    assert indicator_sentence(row) == (
        "引进企业1户，占全年任务3户的33%，低于序时进度17个百分点，与上年同期持平。"
    )


def test_small_count_percentages_in_the_charts_are_whole():
    from helpers.document import charts

    report = Report.load()
    fig = charts.completion_dots(report.table)
    labels = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "33%" in labels  # 规模林下养鸡户 2 of 6
    assert "33.3%" not in labels


# -- 6. stock and rate rows are compared with their target, not with time -----------------


def test_stock_and_rate_rows_show_no_time_progress_and_a_rate_no_ratio():
    report = Report.load()
    cells = _cells(report)
    stock = cells["农民集中居住区在建面积"]
    assert stock["time_progress"] == stock["gap"] == "—"
    assert stock["completion"] == "80.0%" and stock["status"] == "未达目标"
    rate = cells["矛盾纠纷调处成功率"]
    assert rate["completion"] == rate["time_progress"] == rate["gap"] == "—"
    assert rate["status"] == "高于目标"  # 96.8 against 95, never 超额完成 101.9%
    assert rate["yoy"] == "+1.6个百分点"
    assert "比目标95%高1.8个百分点" in _text(report.sectors())
    flow = cells["国地两税"]
    assert flow["time_progress"] == "50.0%" and flow["gap"] == "+4.7"
    en = _cells(Report.load(lang="en"))
    assert en["Disputes successfully mediated"]["status"] == "Above target"
    assert en["Disputes successfully mediated"]["yoy"] == "+1.6 pp"


# -- 5. a cap exceeded: by how much, and named in the overview ---------------------------

DEMO = "data/district-demo"


def _demo(org: str, period: str, lang: str = "zh") -> Report:
    from tests.tables import ROOT

    return Report.load(ROOT / DEMO, org, period, lang=lang)


def test_a_cap_exceeded_says_the_cap_and_the_excess():
    report = _demo("长泉镇", "2013H1")
    assert "发生安全生产事故3起，超过年度控制数（2起）1起，同比增加3起。" in _text(report.sectors())
    assert "安全生产事故超过年度控制数。" in _text(report.overview())
    year = _demo("长泉镇", "2013H2")
    assert "发生安全生产事故4起，超过年度控制数（2起）2起" in _text(year.sectors())
    assert "安全生产事故超过年度控制数。" in _text(year.overview())
    en = _text(_demo("长泉镇", "2013H1", "en").overview())
    assert "Work-safety accidents exceeded the cap." in en
    within = _text(Report.load().sectors())
    assert "未发生安全生产事故，控制在年度控制数2起以内，同比减少1起。" in within


# -- 9. the overview's behind list in the seed's style ------------------------------------


def test_the_behind_list_groups_one_status_worst_first_as_the_seed_writes():
    overview = _text(Report.load().overview())
    assert (
        "规模林下养鸡户低于序时进度17个百分点，规模工业产值、招商引资到位资金、"
        "规模工业增加值分别低于3.8、3.3、2.9个百分点。"
    ) in overview
    assert "（略滞后" not in overview and "的有：" not in overview


def test_the_year_end_list_names_none_done_then_the_least_done():
    text = _text(_demo("兴寺镇", "2013H2").overview())
    assert (
        "引进亿元以上项目、新培育限额以上服务业企业均只完成全年任务的67%，"
        "翻新店招、省外到位资金、规模林下养鸡户分别完成72.5%、74.6%、75%"
    ) in text
    zero = _text(_demo("宝庙街道", "2013H2").overview())
    assert (
        "新培育规模以上工业企业、引进亿元以上项目、新培育限额以上服务业企业全年均未实现零的突破"
        in zero
    )


# -- 7. the district's fewest: by the share shown, ties included, each with its counts ----


def test_the_fewest_are_named_by_the_share_shown_with_their_own_counts():
    from helpers.sections.district import District
    from tests.tables import ROOT

    for period in ("2013H1", "2013H2"):
        text = District.load(ROOT / DEMO, period)._towns_sentence()
        assert text.endswith(
            "最少的是宝庙街道、永山镇、新场镇（均为25项中2项）、兴寺镇（24项中2项）。"
        )


# -- 8. a figure and its target that differ never read the same ---------------------------


def test_a_figure_and_its_target_are_written_precisely_enough_to_differ():
    from helpers.document.narrative import indicator_sentence

    row = {
        "name": "社会固定资产投资",
        "unit": "万元",
        "measure": "cumulative",
        "direction": "up",
        "period": "2013H2",
        "actual": 46030.0,
        "annual_target": 46000.0,
        "period_target": float("nan"),
        "prior": float("nan"),
        "yoy": float("nan"),
        "yoy_source": None,
        "decimals": float("nan"),
        "data_status": "正式",
        "completion": 46030 / 46000,
        "period_completion": float("nan"),
        "gap_pp": 0.07,
        "basis": "annual",
        "basis_ratio": 46030 / 46000,
        "time_progress": 1.0,
        "status": "exceeded",
    }
    assert indicator_sentence(row) == (
        "完成社会固定资产投资4.603亿元，占全年任务4.6亿元的100.1%，已超额完成全年任务。"
    )
    same = row | {"actual": 46000.0, "completion": 1.0, "status": "completed"}
    assert indicator_sentence(same).startswith("完成社会固定资产投资4.6亿元，占全年任务4.6亿元的")
    apart = row | {"actual": 6035.0, "annual_target": 12000.0}  # one unit, no extra places
    assert indicator_sentence(apart).startswith("完成社会固定资产投资6035万元，占全年任务12000万元")
    text = _text(_demo("金林乡", "2013H2").overview())
    assert "社会固定资产投资4.603亿元，占全年任务4.6亿元的100.1%" in text


# -- 1. the year-end reports: no 序时进度 anywhere, the annual summary's words ----------------


def _district_text(period: str, lang: str = "zh") -> str:
    from bs4 import BeautifulSoup

    from helpers.sections.district import District
    from tests.tables import ROOT

    d = District.load(ROOT / DEMO, period, lang=lang)
    parts = ("title", "totals", "ranking", "behind", "spread", "data_notes")
    html = "".join(getattr(d, m)().body for m in parts)
    return BeautifulSoup(html, "html.parser").get_text("\n")


def _township_text(report: Report) -> str:
    from helpers.document.model import Figure

    parts = [report.title(), report.overview(), report.sectors(), report.progress_table()]
    parts.append(report.data_notes())
    text = "\n".join(
        b.text for d in parts for b in d.blocks if isinstance(b, Paragraph | type(None))
    )
    text += "\n".join(_text(d) for d in parts)
    text += "\n".join(
        " ".join((b.caption, b.alt)) for d in parts for b in d.blocks if isinstance(b, Figure)
    )
    for d in parts:
        for b in d.blocks:
            if isinstance(b, Table):
                text += "\n" + " ".join(c.label for c in b.columns) + "\n" + "\n".join(b.notes)
    text += "\n" + "\n".join(b.text for b in report.data_notes().blocks[1].items)
    return text


def test_the_year_end_township_report_has_no_time_progress_anywhere():
    for org in ("兴寺镇", "长泉镇", "南兴镇"):
        report = _demo(org, "2013H2")
        text = _township_text(report)
        assert "序时" not in text, org
        name = report.ds.org_name(org)  # the data's full name (示范区兴寺镇 in the demo)
        assert report.title().blocks[0].text == f"{name}2013年工作总结及2014年工作打算"
        subtitle = report.title().blocks[1].text
        assert subtitle.endswith("数据截至2013年12月底") and "100%" not in subtitle
    en = _demo("兴寺镇", "2013H2", "en")
    text = _township_text(en)
    assert "time progress" not in text.lower() and "vs pace" not in text.lower()
    assert en.title().blocks[0].text == "Xingsi Town: annual summary and plans for 2014, 2013"


def test_the_year_end_charts_speak_of_the_annual_task():
    from helpers.document import charts

    report = _demo("兴寺镇", "2013H2")
    fig = charts.completion_dots(report.table)
    texts = [t.get_text() for t in fig.axes[0].texts] + [fig.axes[0].get_title()]
    texts.append(fig.axes[0].get_title(loc="left"))
    joined = " ".join(texts)
    assert "各项指标完成全年任务情况" in joined or any(
        "各项指标完成全年任务情况" in t.get_text() for t in fig.texts
    )
    assert "序时" not in joined and "占目标66.7%" not in joined
    assert "完成67%" in joined  # 引进亿元以上项目 2 of 3, a flow: 完成, whole percent
    legend = fig.axes[0].get_legend()
    assert legend is None or not any("序时" in t.get_text() for t in legend.get_texts())


def test_mid_year_and_quarterly_reports_keep_time_progress():
    report = _demo("兴寺镇", "2013H1")
    assert report.title().blocks[0].text == "示范区兴寺镇2013年上半年工作进度报告"
    assert "序时进度6/12 = 50%" in report.title().blocks[1].text
    from helpers.document.tables import progress_layout

    labels = [c.label for c in progress_layout(report.table).columns]
    assert "序时进度" in labels and "超（欠）序时" in labels
    assert "序时进度" in _district_text("2013H1")
    assert "乡镇工作进度汇总报告" in _district_text("2013H1")


def test_the_year_end_district_report_is_the_annual_summary():
    text = _district_text("2013H2")
    assert text.startswith("示范区2013年度乡镇工作总结汇总")
    assert "序时" not in text and "达序时" not in text
    assert "四、未完成全年任务的指标" in text
    assert "24项指标有乡镇未完成全年任务或超出控制数，共153项次" in text
    assert "完成全年任务" in text  # the rank tables' column
    assert "竖线为全年目标（100%）" in text
    en = _district_text("2013H2", "en")
    assert en.startswith("Shifan District: annual summary of the townships, 2013")
    assert "4. Indicators short of the annual target" in en
    assert "time progress" not in en.lower() and "On pace" not in en


# -- 2. the demo's highlights and problems: what a township writes, true to its figures ----


def test_the_demo_notes_name_indicators_with_figures_and_agree_with_their_status(tmp_path):
    from helpers.data.dataset import load_dataset
    from helpers.data.demo import generate_district
    from helpers.metrics.progress import progress_table
    from helpers.metrics.status import ON_PACE, SHORTFALL

    for towns, seed in ((12, 2013), (30, 5)):
        data = generate_district(tmp_path / f"d{seed}", towns=towns, seed=seed)
        ds = load_dataset(data)
        notes = ds.notes
        for period in ("2013H1", "2013H2"):
            table = progress_table(ds, period)
            for org in ds.org_list:
                rows = table[table["org"] == org].set_index("name")
                mine = notes[(notes["org"] == org) & (notes["period"] == period)]
                for section, text in zip(mine["section"], mine["text"]):
                    assert "0.0%" not in text and "各项工作稳步开展" not in text
                    assert "," not in text and ";" not in text  # Chinese punctuation
                    named = [n for n in rows.index if text.startswith(n) or f"发生{n}" in text]
                    if period.endswith("H2"):
                        assert "序时" not in text and "上半年" not in text, text
                    if not named:
                        continue
                    status = rows.loc[max(named, key=len), "status"]
                    if section == "highlights":
                        assert status in ON_PACE, (org, period, text, status)
                    if section == "problems":
                        assert status in SHORTFALL, (org, period, text, status)
                lights = mine[mine["section"] == "highlights"]["text"]
                on_pace = rows["status"].isin(ON_PACE) & (rows["measure"] == "cumulative")
                if not on_pace.any():  # nothing on pace: no indicator praised
                    assert not any(any(t.startswith(n) for n in rows.index) for t in lights)


def test_the_demo_notes_read_as_the_review_asks():
    from helpers.data.dataset import load_dataset
    from tests.tables import ROOT

    notes = load_dataset(ROOT / DEMO).notes
    text = set(notes["text"])
    assert "病险水库整治超额完成全年任务，全年完成6个，全年任务5个。" in text  # 龙桥乡 H2
    assert "引进亿元以上项目全年尚未实现突破，全年任务1个。" in text  # 宝庙街道 H2
    assert "新增农网变压器上半年尚未实现突破，全年任务2台。" in text  # 宝庙街道 H1
    assert "发生安全生产事故3起，超过年度控制数（2起）1起。" in text  # 长泉镇 H1
    assert (
        "引进亿元以上项目未完成全年任务，全年完成2个，占全年任务3个的67%。" in text
    )  # 兴寺镇 H2: as the overview and the table say (67%, not 66.7%)
    assert not any("快于序时进度" in t or "仅完成全年目标" in t for t in text)


# -- the sample's 备注: real remarks only, never a computed figure said differently -------


def test_the_sample_notes_column_keeps_remarks_not_computed_figures():
    cells = _cells(Report.load())
    remarks = {name: c["remark"] for name, c in cells.items()}
    assert remarks["国地两税"] == "" and remarks["社会固定资产投资"] == "快报"
    for name in ("引进亿元以上项目", "招商引资到位资金", "省外到位资金"):
        assert remarks[name] == "", name
    assert remarks["新培育规模以上工业企业"] == "联发皮革厂"
    assert remarks["引进企业"] == "华能电器、驾校"
    assert remarks["新增农网变压器"] == "太源、新民"
    assert remarks["规模工业产值"].startswith("预计") or "6月为预计数" in remarks["规模工业产值"]
    assert not any("%" in r or "亿元" in r for r in remarks.values())


def test_one_list_of_a_count_indicator_has_one_format():
    text = _district_text("2013H2")
    assert (
        "宝庙街道（完成25%）、新场镇（完成33%）、花湖镇（完成67%）、永山镇（完成71%）、"
        "兴寺镇（完成75%）、龙桥乡（完成75%）、金林乡（完成78%）、南湾镇（完成80%）、和兴镇（完成86%）"
    ) in text.replace("\n", "")
