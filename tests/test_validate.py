"""helpers.data.validate: rows that must be unique are (orgs by org, indicators by indicator,
figures and projects by their keys, names compared as the validator compares them), and a
sector never takes a notes section's name (issue 14: F27, C41)."""

from __future__ import annotations

import shutil

import pytest

from helpers.data.dataset import check_dataset, load_dataset
from helpers.data.schema import CHOICES
from tests.tables import (
    INDICATORS,
    ROOT,
    SAMPLE,
    TARGETS,
    check_errors,
    data_folder,
    kpibook_cli,
)

ORGS = "org,name,name_en,parent\n甲镇,甲镇,Jia Town,示范区\n乙镇,乙镇,Yi Town,示范区\n"


pytestmark = pytest.mark.usefixtures("own_cache")


# ---------------------------------------------------------------- duplicate keys


def test_the_testers_town_listed_twice_is_a_problem_for_check_and_run(tmp_path):
    """F27: 太源镇 twice in orgs.csv (another display name) counted as two towns."""
    data = shutil.copytree(SAMPLE, tmp_path / "data")
    with (data / "orgs.csv").open("a", encoding="utf-8") as orgs:
        orgs.write("太源镇,太源乡,Taiyuan Township,示范区,Shifan District\n")
    expected = (
        "orgs.csv 第3行 列「org」 值「太源镇」：乡镇重复：与第2行相同，请只保留一行 "
        "(duplicate of row 2: keep one)"
    )
    check = kpibook_cli("check", "--data", str(data))
    assert check.returncode == 2 and expected in check.stdout + check.stderr
    out = tmp_path / "out"
    run = kpibook_cli(
        "run", "--data", str(data), "--period", "2013H1", "--to", "html", "--out", str(out)
    )
    assert run.returncode == 2 and expected in run.stderr and not out.exists()


@pytest.mark.parametrize(
    ("second", "how"), [("甲镇", "same"), ("甲 镇", "spaces"), ("ＡＢ镇", "width")]
)
def test_an_org_listed_twice_in_any_spelling_names_both_rows(tmp_path, second, how):
    first = "AB镇" if how == "width" else "甲镇"
    orgs = ORGS.replace("甲镇,甲镇,", f"{first},{first},") + f"{second},另一个,,示范区\n"
    found = [e for e in check_errors(data_folder(tmp_path, orgs=orgs)) if e.startswith("orgs.csv")]
    if how == "same":
        message = "乡镇重复：与第2行相同，请只保留一行 (duplicate of row 2: keep one)"
    else:
        message = (
            f"乡镇重复：与第2行的「{first}」只差全角/半角、大小写或空格，是同一个；请只保留一行 "
            f"(duplicate of row 2, '{first}', written another way: keep one row)"
        )
    assert found == [f"orgs.csv 第4行 列「org」 值「{second}」：{message}"]


@pytest.mark.parametrize("second", ["tax", "TAX", "ｔａｘ", " tax"])
def test_an_indicator_listed_twice_names_both_rows(tmp_path, second):
    indicators = INDICATORS + f"{second},另一个税,,财税,万元,,,\n"
    [problem] = [
        e
        for e in check_errors(data_folder(tmp_path, indicators=indicators))
        if "indicators.csv" in e
    ]
    assert problem.startswith("indicators.csv 第8行 列「indicator」 值「")
    assert "指标代码重复：与第2行" in problem and "请只保留一行" in problem


def test_a_project_listed_twice_for_one_town_and_period_is_a_problem(tmp_path):
    projects = (
        "org,period,project,year_plan\n甲镇,2013H1,华能电器,100\n乙镇,2013H1,华能电器,50\n"
        "甲镇,2013H1,华能 电器,100\n"
    )
    assert check_errors(data_folder(tmp_path, projects=projects)) == [
        "projects.csv 第4行 列「org/period/project」 值「甲镇/2013H1/华能 电器」：项目重复：与第2行"
        "的「甲镇/2013H1/华能电器」只差全角/半角、大小写或空格，是同一个；请只保留一行 (duplicate "
        "of row 2, '甲镇/2013H1/华能电器', written another way: keep one row)"
    ]


def test_figures_of_one_town_in_two_spellings_are_one_duplicate_problem(tmp_path):
    targets = TARGETS + "ＡＢ镇,tax,2013,10,\nAB镇,tax,2013,10,\n"
    found = check_errors(data_folder(tmp_path, targets=targets))
    assert [e for e in found if "第13行" in e] == [
        "targets.csv 第13行 列「org/indicator/period」 值「AB镇/tax/2013」：目标重复：与第12行的"
        "「ＡＢ镇/tax/2013」只差全角/半角、大小写或空格，是同一个；请只保留一行 (duplicate of row "
        "12, 'ＡＢ镇/tax/2013', written another way: keep one row)"
    ]


def test_unique_rows_and_the_samples_stay_fine(tmp_path):
    assert load_dataset(data_folder(tmp_path, orgs=ORGS)).org_list == ["甲镇", "乙镇"]
    for sample in ("sample", "district-demo"):
        ds, problems = check_dataset(ROOT / "data" / sample)
        assert ds is not None, [str(p) for p in problems]


# ---------------------------------------------------------------- reserved section names


RESERVED = sorted(CHOICES["section"].items())


@pytest.mark.parametrize(("name", "section"), RESERVED)
def test_a_sector_named_like_a_notes_section_is_a_problem(tmp_path, name, section):
    indicators = INDICATORS.replace(",城镇化,", f",{name},")
    zh = {"title": "标题", "overview": "开篇", "highlights": "亮点", "problems": "问题"}
    zh |= {"plans": "打算"}
    assert check_errors(data_folder(tmp_path, indicators=indicators)) == [
        f"indicators.csv 第5行 列「sector」 值「{name}」：领域名称「{name}」是文字表的栏目名"
        f"「{section}（{zh[section]}）」，文字表中的这一栏会被当成{zh[section]}而不是该领域的文字"
        f"（同一领域还在第6行）；请给领域另起名称，如 工业、农业、社会事业 (a sector named like "
        f"the notes section '{section}': its notes would be taken for the {section}; rename "
        "the sector)"
    ]


@pytest.mark.parametrize("name", ["ｔｉｔｌｅ", "Title", "亮 点", "HIGHLIGHTS"])
def test_a_reserved_name_in_another_width_case_or_spacing_is_caught(tmp_path, name):
    indicators = INDICATORS.replace(",财税,", f",{name},")
    [problem] = check_errors(data_folder(tmp_path, indicators=indicators))
    assert problem.startswith(f"indicators.csv 第2行 列「sector」 值「{name}」：领域名称")
    assert "请给领域另起名称" in problem and "同一领域还在" not in problem


def test_the_testers_sector_title_is_refused_by_check_and_run(tmp_path):
    """C41: a sector 'title' took the title note 工作总结及打算 as its heading."""
    data = shutil.copytree(SAMPLE, tmp_path / "data")
    text = (data / "indicators.csv").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("fruit_belt,"))
    (data / "indicators.csv").write_text(
        text.replace(line, line.replace(",农业,", ",title,")), encoding="utf-8"
    )
    check = kpibook_cli("check", "--data", str(data))
    assert check.returncode == 2
    assert "列「sector」 值「title」：领域名称「title」是文字表的栏目名「title（标题）」" in (
        check.stdout + check.stderr
    )
    out = tmp_path / "out"
    run = kpibook_cli(
        "run", "--data", str(data), "--period", "2013H1", "--to", "html", "--out", str(out)
    )
    assert run.returncode == 2 and "请给领域另起名称" in run.stderr and not out.exists()


def test_sector_names_differing_only_in_width_or_spaces_are_a_problem(tmp_path):
    indicators = INDICATORS.replace(
        "housing,集中居住区,Housing,城镇化,", "housing,集中居住区,Housing,城镇 化,"
    )
    assert check_errors(data_folder(tmp_path, indicators=indicators)) == [
        "indicators.csv 第6行 列「sector」 值「城镇 化」：领域名称与「城镇化」只差全角/半角、大小写"
        "或空格，报告会把它们当成两个领域；请统一写法 (sector name differs from '城镇化' only in "
        "width, case or spaces: write it one way)"
    ]


def test_notes_sections_still_resolve_to_sectors_and_words(tmp_path):
    notes = (
        "org,period,section,text\n甲镇,2013H1,城镇化,**稳步推进**\n甲镇,2013H1,亮点,一条\n"
        "甲镇,2013H1,标题,工作总结\n"
    )
    ds = load_dataset(data_folder(tmp_path, notes=notes))
    assert list(ds.notes["section"]) == ["城镇化", "highlights", "title"]


def test_two_towns_shown_under_one_name_are_a_problem(tmp_path):
    orgs = ORGS.replace("乙镇,乙镇,", "乙镇,甲 镇,")
    assert check_errors(data_folder(tmp_path, orgs=orgs)) == [
        "orgs.csv 第3行 列「name」 值「甲 镇」：乡镇「乙镇」的名称「甲 镇」与第2行的乡镇「甲镇」相同，"
        "报告中无法区分；请改用不同的名称 (shown under the same name as row 2, '甲镇': give it "
        "another name)"
    ]


def test_two_indicators_under_one_name_are_a_warning(tmp_path):
    indicators = INDICATORS.replace("fai,社会固定资产投资,", "fai,国地两税,")
    ds = load_dataset(data_folder(tmp_path, indicators=indicators))
    assert [str(w) for w in ds.warnings] == [
        "indicators.csv 第3行 列「name」 值「国地两税」：指标「fai」的名称「国地两税」与第2行的指标"
        "「tax」相同，报告中无法区分；请改用不同的名称 (shown under the same name as row 2, 'tax': "
        "give it another name)"
    ]


def test_a_refused_org_leaves_the_rows_naming_it_as_written(tmp_path):
    """An org refused in orgs.csv (an invisible character in it) names nothing: the other
    tables' rows that name its town are shown with the name they wrote, never 「None」."""
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE, folder)
    orgs = (folder / "orgs.csv").read_text(encoding="utf-8-sig")
    (folder / "orgs.csv").write_text(orgs.replace("太源镇", "太源\u200b镇", 1), encoding="utf-8")
    ds, problems = check_dataset(folder)
    assert ds is None
    texts = [str(p) for p in problems]
    assert any("U+200B" in t for t in texts)
    assert not any("「None」" in t for t in texts)
    assert any("targets.csv" in t and "值「太源镇」" in t for t in texts)
