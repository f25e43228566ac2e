"""kpibook's helpers: everything the notebooks and the ``kpibook`` command call, tested by pytest.

The package is layered; data flows one way, and a layer imports only those before it::

    base → data → importer
                → metrics → document → sections → output → run → cli

``base`` (missing values, files, cache, resources), ``data`` (schema, periods, numbers,
units, loading, validation), ``importer`` (offices' sheets), ``metrics`` (completion, pace,
status, ranks), ``document`` (words, charts, tables), ``sections`` (what the notebooks
call), ``output`` (fonts, HTML, PDF, index), ``run`` (engine, workers, batch), and at the
top ``errors`` and ``cli``. Each subpackage's docstring says what it may import.

The public API is below; each name is imported from its module on first use, so
``import helpers`` stays cheap (a notebook pays only for what it touches). Type checkers
and IDEs see the same names through the ``TYPE_CHECKING`` imports.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .data.dataset import Dataset, check_dataset, load_dataset
    from .data.demo import generate_district
    from .data.numbers import parse_number, round_half_up
    from .data.periods import Period, last_completed_half, parse_period
    from .data.template import write_template
    from .data.units import convert
    from .document.model import Document
    from .document.narrative import headline_paragraph, indicator_sentence
    from .errors import DataError, DataErrors, KpibookError, UsageError
    from .importer.tidy import import_sheet
    from .metrics.progress import district_totals, progress_table
    from .metrics.status import STATUS, Thresholds
    from .output.formats import notebook_document, render_document
    from .output.index import rebuild_index
    from .output.render import html_from_notebook
    from .run.batch import plan_jobs, run_jobs
    from .sections.district import District
    from .sections.report import Report

#: Public name → the module that defines it.
_API = {
    "load_dataset": "data.dataset",
    "check_dataset": "data.dataset",
    "Dataset": "data.dataset",
    "parse_period": "data.periods",
    "Period": "data.periods",
    "last_completed_half": "data.periods",
    "parse_number": "data.numbers",
    "round_half_up": "data.numbers",
    "convert": "data.units",
    "import_sheet": "importer.tidy",
    "write_template": "data.template",
    "generate_district": "data.demo",
    "progress_table": "metrics.progress",
    "district_totals": "metrics.progress",
    "Thresholds": "metrics.status",
    "STATUS": "metrics.status",
    "indicator_sentence": "document.narrative",
    "headline_paragraph": "document.narrative",
    "Report": "sections.report",
    "District": "sections.district",
    "html_from_notebook": "output.render",
    "notebook_document": "output.formats",
    "render_document": "output.formats",
    "Document": "document.model",
    "run_jobs": "run.batch",
    "plan_jobs": "run.batch",
    "rebuild_index": "output.index",
    "KpibookError": "errors",
    "DataError": "errors",
    "DataErrors": "errors",
    "UsageError": "errors",
}
#: The same names as ``_API`` (tests/test_api.py checks it), written out for linters.
__all__ = [
    "DataError",
    "DataErrors",
    "Dataset",
    "District",
    "KpibookError",
    "Period",
    "Report",
    "STATUS",
    "Thresholds",
    "UsageError",
    "check_dataset",
    "convert",
    "district_totals",
    "generate_district",
    "headline_paragraph",
    "html_from_notebook",
    "import_sheet",
    "indicator_sentence",
    "last_completed_half",
    "load_dataset",
    "parse_number",
    "parse_period",
    "notebook_document",
    "render_document",
    "Document",
    "plan_jobs",
    "progress_table",
    "rebuild_index",
    "round_half_up",
    "run_jobs",
    "write_template",
]


def __getattr__(name: str) -> Any:
    if name in _API:
        value = getattr(import_module(f".{_API[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
