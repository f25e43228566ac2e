"""helpers.sections.report: the period words of a report's title and sections."""

from __future__ import annotations

from helpers.base.resources import data_dir
from helpers.document.model import Heading
from helpers.sections.report import Report
from tests.tables import INDICATORS, TARGETS, write_tables


def headings(report: Report) -> list[str]:
    doc = report.title() + report.notes("plans")
    return [b.full for b in doc.blocks if isinstance(b, Heading)]


def test_a_year_end_run_is_the_annual_summary_with_next_years_plans():
    ds_path = data_dir("district-demo")
    report = Report.load(ds_path, "", "2013H2")
    name = report.ds.org_name(report.org)
    title, *rest = headings(report)
    assert title == f"{name}2013年工作总结及2014年工作打算"  # the report closes with them
    assert rest and rest[-1].endswith("、2014年工作打算")
    assert not any("下半年" in h for h in headings(report))
    subtitle = report.title().blocks[1].text
    assert "数据截至2013年12月底" in subtitle


def test_a_half_year_run_plans_the_second_half():
    report = Report.load(data_dir("sample"), "", "2013H1")
    assert headings(report)[0].endswith("2013年上半年工作总结及打算")
    assert headings(report)[-1].endswith("、下半年工作打算")


def test_a_first_quarter_report_says_so(tmp_path):
    actuals = "org,indicator,period,value\n甲镇,tax,2013Q1,400\n"
    data = write_tables(
        tmp_path / "q1", {"indicators": INDICATORS, "targets": TARGETS, "actuals": actuals}
    )
    report = Report.load(data, "甲镇", "2013Q1")
    assert headings(report)[0] == "甲镇2013年一季度工作进度报告"
    sentence = " ".join(b.text for b in report.overview().blocks if hasattr(b, "runs"))
    assert "截至3月底" in sentence and "国地两税400万元" in sentence


def test_the_data_notes_say_how_ranks_are_counted():
    report = Report.load(data_dir("district-demo"), "", "2013H1")
    notes = " ".join(p.text for b in report.data_notes().blocks for p in getattr(b, "items", ()))
    assert "相同者并列，其后位次顺延（如1、2、2、4）" in notes
    assert "sha256" not in notes and "README" not in notes


def test_an_empty_section_tells_the_analyst_which_file_and_columns_to_fill(tmp_path):
    """No projects, no plans: the section is left out of the report, and the notebook shows
    the analyst, in Chinese, the file (or sheet) and the columns to fill, with the values
    for this township and period."""
    from tests.tables import ACTUALS

    data = write_tables(
        tmp_path / "d", {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS}
    )
    report = Report.load(data, "甲镇", "2013H1")
    projects = report.projects()
    assert not projects.blocks
    assert projects.hint == (
        "「重点项目」没有内容，报告里不出现这一节。要写这一节，在 projects.csv（或工作簿的「项目」表）"
        "中填写：org（乡镇）写 甲镇、period（期间）写 2013H1、project（项目）、year_plan（年度计划）、"
        "year_done（已完成投资）、stage（阶段）。"
    )
    plans = report.notes("plans")
    assert not plans.blocks
    assert plans.hint == (
        "「下半年工作打算」没有内容，报告里不出现这一节。要写这一节，在 notes.csv（或工作簿的「文字」表）"
        "中填写：org（乡镇）写 甲镇、period（期间）写 2013H1、section（栏目）写 打算、text（内容）。"
    )
