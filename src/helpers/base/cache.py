"""A small on-disk cache for work that is the same from report to report.

Cutting the CJK page font and reading a large data set cost seconds; a district batch would
pay them in every report. Entries are files named by a digest of everything they depend on,
written atomically, and pruned least-recently-used first. A cache that cannot be read or
written is skipped, never fatal. ``KPIBOOK_CACHE`` (or ``kpibook run --cache-dir``) moves it
(``off`` turns it off). Entries are read only from files this user owns.

:class:`Memo` keeps the same values in memory for the life of a process: a batch's
forkserver loads them once, and every report forked from it finds them there, unpickling
nothing.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
from collections import OrderedDict
from pathlib import Path
from typing import Any, Generic, TypeVar

__all__ = ["cache_dir", "read", "write", "load_pickle", "LIMIT_BYTES", "Memo"]

K = TypeVar("K")
V = TypeVar("V")

LIMIT_BYTES = 200 * 1024 * 1024  # per kind of entry
log = logging.getLogger(__name__)


def cache_dir() -> Path | None:
    """``$KPIBOOK_CACHE`` if set (``off`` or empty: no disk cache), else the platform's user
    cache directory + ``kpibook`` (``~/.cache/kpibook`` on Linux)."""
    env = os.environ.get("KPIBOOK_CACHE")
    if env is not None:
        return None if env.strip().lower() in ("", "off", "0", "none") else Path(env)
    if sys.platform == "win32":
        root = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return root / "kpibook" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "kpibook"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kpibook"


def read(kind: str, name: str) -> bytes | None:
    """The entry ``kind/name``, or ``None`` when absent or unreadable."""
    root = cache_dir()
    if root is None:
        return None
    path = root / kind / name
    try:
        if not _own(path):
            log.debug("cache entry not ours, ignored: %s", path)
            return None
        data = path.read_bytes()
        os.utime(path)  # pruning drops the least recently used first
    except OSError:
        return None
    return data


class Memo(Generic[K, V]):
    """The last ``size`` values by key, in this process (least recently used dropped first).

    Keys must say everything the value depends on (a digest of the input files and code,
    as the disk cache's names do). Values are shared: callers hand out copies, never the
    value itself."""

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._values: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._values.get(key)
        if value is not None:
            self._values.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> V:
        self._values[key] = value
        self._values.move_to_end(key)
        while len(self._values) > self._size:
            self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        self._values.clear()


def load_pickle(kind: str, name: str, data: bytes | None = None, expected: type = object) -> Any:
    """The object pickled in the entry ``kind/name`` (``data``: its bytes, when the caller
    has read them), or ``None`` when there is none or it cannot be loaded.

    An entry that does not unpickle (cut short, overwritten, from another version of a
    library) or holds something else than an ``expected`` is a miss, never a crash: it is
    removed, and the caller computes the value again and writes a good entry."""
    if data is None:
        data = read(kind, name)
        if data is None:
            return None
    try:
        value = pickle.loads(data)
    except Exception as exc:  # noqa: BLE001 - any damage: UnpicklingError, EOFError, …
        log.debug("cache entry %s/%s cannot be loaded (%r): removed", kind, name, exc)
        _remove(kind, name)
        return None
    if not isinstance(value, expected):
        log.debug("cache entry %s/%s holds %s: removed", kind, name, type(value).__name__)
        _remove(kind, name)
        return None
    return value


def _remove(kind: str, name: str) -> None:
    root = cache_dir()
    if root is not None:
        try:
            (root / kind / name).unlink(missing_ok=True)
        except OSError:
            pass


def _own(path: Path) -> bool:
    """Whether ``path`` belongs to this user: entries hold pickles, and a pickle another user
    wrote (a shared ``KPIBOOK_CACHE`` on a shared machine) is never loaded."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or path.stat().st_uid == getuid()


def write(kind: str, name: str, data: bytes, *, limit: int = LIMIT_BYTES) -> None:
    """Store ``kind/name`` atomically, then prune ``kind`` to ``limit`` bytes."""
    root = cache_dir()
    if root is None:
        return
    from .files import write_atomic

    folder = root / kind
    try:
        write_atomic(folder / name, data)
        _prune(folder, limit)
    except OSError as exc:
        log.debug("cache not written (%s): %s", folder, exc)


def _prune(folder: Path, limit: int) -> None:
    """Delete the least recently used files beyond ``limit`` bytes."""
    entries = []
    for entry in os.scandir(folder):
        if entry.is_file() and not entry.name.startswith("."):
            stat = entry.stat()
            entries.append((stat.st_mtime, stat.st_size, entry.path))
    total = sum(size for _, size, _ in entries)
    for _, size, path in sorted(entries):
        if total <= limit:
            break
        try:
            os.unlink(path)
        except OSError:
            pass
        total -= size
