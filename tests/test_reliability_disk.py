"""Issue 14, a full disk: a run on a real, tiny tmpfs that fills up says, Chinese first, that
there is no space left (ENOSPC), names the path, and leaves the last good report in place.

The file system is real (mounted for the test: this needs root, as on the project's machines
and CI); nothing is mocked. Where mounting is not allowed the run tests are skipped, and the
mapping of a real ENOSPC (from ``/dev/full``) is still tested."""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.base.files import is_write_failure, write_error
from helpers.errors import OutputError
from tests.tables import ACTUALS, INDICATORS, TARGETS, write_tables

KPIBOOK = Path(sys.executable).parent / "kpibook"


pytestmark = pytest.mark.usefixtures("own_cache")


@pytest.fixture
def tiny_disk(tmp_path):
    """A 16 MB tmpfs at ``tmp_path/out``, unmounted afterwards."""
    out = tmp_path / "out"
    out.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(out)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace')}")
    yield out
    subprocess.run(["umount", "-l", str(out)], check=False)


def fill(disk: Path, leave: int) -> None:
    """Fill ``disk`` so that ``leave`` bytes stay free."""
    filler = disk / "filler"
    filler.unlink(missing_ok=True)
    stat = os.statvfs(disk)
    free = stat.f_bavail * stat.f_frsize
    with open(filler, "wb") as handle:
        os.posix_fallocate(handle.fileno(), 0, max(free - leave, 1))


def kpibook(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(KPIBOOK), *args],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_real_enospc_becomes_one_clear_message(tmp_path):
    with pytest.raises(OSError) as info, open("/dev/full", "wb") as full:
        full.write(b"x" * 8192)
        full.flush()
    assert info.value.errno == errno.ENOSPC
    error = write_error(info.value, tmp_path / "甲镇.html")
    assert isinstance(error, OutputError) and isinstance(error, OSError)
    assert str(error) == (
        f"磁盘空间已满，无法写入 {tmp_path / '甲镇.html'}；已有的文件保留不变 (no space left "
        f"on device, ENOSPC: cannot write {tmp_path / '甲镇.html'}; the files already there "
        "are kept)"
    )
    for code, zh in ((errno.EROFS, "文件系统只读"), (errno.EACCES, "没有写入权限")):
        assert str(write_error(OSError(code, os.strerror(code)), "x")).startswith(
            f"{zh}，无法写入 x"
        )
    assert str(write_error(OSError(errno.EIO, os.strerror(errno.EIO)), "x")) == (
        "磁盘读写出错（I/O 错误，磁盘或网络存储可能有故障），无法写入 x；已有的文件保留不变 "
        "(input/output error, EIO: cannot write x; the files already there are kept)"
    )
    # any other failed write is the same class of error, with the system's words
    other = write_error(OSError(errno.ENOENT, "gone"), "x")
    assert isinstance(other, OutputError) and str(other).startswith("写入失败，无法写入 x；")
    assert is_write_failure(OSError(errno.EIO, "x")) and is_write_failure(info.value)
    assert not is_write_failure(OSError(errno.ENOENT, "gone"))  # a notebook that reads
    assert write_error(ValueError("v"), "x").args == ("v",)  # not an OSError: unchanged


def test_a_disk_that_fills_up_during_a_run_keeps_the_last_good_report(tmp_path, tiny_disk):
    data = write_tables(
        tmp_path / "d", {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS}
    )
    common = ("run", "--data", str(data), "--out", str(tiny_disk), "--to", "html")
    common += ("--org", "甲镇", "--workers", "1", "--force")  # unchanged inputs: remake anyway
    first = kpibook(*common)
    assert first.returncode == 0, first.stderr
    folder = tiny_disk / "2013H1"
    report = folder / "甲镇.html"
    good = {p: digest(p) for p in (report, folder / "甲镇.xlsx")}  # the index may say 失败

    # a few hundred KB left: the notebook runs, the report's page does not fit
    fill(tiny_disk, 300 * 1024)
    result = kpibook(*common)
    assert result.returncode == 1, result.stderr
    assert "NotJSONError" not in result.stderr and "Traceback" not in result.stderr
    assert (
        f"2013H1 甲镇: FAILED 磁盘空间已满，无法写入 {report}；已有的文件保留不变 "
        f"(no space left on device, ENOSPC: cannot write {report};"
    ) in result.stderr
    assert {p: digest(p) for p in good} == good  # one generation, the last good one
    assert not list((folder / ".kpibook" / "tmp").iterdir())

    # a few KB: even the executed notebook (papermill's write) does not fit
    fill(tiny_disk, 40 * 1024)
    result = kpibook(*common)
    assert result.returncode == 1, result.stderr  # a failed write, at whatever step
    assert "NotJSONError" not in result.stderr and "Traceback" not in result.stderr
    assert "磁盘空间已满，无法写入 " in result.stderr and "(no space left on device, ENOSPC" in (
        result.stderr
    )
    assert {p: digest(p) for p in good} == good

    # nothing left: the run stops with the path it could not write, the report stays
    fill(tiny_disk, 0)
    result = kpibook(*common)
    assert result.returncode == 1, result.stderr  # the same status as a report that failed
    assert f"错误 (error): 磁盘空间已满，无法写入 {folder}" in result.stderr
    assert {p: digest(p) for p in good} == good


@pytest.mark.parametrize("made", [True, False], ids=["period made before", "fresh --out"])
def test_a_read_only_out_is_one_clear_message_and_keeps_the_reports(tmp_path, tiny_disk, made):
    """--out on a file system mounted read-only (root writes through permissions, not
    through a read-only mount): refused before any report runs, exit 1 (as every failed
    write), one line naming the
    folder, Chinese first; the reports there stay byte for byte."""
    data = write_tables(
        tmp_path / "d", {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS}
    )
    common = ("run", "--data", str(data), "--out", str(tiny_disk), "--to", "html", "--force")
    if made:
        assert kpibook(*common).returncode == 0
    before = {p: digest(p) for p in tiny_disk.rglob("*") if p.is_file()}
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    result = kpibook(*common)
    assert result.returncode == 1, result.stderr  # a failed write, not bad input
    folder = tiny_disk / "2013H1"
    assert result.stderr.splitlines()[-1] == (
        f"错误 (error): 文件系统只读，无法写入 {folder}；已有的文件保留不变 (read-only file "
        f"system, EROFS: cannot write {folder}; the files already there are kept)"
    )
    assert "Traceback" not in result.stderr and "[1/" not in result.stderr  # no report ran
    assert {p: digest(p) for p in tiny_disk.rglob("*") if p.is_file()} == before
    index = kpibook("index", "--out", str(tiny_disk))  # cannot write either: says the same
    assert index.returncode == 1 and "Traceback" not in index.stderr
    assert index.stderr.splitlines()[-1].startswith("错误 (error): 文件系统只读，无法写入 ")
    assert {p: digest(p) for p in tiny_disk.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("leave", [150 * 1024, 60 * 1024, 8 * 1024])
def test_a_full_disk_at_any_step_is_one_status_and_one_message(tmp_path, tiny_disk, leave):
    """The tester's C18: a full disk while the record, the notebook, the page or the index is
    written: always exit 1 (what a failed report gives), always 「磁盘空间已满，无法写入 <path>」,
    never 2 (bad input) and never a traceback; the last good report stays."""
    data = write_tables(
        tmp_path / "d", {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS}
    )
    common = ("run", "--data", str(data), "--out", str(tiny_disk), "--to", "html")
    common += ("--org", "甲镇", "--workers", "1", "--force")
    assert kpibook(*common).returncode == 0
    report = tiny_disk / "2013H1" / "甲镇.html"
    good = digest(report)
    fill(tiny_disk, leave)
    result = kpibook(*common)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"磁盘空间已满，无法写入 {tiny_disk}" in result.stderr
    assert "(no space left on device, ENOSPC: cannot write " in result.stderr
    assert digest(report) == good
