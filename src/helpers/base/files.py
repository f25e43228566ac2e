"""Files from names that come from data, written whole: safe file names and atomic writes.

Org names come from data: ``../../x``, ``CON`` or a name with a newline must never become a
path outside ``--out`` or a file Windows cannot open. Chinese is kept. Every file is written
to a temporary name in its folder and moved into place whole, so a crash or a failed run
never leaves a half-written file where the last good report was.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import DataError, OutputError, UsageError
from .cells import csv_frame
from .invisible import without_invisible

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "real_folder",
    "safe_name",
    "unique_names",
    "inside",
    "no_link",
    "write_atomic",
    "write_together",
    "write_csv_atomic",
    "decode_text",
    "csv_delimiter",
    "control_character",
    "CONTROL_CHARACTERS",
    "write_error",
    "is_write_failure",
    "is_staging",
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
    """A file stem for ``name``: Chinese kept; separators, ``..``, control characters and
    invisible ones (zero-width, direction overrides: :mod:`helpers.base.invisible`) never, so
    ``太源\u202eLMTH.exe`` cannot pass for an ``.exe``.

    ``"../../x"`` → ``"x"`` with a hash suffix; ``"CON"`` → ``"_CON"``; empty → a hash; a
    name longer than ``limit`` characters or :data:`STEM_BYTES` bytes is cut, with a hash.
    """
    original = str(name)
    text = without_invisible(unicodedata.normalize("NFC", original))
    text = _UNSAFE.sub("_", text).replace("..", "_").strip(" ._")
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
            f"{path}：是指向输出文件夹之外（{target}）的链接，拒绝写入；请删除该链接 "
            f"(a link that leads outside --out {root}: refusing to follow it; remove the link)"
        )
    return Path(path)


def real_folder(path: str | os.PathLike[str]) -> Path:
    """``path``, once sure it is not a symbolic link (it may not exist yet).

    The folders kpibook cleans up in (a period's ``failed`` and ``.kpibook``, the period
    folder) delete files by report name: a link there, even one to another folder inside
    ``--out``, would delete another period's or the period's own good reports. Refused with
    :class:`UsageError`, never followed.
    """
    if Path(path).is_symlink():
        raise UsageError(
            f"{path}：是一个链接（指向 {os.readlink(path)}），kpibook 在这个文件夹里会删除和替换"
            "报告文件，不能跟随链接；请删除该链接 "
            f"(a link, to {os.readlink(path)}: kpibook deletes and replaces report files in this "
            "folder, so it never follows a link here; remove the link)"
        )
    return Path(path)


def no_link(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> Path:
    """``path``, once sure it is not a symbolic link (it may not exist yet).

    The files kpibook opens to lock a folder (``.kpibook/run.lock``, ``index.lock``) are its
    own: a link there is never followed. One that leads outside ``root`` (``--out``) is
    refused with :func:`inside`'s message, any other with its own (:class:`UsageError`)."""
    if not Path(path).is_symlink():
        return Path(path)
    inside(root, path)
    target = os.readlink(path)
    raise UsageError(
        f"{path}：是一个链接（指向 {target}），kpibook 的锁文件不跟随链接，拒绝写入；请删除该链接 "
        f"(a link, to {target}: kpibook never follows a link for its lock files; remove the link)"
    )


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


#: Why a write fails that no retry mends, Chinese first: errno → (zh, en).
_WRITE_FAILURES = {
    errno.ENOSPC: ("磁盘空间已满", "no space left on device"),
    errno.EDQUOT: ("磁盘配额已用完", "disk quota exceeded"),
    errno.EROFS: ("文件系统只读", "read-only file system"),
    errno.EACCES: ("没有写入权限", "permission denied"),
    errno.EPERM: ("没有写入权限", "operation not permitted"),
    errno.EIO: ("磁盘读写出错（I/O 错误，磁盘或网络存储可能有故障）", "input/output error"),
    errno.EFBIG: ("文件超过文件系统允许的大小", "file too large"),
}


def is_write_failure(exc: BaseException) -> bool:
    """Whether ``exc`` is a failed write whatever the file (a full, read-only or failing
    disk): an OSError of a step that may also read, such as running a notebook, is one of
    these only then."""
    return isinstance(exc, OutputError) or (
        isinstance(exc, OSError) and (exc.errno or 0) in _WRITE_FAILURES
    )


def write_error(exc: BaseException, path: str | os.PathLike[str]) -> BaseException:
    """The error to raise for a failed write of ``path``: any OSError (a full disk, a quota,
    a read-only, forbidden or failing disk) becomes one :class:`~helpers.errors.OutputError`
    naming the path, Chinese first, whatever step it happened at (an OSError of a full disk
    says neither what nor where); anything else is unchanged. One class, so the command
    gives one exit status and one kind of message for every failed write."""
    if isinstance(exc, OutputError) or not isinstance(exc, OSError):
        return exc
    code = exc.errno or 0
    zh, en = _WRITE_FAILURES.get(code, ("写入失败", exc.strerror or str(exc)))
    name = errno.errorcode.get(code, str(exc.errno))
    return OutputError(
        f"{zh}，无法写入 {path}；已有的文件保留不变 ({en}, {name}: cannot write {path}; "
        "the files already there are kept)",
        code,
        str(path),
    )


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` (str as UTF-8) so ``path`` is either the old file or the whole new one.

    A temporary file in the same folder, fsync, rename over the target, fsync the folder.
    A failure leaves the old file and no temporary file.
    """
    target = Path(path)
    tmp = _stage(target, data)
    try:
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise write_error(exc, target) from exc
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


#: The names :func:`_stage` (``.<name>.XXXXXXXX.tmp``, ``mkstemp``'s 8 characters) and
#: :func:`write_together`'s backups (``….tmp.old``) give: what a process killed while writing
#: leaves beside the file it was writing.
_STAGING = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp(\.old)?$")


def is_staging(name: str) -> bool:
    """Whether a file name is one of kpibook's own temporary files (see :func:`_stage`): a
    file of that name outside a live write is what a killed process left."""
    return _STAGING.match(name) is not None


def _stage(target: Path, data: bytes | str) -> Path:
    """``data`` written whole and synced to a temporary file beside ``target``; a full disk
    or a read-only folder is an :class:`~helpers.errors.OutputError` naming ``target``."""
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise write_error(exc, target) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; a report is a normal file
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise write_error(exc, target) from exc
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


#: Control characters no table cell holds: C0 controls but tab, line feed, carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes(range(9)) + bytes(range(0x0B, 0x0D)) + bytes(range(0x0E, 0x20)) + b"\x7f"
#: The share of control bytes above which a file is binary (an image, a zip, an old .xls:
#: about one byte in ten); below it they are characters in a cell, named where they are.
_BINARY_SHARE = 0.05


def control_character(text: str) -> str | None:
    """The message for text holding a control character (a NUL, a form feed, Word's manual
    line break U+000B), naming the first of them; ``None`` for clean text. The one rule for
    every cell that kpibook reads from a CSV (data set and import)."""
    bad = CONTROL_CHARACTERS.search(text)
    if bad is None:
        return None
    code = f"U+{ord(bad.group()):04X}"
    return (
        f"含有控制字符 {code}（如 Word 的手动换行），请删除或换成普通换行 "
        f"(a control character {code}, e.g. a Word line break: remove it or use a "
        "normal line break)"
    )


def csv_delimiter(text: str) -> str:
    """The separator of a CSV's text: a tab when the first line holding a tab or a comma
    holds more tabs than commas (Excel's "Unicode 文本" and "文本文件（制表符分隔）", renamed
    .csv), else a comma."""
    for line in text[:65536].splitlines()[:50]:
        tabs, commas = line.count("\t"), line.count(",")
        if tabs or commas:
            return "\t" if tabs > commas else ","
    return ","


def decode_text(data: bytes, file: str) -> tuple[str, str]:
    """A text file's content and its encoding's name: UTF-8 (with or without BOM), else
    GB18030, as Chinese Excel saves CSV, or UTF-16 with its BOM (Excel's "Unicode 文本").
    Binary content and other encodings are errors.

    A file is binary when control bytes are more than a few per cent of its start; a NUL
    or a form feed here and there is a character of a cell, which the reader of the cells
    names by row and column (:func:`control_character`). A UTF-8 file with a few broken
    bytes is an error at the first of them, never read as GB18030 (which would turn every
    Chinese character into another one without a word); every decoding error names the
    line and shows the bytes."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _utf16(data, file), "UTF-16 (BOM)"
    refused = _binary(data[:65536], file)
    if refused is not None:
        raise refused
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8 = exc
    else:
        return text, "UTF-8 (BOM)" if data.startswith(b"\xef\xbb\xbf") else "UTF-8"
    if _mostly_utf8(data):
        raise _undecodable(data, utf8, "UTF-8", file)
    try:
        return data.decode("gb18030"), "GB18030 (GBK)"
    except UnicodeDecodeError as exc:
        further = exc if exc.start >= utf8.start else utf8
        raise _undecodable(data, further, "UTF-8 或 GBK", file) from None


def _utf16(data: bytes, file: str) -> str:
    """A UTF-16 file with its BOM, as Excel saves "Unicode 文本"; broken bytes are an error."""
    try:
        return data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise DataError(
            f"UTF-16 文件在第 {exc.start} 字节处损坏：请在 Excel 或 WPS 中另存为"
            f"「CSV UTF-8（逗号分隔）」 (a damaged UTF-16 file at byte {exc.start}: save it "
            "as CSV UTF-8)",
            file=file,
        ) from None


def _binary(sample: bytes, file: str) -> DataError | None:
    """The error for a file that is not text (judged on its start), else ``None``: UTF-16
    without a BOM (a zero byte in every other place) is named with its fix."""
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls <= _BINARY_SHARE * len(sample):
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if max(even, odd) > len(sample) / 8 and min(even, odd) * 10 < max(even, odd):
        return DataError(
            "像是没有 BOM 的 UTF-16 文本，无法可靠读取：请在 Excel 或 WPS 中另存为"
            "「CSV UTF-8（逗号分隔）」 (looks like UTF-16 text without a byte-order mark: "
            "save it as CSV UTF-8)",
            file=file,
        )
    return DataError("不是文本文件 (not a text file: binary content)", file=file)


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 Chinese text with a few broken bytes: far more well-formed CJK characters than
    errors (GBK text read as UTF-8 fails at nearly every Chinese character)."""
    text = data.decode("utf-8", "replace")
    broken = text.count("\ufffd")
    chinese = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f")
    return chinese >= max(2, 2 * broken)


def _undecodable(data: bytes, exc: UnicodeDecodeError, encoding: str, file: str) -> DataError:
    """The error for bytes that ``encoding`` cannot decode: the line (as an editor counts,
    any line ending), the bytes in hex, and the text just before them on that line."""
    before = data[: exc.start]
    line = len(re.split(rb"\r\n|\r|\n", before))
    start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    lead = before[start:].decode(exc.encoding, "replace")[-20:]
    shown = "".join(f"\\x{b:02x}" for b in data[exc.start : max(exc.end, exc.start + 1)])
    after = f"（在「{lead}」之后）" if lead.strip() else "（在行首）"
    return DataError(
        f"有无法按 {encoding} 解码的字节 {shown}{after}：文件损坏，或混用了两种编码；"
        f"请在 Excel 或 WPS 中修正该行后另存为「CSV UTF-8」 (bytes {shown} on line {line} are "
        f"not {encoding.replace(' 或 ', ' or ')} text: a damaged file or two encodings mixed; "
        "fix the line and save as CSV UTF-8)",
        file=file,
        row=line,
        value=shown,
    )
