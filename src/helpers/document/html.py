"""HTML of the document model: what a notebook shows and what the shared HTML page carries.

:func:`document_html` renders a :class:`~helpers.document.model.Document` (every string from
data escaped); :func:`figure` turns a matplotlib Figure into a model figure (an inline PNG);
:func:`markdown_blocks` reads the notes' Markdown into paragraphs and lists of runs, raw
HTML and images never passed through. :class:`Block` is a ready HTML fragment, for the
district sections that still build their HTML directly.

Tables get a ``data-label`` on every cell of an indicator row (:func:`cell_labels`: the header
text, a two-level header combined) and the class ``kpi-cards``, which report.css turns into one
card per row on a phone; wider screens lay the table out as before.
"""

from __future__ import annotations

import base64
import io
import re
from typing import Any

from ..base.markup import escape
from ..base.missing import NONE
from .model import BulletList, Document, Figure, Heading, Paragraph, Run, Table
from .tables import table_html

__all__ = [
    "Block",
    "cell_labels",
    "document_html",
    "figure",
    "figure_html",
    "markdown_blocks",
    "markdown_html",
]

_CJK_BOLD = re.compile(r"\*\*([^*<>\n]+?)\*\*")


class Block:
    """An HTML fragment that notebooks display as rich output (text/html)."""

    def __init__(self, body: str) -> None:
        self.body = body

    def _repr_html_(self) -> str:
        return self.body

    def __repr__(self) -> str:  # the text/plain of the output: the same in every run
        return f"<Block: {len(self.body)} characters of HTML>"

    def __str__(self) -> str:
        return self.body


#: Resolution of a chart's PNG: 550 px for a 5-inch chart, more than a 390 px phone shows
#: it at, and 110 dpi at its width in the PDF and Word.
DPI = 110

#: Colours of a chart's PNG: its few flat colours and their anti-aliased edges fit in a palette.
PNG_COLOURS = 128


def _png(fig: Any, dpi: int) -> bytes:
    """``fig`` drawn once at ``dpi`` (layout included) as a palette PNG, then closed.

    A chart has a handful of flat colours: quantised to :data:`PNG_COLOURS` it is about a
    quarter of the bytes of matplotlib's RGBA PNG, and encoding one byte a pixel instead of
    four is faster than the quantising costs."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    picture = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    palette = picture.convert("RGB").quantize(PNG_COLOURS, method=Image.Quantize.FASTOCTREE)
    colours = palette.getpalette() or []
    for i in range(0, len(colours) - 2, 3):  # the octree's near-white is the page's white
        if min(colours[i : i + 3]) >= 250:
            colours[i : i + 3] = [255, 255, 255]
    palette.putpalette(colours)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", dpi=(dpi, dpi))
    try:
        import matplotlib.pyplot as plt

        plt.close(fig)
    except Exception:  # pragma: no cover - a Figure made without pyplot
        pass
    return buffer.getvalue()


def figure(fig: Any, alt: str, *, caption: str = "", dpi: int = DPI) -> Figure:
    """A matplotlib Figure as a model figure (PNG bytes and the size it was drawn at), closed."""
    width, height = (float(x) for x in fig.get_size_inches())
    return Figure(_png(fig, dpi), alt, caption, width, height)


def figure_html(fig: Any, alt: str, *, dpi: int = DPI) -> str:
    """A Figure as an inline PNG ``<img>`` (one file that opens offline), then closed."""
    return _figure_tag(Figure(_png(fig, dpi), alt))


def _figure_tag(f: Figure) -> str:
    data = base64.b64encode(f.png).decode("ascii")
    cap = f"<figcaption>{escape(f.caption)}</figcaption>" if f.caption else ""
    return (
        f'<figure class="kb-chart"><img src="data:image/png;base64,{data}" '
        f'alt="{escape(f.alt)}"/>{cap}</figure>'
    )


def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")


def markdown_html(text: str) -> str:
    """Notes text (Markdown) as HTML, with any raw HTML escaped and no remote images."""
    rendered = _parser().render(text or "")
    # CommonMark will not close ``**…。**`` when Chinese text follows the closing run (no space
    # after punctuation in Chinese); the pair is still plainly bold. The text is escaped already.
    return _CJK_BOLD.sub(r"<strong>\1</strong>", rendered)


def _runs(inline: Any) -> tuple[Run, ...]:
    """The runs of one inline token: text with bold/italic, line breaks kept as newlines."""
    runs: list[Run] = []
    bold = italic = False
    for child in inline.children or []:
        if child.type == "strong_open":
            bold = True
        elif child.type == "strong_close":
            bold = False
        elif child.type == "em_open":
            italic = True
        elif child.type == "em_close":
            italic = False
        elif child.type in ("softbreak", "hardbreak"):
            runs.append(Run("\n", bold, italic))
        elif child.content:
            # the CJK bold CommonMark leaves open (see markdown_html)
            for i, piece in enumerate(_CJK_BOLD.split(child.content)):
                if piece:
                    runs.append(Run(piece, bold or i % 2 == 1, italic))
    return tuple(runs)


def markdown_blocks(text: str, role: str = "body") -> list[Paragraph | BulletList]:
    """Notes text (Markdown) as paragraphs and lists; every line of a multi-line cell kept."""
    blocks: list[Paragraph | BulletList] = []
    items: list[Paragraph] = []
    ordered = False
    depth = 0
    for token in _parser().parse(text or ""):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            ordered = token.type == "ordered_list_open"
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            if depth == 0 and items:
                blocks.append(BulletList(tuple(items), ordered, role))
                items = []
        elif token.type == "inline":
            paragraph = Paragraph(_runs(token), role)
            (items if depth else blocks).append(paragraph)
    return blocks


def _inline_html(p: Paragraph) -> str:
    out = []
    for r in p.runs:
        text = "<br/>".join(escape(line) for line in r.text.split("\n"))
        if r.italic:
            text = f"<em>{text}</em>"
        if r.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


_P_CLASS = {
    "subtitle": "kb-subtitle",
    "note": "kb-small",
    "caption": "kb-caption",
    "hint": "kb-hint",
}


def _block_html(block: Any) -> str:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 4)
        css = ' class="kb-title"' if level == 1 else ""
        return f"<h{level}{css}>{escape(block.full)}</h{level}>"
    if isinstance(block, Paragraph):
        cls = _P_CLASS.get(block.role)
        return (f'<p class="{cls}">' if cls else "<p>") + _inline_html(block) + "</p>"
    if isinstance(block, Figure):
        return _figure_tag(block)
    if isinstance(block, BulletList):
        tag = "ol" if block.ordered else "ul"
        items = "".join(f"<li>{_inline_html(i)}</li>" for i in block.items)
        return f'<{tag} class="kb-notes">{items}</{tag}>'
    if isinstance(block, Table):
        return _card_table(block)
    raise TypeError(f"not a document block: {type(block).__name__}")


def cell_labels(table: Table) -> list[str]:
    """What each column's cells are called in a card: the header text as the table shows it.

    A two-level header is combined as group（sub）(目标任务（全年）, ``Completion (of H1)``);
    a unit hint follows in brackets (超（欠）序时（个百分点）, 总投资（万元））."""
    open_, close = ("（", "）") if table.lang != "en" else (" (", ")")
    labels = []
    for c in table.columns:
        text = f"{c.group}{open_}{c.sub or c.label}{close}" if c.group else c.label
        labels.append(f"{text}{open_}{c.hint}{close}" if c.hint else text)
    return labels


_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(td|th)(\s[^>]*)?>(.*?)</\1>", re.S)
_TABLE_CLASS = '<table class="kpi-table '


def _card_table(table: Table) -> str:
    """:func:`~helpers.document.tables.table_html` with a ``data-label`` on each indicator-row
    cell and the ``kpi-cards`` class, so that the narrow layout can show a card per row; a cell
    that shows no value (—) is marked ``data-none`` (its card leaves the line out)."""
    html = table_html(table)
    labels = [escape(label) for label in cell_labels(table)]
    head, sep, body = html.partition("</thead>")
    if not sep:
        return html

    def label_cell(cell: re.Match[str], label: str) -> str:
        none = " data-none" if cell[3].strip() == NONE else ""
        return f'<{cell[1]} data-label="{label}"{none}{cell[2] or ""}>{cell[3]}</{cell[1]}>'

    def label_row(row: re.Match[str]) -> str:
        cells = iter(labels)
        return "<tr>" + _CELL.sub(lambda m: label_cell(m, next(cells, "")), row[1]) + "</tr>"

    head = head.replace(_TABLE_CLASS, _TABLE_CLASS + "kpi-cards ", 1)
    return head + sep + _ROW.sub(label_row, body)


def document_html(doc: Document) -> str:
    """The document's blocks as one HTML fragment (the page template adds fonts and styles)."""
    return "\n".join(_block_html(block) for block in doc.blocks)
