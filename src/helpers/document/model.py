"""The document model: what a report says, as data, so every format says the same thing.

Sections build a :class:`Document` (headings, paragraphs of runs, tables, figures, lists,
notes); renderers turn it into HTML, PDF (Typst) or Word. A Document stores itself as JSON
(:data:`MIME`) in the executed notebook beside its HTML, so the ``.ipynb`` alone is enough
to render every format later. Text here is plain text from data or from kpibook: never
markup, never a path, never math — each renderer escapes it for its own format.

A table is a :class:`Table`: columns with an optional two-level header (a ``group`` over
``sub`` headers, merged over the columns that share it), rows that are either a sector
heading spanning the table or an indicator row of :class:`Cell` s (the text shown, the value
and number format a spreadsheet keeps), with the row's status key for the status cell.
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from ..base.markup import escape
from .words import is_zh, zh_punctuation

__all__ = [
    "MIME",
    "NOTEBOOK_ONLY",
    "Run",
    "Heading",
    "Paragraph",
    "Figure",
    "BulletList",
    "Column",
    "Cell",
    "Row",
    "Table",
    "Block",
    "Document",
    "column_groups",
]

#: The MIME type of a Document's JSON in a notebook output.
MIME = "application/vnd.kpibook.document+json"

#: The output-metadata key of what the analyst sees in the notebook and no reader does
#: (an empty section's hint): rendering drops such outputs.
NOTEBOOK_ONLY = "kpibook.notebook_only"


@dataclass(frozen=True)
class Run:
    """A piece of text with one emphasis."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Heading:
    """A numbered heading. ``level`` 1 is the report's title, 2 a section (一、), 3 a
    sub-section ((一)), 4 an item (1.). ``number`` is the numbering as written (``"一、"``,
    ``"（一）"``, ``"1. "``), kept apart from the text so Word can style it."""

    text: str
    level: int = 2
    number: str = ""

    @property
    def full(self) -> str:
        return f"{self.number}{self.text}"


@dataclass(frozen=True)
class Paragraph:
    """Body text: runs, with a role (``body``, ``subtitle``, ``note`` (small print), ``caption``)."""

    runs: tuple[Run, ...]
    role: str = "body"

    @classmethod
    def of(cls, text: str, role: str = "body") -> Paragraph:
        return cls((Run(text),), role)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class Figure:
    """A chart as a PNG, with its caption and the alt text a screen reader says."""

    png: bytes
    alt: str
    caption: str = ""
    width_in: float = 6.0  # the width it was drawn for, in inches
    height_in: float = 3.0


@dataclass(frozen=True)
class BulletList:
    """Items (notes, data remarks), each a paragraph; ``ordered`` keeps their numbers."""

    items: tuple[Paragraph, ...]
    ordered: bool = False
    role: str = "body"


@dataclass(frozen=True)
class Column:
    """A table column: its key, flat header, optional two-level header (group, sub), the kind
    of its cells (``num``, ``text``, ``name``, ``status``, ``note``) and a unit hint."""

    key: str
    label: str
    kind: str = "num"
    group: str | None = None
    sub: str | None = None
    hint: str | None = None


@dataclass
class Cell:
    """What a cell shows (``text``) and what a spreadsheet keeps (``value``, ``number_format``)."""

    text: str
    value: Any = None
    number_format: str = "General"


@dataclass
class Row:
    """A sector heading row (``kind="sector"``, ``label``) or an indicator row of cells."""

    kind: str
    label: str = ""
    status: str | None = None
    cells: dict[str, Cell] = field(default_factory=dict)


@dataclass
class Table:
    """A table with a one- or two-level header, sector rows, and notes under it."""

    columns: list[Column]
    rows: list[Row]
    caption: str = ""
    notes: list[str] = field(default_factory=list)
    lang: str = "zh"
    role: str = "progress"  # progress | projects | district: which CSS/column widths apply

    @property
    def groups(self) -> bool:
        """Whether the header has two levels."""
        return any(c.group for c in self.columns)


def column_groups(columns: list[Column]) -> list[tuple[str | None, list[Column]]]:
    """Columns in runs that share a group header: ``[(group or None, [columns]), …]``.

    The one reading of a two-level header for every renderer (HTML colspan, Word merged
    cells, Typst ``colspan``)."""
    runs: list[tuple[str | None, list[Column]]] = []
    for c in columns:
        if c.group and runs and runs[-1][0] == c.group:
            runs[-1][1].append(c)
        else:
            runs.append((c.group, [c]))
    return runs


Block = Heading | Paragraph | Figure | BulletList | Table
_KINDS: dict[str, type] = {
    "heading": Heading,
    "paragraph": Paragraph,
    "figure": Figure,
    "list": BulletList,
    "table": Table,
}
_NAMES = {v: k for k, v in _KINDS.items()}


@dataclass
class Document:
    """A report, or one section of it: blocks in reading order, and where the figures came
    from (``provenance``: parameters, inputs, version — shown in a footer, never the body)."""

    blocks: list[Block] = field(default_factory=list)
    lang: str = "zh"
    title: str = ""
    provenance: dict[str, Any] = field(default_factory=dict)
    #: What to fill for an empty section: shown in the notebook only (an output marked
    #: :data:`NOTEBOOK_ONLY`), never stored in the JSON or any rendered format.
    hint: str = ""

    def __post_init__(self) -> None:
        # One rule for every format: Chinese text has full-width punctuation; in an English
        # document only the Chinese text in it (the data's notes and names), never English.
        english = not is_zh(self.lang)
        self.blocks = [_punctuated(b, english) for b in self.blocks]
        self.title = zh_punctuation(self.title, english=english)

    def __add__(self, other: Document) -> Document:
        return Document(
            self.blocks + other.blocks,
            self.lang,
            self.title or other.title,
            {**self.provenance, **other.provenance},
        )

    @property
    def empty(self) -> bool:
        return not self.blocks

    @property
    def body(self) -> str:
        """The document as an HTML fragment (what the notebook shows)."""
        from .html import document_html

        return document_html(self)

    # -- notebook display ------------------------------------------------------------
    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        from .html import document_html

        if self.empty and self.hint:
            shown = f'<p class="kpibook-hint">{escape(self.hint)}</p>'
            return {"text/html": shown, "text/plain": self.hint}, {NOTEBOOK_ONLY: True}
        return {"text/html": document_html(self), MIME: self.to_json(), "text/plain": repr(self)}

    def __repr__(self) -> str:  # the text/plain of the output: the same in every run
        return f"<Document: {len(self.blocks)} blocks>"

    # -- JSON --------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (images base64): what the notebook output keeps."""
        return {
            "lang": self.lang,
            "title": self.title,
            "provenance": self.provenance,
            "blocks": [_dump(b) for b in self.blocks],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | str) -> Document:
        raw: dict[str, Any] = json.loads(data) if isinstance(data, str) else data
        return cls(
            [_load(b) for b in raw.get("blocks", [])],
            raw.get("lang", "zh"),
            raw.get("title", ""),
            dict(raw.get("provenance") or {}),
        )


def _runs(runs: tuple[Run, ...], english: bool = False) -> tuple[Run, ...]:
    """Runs punctuated as one text: each run sees the characters of its neighbours."""
    out = []
    for i, r in enumerate(runs):
        before = runs[i - 1].text[-1:] if i else ""
        after = runs[i + 1].text[:1] if i + 1 < len(runs) else ""
        text = zh_punctuation(r.text, before, after, english=english)
        out.append(r if text == r.text else replace(r, text=text))
    return tuple(out)


def _punctuated(block: Block, english: bool = False) -> Block:
    """``block`` with :func:`~helpers.document.words.zh_punctuation` applied to its texts
    (a new block; the caller's is not changed); ``english``: an English document's block,
    where only its Chinese text is Chinese-punctuated."""

    def z(text: str) -> str:
        return zh_punctuation(text, english=english)

    if isinstance(block, Heading):
        return replace(block, text=z(block.text), number=z(block.number))
    if isinstance(block, Paragraph):
        return replace(block, runs=_runs(block.runs, english))
    if isinstance(block, BulletList):
        return replace(
            block, items=tuple(replace(p, runs=_runs(p.runs, english)) for p in block.items)
        )
    if isinstance(block, Figure):
        return replace(block, alt=z(block.alt), caption=z(block.caption))
    return Table(
        [
            replace(
                c,
                label=z(c.label),
                group=c.group and z(c.group),
                sub=c.sub and z(c.sub),
                hint=c.hint and z(c.hint),
            )
            for c in block.columns
        ],
        [
            Row(
                r.kind,
                z(r.label),
                r.status,
                {k: replace(c, text=z(c.text)) for k, c in r.cells.items()},
            )
            for r in block.rows
        ],
        z(block.caption),
        [z(n) for n in block.notes],
        block.lang,
        block.role,
    )


def _dump(block: Block) -> dict[str, Any]:
    out = asdict(block)
    if isinstance(block, Figure):
        out["png"] = base64.b64encode(block.png).decode("ascii")
    out["kind"] = _NAMES[type(block)]
    return out


def _paragraph(d: dict[str, Any]) -> Paragraph:
    return Paragraph(tuple(Run(**r) for r in d["runs"]), d.get("role", "body"))


def _load(d: dict[str, Any]) -> Block:
    d = dict(d)
    kind = d.pop("kind")
    if kind == "heading":
        return Heading(**d)
    if kind == "paragraph":
        return _paragraph(d)
    if kind == "figure":
        return Figure(**{**d, "png": base64.b64decode(d["png"])})
    if kind == "list":
        return BulletList(
            tuple(_paragraph(p) for p in d["items"]), d.get("ordered", False), d.get("role", "body")
        )
    if kind == "table":
        return Table(
            [Column(**c) for c in d["columns"]],
            [
                Row(
                    r["kind"],
                    r.get("label", ""),
                    r.get("status"),
                    {k: Cell(**c) for k, c in r.get("cells", {}).items()},
                )
                for r in d["rows"]
            ],
            d.get("caption", ""),
            list(d.get("notes", [])),
            d.get("lang", "zh"),
            d.get("role", "progress"),
        )
    raise ValueError(f"unknown block kind {kind!r}")
