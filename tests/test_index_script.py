"""The period index for a province: every row in a plain table, sorted and filtered by a small
inline script (no CDN, no file beside it) whose functions run here in node for real."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers.output.index import rebuild_index
from helpers.output.records import FAILED, NOT_REPORTED, OK, write_record

PERIOD = "2013H1"
TOWNS = 1000
NODE = shutil.which("node")
CHROMIUM = Path("/usr/bin/chromium")


def _record(i: int) -> dict:
    status = FAILED if i % 97 == 0 else NOT_REPORTED if i % 31 == 0 else OK
    name = f"第{i:04d}镇" if i % 50 else f'<b>"坏名{i}"</b> & 镇'  # markup in a name stays text
    record = {
        "org": name,
        "kind": "report",
        "stem": f"t{i:04d}",
        "period": PERIOD,
        "status": status,
        "files": [f"t{i:04d}.html"] if status == OK else [],
        "seconds": round(0.5 + (i * 37 % 101) / 10, 3),
    }
    if status == OK:
        record["metrics"] = {"on_pace": i % 7, "judged": 6 + i % 3, "status_counts": {}}
    if status == FAILED:
        record["error"] = "cell 3: ValueError: 坏"
    return record


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> BeautifulSoup:
    out = tmp_path_factory.mktemp("index")
    for i in range(TOWNS):
        write_record(out, PERIOD, f"t{i:04d}", _record(i))
    district = {"org": "", "kind": "district", "stem": "district", "status": OK, "files": []}
    write_record(out, PERIOD, "district", district | {"period": PERIOD, "seconds": 3.0})
    rebuild_index(out, PERIOD)
    path = out / PERIOD / "index.html"
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    soup.path = path  # type: ignore[attr-defined]
    return soup


def _script(page: BeautifulSoup) -> str:
    scripts = page.find_all("script")
    assert len(scripts) == 1
    assert not scripts[0].get("src")  # inline: the page works offline, alone
    return scripts[0].string


def test_plain_table_has_every_row_without_script(page):
    rows = page.select("#kpibook-reports tbody tr")
    assert len(rows) == TOWNS + 1
    assert not page.find_all("link", href=True)
    assert "http" not in _script(page)  # no CDN, no fetch
    names = [r["data-name"] for r in rows]
    assert '<b>"坏名50"</b> & 镇' in names  # attribute text, not markup
    assert not page.select("#kpibook-reports b")
    statuses = {r["data-status"] for r in rows}
    assert statuses == {OK, FAILED, NOT_REPORTED}
    # the controls are the script's: without it, no dead input sits above the table
    assert not page.find_all(["input", "select", "button"])


def _keys(page: BeautifulSoup, col: int) -> list:
    """Each row's sort key as the script reads it: the cell's data-value, else its text."""
    keys = []
    for row in page.select("#kpibook-reports tbody tr"):
        cell = row.find_all("td")[col]
        keys.append([cell.get_text(), cell.get("data-value")])
    return keys


def _node(script: str, call: str, tmp_path: Path) -> object:
    (tmp_path / "index.js").write_text(script, encoding="utf-8")
    code = f"const k = require({json.dumps(str(tmp_path / 'index.js'))});\n{call}"
    done = subprocess.run([NODE, "-e", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.parametrize("col", [0, 1, 2, 3])
def test_script_sorts_any_column(page, tmp_path, col):
    keys = _keys(page, col)
    call = (
        f"const raw = {json.dumps(keys, ensure_ascii=False)};\n"
        "const keys = raw.map(([t, v]) => k.value(t, v));\n"
        "console.log(JSON.stringify([k.order(keys, false), k.order(keys, true), keys]));"
    )
    up, down, values = _node(_script(page), call, tmp_path)
    assert sorted(up) == list(range(len(keys))) and sorted(down) == sorted(up)
    numbers = [v for v in values if isinstance(v, (int, float))]
    if col == 3:  # seconds: numbers, in numeric order (10.1 after 9.9, not before)
        assert len(numbers) == len(keys)
        assert [values[i] for i in up] == sorted(values)
        assert [values[i] for i in down] == sorted(values, reverse=True)
    else:  # numbers first (in order), then text (in order)
        ordered = [values[i] for i in up]
        nums = [v for v in ordered if isinstance(v, (int, float))]
        texts = [v for v in ordered if isinstance(v, str)]
        assert ordered == nums + texts and nums == sorted(nums) and texts == sorted(texts)
    assert up != list(range(len(keys))) or col == 0  # sorting did something


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_script_filters_by_status_and_name(page, tmp_path):
    rows = [
        {"name": r["data-name"], "status": r["data-status"]}
        for r in page.select("#kpibook-reports tbody tr")
    ]
    queries = [
        ["", ""],
        ["", FAILED],
        ["", NOT_REPORTED],
        ["0012", ""],
        ["坏名", OK],
        ["  镇 ", FAILED],
    ]
    call = (
        f"const rows = {json.dumps(rows, ensure_ascii=False)};\n"
        f"const qs = {json.dumps(queries, ensure_ascii=False)};\n"
        "console.log(JSON.stringify(qs.map(([q, s]) => "
        "rows.map((r, i) => k.matches(r, q, s) ? i : -1).filter(i => i >= 0))));"
    )
    got = _node(_script(page), call, tmp_path)
    for (query, status), shown in zip(queries, got, strict=True):
        want = [
            i
            for i, r in enumerate(rows)
            if (not status or r["status"] == status) and query.strip().lower() in r["name"].lower()
        ]
        assert shown == want, (query, status)
    assert len(got[0]) == TOWNS + 1 and 0 < len(got[1]) < 20 and len(got[3]) == 1


@pytest.mark.skipif(not CHROMIUM.exists(), reason="no headless chromium")
def test_script_runs_in_a_browser(page, tmp_path):
    """Headless chromium opens the page offline: the script adds its controls and no error."""
    done = subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0 and "--dump-dom" not in done.stdout and not done.stdout:
        pytest.skip(f"chromium could not start here: {done.stderr[-300:]}")
    dom = BeautifulSoup(done.stdout, "html.parser")
    assert dom.find("input", attrs={"type": "search"}) is not None
    headers = dom.select("#kpibook-reports thead th")
    assert len(headers) == 6 and len(dom.select("#kpibook-reports thead button")) == len(headers)
    options = [o.get("value") for o in dom.find_all("option")]
    assert options == ["", OK, NOT_REPORTED, FAILED] or set(options) == {
        "",
        OK,
        NOT_REPORTED,
        FAILED,
    }
    assert f"{TOWNS + 1} / {TOWNS + 1}" in dom.get_text()
