"""Files from names that come from data, written whole: safe file names and atomic writes.

Org names come from data: ``../../x``, ``CON`` or a name with a newline must never become a
path outside ``--out`` or a file Windows cannot open. Chinese is kept. Every file is written
to a temporary name in its folder and moved into place whole, so a crash or a failed run
never leaves a half-written file where the last good report was.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError, UsageError
from .cells import csv_frame

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "safe_name",
    "unique_names",
    "inside",
    "write_atomic",
    "write_together",
    "write_csv_atomic",
    "decode_text",
    "META_DIR",
    "DISTRICT",
]

META_DIR = ".kpibook"  # per-report records and scratch files inside a period folder
DISTRICT = "district"  # file stem of the district report
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_STEMS = {DISTRICT, "index", "manifest", "failed", META_DIR}  # names kpibook writes itself
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
#: A stem's bytes at most: with ``.ipynb`` and write_atomic's temporary ``.<name>.XXXXXXXX.tmp``
#: a file name stays far below the 255 bytes file systems allow (a Chinese character is 3).
STEM_BYTES = 180


def safe_name(name: str, *, limit: int = 80) -> str:
    """A file stem for ``name``: Chinese kept; separators, ``..``, control characters never.

    ``"../../x"`` → ``"x"`` with a hash suffix; ``"CON"`` → ``"_CON"``; empty → a hash; a
    name longer than ``limit`` characters or :data:`STEM_BYTES` bytes is cut, with a hash.
    """
    original = str(name)
    text = _UNSAFE.sub("_", unicodedata.normalize("NFC", original)).replace("..", "_").strip(" ._")
    changed = text != original
    if not text or _RESERVED.match(text) or text.lower() in _STEMS:
        text, changed = "_" + text, True
    if len(text) > limit or len(text.encode("utf-8")) > STEM_BYTES:
        changed = True
    if changed:  # a hash of the original keeps two different names apart
        cut = text[:limit].encode("utf-8")[: STEM_BYTES - 9].decode("utf-8", "ignore")
        text = f"{cut}-{hashlib.sha1(original.encode('utf-8')).hexdigest()[:8]}"
    return text


def inside(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> Path:
    """``path``, once sure it stays inside ``root`` with every link on the way followed.

    A folder under ``--out`` (``failed``, ``.kpibook``, a period) that is a symbolic link to
    somewhere else would make kpibook write, or delete, files outside ``--out``: refused
    with :class:`UsageError`. Links that stay inside ``root`` are fine.
    """
    base, target = Path(root).resolve(), Path(path).resolve()
    if target != base and base not in target.parents:
        raise UsageError(
            f"{path}: 是指向输出文件夹之外({target})的链接,拒绝写入;请删除该链接 "
            f"(a link that leads outside --out {root}: refusing to follow it; remove the link)"
        )
    return Path(path)


def unique_names(names: Iterable[str]) -> dict[str, str]:
    """Safe, distinct file stems for every name (two names never share a file)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        stem = safe_name(name)
        if stem.lower() in used:
            stem = f"{stem}-{hashlib.sha1(name.encode('utf-8')).hexdigest()[:8]}"
        used.add(stem.lower())
        out[name] = stem
    return out


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` (str as UTF-8) so ``path`` is either the old file or the whole new one.

    A temporary file in the same folder, fsync, rename over the target, fsync the folder.
    A failure leaves the old file and no temporary file.
    """
    target = Path(path)
    tmp = _stage(target, data)
    try:
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(target.parent)
    return target


def write_together(files: dict[Path, bytes | str]) -> list[Path]:
    """Write several files as one generation: afterwards every file is the new one, or (when
    any write or move fails) every file is the old one again, and no temporary is left.

    Each file is first written whole to a temporary name beside its target (the slow part,
    where a full disk or a read-only folder shows); the old files are kept under hard-linked
    backups; then all are moved into place at once, and put back if one move fails.
    """
    staged: list[tuple[Path, Path]] = []
    backups: dict[Path, Path] = {}
    moved: list[Path] = []
    try:
        for target, data in files.items():
            staged.append((_stage(target, data), target))
        for tmp, target in staged:
            if target.is_file():
                backup = tmp.with_name(tmp.name + ".old")
                try:
                    os.link(target, backup)
                except OSError:  # a file system without hard links
                    import shutil

                    shutil.copy2(target, backup)
                backups[target] = backup
        for tmp, target in staged:
            os.replace(tmp, target)
            moved.append(target)
    except BaseException:
        for target in reversed(moved):
            with contextlib.suppress(OSError):
                if target in backups:
                    os.replace(backups.pop(target), target)
                else:
                    os.unlink(target)
        for path in [tmp for tmp, _ in staged] + list(backups.values()):
            with contextlib.suppress(OSError):
                os.unlink(path)
        raise
    for backup in backups.values():
        with contextlib.suppress(OSError):
            os.unlink(backup)
    for folder in {t.parent for t in files}:
        _fsync_dir(folder)
    return list(files)


def _stage(target: Path, data: bytes | str) -> Path:
    """``data`` written whole and synced to a temporary file beside ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; a report is a normal file
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def write_csv_atomic(
    path: str | os.PathLike[str], frame: pd.DataFrame, *, bom: bool = False
) -> Path:
    """A table as UTF-8 CSV (BOM for Excel if ``bom``), written whole like :func:`write_atomic`.

    Text that a spreadsheet would take for a formula is written as text
    (:func:`helpers.base.cells.csv_text`); the loader reads it back unchanged."""
    text = csv_frame(frame).to_csv(index=False, float_format="%.15g", lineterminator="\n")
    return write_atomic(path, ("\ufeff" if bom else "") + text)


def decode_text(data: bytes, file: str) -> tuple[str, str]:
    """A text file's content and its encoding's name: UTF-8 (with or without BOM), else
    GB18030, as Chinese Excel saves CSV. Binary content and other encodings are errors."""
    if b"\x00" in data[:4096]:
        raise DataError("不是文本文件 (not a text file: binary content)", file=file)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        label = "UTF-8" if encoding == "utf-8-sig" else "GB18030 (GBK)"
        if encoding == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf"):
            label = "UTF-8 (BOM)"
        return text, label
    raise DataError("无法识别的文件编码 (not UTF-8 or GBK text)", file=file)
