"""A :class:`~helpers.document.model.Document` as Word (.docx), in the official layout.

The layout is GB/T 9704-2012 as offices apply it to a 工作总结: A4, margins 37/35/28/26 mm
(top/bottom/left/right), the title 2号 (22 pt) 方正小标宋简体 centred, body 3号 (16 pt)
仿宋_GB2312 at a fixed 28.9 pt line with a two-character first-line indent, headings 一、 黑体,
（一） 楷体, 1. 仿宋 bold (Word's Heading 1–3 styles, so the navigation pane lists them), and
page numbers ``— 1 —`` in 4号 半角 at the outside edge (right on odd pages, left on even).

Word embeds none of these fonts; every run and style names its East Asian font
(``w:eastAsia``) as well as its Latin one, since python-docx's ``font.name`` sets only the
latter. Text is plain text from data: characters XML 1.0 forbids are dropped, vertical tabs and
carriage returns become line breaks. Provenance stays out of the file. The same Document
always gives the same bytes (fixed zip timestamps, no creation date).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from ..document.model import (
    BulletList,
    Column,
    Document,
    Figure,
    Heading,
    Paragraph,
    Row,
    Run,
    Table,
    column_groups,
)
from ..document.palette import STATUS_TINTS

__all__ = ["document_docx", "MIME", "BODY_FONT", "TITLE_FONT"]

#: The MIME type of a .docx file.
MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

LATIN = "Times New Roman"
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体"
PAGE_FONT = "宋体"
#: Names Word may substitute when an office PC lacks a font (fontTable ``w:altName``).
_ALT_NAMES = {
    BODY_FONT: "仿宋",
    TITLE_FONT: "宋体",
    HEI_FONT: "SimHei",
    KAI_FONT: "KaiTi",
    PAGE_FONT: "SimSun",
}

TITLE_PT = 22.0
BODY_PT = 16.0
LINE_PT = 28.9
TITLE_LINE_PT = 35.0
NOTE_PT = 12.0
CAPTION_PT = 14.0
PAGE_PT = 14.0
TABLE_PT = (12.0, 10.5)  # tried in this order: the first whose table fits the width
TEXT_WIDTH_MM = 156.0
#: The text width of a landscape page (297 mm less 37 and 35 mm): a table too wide for the
#: portrait page (the 附表 of 12 columns) gets a landscape page of its own, as offices print it.
LANDSCAPE_WIDTH_MM = 225.0
#: Character spacing of 16 pt text, so that 28 characters fill the 156 mm line (27 without)
BODY_TRACKING = -0.25
FIGURE_MAX_CM = 15.6
FIGURE_MAX_HEIGHT_MM = 200.0
_CELL_MARGINS_DXA = (108, 57)  # left/right cell margins tried: Word's 1.9 mm, then 1 mm

# Heading level -> (Word style, East Asian font, bold); role -> (style, font, size)
_HEADING_STYLES = {
    2: ("Heading 1", HEI_FONT, False),
    3: ("Heading 2", KAI_FONT, False),
    4: ("Heading 3", BODY_FONT, True),
    5: ("Heading 4", BODY_FONT, False),
}
_ROLE_STYLES = {
    "body": ("Normal", BODY_FONT, BODY_PT),
    "subtitle": ("Subtitle", BODY_FONT, BODY_PT),
    "note": ("Note", BODY_FONT, NOTE_PT),
    "caption": ("Caption", HEI_FONT, CAPTION_PT),
}

_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_NUMBERED = re.compile(  # an item that is numbered already: 1. 1、 (1) （1） ① 一、
    r"\s*(\d+\s*[.．、)）](?!\d)|[（(]\s*\d+\s*[)）]|[①-⑳]|[一二三四五六七八九十]+、)"
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RT_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def document_docx(doc: Document) -> bytes:
    """The Document as .docx bytes in the official layout (A4, 仿宋 body, numbered headings,
    ``— 1 —`` page numbers at the outside edge). Provenance is not written."""
    import docx

    d = docx.Document(io.BytesIO(_configured_blank()))
    _set_properties(d, doc)
    writer = _Writer(d)
    titled = any(isinstance(b, Heading) and b.level <= 1 for b in doc.blocks)
    if doc.title and not titled:
        writer.title(doc.title)
    wide = _landscape_runs(doc.blocks)
    for i, block in enumerate(doc.blocks):
        if i in wide.starts:
            writer.close_title()
            _new_section(d, landscape=True)
            writer.width_mm = LANDSCAPE_WIDTH_MM
        writer.block(block)
        if i in wide.ends and i + 1 < len(doc.blocks):
            _new_section(d, landscape=False)
            writer.width_mm = TEXT_WIDTH_MM
    writer.close_title()
    return _package(d)


# ------------------------------------------------------------------------------ text


def _clean(text: str, *, breaks: bool = True) -> str:
    """Text XML 1.0 can carry: forbidden characters dropped, \\r/\\x0b etc. as ``\\n`` (a
    Word line break) or, without ``breaks``, as one space."""
    text = _FORBIDDEN.sub("", _BREAKS.sub("\n", str(text)))
    if not breaks:
        return re.sub(r"\s*[\n\t]\s*", " ", text).strip()
    return re.sub(r"[ \u3000]*\n[ \u3000]*", "\n", text)


def _em(text: str) -> float:
    """Width in em of a line of text, on the safe side: CJK and full-width characters 1,
    digits 0.5, Latin letters and signs about 0.6 (``%``, M, W 0.9)."""
    width = 0.0
    for ch in text:
        if ord(ch) >= 0x2E80 or ch in "—…“”‘’":
            width += 1.0
        elif ch.isdigit() or ch in ".,:;-+ ":
            width += 0.5
        elif ch in "%@MWmw":
            width += 0.9
        else:
            width += 0.62
    return width


# ------------------------------------------------------------------------------ XML helpers


def _qn(tag: str) -> str:
    prefix, _, local = tag.partition(":")
    return f"{{{_W}}}{local}" if prefix == "w" else tag


def _element(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement

    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(_qn(f"w:{key}"), value)
    return el


def _set_fonts(rpr: Any, east: str, latin: str = LATIN, *, hint: bool = False) -> None:
    """Name the Latin and East Asian fonts on an ``rPr`` (theme fonts removed)."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in list(rfonts.attrib):
        if attr.lower().endswith("theme"):
            del rfonts.attrib[attr]
    for attr, value in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east), ("cs", latin)):
        rfonts.set(_qn(f"w:{attr}"), value)
    if hint:
        rfonts.set(_qn("w:hint"), "eastAsia")


def _first_line(pf: Any, pPr: Any, chars: int, size: float) -> None:
    """A first-line indent of ``chars`` characters (w:firstLineChars, plus points as fallback)."""
    from docx.shared import Pt

    pf.first_line_indent = Pt(chars * size)
    pPr.get_or_add_ind().set(_qn("w:firstLineChars"), str(chars * 100))


def _line(pf: Any, points: float | None) -> None:
    """Fixed line spacing of ``points``, or single spacing when None."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    if points is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing = Pt(points)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY


# ------------------------------------------------------------------------------ setup


@dataclass(frozen=True)
class _Style:
    name: str
    font: str
    size: float
    bold: bool = False
    align: str = "justify"  # justify | center | left | right
    line: float | None = LINE_PT  # fixed line spacing, None = single
    indent: int = 2  # first-line indent in characters
    before: float = 0.0
    after: float = 0.0
    keep_next: bool = False
    outline: int | None = None
    latin: str = LATIN
    tracking: float = 0.0  # character spacing in points


_STYLES = (
    _Style("Normal", BODY_FONT, BODY_PT, tracking=BODY_TRACKING),
    _Style(
        "Title", TITLE_FONT, TITLE_PT, align="center", line=TITLE_LINE_PT, indent=0, keep_next=True
    ),
    _Style(
        "Subtitle",
        BODY_FONT,
        BODY_PT,
        align="center",
        indent=0,
        keep_next=True,
        tracking=BODY_TRACKING,
    ),
    _Style("Heading 1", HEI_FONT, BODY_PT, keep_next=True, outline=0, tracking=BODY_TRACKING),
    _Style("Heading 2", KAI_FONT, BODY_PT, keep_next=True, outline=1, tracking=BODY_TRACKING),
    _Style(
        "Heading 3",
        BODY_FONT,
        BODY_PT,
        bold=True,
        keep_next=True,
        outline=2,
        tracking=BODY_TRACKING,
    ),
    _Style("Heading 4", BODY_FONT, BODY_PT, keep_next=True, outline=3, tracking=BODY_TRACKING),
    _Style("Caption", HEI_FONT, CAPTION_PT, align="center", line=None, indent=0, before=6, after=6),
    _Style("Note", BODY_FONT, NOTE_PT, line=20.0),
    _Style("Figure", BODY_FONT, BODY_PT, align="center", line=None, indent=0, before=6),
    _Style("Table Text", BODY_FONT, TABLE_PT[1], align="left", line=None, indent=0),
    _Style("Table Note", BODY_FONT, TABLE_PT[1], align="left", line=None, indent=0, before=3),
    _Style("Footer", PAGE_FONT, PAGE_PT, align="right", line=16.0, indent=0, latin=PAGE_FONT),
)


_BLANK: dict[str, bytes] = {}  # "docx": the configured blank package of this process


def _configured_blank() -> bytes:
    """An empty document with :func:`_setup`'s page, styles and settings, saved once per
    process: a report opens a copy instead of setting up every style again."""
    held = _BLANK.get("docx")
    if held is None:
        import docx

        d = docx.Document()
        _setup(d)
        buffer = io.BytesIO()
        d.save(buffer)
        held = _BLANK["docx"] = buffer.getvalue()
    return held


def _set_properties(d: Any, doc: Document) -> None:
    """The document's own metadata: its title and language; no author, dates or comments."""
    core = d.core_properties
    core.title = _clean(_title_of(doc), breaks=False)
    core.language = "en-US" if doc.lang == "en" else "zh-CN"
    core.author = core.comments = core.last_modified_by = core.keywords = ""
    core.subject = core.category = ""
    for tag in ("created", "modified"):
        for el in core._element.findall(f"{{http://purl.org/dc/terms/}}{tag}"):
            core._element.remove(el)


def _setup(d: Any) -> None:
    """Page, styles, language, fonts and settings of a new python-docx document."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.shared import Mm

    section = d.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.gutter = Mm(0)
    section.header_distance = Mm(15)
    # the page number's dashes sit 7 mm under the text block: 35 - 7 - a 16 pt line
    section.footer_distance = Mm(22.4)

    _defaults(d)
    for spec in _STYLES:
        _configure(d, spec)
    _fix_theme_fonts(d)

    settings = d.settings
    settings.odd_and_even_pages_header_footer = True
    lang = settings.element.find(_qn("w:themeFontLang"))
    if lang is not None:
        lang.set(_qn("w:eastAsia"), "zh-CN")
    compat = settings.element.find(_qn("w:compat"))
    if compat is not None:  # a line break does not stretch its justified line
        compat.insert(0, _element("w:doNotExpandShiftReturn"))

    package = d.part.package
    for rId, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:  # a picture of python-docx's blank template
            package.rels.pop(rId)
    for rId, rel in list(d.part.rels.items()):
        if rel.reltype == _RT_STYLES_WITH_EFFECTS:  # Word 2010's copy of styles.xml
            d.part.rels.pop(rId)
        elif rel.reltype == RT.FONT_TABLE:
            _add_fonts(rel.target_part)

    _page_numbers(d)


@dataclass
class _Runs:
    starts: set[int]  # block indexes a landscape section begins at
    ends: set[int]  # block indexes it ends after


def _landscape_runs(blocks: list[Any]) -> _Runs:
    """Where landscape pages go: each table that does not fit the portrait text width even
    at its smallest type, with the heading just before it (附表 and its table stay together)."""
    runs = _Runs(set(), set())
    for i, block in enumerate(blocks):
        if isinstance(block, Table) and block.columns and not _fits(block, TEXT_WIDTH_MM):
            start = i - 1 if i and isinstance(blocks[i - 1], Heading) else i
            runs.starts.add(start)
            runs.ends.add(i)
    return runs


def _new_section(d: Any, *, landscape: bool) -> None:
    """A section break to a new page, landscape (margins turned with the page) or back to the
    portrait page of :func:`_setup`; page numbers carry on from the section before."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    section = d.add_section(WD_SECTION.NEW_PAGE)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(37), Mm(35)
        section.footer_distance = Mm(14)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(22.4)


def _title_of(doc: Document) -> str:
    for block in doc.blocks:
        if isinstance(block, Heading) and block.level <= 1:
            return block.full
    return doc.title


def _defaults(d: Any) -> None:
    """docDefaults: the body fonts, 16 pt, zh-CN, no space after paragraphs."""
    from docx.shared import Pt

    styles = d.styles.element
    defaults = styles.find(_qn("w:docDefaults"))
    rpr = defaults.find(_qn("w:rPrDefault")).find(_qn("w:rPr"))
    _set_fonts(rpr, BODY_FONT)
    rpr.sz_val = Pt(BODY_PT)
    szcs = rpr.find(_qn("w:szCs"))
    if szcs is not None:
        szcs.set(_qn("w:val"), str(int(BODY_PT * 2)))
    lang = rpr.find(_qn("w:lang"))
    if lang is None:
        lang = _element("w:lang")
        rpr.append(lang)
    lang.set(_qn("w:val"), "en-US")
    lang.set(_qn("w:eastAsia"), "zh-CN")
    lang.set(_qn("w:bidi"), "ar-SA")
    ppr = defaults.find(_qn("w:pPrDefault")).find(_qn("w:pPr"))
    for spacing in ppr.findall(_qn("w:spacing")):
        ppr.remove(spacing)
    ppr.append(_element("w:spacing", after="0", line="240", lineRule="auto"))


def _configure(d: Any, spec: _Style) -> None:
    """Reset a paragraph style and give it the fonts, size and paragraph format of ``spec``."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    try:
        style = d.styles[spec.name]
    except KeyError:
        style = d.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = d.styles["Normal"]
        style.quick_style = True
    style.hidden = False
    style.unhide_when_used = False
    el = style.element
    for tag in ("w:pPr", "w:rPr"):
        for old in el.findall(_qn(tag)):
            el.remove(old)
    rpr = el.get_or_add_rPr()
    _set_fonts(rpr, spec.font, spec.latin)
    font = style.font
    font.size = Pt(spec.size)
    font.bold = spec.bold
    font.italic = False
    pf = style.paragraph_format
    pf.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[spec.align]
    _line(pf, spec.line)
    pf.space_before, pf.space_after = Pt(spec.before), Pt(spec.after)
    ppr = el.get_or_add_pPr()
    _first_line(pf, ppr, spec.indent, spec.size)
    pf.keep_with_next = spec.keep_next
    pf.widow_control = True
    if spec.outline is not None:
        ppr.get_or_add_outlineLvl().val = spec.outline
    # 28 characters a line: 156 mm holds 28 of 16 pt less 0.25 pt (27 at 16 pt). Set on
    # every style, since the styles inherit from Normal.
    rpr.insert_element_before(
        _element("w:spacing", val=str(round(spec.tracking * 20))), *_AFTER_SPACING
    )


_AFTER_SPACING = (
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)


def _fix_theme_fonts(d: Any) -> None:
    """Drop theme font references left in other styles, so they inherit the named fonts."""
    for rfonts in d.styles.element.iter(_qn("w:rFonts")):
        for attr in list(rfonts.attrib):
            if attr.lower().endswith("theme"):
                del rfonts.attrib[attr]


def _add_fonts(part: Any) -> None:
    """List the Chinese fonts in fontTable.xml as GB2312 (charset 86) with substitutes."""
    from lxml import etree

    root = etree.fromstring(part.blob)
    have = {f.get(_qn("w:name")) for f in root.findall(_qn("w:font"))}
    for name, alt in _ALT_NAMES.items():
        if name in have:
            continue
        font = etree.SubElement(root, _qn("w:font"))
        font.set(_qn("w:name"), name)
        for tag, value in (
            ("altName", alt),
            ("charset", "86"),
            ("family", "auto"),
            ("pitch", "variable"),
        ):
            etree.SubElement(font, _qn(f"w:{tag}")).set(_qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_numbers(d: Any) -> None:
    """``— n —`` (a PAGE field) in 4号 宋体: odd pages at the right, even at the left, one
    character in from the edge of the text block."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    section = d.sections[0]
    section.different_first_page_header_footer = False
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = d.styles["Footer"]
        pf = p.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
        if odd:
            pf.right_indent = Pt(PAGE_PT)
        else:
            pf.left_indent = Pt(PAGE_PT)
        _add_run(p, "— ", PAGE_FONT, PAGE_PT, latin=PAGE_FONT)
        for kind, text in (
            ("begin", None),
            (None, " PAGE "),
            ("separate", None),
            (None, "1"),
            ("end", None),
        ):
            run = _add_run(p, "", PAGE_FONT, PAGE_PT, latin=PAGE_FONT)
            if kind is not None:
                run._r.append(_element("w:fldChar", fldCharType=kind))
            elif text == " PAGE ":
                instr = _element("w:instrText")
                instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                instr.text = text
                run._r.append(instr)
            else:
                run.text = text
        _add_run(p, " —", PAGE_FONT, PAGE_PT, latin=PAGE_FONT)


# ------------------------------------------------------------------------------ runs


_RunKey = tuple[str, str, float, bool, bool]


def _add_run(
    p: Any,
    text: str,
    east: str,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    latin: str = LATIN,
    cache: dict[_RunKey, Any] | None = None,
) -> Any:
    """A run with its fonts (Latin and East Asian), size and emphasis set on the run itself.

    The run properties are built once per ``cache`` and copied (python-docx inserts each
    property child by schema order, which is most of the time of a table)."""
    from copy import deepcopy

    from docx.shared import Pt
    from docx.text.font import Font
    from docx.text.run import Run as DocxRun

    key = (east, latin, size, bold, italic)
    rpr = cache.get(key) if cache is not None else None
    if rpr is None:
        from docx.oxml import OxmlElement

        scratch = OxmlElement("w:r")
        _set_fonts(scratch.get_or_add_rPr(), east, latin, hint=True)
        font = Font(scratch)
        font.size = Pt(size)
        if bold:
            font.bold = True
        if italic:
            font.italic = True
        rpr = scratch.rPr
        if cache is not None:
            cache[key] = rpr
    r = p._p.add_r()
    r.insert(0, deepcopy(rpr))
    if text:
        _put_text(r, text)
    return DocxRun(r, p)


def _put_text(r: Any, text: str) -> None:
    """Append ``text`` to run ``r`` as w:t, with w:br for ``\\n`` and w:tab for ``\\t``."""
    from lxml import etree

    for i, line in enumerate(text.split("\n")):
        if i:
            etree.SubElement(r, _qn("w:br"))
        for j, piece in enumerate(line.split("\t")):
            if j:
                etree.SubElement(r, _qn("w:tab"))
            if piece:
                t = etree.SubElement(r, _qn("w:t"))
                t.text = piece
                if piece != piece.strip():
                    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


# ------------------------------------------------------------------------------ blocks


class _Writer:
    """Writes blocks into a python-docx document, one after the other."""

    def __init__(self, d: Any) -> None:
        self.d = d
        self._styles: dict[str, str] = {}  # style name -> id
        self._after_title: Any = None  # the title/subtitle paragraph that gets a blank line
        self._figures = 0
        self.rprs: dict[_RunKey, Any] = {}  # run properties to copy
        self.width_mm = TEXT_WIDTH_MM  # the text width of the current section

    def set_style(self, p: Any, name: str) -> None:
        """Give paragraph ``p`` a style by id (python-docx's setter scans every style)."""
        if name not in self._styles:
            self._styles[name] = self.d.styles[name].style_id
        if name != "Normal":
            p._p.get_or_add_pPr().style = self._styles[name]

    def run(
        self, p: Any, text: str, east: str, size: float, *, bold: bool = False, italic: bool = False
    ) -> Any:
        return _add_run(p, text, east, size, bold=bold, italic=italic, cache=self.rprs)

    def paragraph(self, style: str) -> Any:
        p = self.d.add_paragraph()
        self.set_style(p, style)
        return p

    def close_title(self) -> None:
        """One blank line (as space after) under the title and its subtitles."""
        from docx.shared import Pt

        if self._after_title is not None:
            self._after_title.paragraph_format.space_after = Pt(LINE_PT)
            self._after_title = None

    # -- blocks --------------------------------------------------------------------------
    def block(self, block: object) -> None:
        if (
            isinstance(block, Paragraph)
            and block.role == "subtitle"
            and self._after_title is not None
        ):  # under the title: the blank line moves down
            self._after_title = self.runs(block.runs, "subtitle")
            return
        self.close_title()
        if isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Paragraph):
            self.runs(block.runs, block.role)
        elif isinstance(block, Figure):
            self.figure(block)
        elif isinstance(block, BulletList):
            self.bullets(block)
        elif isinstance(block, Table):
            self.table(block)
        else:
            raise TypeError(f"not a document block: {type(block).__name__}")

    def title(self, text: str) -> None:
        p = self.paragraph("Title")
        self.run(p, _clean(text, breaks=False), TITLE_FONT, TITLE_PT)
        self._after_title = p

    def heading(self, h: Heading) -> None:
        if h.level <= 1:
            self.close_title()
            self.title(h.full)
            return
        name, font, bold = _HEADING_STYLES[min(h.level, 5)]
        p = self.paragraph(name)
        self.run(p, _clean(h.full, breaks=False), font, BODY_PT, bold=bold)

    def runs(self, runs: tuple[Run, ...], role: str, prefix: str = "") -> Any:
        name, font, size = _ROLE_STYLES.get(role, _ROLE_STYLES["body"])
        p = self.paragraph(name)
        if prefix:
            self.run(p, prefix, font, size)
        for run in runs:
            text = _clean(run.text)
            if text:
                self.run(p, text, font, size, bold=run.bold, italic=run.italic)
        return p

    def bullets(self, lst: BulletList) -> None:
        for i, item in enumerate(lst.items, 1):
            prefix = f"{i}. " if lst.ordered and not _NUMBERED.match(item.text) else ""
            role = item.role if item.role != "body" else lst.role
            self.runs(item.runs, role, prefix)

    def caption(self, text: str, *, keep_next: bool) -> None:
        p = self.paragraph("Caption")
        p.paragraph_format.keep_with_next = keep_next
        self.run(p, _clean(text, breaks=False), HEI_FONT, CAPTION_PT)

    def figure(self, fig: Figure) -> None:
        from docx.shared import Cm, Emu, Mm

        self._figures += 1
        p = self.paragraph("Figure")
        p.paragraph_format.keep_with_next = bool(fig.caption)
        run = self.run(p, "", BODY_FONT, BODY_PT)
        limit = Cm(FIGURE_MAX_CM)
        width = Emu(int(fig.width_in * 914400)) if fig.width_in > 0 else limit
        shape = run.add_picture(io.BytesIO(fig.png), width=min(width, limit))
        if shape.height > Mm(FIGURE_MAX_HEIGHT_MM):  # a tall chart: fit it to the page
            scale = Mm(FIGURE_MAX_HEIGHT_MM) / shape.height
            shape.width, shape.height = Emu(int(shape.width * scale)), Mm(FIGURE_MAX_HEIGHT_MM)
        name = f"图{self._figures}"
        alt = _clean(fig.alt or fig.caption, breaks=False)
        for el in (shape._inline.docPr, *shape._inline.iter("{*}cNvPr")):
            el.set("name", name)
            el.set("descr", alt)
        if fig.caption:
            self.caption(fig.caption, keep_next=False)

    def table(self, t: Table) -> None:
        if not t.columns:
            return
        if t.caption:
            self.caption(t.caption, keep_next=True)
        _TableWriter(self, t).write()
        if t.notes:
            for i, note in enumerate(t.notes, 1):  # kept together and with the table
                p = self.paragraph("Table Note")
                p.paragraph_format.keep_with_next = i < len(t.notes)
                self.run(p, _clean(note), BODY_FONT, TABLE_PT[1])
        else:  # keeps the next block off the table's border, and two tables apart
            p = self.paragraph("Table Note")
            _line(p.paragraph_format, 8.0)


# ------------------------------------------------------------------------------ tables


class _TableWriter:
    """One model Table as a Word table: a one- or two-row repeating header with merged
    cells, full-width sector rows, right-aligned figures and shaded status cells."""

    def __init__(self, writer: _Writer, table: Table) -> None:
        self.w = writer
        self.t = table
        self.cols = table.columns
        self.size, self.margin, self.widths = _table_widths(table, writer.width_mm)
        self._pprs: dict[str, Any] = {}
        self._valign = _element("w:vAlign", val="center")

    def write(self) -> None:
        from docx.enum.table import WD_TABLE_ALIGNMENT
        from docx.shared import Emu

        t, cols = self.t, self.cols
        heads = 2 if t.groups else 1
        table = self.w.d.add_table(rows=heads + len(t.rows), cols=len(cols))
        table.style = self.w.d.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        self.table = table
        tblw = table._tbl.tblPr.find(_qn("w:tblW"))
        if tblw is not None:
            tblw.set(_qn("w:type"), "dxa")
            tblw.set(_qn("w:w"), str(sum(Emu(w).twips for w in self.widths)))
        margins = _element("w:tblCellMar")
        for side in ("left", "right"):
            margins.append(_element(f"w:{side}", w=str(self.margin), type="dxa"))
        table._tbl.tblPr.insert_element_before(
            margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
        )
        for gc, width in zip(table._tbl.tblGrid.gridCol_lst, self.widths):
            gc.w = width
        trs = table._tbl.tr_lst
        for tr in trs:
            for tc, width in zip(tr.tc_lst, self.widths):
                tc.width = width
        self.header(trs[:heads])
        for tr, row in zip(trs[heads:], t.rows):
            self.row(tr, row)
        for tr in trs:
            trpr = tr.get_or_add_trPr()
            trpr.append(_element("w:cantSplit"))
        for tr in trs[:heads]:
            tr.get_or_add_trPr().append(_element("w:tblHeader"))
        keep = [tr for tr, row in zip(trs[heads:], t.rows) if row.kind == "sector"]
        if t.notes and len(trs) > heads:  # the last row stays with the notes under it
            keep.append(trs[-1])
        for tr in keep:  # a sector row stays with its first indicator
            for p in tr.iter(_qn("w:p")):
                p.get_or_add_pPr().keepNext_val = True

    def cell(
        self,
        tc: Any,
        text: str,
        *,
        align: str = "center",
        bold: bool = False,
        shade: str | None = None,
        hint: str | None = None,
    ) -> None:
        """Fill grid cell ``tc``: vertically centred, its paragraph in Table Text aligned
        ``align``, the text (and a smaller ``hint`` line), an optional shade.

        The paragraph and cell properties are copies of ones built once per table (setting
        them through python-docx inserts each child by schema order: most of a table's time).
        """
        from copy import deepcopy

        from docx.text.paragraph import Paragraph as DocxParagraph

        tcpr = tc.get_or_add_tcPr()
        tcpr.append(deepcopy(self._valign))  # last: nothing after vAlign is ever set
        p = tc.p_lst[0]
        p.insert(0, deepcopy(self._ppr(align)))
        para = DocxParagraph(p, self.table)
        text = _clean(text)
        if text:
            self.w.run(para, text, BODY_FONT, self.size, bold=bold)
        if hint:  # a unit under the header (个百分点), a little smaller
            hint = _clean(hint, breaks=False)
            self.w.run(para, "\n" + hint if text else hint, BODY_FONT, self.size - 1.5)
        if shade:
            shd = _element("w:shd", val="clear", color="auto", fill=shade.lstrip("#").upper())
            tcpr.insert_element_before(
                shd,
                "w:noWrap",
                "w:tcMar",
                "w:textDirection",
                "w:tcFitText",
                "w:vAlign",
                "w:hideMark",
                "w:headers",
                "w:cellIns",
                "w:cellDel",
                "w:cellMerge",
                "w:tcPrChange",
            )

    def _ppr(self, align: str) -> Any:
        """The paragraph properties of a cell aligned ``align`` (built once, then copied)."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import OxmlElement

        held = self._pprs.get(align)
        if held is None:
            scratch = OxmlElement("w:p")
            held = scratch.get_or_add_pPr()
            self.w.set_style(_Scratch(scratch), "Table Text")
            held.jc_val = {
                "center": WD_ALIGN_PARAGRAPH.CENTER,
                "left": WD_ALIGN_PARAGRAPH.LEFT,
                "right": WD_ALIGN_PARAGRAPH.RIGHT,
            }[align]
            self._pprs[align] = held
        return held

    def merge_across(self, tr: Any, start: int, span: int) -> Any:
        """Merge ``span`` cells of a row from grid column ``start`` into its first one."""
        tcs = list(tr.tc_lst)
        first = tcs[start]
        for tc in tcs[start + 1 : start + span]:
            tr.remove(tc)
        first.grid_span = span
        first.width = sum(self.widths[start : start + span])
        return first

    def header(self, trs: list[Any]) -> None:
        if len(trs) == 1:
            for tc, col in zip(list(trs[0].tc_lst), self.cols):
                self.cell(tc, col.label, bold=True, hint=col.hint)
            return
        top, bottom = list(trs[0].tc_lst), list(trs[1].tc_lst)
        start = 0
        merges: list[tuple[int, int, str]] = []
        for group, members in column_groups(self.cols):
            if group is None:
                for j, col in enumerate(members, start):
                    top[j].vMerge = "restart"
                    bottom[j].vMerge = "continue"
                    self.cell(top[j], col.label, bold=True, hint=col.hint)
                    self.cell(bottom[j], "")
            else:
                for j, col in enumerate(members, start):
                    self.cell(bottom[j], col.sub or col.label, bold=True, hint=col.hint)
                merges.append((start, len(members), group))
            start += len(members)
        for first, span, group in reversed(merges):  # right to left: indices stay valid
            tc = self.merge_across(trs[0], first, span) if span > 1 else top[first]
            self.cell(tc, group, bold=True)

    def row(self, tr: Any, row: Row) -> None:
        if row.kind == "sector":
            tc = self.merge_across(tr, 0, len(self.cols))
            self.cell(tc, row.label, align="left", bold=True)
            return
        for tc, col in zip(list(tr.tc_lst), self.cols):
            cell = row.cells.get(col.key)
            text = cell.text if cell is not None else ""
            if col.kind == "status":
                self.cell(
                    tc,
                    text,
                    shade=STATUS_TINTS.get(row.status or "no_data", STATUS_TINTS["no_data"]),
                )
            else:
                self.cell(tc, text, align=_ALIGN.get(col.kind, "center"))


class _Scratch:
    """A bare ``w:p`` in the shape :meth:`_Writer.set_style` takes (``._p``)."""

    def __init__(self, p: Any) -> None:
        self._p = p


_ALIGN = {"num": "right", "name": "left", "note": "left", "text": "center"}


def _fits(t: Table, width_mm: float) -> bool:
    """Whether every column of ``t`` gets its least width within ``width_mm`` at the smallest
    type and cell margin."""
    from docx.shared import Mm, Pt

    size, margin = TABLE_PT[-1], _CELL_MARGINS_DXA[-1]
    least = sum(_points(_column_need(t, c)[0], size, margin) for c in t.columns)
    return least <= Mm(width_mm) / Pt(1)


def _points(need_em: float, size: float, margin: int) -> float:
    """A column's width in points: its need in em of ``size`` type, 0.2 em of slack, both
    cell margins (dxa) and a point of border."""
    return (need_em + 0.2) * size + 2 * margin / 20 + 1.0


def _table_widths(t: Table, width_mm: float = TEXT_WIDTH_MM) -> tuple[float, int, list[int]]:
    """The table's font size, cell margin (dxa) and column widths (EMU) filling ``width_mm``.

    Each column has a least width (its figures and short text unbroken, names and notes
    wrapping at 4 and 3 characters, at least two header characters) and a wish (its longest
    cell, a header of up to 5 characters on one line). The larger size and margin at which
    every wish fits are taken, else those at which every least width fits; the room left
    goes first to the figures and short text (so they stay on one line), then to the names
    and notes, which wrap."""
    from docx.shared import Mm, Pt

    total = Mm(width_mm) / Pt(1)
    needs = [_column_need(t, c) for c in t.columns]

    def at(size: float, margin: int, which: int) -> list[float]:
        return [_points(need[which], size, margin) for need in needs]

    wraps = [c.kind in ("name", "note") for c in t.columns]

    def base(size: float, margin: int) -> list[float]:  # figures unbroken, names/notes least
        return [
            lo if w else hi for lo, hi, w in zip(at(size, margin, 0), at(size, margin, 1), wraps)
        ]

    options = [(size, margin) for size in TABLE_PT for margin in _CELL_MARGINS_DXA]
    size, margin = next(
        (o for o in options if sum(at(*o, 1)) <= total),
        next(
            (o for o in options if sum(base(*o)) <= total),
            next((o for o in options if sum(at(*o, 0)) <= total), options[-1]),
        ),
    )
    least, wish, fixed = at(size, margin, 0), at(size, margin, 1), base(size, margin)
    extra = [hi - lo if w else 0.0 for lo, hi, w in zip(least, wish, wraps)]
    if sum(wish) <= total:
        points = [w * total / sum(wish) for w in wish]
    elif sum(fixed) <= total and sum(extra) > 0:
        points = [b + (total - sum(fixed)) * e / sum(extra) for b, e in zip(fixed, extra)]
    elif sum(least) <= total:
        share = (total - sum(least)) / (sum(wish) - sum(least))
        points = [lo + (hi - lo) * share for lo, hi in zip(least, wish)]
    else:  # too many columns even at the least: everything wraps a little
        points = [lo * total / sum(least) for lo in least]
    widths: list[int] = [Pt(w) for w in points]
    widths[-1] = Mm(width_mm) - sum(widths[:-1])  # exact total despite rounding
    return size, margin, widths


def _column_need(t: Table, col: Column) -> tuple[float, float]:
    """(least, wished) width of a column in em of the table's type."""
    content = max(
        (
            _em(line)
            for row in t.rows
            if row.kind != "sector"
            for cell in [row.cells.get(col.key)]
            if cell is not None
            for line in _clean(cell.text).split("\n")
        ),
        default=0.0,
    )
    # headers are bold (about 5 % wider) and may wrap past 5 characters
    header = 1.05 * max(_em(col.sub or col.label if col.group else col.label), _em(col.hint or ""))
    two = 2.1  # two bold header characters
    if col.kind == "num":
        least, wish = content, max(content, min(header, 5.25))
    elif col.kind == "status":
        least, wish = min(content, 4.0), max(content, min(header, 5.25))
    else:
        cap = {"name": 12.0, "note": 10.0}.get(col.kind, 8.0)
        # names wrap past 4 characters, notes past 3; short text (units, 并列2) never
        least = min(content, {"name": 4.0, "note": 3.0}.get(col.kind, 4.0))
        wish = max(min(content, cap), min(header, 5.25))
    return max(least, two), max(wish, least, two)


# ------------------------------------------------------------------------------ zip


class _FixedZip:
    """The member writer python-docx's PackageWriter writes through, with fixed timestamps
    (equal documents give equal bytes) and pictures stored as they are (PNG does not
    deflate further)."""

    def __init__(self, file: IO[bytes]) -> None:
        self._zip = zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED)

    def write(self, uri: Any, blob: bytes) -> None:
        name = str(uri.membername)
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        stored = name.lower().endswith((".png", ".jpeg", ".jpg"))
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        self._zip.writestr(info, blob)

    def close(self) -> None:
        self._zip.close()


def _package(d: Any) -> bytes:
    """``d`` saved as .docx bytes: ``OpcPackage.save`` with :class:`_FixedZip` for its zip
    (python-docx 1.x's PackageWriter steps; the package is zipped once, not re-zipped)."""
    from docx.opc.pkgwriter import PackageWriter

    package = d.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    writer = _FixedZip(out)
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)  # type: ignore[arg-type]  # same interface
    writer.close()
    return out.getvalue()
