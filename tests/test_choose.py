"""Which data set, org and period a user meant: the same rule in the CLI and the notebooks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.data.choose import find_org, find_period, locate_data, project_roots
from helpers.data.dataset import load_dataset
from helpers.errors import DataErrors, UnknownKeyError
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
