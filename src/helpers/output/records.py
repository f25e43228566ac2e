"""Where a period's reports go: its folder, and one record per report.

Each job leaves a record (status, files, seconds, metrics, inputs, parameters) under
``<out>/<period>/.kpibook/``; the period's ``manifest.json`` and ``index.html`` are rebuilt
from the records, so shards on many machines merge by rebuilding the index.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..base.files import (
    DISTRICT,
    META_DIR,
    inside,
    is_staging,
    no_link,
    real_folder,
    write_atomic,
)
from ..base.markup import escape

__all__ = [
    "OK",
    "FAILED",
    "NOT_REPORTED",
    "FAILED_DIR",
    "write_failure",
    "period_dir",
    "record_path",
    "write_record",
    "read_records",
    "read_record",
    "file_hashes",
    "unchanged",
    "folder_lock",
    "scratch_dir",
    "RUN_LOCK",
    "META_DIR",
    "DISTRICT",
]


FAILED_DIR = "failed"  # a failed run's executed notebook and HTML, per report
#: A record's status: made; failed (the last good report kept); 未报送 (no figures for the period).
OK, FAILED, NOT_REPORTED = "ok", "failed", "not_reported"


def period_dir(out: Path, period: str) -> Path:
    """``<out>/<period>``: the period is canonical (2013H1), so it is always a safe name.

    Refuses (:class:`~helpers.errors.UsageError`) when the folder, its ``failed`` or its
    ``.kpibook`` is a link leading outside ``out`` (kpibook writes and deletes only inside it),
    or when any of the three is a link at all (files there are deleted by report name).
    """
    folder = Path(out) / str(period)
    for path in (folder, folder / FAILED_DIR, folder / META_DIR):
        inside(out, path)
    for path in (folder, folder / FAILED_DIR, folder / META_DIR):
        real_folder(path)
    return folder


RUN_LOCK = "run.lock"  # in <folder>/.kpibook: held, shared, by every live process writing there


def scratch_dir(folder: Path) -> Path:
    """``<folder>/.kpibook/tmp``: the scratch files of the processes holding
    :func:`folder_lock`; what is left there when none holds it is a dead run's."""
    return Path(folder) / META_DIR / "tmp"


@contextlib.contextmanager
def folder_lock(folder: Path, *, sweep: bool = False) -> Iterator[int]:
    """Hold ``folder``'s run lock (``.kpibook/run.lock``, shared) while writing there; yields
    how many files dead runs left that were removed first (with ``sweep``).

    Every process that writes into a period folder or into ``--out`` itself holds it: a run,
    each of its report processes (forked from a server, not from the run, so each takes it
    itself), ``kpibook index``. The lock is an ``flock``, which the kernel drops when its
    process dies, SIGKILL included: so with ``sweep`` it is first tried exclusive without
    waiting. Won, no live process writes in the folder, and whatever scratch and half-written
    temporaries are there (:func:`_sweep`) were left by a dead one: removed. Lost, another
    run is alive and nothing is touched. The lock file itself is reused, never removed
    (removing a lock file another process is opening is the classic lock race).
    """
    import fcntl

    meta = real_folder(Path(folder) / META_DIR)
    meta.mkdir(parents=True, exist_ok=True)
    root = Path(folder).parent if _period_name(Path(folder).name) else Path(folder)  # --out
    lock = no_link(meta / RUN_LOCK, root)  # a lock file is ours: never a link
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o666)
    except OSError as exc:  # made a link since: the same refusal
        if exc.errno != errno.ELOOP:
            raise
        no_link(lock, root)
        raise
    try:
        removed = 0
        if sweep:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # a live process holds it: its files are in use
                pass
            else:
                removed = _sweep(Path(folder))
        fcntl.flock(fd, fcntl.LOCK_SH)  # (from exclusive: no file of ours exists yet)
        yield removed
    finally:
        os.close(fd)


def _period_name(name: str) -> bool:
    """Whether a folder is named as a period folder (``2013H1``): its ``--out`` is its parent."""
    from ..data.periods import parse_period

    try:
        return str(parse_period(name)) == name
    except ValueError:
        return False


def _sweep(folder: Path) -> int:
    """Remove what dead processes left in ``folder``: every entry of its scratch folder, and
    kpibook's temporaries (:func:`~helpers.base.files.is_staging`) in the folder, its
    ``failed`` and its ``.kpibook``. Links are removed, never followed. How many went."""
    removed = 0
    for entry in _entries(scratch_dir(folder)):
        removed += _remove(entry)
    for where in (folder, folder / FAILED_DIR, folder / META_DIR):
        for entry in _entries(where):
            if is_staging(entry.name) and not entry.is_dir(follow_symlinks=False):
                removed += _remove(entry)
    return removed


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    try:
        return list(os.scandir(folder))
    except OSError:  # not there (yet)
        return []


def _remove(entry: os.DirEntry[str]) -> int:
    try:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)
    except OSError:
        return 0
    return 1


def record_path(out: Path, period: str, stem: str) -> Path:
    return period_dir(out, period) / META_DIR / f"{stem}.json"


def write_record(out: Path, period: str, stem: str, record: dict[str, Any]) -> Path:
    """Store one report's record (status, files, seconds, metrics, inputs, parameters).

    A failed report's record keeps, as ``last_good``, the files and start time of the last
    report made (from the record it replaces): those files are still there, untouched, and
    the index links them beside the failure."""
    if record.get("status") == FAILED and "last_good" not in record:
        before = read_record(out, period, stem)
        if before is not None and before.get("status") == OK:
            record = record | {
                "last_good": {"files": before.get("files", []), "started": before.get("started")}
            }
        elif before is not None and isinstance(before.get("last_good"), dict):
            record = record | {"last_good": before["last_good"]}
    text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True, default=str)
    return write_atomic(record_path(out, period, stem), text)


def read_records(out: Path, period: str, problems: list[str] | None = None) -> list[dict[str, Any]]:
    """Every report record of a period, whichever run or shard wrote it.

    A record that is not JSON, not an object or has fields of the wrong type is left out
    (and named in ``problems``): one bad file never stops the index."""
    folder = period_dir(out, period) / META_DIR
    records = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            reason = f"{type(exc).__name__}"
        else:
            reason = _wrong_type(record)
            if not reason:
                records.append(record)
                continue
        if problems is not None:
            problems.append(
                f"{path}: 记录文件无法读取，已跳过 (unreadable record skipped: {reason})"
            )
    return records


def read_record(out: Path, period: str, stem: str) -> dict[str, Any] | None:
    """One report's record, or ``None`` when there is none or it cannot be read or shown."""
    try:
        record = json.loads(record_path(out, period, stem).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return None if _wrong_type(record) else record


def file_hashes(folder: Path, names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Size and sha256 of each of a report's files (names relative to the period folder), as
    they are on disk: what a re-run compares before it keeps a report instead of remaking it."""
    hashes: dict[str, dict[str, Any]] = {}
    for name in names:
        data = (folder / name).read_bytes()
        hashes[name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return hashes


def unchanged(record: dict[str, Any] | None, folder: Path, key: str) -> bool:
    """Whether a report need not be made again: its record says it was made (``ok``) from
    this ``key`` (see :func:`helpers.run.batch.report_key`), and every file it wrote is still
    there, a plain file of the recorded size and sha256. Anything else (no record, another
    key, a file missing, edited, replaced by a link) means the report is made again."""
    if not record or record.get("status") != OK or not key or record.get("key") != key:
        return False
    names, hashes = record.get("files") or [], record.get("hashes")
    if not names or not isinstance(hashes, dict) or set(hashes) != set(names):
        return False
    for name in names:
        want, path = hashes[name], folder / name
        if not isinstance(want, dict) or path.is_symlink():
            return False
        try:
            if os.stat(path).st_size != want.get("bytes"):  # cheap first: the size
                return False
        except OSError:
            return False
    try:
        return file_hashes(folder, names) == hashes
    except OSError:
        return False


_FIELDS: dict[str, type | tuple[type, ...]] = {
    "org": str,
    "stem": str,
    "kind": str,
    "status": str,
    "error": (str, type(None)),
    "files": list,
    "metrics": (dict, type(None)),
    "seconds": (int, float, str),
    "key": (str, type(None)),
    "hashes": (dict, type(None)),
    "lang": str,  # zh or en: a report's language is in its file name too (太源镇.en.html)
    "last_good": (dict, type(None)),
}


def _wrong_type(record: Any) -> str:
    """Why a record cannot be shown ('' when it can)."""
    if not isinstance(record, dict):
        return f"not an object but {type(record).__name__}"
    for key, kind in _FIELDS.items():
        if key in record and not isinstance(record[key], kind):
            return f"{key} is {type(record[key]).__name__}"
    if not all(isinstance(f, str) for f in record.get("files", [])):
        return "files are not names"
    last = record.get("last_good") or {}
    if not isinstance(last.get("files", []), list) or not all(
        isinstance(f, str) for f in last.get("files", [])
    ):
        return "last_good files are not names"
    return ""


_FAILURE_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"/><title>{title}</title>
<style>body {{ font-family: sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
pre {{ white-space: pre-wrap; background: #f6f6f6; padding: 1rem; }}</style></head>
<body>{cause}</body></html>
"""


def write_failure(
    out: Path,
    period: str,
    stem: str,
    *,
    title: str,
    cause: str,
    detail: str = "",
    notebook_html: str | None = None,
) -> Path:
    """``failed/<stem>.html``: the cause (Chinese first) and the traceback, above the executed
    notebook's page when there is one. Every failed report leaves one."""
    block = (
        '<div class="kpibook-failure" style="border:2px solid #b3261e;padding:0.5rem 1rem;'
        'margin:1rem 0"><h2>报告生成失败 (report failed)</h2>'
        f"<p>{escape(cause)}</p>" + (f"<pre>{escape(detail)}</pre>" if detail else "") + "</div>"
    )
    if notebook_html is not None and "<body" in notebook_html:
        at = notebook_html.index(">", notebook_html.index("<body")) + 1
        page = notebook_html[:at] + block + notebook_html[at:]
    else:
        page = _FAILURE_PAGE.format(title=escape(title), cause=block)
    return write_atomic(period_dir(out, period) / FAILED_DIR / f"{stem}.html", page)
