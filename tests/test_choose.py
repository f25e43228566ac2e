"""Which data set, org and period a user meant: the same rule in the CLI and the notebooks."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from helpers.data.choose import (
    DECIMALS,
    as_flag,
    check_decimals,
    check_lang,
    find_org,
    find_period,
    locate_data,
    out_folder,
    project_roots,
    resolve_period,
)
from helpers.data.dataset import load_dataset
from helpers.errors import DataErrors, PeriodError, UnknownKeyError, UsageError
from tests.tables import ROOT, SAMPLE

DEMO = ROOT / "data" / "district-demo"


def test_a_path_is_tried_where_the_user_is_then_at_the_project_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    project = tmp_path / "project"
    (project / "notebooks").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    shutil.copytree(SAMPLE, project / "data" / "town")
    monkeypatch.chdir(project / "notebooks")
    assert project_roots()[0] == project.resolve()
    assert locate_data("data/town") == project.resolve() / "data" / "town"
    assert locate_data("../data/town") == Path("../data/town")  # kept as written
    monkeypatch.chdir(project)
    assert locate_data("data/town") == Path("data/town")


def test_a_path_that_is_nowhere_lists_every_place_looked_at(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DataErrors) as caught:
        locate_data("data/没有这个")
    text = str(caught.value)
    assert text.index("找不到数据") < text.index("no such")
    assert str(tmp_path / "data" / "没有这个") in text
    assert str(ROOT / "data" / "没有这个") in text  # kpibook's own checkout, looked at last


@pytest.mark.parametrize(
    "written", ["宝庙街道", "示范区宝庙街道", " 示范区 宝庙街道 ", "示范区宝庙街道"]
)
def test_an_org_by_id_or_full_name_ignoring_width_and_spaces(written: str):
    assert find_org(load_dataset(DEMO), written) == "宝庙街道"


def test_a_typo_in_the_org_lists_the_orgs_nearest_first():
    ds = load_dataset(DEMO)
    with pytest.raises(UnknownKeyError) as caught:
        find_org(ds, "永三镇")
    text = str(caught.value)
    assert text.startswith(str(ds.path)) and "值「永三镇」" in text
    listed = text.split("有：")[1]
    assert listed.index("永山镇") < listed.index("宝庙街道")  # nearest first
    assert all(org in listed for org in ds.org_list)


def test_a_period_without_figures_names_the_periods_there_are():
    ds = load_dataset(SAMPLE)
    assert find_period(ds, "") == "2013H1"
    assert find_period(ds, "2013h1") == "2013H1"
    with pytest.raises(UnknownKeyError) as caught:
        find_period(ds, "2014H1")
    assert "2012H1、2013H1" in str(caught.value) and "列「period」" in str(caught.value)


# -- one rule per parameter (issue 15: C15, C17, C39, C43, C47, C49, C57, C59, C79) ------------


@pytest.mark.parametrize(
    "written",
    [
        " data/town ",
        "data/town\t",
        "\u3000data/town\u3000",
        '"data/town"',
        "「data/town」",
        "\u200bdata/town/",
        "'data/town/'",
    ],
)
def test_pasted_spaces_and_quotes_around_a_data_path_are_dropped(
    written: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    shutil.copytree(SAMPLE, tmp_path / "data" / "town")
    monkeypatch.chdir(tmp_path)
    assert locate_data(written).resolve() == (tmp_path / "data" / "town").resolve()


def test_home_is_expanded_in_every_path_parameter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    shutil.copytree(SAMPLE, tmp_path / "home" / "town")
    monkeypatch.chdir(tmp_path)
    assert locate_data(" ~/town ").resolve() == (tmp_path / "home" / "town").resolve()
    assert out_folder("~/kpireports") == (tmp_path / "home" / "kpireports").resolve()
    assert out_folder(" ~/kpireports/ ") == (tmp_path / "home" / "kpireports").resolve()
    assert not (tmp_path / "~").exists()


def test_out_is_where_the_user_is_else_the_project_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    project = tmp_path / "project"
    (project / "notebooks").mkdir(parents=True)
    (project / "reports").mkdir()
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    monkeypatch.chdir(project / "notebooks")
    assert out_folder("") == (project / "reports").resolve()
    assert out_folder("reports") == (project / "reports").resolve()  # only the root has it
    assert out_folder("新的") == (project / "notebooks" / "新的").resolve()
    (project / "notebooks" / "a.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="参数 out 的值「a.txt」是一个文件"):
        out_folder("a.txt")


def test_a_folder_of_data_sets_names_the_sets_inside(tmp_path: Path):
    shutil.copytree(SAMPLE, tmp_path / "data" / "sample")
    shutil.copytree(DEMO, tmp_path / "data" / "示范区 2013")
    (tmp_path / "data" / "notes").mkdir()  # not a data set: not named
    (tmp_path / "data" / "示范区数据.xlsx").write_bytes(b"PK")
    with pytest.raises(DataErrors) as caught:
        locate_data(tmp_path / "data")
    text = str(caught.value)
    assert text.index("这是存放数据集的文件夹") < text.index("a folder of data sets")
    assert "sample、示范区 2013、示范区数据.xlsx" in text and "notes" not in text.split("有：")[1]
    assert str(tmp_path / "data") in text


@pytest.mark.parametrize(
    "yes, written",
    [(False, v) for v in (False, 0, None, "False", "false", " FALSE ", "否", "0", "no", "No", "")]
    + [(True, v) for v in (True, 1, "True", "true", "是", "1", "yes", " YES ", "ｙｅｓ")],
)
def test_one_rule_for_yes_and_no(yes: bool, written: object):
    assert as_flag(written) is yes


@pytest.mark.parametrize("written", ["maybe", "2", 2, "False!", "对吗", 0.5])
def test_anything_else_for_yes_or_no_is_an_error(written: object):
    with pytest.raises(UsageError) as caught:
        as_flag(written, "share")
    text = str(caught.value)
    assert (
        text.startswith(f"参数 share 的值「{written}」不对") and "True（是）或 False（否）" in text
    )


@pytest.mark.parametrize("written, lang", [("zh", "zh"), (" EN ", "en"), ("", "zh"), ("Zh", "zh")])
def test_lang_is_zh_or_en(written: str, lang: str):
    assert check_lang(written) == lang


@pytest.mark.parametrize("written", ["fr", "中文", "english", "zh-cn", 1])
def test_another_lang_is_an_error_listing_zh_and_en(written: object):
    with pytest.raises(
        UsageError, match=r"^参数 lang 的值「.*」不对：只能是 zh（中文）或 en（英文）"
    ):
        check_lang(written)


@pytest.mark.parametrize(
    "written, decimals", [(0, 0), (6, 6), ("2", 2), (" 3 ", 3), (1.0, 1), ("４", 4)]
)
def test_decimals_in_the_command_lines_range(written: object, decimals: int):
    assert check_decimals(written) == decimals


@pytest.mark.parametrize("written", [7, 9, -1, "9", "one", 1.5, True, "", None])
def test_decimals_outside_the_range_is_an_error(written: object):
    with pytest.raises(UsageError) as caught:
        check_decimals(written)
    assert f"应为 {DECIMALS.start} 到 {DECIMALS.stop - 1} 的整数" in str(caught.value)


@pytest.mark.parametrize(
    "written",
    [
        "2013年1-6月",
        "2013年1—6月份",
        "2013年1~6月",
        "2013-06",
        "2013年6月",
        "2013Q2",
        "2013年二季度",
        "2013年第2季度",
        "2013年上半年",
        " 2013Ｈ1 ",
    ],
)
def test_a_period_is_its_year_and_end_month_as_the_importer_reads_a_title(written: str):
    """Figures to the end of June are the data's 2013H1 however the months are written."""
    assert find_period(load_dataset(SAMPLE), written) == "2013H1"


@pytest.mark.parametrize(
    "written", ["2013年1-12月", "2013年全年", "2013全年", "2013年度", "2013年", 2013, "2013Q4"]
)
def test_figures_to_december_are_the_years_last_period(written: object):
    assert find_period(load_dataset(DEMO), written) == "2013H2"


@pytest.mark.parametrize("written", ["2013年1-3月", "2013年前三季度", "2013年一季度", "2013-09"])
def test_a_cut_off_the_data_has_no_figures_for_names_the_periods(written: str):
    with pytest.raises(UnknownKeyError) as caught:
        find_period(load_dataset(SAMPLE), written)
    assert "数据中没有这个期间的完成数；有：2012H1、2013H1" in str(caught.value)


@pytest.mark.parametrize("written", ["abc", "上半年", "2013H3", "2013年1-13月", "13H1"])
def test_text_that_is_no_period_names_the_periods_there_are(written: str):
    with pytest.raises(PeriodError) as caught:
        find_period(load_dataset(SAMPLE), written)
    text = str(caught.value)
    assert text.index("期间格式不对") < text.index("数据中有：2012H1、2013H1")
    assert f"值「{written}」" in text and "列「period」" in text


def test_names_and_keys_of_a_thousand_orgs_are_built_once_and_answer_as_a_scan_would(
    tmp_path: Path,
):
    from helpers.data.demo import generate_district

    ds = load_dataset(generate_district(tmp_path / "d", towns=1000))
    names = ds.org_names()
    assert len(names) == 1000 and ds.org_names() is names  # one table, reused
    assert ds.org_names("en") is not names
    for org in ds.org_list[::97]:
        name = ds.org_name(org)
        assert find_org(ds, org) == org
        assert find_org(ds, f" {name} ") == org  # spaces ignored, as before
        assert name == next(
            (str(n).strip() for n in ds.orgs.loc[ds.orgs["org"] == org, "name"] if str(n).strip()),
            org,
        )


def test_a_replaced_orgs_table_is_named_afresh():
    ds = load_dataset(SAMPLE)
    org = ds.org_list[0]
    before = ds.org_name(org)
    orgs = ds.orgs.copy()
    orgs.loc[orgs["org"] == org, "name"] = "改名镇"
    ds.orgs = orgs
    assert ds.org_name(org) == "改名镇" != before
    assert find_org(ds, "改名镇") == org


def test_default_period_is_last_completed_half_with_fallback():
    ds = load_dataset(SAMPLE)
    assert resolve_period(ds, None, dt.date(2013, 8, 1)) == ("2013H1", None)
    period, warning = resolve_period(ds, None, dt.date(2026, 11, 26))
    assert period == "2013H1" and warning is not None
    assert "2026H1" in warning and "2013H1" in warning
    assert resolve_period(ds, "2013-06", None) == ("2013-06", None)
