"""The period's ``manifest.json`` and ``index.html``, and ``reports/index.html`` of every period.

Both are rebuilt from the per-report records that jobs leave under ``<period>/.kpibook/``,
so a re-run, a second concurrent run or another shard's run all end in one consistent
index. The rebuild holds a file lock, and every file is replaced atomically.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from filelock import FileLock

from ..base.files import write_atomic
from ..base.markup import escape
from ..data.periods import parse_period, period_label
from ..metrics.status import BEHIND
from .records import META_DIR, NOT_REPORTED, OK, period_dir, read_records

__all__ = ["rebuild_index", "rebuild_root_index", "manifest", "period_folder"]

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>{title}</title>
<style>{fonts}
body {{ font-family: "Noto Sans SC", sans-serif; max-width: 60rem; \
margin: 2rem auto; padding: 0 1rem;
       color: #222; line-height: 1.5; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.95rem; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.35rem 0.5rem; \
text-align: left; vertical-align: top; }}
th {{ background: #f3f3f3; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.ok {{ color: #1b6e3a; font-weight: 700; }} .failed {{ color: #b3261e; font-weight: 700; }}
.muted {{ color: #666; font-size: 0.85rem; }}
</style></head><body>
<h1>{title}</h1>
<p class="muted">{subtitle}</p>
{body}
</body></html>
"""


def _link(name: str) -> str:
    return quote(name)


def manifest(out: Path, period: str, problems: list[str] | None = None) -> dict[str, Any]:
    """What the period's folder holds: one entry per report, from the records (unreadable
    records are named in ``problems`` and left out)."""
    records = read_records(out, period, problems)
    records.sort(key=lambda r: (r.get("kind") != "district", str(r.get("stem", ""))))
    unreported = [r for r in records if r.get("status") == NOT_REPORTED]
    return {
        "period": period,
        "generated": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "reports": records,
        "ok": sum(r.get("status") == OK for r in records),
        "failed": sum(r.get("status") not in (OK, NOT_REPORTED) for r in records),
        "not_reported": len(unreported),
        "not_reported_orgs": [r.get("org") for r in unreported if r.get("kind") == "report"],
    }


def _files(record: dict[str, Any]) -> str:
    links = []
    for rel in record.get("files", []):
        label = rel.rsplit(".", 1)[-1].upper()
        links.append(f'<a href="{_link(rel)}">{escape(label)}</a>')
    return " ".join(links)


def _row(record: dict[str, Any]) -> str:
    ok = record.get("status") == OK
    status = (
        '<span class="ok">成功</span>'
        if ok
        else '<span class="muted">未报送</span>'
        if record.get("status") == NOT_REPORTED
        else '<span class="failed">失败</span>'
    )
    m = record.get("metrics") or {}
    counts = m.get("status_counts", {})
    behind = sum(counts.get(k, 0) for k in BEHIND)
    figures = (
        (
            f"{m.get('on_pace', 0)}/{m.get('judged', 0)} 项达序时"
            + (f",{behind} 项滞后" if behind else "")
            + ("，双过半" if m.get("double_half") else "")
        )
        if m
        else ""
    )
    name = record.get("org") or "全区汇总 (district)"
    error = f'<div class="muted">{escape(record.get("error"))}</div>' if record.get("error") else ""
    return (
        f"<tr><td>{escape(name)}{error}</td><td>{status}</td><td>{escape(figures)}</td>"
        f'<td class="num">{escape(record.get("seconds", ""))}</td><td>{_files(record)}</td></tr>'
    )


def _page(title: str, subtitle: str, body: str) -> str:
    from .fonts import font_face_css

    return _PAGE.format(
        title=escape(title),
        subtitle=subtitle,
        body=body,
        fonts=font_face_css(title + subtitle + body, whole=False),
    )


def rebuild_index(out: Path, period: str, problems: list[str] | None = None) -> dict[str, Any]:
    """Rewrite ``<out>/<period>/manifest.json`` and ``index.html`` from the records there."""
    folder = period_dir(Path(out), period)
    (folder / META_DIR).mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder / META_DIR / "index.lock"), timeout=120):
        data = manifest(Path(out), period, problems)
        write_atomic(
            folder / "manifest.json", json.dumps(data, ensure_ascii=False, indent=1, default=str)
        )
        rows = "".join(_row(r) for r in data["reports"])
        body = (
            "<table><thead><tr><th>乡镇 / 报告</th><th>状态</th><th>主要情况</th><th>用时（秒）</th>"
            f"<th>文件</th></tr></thead><tbody>{rows}</tbody></table>"
            '<p class="muted"><a href="../index.html">全部期间 (all periods)</a> · '
            '<a href="manifest.json">manifest.json</a></p>'
        )
        subtitle = escape(
            f"共 {len(data['reports'])} 份报告，成功 {data['ok']}，失败 {data['failed']}"
            + (f"，未报送 {data['not_reported']}" if data["not_reported"] else "")
            + " · 生成于 "
            f"{data['generated']}"
        )
        write_atomic(
            folder / "index.html", _page(f"{period_label(period)}工作进度报告", subtitle, body)
        )
    rebuild_root_index(Path(out))
    return data


def rebuild_root_index(out: Path) -> Path:
    """``<out>/index.html``: every period that has a manifest, newest first. Only folders
    named as a period is (``2013H1``, not a copy ``2013H1.bak``); a manifest that cannot be
    read shows its period with no counts."""
    periods = []
    for child in Path(out).iterdir() if Path(out).is_dir() else []:
        if period_folder(child.name) and (child / "manifest.json").is_file():
            periods.append(parse_period(child.name))
    rows = []
    for p in sorted(periods, reverse=True):
        try:
            data = json.loads((Path(out) / str(p) / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            data = None
        if not isinstance(data, dict):
            data = {"generated": "manifest.json 无法读取 (unreadable)"}
        rows.append(
            f'<tr><td><a href="{_link(str(p))}/index.html">{escape(period_label(p))}</a></td>'
            f'<td class="num">{escape(data.get("ok", ""))}</td>'
            f'<td class="num">{escape(data.get("failed", ""))}</td>'
            f"<td>{escape(data.get('generated', ''))}</td></tr>"
        )
    body = (
        "<table><thead><tr><th>期间</th><th>成功</th><th>失败</th><th>生成时间</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return write_atomic(Path(out) / "index.html", _page("工作进度报告 · 全部期间", "", body))


def period_folder(name: str) -> bool:
    """Whether a folder's name is a period as kpibook writes it (``2013H1``): a stray copy
    (``2013H1.bak``, ``2013H1 (1)``) is never indexed, nor written into."""
    try:
        return str(parse_period(name)) == name
    except ValueError:
        return False
