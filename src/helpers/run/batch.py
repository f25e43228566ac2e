"""Run the report notebooks for many orgs: parallel, isolated, and never losing a good report.

Each report is one :class:`Job`. Jobs run in a fresh child process each (``workers``),
through papermill with kpibook's in-process engine, so parameters, the injected cell, the
error banner and the run metadata stay papermill's while kernel start-up is paid once. A
job writes its outputs to temporary names and moves them into place whole; a failing job
leaves its executed notebook and an HTML with the error under ``failed/`` and the last good
report untouched. Each job leaves a record; the period's ``manifest.json`` and ``index.html``
are rebuilt from the records, so shards on many machines merge by rebuilding the index.
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any, TypedDict

from ..base.files import unique_names, write_atomic
from ..base.resources import checkout_root, notebooks_dir
from ..data.dataset import Dataset
from ..errors import UsageError
from ..output.records import DISTRICT, META_DIR, period_dir, write_record

__all__ = [
    "Job",
    "plan_jobs",
    "page_text",
    "run_job",
    "run_jobs",
    "shard_slice",
    "FORMATS",
    "code_version",
    "WARM_ENV",
]

FORMATS = ("html", "pdf", "docx", "ipynb")
#: The module the forkserver imports once before it forks any report (it warms the server up).
PRELOAD = (importlib.util.resolve_name(".preload", __package__),)
#: The environment variable naming the report the forkserver draws once (read by :mod:`.warm`).
WARM_ENV = "KPIBOOK_WARM"


@dataclass(frozen=True)
class Job:
    """One report to make: which notebook, its parameters, where its files go."""

    kind: str  # "report" (one org) or "district"
    org: str  # the org ("" for the district report)
    stem: str  # safe file stem
    period: str
    data: str
    out: str
    formats: tuple[str, ...]
    lang: str = "zh"
    decimals: int = 1
    title: str = ""
    inputs: dict[str, str] = field(default_factory=dict)
    version: str = ""
    source: str = ""  # another notebook to run with these parameters (default: the kind's)

    @property
    def notebook(self) -> Path:
        if self.source:
            return Path(self.source)
        return notebooks_dir() / ("report.ipynb" if self.kind == "report" else "district.ipynb")

    def record(self) -> dict[str, Any]:
        """What every record of this job says, whatever became of it."""
        return {
            "org": self.org,
            "kind": self.kind,
            "stem": self.stem,
            "period": self.period,
            "title": self.title,
            "parameters": self.parameters,
            "inputs": self.inputs,
            "version": self.version,
        }

    @property
    def parameters(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "data": self.data,
            "period": self.period,
            "lang": self.lang,
            "decimals": self.decimals,
        }
        if self.kind == "report":
            params["org"] = self.org
        return params


class _JobCommon(TypedDict):
    """The :class:`Job` fields that every job of one run shares."""

    period: str
    data: str
    out: str
    formats: tuple[str, ...]
    lang: str
    decimals: int
    inputs: dict[str, str]
    version: str


def code_version() -> str:
    """kpibook's version, with the git commit when run from a checkout."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        base = version("kpibook")
    except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
        base = "0+unknown"
    root = checkout_root()
    if root is None:
        return base
    head = root / ".git" / "HEAD"
    try:
        ref = head.read_text().strip()
        if ref.startswith("ref: "):
            ref = (head.parent / ref[5:]).read_text().strip()
        return f"{base}+g{ref[:10]}"
    except OSError:
        return base


def shard_slice(items: list[str], shard: str | None) -> list[str]:
    """The K-th of N deterministic slices (``"2/4"``): every N-th item from the K-th."""
    if not shard:
        return items
    try:
        k, n = (int(x) for x in shard.split("/"))
    except ValueError:
        raise UsageError(f"--shard 应为 K/N,如 1/4 (expected K/N, got {shard!r})") from None
    if not 1 <= k <= n:
        raise UsageError(f"--shard K/N 需要 1 ≤ K ≤ N (got {shard!r})")
    return [item for i, item in enumerate(items) if i % n == k - 1]


def plan_jobs(
    ds: Dataset,
    period: str,
    *,
    out: Path,
    orgs: Iterable[str] | None = None,
    formats: Iterable[str] = FORMATS,
    lang: str = "zh",
    decimals: int = 1,
    shard: str | None = None,
    data: str | None = None,
) -> list[Job]:
    """The jobs of a run: the chosen orgs (a shard of them), plus the district report when the
    data set has several orgs and no single org was asked for (made by shard 1)."""
    from ..sections.report import report_title

    chosen = list(orgs) if orgs else ds.org_list
    unknown = [o for o in chosen if o not in ds.org_list]
    if unknown:
        raise UsageError(
            f"数据中没有这些乡镇 (no such org): {', '.join(unknown)}; "
            f"有 (available): {', '.join(ds.org_list[:20])}"
        )
    stems = unique_names(ds.org_list)
    version = code_version()
    # the notebook runs with its own working folder: give it the data's absolute path
    common = _JobCommon(
        period=period,
        data=str(Path(data or ds.path).resolve()),
        out=str(Path(out).resolve()),
        formats=tuple(formats),
        lang=lang,
        decimals=decimals,
        inputs=dict(ds.sources),
        version=version,
    )
    jobs = [
        Job("report", org, stems[org], title=report_title(ds.org_name(org), period, lang), **common)
        for org in shard_slice(chosen, shard)
    ]
    first_shard = not shard or shard.split("/")[0] == "1"
    if len(ds.org_list) > 1 and not orgs and first_shard:
        from ..sections.district import district_title

        jobs.append(Job("district", "", DISTRICT, title=district_title(ds, period, lang), **common))
    return jobs


def page_text(ds: Dataset) -> str:
    """Every character a report of this data set may show: the data's text and kpibook's own
    phrases (sources and templates). A batch preloads the page font for it once, so each
    report only cuts its subset from a small font instead of the whole CJK font."""
    parts = [
        " ".join(map(str, frame.to_numpy().ravel()))
        for frame in (ds.indicators, ds.targets, ds.actuals, ds.projects, ds.notes, ds.orgs)
    ]
    package = Path(str(files("helpers")))
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".j2", ".css", ".json"):
            parts.append(path.read_text(encoding="utf-8"))
    return "".join(sorted(set("".join(parts))))


def _footer(job: Job, started: _dt.datetime) -> dict[str, Any]:
    return {
        "parameters": job.parameters,
        "inputs": job.inputs,
        "version": job.version,
        "run_at": started.isoformat(timespec="seconds"),
    }


def _error_line(exc: BaseException) -> str:
    """One readable line: the cell and its error, not a wall of traceback."""
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename:
        cell = getattr(exc, "exec_count", None)
        first = str(evalue).strip().splitlines()[0] if str(evalue).strip() else ""
        return f"cell {cell}: {ename}: {first}" if cell else f"{ename}: {first}"
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"


def run_job(job: Job) -> dict[str, Any]:
    """Execute one job's notebook and write its outputs; returns the job's record.

    Never raises for a failing notebook: the record says ``failed`` with a one-line error,
    and ``failed/<stem>.ipynb`` and ``.html`` keep what happened.
    """
    import nbformat
    import papermill

    from ..output import render
    from ..sections.report import report_extras
    from .engine import ENGINE_NAME

    started = _dt.datetime.now().astimezone()
    clock = time.perf_counter()
    folder = period_dir(Path(job.out), job.period)
    work = Path(tempfile.mkdtemp(prefix=f"{job.stem[:20]}.", dir=_scratch(folder)))
    executed = work / f"{job.stem}.ipynb"
    record = job.record() | {"started": started.isoformat(timespec="seconds")}
    try:
        error: BaseException | None = None
        nb = None
        try:
            nb = papermill.execute_notebook(
                str(job.notebook),
                str(executed),
                parameters=job.parameters,
                engine_name=ENGINE_NAME,
                kernel_name="python3",
                progress_bar=False,
                log_output=False,
                cwd=str(notebooks_dir()),
                request_save_on_cell_execute=False,
            )
        except Exception as exc:  # the notebook failed: keep what it did
            error = exc
        if nb is None and executed.exists():  # papermill wrote what the failing run did
            nb = nbformat.read(executed, as_version=4)
        footer = _footer(job, started)
        _prepare_font(job)
        if error is not None or nb is None:
            record.update(status="failed", error=_error_line(error or RuntimeError("no output")))
            failed = folder / "failed"
            files = []
            if nb is not None:
                html = render.html_from_notebook(nb, title=job.title, lang=job.lang, footer=footer)
                files.append(write_atomic(failed / f"{job.stem}.html", html))
                files.append(write_atomic(failed / f"{job.stem}.ipynb", executed.read_bytes()))
            record["files"] = [str(f.relative_to(folder)) for f in files]
        else:
            xlsx, metrics = (
                report_extras(job.data, job.org, job.period, job.lang)
                if job.kind == "report"
                else (None, {})
            )
            record.update(
                status="ok",
                files=_write_outputs(job, nb, executed, folder, footer, xlsx),
                metrics=metrics,
            )
            for stale in (folder / "failed").glob(f"{job.stem}.*"):
                stale.unlink(missing_ok=True)
    except Exception as exc:  # rendering or writing failed: still a record, never a crash
        record.update(status="failed", error=_error_line(exc))
    finally:
        for leftover in work.iterdir():
            leftover.unlink(missing_ok=True)
        work.rmdir()
    record["seconds"] = round(time.perf_counter() - clock, 3)
    write_record(Path(job.out), job.period, job.stem, record)
    return record


def _prepare_font(job: Job) -> None:
    """Cut this report's font from the batch's preloaded one (a file read once the parent has
    preloaded it: children start from the forkserver, not from the parent's memory)."""
    from ..data.dataset import load_dataset
    from ..errors import DataErrors
    from ..output import fonts

    try:
        fonts.preload(page_text(load_dataset(job.data)))
    except DataErrors:  # the notebook has said what is wrong; the page cuts its own font
        pass


def _scratch(folder: Path) -> Path:
    path = folder / META_DIR / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _write_outputs(
    job: Job, nb: Any, executed: Path, folder: Path, footer: dict[str, Any], xlsx: bytes | None
) -> list[str]:
    """Render every requested format fully in memory first, then move each file into place."""
    from ..output import render
    from ..output.formats import BINARY, notebook_document, render_document

    html = render.html_from_notebook(nb, title=job.title, lang=job.lang, footer=footer)
    payloads: dict[str, bytes | str] = {"html": html}
    wanted = [f for f in BINARY if f in job.formats]
    doc = notebook_document(nb, provenance=footer) if wanted else None
    if doc is not None and not doc.empty:  # the district report is HTML only (DESIGN.md)
        for fmt in wanted:
            payloads[fmt] = render_document(doc, fmt)
    if "ipynb" in job.formats:
        payloads["ipynb"] = executed.read_bytes()
    if xlsx is not None:
        payloads["xlsx"] = xlsx
    written = []
    for ext, data in payloads.items():
        if ext == "html" and "html" not in job.formats:
            continue
        write_atomic(folder / f"{job.stem}.{ext}", data)
        written.append(f"{job.stem}.{ext}")
    return written


def run_jobs(
    jobs: list[Job],
    *,
    workers: int | None = None,
    timeout: float | None = 600,
    on_done: Callable[[dict[str, Any]], None] | None = None,
    text: str | None = None,
) -> list[dict[str, Any]]:
    """Run the jobs, ``workers`` at a time, each in a fresh forked child; records in job order.

    ``text`` (see :func:`page_text`) lets the page font be prepared once for every report.
    """
    from ..output import fonts
    from .workers import run_forked

    workers = workers or os.cpu_count() or 1
    if text:
        fonts.preload(text)
    sample = next((j for j in jobs if j.kind == "report"), None)
    if sample is not None:  # read by helpers.run.warm when the forkserver starts
        os.environ[WARM_ENV] = json.dumps(
            {"data": sample.data, "org": sample.org, "period": sample.period}
        )
    records: dict[str, dict[str, Any]] = {}
    for outcome in run_forked(jobs, run_job, workers=workers, timeout=timeout, preload=PRELOAD):
        job = outcome.task
        if outcome.ok:
            assert outcome.result is not None  # run_job returns its record
            record = outcome.result
        else:  # the child died or timed out before it could write its record
            record = job.record() | {
                "status": "failed",
                "error": outcome.error,
                "seconds": round(outcome.seconds, 3),
            }
            write_record(Path(job.out), job.period, job.stem, record)
        records[job.stem] = record
        if on_done:
            on_done(record)
    return [records[j.stem] for j in jobs if j.stem in records]
