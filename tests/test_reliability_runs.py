"""Issue 14, a job you can diagnose: 未报送, the first problem in the log and index, a
failed/<org>.html for every failure, one generation of a report's files, timestamps and a
run header, SIGTERM, an index that survives bad records and stray folders, the cache."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers.base import cache
from helpers.cli import main
from helpers.data.dataset import load_dataset
from helpers.run.batch import Job, first_line, plan_jobs, run_jobs
from tests.tables import ACTUALS, INDICATORS, TARGETS, write_tables

KPIBOOK = Path(sys.executable).parent / "kpibook"
STAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d ")
ORGS = "org,name,parent\n甲镇,甲镇,示范区\n乙镇,乙镇,示范区\n丙镇,丙镇,示范区\n"


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KPIBOOK_CACHE", str(tmp_path / "cache"))


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
    text = "/d: 1 个问题 (problems):\n  - actuals.csv 第13行 列「value」 值「84x8」: 不是数字 (not a number)"
    assert first_line(text) == (
        "/d: 1 个问题 (problems): actuals.csv 第13行 列「value」 值「84x8」: 不是数字 (not a number)"
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
    assert "actuals.csv 第2行 列「value」 值「84x8」: 不是数字 (not a number)" in record["error"]
    page = (out / "2013H1" / "failed" / "甲镇.html").read_text(encoding="utf-8")
    assert page.index("报告生成失败") < page.index("84x8")  # the cause first
    main(["index", "--out", str(out), "--period", "2013H1"])
    index = (out / "2013H1" / "index.html").read_text(encoding="utf-8")
    assert "值「84x8」: 不是数字 (not a number)" in index


def test_a_timeout_leaves_a_failed_page_and_no_scratch_files(tmp_path):
    data = small(tmp_path / "d")
    out = tmp_path / "out"
    jobs = plan_jobs(load_dataset(data), "2013H1", out=out, formats=("html",), orgs=["甲镇"])
    [record] = run_jobs(jobs, workers=1, timeout=0.2)
    assert record["error"] == "超时:0.2 秒内未完成,已终止 (timed out after 0.2 s)"
    assert record["files"] == ["failed/甲镇.html"]
    page = (out / "2013H1" / "failed" / "甲镇.html").read_text(encoding="utf-8")
    assert "原因 (cause): 超时:0.2 秒内未完成" in page
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
    assert "原因 (cause): IsADirectoryError" in page and "Traceback" in page


def test_sigterm_is_handled_like_ctrl_c(tmp_path):
    out = tmp_path / "out"
    run = subprocess.Popen(
        [str(KPIBOOK), "run", "--data", str(small(tmp_path / "d")), "--out", str(out)],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    scratch = out / "2013H1" / ".kpibook" / "tmp"
    deadline = time.monotonic() + 120
    while not (scratch.is_dir() and any(scratch.iterdir())) and time.monotonic() < deadline:
        time.sleep(0.05)  # until a report is being made
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 143
    assert STAMP.match(err.splitlines()[-1])
    assert err.splitlines()[-1].endswith(
        "已终止 (terminated by SIGTERM): 已完成的报告保留,未完成的没有写入 "
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
        f"{records / 'list.json'}: 记录文件无法读取,已跳过 (unreadable record skipped: not an object but list)"
        in err
    )
    assert "typed.json: 记录文件无法读取,已跳过 (unreadable record skipped: org is int)" in err
    assert (
        "broken.json: 记录文件无法读取,已跳过 (unreadable record skipped: JSONDecodeError)" in err
    )
    assert snapshot(stray) == before  # nothing written into the copy
    manifest = json.loads((out / "2013H1" / "manifest.json").read_text(encoding="utf-8"))
    assert [r["org"] for r in manifest["reports"]] == ["甲镇"]
    root = (out / "index.html").read_text(encoding="utf-8")
    assert "manifest.json 无法读取 (unreadable)" in root


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
    code = main(["run", "--data", str(data), "--out", str(blocker / "out"), "--to", "html"])
    assert code == 2
    assert (
        f"错误 (error): 无法写入输出文件夹 {blocker / 'out'} (cannot write to --out: Not a directory)"
        in capsys.readouterr().err
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
    assert page.index("原因 (cause): FileNotFoundError") < page.index("Traceback")


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
    assert line.endswith(
        f"已清除以前中断的运行留下的 2 个临时文件（{scratch}）"
        " (removed 2 scratch files left by runs that were killed)"
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
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, pathlib\n"
            "from helpers.run.batch import period_lock\n"
            "with period_lock(pathlib.Path(sys.argv[1])):\n"
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
        data_set = load_dataset(data)
        jobs = plan_jobs(data_set, "2013H1", out=out, formats=("html",), orgs=["甲镇"])
        swept: list[int] = []
        [record] = run_jobs(jobs, workers=1, timeout=300, on_swept=lambda f, n: swept.append(n))
        assert record["status"] == "ok" and swept == []
        assert [p.name for p in scratch.iterdir()] == ["乙镇.abcdefgh"]
        assert (scratch / "乙镇.abcdefgh" / "乙镇.ipynb").read_text(encoding="utf-8") == "{}"
    finally:
        holder.communicate("", timeout=60)
    # the live run has ended: the next run may (and does) clear what it left
    [record] = run_jobs(
        jobs, workers=1, timeout=300, force=True, on_swept=lambda f, n: swept.append(n)
    )
    assert swept == [1] and not list(scratch.iterdir())
