"""A :class:`~helpers.document.model.Document` as an A4 PDF in the printed layout of
official documents (GB/T 9704 as offices apply it to a 工作总结), set by Typst.

The Typst template below is fixed; the document reaches it only as data: a JSON string in
``sys.inputs`` that the template reads with ``json(...)`` and turns into content with Typst
code. No text is ever written into markup, so ``#``, ``$``, ``*``, ``<``, ``\\`` or ``]``
in a name or a note are printed as they are. Figures are PNG files in a temporary folder
that is the compilation's root, named by their digest.

Layout: margins 37/26/35/28 mm (top/right/bottom/left); title 22 pt centred; body 16 pt
Noto Serif SC (for 仿宋) on a fixed 28.5 pt line pitch, first-line indent 2 characters;
一、 headings in bold Noto Sans SC (for 黑体), （一） a little smaller; page numbers
``— 1 —`` at the outside edge (right on odd pages, left on even). Tables: header repeated on
every page, merged group headers, sector rows across the table, numbers right-aligned,
the status cell lightly tinted beside its label. Fonts come only from the pip font
packages (Noto Sans/Serif SC Regular, and a Bold instanced once by
:func:`helpers.output.fonts.static_font_files`); no system or Typst-bundled font is used.

One Typst compiler is reused per process, so fonts are found and parsed once: a new
5-page document takes ~50 ms, a repeated one ~10 ms, the first in a process ~0.1–0.2 s.
A process whose parent compiled with Typst before forking would hang in Typst's thread
pool, so such a child compiles in a fresh interpreter instead (~1 s); a batch parent may
call :func:`prepare` before it forks, which loads fonts without compiling anything.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import struct
import subprocess
import sys
import tempfile
import threading
import unicodedata
from pathlib import Path
from typing import Any

from ..document.model import (
    BulletList,
    Document,
    Figure,
    Heading,
    Paragraph,
    Run,
    Table,
    column_groups,
)
from ..document.palette import STATUS_TINTS
from ..errors import FontError, KpibookError
from .fonts import cut_pdf_fonts, pdf_fonts

__all__ = ["document_pdf", "document_png", "prepare", "PdfError"]

log = logging.getLogger(__name__)


class PdfError(KpibookError, RuntimeError):
    """Typst could not set a document (a figure that is not a PNG, a Typst failure)."""


_INPUT = "kpibook-document"  # the sys.inputs key holding the document's JSON
_TEXT_WIDTH_PT = (210 - 28 - 26) / 25.4 * 72  # 156 mm
_TABLE_SIZES = (10.5, 9.0, 8.0, 7.5)  # pt: 五号, then smaller when a table is wide
_CELL_PAD_EM = 0.9  # the cell inset on both sides, and some air
_WRAP_CAP_EM = {"name": 9.0, "note": 10.0, "text": 6.0}
_WRAP_FLOOR_EM = 3.0
_WRAP_COMFORT_EM = 6.0
_MAX_FIGURE_HEIGHT_PT = 150 / 25.4 * 72


def _quiet(colour: str, keep: float = 0.55) -> str:
    """A status tint moved towards white: a reading aid on paper, never the only signal."""
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * keep):02x}" for c in rgb)


_TEMPLATE = r"""
#let data = json(bytes(sys.inputs.at("kpibook-document")))
#let serif = ("Noto Serif SC", "Noto Sans SC")
#let sans = ("Noto Sans SC", "Noto Serif SC")
#let aligns = (left: left, right: right, center: center)

#set document(title: data.title, date: none)
#set page(
  paper: "a4",
  margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),
  footer-descent: 7mm,
  footer: context {
    let n = counter(page).get().first()
    let mark = text(font: serif, size: 14pt, top-edge: "cap-height", bottom-edge: "baseline",
                    "— " + str(n) + " —")
    // 一字 in from the outside edge: right on odd pages, left on even ones
    if calc.odd(n) { align(right, pad(right: 1em, mark)) }
    else { align(left, pad(left: 1em, mark)) }
  },
)
// Every line box is exactly 1 em, so the leading sets the pitch: 16 pt + 12.5 pt = 28.5 pt.
#set text(font: serif, size: 16pt, lang: data.lang, region: data.region,
          top-edge: 0.88em, bottom-edge: -0.12em, hyphenate: false)
#set par(leading: 0.78em, spacing: 0.78em, justify: true,
         first-line-indent: (amount: 2em, all: true))
#set block(spacing: 0.78em)
#set list(indent: 2em, body-indent: 0.5em)
#set enum(indent: 2em, body-indent: 0.5em)

#show heading: set block(sticky: true)
#show heading.where(level: 1): it => block(width: 100%, above: 0pt, below: 1.5em,
  align(center, par(first-line-indent: 0em, justify: false, leading: 0.5em,
    text(font: sans, weight: "bold", size: 22pt, it.body))))
#show heading.where(level: 2): it => block(above: 0.78em, below: 0.78em,
  par(justify: false, text(font: sans, weight: "bold", size: 16pt, it.body)))
#show heading.where(level: 3): it => block(above: 0.78em, below: 0.78em,
  par(justify: false, text(font: sans, weight: "bold", size: 15pt, it.body)))
#show heading.where(level: 4): it => block(above: 0.78em, below: 0.78em,
  par(justify: false, text(font: serif, size: 16pt, it.body)))

#let runs(items) = {
  for r in items {
    if r.bold {
      text(font: sans, weight: "bold", style: if r.italic { "italic" } else { "normal" }, r.text)
    } else if r.italic {
      text(style: "italic", r.text)
    } else {
      text(r.text)
    }
  }
}

#let paragraph(b) = {
  if b.role == "subtitle" {
    block(width: 100%, below: 1.2em, align(center, par(first-line-indent: 0em, runs(b.runs))))
  } else if b.role == "note" {
    text(size: 12pt, par(runs(b.runs)))
  } else if b.role == "caption" {
    block(width: 100%, align(center, par(first-line-indent: 0em,
      text(font: sans, size: 12pt, runs(b.runs)))))
  } else {
    par(runs(b.runs))
  }
}

#let bullets(b) = {
  let items = b.items.map(p => runs(p.runs))
  let body = if b.ordered { enum(..items) } else { list(..items) }
  if b.role == "note" { text(size: 12pt, body) } else { body }
}

#let picture(f) = block(breakable: false, width: 100%, above: 1em, below: 1em, {
  layout(size => {
    let w = calc.min(f.width * 1pt, size.width)
    if w * f.aspect > f.max-height * 1pt { w = f.max-height * 1pt / f.aspect }
    align(center, image(f.path, width: w, alt: f.alt))
  })
  if f.caption != "" {
    v(0.3em)
    align(center, par(first-line-indent: 0em, leading: 0.5em,
      text(font: sans, size: 12pt, f.caption)))
  }
})

// Column 0 is a keeper, 0 pt wide and unstroked: an unbreakable cell in it spanning a
// sector row and the row after it keeps a sector heading off the foot of a page.
#let grid-table(t) = block(width: 100%, above: 1em, below: 1em, {
  set text(font: sans, size: t.size * 1pt)
  set par(leading: 0.4em, spacing: 0.4em, justify: false, first-line-indent: 0em)
  set table.cell(breakable: false)
  let n = t.widths.len()
  let keeper(span) = table.cell(rowspan: span, stroke: none, inset: 0pt, [])
  if t.caption != "" {
    block(sticky: true, width: 100%, below: 0.6em, align(center,
      text(weight: "bold", size: t.size * 1pt + 1.5pt, t.caption)))
  }
  let head = (keeper(t.header.len()),)
  for row in t.header {
    for c in row {
      head.push(table.cell(colspan: c.colspan, rowspan: c.rowspan, align: center + horizon, {
        c.lines.map(line => text(weight: "bold", line)).join(linebreak())
        if c.hint != none { linebreak(); text(size: 0.85em, c.hint) }
      }))
    }
  }
  let body = ()
  let covered = false
  for r in t.rows {
    if covered { covered = false } else {
      body.push(keeper(if r.keep { 2 } else { 1 }))
      covered = r.keep
    }
    if r.sector != none {
      body.push(table.cell(colspan: n, align: left + horizon, fill: luma(242),
        text(weight: "bold", r.sector)))
    } else {
      for (i, c) in r.cells.enumerate() {
        body.push(table.cell(align: aligns.at(t.align.at(i)) + horizon,
          fill: if c.fill == none { none } else { rgb(c.fill) }, text(c.text)))
      }
    }
  }
  table(
    columns: (0pt, ..t.widths.map(w => w * 1fr)),
    stroke: 0.5pt + luma(90),
    inset: (x: 0.3em, y: 0.35em),
    table.header(repeat: true, ..head),
    ..body,
  )
  if t.notes.len() > 0 {
    v(0.3em)
    set text(size: t.size * 1pt - 0.5pt)
    for note in t.notes { par(text(note)) }
  }
})

#for b in data.blocks {
  if b.kind == "heading" { heading(level: b.level, outlined: true, text(b.text)) }
  else if b.kind == "paragraph" { paragraph(b) }
  else if b.kind == "list" { bullets(b) }
  else if b.kind == "figure" { picture(b) }
  else if b.kind == "table" { grid-table(b) }
}
"""

# ---------------------------------------------------------------------------------------------
# public API


def document_pdf(doc: Document) -> bytes:
    """The document as an A4 PDF (bytes), fonts embedded, in the official-document layout."""
    pages = _render(doc, "pdf", None)
    return pages[0]


def document_png(doc: Document, *, ppi: float = 144.0) -> list[bytes]:
    """Each page of the document as a PNG (a preview, or for looking at the layout)."""
    return _render(doc, "png", ppi)


def prepare(text: str | None = None) -> None:
    """Make the Bold font and find the fonts, without compiling anything.

    Safe in a batch parent before it forks (compiling there would hang the children). With
    ``text`` (every character the batch's reports may show), the faces are also cut to it
    once (:func:`~helpers.output.fonts.cut_pdf_fonts`), and every document whose characters
    they hold is set with them: each forked report then reads small fonts, ~50 ms less.
    """
    _compiler(_font_folders())
    if text is not None:
        try:
            _STATE["cut"] = cut_pdf_fonts(text + _TEMPLATE)
        except FontError as exc:  # an unwritable cache: the whole fonts serve every document
            log.warning("PDF fonts not cut: %s", exc)


# ---------------------------------------------------------------------------------------------
# the document as the template's data


def _em(text: str) -> float:
    """The width of ``text`` in em, roughly: CJK and full-width 1, the rest about 0.55."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.55 for ch in text)


def _runs(runs: tuple[Run, ...]) -> list[dict[str, Any]]:
    return [{"text": r.text, "bold": bool(r.bold), "italic": bool(r.italic)} for r in runs]


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG, from its header; a :class:`PdfError` if it is none."""
    if len(png) < 24 or png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise PdfError("a figure is not a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    if not width or not height:
        raise PdfError("a figure has no pixels")
    return width, height


def _table(table: Table) -> dict[str, Any]:
    """A table as the template draws it: header rows with spans, cells, widths, size."""
    columns = table.columns
    grouped = table.groups
    top: list[dict[str, Any]] = []
    subs: list[dict[str, Any]] = []
    for group, members in column_groups(columns):
        if group and grouped:
            top.append({"lines": [group], "hint": None, "colspan": len(members), "rowspan": 1})
            subs += [
                {
                    "lines": _header_lines(c.sub or c.label),
                    "hint": c.hint,
                    "colspan": 1,
                    "rowspan": 1,
                }
                for c in members
            ]
        else:
            top += [
                {
                    "lines": _header_lines(c.label),
                    "hint": c.hint,
                    "colspan": 1,
                    "rowspan": 2 if grouped else 1,
                }
                for c in members
            ]
    header = [top, subs] if grouped else [top]
    align = [
        "right" if c.kind == "num" else "center" if c.kind == "status" else "left" for c in columns
    ]
    rows: list[dict[str, Any]] = []
    for i, row in enumerate(table.rows):
        if row.kind == "sector":
            following = table.rows[i + 1] if i + 1 < len(table.rows) else None
            keep = following is not None and following.kind != "sector"
            rows.append({"sector": row.label, "cells": [], "keep": keep})
            continue
        tint = STATUS_TINTS.get(row.status or "")
        cells = []
        for c in columns:
            cell = row.cells.get(c.key)
            fill = _quiet(tint) if c.kind == "status" and tint else None
            cells.append({"text": cell.text if cell is not None else "", "fill": fill})
        rows.append({"sector": None, "cells": cells, "keep": False})
    size, widths = _column_widths(table)
    return {
        "kind": "table",
        "caption": table.caption,
        "notes": list(table.notes),
        "header": header,
        "align": align,
        "rows": rows,
        "size": size,
        "widths": widths,
    }


_OPENING = frozenset("(（[【《“‘")
_CLOSING = frozenset(")）]】》”’、，。：；！？%")


def _header_lines(label: str) -> list[str]:
    """A header on one line, or, when longer than 3 characters, on two balanced lines
    (``1-6月`` / ``累计``, ``超(欠)`` / ``序时``) broken where Chinese allows it."""
    if _em(label) <= 3.0 or "\n" in label:
        return label.splitlines() or [label]
    best: tuple[float, int] | None = None
    for i in range(1, len(label)):
        left, right = label[i - 1], label[i]
        if (
            (left.isascii() and right.isascii() and (left + right).isalnum())
            or left in _OPENING
            or right in _CLOSING
            or right.isspace()
        ):
            continue
        widest = max(_em(label[:i]), _em(label[i:]))
        if best is None or widest < best[0]:
            best = (widest, i)
    if best is None:
        return [label]
    return [label[: best[1]].rstrip(), label[best[1] :].lstrip()]


def _column_widths(table: Table) -> tuple[float, list[float]]:
    """A font size and relative column widths that fit the text width.

    Figures, units and statuses keep one line; names and notes wrap when the table is
    wide. The size is the largest of :data:`_TABLE_SIZES` at which the one-line columns and
    a comfortable width of the wrapping ones fit (else a minimal width of them); what is
    left goes to the wrapping columns, up to what they would need on one line."""
    fixed: list[bool] = []
    full: list[float] = []
    comfort: list[float] = []
    least: list[float] = []
    for c in table.columns:
        texts = [r.cells[c.key].text for r in table.rows if r.kind != "sector" and c.key in r.cells]
        longest = max((_em(line) for t in texts for line in t.splitlines() or [""]), default=0.0)
        label = (c.sub or c.label) if c.group and table.groups else c.label
        head = max([2.0, _em(c.hint or "") * 0.85] + [_em(x) for x in _header_lines(label)])
        cap = _WRAP_CAP_EM.get(c.kind)
        wraps = cap is not None and longest > min(cap, _WRAP_COMFORT_EM)
        full.append(max(min(longest, cap) if cap else longest, head) + _CELL_PAD_EM)
        fixed.append(not wraps)
        comfort.append(full[-1] if not wraps else max(_WRAP_COMFORT_EM, head) + _CELL_PAD_EM)
        least.append(full[-1] if not wraps else max(_WRAP_FLOOR_EM, head) + _CELL_PAD_EM)
    if not full:
        return _TABLE_SIZES[0], []
    size = next((s for s in _TABLE_SIZES if sum(comfort) <= _TEXT_WIDTH_PT / s), None)
    if size is None:
        size = next((s for s in _TABLE_SIZES if sum(least) <= _TEXT_WIDTH_PT / s), _TABLE_SIZES[-1])
    room = _TEXT_WIDTH_PT / size
    if sum(full) <= room:
        return size, [round(w, 2) for w in full]
    base = comfort if sum(comfort) <= room else least
    spare = max(room - sum(base), 0.0)
    stretch = [f - b for f, b in zip(full, base)]
    total = sum(stretch) or 1.0
    return size, [round(b + spare * s / total, 2) for b, s in zip(base, stretch)]


def _payload(doc: Document) -> tuple[str, dict[str, bytes]]:
    """The template's JSON for ``doc``, and the figure files (name -> PNG) it refers to."""
    images: dict[str, bytes] = {}
    blocks: list[dict[str, Any]] = []
    has_title = any(isinstance(b, Heading) and b.level <= 1 for b in doc.blocks)
    if doc.title and not has_title:
        blocks.append({"kind": "heading", "level": 1, "text": doc.title})
    for block in doc.blocks:
        if isinstance(block, Heading):
            blocks.append(
                {"kind": "heading", "level": min(max(int(block.level), 1), 4), "text": block.full}
            )
        elif isinstance(block, Paragraph):
            blocks.append({"kind": "paragraph", "role": block.role, "runs": _runs(block.runs)})
        elif isinstance(block, BulletList):
            blocks.append(
                {
                    "kind": "list",
                    "ordered": bool(block.ordered),
                    "role": block.role,
                    "items": [{"runs": _runs(p.runs)} for p in block.items],
                }
            )
        elif isinstance(block, Figure):
            width, height = _png_size(block.png)
            name = f"/fig-{hashlib.sha256(block.png).hexdigest()[:32]}.png"
            images[name] = block.png
            blocks.append(
                {
                    "kind": "figure",
                    "path": name,
                    "alt": block.alt,
                    "caption": block.caption,
                    "aspect": height / width,
                    "width": float(block.width_in) * 72 if block.width_in > 0 else 1e4,
                    "max-height": _MAX_FIGURE_HEIGHT_PT,
                }
            )
        elif isinstance(block, Table):
            blocks.append(_table(block))
        else:
            raise PdfError(f"cannot set a {type(block).__name__} block")
    lang = "en" if doc.lang == "en" else "zh"
    data = {
        "title": doc.title,
        "lang": lang,
        "region": "gb" if lang == "en" else "cn",
        "blocks": blocks,
    }
    return json.dumps(data, ensure_ascii=False), images


# ---------------------------------------------------------------------------------------------
# compiling

_LOCK = threading.Lock()
#: "compilers": font folders -> (pid, typst.Compiler); "used": the pid that compiled;
#: "cut": (characters, folder) of the faces :func:`prepare` cut for a batch
_STATE: dict[str, Any] = {}


def _font_folders(source: str = "") -> tuple[str, ...]:
    """The folders of the faces to set ``source`` (the template's data) with: those cut by
    :func:`prepare` when they hold its every character, else the whole faces (the pip
    fonts' folder and the cached Bold's)."""
    cut = _STATE.get("cut")
    if cut is not None and set(source) <= cut[0]:
        return (str(cut[1]),)
    return tuple(dict.fromkeys(str(path.parent) for path in pdf_fonts()))


def _compiler(folders: tuple[str, ...]) -> Any:
    """This process's Typst compiler for these font folders: only the Noto fonts, no system
    or bundled font."""
    import typst

    held = _STATE.setdefault("compilers", {}).get(folders)
    if held is not None and held[0] == os.getpid():
        return held[1]
    found = typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=list(folders)
    )
    compiler = typst.Compiler(font_paths=found, ignore_system_fonts=True)
    _STATE["compilers"][folders] = (os.getpid(), compiler)
    return compiler


def _render(doc: Document, fmt: str, ppi: float | None) -> list[bytes]:
    """PDF (one item) or PNG pages of ``doc``: here, or in a fresh interpreter when a parent
    of this process compiled with Typst before forking (Typst would hang here)."""
    used = _STATE.get("used")
    if used is not None and used != os.getpid():
        return _render_elsewhere(doc, fmt, ppi)
    source, images = _payload(doc)
    with _LOCK, tempfile.TemporaryDirectory(prefix="kpibook-pdf-") as root:
        for name, png in images.items():
            Path(root, name.lstrip("/")).write_bytes(png)
        compiler = _compiler(_font_folders(source))
        _STATE["used"] = os.getpid()
        try:
            out, warnings = compiler.compile_with_warnings(
                _TEMPLATE.encode("utf-8"),
                format=fmt,
                ppi=ppi,
                root=root,
                sys_inputs={_INPUT: source},
            )
        except Exception as exc:  # typst.TypstError, with Typst's diagnostic
            raise PdfError(f"Typst could not set the document: {exc}") from exc
    for warning in warnings:
        log.warning("Typst: %s", getattr(warning, "message", warning))
    if isinstance(out, bytes):
        return [out]
    return list(out or [])


def _render_elsewhere(doc: Document, fmt: str, ppi: float | None) -> list[bytes]:
    """:func:`_render` in a new interpreter, the document in on stdin, pages out on stdout."""
    request = json.dumps({"document": doc.to_json(), "format": fmt, "ppi": ppi})
    env = dict(os.environ)  # the child imports what this process imports, installed or not
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    done = subprocess.run(
        [sys.executable, "-m", "helpers.output.pdf"],
        input=request.encode(),
        capture_output=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise PdfError(
            "Typst could not set the document: "
            + done.stderr.decode("utf-8", "replace").strip()[-2000:]
        )
    return [base64.b64decode(p) for p in json.loads(done.stdout)["pages"]]


def _main() -> None:
    """The other end of :func:`_render_elsewhere`."""
    request = json.loads(sys.stdin.buffer.read())
    pages = _render(Document.from_json(request["document"]), request["format"], request["ppi"])
    sys.stdout.write(json.dumps({"pages": [base64.b64encode(p).decode("ascii") for p in pages]}))


if __name__ == "__main__":
    _main()
