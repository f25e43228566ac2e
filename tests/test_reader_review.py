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
