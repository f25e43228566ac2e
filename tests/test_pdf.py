"""helpers.output.pdf: Documents set by Typst as A4 PDFs, read back with pypdf.

Real fonts, a real matplotlib chart, real Typst; nothing is mocked. Text is compared with
whitespace removed, as PDF text extraction inserts spaces and newlines of its own.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pypdf
import pytest

from helpers.document.fonts import register_matplotlib
from helpers.document.model import (
    BulletList,
    Cell,
    Column,
    Document,
    Figure,
    Heading,
    Paragraph,
    Row,
    Run,
    Table,
)
from helpers.document.palette import STATUS_TINTS
from helpers.output.pdf import PdfError, _payload, _quiet, document_pdf, document_png

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "截至6月底，完成国地两税848万元，占全年任务1550万元的54.7%。"
HOSTILE = [
    "#set text(red)",
    "$x^2$",
    "*bold*",
    "<script>",
    "\\",
    "]",
    "@ref",
    "_x_",
    '#import "/etc/passwd"',
    "[#panic()]",
]
STATUSES = ["exceeded", "ahead", "slightly_behind", "behind", "far_behind", "no_data"]
LABELS = {
    "exceeded": "超额完成",
    "ahead": "快于序时",
    "slightly_behind": "略慢于序时",
    "behind": "滞后",
    "far_behind": "严重滞后",
    "no_data": "无数据",
}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def chart_png() -> bytes:
    from matplotlib.figure import Figure as MplFigure

    register_matplotlib()
    fig = MplFigure(figsize=(6, 3), layout="constrained")
    ax = fig.add_subplot()
    ax.barh(["国地两税", "固定资产投资", "招商引资"], [54.7, 61.2, 38.0])
    ax.set_title("上半年完成率（%）")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def progress_table(n: int = 40) -> Table:
    """A two-level table of ``n`` indicator rows under four sector rows."""
    cols = [
        Column("name", "指标", "name"),
        Column("unit", "单位", "text"),
        Column("target", "全年目标", group="全年", sub="目标"),
        Column("actual", "1-6月累计", group="全年", sub="1-6月累计"),
        Column("completion", "完成率", group="全年", sub="完成率"),
        Column("pace", "序时进度"),
        Column("gap", "超(欠)序时", hint="个百分点"),
        Column("status", "状态", "status"),
        Column("remark", "备注", "note"),
    ]
    rows = []
    for i in range(n):
        if i % 10 == 0:
            rows.append(Row("sector", label=f"{'一二三四五'[i // 10]}、领域{i // 10 + 1}"))
        status = STATUSES[i % len(STATUSES)]
        rows.append(
            Row(
                "indicator",
                status=status,
                cells={
                    "name": Cell(f"指标{i + 1}号国地两税"),
                    "unit": Cell("万元"),
                    "target": Cell(f"{1550 + 37 * i:,}", 1550 + 37 * i),
                    "actual": Cell(f"{848 + i}"),
                    "completion": Cell(f"{54.7 + i / 10:.1f}%"),
                    "pace": Cell("50.0%"),
                    "gap": Cell(f"+{4.7 + i / 10:.1f}"),
                    "status": Cell(LABELS[status]),
                    "remark": Cell(HOSTILE[i % len(HOSTILE)] if i < len(HOSTILE) else ""),
                },
            )
        )
    return Table(
        cols,
        rows,
        caption="主要经济指标完成情况表",
        notes=["注：完成率=累计完成/全年目标。", "来源 #set text(red) 与 $x$。"],
    )


def report(png: bytes) -> Document:
    return Document(
        [
            Heading("城关镇2013年上半年工作总结", level=1),
            Paragraph.of("（2013年7月5日）", "subtitle"),
            Heading("主要经济指标完成情况", 2, "一、"),
            Heading("财税收入", 3, "（一）"),
            Paragraph((Run(SENTENCE), Run("超序时进度4.7个百分点。", bold=True))),
            Paragraph.of("照印：" + " ".join(HOSTILE)),
            Figure(png, alt="完成率条形图", caption="图1  上半年主要指标完成率"),
            BulletList(
                (Paragraph.of("安全生产事故1起，控制在3起以内。"), Paragraph.of("城镇化率53.5%。"))
            ),
            Paragraph.of("注：本报告数据为快报数。", "note"),
            Heading("指标表", 2, "二、"),
            progress_table(),
            Paragraph.of("特此报告。"),
        ],
        title="城关镇2013年上半年工作总结",
    )


@pytest.fixture(scope="module")
def png() -> bytes:
    return chart_png()


@pytest.fixture(scope="module")
def doc(png: bytes) -> Document:
    return report(png)


@pytest.fixture(scope="module")
def pdf(doc: Document) -> bytes:
    return document_pdf(doc)


@pytest.fixture(scope="module")
def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def page_texts(reader: pypdf.PdfReader) -> list[str]:
    return [squash(page.extract_text()) for page in reader.pages]


# ------------------------------------------------------------------------------- text


def test_sentences_and_hostile_text_are_printed_literally(reader):
    text = "".join(page_texts(reader))
    for expected in [
        SENTENCE,
        "城关镇2013年上半年工作总结",
        "一、主要经济指标完成情况",
        "（一）财税收入",
        "超序时进度4.7个百分点。",
        "安全生产事故1起",
        "图1上半年主要指标完成率",
        "注：本报告数据为快报数。",
        "特此报告。",
    ]:
        assert squash(expected) in text
    for hostile in HOSTILE + ["来源#settext(red)与$x$。"]:
        assert squash(hostile) in text, hostile
    assert text.count(squash("#set text(red)")) >= 3  # paragraph, table cell, table note


def test_hostile_text_changes_no_style(reader):
    """``#set text(red)`` in data turns nothing red: no pure red fill anywhere."""
    for page in reader.pages:
        colours = colour_triples(page)
        assert not any(abs(r - 1) < 0.01 and g < 0.01 and b < 0.01 for r, g, b in colours)


def test_title_is_metadata_and_headings_are_bookmarks(reader):
    assert reader.metadata.title == "城关镇2013年上半年工作总结"
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    assert titles[:3] == [
        "城关镇2013年上半年工作总结",
        "一、主要经济指标完成情况",
        "（一）财税收入",
    ]


def test_document_title_is_shown_when_no_heading_gives_one():
    pdf = document_pdf(Document([Paragraph.of("正文。")], title="甲镇上半年工作总结"))
    text = squash(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert text.startswith("甲镇上半年工作总结") and "正文。" in text


# ------------------------------------------------------------------------------- pages


def test_a4_pages(reader):
    for page in reader.pages:
        box = page.mediabox
        assert abs(float(box.width) - 595.28) < 1 and abs(float(box.height) - 841.89) < 1


def test_page_numbers_between_dashes_at_the_outside_edge(reader):
    assert len(reader.pages) >= 3
    for number, page in enumerate(reader.pages, start=1):
        assert f"—{number}—" in squash(page.extract_text())
        xs = []

        def visit(text, cm, tm, font, size, number=number, xs=xs):
            if text.strip() == str(number) or f" {number} " in text:
                xs.append(cm[4] + tm[4])

        page.extract_text(visitor_text=visit)
        assert xs, f"no page number found on page {number}"
        x = xs[-1]  # the footer is the last thing on the page
        assert (x > 400) if number % 2 else (x < 200), (number, x)


def test_long_table_spans_pages_with_its_header_on_each(reader):
    texts = page_texts(reader)
    pages = [i for i, t in enumerate(texts) if re.search(r"指标\d+号国地两税", t)]
    assert len(pages) >= 2
    assert "指标40号国地两税" in texts[pages[-1]]
    for i in pages:
        for label in ("指标", "单位", "全年", "目标", "完成率", "序时", "状态", "备注"):
            assert label in texts[i], (i, label)
        head = texts[i].index("全年")
        first_row = re.search(r"指标\d+号国地两税", texts[i]).start()
        assert head < first_row  # the header is at the top of the table on every page


def test_every_indicator_row_and_sector_row_is_there(reader):
    text = "".join(page_texts(reader))
    for i in range(1, 41):
        assert f"指标{i}号国地两税" in text
    for sector in ("一、领域1", "二、领域2", "三、领域3", "四、领域4"):
        assert sector in text


def test_status_cells_are_tinted_quietly(reader):
    colours = {c for page in reader.pages for c in colour_triples(page)}
    for status in STATUSES:
        tint = _quiet(STATUS_TINTS[status])
        want = tuple(int(tint[i : i + 2], 16) / 255 for i in (1, 3, 5))
        assert any(all(abs(a - b) < 0.01 for a, b in zip(want, c)) for c in colours), status
        assert min(want) > 0.7  # quiet: light enough for dark text


def colour_triples(page) -> set[tuple[float, float, float]]:
    data = page.get_contents().get_data().decode("latin-1")
    found = re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) (?:scn|sc|rg)\b", data)
    return {(float(r), float(g), float(b)) for r, g, b in found}


def test_two_level_header_spans():
    data = _payload(Document([progress_table(3)]))[0]
    import json

    table = json.loads(data)["blocks"][0]
    top, sub = table["header"]
    assert [(c["lines"], c["colspan"], c["rowspan"]) for c in top] == [
        (["指标"], 1, 2),
        (["单位"], 1, 2),
        (["全年"], 3, 1),
        (["序时", "进度"], 1, 2),
        (["超（欠）", "序时"], 1, 2),
        (["状态"], 1, 2),
        (["备注"], 1, 2),
    ]
    assert [c["lines"] for c in sub] == [["目标"], ["1-6月", "累计"], ["完成率"]]
    assert top[4]["hint"] == "个百分点"
    assert table["align"] == [
        "left",
        "left",
        "right",
        "right",
        "right",
        "right",
        "right",
        "center",
        "left",
    ]
    sector = table["rows"][0]
    assert sector["sector"] == "一、领域1" and sector["keep"] is True
    assert len(table["widths"]) == 9 and all(w > 0 for w in table["widths"])


def test_one_level_table_has_one_header_row():
    table = Table(
        [Column("name", "项目", "name"), Column("money", "总投资", hint="万元")],
        [Row("indicator", cells={"name": Cell("道路#1"), "money": Cell("1,200")})],
    )
    pdf = document_pdf(Document([table]))
    text = squash(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text())
    assert "项目" in text and "总投资万元" in text and "道路#11,200" in text


# ------------------------------------------------------------------------------- fonts, images


def test_every_font_is_embedded_noto_with_a_real_bold(reader):
    names = set()
    for page in reader.pages:
        for font in page_fonts(page["/Resources"]):
            base = str(font["/BaseFont"])
            names.add(base)
            assert "Noto" in base, base
            descriptor = (
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                if "/DescendantFonts" in font
                else font["/FontDescriptor"]
            )
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), base
    assert any("NotoSansSC-Bold" in n for n in names)
    assert any("NotoSerifSC-Regular" in n for n in names)
    assert any("NotoSansSC-Regular" in n for n in names)


def page_fonts(resources) -> list:
    """The fonts of a resource dictionary and of the form XObjects in it."""
    out = [f.get_object() for f in resources.get("/Font", {}).values()]
    for xobject in resources.get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            out += page_fonts(xobject["/Resources"])
    return out


def test_figure_is_an_image_within_the_text_width(reader, png):
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1
    assert images[0].image.size == (600, 300)  # 6 × 3 in at 100 dpi: the PNG as drawn
    # the image is placed no wider than the text (156 mm), with its caption on its page
    page = next(p for p in reader.pages if p.images)
    assert "图1上半年主要指标完成率" in squash(page.extract_text())
    widths = [
        float(m.group(1))
        for m in re.finditer(
            r"([\d.]+) 0 0 (-?[\d.]+) [\d.]+ [\d.]+ cm\s*/x\d+ Do",
            page.get_contents().get_data().decode("latin-1"),
        )
    ]
    assert widths and all(w <= 156 / 25.4 * 72 + 0.5 for w in widths)


def test_wide_figure_is_scaled_to_the_text_width(png):
    pdf = document_pdf(Document([Figure(png, alt="图", width_in=12, height_in=6)]))
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    data = page.get_contents().get_data().decode("latin-1")
    width = float(re.search(r"([\d.]+) 0 0 -?[\d.]+ [\d.]+ [\d.]+ cm\s*/x\d+ Do", data).group(1))
    assert abs(width - 156 / 25.4 * 72) < 1


def test_a_figure_that_is_not_a_png_is_refused():
    with pytest.raises(PdfError, match="not a PNG"):
        document_pdf(Document([Figure(b"GIF89a....", alt="x")]))


# ------------------------------------------------------------------------------- output


def test_png_pages(doc, tmp_path):
    pages = document_png(doc, ppi=60)
    assert len(pages) == len(pypdf.PdfReader(io.BytesIO(document_pdf(doc))).pages)
    for i, page in enumerate(pages, start=1):
        assert page[:8] == b"\x89PNG\r\n\x1a\n"
        (tmp_path / f"page-{i}.png").write_bytes(page)
    import struct

    width, height = struct.unpack(">II", pages[0][16:24])
    assert abs(width - 210 / 25.4 * 60) <= 1 and abs(height - 297 / 25.4 * 60) <= 1


def test_same_document_same_bytes(doc, pdf):
    assert document_pdf(doc) == pdf
    assert document_pdf(Document.from_json(doc.to_json())) == pdf


def test_empty_and_english_documents():
    empty = pypdf.PdfReader(io.BytesIO(document_pdf(Document())))
    assert len(empty.pages) == 1
    english = Document(
        [Heading("Progress", 2, "1. "), Paragraph.of("Tax: 848 of 1,550.")], lang="en"
    )
    text = squash(pypdf.PdfReader(io.BytesIO(document_pdf(english))).pages[0].extract_text())
    assert "1.Progress" in text and "Tax:848of1,550." in text


def test_reused_compiler_is_fast(doc):
    document_pdf(doc)
    start = time.perf_counter()
    for _ in range(3):
        document_pdf(doc)
    assert (time.perf_counter() - start) / 3 < 1.0


# ------------------------------------------------------------------------------- processes


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_child_forked_after_a_compile_still_gets_its_pdf(doc, pdf, tmp_path):
    """Typst hangs in a child forked after its parent compiled; the module compiles such a
    child's documents in a fresh interpreter instead."""
    document_pdf(doc)  # this process has compiled
    out = tmp_path / "child.pdf"
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            out.write_bytes(document_pdf(doc))
            code = 0
        finally:
            os._exit(code)
    deadline = time.monotonic() + 120
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            pytest.fail("the forked child hung")
        time.sleep(0.05)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert out.read_bytes() == pdf


def test_works_with_the_cache_off(tmp_path):
    """With ``KPIBOOK_CACHE=off`` the Bold is made in a temporary folder of the process and
    removed when it exits (slow: the whole font is instanced, ~20–30 s)."""
    script = textwrap.dedent("""
        import io, sys
        import pypdf
        from helpers.document.model import Document, Paragraph, Run
        from helpers.output import fonts
        from helpers.output.pdf import document_pdf
        pdf = document_pdf(Document([Paragraph((Run("加粗", bold=True), Run("常规")))]))
        page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
        names = [str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()]
        print(fonts.static_font_files((700,))[700])
        print(" ".join(names))
    """)
    env = {
        **os.environ,
        "KPIBOOK_CACHE": "off",
        "PYTHONPATH": str(ROOT / "src"),
        "TMPDIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    path, names = done.stdout.splitlines()
    assert Path(path).is_relative_to(tmp_path)
    assert "NotoSansSC-Bold" in names
    assert not Path(path).exists()  # removed at exit


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_prepare_before_fork_lets_children_compile_in_process():
    """:func:`prepare` in a parent loads fonts without compiling, so a forked child compiles
    in its own process (no fresh interpreter) and does not hang."""
    script = textwrap.dedent("""
        import os, sys, time
        from helpers.document.model import Document, Paragraph
        from helpers.output import pdf
        pdf.prepare()
        pid = os.fork()
        if pid == 0:
            out = pdf.document_pdf(Document([Paragraph.of("子进程")]))
            os._exit(0 if out.startswith(b"%PDF") and pdf._STATE["used"] == os.getpid() else 3)
        deadline = time.monotonic() + 60
        while not os.waitpid(pid, os.WNOHANG)[0]:
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                sys.exit("hung")
            time.sleep(0.05)
        print("ok")
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_prepare_with_a_batchs_text_sets_what_it_covers_with_cut_fonts(tmp_path):
    """A batch's characters get the three faces cut to them (small files, in the cache);
    a document within them is set with those, one with another character with the whole
    faces, and both read back as written."""
    script = textwrap.dedent("""
        import io, json
        import pypdf
        from helpers.document.model import Document, Paragraph, Run
        from helpers.output import pdf
        pdf.prepare("甲镇加粗常规完成")
        inside = Document([Paragraph((Run("加粗", bold=True), Run("常规甲镇完成")))])
        outside = Document([Paragraph.of("甲镇龘")])
        out = {}
        for name, doc in (("inside", inside), ("outside", outside)):
            source, _ = pdf._payload(doc)
            page = pypdf.PdfReader(io.BytesIO(pdf.document_pdf(doc))).pages[0]
            out[name] = {
                "folders": list(pdf._font_folders(source)),
                "text": "".join(page.extract_text().split()),
                "fonts": sorted(str(f.get_object()["/BaseFont"]).split("+")[-1]
                                for f in page["/Resources"]["/Font"].values()),
            }
        out["cut"] = str(pdf._STATE["cut"][1])
        print(json.dumps(out, ensure_ascii=False))
    """)
    env = {**os.environ, "KPIBOOK_CACHE": str(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    cut = Path(got["cut"])
    assert cut.is_relative_to(tmp_path)
    assert sorted(p.name for p in cut.iterdir() if not p.name.startswith(".")) == sorted(
        ["NotoSansSC-Regular.otf", "NotoSerifSC-Regular.otf", "NotoSansSC-Bold.ttf"]
    )
    assert all(p.stat().st_size < 1_000_000 for p in cut.iterdir())  # the whole faces: 8–12 MB
    assert got["inside"]["folders"] == [str(cut)]
    assert got["outside"]["folders"] and str(cut) not in got["outside"]["folders"]
    assert "加粗常规甲镇完成" in got["inside"]["text"]
    assert "甲镇龘" in got["outside"]["text"]
    assert "NotoSansSC-Bold" in got["inside"]["fonts"]
    assert any(f.startswith("NotoSerifSC-Regular") for f in got["inside"]["fonts"])
