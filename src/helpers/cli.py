"""The ``kpibook`` command: run, index, check, template, import.

Exit status: 0 all reports made, 1 some failed (the others still made) or a file could not be
written (:class:`~helpers.errors.OutputError`, at any step), 2 bad input or usage,
3 all made but some orgs are 未报送 (no figures for the period); 130 interrupted (Ctrl-C),
143 terminated (SIGTERM). A scheduled job needs no arguments: the period defaults to the last
completed half-year.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import math
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from .base.invisible import show_invisible
from .errors import DataErrors, KpibookError, OutputError, UsageError, WorkerError

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNREPORTED = 0, 1, 2, 3
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143


class Terminated(KeyboardInterrupt):
    """SIGTERM (what a scheduler sends to stop a job): handled as Ctrl-C is."""


_STOP_SIGNALS = ("SIGINT", "SIGTERM")


def _on_stop(signum: int, frame: Any) -> None:
    """The first Ctrl-C or SIGTERM stops the run; later ones are ignored while it cleans up
    (stops its report processes, waits for them, removes their scratch files), so a second
    signal never cuts the clean-up short or prints a traceback."""
    import signal

    for name in _STOP_SIGNALS:
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    if signum == signal.SIGTERM:
        raise Terminated()
    raise KeyboardInterrupt()


def _bad_value(option: str, text: str, zh: str, en: str) -> argparse.ArgumentTypeError:
    """The one form of an option's error: the option and the value, Chinese first."""
    return argparse.ArgumentTypeError(
        f"{option} 的值「{text}」不对：{zh} ({option}: {en}, got {text!r})"
    )


#: The first year of a period kpibook writes (its folder name has four digits, ``2013H1``).
_FIRST_YEAR = 1000


def _date(text: str) -> _dt.date:
    """A date on which a half-year of :data:`_FIRST_YEAR` or later has ended (the default
    period is the last one before it)."""
    try:
        date = _dt.date.fromisoformat(text)
    except ValueError:
        raise _bad_value(
            "--today",
            text,
            "应为存在的日期，格式 YYYY-MM-DD（如 2013-07-01）",
            "not a date (YYYY-MM-DD)",
        ) from None
    first = _dt.date(_FIRST_YEAR, 7, 1)
    if date < first:
        raise _bad_value("--today", text, f"应为 {first} 或以后的日期", f"a date from {first} on")
    return date


def _text(option: str) -> Any:
    """A type for an option naming a file, folder, org or sheet: any text but a blank one
    (``--out ""`` from an unset variable in a scheduled job would write into the working
    folder; ``--data ""`` would read the sample)."""

    def check(text: str) -> str:
        if not text.strip():
            raise _bad_value(option, text, "不能为空", "must not be empty")
        return text

    check.__name__ = option
    return check


def _existing_folder(option: str) -> Any:
    """A type for a folder that must be there already (``kpibook index --out``): a typo
    would otherwise make an empty folder with an empty index."""

    def check(text: str) -> str:
        path = Path(_text(option)(text))
        if path.exists() and not path.is_dir():
            raise _bad_value(
                option,
                text,
                "这是一个文件，不是文件夹；请给出报告所在的文件夹（kpibook run 的 --out）",
                "a file, not a folder: give the folder the reports are in (run's --out)",
            )
        if not path.is_dir():
            raise _bad_value(option, text, "没有这个文件夹", "no such folder")
        return text

    check.__name__ = option
    return check


def _formats(text: str) -> tuple[str, ...]:
    from .data.choose import FORMATS

    formats = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise _bad_value(
            "--to",
            text,
            f"应为 {'、'.join(FORMATS)} 中的一种或几种，以英文逗号分隔",
            f"one or more of {','.join(FORMATS)}, separated by commas",
        )
    return formats


def _decimals(text: str) -> int:
    from .data.choose import DECIMALS

    try:
        value = int(text)
    except ValueError:
        value = -1
    if value not in DECIMALS:
        low, high = DECIMALS[0], DECIMALS[-1]
        raise _bad_value(
            "--decimals", text, f"应为 {low} 到 {high} 的整数", f"an integer from {low} to {high}"
        )
    return value


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise _bad_value("--workers", text, "应为至少 1 的整数", "an integer of at least 1")
    return value


def _timeout(text: str) -> float:
    """Seconds per report: a finite number above 0 (``nan`` and ``inf`` are floats too)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise _bad_value(
            "--timeout", text, "应为大于 0 的秒数（有限的数）", "a finite number of seconds above 0"
        )
    return value


def _shard(text: str) -> str:
    """``K/N`` with 1 ≤ K ≤ N, checked before any data is read."""
    from .run.batch import shard_slice

    try:
        shard_slice([], text)
    except UsageError:
        raise _bad_value(
            "--shard", text, "应为 K/N，且 1 ≤ K ≤ N（如 1/4）", "K/N with 1 <= K <= N, e.g. 1/4"
        ) from None
    return text


def _period_arg(text: str) -> str:
    """A period as kpibook writes it (``2013年上半年`` → ``2013H1``), of a year from
    :data:`_FIRST_YEAR` (it names a folder, and a year of fewer digits would not read back)."""
    from .data.periods import parse_period

    try:
        period = parse_period(text)
    except ValueError:
        period = None
    if period is not None and not _FIRST_YEAR <= period.year:
        raise _bad_value(
            "--period",
            text,
            f"年份应在 {_FIRST_YEAR} 到 9999 之间",
            f"the year must be from {_FIRST_YEAR} to 9999",
        )
    if period is None:
        raise _bad_value(
            "--period",
            text,
            "应为 2013、2013H1、2013Q2 或 2013-06 这样的期间",
            "a period such as 2013, 2013H1, 2013Q2 or 2013-06",
        )
    return str(period)


_ARGPARSE = [  # argparse's own messages (Python 3.11–3.13), and what a user reads instead
    (
        re.compile(
            r"argument (?P<opt>\S+): invalid choice: '?(?P<v>.*?)'? \(choose from (?P<c>.*)\)"
        ),
        "{opt} 的值「{v}」不对：应为 {zc} 之一 ({eopt}: invalid choice {v!r}, choose from {c})",
    ),
    (
        re.compile(r"argument (?P<opt>\S+): expected (?:one|at least one) argument"),
        "{opt} 后面缺少值 ({eopt}: expected a value)",
    ),
    (
        re.compile(r"argument (?P<opt>\S+): ignored explicit argument '?(?P<v>.*?)'?"),
        "{opt} 不带值，却给了「{v}」 ({opt} takes no value, got {v!r})",
    ),
    (
        re.compile(r"argument (?P<opt>\S+): invalid \S+ value: '?(?P<v>.*?)'?"),
        "{opt} 的值「{v}」不对 ({opt}: invalid value {v!r})",
    ),
    (
        re.compile(r"unrecognized arguments: (?P<v>.*)"),
        "无法识别的参数「{v}」；可用的参数见 --help (unrecognized arguments: {v}; see --help)",
    ),
    (
        re.compile(r"the following arguments are required: (?P<v>.*)"),
        "缺少必需的参数 {v} (the following arguments are required: {v})",
    ),
    (
        re.compile(r"ambiguous option: (?P<opt>\S+) could match (?P<c>.*)"),
        "参数 {opt} 有歧义：可以是 {zc} ({opt} is ambiguous: could match {c})",
    ),
]


def usage_message(message: str) -> str:
    """argparse's error ``message`` as kpibook says every option error: Chinese first, then
    the English in parentheses, naming the option and the value."""
    own = re.fullmatch(r"argument (?P<opt>\S+): (?P<msg>.*)", message, re.S)
    if own and own["msg"].startswith(own["opt"].split("/")[0] + " 的值"):
        return own["msg"]  # a kpibook type function's message: it names option and value
    for pattern, text in _ARGPARSE:
        m = pattern.fullmatch(message)
        if m:
            fields = m.groupdict()
            choices = fields.get("c") or ""
            fields["zc"] = "、".join(c.strip(" '") for c in choices.split(","))
            fields["eopt"] = fields.get("opt")
            if fields.get("opt") == "command":  # the subcommand's own name in argparse
                fields["opt"] = "子命令"
            return text.format(**fields)
    return f"命令行参数有误 (usage error: {message})"


class _Parser(argparse.ArgumentParser):
    """argparse whose errors read as kpibook's: see :func:`usage_message`; exit 2.

    The word after an option that takes one value is that value, also when it starts with
    ``-`` (``--timeout -inf``, ``--shard -1/3``), unless it is an option itself: argparse would
    call the value missing; here it is checked, and named, like any other value.
    """

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        words = list(sys.argv[1:] if args is None else args)
        return super().parse_known_args(self._values_joined(words), namespace)

    def _values_joined(self, words: list[str]) -> list[str]:
        joined: list[str] = []
        at = 0
        while at < len(words):
            word = words[at]
            if word == "--":
                joined.extend(words[at:])
                break
            action = self._option_string_actions.get(word)
            following = words[at + 1] if at + 1 < len(words) else None
            if (
                action is not None
                and action.nargs is None
                and following is not None
                and following.startswith("-")
                and not self._is_option(following)
            ):
                joined.append(f"{word}={following}")
                at += 2
                continue
            joined.append(word)
            at += 1
        return joined

    def _is_option(self, word: str) -> bool:
        """Whether ``word`` is one of this parser's options, or an abbreviation of one."""
        name = word.split("=", 1)[0]
        return any(
            known == name or (name.startswith("--") and known.startswith(name))
            for known in self._option_string_actions
        )

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: 错误 (error): {usage_message(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    """The command line of DESIGN.md."""
    from .data.choose import FORMATS, LANGS

    parser = _Parser(prog="kpibook", description="半年工作进度报告 (half-year progress reports)")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="make the reports of a period")
    run.add_argument(
        "--data",
        type=_text("--data"),
        help="CSV folder or .xlsx (default: the sample)",
    )
    run.add_argument(
        "--period",
        type=_period_arg,
        help="e.g. 2013H1 (default: last completed half-year before --today)",
    )
    run.add_argument(
        "--org",
        nargs="+",
        type=_text("--org"),
        help="only these orgs (default: all, plus the district report)",
    )
    run.add_argument(
        "--to",
        type=_formats,
        default=FORMATS,
        help=f"{','.join(FORMATS)} (default: all)",
    )
    run.add_argument(
        "--out", type=_text("--out"), default="reports", help="output folder (default: reports)"
    )
    run.add_argument(
        "--workers", type=_workers, default=os.cpu_count() or 1, help="reports at once"
    )
    run.add_argument("--lang", choices=LANGS, default=LANGS[0])
    run.add_argument("--today", type=_date, help="YYYY-MM-DD (default: today)")
    run.add_argument(
        "--shard", type=_shard, help="K/N: the K-th of N deterministic slices of the orgs"
    )
    run.add_argument(
        "--timeout", type=_timeout, default=600, help="seconds per report (default 600)"
    )
    run.add_argument(
        "--decimals", type=_decimals, default=1, help="decimals of percentages, 0-6 (default 1)"
    )
    run.add_argument(
        "--cache-dir",
        type=_text("--cache-dir"),
        help="cache folder (default: $KPIBOOK_CACHE, ~/.cache/kpibook)",
    )
    run.add_argument(
        "--force",
        action="store_true",
        help="remake every report, also those whose inputs, code and files are unchanged",
    )

    index = sub.add_parser("index", help="rebuild index.html and manifest.json from what is there")
    index.add_argument(
        "--out", type=_existing_folder("--out"), default="reports", help="the runs' --out"
    )
    index.add_argument(
        "--period", type=_period_arg, help="one period (default: every period folder)"
    )

    check = sub.add_parser("check", help="validate a data set: every problem, then exit 2")
    check.add_argument("--data", type=_text("--data"), help="default: the sample")
    check.add_argument(
        "--cache-dir",
        type=_text("--cache-dir"),
        help="cache folder (default: $KPIBOOK_CACHE, ~/.cache/kpibook)",
    )

    template = sub.add_parser("template", help="an empty input workbook with a 说明 sheet")
    template.add_argument("path", type=_text("PATH"), metavar="PATH")
    template.add_argument("--force", action="store_true", help="overwrite an existing file")

    imp = sub.add_parser(
        "import", help="offices' 完成情况表 sheets (a township's or a district's) → one data set"
    )
    imp.add_argument(
        "files", nargs="+", type=_text("FILE"), metavar="FILE", help=".xlsx, .xls or .csv sheets"
    )
    imp.add_argument(
        "--org", type=_text("--org"), help="the township (a district sheet: the district)"
    )
    imp.add_argument("--period", type=_period_arg)
    imp.add_argument(
        "--sheet", type=_text("--sheet"), help="only this sheet (default: every sheet with a table)"
    )
    imp.add_argument(
        "--map",
        type=_text("--map"),
        help="a mapping file (import-maps/*.csv) to read the sheets by",
    )
    imp.add_argument(
        "--out",
        type=_text("--out"),
        help="output folder (default: data/<org>-<period>); merged into",
    )
    imp.add_argument(
        "--force",
        action="store_true",
        help="let the sheets' figures replace different ones already in --out",
    )
    return parser


def _print_problems(exc: DataErrors) -> None:
    print(str(exc), file=sys.stderr)


def _cmd_check(args: argparse.Namespace) -> int:
    from .data.choose import locate_data
    from .data.dataset import check_dataset

    ds, problems = check_dataset(locate_data(args.data))
    for p in problems:
        print(("警告 " if p.severity == "warning" else "错误 ") + str(p), file=sys.stderr)
    if ds is None:
        errors = sum(p.severity == "error" for p in problems)
        print(f"{args.data}: {errors} 个错误 (errors)。", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"{args.data}: 通过 (ok) — {len(ds.org_list)} 个乡镇，{len(ds.indicators)} 项指标，"
        f"期间 {'、'.join(ds.periods())}"
    )
    for period in ds.periods():
        silent = ds.unreported(period)
        if silent:
            print(f"未报送 (not reported) {period}: {'、'.join(silent)}")
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from .data.template import write_template

    path = write_template(args.path, overwrite=args.force)
    print(f"已写入空白模板 (template written): {path}")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from .base.files import safe_name
    from .importer.mapping import MAP_DIR, format_table, mapping_files, read_mapping
    from .importer.merge import (
        folder_orgs,
        import_files,
        merge_results,
        read_existing,
        write_merged,
    )
    from .importer.tidy import ImportErrors

    mapping = read_mapping(args.map) if args.map else None
    into = Path(args.out) if args.out else None  # a data set imported into: its townships
    known = folder_orgs(read_existing(into)) if into is not None and into.is_dir() else []
    try:
        results = import_files(
            args.files,
            org=args.org,
            period=args.period,
            sheet=args.sheet,
            mapping=mapping,
            known_orgs=known,
        )
    except ImportErrors as exc:  # what was understood helps to read what was not
        for line in exc.inferences:
            print(f"推断 (inferred): {line}")
        raise
    for result in results:
        for line in result.inferences:
            print(f"推断 (inferred): {line}")
        if result.reading:
            where = f"{result.file}" + (f"[{result.sheet}]" if result.sheet else "")
            print(f"读法 (reading) {where}:")
            print(format_table(result.reading))
    first = results[0]
    if args.out:
        out = Path(args.out)
    else:
        label = first.parent or first.org
        out = Path("data") / safe_name(f"{label}-{first.period}")
    existing = read_existing(out) if out.is_dir() else {}
    merged = merge_results(results, existing, existing_name=f"{out}{os.sep}", replace=args.force)
    for line in merged.inferences:
        print(f"推断 (inferred): {line}")
    if merged.problems:
        raise ImportErrors(merged.problems, str(out), [])
    maps = {
        out / MAP_DIR / name: text
        for name, text in mapping_files(
            results, list(args.files), org=args.org, period=args.period, mapping=mapping
        ).items()
    }
    written = write_merged(merged, out, maps)
    for path in written:
        print(f"已写入 (wrote): {path}")
    kept = sum(len(f) for f in existing.values())
    orgs = sorted({o for r in results for o in r.orgs})
    print(
        f"合并 (merged): {len(orgs)} 个乡镇 (orgs), 新增 {merged.added.get('targets', 0)} 个目标、"
        f"{merged.added.get('actuals', 0)} 个完成数 (new targets, actuals); "
        f"原有 {kept} 行保留 (rows already there kept)"
    )
    print(
        f"映射文件 (mapping): {out / MAP_DIR}/ — 核对后可用 --map 再次导入，"
        f"下半年的表也用它 (check it; give it back with --map, also for the next sheet)"
    )
    print(f"下一步 (next): kpibook check --data {out} && kpibook run --data {out}")
    return EXIT_OK


def _cmd_index(args: argparse.Namespace) -> int:
    from .output.index import period_folder, rebuild_index, rebuild_root_index
    from .output.records import META_DIR

    out = Path(args.out)
    if args.period:
        if not (out / args.period / META_DIR).is_dir():  # an index of nothing, never a new folder
            there = sorted(p.name for p in out.iterdir() if period_folder(p.name))
            raise UsageError(
                str(
                    _bad_value(
                        "--period",
                        args.period,
                        f"{out} 中没有这个期间的报告；有：{'、'.join(there) or '（无）'}",
                        f"no reports of that period in {out}; there are: "
                        + (", ".join(there) or "none"),
                    )
                )
            )
        periods = [args.period]
    else:
        folders = (
            sorted(p.name for p in out.iterdir() if (p / META_DIR).is_dir()) if out.is_dir() else []
        )
        periods = [name for name in folders if period_folder(name)]
        for name in sorted(set(folders) - set(periods)):
            print(
                f"警告 (warning): {out / name}: 不是期间文件夹，已跳过 (not a period folder: skipped)",
                file=sys.stderr,
            )
    for period in periods:
        problems: list[str] = []
        data = rebuild_index(out, period, problems)
        for line in problems:
            print(f"警告 (warning): {line}", file=sys.stderr)
        print(
            f"{out / period / 'index.html'}: {data['ok']} ok, {data['failed']} failed"
            + (f", {data['not_reported']} 未报送 (not reported)" if data["not_reported"] else "")
        )
    damaged: list[str] = []
    rebuild_root_index(out, damaged)
    for line in damaged:
        print(f"警告 (warning): {line}", file=sys.stderr)
    return EXIT_OK


def _writable_out(out: Path, period: str) -> None:
    """Refuse before any report runs: a link in ``--out`` leading out of it, a lock file that
    is a link, a file where a folder goes, or an ``--out`` that cannot be written (read-only,
    full, no permission)."""
    import tempfile

    from .base.files import no_link, write_error
    from .output.index import INDEX_LOCK
    from .output.records import META_DIR, RUN_LOCK, period_dir, scratch_dir

    folder = period_dir(out, period)
    scratch = scratch_dir(folder)
    above = [*reversed(out.parents)] if out.is_absolute() else [*reversed(out.parents)][1:]
    for path in (*above, out, folder, folder.parent / ".kpibook", scratch.parent, scratch):
        if (path.exists() or path.is_symlink()) and not path.is_dir():
            what = "--out" if path == out else "这一期的输出文件夹" if path == folder else ""
            raise UsageError(
                f"{path}：已存在，但不是文件夹{f'（{what}）' if what else ''}；kpibook 要在这里写"
                "报告，请把这个文件移走或改名后重试 "
                f"(exists but is not a folder: kpibook writes the reports there; move or rename "
                "the file and try again)"
            )
    for lock in (out / META_DIR / RUN_LOCK, scratch.parent / RUN_LOCK, scratch.parent / INDEX_LOCK):
        no_link(lock, out)  # a lock that is a link: refused now, not after the reports
    try:  # the probe in the scratch folder: if a kill leaves it, the next run sweeps it
        scratch.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=scratch):
            pass
    except OSError as exc:  # a read-only or full disk says so, Chinese first: a write failure
        raise write_error(exc, folder) from None


def _cmd_run(args: argparse.Namespace) -> int:
    from .run.server import start_early, stop_unclaimed, warm_batch

    # The reports' server imports and warms up for a second and a half: started before this
    # process imports pandas and reads the data set, so that the two overlap.
    today = args.today.isoformat() if args.today else None
    org = args.org[0] if args.org else None
    start_early(warm_batch(args.to, data=args.data, org=org, period=args.period, today=today))
    try:
        return _run(args)
    finally:  # a run that ends before its reports (bad data, nothing to do) stops it at once
        stop_unclaimed()


def _run(args: argparse.Namespace) -> int:
    """``kpibook run``, once its reports' server is starting."""
    from .data.choose import locate_data, resolve_period
    from .data.dataset import load_dataset
    from .metrics.progress import progress_table
    from .output.index import rebuild_index
    from .output.records import NOT_REPORTED, OK
    from .run.batch import code_version, plan_jobs, run_jobs
    from .run.console import Progress, log_line

    args.data = str(locate_data(args.data))
    log_line(
        f"kpibook {code_version()} run: data={args.data} period={args.period or '(default)'} "
        f"out={args.out} workers={args.workers} pid={os.getpid()}"
    )
    ds = load_dataset(args.data)
    period, warning = resolve_period(ds, args.period, args.today)
    if warning:
        log_line(warning)
    out = Path(args.out)
    jobs = plan_jobs(
        ds,
        period,
        out=out,
        orgs=args.org,
        formats=args.to,
        lang=args.lang,
        decimals=args.decimals,
        shard=args.shard,
        data=args.data,
    )
    if not jobs:
        print("没有要生成的报告 (nothing to do for this shard)")
        return EXIT_OK
    progress_table(ds, period)  # ranked once here (before --out is made); reports read the cache
    _writable_out(out, period)
    progress: Progress | None = None

    def skipped(kept: list[dict[str, Any]]) -> None:  # before any report runs
        nonlocal progress
        if kept:
            log_line(
                f"跳过 {len(kept)} 份未变的报告（数据、笔记本、参数、代码与文件均与上次相同；"
                f"--force 全部重做） (skipped {len(kept)} unchanged reports; --force remakes them)"
            )
        progress = Progress(len(jobs) - len(kept))

    def swept(folder: Path, removed: int) -> None:  # at the start, before any report runs
        log_line(
            f"已清除以前被终止的运行在 {folder} 留下的 {removed} 个临时文件"
            f" (removed {removed} scratch files that killed runs left in {folder})"
        )

    def done(record: dict[str, Any]) -> None:
        assert progress is not None  # made by skipped(), which run_jobs calls first
        progress.update(record)

    try:
        records = run_jobs(
            jobs,
            workers=args.workers,
            timeout=args.timeout,
            on_done=done,
            force=args.force,
            on_skipped=skipped,
            on_swept=swept,
        )
    except KeyboardInterrupt:  # and SIGTERM: the index tells what the finished ones are
        rebuild_index(out, period)
        raise
    if progress is not None:
        progress.close()
    rebuild_index(out, period)
    silent = [r for r in records if r.get("status") == NOT_REPORTED]
    failed = [r for r in records if r.get("status") not in (OK, NOT_REPORTED)]
    where = (out / period / "index.html").resolve()
    made = len(records) - len(failed) - len(silent)
    kept = sum(bool(r.get("skipped")) for r in records)
    also = f"，其中 {kept} 份未变、已跳过 (of which {kept} unchanged, skipped)" if kept else ""
    print(f"完成 {made}/{len(records)} 份报告{also} → 打开 (open): {where}")
    for r in failed:
        log_line(f"失败 (failed) {r.get('org') or '全区汇总'}: {r.get('error')}")
    if silent:
        names = "、".join(r.get("org") or "全区汇总" for r in silent)
        log_line(f"未报送 (not reported: no figures for {period}): {names}")
    return EXIT_FAILED if failed else EXIT_UNREPORTED if silent else EXIT_OK


_COMMANDS = {
    "run": _cmd_run,
    "index": _cmd_index,
    "check": _cmd_check,
    "template": _cmd_template,
    "import": _cmd_import,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kpibook`` console script."""
    import signal

    previous = {name: signal.signal(getattr(signal, name), _on_stop) for name in _STOP_SIGNALS}
    try:
        args = build_parser().parse_args(argv)
        if getattr(args, "cache_dir", None):  # before anything reads the cache or forks
            os.environ["KPIBOOK_CACHE"] = str(Path(args.cache_dir).resolve())
        return _COMMANDS[args.command](args)
    except DataErrors as exc:
        _print_problems(exc)
        return EXIT_USAGE
    except (OutputError, WorkerError) as exc:  # a write that failed, the reports' server died
        print(f"错误 (error): {show_invisible(str(exc))}", file=sys.stderr)
        return EXIT_FAILED
    except KpibookError as exc:
        print(f"错误 (error): {show_invisible(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except Terminated:
        _stopped("已终止 (terminated by SIGTERM)")
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        _stopped("已中断 (interrupted)")
        return EXIT_INTERRUPTED
    except OSError as exc:  # any other file that could not be read or written mid-run
        from .base.files import is_write_failure, write_error

        where = exc.filename or ""
        print(
            f"错误 (error): {show_invisible(str(write_error(exc, where)))}"
            if is_write_failure(exc)
            else f"错误 (error): 文件读写失败 {where} (cannot read or write a file: "
            f"{exc.strerror or exc})",
            file=sys.stderr,
        )
        return EXIT_FAILED
    finally:  # once stopped, the signals stay ignored to the process's end (no traceback
        for name, handler in previous.items():  # from a second Ctrl-C while Python exits)
            if signal.getsignal(getattr(signal, name)) is _on_stop:
                signal.signal(getattr(signal, name), handler)


def _stopped(what: str) -> None:
    from .run.console import log_line

    log_line(f"{what}: 已完成的报告保留，未完成的没有写入 (finished reports kept, unfinished none)")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
