"""An executed notebook to an offline HTML page.

The HTML is nbconvert's JupyterLab markup through kpibook's own template
(``templates/kpibook``): no code, no prompts, no papermill parameter cells, no external
script, stylesheet, font or image; Chinese text set in an inlined subset of Noto Sans SC;
a provenance footer. The PDF and the Word draft are made from the same notebook's stored
documents (:mod:`helpers.output.formats`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from datetime import date, datetime
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from ..base.markup import escape
from ..base.resources import templates_dir
from ..document.model import MIME, NOTEBOOK_ONLY
from ..errors import UsageError
from . import fonts

if TYPE_CHECKING:
    import nbformat
    from nbconvert import HTMLExporter

__all__ = [
    "html_from_notebook",
    "external_references",
    "REMOVED_CELL_TAGS",
]


REMOVED_CELL_TAGS = frozenset({"injected-parameters", "parameters", "remove-cell", "remove_cell"})
"""Cells with any of these tags are not in the page (papermill's parameter cells first)."""

_REMOVED_OUTPUT_TAGS = frozenset({"remove-output", "remove_output"})
_LANG_TAGS = {"zh": "zh-CN", "zh-cn": "zh-CN", "zh-hans": "zh-CN", "en": "en"}

_LABELS = {
    "zh": {
        "heading": "数据来源与运行信息",
        "parameters": "参数",
        "inputs": "输入文件",
        "file": "文件",
        "code_version": "代码版本",
        "version": "代码版本",
        "run_at": "运行时间",
    },
    "en": {
        "heading": "Provenance",
        "parameters": "Parameters",
        "inputs": "Input files",
        "file": "File",
        "code_version": "Code version",
        "version": "Code version",
        "run_at": "Run at",
    },
}

_exporter: HTMLExporter | None = None


# ---------------------------------------------------------------------------------------------
# HTML


def html_from_notebook(
    nb: nbformat.NotebookNode,
    *,
    title: str,
    lang: str = "zh",
    footer: Mapping[str, Any] | None = None,
) -> str:
    """The report page of an executed notebook, as one self-contained HTML string.

    ``lang`` is ``zh`` (page language ``zh-CN``) or ``en``. ``footer`` is the provenance
    shown at the end of the page, every value escaped; its usual keys are ``parameters``
    (name -> value), ``inputs`` (file -> sha256), ``version`` (or ``code_version``) and
    ``run_at``; any other key is shown under its own name. The notebook is not modified.
    """
    lang_tag = _LANG_TAGS.get(lang.lower())
    if lang_tag is None:
        raise UsageError(f"lang must be one of {sorted(_LANG_TAGS)}, not {lang!r}")
    labels = _LABELS["en" if lang_tag == "en" else "zh"]
    resources = {
        "metadata": {"name": title},
        "kpibook": {
            "title": title,
            "lang_tag": lang_tag,
            "footer_html": _footer_html(footer, labels) if footer else "",
        },
    }
    page, _ = _export(_html_exporter(), _for_readers(nb), resources)
    return fonts.embed_fonts(page)


def _export(
    exporter: HTMLExporter, nb: nbformat.NotebookNode, resources: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """``exporter.from_notebook_node`` without the BeautifulSoup pass HTMLExporter makes over
    the finished page, half of the export's time: the pass gives an image without alt text a
    placeholder one (every image here has its own) and makes JupyterLab's cell areas
    focusable (a report shows no cells to step through). The two filters HTMLExporter
    registers first are registered as it does (nbconvert is pinned in pyproject.toml)."""
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    info = nb.metadata.get("language_info", {})
    lexer = info.get("pygments_lexer", info.get("name", None))
    highlight = exporter.filters.get(
        "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=exporter)
    )
    resources = exporter._init_resources(resources)
    data_type = WidgetsDataTypeFilter(
        notebook_metadata=exporter._nb_metadata, parent=exporter, resources=resources
    )
    exporter.register_filter("highlight_code", highlight)
    exporter.register_filter("filter_data_type", data_type)
    page, out = TemplateExporter.from_notebook_node(exporter, nb, resources)
    return str(page), out


def _for_readers(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` as the page shows it: without the outputs meant for the analyst alone
    (:data:`NOTEBOOK_ONLY`, such as an empty section's hint of what to fill), and without each
    section's document JSON (:data:`~helpers.document.model.MIME`), which only the ``.ipynb``
    and the PDF and Word files read: nbconvert copies and validates every node it is given,
    and the JSON is most of them. ``nb`` itself is not modified; the outputs' values are
    shared, not copied."""
    kept = copy.copy(nb)
    kept["cells"] = [copy.copy(cell) for cell in nb.get("cells", [])]
    for cell in kept["cells"]:
        if "outputs" in cell:
            cell["outputs"] = [
                _page_output(o)
                for o in cell["outputs"]
                if not o.get("metadata", {}).get(NOTEBOOK_ONLY)
            ]
    return kept


def _page_output(output: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """An output without its document JSON (a new node; ``output`` is not modified)."""
    data = output.get("data")
    if not data or MIME not in data:
        return output
    shown = copy.copy(output)
    shown["data"] = type(data)((k, v) for k, v in data.items() if k != MIME)
    return shown


def _html_exporter() -> HTMLExporter:
    """One exporter per process (and per fork): building one costs ~50 ms, reusing it ~0."""
    global _exporter
    if _exporter is None:
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import TagRemovePreprocessor

        exporter = HTMLExporter(
            template_name="kpibook",
            extra_template_basedirs=[str(templates_dir())],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
            optimistic_validation=True,  # validate once after the preprocessors, not after each
        )
        exporter.register_preprocessor(
            TagRemovePreprocessor(
                remove_cell_tags=set(REMOVED_CELL_TAGS),
                remove_all_outputs_tags=set(_REMOVED_OUTPUT_TAGS),
            ),
            enabled=True,
        )
        _exporter = exporter
    return _exporter


def _footer_html(footer: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """The provenance footer: every key and value escaped, file hashes in a table."""
    rows = []
    for key, value in footer.items():
        label = labels.get(str(key), str(key))
        if key == "inputs" and isinstance(value, Mapping):
            body = "".join(
                f"<tr><td>{escape(name)}</td><td><code>{escape(digest)}</code></td></tr>"
                for name, digest in value.items()
            )
            shown = (
                f'<table class="kpibook-inputs"><thead><tr><th>{escape(labels["file"])}'
                f"</th><th>SHA-256</th></tr></thead><tbody>{body}</tbody></table>"
            )
        elif isinstance(value, Mapping):
            shown = "；".join(f"{escape(k)} = {escape(_text(v))}" for k, v in value.items())
        elif isinstance(value, (list, tuple, set, frozenset)):
            shown = "；".join(escape(_text(v)) for v in value)
        else:
            shown = escape(_text(value))
        rows.append(f"<dt>{escape(label)}</dt><dd>{shown}</dd>")
    return (
        f'<footer class="kpibook-footer"><h2>{escape(labels["heading"])}</h2>'
        f"<dl>{''.join(rows)}</dl></footer>"
    )


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------------------------
# PDF


# ---------------------------------------------------------------------------------------------
# checks and files


class _References(HTMLParser):
    """Collects what a browser would fetch: script/img/iframe src, link href, CSS url()."""

    _SRC_TAGS = {
        "script",
        "img",
        "iframe",
        "embed",
        "source",
        "audio",
        "video",
        "track",
        "input",
        "frame",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in self._SRC_TAGS and values.get("src"):
            self.found.append(values["src"] or "")
        if tag == "link" and values.get("href"):
            self.found.append(values["href"] or "")
        if tag == "object" and values.get("data"):
            self.found.append(values["data"] or "")
        if values.get("style"):
            self.found.extend(_css_urls(values["style"] or ""))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found.extend(_css_urls(data))


_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]*)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"""@import\s+['"]([^'"]+)""", re.IGNORECASE)


def _css_urls(css: str) -> list[str]:
    return _CSS_URL.findall(css) + _CSS_IMPORT.findall(css)


def external_references(html: str) -> list[str]:
    """Every URL the page would load that is not inline (``data:``) or a same-page ``#``
    anchor: empty for a page that opens offline."""
    parser = _References()
    parser.feed(html)
    parser.close()
    return [url for url in parser.found if not url.startswith(("data:", "#"))]
