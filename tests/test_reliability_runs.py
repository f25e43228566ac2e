"""Issue 14, a job you can diagnose: 未报送, the first problem in the log and index, a
failed/<org>.html for every failure, one generation of a report's files, timestamps and a
run header, SIGTERM, an index that survives bad records and stray folders, the cache."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers.base import cache
from helpers.base.files import is_staging
from helpers.cli import main
from helpers.data.dataset import load_dataset
from helpers.run.batch import Job, first_line, plan_jobs, run_jobs
from tests.runs import descendants, forkserver_of, running, wait_until_mid_report
from tests.tables import ACTUALS, INDICATORS, TARGETS, write_tables

KPIBOOK = Path(sys.executable).parent / "kpibook"
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d ")
ORGS = "org,name,parent\n甲镇,甲镇,示范区\n乙镇,乙镇,示范区\n丙镇,丙镇,示范区\n"


pytestmark = pytest.mark.usefixtures("own_cache")


def small(folder: Path, **changes: str) -> Path:
    tables = {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS}
    return write_tables(folder, tables | changes)


def kpibook(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(KPIBOOK), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# ---------------------------------------------------------------------- 未报送


def test_an_org_without_figures_is_not_reported_everywhere(tmp_path, capsys):
    data = small(tmp_path / "d", orgs=ORGS)
    assert main(["check", "--data", str(data)]) == 0
    assert "未报送 (not reported) 2013H1: 丙镇" in capsys.readouterr().out

    out = tmp_path / "out"
    result = kpibook("run", "--data", str(data), "--out", str(out), "--to", "html")
    assert result.returncode == 3, result.stderr
    lines = result.stderr.splitlines()
    assert all(STAMP.match(line) for line in lines), lines  # every log line has its time
    assert re.match(STAMP.pattern + r"kpibook \S+ run: data=\S+ period=\(default\)", lines[0])
    assert any(
        line.endswith("2013H1 丙镇: 未报送 (not reported: no figures for the period) (0.0s)")
        for line in lines
    )
    assert lines[-1].endswith("未报送 (not reported: no figures for 2013H1): 丙镇")
    folder = out / "2013H1"
    assert not (folder / "丙镇.html").exists() and (folder / "甲镇.html").is_file()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["not_reported_orgs"] == ["丙镇"] and manifest["ok"] == 3  # 甲, 乙, district
    assert manifest["failed"] == 0
    rows = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser")
    row = next(tr for tr in rows.select("tbody tr") if "丙镇" in tr.get_text())
    assert "未报送" in row.get_text() and not row.find("a")
    assert "未报送 1" in rows.get_text()


def test_a_period_without_figures_makes_no_empty_reports(tmp_path):
    data = small(tmp_path / "d")
    out = tmp_path / "out"
    result = kpibook("run", "--data", str(data), "--out", str(out), "--period", "2014H1")
    assert result.returncode == 3, result.stderr
    assert result.stderr.splitlines()[-1].endswith(
        "未报送 (not reported: no figures for 2014H1): 甲镇、乙镇、全区汇总"
    )
    folder = out / "2014H1"
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == [
        "index.html",
        "manifest.json",
    ]


# ---------------------------------------------------------------------- failures you can read


def test_first_line_shows_the_first_problem_itself():
    text = "/d: 1 个问题 (problems):\n  - actuals.csv 第13行 列「value」 值「84x8」：不是数字 (not a number)"
    assert first_line(text) == (
        "/d: 1 个问题 (problems): actuals.csv 第13行 列「value」 值「84x8」：不是数字 (not a number)"
    )
    assert first_line("one line\nand its detail") == "one line"


def test_a_failing_report_names_its_first_problem_in_log_and_index(tmp_path):
    data = small(tmp_path / "d")
    out = tmp_path / "out"
    ds = load_dataset(data)
    jobs = [j for j in plan_jobs(ds, "2013H1", out=out, formats=("html",)) if j.org == "甲镇"]
    (data / "actuals.csv").write_text(
        ACTUALS.replace("甲镇,tax,2013H1,848", "甲镇,tax,2013H1,84x8"), encoding="utf-8"
    )
    [record] = run_jobs(jobs, workers=1, timeout=300)
    assert record["status"] == "failed"
    assert "actuals.csv 第2行 列「value」 值「84x8」：不是数字 (not a number)" in record["error"]
    page = (out / "2013H1" / "failed" / "甲镇.html").read_text(encoding="utf-8")
    assert page.index("报告生成失败") < page.index("84x8")  # the cause first
    main(["index", "--out", str(out), "--period", "2013H1"])
    index = (out / "2013H1" / "index.html").read_text(encoding="utf-8")
    assert "值「84x8」：不是数字 (not a number)" in index


def test_a_timeout_leaves_a_failed_page_and_no_scratch_files(tmp_path):
    data = small(tmp_path / "d")
    out = tmp_path / "out"
    jobs = plan_jobs(load_dataset(data), "2013H1", out=out, formats=("html",), orgs=["甲镇"])
    [record] = run_jobs(jobs, workers=1, timeout=0.2)
    assert record["error"] == "超时：0.2 秒内未完成，已终止 (timed out after 0.2 s)"
    assert record["files"] == ["failed/甲镇.html"]
    page = (out / "2013H1" / "failed" / "甲镇.html").read_text(encoding="utf-8")
    assert "原因 (cause): 超时：0.2 秒内未完成" in page
    assert not list((out / "2013H1" / ".kpibook" / "tmp").iterdir())


def test_a_failure_while_moving_files_keeps_one_generation(tmp_path):
    data = small(tmp_path / "d")
    out = tmp_path / "out"
    folder = out / "2013H1"
    folder.mkdir(parents=True)
    old = {"甲镇.html": b"old html", "甲镇.ipynb": b"old ipynb"}
    for name, content in old.items():
        (folder / name).write_bytes(content)
    (folder / "甲镇.xlsx" / "in-the-way").mkdir(parents=True)  # the last file cannot be moved
    jobs = plan_jobs(
        load_dataset(data), "2013H1", out=out, formats=("html", "ipynb"), orgs=["甲镇"]
    )
    [record] = run_jobs(jobs, workers=1, timeout=300)
    assert record["status"] == "failed" and record["error"].startswith("IsADirectoryError")
    for name, content in old.items():
        assert (folder / name).read_bytes() == content  # the old generation, whole
    assert not [p for p in folder.iterdir() if p.name.startswith(".甲镇")]  # no temporaries
    page = (folder / "failed" / "甲镇.html").read_text(encoding="utf-8")
    cause = "原因 (cause): 生成或写入报告时出错 (error while making or writing the report): "
    assert f"{cause}IsADirectoryError" in page and "Traceback" in page


def test_sigterm_is_handled_like_ctrl_c(tmp_path):
    out = tmp_path / "out"
    run = subprocess.Popen(
        [str(KPIBOOK), "run", "--data", str(small(tmp_path / "d")), "--out", str(out)],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    scratch = wait_until_mid_report(out / "2013H1")
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 143
    assert STAMP.match(err.splitlines()[-1])
    assert err.splitlines()[-1].endswith(
        "已终止 (terminated by SIGTERM): 已完成的报告保留，未完成的没有写入 "
        "(finished reports kept, unfinished none)"
    )
    assert "Traceback" not in err
    assert not list(scratch.iterdir())
    # the index and manifest tell what is there now, not what an earlier run left
    assert (out / "2013H1" / "manifest.json").is_file()
    assert (out / "2013H1" / "index.html").is_file()


# ---------------------------------------------------------------------- the index


def test_index_survives_bad_records_bad_manifests_and_stray_copies(tmp_path, capsys):
    out = tmp_path / "out"
    records = out / "2013H1" / ".kpibook"
    records.mkdir(parents=True)
    (records / "甲镇.json").write_text(json.dumps({"org": "甲镇", "status": "ok", "files": []}))
    (records / "list.json").write_text("[1, 2]")
    (records / "typed.json").write_text(json.dumps({"org": 5, "status": "ok"}))
    (records / "broken.json").write_text("{not json")
    (records / "last.json").write_text(json.dumps({"org": "乙镇", "last_good": {"files": [3]}}))
    (out / "2012H1").mkdir()
    (out / "2012H1" / "manifest.json").write_text('"a string, not an object"')
    stray = out / "2013H1.bak"
    (stray / ".kpibook").mkdir(parents=True)
    (stray / ".kpibook" / "甲镇.json").write_text("{}")
    before = snapshot(stray)

    assert main(["index", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert f"{stray}: 不是期间文件夹，已跳过 (not a period folder: skipped)" in err
    assert (
        f"{records / 'list.json'}: 记录文件无法读取，已跳过 (unreadable record skipped: not an object but list)"
        in err
    )
    assert "typed.json: 记录文件无法读取，已跳过 (unreadable record skipped: org is int)" in err
    assert (
        "broken.json: 记录文件无法读取，已跳过 (unreadable record skipped: JSONDecodeError)" in err
    )
    assert (
        "last.json: 记录文件无法读取，已跳过 (unreadable record skipped: last_good files are not names)"
        in err
    )
    assert snapshot(stray) == before  # nothing written into the copy
    manifest = json.loads((out / "2013H1" / "manifest.json").read_text(encoding="utf-8"))
    assert [r["org"] for r in manifest["reports"]] == ["甲镇"]
    root = (out / "index.html").read_text(encoding="utf-8")
    assert "manifest.json 不是对象 (not an object)" in root  # a string, listed as damaged


@pytest.mark.parametrize(
    ("manifest", "index", "damage"),
    [
        ('{"reports": 5}', False, "manifest.json 「ok」的类型不对 ('ok' of the wrong type)"),
        ('{"ok": "1", "failed": 0, "generated": "x"}', True, "manifest.json 「ok」的类型不对"),
        ('{"ok": 1, "failed": 0, "generated": 5}', True, "「generated」的类型不对"),
        ("[1, 2]", True, "manifest.json 不是对象 (not an object)"),
        ("{not json", False, "manifest.json 无法读取 (unreadable)"),
        ('{"ok": 1, "failed": 0, "generated": "2013-01-05"}', False, "没有 index.html"),
        (None, True, "没有 manifest.json (none)"),
    ],
)
def test_the_top_index_links_only_to_whole_periods(tmp_path, capsys, manifest, index, damage):
    """The tester's C14: a wrong-typed manifest.json in another period folder was accepted
    silently and the top index linked to a 2012H1/index.html that was not there. A period is
    linked only when its index.html is there; a damaged one is listed as damaged, with what to
    do, and ``kpibook index`` says so."""
    out = tmp_path / "out"
    assert main(["run", "--data", str(small(tmp_path / "d")), "--out", str(out)]) == 0
    other = out / "2012H1"
    other.mkdir()
    if manifest is not None:
        (other / "manifest.json").write_text(manifest, encoding="utf-8")
    if index:
        (other / "index.html").write_text("<p>old</p>", encoding="utf-8")
    capsys.readouterr()

    assert main(["index", "--out", str(out)]) == 0

    err = capsys.readouterr().err
    assert f"警告 (warning): {other}：已损坏（" in err and damage in err
    assert f"请重新运行该期间（kpibook run --period 2012H1 --out {out}），或移走这个文件夹" in err
    page = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in page.find_all("a")]
    assert "2013H1/index.html" in links
    assert ("2012H1/index.html" in links) == index  # never a link to a missing page
    row = next(tr for tr in page.find_all("tr") if "2012年上半年" in tr.get_text())
    assert "已损坏（damaged）" in row.get_text() and damage in row.get_text()
    good = next(tr for tr in page.find_all("tr") if "2013年上半年" in tr.get_text())
    assert "已损坏" not in good.get_text()


# ---------------------------------------------------------------------- the cache


def test_cache_dir_option_and_entries_of_another_user(tmp_path, capsys):
    data = small(tmp_path / "d")
    where = tmp_path / "elsewhere-cache"
    assert main(["check", "--data", str(data), "--cache-dir", str(where)]) == 0
    capsys.readouterr()
    load_dataset(data)
    assert os.environ["KPIBOOK_CACHE"] == str(where)
    assert list((where / "datasets").glob("*.pickle"))
    cache.write("datasets", "theirs.pickle", b"not ours")
    assert cache.read("datasets", "theirs.pickle") == b"not ours"
    if os.getuid() != 0:
        pytest.skip("only root can give a file to another user")
    os.chown(where / "datasets" / "theirs.pickle", 4242, 4242)
    assert cache.read("datasets", "theirs.pickle") is None  # another user's pickle: never loaded


# ---------------------------------------------------------------------- odd names and folders


def test_braces_in_an_org_name_and_in_out_are_text(tmp_path):
    data = small(
        tmp_path / "d",
        targets=TARGETS + "{x}镇,tax,2013,10,\n",
        actuals=ACTUALS + "{x}镇,tax,2013H1,5,,,,\n",
    )
    out = tmp_path / "o{u}t"
    result = kpibook("run", "--data", str(data), "--out", str(out), "--to", "html,ipynb")
    assert result.returncode == 0, result.stderr
    assert "{x}镇" in (out / "2013H1" / "{x}镇.html").read_text(encoding="utf-8")
    assert (out / "2013H1" / "{x}镇.ipynb").is_file()


def test_an_out_that_cannot_be_written_is_refused_before_any_report(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    data = small(tmp_path / "d")
    for out in (blocker / "out", blocker / "out" / "deeper"):
        code = main(["run", "--data", str(data), "--out", str(out), "--to", "html"])
        assert code == 2
        assert capsys.readouterr().err.splitlines()[-1] == (
            f"错误 (error): {blocker}：已存在，但不是文件夹；kpibook 要在这里写报告，请把这个文件"
            "移走或改名后重试 (exists but is not a folder: kpibook writes the reports there; move "
            "or rename the file and try again)"
        )
        assert blocker.read_text() == "not a folder"


def test_a_report_whose_process_dies_leaves_a_failed_page(tmp_path):
    import nbformat

    notebook = tmp_path / "dies.ipynb"
    cells = [nbformat.v4.new_code_cell("org = ''", metadata={"tags": ["parameters"]})]
    cells.append(nbformat.v4.new_code_cell("import os\nos._exit(3)"))
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata=kernel), notebook)
    data = small(tmp_path / "d")
    out = tmp_path / "out"
    [job] = plan_jobs(load_dataset(data), "2013H1", out=out, formats=("html",), orgs=["甲镇"])
    [record] = run_jobs([Job(**{**job.__dict__, "source": str(notebook)})], workers=1)
    assert record["error"] == (
        "报告进程意外退出 (the report's process died): "
        "the child exited with code 3 before reporting"
    )
    page = (out / "2013H1" / "failed" / "甲镇.html").read_text(encoding="utf-8")
    assert "原因 (cause): 报告进程意外退出" in page
    assert not list((out / "2013H1" / ".kpibook" / "tmp").iterdir())


def test_a_notebook_that_cannot_be_loaded_leaves_a_failed_page(tmp_path):
    data = small(tmp_path / "d")
    out = tmp_path / "out"
    [job] = plan_jobs(load_dataset(data), "2013H1", out=out, formats=("html",), orgs=["甲镇"])
    missing = tmp_path / "no-such.ipynb"
    [record] = run_jobs([Job(**{**job.__dict__, "source": str(missing)})], workers=1)
    assert record["status"] == "failed" and record["error"].startswith("FileNotFoundError")
    assert record["files"] == ["failed/甲镇.html"]
    page = (out / "2013H1" / "failed" / "甲镇.html").read_text(encoding="utf-8")
    assert page.index(
        "原因 (cause): 生成或写入报告时出错 (error while making or writing the report): "
        "FileNotFoundError"
    ) < page.index("Traceback")


# ---------------------------------------------------------------------- scratch of dead runs


def test_a_run_removes_the_scratch_files_a_killed_run_left(tmp_path):
    """What SIGKILL leaves (R02): the scratch folder of a report being made, a stray file in
    it, and the lock file, no longer held since the kernel dropped it with the process."""
    data = small(tmp_path / "d")
    out = tmp_path / "out"
    scratch = out / "2013H1" / ".kpibook" / "tmp"
    (scratch / "甲镇.n89lpfwk").mkdir(parents=True)
    (scratch / "甲镇.n89lpfwk" / "甲镇.ipynb").write_text("{}", encoding="utf-8")
    (scratch / "乙镇.zl5v5vym").write_bytes(b"half")
    (scratch.parent / "run.lock").touch()
    result = kpibook("run", "--data", str(data), "--out", str(out), "--to", "html")
    assert result.returncode == 0, result.stderr
    assert not list(scratch.iterdir())
    [line] = [line for line in result.stderr.splitlines() if "临时文件" in line]
    assert STAMP.match(line)
    folder = (out / "2013H1").resolve()
    assert line.endswith(
        f"已清除以前被终止的运行在 {folder} 留下的 2 个临时文件"
        f" (removed 2 scratch files that killed runs left in {folder})"
    )
    again = kpibook("run", "--data", str(data), "--out", str(out), "--to", "html")
    assert again.returncode == 0 and "临时文件" not in again.stderr  # nothing left to say


def test_scratch_of_a_run_still_alive_is_never_touched(tmp_path):
    """A live run (here another process, as a second shard would be) holds the period's lock
    shared for as long as it lives: a run starting meanwhile cannot take it exclusive, so it
    leaves every scratch file alone, and runs its own reports beside the live one."""
    data = small(tmp_path / "d")
    out = tmp_path / "out"
    folder = out / "2013H1"
    scratch = folder / ".kpibook" / "tmp"
    (scratch / "乙镇.abcdefgh").mkdir(parents=True)
    (scratch / "乙镇.abcdefgh" / "乙镇.ipynb").write_text("{}", encoding="utf-8")
    with holding_the_lock(folder):
        data_set = load_dataset(data)
        jobs = plan_jobs(data_set, "2013H1", out=out, formats=("html",), orgs=["甲镇"])
        swept: list[int] = []
        [record] = run_jobs(jobs, workers=1, timeout=300, on_swept=lambda f, n: swept.append(n))
        assert record["status"] == "ok" and swept == []
        assert [p.name for p in scratch.iterdir()] == ["乙镇.abcdefgh"]
        assert (scratch / "乙镇.abcdefgh" / "乙镇.ipynb").read_text(encoding="utf-8") == "{}"
    # the live run has ended: the next run may (and does) clear what it left
    [record] = run_jobs(
        jobs, workers=1, timeout=300, force=True, on_swept=lambda f, n: swept.append(n)
    )
    assert swept == [1] and not list(scratch.iterdir())


@contextlib.contextmanager
def holding_the_lock(folder: Path) -> Iterator[None]:
    """Another process holds ``folder``'s run lock (shared, as a live run or report does)
    for as long as the block runs."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pathlib\n"
            "from helpers.output.records import folder_lock\n"
            "with folder_lock(pathlib.Path(sys.argv[1])):\n"
            "    print('held', flush=True)\n"
            "    sys.stdin.read()\n",
            str(folder),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        yield
    finally:
        holder.communicate("", timeout=60)


def leftovers(out: Path) -> list[str]:
    """What a dead run may leave: scratch entries and kpibook's temporaries, anywhere."""
    return sorted(
        str(p.relative_to(out))
        for p in out.rglob("*")
        if is_staging(p.name) or p.parent.name == "tmp" and p.parent.parent.name == ".kpibook"
    )


def staged(folder: Path, name: str, *, old: bool = False) -> Path:
    """A temporary as kpibook's atomic writes name it (``.<name>.XXXXXXXX.tmp``), half written."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    os.write(fd, b"half")
    os.close(fd)
    if old:
        os.rename(tmp, f"{tmp}.old")
        return Path(f"{tmp}.old")
    return Path(tmp)


def wait_until_unlocked(folder: Path, seconds: float = 60) -> None:
    """Until no process holds the folder's run lock (a killed run's children die with it)."""
    import fcntl

    deadline = time.monotonic() + seconds
    with open(folder / ".kpibook" / "run.lock", "rb") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                assert time.monotonic() < deadline, "the killed run's processes are still alive"
                time.sleep(0.1)
            else:
                fcntl.flock(handle, fcntl.LOCK_UN)
                return


def test_a_sigkilled_run_leaves_nothing_that_the_next_run_keeps(tmp_path):
    """R02 with a real kill: the CLI is SIGKILLed (its whole process group) while a report is
    being made. What it left stays out of the index; the next run removes it all (the
    scratch folder, kpibook's half-written temporaries beside reports, in failed/, among the
    records and beside the root index), keeps every file that is not kpibook's own, says
    how many it removed, and makes every report whole."""
    data = small(tmp_path / "d", orgs=ORGS.replace("丙镇,丙镇,示范区\n", ""))
    out = tmp_path / "out"
    args = ["run", "--data", str(data), "--out", str(out), "--to", "html,pdf", "--workers", "1"]
    assert kpibook(*args).returncode == 0
    folder = out / "2013H1"
    good = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [r["status"] for r in good["reports"]] == ["ok"] * 3

    killed = subprocess.Popen(
        [str(KPIBOOK), *args, "--force"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    scratch = wait_until_mid_report(folder)
    os.killpg(killed.pid, signal.SIGKILL)
    assert killed.wait(timeout=60) == -signal.SIGKILL
    wait_until_unlocked(folder)
    wait_until_unlocked(out)
    assert list(scratch.iterdir()), "the kill left no scratch folder: it came too late"
    # what a kill in the middle of a write leaves (the moment cannot be hit reliably)
    planted = [
        staged(folder, "甲镇.html"),
        staged(folder, "甲镇.pdf", old=True),
        staged(folder / "failed", "乙镇.html"),
        staged(folder / ".kpibook", "甲镇.json"),
        staged(out, "index.html"),
    ]
    theirs = [folder / "甲镇.tmp", folder / ".notes.tmp", out / ".backup.ABCDEFGH.tmp"]
    for path in theirs:
        path.write_text("not kpibook's", encoding="utf-8")
    left = leftovers(out)
    assert len(left) >= len(planted) + 1

    # kpibook index ignores them: no warning, no row, nothing removed
    index = kpibook("index", "--out", str(out), "--period", "2013H1")
    assert index.returncode == 0 and "警告" not in index.stderr, index.stderr
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(r["stem"] for r in manifest["reports"]) == ["district", "乙镇", "甲镇"]
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert ".tmp" not in page and "n89" not in page
    assert leftovers(out) == left

    again = kpibook(*args)
    assert again.returncode == 0, again.stderr
    assert leftovers(out) == []
    assert all(path.read_text(encoding="utf-8") == "not kpibook's" for path in theirs)
    lines = [line for line in again.stderr.splitlines() if "临时文件" in line]
    removed = [int(re.search(r"留下的 (\d+) 个临时文件", line)[1]) for line in lines]
    assert sum(removed) == len(left) and all(STAMP.match(line) for line in lines), lines
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [(r["stem"], r["status"]) for r in manifest["reports"]] == [
        ("district", "ok"),
        ("乙镇", "ok"),
        ("甲镇", "ok"),
    ]
    for stem in ("甲镇", "乙镇"):
        assert (folder / f"{stem}.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
        assert (folder / f"{stem}.pdf").read_bytes().rstrip().endswith(b"%%EOF")
    assert not list((folder / "failed").glob("*"))


def test_a_live_run_keeps_its_temporaries_and_index_never_sweeps(tmp_path):
    """While another process holds the period's lock (a live run or report), neither a new
    run nor ``kpibook index`` removes the temporaries beside the reports: they may be that
    run's files half written. Once it has ended, the next run removes them."""
    data = small(tmp_path / "d")
    out = tmp_path / "out"
    folder = out / "2013H1"
    planted = [staged(folder, "甲镇.html"), staged(folder / "failed", "乙镇.ipynb")]
    with holding_the_lock(folder):
        live = kpibook("run", "--data", str(data), "--out", str(out), "--to", "html")
        assert live.returncode == 0 and "临时文件" not in live.stderr, live.stderr
        assert main(["index", "--out", str(out)]) == 0
        assert all(path.read_bytes() == b"half" for path in planted)
    after = kpibook("run", "--data", str(data), "--out", str(out), "--to", "html")
    assert after.returncode == 0, after.stderr
    assert f"在 {folder.resolve()} 留下的 2 个临时文件" in after.stderr
    assert not any(path.exists() for path in planted) and leftovers(out) == []


def test_every_temporary_name_kpibook_writes_is_known_as_its_own(tmp_path, monkeypatch):
    """The sweep's one rule for kpibook's temporaries matches what the atomic writes make,
    and nothing a user would name a file."""
    from helpers.base.files import write_together

    for name in ("甲镇.html", "manifest.json", "x.en.docx", "{x}镇.ipynb", "a" * 150 + ".pdf"):
        assert is_staging(staged(tmp_path, name).name)
        assert is_staging(staged(tmp_path, name, old=True).name)
    for name in (
        "甲镇.tmp",
        ".tmp",
        ".notes.tmp",
        ".x.ABCDEFGH.tmp",
        ".x.abcdefg.tmp",
        "x.tmp.old",
    ):
        assert not is_staging(name), name
    target = tmp_path / "t" / "甲镇.html"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    seen: list[str] = []
    real = os.replace

    def spy(src, dst):  # every temporary write_together moves is one the sweep knows
        seen.append(Path(src).name)
        return real(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    write_together({target: "new", target.with_suffix(".pdf"): b"%PDF"})
    monkeypatch.undo()
    assert len(seen) == 2 and all(is_staging(name) for name in seen), seen
    assert target.read_text(encoding="utf-8") == "new"


def test_an_org_name_longer_than_a_file_name_may_be_is_reported(tmp_path):
    """A name of 300 bytes (100 Chinese characters; a file name may have 255): the report is
    made under a short stem with a hash, every format written, the index links it."""
    name = "很长的名字" * 20
    data = small(
        tmp_path / "d",
        targets=TARGETS + f"{name},tax,2013,10,\n",
        actuals=ACTUALS + f"{name},tax,2013H1,5,,,,\n",
    )
    out = tmp_path / "out"
    result = kpibook("run", "--data", str(data), "--out", str(out), "--org", name)
    assert result.returncode == 0, result.stderr
    folder = out / "2013H1"
    [html] = [p for p in folder.glob("*.html") if p.name != "index.html"]
    assert len(html.name.encode("utf-8")) <= 255 and html.name.startswith("很长的名字")
    for ext in ("pdf", "docx", "xlsx", "ipynb"):
        assert html.with_suffix(f".{ext}").is_file()
    assert name in html.read_text(encoding="utf-8")
    [record] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["reports"]
    assert record["org"] == name and record["status"] == "ok"


def test_a_run_goes_on_past_corrupt_records_and_manifests(tmp_path):
    """A record of the report about to be made that is not JSON, one of the wrong type, and
    another period's manifest that is a list: the run makes its reports (the bad record is
    replaced, never trusted for a skip), warns of nothing it does not use, and the root index
    still lists both periods."""
    data = small(tmp_path / "d")
    out = tmp_path / "out"
    meta = out / "2013H1" / ".kpibook"
    meta.mkdir(parents=True)
    (meta / "甲镇.json").write_text("{half", encoding="utf-8")
    (meta / "乙镇.json").write_text(json.dumps({"org": "乙镇", "status": 1}), encoding="utf-8")
    (out / "2012H1" / ".kpibook").mkdir(parents=True)
    (out / "2012H1" / "manifest.json").write_text("[1, 2]", encoding="utf-8")
    result = kpibook("run", "--data", str(data), "--out", str(out), "--to", "html")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    manifest = json.loads((out / "2013H1" / "manifest.json").read_text(encoding="utf-8"))
    assert [(r["stem"], r["status"]) for r in manifest["reports"]] == [
        ("district", "ok"),
        ("乙镇", "ok"),
        ("甲镇", "ok"),
    ]
    root = (out / "index.html").read_text(encoding="utf-8")
    assert "2013年上半年" in root and "manifest.json 不是对象 (not an object)" in root
    assert 'href="2012H1/index.html"' not in root  # damaged: listed, not linked
    assert main(["index", "--out", str(out)]) == 0


# ---------------------------------------------------------------------- signals at any moment


def start_run(tmp_path: Path) -> tuple[subprocess.Popen, Path, Path]:
    """A three-town run in its own session (as a terminal's job is), default dispositions;
    its stderr goes to a file, read while it runs."""
    out = tmp_path / "out"
    log = tmp_path / "stderr.txt"
    with open(log, "w", encoding="utf-8") as err:
        run = subprocess.Popen(
            [
                str(KPIBOOK),
                "run",
                "--data",
                str(small(tmp_path / "d", orgs=ORGS)),
                "--out",
                str(out),
                "--workers",
                "2",
            ],
            stderr=err,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    return run, out / "2013H1" / ".kpibook" / "tmp", log


def wait_for(moment: str, run: subprocess.Popen, scratch: Path, log: Path) -> None:
    """Until the run reaches ``moment``: its header logged (it reads and ranks the data),
    its forkserver warming up (the tester's D02: its preload draws a chart for seconds), or
    a report's scratch folder made."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and run.poll() is None:
        if moment == "header" and " run: data=" in log.read_text(encoding="utf-8"):
            return
        if moment == "warm-up" and forkserver_of(run.pid):
            time.sleep(0.3)  # inside its preload: importing, drawing, cutting fonts
            return
        if moment == "report" and scratch.is_dir() and any(scratch.iterdir()):
            return
        time.sleep(0.02)
    raise AssertionError(f"the run never reached {moment}")


STOPPED = {
    signal.SIGINT: (130, "已中断 (interrupted)"),
    signal.SIGTERM: (143, "已终止 (terminated by SIGTERM)"),
}


@pytest.mark.parametrize(
    ("sig", "to", "moment"),
    [
        (signal.SIGINT, "group", "header"),
        (signal.SIGTERM, "pid", "header"),
        (signal.SIGINT, "group", "warm-up"),  # the tester's D02: Ctrl-C 4 s in
        (signal.SIGTERM, "group", "warm-up"),
        (signal.SIGTERM, "pid", "warm-up"),  # the tester's D16: cron/Kubernetes stop the pid
        (signal.SIGTERM, "pid", "report"),
        (signal.SIGINT, "pid", "report"),
    ],
)
def test_a_stop_signal_at_any_moment_exits_cleanly_and_leaves_nothing(tmp_path, sig, to, moment):
    """Ctrl-C (SIGINT to the process group) or SIGTERM (to the group, or to the main process
    only, as a scheduler sends it), during the forkserver's warm-up or while reports are being
    made: exit 130/143 with the one message, never a traceback; the run stops its report
    processes and waits for them, so no scratch file is there at the exit, nor 3 s later,
    and no process of the run is left."""
    run, scratch, log = start_run(tmp_path)
    wait_for(moment, run, scratch, log)
    family = descendants(run.pid)
    if to == "group":
        os.killpg(run.pid, sig)
    else:
        os.kill(run.pid, sig)
    run.wait(timeout=120)
    err = log.read_text(encoding="utf-8")
    status, what = STOPPED[sig]
    assert run.returncode == status, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert err.splitlines()[-1].endswith(
        f"{what}: 已完成的报告保留，未完成的没有写入 (finished reports kept, unfinished none)"
    )
    leftover = lambda: sorted(p.name for p in scratch.iterdir()) if scratch.is_dir() else []  # noqa: E731
    assert leftover() == []
    time.sleep(3)
    assert leftover() == []  # no report process wrote after the exit
    assert not [pid for pid in family | descendants(run.pid) if running(pid)]
    period = scratch.parent.parent  # not there when stopped before any report
    made = list(period.iterdir()) if period.is_dir() else []
    assert not [p for p in made if is_staging(p.name)]
    # the next run is not held back by anything the stopped one left
    again = kpibook("run", "--data", str(tmp_path / "d"), "--out", str(period.parent))
    assert again.returncode in (0, 3), again.stderr
