"""One document, three formats: the sample report's executed notebook, read back as a Document,
rendered to PDF and Word, and exported by nbconvert through kpibook's exporters."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import docx
import nbformat
import papermill
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from helpers.base.resources import data_dir, notebooks_dir
from helpers.document.model import MIME, Document, Heading, Paragraph, Table
from helpers.output.formats import notebook_document, render_document
from helpers.output.render import html_from_notebook
from helpers.run.engine import ENGINE_NAME
from tests.tables import HALF_WIDTH

ORG = "太源镇"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> Path:
    """report.ipynb on the sample, through papermill with the batch's engine."""
    out = tmp_path_factory.mktemp("formats") / f"{ORG}.ipynb"
    papermill.execute_notebook(
        str(notebooks_dir() / "report.ipynb"),
        str(out),
        parameters={"data": str(data_dir("sample")), "org": ORG, "period": "2013H1"},
        engine_name=ENGINE_NAME,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(notebooks_dir()),
    )
    return out


@pytest.fixture(scope="module")
def doc(executed) -> Document:
    return notebook_document(nbformat.read(executed, as_version=4))


def _squash(text: str) -> str:
    return "".join(text.split())


def test_every_section_is_stored_as_json_beside_its_html(executed):
    nb = nbformat.read(executed, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    stored = [o for o in outputs if MIME in o.get("data", {})]
    assert len(stored) >= 6
    assert all("text/html" in o["data"] for o in stored)


def test_the_document_reads_back_in_order(doc):
    headings = [(b.level, b.full) for b in doc.blocks if isinstance(b, Heading)]
    assert headings[0] == (1, "太源镇2013年上半年工作总结及打算")
    assert [h for _, h in headings if h.startswith(("一、", "二、"))] == [
        "一、总体情况",
        "二、分领域完成情况",
    ]
    assert any(level == 3 and text.startswith("（一）工业") for level, text in headings)
    body = " ".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    assert "848万元" in body and "1550万元" in body
    assert sum(isinstance(b, Table) for b in doc.blocks) == 2  # projects and the 完成情况表
    assert Document.from_json(doc.to_json()).to_json() == doc.to_json()


#: The page number Typst sets in each page's footer, the last text of the page: — 3 —.
PAGE_NUMBER = re.compile(r"—(\d+)—$")


def _pdf_body(pdf: PdfReader) -> str:
    """The PDF's text without its page numbers, so that a paragraph running over a page
    break reads as one; every page must carry its own number, in order."""
    pages = []
    for number, page in enumerate(pdf.pages, start=1):
        text = _squash(page.extract_text())
        found = PAGE_NUMBER.search(text)
        assert found and found[1] == str(number), (number, text[-20:])
        pages.append(text[: found.start()])
    return "".join(pages)


def test_html_pdf_and_word_say_the_same_things(executed, doc):
    nb = nbformat.read(executed, as_version=4)
    page = BeautifulSoup(html_from_notebook(nb, title="t"), "html.parser").get_text()
    pdf = PdfReader(io.BytesIO(render_document(doc, "pdf")))
    pdf_text = _pdf_body(pdf)
    word = docx.Document(io.BytesIO(render_document(doc, "docx")))
    word_text = _squash("\n".join(p.text for p in word.paragraphs))
    headings = [b.full for b in doc.blocks if isinstance(b, Heading)]
    sentences = [b.text for b in doc.blocks if isinstance(b, Paragraph) and b.role == "body"]
    for text in headings + sentences[:4]:
        assert _squash(text) in _squash(page), text
        assert _squash(text) in pdf_text, text
        assert _squash(text) in word_text, text
    assert len(pdf.pages) > 3


def test_word_draft_has_headings_table_images_and_east_asian_fonts(doc):
    word = docx.Document(io.BytesIO(render_document(doc, "docx")))
    styled = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "一、总体情况") in styled
    assert any(name == "Heading 2" and text.startswith("（一）工业") for name, text in styled)
    assert len(word.tables) == 2 and len(word.inline_shapes) >= 4
    progress = word.tables[-1]
    assert progress._tbl.xpath(".//w:gridSpan") and progress._tbl.xpath(".//w:vMerge")
    runs = word.element.body.iter(f"{W}r")
    assert all(r.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") for r in runs)
    section = word.sections[0]
    assert abs(section.top_margin.mm - 37) < 0.5 and abs(section.left_margin.mm - 28) < 0.5


def test_chinese_text_has_full_width_punctuation_in_every_format(executed, doc):
    word = docx.Document(io.BytesIO(render_document(doc, "docx")))
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    word_texts = [p.text for p in word.paragraphs] + cells
    assert any("截至6月底，" in t and "848万元，占全年任务1550万元的" in t for t in word_texts)
    nb = nbformat.read(executed, as_version=4)
    page = BeautifulSoup(html_from_notebook(nb, title="t"), "html.parser")
    for style in page(["style", "script"]):
        style.decompose()
    pdf = PdfReader(io.BytesIO(render_document(doc, "pdf")))
    for where, text in [
        ("docx", "\n".join(word_texts)),
        ("html", page.get_text("\n")),
        ("pdf", "\n".join(p.extract_text() for p in pdf.pages)),
    ]:
        assert not HALF_WIDTH.findall(text), (where, HALF_WIDTH.findall(text)[:10])


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_nbconvert_exports_an_executed_report(executed, tmp_path, fmt):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "jupyter",
            "nbconvert",
            "--to",
            f"kpibook_{fmt}",
            "--output-dir",
            str(tmp_path),
            str(executed),
        ],
        check=True,
        capture_output=True,
    )
    made = tmp_path / f"{ORG}.{fmt}"
    if fmt == "pdf":
        text = "".join(p.extract_text() for p in PdfReader(made).pages)
        assert "848万元" in _squash(text)
    else:
        assert any("848万元" in p.text for p in docx.Document(str(made)).paragraphs)


def test_nbconvert_refuses_a_notebook_without_report_sections(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("空")])
    path = tmp_path / "empty.ipynb"
    nbformat.write(nb, path)
    result = subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "kpibook_pdf", str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "没有报告内容" in result.stderr
    assert not (tmp_path / "empty.pdf").exists()


def test_no_file_hash_or_machine_path_in_the_body(executed, doc):
    """Provenance is the footer's and the manifest's; the body leaders read names no file."""
    body = " ".join(
        b.text if isinstance(b, Paragraph) else " ".join(p.text for p in getattr(b, "items", ()))
        for b in doc.blocks
    )
    word = docx.Document(io.BytesIO(render_document(doc, "docx")))
    pdf = PdfReader(io.BytesIO(render_document(doc, "pdf")))
    for where, text in [
        ("model", body),
        ("docx", "\n".join(p.text for p in word.paragraphs)),
        ("pdf", "\n".join(p.extract_text() for p in pdf.pages)),
    ]:
        for machine in ("sha256", "/tmp/", "/work/", "README.md", ".csv"):
            assert machine not in text, (where, machine)
    assert "位次" not in body  # one township: no ranks, no word about them
