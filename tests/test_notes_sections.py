"""The seed's prose in the notes table: ``title``, ``overview`` and one section per sector.

Checked from real files through the validator (what it accepts, what it refuses and how it
says so) to the rendered report (where each text lands, in which order), and on the shipped
sample, whose report must read like the seed paragraph by paragraph.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers.base.resources import data_dir
from helpers.data.dataset import check_dataset
from helpers.document.html import document_html
from helpers.document.model import BulletList, Heading, Paragraph
from helpers.errors import DataErrors
from helpers.sections.report import Report, sector_note
from tests.tables import ACTUALS, INDICATORS, TARGETS, write_tables

SEED = Path("/work/shared/seed/township-2013-H1-summary.txt")


def notes_data(tmp_path: Path, rows: str, name: str = "d") -> Path:
    """The small data set (sectors 财税, 投资, 综治, 城镇化, 工业) with these notes rows."""
    notes = "org,period,section,text\n" + rows
    return write_tables(
        tmp_path / name,
        {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS, "notes": notes},
    )


def errors(folder: Path) -> list[str]:
    _, problems = check_dataset(folder)
    return [str(p) for p in problems if p.severity == "error"]


def texts(doc) -> list[str]:
    """Every heading and paragraph of a document, in order (list items one by one)."""
    out: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Heading):
            out.append(b.full)
        elif isinstance(b, Paragraph):
            out.append(b.text)
        elif isinstance(b, BulletList):
            out += [p.text for p in b.items]
    return out


# --------------------------------------------------------------------------- the validator


def test_title_overview_and_sectors_are_accepted_by_any_spelling(tmp_path):
    folder = notes_data(
        tmp_path,
        "甲镇,2013H1,标题,工作总结及打算\n"
        "甲镇,2013H1,OVERVIEW,开年以来，各项工作进展良好。\n"
        "甲镇,2013H1,工业,**工业发展后劲十足。**品牌建设。\n"
        "甲镇,2013H1, 城 镇 化 ,城镇化全力推进\n"  # spaces: the same sector
        "甲镇,2013H1,财税,x\n",
    )
    ds, problems = check_dataset(folder)
    assert ds is not None, [str(p) for p in problems]
    assert list(ds.notes["section"]) == ["title", "overview", "工业", "城镇化", "财税"]


def test_an_unknown_section_lists_what_is_allowed_and_the_nearest(tmp_path):
    folder = notes_data(
        tmp_path,
        "甲镇,2013H1,工亚,笔误\n"  # a slip for 工业
        "甲镇,2013H1,summary,not a section\n",
    )
    found = errors(folder)
    slip = next(e for e in found if "工亚" in e)
    assert "notes.csv" in slip and "第2行" in slip and "section" in slip
    for allowed in ("title（标题）", "overview（开篇）", "highlights（亮点）", "工业", "城镇化"):
        assert allowed in slip, allowed
    assert "是不是：工业" in slip
    assert any("summary" in e and "栏目不存在" in e for e in found)
    assert len(found) == 2  # every problem at once


def test_a_title_is_one_line_once(tmp_path):
    folder = notes_data(
        tmp_path,
        '甲镇,2013H1,title,"工作总结\n及打算"\n甲镇,2013H1,title,工作总结\n',
    )
    found = errors(folder)
    assert any("标题只能写一行" in e and "第2行" in e for e in found)
    assert any("只能有一个标题" in e for e in found)
    with pytest.raises(DataErrors):
        Report.load(folder, "甲镇", "2013H1")


# --------------------------------------------------------------------------- rendering


def test_overview_and_sector_notes_land_where_the_seed_has_them(tmp_path):
    folder = notes_data(
        tmp_path,
        "甲镇,2013H1,title,**工作总结及打算**\n"
        "甲镇,2013H1,overview,2013年，是关键一年。各项工作进展良好。\n"
        '甲镇,2013H1,城镇化,"城镇化全力推进。\n街风貌整治全面完成。\n绿化全面完成。"\n'
        "甲镇,2013H1,城镇化,第二条：社区广场建成。\n"
        "甲镇,2013H1,工业,**工业发展后劲十足。**继续打造“润博士”品牌。\n",
    )
    report = Report.load(folder, "甲镇", "2013H1")
    assert report.title().blocks[0].text == "甲镇2013年上半年工作总结及打算"
    overview = texts(report.overview())
    # the opening note first, the computed figures closing its paragraph, as the seed writes
    assert overview[1].startswith("2013年，是关键一年。各项工作进展良好。截至6月底，")
    assert "国地两税848万元" in overview[1]
    sectors = texts(report.sectors())
    heads = [t for t in sectors if t.startswith("（")]
    # sectors in the indicators' order; a sector's judgement is its heading
    assert heads == [
        "（一）财税",
        "（二）投资",
        "（三）综治",
        "（四）城镇化全力推进",
        "（五）工业发展后劲十足",
    ]
    at = sectors.index("（四）城镇化全力推进")
    figures, prose = sectors[at + 1], sectors[at + 2 :]
    assert "城镇化率为53.5%" in figures and "集中居住区达到40000平方米" in figures
    # the rest of the note after the figures, its line breaks kept; a second note after it
    assert prose[0] == "街风貌整治全面完成。\n绿化全面完成。"
    assert prose[1] == "第二条：社区广场建成。"
    assert sectors[sectors.index("（五）工业发展后劲十足") + 2] == "继续打造“润博士”品牌。"


def test_a_sector_with_a_note_and_no_figures_keeps_its_place(tmp_path):
    folder = notes_data(tmp_path, "乙镇,2013H1,城镇化,城镇化全力推进\n")
    report = Report.load(folder, "乙镇", "2013H1")
    heads = [t for t in texts(report.sectors()) if t.startswith("（")]
    assert heads == ["（一）财税", "（二）投资", "（三）综治", "（四）城镇化全力推进"]


def test_english_keeps_the_sector_heading_and_the_prose(tmp_path):
    folder = notes_data(tmp_path, "甲镇,2013H1,工业,**工业发展后劲十足。**品牌建设。\n")
    report = Report.load(folder, "甲镇", "2013H1", lang="en")
    sectors = texts(report.sectors())
    assert "2.5 Industry" in sectors and "品牌建设。" in sectors


def test_sector_note_reads_the_lead_or_the_first_line():
    assert sector_note(["**农业发展稳步提升。**全力做好抗旱保春耕工作。"])[0] == "农业发展稳步提升"
    judgement, prose = sector_note(["城镇化全力推进\n黑化路面800米。\n翻新店招220个。", "另一条。"])
    assert judgement == "城镇化全力推进"
    assert [p.text for p in prose] == ["黑化路面800米。\n翻新店招220个。", "另一条。"]
    assert sector_note([]) == ("", [])


# --------------------------------------------------------------------------- the sample


def sample_html() -> str:
    report = Report.load(data_dir("sample"), "", "2013H1")
    doc = report.title() + report.overview() + report.sectors()
    return BeautifulSoup(document_html(doc), "html.parser").get_text("\n")


def test_the_sample_report_follows_the_seed_in_order():
    text = sample_html()
    opening = "2013年，是加快发展、奋力崛起的关键一年。"
    figures = "截至6月底，完成国地两税848万元"
    industry = "（一）工业发展后劲十足"
    brands = "继续打造“润博士”“太源井醋业”等品牌，提升企业竞争力。"
    farming = "（二）农业发展稳步提升"
    meeting = "5月23日全区“一事一议”现场会在镇召开。"
    positions = [text.find(s) for s in (opening, figures, industry, brands, farming, meeting)]
    assert -1 not in positions, positions
    assert positions == sorted(positions)
    assert "太源镇2013年上半年工作总结及打算" in text
    assert "新增就业300余人" in text  # the qualifier the data gives


def test_the_sample_sectors_are_in_the_seeds_order():
    text = sample_html()
    seed_order = ["工业", "农业", "服务业", "城镇化", "民生", "综治稳定"]
    heads = [line for line in text.split("\n") if line.startswith("（") and "）" in line[:4]]
    assert [next(s for s in seed_order if s in h) for h in heads] == seed_order
    if SEED.exists():  # the same judgements as the seed's headings
        seed = SEED.read_text(encoding="utf-8")
        for h in heads:
            assert h[3:] in seed, h
