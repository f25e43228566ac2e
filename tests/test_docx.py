"""The Word rendering of a Document in the official layout (GB/T 9704-2012), read back."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt

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
from helpers.output.docx import document_docx
from helpers.sections.report import note_blocks

SENTENCE = "截至6月底，完成国地两税848万元，占全年任务1550万元的54.7%。"
TITLE = "甲镇2013年上半年工作总结"
HOSTILE = "<w:t>注意</w:t> &amp; =SUM(A1) \"引号\" 'x'"
HEADINGS = [
    ("一、", "主要经济指标完成情况", 2),
    ("（一）", "财税收入", 3),
    ("1. ", "国地两税", 4),
    ("（二）", "项目建设", 3),
    ("二、", "存在的问题", 2),
    ("三、", "下半年工作打算", 2),
]


def _chart_png() -> bytes:
    from helpers.document.fonts import register_matplotlib

    register_matplotlib()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3), dpi=100)
    ax.barh(["国地两税", "固定资产投资", "规上工业增加值"], [54.7, 50.3, 48.1], color="#3f6fa8")
    ax.axvline(50, color="#2456a6", linestyle="--")
    ax.set_xlabel("完成率（%）")
    ax.set_title("主要指标完成进度")
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _table() -> Table:
    cols = [
        Column("name", "指标名称", "name"),
        Column("unit", "单位", "text"),
        Column("target", "全年目标", "num", group="全年", sub="目标"),
        Column("rate", "完成率%", "num", group="全年", sub="完成率%"),
        Column("cum", "1-6月累计", "num"),
        Column("status", "状态", "status"),
    ]

    def ind(name: str, unit: str, target: str, rate: str, cum: str, status: str, label: str) -> Row:
        return Row(
            "indicator",
            status=status,
            cells={
                "name": Cell(name),
                "unit": Cell(unit),
                "target": Cell(target, float(target)),
                "rate": Cell(rate),
                "cum": Cell(cum),
                "status": Cell(label),
            },
        )

    rows = [
        Row("sector", "一、财税"),
        ind("国地两税", "万元", "1550", "54.7", "848", "ahead", "超序时"),
        ind("一般预算收入", "万元", "900", "43.2", "389", "slightly_behind", "略滞后"),
        Row("sector", "二、投资"),
        ind("社会固定资产投资", "万元", "12000", "50.3", "6035", "ahead", "超序时"),
        ind("工业投资", "万元", "5000", "12.0", "600", "far_behind", "严重滞后"),
        ind(HOSTILE, "个", "3", "133.3", "4", "exceeded", "超额完成"),
    ]
    return Table(
        cols,
        rows,
        caption="表1 甲镇2013年1-6月主要经济指标完成情况表",
        notes=["注：1-6月累计含6月预计数。", "数据来源：镇统计站\x0b（6月30日）。"],
    )


def _document(png: bytes) -> Document:
    blocks: list = [Heading(TITLE, 1), Paragraph.of("（2013年7月）", "subtitle")]
    body = [
        Paragraph.of(
            "今年以来，全镇上下紧紧围绕年初确定的目标任务，"
            "抓项目、促发展、保稳定，各项工作取得了新的进展。" * 3
        )
    ]
    for number, text, level in HEADINGS:
        blocks.append(Heading(text, level, number))
        if number == "1. ":
            blocks.append(Paragraph((Run(SENTENCE),)))
            blocks.append(_table())
            blocks.append(
                Figure(
                    png,
                    alt="主要指标完成率条形图",
                    caption="图1 主要指标完成进度",
                    width_in=8.0,
                    height_in=3.0,
                )
            )
        elif number == "二、":
            blocks.append(
                BulletList(
                    (
                        Paragraph.of("招商引资项目落地慢。"),
                        Paragraph.of("2. 部分指标滞后序时进度。"),
                        Paragraph((Run("安全生产", bold=True), Run("压力大。"))),
                    ),
                    ordered=True,
                )
            )
            blocks.append(BulletList((Paragraph.of("无序的一条。"),)))
        else:
            blocks += body
    note = "注：数据截至6月底\x0b部分为预计数。" + HOSTILE + "\x00\x07"
    blocks.append(Paragraph.of(note, "note"))
    return Document(
        blocks,
        title=TITLE,
        provenance={
            "inputs": "/srv/data/actuals.csv",
            "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "version": "kpibook 0.1.0",
        },
    )


@pytest.fixture(scope="module")
def png() -> bytes:
    return _chart_png()


@pytest.fixture(scope="module")
def model(png: bytes) -> Document:
    return _document(png)


@pytest.fixture(scope="module")
def data(model: Document) -> bytes:
    return document_docx(model)


@pytest.fixture(scope="module")
def word(data: bytes):
    return docx.Document(io.BytesIO(data))


def _styled(word) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in word.paragraphs]


def _parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


# ------------------------------------------------------------------------------ structure


def test_is_a_docx_with_title_first(data: bytes, word) -> None:
    assert data[:2] == b"PK"
    first = word.paragraphs[0]
    assert first.style.name == "Title" and first.text == TITLE
    assert first.alignment in (None, WD_ALIGN_PARAGRAPH.CENTER)
    assert word.styles["Title"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    second = word.paragraphs[1]
    assert second.style.name == "Subtitle" and second.text == "（2013年7月）"
    assert sum(1 for s, _ in _styled(word) if s == "Title") == 1  # doc.title is not repeated
    assert word.core_properties.title == TITLE


def test_headings_in_order_with_word_heading_styles(word) -> None:
    found = [(s, t) for s, t in _styled(word) if s.startswith("Heading")]
    expected = [(f"Heading {level - 1}", number + text) for number, text, level in HEADINGS]
    assert found == expected
    for name, east, bold, outline in (
        ("Heading 1", "黑体", False, 0),
        ("Heading 2", "楷体", False, 1),
        ("Heading 3", "仿宋_GB2312", True, 2),
    ):
        style = word.styles[name]
        assert style.font.size == Pt(16)
        assert bool(style.font.bold) is bold
        rfonts = style.element.rPr.find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsia")) == east
        assert rfonts.get(qn("w:ascii")) == "Times New Roman"
        assert style.element.pPr.find(qn("w:outlineLvl")).get(qn("w:val")) == str(outline)
        assert style.font.color.rgb is None  # no blue theme colour left


def test_title_from_doc_title_when_no_level_one_heading() -> None:
    doc = Document([Heading("主要指标", 2, "一、"), Paragraph.of(SENTENCE)], title=TITLE)
    word = docx.Document(io.BytesIO(document_docx(doc)))
    assert _styled(word)[:3] == [
        ("Title", TITLE),
        ("Heading 1", "一、主要指标"),
        ("Normal", SENTENCE),
    ]
    # one blank line (as space) under the title
    assert word.paragraphs[0].paragraph_format.space_after == Pt(28.9)


def test_empty_document_renders() -> None:
    word = docx.Document(io.BytesIO(document_docx(Document())))
    assert [p.text for p in word.paragraphs if p.text] == []


def test_body_sentence_layout(word) -> None:
    p = next(p for p in word.paragraphs if p.text == SENTENCE)
    assert p.style.name == "Normal"
    assert all(r.font.size == Pt(16) for r in p.runs)
    normal = word.styles["Normal"]
    pf = normal.paragraph_format
    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert abs(pf.line_spacing.pt - 28.9) <= 0.5
    assert abs(pf.first_line_indent.pt - 32) <= 0.5
    assert normal.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    title = word.styles["Title"]
    assert title.font.size == Pt(22)
    fonts = title.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert fonts.get(qn("w:ascii")) == "Times New Roman"
    assert word.paragraphs[0].runs[0].font.size == Pt(22)


def test_page_setup(word) -> None:
    (section,) = word.sections
    for got, mm in (
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ):
        assert abs(got.mm - mm) <= 0.5
    text_width = section.page_width - section.left_margin - section.right_margin
    assert abs(Emu(text_width).mm - 156) <= 0.5


def test_language_and_no_theme_fonts(data: bytes, word) -> None:
    styles = word.styles.element
    lang = styles.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    default_fonts = styles.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert default_fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    for rfonts in styles.iter(qn("w:rFonts")):
        assert not [a for a in rfonts.attrib if a.lower().endswith("theme")]
    assert word.core_properties.language == "zh-CN"
    fonts = _parts(data)["word/fontTable.xml"]
    assert 'w:name="仿宋_GB2312"' in fonts and 'w:name="方正小标宋简体"' in fonts


def _runs(element) -> list:
    return list(element.iter(qn("w:r")))


def test_every_run_names_its_east_asian_font(word) -> None:
    elements = [word.element.body]
    section = word.sections[0]
    elements += [section.footer._element, section.even_page_footer._element]
    runs = [r for el in elements for r in _runs(el)]
    assert len(runs) > 50
    for r in runs:
        rpr = r.find(qn("w:rPr"))
        assert rpr is not None, r.xml
        rfonts = rpr.find(qn("w:rFonts"))
        assert rfonts is not None, r.xml
        assert rfonts.get(qn("w:eastAsia")), r.xml
        assert rfonts.get(qn("w:ascii")) and rfonts.get(qn("w:hAnsi")), r.xml


# ------------------------------------------------------------------------------ table


def test_table_two_level_header(word) -> None:
    (table,) = word.tables
    assert len(table.columns) == 6
    top = table.rows[0].cells
    assert [c.text for c in top] == ["指标名称", "单位", "全年", "全年", "1-6月累计", "状态"]
    assert top[2]._tc is top[3]._tc  # the group is one merged cell
    second = table.rows[1].cells
    assert [c.text for c in second][2:4] == ["目标", "完成率%"]
    for j in (0, 1, 4, 5):  # ungrouped headers span both rows
        assert second[j]._tc is top[j]._tc
    tr0, tr1 = table._tbl.tr_lst[:2]
    tcs0 = tr0.findall(qn("w:tc"))
    assert len(tcs0) == 5
    assert tcs0[2].find(".//" + qn("w:gridSpan")).get(qn("w:val")) == "2"
    for tc in (tcs0[0], tcs0[1], tcs0[3], tcs0[4]):
        assert tc.find(".//" + qn("w:vMerge")).get(qn("w:val")) == "restart"
    tcs1 = tr1.findall(qn("w:tc"))
    assert len(tcs1) == 6
    for j in (0, 1, 4, 5):
        vmerge = tcs1[j].find(".//" + qn("w:vMerge"))
        assert vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue")


def test_table_header_rows_repeat(word) -> None:
    (table,) = word.tables
    trs = table._tbl.tr_lst
    marked = [tr.find(".//" + qn("w:tblHeader")) is not None for tr in trs]
    assert marked == [True, True] + [False] * (len(trs) - 2)


def test_table_rows(word) -> None:
    (table,) = word.tables
    rows = table.rows
    sector = rows[2]
    assert len(sector._tr.findall(qn("w:tc"))) == 1
    assert sector.cells[0].text == "一、财税"
    assert sector._tr.find(".//" + qn("w:gridSpan")).get(qn("w:val")) == "6"
    assert all(r.font.bold for r in sector.cells[0].paragraphs[0].runs)
    tax = rows[3].cells
    assert [c.text for c in tax] == ["国地两税", "万元", "1550", "54.7", "848", "超序时"]
    assert tax[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert tax[4].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert tax[0].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
    fills = {}
    for row in rows[3:]:
        if len(row._tr.findall(qn("w:tc"))) == 1:
            continue
        shd = row.cells[5]._tc.find(".//" + qn("w:shd"))
        fills[row.cells[5].text] = shd.get(qn("w:fill"))
    assert fills == {
        "超序时": STATUS_TINTS["ahead"][1:].upper(),
        "略滞后": STATUS_TINTS["slightly_behind"][1:].upper(),
        "严重滞后": STATUS_TINTS["far_behind"][1:].upper(),
        "超额完成": STATUS_TINTS["exceeded"][1:].upper(),
    }
    assert rows[-1].cells[0].text == HOSTILE


def test_table_text_and_width(word) -> None:
    (table,) = word.tables
    sizes = {
        r.font.size
        for row in table.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
        if r.text.strip()
    }
    assert sizes and all(Pt(10.5) - 1 <= s <= Pt(12) + 1 for s in sizes if s >= Pt(10))
    style = word.styles["Table Text"]
    assert style.paragraph_format.line_spacing_rule == WD_LINE_SPACING.SINGLE
    assert style.paragraph_format.first_line_indent == 0
    assert style.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "0"
    cell_p = table.rows[3].cells[0].paragraphs[0]
    assert cell_p.style.name == "Table Text"
    widths = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(widths) / 1440 * 25.4 - 156) < 1.0
    assert widths[0] == max(widths)  # the indicator names get the room
    margin = table._tbl.tblPr.find(qn("w:tblCellMar")).find(qn("w:left"))
    assert margin.get(qn("w:w")) == "108"  # Word's usual cell margin when the table fits


def test_caption_above_and_notes_below_table(word) -> None:
    body = list(word.element.body)
    tbl = word.tables[0]._tbl
    i = body.index(tbl)
    before, after = body[i - 1], body[i + 1 : i + 3]
    p_before = docx.text.paragraph.Paragraph(before, word._body)
    assert p_before.text == "表1 甲镇2013年1-6月主要经济指标完成情况表"
    assert p_before.style.name == "Caption"
    assert p_before.paragraph_format.keep_with_next
    caption = word.styles["Caption"]
    assert caption.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    assert caption.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    notes = [docx.text.paragraph.Paragraph(el, word._body) for el in after]
    assert notes[0].text == "注：1-6月累计含6月预计数。"
    assert notes[1].text == "数据来源：镇统计站\n（6月30日）。"  # \x0b became a line break
    assert all(n.style.name == "Table Note" for n in notes)
    assert all(r.font.size <= Pt(12) for n in notes for r in n.runs)


# ------------------------------------------------------------------------------ figures, lists


def test_figure_inline_and_captioned(word, png: bytes) -> None:
    assert len(word.inline_shapes) == 1
    shape = word.inline_shapes[0]
    assert shape.width <= Cm(15.6) and abs(shape.width - Cm(15.6)) < Mm(0.5)
    assert abs(shape.height / shape.width - 3 / 8) < 0.01  # aspect ratio kept
    docpr = shape._inline.docPr
    assert docpr.get("descr") == "主要指标完成率条形图"
    paragraphs = word.paragraphs
    i = next(k for k, p in enumerate(paragraphs) if p._p.xpath(".//w:drawing"))
    pic, caption = paragraphs[i], paragraphs[i + 1]
    assert pic.style.name == "Figure"
    assert pic.paragraph_format.keep_with_next
    assert word.styles["Figure"].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    # an exact line spacing would clip the picture to one line
    assert word.styles["Figure"].paragraph_format.line_spacing_rule != WD_LINE_SPACING.EXACTLY
    assert caption.text == "图1 主要指标完成进度" and caption.style.name == "Caption"
    image = word.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed]
    assert image.blob == png


def test_small_figure_keeps_its_width(png: bytes) -> None:
    word = docx.Document(io.BytesIO(document_docx(Document([Figure(png, "图", width_in=3.0)]))))
    (shape,) = word.inline_shapes
    assert abs(shape.width.inches - 3.0) < 0.01


def test_bullet_lists(word) -> None:
    texts = [p.text for p in word.paragraphs]
    i = texts.index("1. 招商引资项目落地慢。")
    assert texts[i : i + 4] == [
        "1. 招商引资项目落地慢。",
        "2. 部分指标滞后序时进度。",
        "3. 安全生产压力大。",
        "无序的一条。",
    ]
    assert all(word.paragraphs[k].style.name == "Normal" for k in range(i, i + 4))
    assert word.paragraphs[i + 2].runs[1].font.bold


# ------------------------------------------------------------------------------ text safety


def test_hostile_text_and_control_characters(data: bytes, word) -> None:
    note = next(p for p in word.paragraphs if p.text.startswith("注：数据截至6月底"))
    assert note.text == "注：数据截至6月底\n部分为预计数。" + HOSTILE
    assert note._p.xpath(".//w:br")
    assert note.style.name == "Note" and all(r.font.size == Pt(12) for r in note.runs)
    xml = _parts(data)["word/document.xml"]
    assert "&lt;w:t&gt;注意&lt;/w:t&gt;" in xml and "&amp;amp;" in xml
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", xml)
    assert any("=SUM(A1)" in p.text for p in word.paragraphs)


def test_no_provenance_or_machine_text(data: bytes, model: Document) -> None:
    parts = _parts(data)
    everything = "".join(parts.values())
    for value in model.provenance.values():
        assert value not in everything
    assert "python-docx" not in everything
    assert not re.search(r"[0-9a-f]{40,}", everything)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not [n for n in z.namelist() if "thumbnail" in n]


def test_same_document_same_bytes(model: Document, data: bytes) -> None:
    assert document_docx(model) == data
    assert document_docx(Document.from_json(model.to_json())) == data


def test_package_members_dated_alike_pictures_stored(data: bytes) -> None:
    members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    assert {m.date_time for m in members} == {(1980, 1, 1, 0, 0, 0)}
    pictures = [m for m in members if m.filename.endswith(".png")]
    assert pictures and all(m.compress_type == zipfile.ZIP_STORED for m in pictures)
    xml = [m for m in members if m.filename.endswith(".xml")]
    assert xml and all(m.compress_type == zipfile.ZIP_DEFLATED for m in xml)
    assert len({m.filename for m in members}) == len(members)  # zipped once: no duplicates


def test_a_second_document_in_a_process_has_its_own_title_and_language() -> None:
    first = docx.Document(io.BytesIO(document_docx(Document([], "zh", "甲镇报告"))))
    second = docx.Document(io.BytesIO(document_docx(Document([], "en", "Town B report"))))
    assert first.core_properties.title == "甲镇报告"
    assert first.core_properties.language == "zh-CN"
    assert second.core_properties.title == "Town B report"
    assert second.core_properties.language == "en-US"
    assert abs(second.sections[0].top_margin - Mm(37)) < Mm(0.1)  # the set-up blank, reused


# ------------------------------------------------------------------------------ page numbers


def _field_text(footer) -> str:
    return "".join(t.text or "" for t in footer._element.iter(qn("w:t"), qn("w:instrText")))


def test_page_numbers_at_the_outside_edge(data: bytes, word) -> None:
    assert word.settings.odd_and_even_pages_header_footer
    assert "<w:evenAndOddHeaders" in _parts(data)["word/settings.xml"]
    section = word.sections[0]
    odd, even = section.footer, section.even_page_footer
    assert not odd.is_linked_to_previous and not even.is_linked_to_previous
    for footer, align in ((odd, WD_ALIGN_PARAGRAPH.RIGHT), (even, WD_ALIGN_PARAGRAPH.LEFT)):
        (p,) = footer.paragraphs
        assert p.alignment == align
        text = _field_text(footer)
        assert re.fullmatch(r"— PAGE 1 —", re.sub(r"\s+", " ", text)), text
        kinds = [f.get(qn("w:fldCharType")) for f in footer._element.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        sizes = {r.font.size for r in p.runs}
        assert sizes == {Pt(14)}
    assert odd.paragraphs[0].paragraph_format.right_indent == Pt(14)
    assert even.paragraphs[0].paragraph_format.left_indent == Pt(14)
    refs = section._sectPr.findall(qn("w:footerReference"))
    assert {r.get(qn("w:type")) for r in refs} == {"default", "even"}


def test_heading_text_is_number_plus_text(word) -> None:
    para = next(p for p in word.paragraphs if p.style.name == "Heading 3")
    assert para.text == "1. 国地两税"
    assert para.runs[0].font.bold
    assert para.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"


# ------------------------------------------------------------------------------ edge cases


def test_wide_flat_table_uses_the_smaller_size_and_fills_the_width() -> None:
    cols = (
        [Column("name", "指标名称", "name")]
        + [
            Column(f"c{i}", f"第{i}项指标数值", "num", hint="个百分点" if i == 1 else None)
            for i in range(6)  # the most that fit the portrait page (see the landscape test)
        ]
        + [Column("status", "状态", "status")]
    )
    row = Row(
        "indicator",
        status=None,
        cells={
            "name": Cell("规模以上工业增加值"),
            "status": Cell("未设目标"),
            **{f"c{i}": Cell(f"{12345.6 + i:,.1f}") for i in range(6)},
        },
    )
    doc = Document([Table(cols, [row] * 3, caption="表2 宽表")])
    word = docx.Document(io.BytesIO(document_docx(doc)))
    (table,) = word.tables
    trs = table._tbl.tr_lst
    assert [tr.find(".//" + qn("w:tblHeader")) is not None for tr in trs] == [True] + [False] * 3
    assert table.rows[0].cells[1].text == "第0项指标数值"
    assert table.rows[0].cells[2].text == "第1项指标数值\n个百分点"  # the unit under the header
    sizes = {
        r.font.size
        for row in table.rows[1:]
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
    }
    assert sizes == {Pt(10.5)}
    widths = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(widths) / 1440 * 25.4 - 156) < 1.0
    assert int(table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w"))) == sum(widths)
    margin = table._tbl.tblPr.find(qn("w:tblCellMar")).find(qn("w:left"))
    assert margin.get(qn("w:w")) == "57"  # narrower cell margins before smaller type
    # a missing status gets the no-data tint
    shd = table.rows[1].cells[-1]._tc.find(".//" + qn("w:shd"))
    assert shd.get(qn("w:fill")) == STATUS_TINTS["no_data"][1:].upper()


def test_line_breaks_and_control_characters_everywhere() -> None:
    cols = [Column("name", "指标\r\n名称", "name"), Column("v", "数值", "num")]
    rows = [
        Row("sector", "一、\x0b财税"),
        Row("indicator", cells={"name": Cell("甲\r乙\x0c丙\x1b"), "v": Cell("1\x00")}),
    ]
    doc = Document(
        [
            Heading("标题\x0b第二行", 1),
            Heading("问\r\n题\x01", 2, "一、"),
            Table(cols, rows, notes=["注\r\n一"]),
            Paragraph((Run("a\tb"), Run("\ud800c\ufffe"))),
            Figure(_chart_png(), alt="图\x0b说明", caption="图\r题"),
        ]
    )
    data = document_docx(doc)
    word = docx.Document(io.BytesIO(data))
    texts = [p.text for p in word.paragraphs]
    assert texts[:2] == ["标题 第二行", "一、问 题"]  # a heading stays on one line
    assert "a\tbc" in texts and "图 题" in texts and "注\n一" in texts
    (table,) = word.tables
    assert table.rows[0].cells[0].text == "指标\n名称"
    assert table.rows[1].cells[0].text == "一、\n财税"
    assert [c.text for c in table.rows[2].cells] == ["甲\n乙\n丙", "1"]
    assert word.inline_shapes[0]._inline.docPr.get("descr") == "图 说明"


def test_tall_figure_fits_the_page() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 12), dpi=50)
    ax.plot([0, 1], [0, 1])
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    word = docx.Document(
        io.BytesIO(
            document_docx(Document([Figure(buf.getvalue(), "高图", width_in=3.0, height_in=12.0)]))
        )
    )
    (shape,) = word.inline_shapes
    assert shape.height <= Mm(200) + Mm(0.1)
    assert abs(shape.width / shape.height - 3 / 12) < 0.01


def test_roles_and_numbered_items() -> None:
    doc = Document(
        [
            Paragraph.of("（2013年7月）", "subtitle"),
            Paragraph.of("图注", "caption"),
            Paragraph.of("未知角色", "whatever"),
            BulletList(
                (
                    Paragraph.of("（1）已编号"),
                    Paragraph.of("①已编号"),
                    Paragraph.of("1.5万元不是编号"),
                ),
                ordered=True,
                role="note",
            ),
        ]
    )
    word = docx.Document(io.BytesIO(document_docx(doc)))
    assert _styled(word) == [
        ("Subtitle", "（2013年7月）"),
        ("Caption", "图注"),
        ("Normal", "未知角色"),
        ("Note", "（1）已编号"),
        ("Note", "①已编号"),
        ("Note", "3. 1.5万元不是编号"),
    ]
    subtitle = word.styles["Subtitle"]
    assert subtitle.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert subtitle.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert not subtitle.font.italic
    assert word.styles["Note"].font.size == Pt(12)


def test_a_table_too_wide_for_the_page_gets_a_landscape_page_of_its_own() -> None:
    """附表 and its 12 columns go on landscape A4 (text 225 mm wide); the body after it goes
    back to portrait, and the page numbers carry on through every section."""
    cols = [Column("name", "指标名称", "name")] + [
        Column(f"c{i}", f"第{i}项指标完成数值", "num") for i in range(11)
    ]
    cells = {"name": Cell("规模以上工业增加值")} | {
        f"c{i}": Cell(f"{1234567.8 + i:,.1f}") for i in range(11)
    }
    doc = Document(
        [
            Paragraph.of(SENTENCE),
            Heading("附表", 2),
            Table(cols, [Row("indicator", cells=cells)] * 3, caption="表1 宽表"),
            Paragraph.of("附表之后的正文。"),
        ]
    )
    word = docx.Document(io.BytesIO(document_docx(doc)))
    portrait, landscape, back = word.sections
    assert round(landscape.page_width.mm) == 297 and round(landscape.page_height.mm) == 210
    assert round(portrait.page_width.mm) == round(back.page_width.mm) == 210
    assert all(s.footer.is_linked_to_previous for s in (landscape, back))
    (table,) = word.tables
    widths = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(widths) / 1440 * 25.4 - 225) < 1.0
    body = word.element.body
    breaks = body.findall(".//" + qn("w:pPr") + "/" + qn("w:sectPr"))
    assert len(breaks) == 2  # two section breaks: before 附表, after its table
    texts = [p.text for p in word.paragraphs]
    assert texts.index("附表") < texts.index("附表之后的正文。")


def test_a_table_that_fits_stays_on_the_portrait_page(word) -> None:
    assert len(word.sections) == 1


# ------------------------------------------------------------------------------ numbered notes


@pytest.mark.parametrize(
    "cell, items",
    [
        ("1、甲。\n2、乙。\n3、丙。", ["1、甲。", "2、乙。", "3、丙。"]),
        ("（1）甲。\r\n（2）乙。", ["（1）甲。", "（2）乙。"]),
        ("①甲。\n②乙。", ["①甲。", "②乙。"]),
        ("1.甲。\n2.乙。", ["1.甲。", "2.乙。"]),
        ("一、甲。\n二、乙。", ["一、甲。", "二、乙。"]),
        ("要点：\n1）甲。\n2）乙。", ["要点：", "1）甲。", "2）乙。"]),
        ("1. 甲。\n2. 乙。", ["1. 甲。", "2. 乙。"]),  # Markdown's own list
    ],
)
def test_numbered_lines_of_one_notes_cell_are_paragraphs_with_the_body_indent(
    cell: str, items: list[str]
) -> None:
    """A notes cell written 1、…/2、…/3、… on lines of one cell: each item its own paragraph in
    the Word draft, styled Normal (the 2-character first-line indent), no line break inside."""
    word = docx.Document(io.BytesIO(document_docx(Document(list(note_blocks(cell))))))
    body = [p for p in word.paragraphs if p.text]
    assert [p.text for p in body] == items
    for p in body:
        assert p.style.name == "Normal" and p.paragraph_format.first_line_indent is None
        assert p._p.find(".//" + qn("w:br")) is None
