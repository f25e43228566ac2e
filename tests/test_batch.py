"""The main job end to end: `kpibook run` on real data, real notebooks, real HTML and PDF."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import docx
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from helpers.data.dataset import load_dataset
from helpers.data.demo import generate_district
from helpers.output.render import external_references
from helpers.run.batch import Job, plan_jobs, run_jobs, shard_slice
from tests.pages import bold_text, faces, unknown_bold_selectors
from tests.tables import SAMPLE

KPIBOOK = Path(sys.executable).parent / "kpibook"
ORG = "太源镇"


def kpibook(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(KPIBOOK), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=600,
    )


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    result = kpibook("run", "--out", str(out), "--today", "2013-07-05")
    assert result.returncode == 0, result.stderr
    assert "index.html" in result.stdout
    return out / "2013H1"


def test_run_writes_every_format(sample_run):
    names = {p.name for p in sample_run.iterdir()}
    assert {
        f"{ORG}.html",
        f"{ORG}.pdf",
        f"{ORG}.docx",
        f"{ORG}.ipynb",
        f"{ORG}.xlsx",
        "index.html",
        "manifest.json",
    } <= names
    assert not any(n.endswith(".tmp") for n in names)
    assert (sample_run.parent / "index.html").is_file()


def test_html_is_offline_without_code_and_has_the_figures(sample_run):
    page = (sample_run / f"{ORG}.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert external_references(page) == []
    assert not soup.find_all("script", src=True) and not soup.find_all("link", href=True)
    assert soup.html["lang"] == "zh-CN"
    assert soup.title.string == f"{ORG}2013年上半年工作总结及打算"
    text = soup.get_text()
    assert "Report.load" not in text and "report.overview()" not in text  # no code shown
    assert 'data = ""' not in text and "injected" not in page.lower()  # no parameter cells
    assert not soup.select(".jp-InputPrompt, .jp-OutputPrompt")
    for figure in ("848万元", "1550万元", "54.7%", "5500万元", "109.7%", "工作亮点", "存在的问题"):
        assert figure in text, figure
    style = " ".join(s.get_text() for s in soup.find_all("style"))
    assert "@font-face" in style and "data:font/woff" in style and "Noto Sans SC" in style
    imgs = soup.find_all("img")
    assert imgs and all(i["src"].startswith("data:image/png;base64,") for i in imgs)
    assert "sha256" in text.lower() or "输入文件" in text  # provenance footer
    # ... which names the data set by its folder, never by a path of this machine
    assert str(SAMPLE) not in page and str(Path.cwd()) not in text and "/tmp/" not in text


def test_html_is_small_and_its_fonts_hold_what_it_shows(sample_run):
    """The sample page stays under 600 KB: the Bold face holds only the characters of bold
    elements, found here by applying the page's own bold CSS rules, not kpibook's list."""
    for name in (f"{ORG}.html", "index.html"):
        page = (sample_run / name).read_text(encoding="utf-8")
        soup = BeautifulSoup(page, "html.parser")
        for hidden in soup(["style", "script", "title"]):
            hidden.decompose()
        found = faces(page)
        shown = set(soup.get_text()) - set("\n\t\r")
        assert shown <= found[400], (name, shown - found[400])
        assert set(bold_text(page)) - set("\n\t\r") <= found[700], name
        assert len(found[700]) < len(found[400]), name  # the Bold face is the smaller cut
        assert not unknown_bold_selectors(page), name
    assert (sample_run / f"{ORG}.html").stat().st_size <= 600_000


def test_pdf_has_chinese_text_and_embedded_cjk_font(sample_run):
    reader = PdfReader(sample_run / f"{ORG}.pdf")
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)  # lines joined
    assert "国地两税" in text and "848万元" in text
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            inner = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = inner.get("/FontDescriptor")
            files = ("/FontFile", "/FontFile2", "/FontFile3")
            embedded = descriptor is not None and any(k in descriptor.get_object() for k in files)
            fonts[str(font["/BaseFont"])] = embedded
    cjk = {name: emb for name, emb in fonts.items() if "Noto" in name}
    assert cjk and all(cjk.values()), fonts


def test_docx_beside_the_report(sample_run):
    word = docx.Document(str(sample_run / f"{ORG}.docx"))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "国地两税" in text and "848万元" in text
    assert word.tables and word.inline_shapes


def test_manifest_and_index(sample_run):
    manifest = json.loads((sample_run / "manifest.json").read_text(encoding="utf-8"))
    [report] = manifest["reports"]
    assert report["status"] == "ok" and report["org"] == ORG
    assert report["parameters"]["period"] == "2013H1"
    assert set(report["inputs"]) >= {"actuals.csv", "targets.csv", "indicators.csv"}
    assert all(len(h) == 64 for h in report["inputs"].values())
    assert report["version"].startswith("0.1.0")
    assert report["metrics"]["indicators"] == 25 and report["seconds"] > 0
    index = BeautifulSoup((sample_run / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"] for a in index.find_all("a")}
    assert any(
        ORG in requote
        for requote in map(lambda h: __import__("urllib.parse").parse.unquote(h), links)
    )


def test_xlsx_beside_the_report(sample_run):
    from openpyxl import load_workbook

    ws = load_workbook(sample_run / f"{ORG}.xlsx").active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert 848 in values and any("主要经济指标完成情况表" in str(v) for v in values)


def test_papermill_cli_runs_the_notebook_from_anywhere(tmp_path):
    out = tmp_path / "out.ipynb"
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "papermill"),
            str(Path(__file__).parents[1] / "notebooks" / "report.ipynb"),
            str(out),
            "-p",
            "org",
            ORG,
            "-p",
            "period",
            "2013H1",
            "-k",
            "python3",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "848万元" in out.read_text(encoding="utf-8")


def _copy_sample(folder: Path) -> Path:
    shutil.copytree(SAMPLE, folder)
    return folder


def test_failed_report_keeps_the_last_good_one(tmp_path):
    """A notebook that raises leaves failed/ outputs, a one-line error, and the good report."""
    data = _copy_sample(tmp_path / "data")
    out = tmp_path / "reports"
    ds = load_dataset(data)
    [job] = plan_jobs(ds, "2013H1", out=out, formats=("html", "ipynb"), data=str(data))
    [good] = run_jobs([job], workers=1)
    assert good["status"] == "ok"
    before = {
        p.name: p.read_bytes() for p in (out / "2013H1").iterdir() if p.is_file() and ORG in p.name
    }
    # bad data injected after validation: the notebook itself must fail on it
    actuals = data / "actuals.csv"
    actuals.write_text(
        actuals.read_text(encoding="utf-8").replace(",848,", ",84x8,"), encoding="utf-8"
    )
    [bad] = run_jobs([job], workers=1)
    assert bad["status"] == "failed"
    assert (
        "\n" not in bad["error"] and "DataErrors" in bad["error"] and "84x8" not in bad["error"][:0]
    )
    failed = out / "2013H1" / "failed"
    page = (failed / f"{ORG}.html").read_text(encoding="utf-8")
    assert "84x8" in page and "actuals.csv" in page  # the error, shown in the failed HTML
    assert (failed / f"{ORG}.ipynb").is_file()
    after = {
        p.name: p.read_bytes() for p in (out / "2013H1").iterdir() if p.is_file() and ORG in p.name
    }
    assert after == before  # the last good report untouched


def test_the_district_report_starts_first_and_records_keep_job_order(tmp_path):
    """The longest report starts first, so it does not run alone at the end of a batch; the
    records still come back in the jobs' order (townships, then the district)."""
    data = generate_district(tmp_path / "data", towns=3)
    jobs = plan_jobs(load_dataset(data), "2013H1", out=tmp_path / "out", formats=("html",))
    assert [j.kind for j in jobs] == ["report", "report", "report", "district"]
    finished: list[str] = []
    records = run_jobs(jobs, workers=1, on_done=lambda r: finished.append(r["kind"]))
    assert finished == ["district", "report", "report", "report"]  # one worker: in start order
    assert [r["stem"] for r in records] == [j.stem for j in jobs]
    assert all(r["status"] == "ok" for r in records)


def test_cli_exit_1_when_reports_fail_and_good_ones_survive(tmp_path):
    out = tmp_path / "reports"
    assert (
        kpibook("run", "--out", str(out), "--to", "html", "--today", "2013-07-05").returncode == 0
    )
    good = (out / "2013H1" / f"{ORG}.html").read_bytes()
    result = kpibook(
        "run",
        "--out",
        str(out),
        "--to",
        "html",
        "--today",
        "2013-07-05",
        "--timeout",
        "0.05",
        "--force",
    )
    assert result.returncode == 1
    assert ORG in result.stderr and "timed out" in result.stderr.lower()
    assert "Traceback" not in result.stderr  # one readable line per failure, not a wall
    assert f"失败 (failed) {ORG}: 超时" in result.stderr  # Chinese first
    assert "(timed out after 0.05 s)" in result.stderr
    assert (out / "2013H1" / f"{ORG}.html").read_bytes() == good
    assert not [p for p in (out / "2013H1").iterdir() if p.name.endswith(".tmp")]
    manifest = json.loads((out / "2013H1" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["failed"] == 1


def test_shard_slices_are_disjoint_and_complete():
    towns = [f"t{i}" for i in range(10)]
    parts = [shard_slice(towns, f"{k}/3") for k in (1, 2, 3)]
    assert sorted(sum(parts, [])) == sorted(towns)
    assert shard_slice(towns, "1/3") == shard_slice(towns, "1/3")


def test_job_parameters_are_values():
    job = Job(
        "report", "x\"; import os; os.system('echo pwned') #", "x", "2013H1", "d", "o", ("html",)
    )
    assert job.parameters["org"] == "x\"; import os; os.system('echo pwned') #"


def test_the_fallback_period_warning_has_full_width_chinese_punctuation():
    from helpers.data.choose import resolve_period

    period, warning = resolve_period(load_dataset(SAMPLE), None, date(2026, 12, 4))
    assert period == "2013H1"
    assert warning is not None and warning.startswith(
        "警告：数据中没有 2026H1（今天之前最近一个已结束的半年）的数据，改为报告数据中最新的 2013H1。"
    )
    chinese = warning.split(" (warning")[0]
    assert not set(chinese) & set(",():;")  # half-width only in the English part
