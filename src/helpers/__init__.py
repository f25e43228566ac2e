"""kpibook's helpers: everything the notebooks and the ``kpibook`` command call, tested by pytest.

The public API is below; each name is imported from its module on first use, so
``import helpers`` stays cheap (a notebook pays only for what it touches).

Modules, one job each: periods, numbers, units, schema, dataset, validate, progress,
narrative, charts, palette, tables, report, district, explore, fonts, render, engine,
workers, warm, batch, outputs, index, cache, console, cli, importer (sheets,
sheet_layout, sheet_cells, stable_ids), template, demo, errors.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: Public name → the module that defines it.
_API = {
    # data in
    "load_dataset": "dataset", "check_dataset": "dataset", "Dataset": "dataset",
    "parse_period": "periods", "Period": "periods", "last_completed_half": "periods",
    "parse_number": "numbers", "round_half_up": "numbers", "convert": "units",
    "import_sheet": "importer", "write_template": "template", "generate_district": "demo",
    # figures and words
    "progress_table": "progress", "district_totals": "progress", "Thresholds": "progress",
    "STATUS": "progress", "indicator_sentence": "narrative", "headline_paragraph": "narrative",
    # the notebooks' sections
    "Report": "report", "District": "district",
    # output
    "html_from_notebook": "render", "pdf_from_html": "render", "run_jobs": "batch",
    "plan_jobs": "batch", "rebuild_index": "index",
    # errors
    "KpibookError": "errors", "DataError": "errors", "DataErrors": "errors", "UsageError": "errors",
}
__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    if name in _API:
        value = getattr(import_module(f".{_API[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
