"""One-time set-up that a batch's forkserver does before it forks any report.

:func:`warm_up` pays, once, what every fresh process would otherwise pay in every
report: importing the libraries, registering the CJK font with matplotlib, looking up its
backends (the installed packages' entry points, read once), building the HTML
exporter and compiling its templates, loading Typst and python-docx when the batch makes PDF
and Word files, and making one report's title, projects chart, 完成情况表 and its workbook
(:data:`helpers.run.server.WARM_ENV`: the batch's formats, and data, org, period) so the data
set, its progress table of all orgs and matplotlib's fonts are in memory. Drawing the report's
other charts here was measured to save a forked report nothing (0.95 s of CPU a report either
way), and cost the batch's start 0.7 s. Children forked afterwards inherit all of it,
copy-on-write (``gc.freeze`` keeps the collector from touching, and so copying, those pages).
Nothing here runs a notebook cell, and kpibook's helpers change no global setting beyond the
font registration every report makes anyway, so every report still starts clean; no thread is
started (forking from a threaded process can deadlock).

Importing it does nothing but import: :mod:`helpers.run.preload`, the forkserver's
preload module, calls :func:`warm_up`.
"""

from __future__ import annotations

import bdb
import datetime as _dt
import io
import json
import os
import sqlite3
from typing import Any

import markdown_it
import matplotlib
import nbformat
import papermill
from IPython.core import application, completerlib, crashhandler, logger, oinspect, pylabtools
from matplotlib.backends.registry import backend_registry
from matplotlib.figure import Figure
from matplotlib_inline import backend_inline

from .. import publish
from ..data.choose import find_org, locate_data, resolve_period
from ..data.dataset import load_dataset
from ..document import charts, tables
from ..document.fonts import register_matplotlib
from ..document.layout import OneAxesLayout
from ..document.model import Document
from ..output import fonts, pdf, render
from ..output.formats import render_document
from ..sections import district, report
from . import engine
from .batch import page_text
from .server import WARM_ENV

#: Imported here so that every forked report finds them imported already: kpibook's own, and
#: what a report would otherwise import on first use (IPython's shell parts that
#: ``ZMQInteractiveShell()`` imports lazily, with its in-memory history's sqlite3;
#: matplotlib-inline, markdown-it for the notes, the notebook's last cell's ``publish``):
#: about 20 ms a report. ``tests/test_warm.py`` forks a report from a warmed process and lists
#: what it still imports.
PRELOADED = (
    papermill,
    charts,
    district,
    engine,
    tables,
    publish,
    application,
    completerlib,
    crashhandler,
    logger,
    oinspect,
    pylabtools,
    bdb,
    sqlite3,
    backend_inline,
    markdown_it,
)

__all__ = ["warm_up"]


def warm_up() -> None:
    """Draw a chart with Chinese text, export a small notebook, make a small PDF.

    Inside ``rc_context``: matplotlib's settings are put back afterwards, so a notebook
    forked from here sees the defaults a fresh kernel sees (only the font is registered).
    """
    with matplotlib.rc_context():
        _warm_up()


def _warm_up() -> None:
    register_matplotlib()
    fig = Figure(figsize=(2, 1), layout=OneAxesLayout())
    ax = fig.add_subplot()
    ax.barh(["国地两税"], [0.5])
    ax.set_title("序时进度 50%")
    fig.savefig(io.BytesIO(), format="png", dpi=72)
    # Each report's shell makes matplotlib-inline the backend (``engine``); checking that name
    # reads every installed package's entry points, 4 ms a report if each did it again.
    backend_registry.is_valid_backend("inline")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("预热")]
    render.html_from_notebook(nb, title="预热", lang="zh")
    batch = json.loads(os.environ.get(WARM_ENV) or "{}")
    formats = batch.get("formats")  # None: not said, so every format the reports may be made as
    text = None  # the batch's characters, known when it names a report
    sample = _sample(batch)
    if sample is not None:
        data, org, period = sample
        r = report.Report.load(data, org, period)
        doc = Document()
        for section in (r.title, r.projects, r.progress_table):
            doc = doc + section()
        if formats is None or "docx" in formats:
            render_document(doc, "docx")  # python-docx's template, read once
        report.report_extras(data, org, period)  # XlsxWriter's too
        # Every report's page font is cut from fonts made for these characters: for a
        # thousand townships, a third of a second a report if each worked them out again.
        text = page_text(load_dataset(data))
        fonts.preload(text)
    # Typst's fonts found, and cut to the batch's characters, once; no PDF is compiled here: a
    # child forked from a process that has compiled with Typst hangs on its own next compile
    # (see helpers.output.pdf). Not for a batch without PDFs: on a new machine, making the
    # whole Bold takes twenty seconds.
    if formats is None or "pdf" in formats:
        pdf.prepare(text)


def _sample(batch: dict[str, Any]) -> tuple[str, str, str] | None:
    """The data set, org and period of a report of the batch (:func:`~.server.warm_batch`),
    each chosen as ``kpibook run`` chooses it when the batch leaves it open; None when the
    batch makes no township's report, or none has figures for the period."""
    if not batch.get("report"):
        return None
    data = str(locate_data(batch.get("data")))
    ds = load_dataset(data)
    today = batch.get("today")
    period, _ = resolve_period(
        ds, batch.get("period"), _dt.date.fromisoformat(today) if today else None
    )
    if batch.get("org"):
        return data, find_org(ds, batch["org"]), period
    silent = set(ds.unreported(period))
    org = next((o for o in ds.org_list if o not in silent), None)
    return (data, org, period) if org is not None else None
