"""The period's ``manifest.json`` and ``index.html``, and ``reports/index.html`` of every period.

Both are rebuilt from the per-report records that jobs leave under ``<period>/.kpibook/``,
so a re-run, a second concurrent run or another shard's run all end in one consistent
index. The rebuild holds a file lock, and every file is replaced atomically. It holds the
folder's run lock (:func:`~helpers.output.records.folder_lock`) too, shared, so no run starting
meanwhile takes its temporary files for a dead run's; it never removes any itself.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from filelock import FileLock

from ..base.files import no_link, write_atomic
from ..base.markup import escape
from ..data.periods import parse_period, period_label
from ..document.words import year_end
from ..metrics.status import BEHIND, StatusKey
from .records import META_DIR, NOT_REPORTED, OK, folder_lock, period_dir, read_records

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


INDEX_LOCK = "index.lock"  # in <period>/.kpibook: held while the period's index is rewritten


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
        # an org that sent no figures is one org, whichever languages its reports were planned in
        "not_reported_orgs": list(
            dict.fromkeys(str(r.get("org")) for r in unreported if r.get("kind") == "report")
        ),
    }


#: The index's name of a report's language (records before ``lang`` was kept are Chinese).
LANGUAGES = {"zh": "中文", "en": "English"}


def _language(record: dict[str, Any]) -> str:
    lang = str(record.get("lang") or (record.get("parameters") or {}).get("lang") or "zh")
    return LANGUAGES.get(lang, lang)


def _files(record: dict[str, Any]) -> str:
    """Links to a report's files; for a failed one, also to the last good report's, which a
    failed run never touches."""
    links = []
    for rel in record.get("files", []):
        label = rel.rsplit(".", 1)[-1].upper()
        links.append(f'<a href="{_link(rel)}">{escape(label)}</a>')
    last = record.get("last_good") or {}
    if record.get("status") != OK and last.get("files"):
        kept = " ".join(
            f'<a href="{_link(rel)}">{escape(rel.rsplit(".", 1)[-1].upper())}</a>'
            for rel in last["files"]
        )
        when = f"（{escape(last.get('started') or '')}）" if last.get("started") else ""
        links.append(f'<div class="muted">上次成功的报告{when} (last good): {kept}</div>')
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
    below = counts.get(StatusKey.BELOW_TARGET, 0)
    # on_pace counts flows on time, caps kept and stocks that met their target; at the year's
    # end the whole year has passed: 完成全年任务 or not, and no 双过半 (a mid-year word)
    year = year_end(record.get("period"))
    figures = (
        (
            f"{m.get('on_pace', 0)}/{m.get('judged', 0)} 项"
            + ("完成全年任务或达到目标" if year else "达到序时或目标")
            + (f"，{behind} 项滞后" if behind else "")
            + (f"，{below} 项" + ("未完成" if year else "未达目标") if below else "")
            + ("，双过半" if m.get("double_half") and not year else "")
        )
        if m
        else ""
    )
    name = record.get("org") or "全区汇总（district）"
    error = f'<div class="muted">{escape(record.get("error"))}</div>' if record.get("error") else ""
    state = OK if ok else NOT_REPORTED if record.get("status") == NOT_REPORTED else "failed"
    # what the index's script sorts and filters by (the page reads the same without it)
    share = f"{m.get('on_pace', 0) / m['judged']:.6f}" if m and m.get("judged") else ""
    seconds = record.get("seconds", "")
    return (
        f'<tr data-status="{state}" data-name="{escape(name)}"><td>{escape(name)}{error}</td>'
        f'<td>{status}</td><td data-value="{share}">{escape(figures)}</td>'
        f'<td class="num" data-value="{escape(seconds)}">{escape(seconds)}</td>'
        f"<td>{_files(record)}</td><td>{escape(_language(record))}</td></tr>"
    )


#: The period index's only script, inline (an intranet page has no CDN): sort by any column
#: (a click on its heading), filter by status and by name. It only enhances the plain table,
#: which reads the same without it. The pure functions are exported where ``module`` exists
#: (node), so tests run them.
_SCRIPT = """(function () {
"use strict";
function value(text, raw) {
  if (raw !== null && raw !== undefined && raw !== "" && isFinite(Number(raw))) return Number(raw);
  return String(text).trim();
}
function compare(a, b) {
  var na = typeof a === "number", nb = typeof b === "number";
  if (na && nb) return a - b;
  if (na !== nb) return na ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
function order(keys, descending) {
  var idx = keys.map(function (_, i) { return i; });
  idx.sort(function (i, j) {
    var c = compare(keys[i], keys[j]);
    return (descending ? -c : c) || i - j;
  });
  return idx;
}
function matches(row, query, status) {
  query = String(query || "").trim().toLowerCase();
  return (!status || row.status === status) &&
    (!query || String(row.name).toLowerCase().indexOf(query) !== -1);
}
var api = {value: value, compare: compare, order: order, matches: matches};
if (typeof module !== "undefined" && module.exports) module.exports = api;
if (typeof document === "undefined") return;
var table = document.getElementById("kpibook-reports");
if (!table || !table.tBodies.length) return;
var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
var bar = document.createElement("p"), name = document.createElement("input");
var pick = document.createElement("select"), shown = document.createElement("span");
name.type = "search"; name.placeholder = "按名称筛选 (filter by name)";
name.setAttribute("aria-label", name.placeholder);
pick.setAttribute("aria-label", "按状态筛选 (filter by status)");
pick.add(new Option("全部状态 (all)", ""));
var seen = {};
rows.forEach(function (r) {
  var s = r.getAttribute("data-status");
  if (!seen[s]) { seen[s] = 1; pick.add(new Option(r.cells[1].textContent.trim(), s)); }
});
shown.className = "muted";
bar.appendChild(name); bar.appendChild(document.createTextNode(" "));
bar.appendChild(pick); bar.appendChild(document.createTextNode(" ")); bar.appendChild(shown);
table.parentNode.insertBefore(bar, table);
function filter() {
  var n = 0;
  rows.forEach(function (r) {
    var ok = matches({name: r.getAttribute("data-name"), status: r.getAttribute("data-status")},
                     name.value, pick.value);
    r.hidden = !ok; n += ok ? 1 : 0;
  });
  shown.textContent = "显示 " + n + " / " + rows.length + " (shown)";
}
name.addEventListener("input", filter); pick.addEventListener("change", filter);
Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
  var button = document.createElement("button");
  button.type = "button"; button.textContent = th.textContent;
  button.style.cssText = "font:inherit;border:0;background:none;padding:0;cursor:pointer";
  th.textContent = ""; th.appendChild(button);
  button.addEventListener("click", function () {
    var down = th.getAttribute("aria-sort") === "ascending";
    Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", down ? "descending" : "ascending");
    var keys = rows.map(function (r) {
      var c = r.cells[col];
      return value(c.textContent, c.getAttribute("data-value"));
    });
    rows = order(keys, down).map(function (i) { return rows[i]; });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
filter();
})();"""


def _page(title: str, subtitle: str, body: str) -> str:
    from .fonts import FONT_FACE_MARK, embed_fonts

    return embed_fonts(
        _PAGE.format(title=escape(title), subtitle=subtitle, body=body, fonts=FONT_FACE_MARK)
    )


def rebuild_index(out: Path, period: str, problems: list[str] | None = None) -> dict[str, Any]:
    """Rewrite ``<out>/<period>/manifest.json`` and ``index.html`` from the records there."""
    folder = period_dir(Path(out), period)
    with (
        folder_lock(folder),
        FileLock(str(no_link(folder / META_DIR / INDEX_LOCK, out)), timeout=120),
    ):
        data = manifest(Path(out), period, problems)
        write_atomic(
            folder / "manifest.json", json.dumps(data, ensure_ascii=False, indent=1, default=str)
        )
        rows = "".join(_row(r) for r in data["reports"])
        body = (
            '<table id="kpibook-reports"><thead><tr><th>乡镇 / 报告（report）</th>'
            "<th>状态（status）</th><th>主要情况（figures）</th><th>用时（秒，seconds）</th>"
            "<th>文件（files）</th><th>语言（language）</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
            '<p class="muted"><a href="../index.html">全部期间 (all periods)</a> · '
            '<a href="manifest.json">manifest.json</a></p>'
            f"<script>{_SCRIPT}</script>"
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


def rebuild_root_index(out: Path, problems: list[str] | None = None) -> Path:
    """``<out>/index.html``: every period folder kpibook wrote, newest first. Only folders
    named as a period is (``2013H1``, not a copy ``2013H1.bak``). A period is linked only when
    its ``index.html`` is there; one whose ``manifest.json`` cannot be read, is not what
    kpibook writes, or has no ``index.html`` beside it is listed as damaged, with what to do
    (and told in ``problems``, when given)."""
    periods = []
    for child in Path(out).iterdir() if Path(out).is_dir() else []:
        if period_folder(child.name) and (
            (child / "manifest.json").exists() or (child / "index.html").exists()
        ):
            periods.append(parse_period(child.name))
    rows = []
    for p in sorted(periods, reverse=True):
        folder = Path(out) / str(p)
        data, damage = _manifest_of(folder)
        label = escape(period_label(p))
        if data is not None:
            rows.append(
                f'<tr><td><a href="{_link(str(p))}/index.html">{label}</a></td>'
                f'<td class="num">{escape(data["ok"])}</td>'
                f'<td class="num">{escape(data["failed"])}</td>'
                f"<td>{escape(data['generated'])}</td></tr>"
            )
            continue
        link = (
            f'<a href="{_link(str(p))}/index.html">{label}</a>'
            if (folder / "index.html").is_file()
            else label
        )
        fix = f"kpibook run --period {p} --out {out}"
        if problems is not None:
            problems.append(
                f"{folder}：已损坏（{damage}），总目录中标为已损坏；请重新运行该期间（{fix}），"
                f"或移走这个文件夹 (damaged, listed as such: run the period again or move it)"
            )
        rows.append(
            f'<tr class="damaged"><td>{link}</td><td colspan="3"><span class="failed">已损坏'
            f"（damaged）</span>：{escape(damage)}；请重新运行该期间（{escape(fix)}），或移走这个"
            "文件夹 (run the period again, or move the folder away)</td></tr>"
        )
    body = (
        "<table><thead><tr><th>期间（period）</th><th>成功（ok）</th><th>失败（failed）</th>"
        "<th>生成时间（generated）</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    with folder_lock(Path(out)):
        return write_atomic(Path(out) / "index.html", _page("工作进度报告 · 全部期间", "", body))


def _manifest_of(folder: Path) -> tuple[dict[str, Any], str] | tuple[None, str]:
    """A period folder's manifest, when it and ``index.html`` are as kpibook writes them;
    else ``None`` and what is wrong, Chinese first."""
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, "没有 manifest.json (none)"
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None, "manifest.json 无法读取 (unreadable)"
    wrong = (
        "不是对象 (not an object)"
        if not isinstance(data, dict)
        else next(
            (
                f"「{key}」的类型不对 ({key!r} of the wrong type)"
                for key, kind in (("ok", int), ("failed", int), ("generated", str))
                if not isinstance(data.get(key), kind) or isinstance(data.get(key), bool)
            ),
            None,
        )
    )
    if wrong:
        return None, f"manifest.json {wrong}"
    if not (folder / "index.html").is_file():
        return None, "没有 index.html (no index.html)"
    return data, ""


def period_folder(name: str) -> bool:
    """Whether a folder's name is a period as kpibook writes it (``2013H1``): a stray copy
    (``2013H1.bak``, ``2013H1 (1)``) is never indexed, nor written into."""
    try:
        return str(parse_period(name)) == name
    except ValueError:
        return False
