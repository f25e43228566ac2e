"""The kpibook command as a user types it (console script in the venv, real files)."""

import csv
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers.cli import build_parser, main
from helpers.data.dataset import load_dataset
from tests.tables import ACTUALS, SAMPLE, write_tables

KPIBOOK = Path(sys.executable).parent / "kpibook"


def run_cli(*args, cwd=None):
    return subprocess.run(
        [str(KPIBOOK), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_check_clean_sample_prints_a_summary():
    result = run_cli("check", "--data", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert "1 个乡镇" in result.stdout and "2013H1" in result.stdout


def test_check_lists_every_problem_and_exits_2(tmp_path, small_tables):
    bad = dict(small_tables)
    bad["actuals"] = ACTUALS + "甲镇,tax,2013H3,84x8,,,,\n甲镇,foo,2013H1,1,,,,\n"
    folder = write_tables(tmp_path / "bad", bad)
    result = run_cli("check", "--data", str(folder))
    assert result.returncode == 2
    err = result.stderr
    assert "actuals.csv 第13行 列「period」 值「2013H3」" in err
    assert "actuals.csv 第13行 列「value」 值「84x8」" in err
    assert "actuals.csv 第14行 列「indicator」 值「foo」" in err
    assert "3 个错误" in err


def test_template_fill_check_round_trip(tmp_path):
    """kpibook template → fill in with the sample → kpibook check."""
    path = tmp_path / "模板.xlsx"
    assert main(["template", str(path)]) == 0
    assert main(["template", str(path)]) == 2  # never overwrites silently
    book = load_workbook(path)
    assert book.sheetnames[0] == "说明"
    names = {
        "指标": "indicators",
        "目标": "targets",
        "完成": "actuals",
        "项目": "projects",
        "文字": "notes",
        "乡镇": "orgs",
    }
    for sheet, table in names.items():
        ws = book[sheet]
        header = [c.value for c in ws[1]]
        with open(SAMPLE / f"{table}.csv", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        from helpers.data.schema import TABLES

        aliases = TABLES[table].aliases()
        for row in rows:
            ws.append([row.get(aliases.get(h, h), "") for h in header])
    book.save(path)
    result = run_cli("check", "--data", str(path))
    assert result.returncode == 0, result.stderr
    ds = load_dataset(path)
    assert ds.actuals.query("indicator == 'tax' and period == '2013H1'")["value"].item() == 848


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("run", "--to", "rtf").returncode == 2
    result = run_cli("run", "--org", "无此镇", "--out", str(tmp_path))
    assert result.returncode == 2 and "无此镇" in result.stderr
    result = run_cli("run", "--shard", "3/2", "--out", str(tmp_path))
    assert result.returncode == 2 and "shard" in result.stderr
    assert not any(tmp_path.iterdir())  # nothing written


@pytest.mark.parametrize(
    "option",
    [
        ["--timeout", "nan"],
        ["--timeout", "-inf"],
        ["--workers", "0"],
        ["--decimals", "7"],
        ["--shard", "0/3"],
        ["--shard", "3/2"],
        ["--today", "2026-02-30"],
        ["--period", "上半年"],
        ["--period", "0999H1"],
        ["--org", ""],
    ],
)
def test_the_real_cli_refuses_a_bad_value_before_writing_anything(tmp_path, option):
    """The installed command, as a scheduled job calls it: exit 2, the one message (option
    and value, Chinese first), no traceback, and neither --out nor the working folder made."""
    out = tmp_path / "out"
    result = run_cli("run", "--out", str(out), *option, cwd=tmp_path)
    assert result.returncode == 2
    line = result.stderr.splitlines()[-1]
    assert line.startswith(f"kpibook run: 错误 (error): {option[0]} 的值「{option[1]}」不对：")
    assert line.endswith(f"got {option[1]!r})") and "Traceback" not in result.stderr
    assert not any(tmp_path.iterdir()) and result.stdout == ""


def test_index_of_a_period_that_is_not_there_writes_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    (out / "2013H1" / ".kpibook").mkdir(parents=True)
    (out / "2013H1.bak").mkdir()
    before = sorted(out.rglob("*"))
    assert main(["index", "--out", str(out), "--period", "2031H1"]) == 2
    assert capsys.readouterr().err == (
        f"错误 (error): --period 的值「2031H1」不对：{out} 中没有这个期间的报告；有：2013H1 "
        f"(--period: no reports of that period in {out}; there are: 2013H1, got '2031H1')\n"
    )
    assert sorted(out.rglob("*")) == before


OPTION_ERRORS = [  # (arguments, the whole message after "kpibook <cmd>: 错误 (error): ")
    (
        ["run", "--workers", "0"],
        "--workers 的值「0」不对：应为至少 1 的整数 (--workers: an integer of at least 1, got '0')",
    ),
    (
        ["run", "--timeout", "-1"],
        "--timeout 的值「-1」不对：应为大于 0 的秒数（有限的数） "
        "(--timeout: a finite number of seconds above 0, got '-1')",
    ),
    (
        ["run", "--timeout", "0"],
        "--timeout 的值「0」不对：应为大于 0 的秒数（有限的数） "
        "(--timeout: a finite number of seconds above 0, got '0')",
    ),
    (
        ["run", "--timeout", "nan"],
        "--timeout 的值「nan」不对：应为大于 0 的秒数（有限的数） "
        "(--timeout: a finite number of seconds above 0, got 'nan')",
    ),
    (
        ["run", "--timeout", "inf"],
        "--timeout 的值「inf」不对：应为大于 0 的秒数（有限的数） "
        "(--timeout: a finite number of seconds above 0, got 'inf')",
    ),
    (
        ["run", "--today", "2013-02-30"],
        "--today 的值「2013-02-30」不对：应为存在的日期，格式 YYYY-MM-DD（如 2013-07-01） "
        "(--today: not a date (YYYY-MM-DD), got '2013-02-30')",
    ),
    (
        ["run", "--shard", "3/2"],
        "--shard 的值「3/2」不对：应为 K/N，且 1 ≤ K ≤ N（如 1/4） "
        "(--shard: K/N with 1 <= K <= N, e.g. 1/4, got '3/2')",
    ),
    (
        ["run", "--decimals", "1.5"],
        "--decimals 的值「1.5」不对：应为 0 到 6 的整数 (--decimals: an integer from 0 to 6, got '1.5')",
    ),
    (
        ["run", "--to", "rtf"],
        "--to 的值「rtf」不对：应为 html、pdf、docx、ipynb 中的一种或几种，以英文逗号分隔 "
        "(--to: one or more of html,pdf,docx,ipynb, separated by commas, got 'rtf')",
    ),
    (
        ["run", "--period", "../../esc"],
        "--period 的值「../../esc」不对：应为 2013、2013H1、2013Q2 或 2013-06 这样的期间 "
        "(--period: a period such as 2013, 2013H1, 2013Q2 or 2013-06, got '../../esc')",
    ),
    (
        ["index", "--period", "2013H3"],
        "--period 的值「2013H3」不对：应为 2013、2013H1、2013Q2 或 2013-06 这样的期间 "
        "(--period: a period such as 2013, 2013H1, 2013Q2 or 2013-06, got '2013H3')",
    ),
    (
        ["import", "a.xlsx", "--period", "2013H3"],
        "--period 的值「2013H3」不对：应为 2013、2013H1、2013Q2 或 2013-06 这样的期间 "
        "(--period: a period such as 2013, 2013H1, 2013Q2 or 2013-06, got '2013H3')",
    ),
    (
        ["run", "--workers"],
        "--workers 后面缺少值 (--workers: expected a value)",
    ),
    (
        ["check", "--bogus"],
        "无法识别的参数「--bogus」；可用的参数见 --help (unrecognized arguments: --bogus; see --help)",
    ),
    (
        ["template", "--force=yes", "x.xlsx"],
        "--force 不带值，却给了「yes」 (--force takes no value, got 'yes')",
    ),
    (
        ["import"],
        "缺少必需的参数 FILE (the following arguments are required: FILE)",
    ),
]


PERIOD = (
    "应为 2013、2013H1、2013Q2 或 2013-06 这样的期间",
    "a period such as 2013, 2013H1, 2013Q2 or 2013-06",
)
TIMEOUT = ("应为大于 0 的秒数（有限的数）", "a finite number of seconds above 0")
SHARD = ("应为 K/N，且 1 ≤ K ≤ N（如 1/4）", "K/N with 1 <= K <= N, e.g. 1/4")
TODAY = ("应为存在的日期，格式 YYYY-MM-DD（如 2013-07-01）", "not a date (YYYY-MM-DD)")
EMPTY = ("不能为空", "must not be empty")
BAD_VALUES = (  # (arguments, option, the value as given, (Chinese, English))
    [(["run", "--timeout", v], "--timeout", v, TIMEOUT) for v in ("-inf", "1e400", "", "NaN", "-0")]
    + [
        (["run", "--workers", v], "--workers", v, ("应为至少 1 的整数", "an integer of at least 1"))
        for v in ("-3", "1.5", "two", "", "-0")
    ]
    + [
        (
            ["run", "--decimals", v],
            "--decimals",
            v,
            ("应为 0 到 6 的整数", "an integer from 0 to 6"),
        )
        for v in ("7", "-1", "", "2.0")
    ]
    + [
        (["run", "--shard", v], "--shard", v, SHARD)
        for v in ("0/3", "1/0", "-1/3", "2", "1/2/3", "a/b", "/", "4/3", "-2/-1")
    ]
    + [
        (["run", "--today", v], "--today", v, TODAY)
        for v in ("2026-02-30", "2026-13-01", "2026/07/01", "yesterday", "")
    ]
    + [
        (  # the tester's C06: 0001-01-01 once said 「值「0H2」: 期间格式不对」
            ["run", "--today", v],
            "--today",
            v,
            ("应为 1000-07-01 或以后的日期", "a date from 1000-07-01 on"),
        )
        for v in ("0999-12-31", "0001-01-01", "1000-06-30")
    ]
    + [
        ([*cmd, "--period", v], "--period", v, PERIOD)
        for cmd in (["run"], ["index"], ["import", "a.xlsx"])
        for v in ("H1", "2013H1x", "", "2013-13", "二〇一三年", "2013H1/../x", "-2013")
    ]
    + [
        (
            [*cmd, "--period", "0999H1"],
            "--period",
            "0999H1",
            ("年份应在 1000 到 9999 之间", "the year must be from 1000 to 9999"),
        )
        for cmd in (["run"], ["index"], ["import", "a.xlsx"])
    ]
    + [
        (argv, option, argv[-1], EMPTY)
        for argv, option in [
            (["run", "--out", ""], "--out"),
            (["run", "--out", "  "], "--out"),
            (["run", "--data", ""], "--data"),
            (["run", "--cache-dir", ""], "--cache-dir"),
            (["run", "--org", "甲镇", ""], "--org"),
            (["index", "--out", ""], "--out"),
            (["check", "--data", " "], "--data"),
            (["check", "--cache-dir", ""], "--cache-dir"),
            (["import", "a.xlsx", "--out", ""], "--out"),
            (["import", "a.xlsx", "--org", ""], "--org"),
            (["import", "a.xlsx", "--sheet", ""], "--sheet"),
            (["import", "a.xlsx", "--map", ""], "--map"),
            (["import", ""], "FILE"),
            (["template", ""], "PATH"),
        ]
    ]
    + [(["index", "--out", "no-such"], "--out", "no-such", ("没有这个文件夹", "no such folder"))]
)
OPTION_ERRORS += [
    (argv, f"{option} 的值「{value}」不对：{zh} ({option}: {en}, got {value!r})")
    for argv, option, value, (zh, en) in BAD_VALUES
]
OPTION_ERRORS.append(  # an option where a value was due: the value is missing, not "--workers"
    (["run", "--timeout", "--workers", "2"], "--timeout 后面缺少值 (--timeout: expected a value)")
)


@pytest.mark.parametrize(("argv", "message"), OPTION_ERRORS)
def test_every_option_error_is_chinese_first_and_names_option_and_value(
    argv, message, capsys, tmp_path, monkeypatch
):
    """Refused by argparse before anything runs: exit 2, nothing written, the message in
    kpibook's form (Chinese with full-width punctuation first, then the English)."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.endswith(f": 错误 (error): {message}\n"), err
    assert err.splitlines()[-1].startswith("kpibook")
    chinese = message.split(" (", 1)[0]
    assert not any(c in chinese for c in ",:;") or "YYYY" in chinese
    assert not any(tmp_path.iterdir())


def test_lang_choice_error_lists_the_choices(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["run", "--lang", "fr"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert (
        "kpibook run: 错误 (error): --lang 的值「fr」不对：应为 zh、en 之一 (--lang: invalid choice"
        in err
    )


def test_good_option_values_are_taken_as_given():
    args = build_parser().parse_args(
        ["run", "--workers", "3", "--timeout", "1.5", "--today", "2013-07-01", "--shard", "2/4"]
    )
    assert (args.workers, args.timeout, args.today, args.shard) == (
        3,
        1.5,
        dt.date(2013, 7, 1),
        "2/4",
    )
    assert build_parser().parse_args(["run", "--period", "2013年上半年"]).period == "2013H1"
    args = build_parser().parse_args(
        ["run", "--out", "-reports", "--today", "1000-07-01", "--period", "1000H1"]
    )
    assert (args.out, args.today, args.period) == ("-reports", dt.date(1000, 7, 1), "1000H1")
    args = build_parser().parse_args(["run", "--org", "甲镇", "--timeout=2.5", "--decimals", "0"])
    assert (args.org, args.timeout, args.decimals) == (["甲镇"], 2.5, 0)


def test_run_forked_refuses_a_timeout_that_is_not_a_finite_positive_number():
    from helpers.errors import UsageError
    from helpers.run.workers import run_forked

    for bad in (float("nan"), float("inf"), 0.0, -1.0):
        with pytest.raises(UsageError, match="超时应为大于 0 的有限秒数"):
            list(run_forked([1], abs, workers=1, timeout=bad))


def test_index_of_a_file_names_the_option_and_the_file(tmp_path):
    """The tester's C37: ``kpibook index --out f.txt`` gave a bare "[Errno 17] File exists"."""
    (tmp_path / "f.txt").write_text("x", encoding="utf-8")
    result = run_cli("index", "--out", "f.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "kpibook index: 错误 (error): --out 的值「f.txt」不对：这是一个文件，不是文件夹；请给出报告"
        "所在的文件夹（kpibook run 的 --out） (--out: a file, not a folder: give the folder the "
        "reports are in (run's --out), got 'f.txt')"
    )
    assert "Errno" not in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]
    assert (tmp_path / "f.txt").read_text(encoding="utf-8") == "x"


def test_template_onto_an_existing_file_says_what_to_type(tmp_path):
    """The tester's C38: the refusal named a Python argument (overwrite=True); it says what
    to type (``--force``) or to choose another name, and ``--force`` does replace the file."""
    precious = tmp_path / "exist.xlsx"
    precious.write_bytes(b"PRECIOUS")
    result = run_cli("template", "exist.xlsx", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "错误 (error): 文件已存在，不会覆盖：exist.xlsx；要替换它请加 --force（kpibook template "
        "--force），或换一个文件名 (file exists, not overwritten: exist.xlsx; add --force to "
        "replace it, or choose another name)"
    )
    assert "overwrite=True" not in result.stderr
    assert precious.read_bytes() == b"PRECIOUS"
    forced = run_cli("template", "exist.xlsx", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert load_workbook(precious).sheetnames[0] == "说明"


@pytest.mark.parametrize(
    "blocker", ["2013H1", "2013H1/.kpibook", "2013H1/.kpibook/tmp", ".kpibook"]
)
def test_a_file_where_a_period_folder_goes_is_named(tmp_path, blocker):
    """The tester's C36: out/2013H1 a file gave 「无法写入输出文件夹 out (… Not a directory)」,
    blaming --out: the message names the path in the way and what to do, before any report."""
    out = tmp_path / "out"
    (out / blocker).parent.mkdir(parents=True, exist_ok=True)
    (out / blocker).write_text("x", encoding="utf-8")
    (out / "2014H1.bak").write_text("stray", encoding="utf-8")
    result = run_cli("run", "--period", "2013H1", "--to", "html", "--out", str(out))
    assert result.returncode == 2
    what = "（这一期的输出文件夹）" if blocker == "2013H1" else ""
    assert result.stderr.splitlines()[-1] == (
        f"错误 (error): {out / blocker}：已存在，但不是文件夹{what}；kpibook 要在这里写报告，"
        "请把这个文件移走或改名后重试 (exists but is not a folder: kpibook writes the reports "
        "there; move or rename the file and try again)"
    )
    assert "Not a directory" not in result.stderr and "[1/" not in result.stderr
    assert (out / blocker).read_text(encoding="utf-8") == "x"
