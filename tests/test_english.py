"""The English report (``--lang en``, issue 13): English file names beside the Chinese ones,
both in the index, and English text that reads as English."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from helpers.base.resources import data_dir
from helpers.data.dataset import load_dataset
from helpers.document.model import Document, Heading, Paragraph, Table
from helpers.output.index import manifest
from helpers.output.records import NOT_REPORTED, write_record
from helpers.run.batch import plan_jobs
from helpers.sections.district import District
from helpers.sections.report import Report
from tests.tables import SAMPLE

KPIBOOK = Path(sys.executable).parent / "kpibook"
ORG = "太源镇"


def kpibook(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(KPIBOOK), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=600,
    )


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> tuple[Path, str]:
    """The sample made in Chinese, then in English, into one folder; the English run's log."""
    out = tmp_path_factory.mktemp("both")
    zh = kpibook("run", "--out", str(out), "--today", "2013-07-05", "--to", "html")
    assert zh.returncode == 0, zh.stderr
    en = kpibook("run", "--out", str(out), "--today", "2013-07-05", "--lang", "en")
    assert en.returncode == 0, en.stderr
    return out / "2013H1", en.stdout + en.stderr


def test_english_files_are_named_by_language_beside_the_chinese(both):
    folder, _ = both
    names = {p.name for p in folder.iterdir()}
    english = {f"{ORG}.en.{ext}" for ext in ("html", "pdf", "docx", "xlsx", "ipynb")}
    assert english <= names
    assert f"{ORG}.html" in names  # the Chinese report is still there
    zh = BeautifulSoup((folder / f"{ORG}.html").read_text(encoding="utf-8"), "html.parser")
    en = BeautifulSoup((folder / f"{ORG}.en.html").read_text(encoding="utf-8"), "html.parser")
    assert zh.html["lang"] == "zh-CN" and "工作总结及打算" in zh.title.string
    assert en.html["lang"] == "en" and "progress report" in en.title.string


def test_the_index_lists_both_languages(both):
    folder, _ = both
    page = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    heads = [th.get_text() for th in page.select("#kpibook-reports thead th")]
    assert heads[-1] == "语言（language）" and heads[0] == "乡镇 / 报告（report）"
    rows = {
        tuple(td.get_text(" ", strip=True) for td in tr.find_all("td"))[-1]: tr
        for tr in page.select("#kpibook-reports tbody tr")
    }
    assert set(rows) == {"中文", "English"}
    assert {a["href"] for a in rows["English"].find_all("a")} >= {
        "%E5%A4%AA%E6%BA%90%E9%95%87.en.html"
    }
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(r["lang"] for r in data["reports"]) == ["en", "zh"]
    assert sorted(r["stem"] for r in data["reports"]) == [ORG, f"{ORG}.en"]


def test_a_rerun_in_english_keeps_the_english_report(both):
    folder, _ = both
    again = kpibook("run", "--out", str(folder.parent), "--today", "2013-07-05", "--lang", "en")
    assert again.returncode == 0, again.stderr
    assert "跳过 1 份未变的报告" in again.stdout + again.stderr
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(r["stem"] for r in data["reports"]) == [ORG, f"{ORG}.en"]


def test_the_manifest_names_an_unreported_org_once_for_both_languages(tmp_path):
    for stem, lang in (("乙镇", "zh"), ("乙镇.en", "en")):
        record = {"org": "乙镇", "kind": "report", "stem": stem, "lang": lang}
        write_record(tmp_path, "2013H1", stem, record | {"status": NOT_REPORTED, "files": []})
    data = manifest(tmp_path, "2013H1")
    assert data["not_reported"] == 2  # two reports planned, one in each language
    assert data["not_reported_orgs"] == ["乙镇"]


def _headings(doc: Document, level: int) -> list[str]:
    return [b.full for b in doc.blocks if isinstance(b, Heading) and b.level == level]


def test_english_sector_numbers_do_not_collide_with_the_sections():
    en = Report.load(lang="en")
    sectors = _headings(en.sectors(), 3)
    assert [h.split(" ")[0] for h in sectors] == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    assert _headings(en.sectors(), 2) == ["2. Progress by sector"]
    assert _headings(en.projects(), 2) == ["3. Key projects"]
    zh = _headings(Report.load().sectors(), 3)
    assert zh[0].startswith("（一）") and zh[1].startswith("（二）")


def test_english_sentences_of_a_sector_are_spaced():
    en = Report.load(lang="en")
    text = " ".join(b.text for b in en.sectors().blocks if isinstance(b, Paragraph))
    assert "level with time progress. Enterprises attracted: 2" in text
    assert not re.search(r"[a-z]\.[A-Z]", text)  # never "progress.Enterprises"


def test_an_english_opening_runs_on_into_the_figures_with_a_space(tmp_path):
    data = tmp_path / "sample"
    shutil.copytree(SAMPLE, data)
    notes = pd.read_csv(data / "notes.csv", dtype=str)
    notes.loc[notes["section"] == "overview", "text"] = "2013 was a key year."
    notes.to_csv(data / "notes.csv", index=False)
    overview = Report.load(data, lang="en").overview()
    first = next(b for b in overview.blocks if isinstance(b, Paragraph))
    assert first.text.startswith("2013 was a key year. By the end of June: Tax revenue")
    assert "year.By" not in first.text


def test_english_names_come_from_the_data():
    en = Report.load(lang="en")
    assert en.title_text == "Taiyuan Town: progress report, H1 2013"  # orgs.name_en
    assert [h.split(" ", 1)[1] for h in _headings(en.sectors(), 3)] == [
        "Industry",
        "Agriculture",
        "Services",
        "Urbanisation",
        "Livelihoods",
        "Public order and stability",
    ]
    table = next(b for b in en.projects().blocks if isinstance(b, Table))
    assert table.rows[0].cells["project"].text == "Haohua Honghua relocation project"
    zh = Report.load()
    assert zh.title_text == "太源镇2013年上半年工作总结及打算"
    table = next(b for b in zh.projects().blocks if isinstance(b, Table))
    assert table.rows[0].cells["project"].text == "昊华鸿化迁建项目"


def test_a_sector_en_of_the_data_wins_then_the_usual_name_then_the_chinese(tmp_path):
    data = tmp_path / "sample"
    shutil.copytree(SAMPLE, data)
    ind = pd.read_csv(data / "indicators.csv", dtype=str, keep_default_na=False)
    ind.loc[ind["sector"] == "工业", "sector_en"] = "Manufacturing"
    ind.loc[ind["sector"] == "农业", "sector_en"] = ""  # the built-in Agriculture
    ind.loc[ind["sector"] == "服务业", ["sector", "sector_en"]] = ["第三产业", ""]  # no English
    ind.to_csv(data / "indicators.csv", index=False)
    notes = pd.read_csv(data / "notes.csv", dtype=str)
    notes.loc[notes["section"] == "服务业", "section"] = "第三产业"
    notes.to_csv(data / "notes.csv", index=False)
    pd.read_csv(data / "projects.csv", dtype=str).drop(columns="name_en").to_csv(
        data / "projects.csv", index=False
    )
    pd.read_csv(data / "orgs.csv", dtype=str).drop(columns="name_en").to_csv(
        data / "orgs.csv", index=False
    )
    en = Report.load(data, lang="en")
    names = [h.split(" ", 1)[1] for h in _headings(en.sectors(), 3)][:3]
    assert names == ["Manufacturing", "Agriculture", "第三产业"]
    assert en.title_text == "太源镇: progress report, H1 2013"  # no name_en: the Chinese name
    table = next(b for b in en.projects().blocks if isinstance(b, Table))
    assert table.rows[0].cells["project"].text == "昊华鸿化迁建项目"
    rows = next(b for b in en.progress_table().blocks if isinstance(b, Table)).rows
    assert [r.label for r in rows if r.kind == "sector"][1:4] == [
        "Manufacturing",
        "Agriculture",
        "第三产业",
    ]


def test_english_counts_and_areas_read_as_english():
    en = Report.load(lang="en")
    text = " ".join(
        b.text for d in (en.overview(), en.sectors()) for b in d.blocks if isinstance(b, Paragraph)
    )
    # a count of 1 of 2 is 50%, as the table and the Chinese say; thousands grouped
    assert "Projects over 100 million yuan attracted: 1, 50% of the annual target of 2," in text
    assert "Community squares built: 2,000 m², 100.0% of the annual target of 2,000 m²" in text
    assert "Work-safety accidents: 0, within the cap of 2, 1 fewer than a year earlier." in text
    assert "New jobs: over 300 people," in text


def test_english_jobs_are_named_by_language_and_titled_in_english(tmp_path):
    ds = load_dataset(data_dir("district-demo"))
    zh = {j.org: j for j in plan_jobs(ds, "2013H1", out=tmp_path)}
    en = {j.org: j for j in plan_jobs(ds, "2013H1", out=tmp_path, lang="en")}
    assert (zh["南兴镇"].stem, en["南兴镇"].stem) == ("南兴镇", "南兴镇.en")
    assert (zh[""].stem, en[""].stem) == ("district", "district.en")
    assert en["南兴镇"].title == "Nanxing Town: progress report, H1 2013"
    assert zh["南兴镇"].title == "示范区南兴镇2013年上半年工作进度报告"
    assert en["南兴镇"].record()["lang"] == "en" and zh["南兴镇"].record()["lang"] == "zh"


# ------------------------------------------------ the district's English name (orgs.parent_en)


def _demo_copy(tmp_path: Path, **changes: object) -> Path:
    """The district demo with its orgs table changed (column → value, or None to drop it)."""
    data = tmp_path / "demo"
    shutil.copytree(data_dir("district-demo"), data)
    orgs = pd.read_csv(data / "orgs.csv", dtype=str, keep_default_na=False)
    for column, value in changes.items():
        if value is None:
            orgs = orgs.drop(columns=column)
        else:
            orgs[column] = value
    orgs.to_csv(data / "orgs.csv", index=False)
    return data


def test_the_english_district_report_is_titled_in_english(tmp_path):
    """orgs.parent_en names the district in English: the title, the totals' opening and
    caption say Shifan District, never 示范区; the Chinese report keeps 示范区."""
    ds = load_dataset(data_dir("district-demo"))
    en = {j.org: j for j in plan_jobs(ds, "2013H1", out=tmp_path, lang="en")}
    assert en[""].title == "Shifan District: township progress summary, H1 2013"
    district = District.load(lang="en", period="2013H1")
    assert district.title_text == "Shifan District: township progress summary, H1 2013"
    head = BeautifulSoup(district.title().body + district.totals().body, "html.parser")
    text = head.get_text(" ")
    assert "Shifan District: the 12 townships' figures summed" in text
    assert "Shifan District: main indicators, H1 2013 (sum of the townships)" in text
    assert "示范区" not in text
    zh = District.load(period="2013H1")
    assert zh.title_text == "示范区2013年上半年乡镇工作进度汇总报告"
    sub = next(b.text for b in Report.load(lang="en").title().blocks if isinstance(b, Paragraph))
    assert sub == "Shifan District · figures to the end of H1 2013 · time progress 50%"


@pytest.mark.parametrize(
    ("changes", "title"),
    [
        ({"parent_en": None}, "District: township progress summary, H1 2013"),
        ({"parent_en": ""}, "District: township progress summary, H1 2013"),
        (
            {"parent_en": None, "parent": "Riverside County"},
            "Riverside County: township progress summary, H1 2013",
        ),
        ({"parent": "", "parent_en": ""}, "District: township progress summary, H1 2013"),
    ],
)
def test_without_an_english_district_name_the_title_falls_back(tmp_path, changes, title):
    """No parent_en: a parent already in Latin letters is used as it is, a Chinese one gives
    the neutral District (never Chinese in an English title); the Chinese title is kept."""
    data = _demo_copy(tmp_path, **changes)
    ds = load_dataset(data)
    assert District(ds, "2013H1", lang="en").title_text == title
    zh = ds.district_name()
    assert zh == (
        "Riverside County" if changes.get("parent") else "全区" if "parent" in changes else "示范区"
    )


def test_the_township_subtitle_leaves_out_a_district_it_cannot_name(tmp_path):
    data = tmp_path / "sample"
    shutil.copytree(SAMPLE, data)
    orgs = pd.read_csv(data / "orgs.csv", dtype=str).drop(columns=["parent_en"])
    orgs.to_csv(data / "orgs.csv", index=False)
    en = Report.load(data, lang="en")
    sub = next(b.text for b in en.title().blocks if isinstance(b, Paragraph))
    assert sub == "figures to the end of H1 2013 · time progress 50%"
    zh = next(b.text for b in Report.load(data).title().blocks if isinstance(b, Paragraph))
    assert zh == "示范区 · 数据截至2013年6月底 · 序时进度6/12 = 50%"


def test_two_english_names_for_one_district_are_a_warning(tmp_path):
    data = _demo_copy(tmp_path)
    orgs = pd.read_csv(data / "orgs.csv", dtype=str)
    orgs.loc[3, "parent_en"] = "Demo District"
    orgs.to_csv(data / "orgs.csv", index=False)
    ds = load_dataset(data)
    warnings = [w for w in ds.warnings if w.column == "parent_en"]
    assert len(warnings) == 1 and warnings[0].row == 5  # the header is row 1
    assert warnings[0].message.startswith(
        "上级「示范区」的英文名称与前面写的「Shifan District」不同，英文报告用「Shifan District」"
    )
    assert ds.district_name("en") == "Shifan District"


def test_the_template_and_the_loader_know_parent_en(tmp_path):
    """The schema is the one source: the template's 乡镇 sheet has the column, under its
    Chinese name, and the loader reads it under that name."""
    import openpyxl

    from helpers.data.template import write_template

    book = write_template(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(book)["乡镇"]
    header = [c.value for c in ws[1]]
    assert "上级英文名称" in header
    data = _demo_copy(tmp_path)
    orgs = pd.read_csv(data / "orgs.csv", dtype=str)
    orgs.rename(columns={"parent": "所属区县", "parent_en": "上级英文名称"}).to_csv(
        data / "orgs.csv", index=False
    )
    assert load_dataset(data).district_name("en") == "Shifan District"
