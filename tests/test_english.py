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
