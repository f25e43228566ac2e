"""Every format of a report from its executed notebook alone: the documents its cells stored.

Each report section displays a :class:`~helpers.document.model.Document`, which the notebook
keeps as JSON (:data:`~helpers.document.model.MIME`) beside its HTML. Reading those outputs
back in cell order gives the whole report as one Document, so the PDF (Typst) and the Word
draft say exactly what the HTML page says, and any executed ``report.ipynb`` can be rendered
later — also by ``jupyter nbconvert --to kpibook_pdf`` / ``--to kpibook_docx`` (the exporters
below, registered as nbconvert entry points).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nbconvert.exporters import Exporter

from ..document.model import MIME, Document
from .render import REMOVED_CELL_TAGS

__all__ = ["notebook_document", "render_document", "DocxExporter", "PdfExporter", "BINARY"]

#: The formats made from the document model (the HTML page is made from the notebook itself).
BINARY = ("pdf", "docx")


def notebook_document(nb: Any, *, provenance: Mapping[str, Any] | None = None) -> Document:
    """The report as one Document: every stored section, in cell order, of an executed notebook.

    Cells the page leaves out (parameters, ``remove-cell``) are left out here too. A notebook
    with no stored document gives an empty Document.
    """
    parts: list[Document] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        if REMOVED_CELL_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {}) if isinstance(output, Mapping) else {}
            if MIME in data:
                parts.append(Document.from_json(dict(data[MIME])))
    lang = parts[0].lang if parts else str(nb.get("metadata", {}).get("language") or "zh")
    return Document(
        [b for p in parts for b in p.blocks],
        lang,
        next((p.title for p in parts if p.title), ""),
        dict(provenance) if provenance else {k: v for p in parts for k, v in p.provenance.items()},
    )


def render_document(doc: Document, fmt: str) -> bytes:
    """``doc`` as ``pdf`` (Typst) or ``docx`` (Word, GB/T 9704 layout)."""
    if fmt == "pdf":
        from .pdf import document_pdf

        return document_pdf(doc)
    if fmt == "docx":
        from .docx import document_docx

        return document_docx(doc)
    raise ValueError(f"not a document format: {fmt!r} (expected one of {BINARY})")


class _DocumentExporter(Exporter):
    """nbconvert exporter of an executed report notebook through the document model."""

    fmt = ""

    def from_notebook_node(  # type: ignore[override]  # bytes, as nbconvert's own PDFExporter
        self, nb: Any, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[bytes, dict[str, Any]]:
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        doc = notebook_document(nb_copy)
        if doc.empty:
            raise ValueError(
                "这个笔记本里没有报告内容 (no kpibook report sections in this notebook: "
                "run report.ipynb first, then export the executed copy)"
            )
        return render_document(doc, self.fmt), resources


class PdfExporter(_DocumentExporter):
    """``jupyter nbconvert --to kpibook_pdf``: the printed report (A4, Typst)."""

    fmt = "pdf"
    output_mimetype = "application/pdf"
    export_from_notebook = "kpibook PDF"

    def _file_extension_default(self) -> str:
        return ".pdf"


class DocxExporter(_DocumentExporter):
    """``jupyter nbconvert --to kpibook_docx``: the editable Word draft (GB/T 9704 layout)."""

    fmt = "docx"
    output_mimetype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    export_from_notebook = "kpibook Word"

    def _file_extension_default(self) -> str:
        return ".docx"
