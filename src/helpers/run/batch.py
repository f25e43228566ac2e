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

import contextlib
import datetime as _dt
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cache, partial
from importlib.resources import files
from pathlib import Path
from typing import Any, TypedDict

from ..base.files import (
    is_write_failure,
    unique_names,
    write_atomic,
    write_error,
    write_together,
)
from ..base.resources import checkout_root, notebooks_dir, package_version
from ..data.choose import FORMATS, find_org
from ..data.dataset import Dataset
from ..errors import OutputError, UnknownKeyError, UsageError
from ..output.records import (
    DISTRICT,
    FAILED,
    FAILED_DIR,
    NOT_REPORTED,
    OK,
    file_hashes,
    folder_lock,
    period_dir,
    read_record,
    scratch_dir,
    unchanged,
    write_failure,
    write_record,
)
from .server import PRELOAD, WARM_ENV, claim, warm_batch

__all__ = [
    "Job",
    "plan_jobs",
    "page_text",
    "run_job",
    "run_jobs",
    "shard_slice",
    "code_version",
    "report_key",
    "unchanged_jobs",
    "lang_stem",
]


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
    unreported: bool = False  # 未报送: no figures for the period, so nothing to run
    key: str = ""  # what the report is made from (:func:`report_key`), set by run_jobs

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
            "key": self.key,
            "lang": self.lang,
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
    base = package_version("kpibook", "0+unknown")
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


#: The package files whose text can change a report: code, templates, styles, phrases.
_CODE_SUFFIXES = (".py", ".j2", ".tpl", ".css", ".json", ".typ", ".html", ".txt", ".js")
#: Package folders no report runs: the importer turns sheets into a data set (whose bytes
#: the key covers), so a change to it remakes nothing.
_NOT_IN_REPORTS = ("importer", "__pycache__")


@cache
def code_digest() -> str:
    """A digest of kpibook's own files (code, templates, styles) and of the versions of the
    libraries it renders with: a checkout edited without a new commit, or the same kpibook
    with another matplotlib, still counts as other code."""
    from importlib.metadata import PackageNotFoundError, requires
    from sys import version_info

    digest = hashlib.sha256(f"python {version_info[:3]}\0".encode())
    package = Path(str(files("helpers")))
    for path in sorted(package.rglob("*")):
        inside = path.relative_to(package).parts
        if path.suffix in _CODE_SUFFIXES and inside[0] not in _NOT_IN_REPORTS and path.is_file():
            digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    try:
        wanted = requires("kpibook") or []
    except PackageNotFoundError:  # pragma: no cover - a bare source tree
        wanted = []
    for line in sorted(wanted):
        name = line.split(";")[0].split("[")[0]
        for sep in "<>=!~ ":
            name = name.split(sep)[0]
        found = package_version(name, "")
        if found:  # else an extra that is not installed
            digest.update(f"{name}=={found}\0".encode())
    return digest.hexdigest()


def report_key(job: Job, inputs: dict[str, str] | None = None) -> str:
    """A digest of everything that can change a report's files: kpibook's version (with its
    git commit), its code and libraries (:func:`code_digest`), the notebook's bytes, the
    parameters, the formats, and the inputs' sha256 — every file of the data set, since a
    township's report ranks it among all townships. Two runs with one key write the same report
    (but for its run time), so a re-run keeps it; ``""`` when the notebook cannot be read
    (the report is then always made, and says why it fails). ``inputs``: the job's
    :func:`inputs_now`, when the caller has them (the jobs of one run share one data set)."""
    try:
        notebook = hashlib.sha256(job.notebook.read_bytes()).hexdigest()
    except OSError:
        return ""
    what = {
        "version": job.version,
        "code": code_digest(),
        "notebook": notebook,
        "kind": job.kind,
        "stem": job.stem,
        "title": job.title,
        "parameters": job.parameters,
        "formats": sorted(job.formats),
        "inputs": inputs_now(job) if inputs is None else inputs,
    }
    text = json.dumps(what, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def inputs_now(job: Job) -> dict[str, str]:
    """The sha256 of each input file as it is now (a file changed since the jobs were
    planned changes the key): ``job.inputs`` names them, in the data set's folder."""
    data = Path(str(job.parameters.get("data") or ""))
    folder = data if data.is_dir() else data.parent
    now: dict[str, str] = {}
    for name in job.inputs:
        try:
            now[name] = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        except OSError:
            now[name] = "unreadable"
    return now


def unchanged_jobs(jobs: Iterable[Job]) -> dict[str, dict[str, Any]]:
    """The jobs whose report need not be made again, by stem, with their stored record: the
    record's key is the job's (:func:`report_key`) and its files are as it recorded them."""
    kept: dict[str, dict[str, Any]] = {}
    folders: dict[tuple[Path, str], Path] = {}
    for job in jobs:
        if job.unreported:
            continue
        key = job.key or report_key(job)
        where = (Path(job.out), job.period)
        folder = folders.get(where) or folders.setdefault(where, period_dir(*where))
        record = read_record(Path(job.out), job.period, job.stem)
        if unchanged(record, folder, key):
            assert record is not None
            kept[job.stem] = record
    return kept


def shard_slice(items: list[str], shard: str | None) -> list[str]:
    """The K-th of N deterministic slices (``"2/4"``): every N-th item from the K-th."""
    if not shard:
        return items
    try:
        k, n = (int(x) for x in shard.split("/"))
    except ValueError:
        raise UsageError(f"--shard 应为 K/N，如 1/4 (expected K/N, got {shard!r})") from None
    if not 1 <= k <= n:
        raise UsageError(f"--shard K/N 需要 1 ≤ K ≤ N（得到「{shard}」） (got {shard!r})")
    return [item for i, item in enumerate(items) if i % n == k - 1]


def lang_stem(stem: str, lang: str) -> str:
    """The file stem of a report in ``lang``: the Chinese report keeps the org's stem
    (太源镇), the English one adds ``.en`` (太源镇.en → 太源镇.en.html), so an English run
    never overwrites the Chinese files of the same period, nor their record."""
    return f"{stem}.en" if lang == "en" else stem


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
    from ..sections.titles import district_title, report_title, title_words

    chosen: list[str] = []
    unknown: list[str] = []
    for name in orgs or ds.org_list:
        try:
            chosen.append(find_org(ds, name))
        except UnknownKeyError:
            unknown.append(name)
    if unknown:
        raise UsageError(
            f"数据中没有这些乡镇：{'、'.join(unknown)}；有：{'、'.join(ds.org_list[:30])}"
            "（no such org）"
        )
    chosen = list(dict.fromkeys(chosen))
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
    silent = set(ds.unreported(period))
    words = title_words(ds.notes, period)
    jobs = [
        Job(
            "report",
            org,
            lang_stem(stems[org], lang),
            title=report_title(ds.org_name(org, lang), period, lang, words.get(org, "")),
            unreported=org in silent,
            **common,
        )
        for org in shard_slice(chosen, shard)
    ]
    first_shard = not shard or shard.split("/")[0] == "1"
    if len(ds.org_list) > 1 and not orgs and first_shard:
        jobs.append(
            Job(
                "district",
                "",
                lang_stem(DISTRICT, lang),
                title=district_title(ds, period, lang),
                unreported=silent >= set(ds.org_list),
                **common,
            )
        )
    return jobs


def page_text(ds: Dataset) -> str:
    """Every character a report of this data set may show: the data's text and kpibook's own
    phrases (sources and templates). A batch prepares the page and PDF fonts for it once, so
    each report only cuts its subset from a small font instead of the whole CJK font.
    Kept per data set (by its key) in this process and the reports forked from it."""
    known = _PAGE_TEXT.get(ds.key) if ds.key else None
    if known is not None:
        return known
    parts = [
        " ".join(map(str, frame.to_numpy().ravel()))
        for frame in (ds.indicators, ds.targets, ds.actuals, ds.projects, ds.notes, ds.orgs)
    ]
    package = Path(str(files("helpers")))
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".j2", ".css", ".json"):
            parts.append(path.read_text(encoding="utf-8"))
    text = "".join(sorted(set("".join(parts))))
    if ds.key:
        _PAGE_TEXT[ds.key] = text
    return text


_PAGE_TEXT: dict[str, str] = {}  # data set key -> page_text


def _footer(job: Job, started: _dt.datetime) -> dict[str, Any]:
    """The provenance a shared page shows: the data set by its folder's name, never a path of
    this machine (the executed notebook and the manifest keep the whole path)."""
    return {
        "parameters": job.parameters | {"data": Path(job.data).name},
        "inputs": job.inputs,
        "version": job.version,
        "run_at": started.isoformat(timespec="seconds"),
    }


def _error_line(exc: BaseException) -> str:
    """One readable line: the cell and its error, not a wall of traceback."""
    ename, evalue = getattr(exc, "ename", None), getattr(exc, "evalue", None)
    if ename:
        cell = getattr(exc, "exec_count", None)
        first = first_line(str(evalue))
        return (
            f"第 {cell} 个单元格出错 (cell {cell}): {ename}: {first}"
            if cell
            else f"{ename}: {first}"
        )
    if isinstance(exc, OutputError):  # Chinese first, with the path: no class name needed
        return first_line(str(exc))
    return f"{type(exc).__name__}: {first_line(str(exc))}"


def first_line(text: str) -> str:
    """The first line of a message, with the line after it when the first only announces
    a list (``…: 1 个问题 (problems):`` → the first problem itself, with its place)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    if lines[0].endswith(":") and len(lines) > 1:
        return f"{lines[0]} {lines[1].lstrip('- ')}"
    return lines[0]


def _cause(error: str) -> str:
    """What went wrong, Chinese first, for the top of ``failed/<stem>.html``: an error that
    does not begin in Chinese (Python's own, ``IsADirectoryError: …``) gets a Chinese lead."""
    if not error or not ("\u4e00" <= error[0] <= "\u9fff"):
        error = f"生成或写入报告时出错 (error while making or writing the report): {error}"
    return f"原因 (cause): {error}"


def run_job(job: Job, *, exiting: bool = False) -> dict[str, Any]:
    """Execute one job's notebook and write its outputs; returns the job's record.

    Never raises for a failing notebook: the record says ``failed`` with a one-line error,
    and ``failed/<stem>.html`` (the cause first) and ``.ipynb`` keep what happened. Holds the
    period folder's :func:`~helpers.output.records.folder_lock` throughout, so no other run
    takes its scratch and temporary files for a dead run's. ``exiting``: this process ends
    right after (a forked report), so the notebook's shell is left for its exit to free.
    """
    with folder_lock(period_dir(Path(job.out), job.period)):
        return _run_job(job, exiting)


def _run_job(job: Job, exiting: bool) -> dict[str, Any]:
    import traceback

    import nbformat
    import papermill

    from ..output import render
    from ..sections.report import report_extras
    from .engine import ENGINE_NAME

    started = _dt.datetime.now().astimezone()
    clock = time.perf_counter()
    if not job.key:  # run on its own, not through run_jobs
        job = replace(job, key=report_key(job))
    folder = period_dir(Path(job.out), job.period)
    work = Path(tempfile.mkdtemp(prefix=f"{job.stem}.", dir=_scratch(folder)))
    executed = work / f"{job.stem}.ipynb"
    record = job.record() | {"started": started.isoformat(timespec="seconds")}
    nb = None
    try:
        error: BaseException | None = None
        try:
            nb = papermill.execute_notebook(
                _literal(job.notebook),
                _literal(executed),
                parameters=job.parameters,
                engine_name=ENGINE_NAME,
                kernel_name="python3",
                progress_bar=False,
                log_output=False,
                cwd=str(notebooks_dir()),
                request_save_on_cell_execute=False,
                shut_down_shell=not exiting,
            )
        except Exception as exc:  # the notebook failed: keep what it did
            error = write_error(exc, executed) if is_write_failure(exc) else exc  # a full disk
        if nb is None and executed.exists():  # papermill wrote what the failing run did
            try:
                nb = nbformat.read(executed, as_version=4)
            except (ValueError, OSError):  # half-written (a full disk): the error says why
                nb = None
        footer = _footer(job, started)
        _prepare_font(job)
        if error is not None or nb is None:
            record.update(status=FAILED, error=_error_line(error or RuntimeError("no output")))
            if nb is not None:
                html = render.html_from_notebook(nb, title=job.title, lang=job.lang, footer=footer)
                files = [
                    write_failure(
                        Path(job.out),
                        job.period,
                        job.stem,
                        title=job.title,
                        cause=_cause(record["error"]),
                        notebook_html=html,
                    ),
                    write_atomic(folder / FAILED_DIR / f"{job.stem}.ipynb", executed.read_bytes()),
                ]
                record["files"] = [str(f.relative_to(folder)) for f in files]
            else:  # nothing executed (the notebook could not be read or started)
                detail = "".join(traceback.format_exception(error)) if error else ""
                record["files"] = _failure_files(job, record["error"], detail)
        else:
            xlsx, metrics = (
                report_extras(job.data, job.org, job.period, job.lang, job.decimals)
                if job.kind == "report"
                else (None, {})
            )
            record.update(
                status=OK,
                files=_write_outputs(job, nb, executed, folder, footer, xlsx),
                metrics=metrics,
            )
            record["hashes"] = file_hashes(folder, record["files"])  # what a re-run compares
            for ext in ("html", "ipynb"):  # this report's own failure files, never a glob
                (folder / FAILED_DIR / f"{job.stem}.{ext}").unlink(missing_ok=True)
    except Exception as exc:  # rendering or writing failed: still a record, never a crash
        record.update(status=FAILED, error=_error_line(exc))
        record["files"] = _failure_files(job, record["error"], traceback.format_exc())
    finally:
        clear_scratch(job, work)
    record["seconds"] = round(time.perf_counter() - clock, 3)
    _keep_record(job, record)
    return record


def _keep_record(job: Job, record: dict[str, Any]) -> None:
    """Write the job's record; when even that fails (a full or read-only disk), the record
    says so, so the run's log line and exit status tell it as every other failed write."""
    try:
        write_record(Path(job.out), job.period, job.stem, record)
    except OutputError as exc:
        record.update(status=FAILED, error=_error_line(exc))


def _literal(path: Path) -> str:
    """A path papermill takes as it is: it formats paths with the parameters, so a ``{`` in
    ``--out`` or in an org's name would be read as a placeholder."""
    return str(path).replace("{", "{{").replace("}", "}}")


def _failure_files(job: Job, error: str, detail: str) -> list[str]:
    """``failed/<stem>.html`` for a failure outside the notebook (rendering, moving files into
    place, a timeout, a crash): the cause, then the traceback. Its name relative to the
    period folder, or none when even that cannot be written (a full disk)."""
    try:
        path = write_failure(
            Path(job.out),
            job.period,
            job.stem,
            title=job.title,
            cause=_cause(error),
            detail=detail,
        )
    except OSError:
        return []
    return [f"{FAILED_DIR}/{path.name}"]


def clear_scratch(job: Job, work: Path | None = None) -> None:
    """Remove the job's scratch folder (``work``, else every one of the job's stem: after a
    timeout, a crash or an interrupt the child could not)."""
    import shutil

    root = scratch_dir(Path(job.out) / job.period)
    if work is not None:
        shutil.rmtree(work, ignore_errors=True)
        return
    try:
        entries = list(os.scandir(root))
    except OSError:
        return
    for entry in entries:  # mkdtemp's name: "<stem>." and 8 characters
        head, dot, tail = entry.name.rpartition(".")
        if head == job.stem and dot and len(tail) == 8 and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


def _prepare_font(job: Job) -> None:
    """Cut this report's font from the batch's preloaded one: in memory when the forkserver's
    warm-up preloaded it, else made (or read from the disk cache) here."""
    from ..data.dataset import load_dataset
    from ..errors import DataErrors
    from ..output import fonts

    try:
        fonts.preload(page_text(load_dataset(job.data)))
    except DataErrors:  # the notebook has said what is wrong; the page cuts its own font
        pass


def _scratch(folder: Path) -> Path:
    path = scratch_dir(folder)
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
    if "html" not in job.formats:
        del payloads["html"]
    # one generation: every file of this report is the new one, or every file the old one
    write_together({folder / f"{job.stem}.{ext}": data for ext, data in payloads.items()})
    return [f"{job.stem}.{ext}" for ext in payloads]


def run_jobs(
    jobs: list[Job],
    *,
    workers: int | None = None,
    timeout: float | None = 600,
    on_done: Callable[[dict[str, Any]], None] | None = None,
    force: bool = False,
    on_skipped: Callable[[list[dict[str, Any]]], None] | None = None,
    on_swept: Callable[[Path, int], None] | None = None,
) -> list[dict[str, Any]]:
    """Run the jobs, ``workers`` at a time, each in a fresh forked child; records in job order.

    A report made before from the same key (:func:`report_key`) whose files are still as
    recorded is kept, not made again (unless ``force``): its stored record is returned, marked
    ``skipped`` (the mark is not stored), and ``on_skipped`` gets them all at once before any
    report runs. The run holds the :func:`~helpers.output.records.folder_lock` of ``--out``
    and of each period folder; taking them, it removes the scratch and temporary files that
    dead runs (killed, SIGKILL included) left there when no other run, report or index is
    alive, and tells ``on_swept`` each folder and how many it removed.
    """
    outs = {Path(j.out) for j in jobs}
    folders = sorted(outs | {period_dir(out, period) for out, period in _periods(jobs)})
    with contextlib.ExitStack() as held:
        for folder in folders:  # --out before its periods: one order, in every process
            removed = held.enter_context(folder_lock(folder, sweep=True))
            if removed and on_swept:
                on_swept(folder, removed)
        return _run_batch(jobs, workers, timeout, on_done, force, on_skipped)


def _periods(jobs: Iterable[Job]) -> set[tuple[Path, str]]:
    """Each ``--out`` and period the jobs write to, once."""
    return {(Path(j.out), j.period) for j in jobs}


def _run_batch(
    jobs: list[Job],
    workers: int | None,
    timeout: float | None,
    on_done: Callable[[dict[str, Any]], None] | None,
    force: bool,
    on_skipped: Callable[[list[dict[str, Any]]], None] | None,
) -> list[dict[str, Any]]:
    """:func:`run_jobs` once the period folders' locks are held."""
    from .workers import run_forked, stop_server

    workers = workers or os.cpu_count() or 1
    jobs = _keyed(jobs)
    kept = {} if force else unchanged_jobs(jobs)
    skipped = [kept[j.stem] | {"skipped": True} for j in jobs if j.stem in kept]
    if on_skipped:
        on_skipped(skipped)
    todo = [j for j in jobs if not j.unreported and j.stem not in kept]
    # The district report takes two to three townships' time: started last, it ran alone at the
    # end while the other workers idled (0.8 s of a 100-township run). Longest first.
    todo.sort(key=lambda j: j.kind != "district")
    # read by helpers.run.warm when the forkserver starts (unless the command line started it
    # early, for the same batch): what the reports are made as, and one report to make a part
    # of (it also works out the batch's characters and their page fonts, which every report
    # forked from it then finds in memory)
    sample = next((j for j in todo if j.kind == "report"), None)
    formats = {f for j in todo for f in j.formats}
    warm = (
        warm_batch(formats, data=sample.data, org=sample.org, period=sample.period)
        if sample is not None
        else warm_batch(formats, report=False)
    )
    os.environ[WARM_ENV] = json.dumps(warm)
    if todo:
        claim()
    records: dict[str, dict[str, Any]] = {r["stem"]: r for r in skipped}

    def done(record: dict[str, Any]) -> None:
        records[record["stem"]] = record
        if on_done:
            on_done(record)

    for job in jobs:  # 未报送: nothing to run, and no report that pretends otherwise
        if job.unreported:
            record = job.record() | {"status": NOT_REPORTED, "files": [], "seconds": 0.0}
            write_record(Path(job.out), job.period, job.stem, record)
            done(record)
    outcomes = (
        run_forked(
            todo,
            partial(run_job, exiting=True),
            workers=workers,
            timeout=timeout,
            preload=PRELOAD,
        )
        if todo
        else iter(())
    )
    try:
        for outcome in outcomes:
            job = outcome.task
            if outcome.ok:
                assert outcome.result is not None  # run_job returns its record
                done(outcome.result)
                continue
            # the child died, timed out or could not start the job: it wrote no record
            clear_scratch(job)
            error = _outcome_error(outcome.status, outcome.error or "", timeout)
            record = job.record() | {
                "status": FAILED,
                "error": error,
                "seconds": round(outcome.seconds, 3),
                "files": _failure_files(job, error, outcome.error or ""),
            }
            _keep_record(job, record)
            done(record)
    except KeyboardInterrupt:  # Ctrl-C, SIGTERM while a record is written: stop everything
        stop_server()
        raise
    finally:  # interrupted (Ctrl-C, SIGTERM): the killed children left their scratch folders
        close = getattr(outcomes, "close", None)
        if close is not None:  # kill the running children and wait for them, first
            close()
        for job in todo:
            if job.stem not in records:
                clear_scratch(job)
    return [records[j.stem] for j in jobs if j.stem in records]


def _keyed(jobs: list[Job]) -> list[Job]:
    """The jobs with their :func:`report_key`: the input files read once for the jobs that
    share them (a district's thousand reports share one data set), not once a job."""
    digests: dict[tuple[str, tuple[str, ...]], dict[str, str]] = {}
    keyed = []
    for job in jobs:
        if not job.key and not job.unreported:
            shared = (str(job.parameters.get("data")), tuple(job.inputs))
            if shared not in digests:
                digests[shared] = inputs_now(job)
            job = replace(job, key=report_key(job, digests[shared]))
        keyed.append(job)
    return keyed


def _outcome_error(status: str, error: str, timeout: float | None) -> str:
    """The one line for a job whose child did not report: Chinese first."""
    from .workers import Status

    if status == Status.TIMEOUT:
        return f"超时：{timeout:g} 秒内未完成，已终止 (timed out after {timeout:g} s)"
    if status == Status.CRASHED:
        return f"报告进程意外退出 (the report's process died): {error}"
    lines = [line for line in error.strip().splitlines() if line.strip()]
    return f"报告未能运行 (the report could not run): {lines[-1].strip() if lines else error}"
