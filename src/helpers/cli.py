"""The ``kpibook`` command: run, index, check, template, import.

Exit status: 0 all reports made, 1 some failed (the others still made), 2 bad input or usage.
A scheduled job needs no arguments: the period defaults to the last completed half-year.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import DataErrors, KpibookError, UsageError

__all__ = ["main", "build_parser", "resolve_period"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _date(text: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _formats(text: str) -> tuple[str, ...]:
    from .run.batch import FORMATS

    formats = tuple(f.strip().lower() for f in text.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise argparse.ArgumentTypeError(f"--to takes {','.join(FORMATS)} (got {text!r})")
    return formats


def build_parser() -> argparse.ArgumentParser:
    """The command line of DESIGN.md."""
    from .data.dataset import default_data
    from .run.batch import FORMATS

    parser = argparse.ArgumentParser(
        prog="kpibook", description="半年工作进度报告 (half-year progress reports)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="make the reports of a period")
    run.add_argument(
        "--data", default=str(default_data()), help="CSV folder or .xlsx (default: the sample)"
    )
    run.add_argument(
        "--period", help="e.g. 2013H1 (default: last completed half-year before --today)"
    )
    run.add_argument(
        "--org", nargs="+", help="only these orgs (default: all, plus the district report)"
    )
    run.add_argument(
        "--to",
        type=_formats,
        default=FORMATS,
        help=f"{','.join(FORMATS)} (default: all)",
    )
    run.add_argument("--out", default="reports", help="output folder (default: reports)")
    run.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="reports at once")
    run.add_argument("--lang", choices=("zh", "en"), default="zh")
    run.add_argument("--today", type=_date, help="YYYY-MM-DD (default: today)")
    run.add_argument("--shard", help="K/N: the K-th of N deterministic slices of the orgs")
    run.add_argument("--timeout", type=float, default=600, help="seconds per report (default 600)")
    run.add_argument("--decimals", type=int, default=1, help="decimals of percentages (default 1)")

    index = sub.add_parser("index", help="rebuild index.html and manifest.json from what is there")
    index.add_argument("--out", default="reports")
    index.add_argument("--period", help="one period (default: every period folder)")

    check = sub.add_parser("check", help="validate a data set: every problem, then exit 2")
    check.add_argument("--data", default=str(default_data()))

    template = sub.add_parser("template", help="an empty input workbook with a 说明 sheet")
    template.add_argument("path")
    template.add_argument("--force", action="store_true", help="overwrite an existing file")

    imp = sub.add_parser("import", help="an office's 完成情况表 sheet → a data set")
    imp.add_argument("file")
    imp.add_argument("--org")
    imp.add_argument("--period")
    imp.add_argument("--sheet")
    imp.add_argument("--out", help="output folder (default: data/<org>-<period>)")
    imp.add_argument("--force", action="store_true", help="overwrite existing CSV files")
    return parser


def resolve_period(ds: Any, period: str | None, today: _dt.date | None) -> tuple[str, str | None]:
    """The period to report and a warning when the default had to fall back.

    Default: the last completed half-year before ``today``; where the data set has no figures
    for it, the latest period it has, with a warning naming both.
    """
    from .data.periods import last_completed_half, parse_period

    if period:
        return str(parse_period(period)), None
    wanted = str(last_completed_half(today or _dt.date.today()))
    if ds.has_period(wanted):
        return wanted, None
    latest = ds.latest_period()
    return latest, (
        f"警告:数据中没有 {wanted}(今天之前最近一个已结束的半年)的数据,"
        f"改为报告数据中最新的 {latest}。"
        f" (warning: no figures for {wanted}; reporting the latest period {latest})"
    )


def _print_problems(exc: DataErrors) -> None:
    print(str(exc), file=sys.stderr)


def _cmd_check(args: argparse.Namespace) -> int:
    from .data.dataset import check_dataset

    ds, problems = check_dataset(args.data)
    for p in problems:
        print(("警告 " if p.severity == "warning" else "错误 ") + str(p), file=sys.stderr)
    if ds is None:
        errors = sum(p.severity == "error" for p in problems)
        print(f"{args.data}: {errors} 个错误 (errors)。", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"{args.data}: 通过 (ok) — {len(ds.org_list)} 个乡镇, {len(ds.indicators)} 项指标, "
        f"期间 {', '.join(ds.periods())}"
    )
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from .data.template import write_template

    path = write_template(args.path, overwrite=args.force)
    print(f"已写入空白模板 (template written): {path}")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from .importer.tidy import ImportErrors, import_sheet, write_dataset

    try:
        result = import_sheet(args.file, org=args.org, period=args.period, sheet=args.sheet)
    except ImportErrors as exc:  # what was understood helps to read what was not
        for line in exc.inferences:
            print(f"推断 (inferred): {line}")
        raise
    for line in result.inferences:
        print(f"推断 (inferred): {line}")
    out = Path(args.out) if args.out else Path("data") / f"{result.org}-{result.period}"
    for path in write_dataset(result, out, overwrite=args.force):
        print(f"已写入 (wrote): {path}")
    print(f"下一步 (next): kpibook check --data {out} && kpibook run --data {out}")
    return EXIT_OK


def _cmd_index(args: argparse.Namespace) -> int:
    from .output.index import rebuild_index, rebuild_root_index
    from .output.records import META_DIR

    out = Path(args.out)
    periods = (
        [args.period]
        if args.period
        else sorted(p.name for p in out.iterdir() if (p / META_DIR).is_dir())
        if out.is_dir()
        else []
    )
    for period in periods:
        data = rebuild_index(out, period)
        print(f"{out / period / 'index.html'}: {data['ok']} ok, {data['failed']} failed")
    rebuild_root_index(out)
    return EXIT_OK


def _cmd_run(args: argparse.Namespace) -> int:
    from .data.dataset import load_dataset
    from .metrics.progress import progress_table
    from .output.index import rebuild_index
    from .run.batch import page_text, plan_jobs, run_jobs
    from .run.console import Progress

    if args.workers < 1:
        raise UsageError("--workers must be at least 1")
    ds = load_dataset(args.data)
    period, warning = resolve_period(ds, args.period, args.today)
    if warning:
        print(warning, file=sys.stderr)
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
    progress_table(ds, period)  # ranked once here; every report reads it from the cache
    progress = Progress(len(jobs))
    records = run_jobs(
        jobs,
        workers=args.workers,
        timeout=args.timeout,
        on_done=progress.update,
        text=page_text(ds),
    )
    progress.close()
    rebuild_index(out, period)
    failed = [r for r in records if r.get("status") != "ok"]
    where = (out / period / "index.html").resolve()
    print(f"完成 {len(records) - len(failed)}/{len(records)} 份报告 → 打开 (open): {where}")
    for r in failed:
        print(f"失败 (failed) {r.get('org') or '全区汇总'}: {r.get('error')}", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


_COMMANDS = {
    "run": _cmd_run,
    "index": _cmd_index,
    "check": _cmd_check,
    "template": _cmd_template,
    "import": _cmd_import,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kpibook`` console script."""
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except DataErrors as exc:
        _print_problems(exc)
        return EXIT_USAGE
    except (KpibookError, FileExistsError) as exc:
        print(f"错误 (error): {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("已中断 (interrupted): 已完成的报告保留,未完成的没有写入。", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
