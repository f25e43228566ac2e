import os
import pickle
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.base import cache
from helpers.data.dataset import Dataset
from tests.tables import ACTUALS, INDICATORS, TARGETS, write_tables


def test_cache_dir_follows_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("KPIBOOK_CACHE", str(tmp_path / "k"))
    assert cache.cache_dir() == tmp_path / "k"
    monkeypatch.setenv("KPIBOOK_CACHE", "off")
    assert cache.cache_dir() is None
    monkeypatch.delenv("KPIBOOK_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if cache.sys.platform.startswith("linux"):
        assert cache.cache_dir() == tmp_path / "xdg" / "kpibook"


def test_read_write_round_trip_and_off(monkeypatch, tmp_path):
    monkeypatch.setenv("KPIBOOK_CACHE", str(tmp_path))
    assert cache.read("kind", "a") is None
    cache.write("kind", "a", b"data")
    assert cache.read("kind", "a") == b"data"
    monkeypatch.setenv("KPIBOOK_CACHE", "off")
    cache.write("kind", "b", b"data")
    assert cache.read("kind", "a") is None and not (tmp_path / "kind" / "b").exists()


def test_pruned_least_recently_used_first(tmp_path):
    folder = tmp_path / "fonts"
    folder.mkdir()
    for age, name in enumerate(["new.css", "mid.css", "old.css"]):
        path = folder / name
        path.write_bytes(b"x" * 100)
        os.utime(path, (1_000_000 - age * 1000, 1_000_000 - age * 1000))
    cache._prune(folder, limit=250)
    assert sorted(p.name for p in folder.iterdir()) == ["mid.css", "new.css"]


BAD_PICKLES = {
    "garbage": b"not a pickle at all",
    "truncated": pickle.dumps(list(range(1000)))[:50],
    "empty": b"",
    "wrong type": pickle.dumps({"a": 1}),
    "unknown class": b"\x80\x04\x95\x1c\x00\x00\x00\x00\x00\x00\x00\x8c\x0bno_such_mod"
    b"\x94\x8c\x03Cls\x94\x93\x94.",
}


@pytest.mark.parametrize("data", BAD_PICKLES.values(), ids=BAD_PICKLES)
def test_an_entry_that_cannot_be_loaded_is_a_miss_and_removed(monkeypatch, tmp_path, data):
    monkeypatch.setenv("KPIBOOK_CACHE", str(tmp_path))
    cache.write("kind", "a.pickle", data)
    assert cache.load_pickle("kind", "a.pickle", expected=list) is None
    assert not (tmp_path / "kind" / "a.pickle").exists()
    cache.write("kind", "b.pickle", pickle.dumps([1, 2]))
    assert cache.load_pickle("kind", "b.pickle", expected=list) == [1, 2]
    assert cache.load_pickle("kind", "none.pickle") is None


@pytest.mark.parametrize("kind", ["garbage", "truncated", "wrong type"])
def test_a_damaged_cache_entry_never_stops_a_run(tmp_path, kind):
    """A data set or progress-table entry with a valid name whose pickle is damaged (a disk
    that filled up, a copy from elsewhere): the next run reads the data again, without a
    traceback, and writes a good entry in its place."""
    folder = write_tables(
        tmp_path / "d", {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS}
    )
    env = {**os.environ, "KPIBOOK_CACHE": str(tmp_path / "cache"), "PYTHONIOENCODING": "utf-8"}
    kpibook = [str(Path(sys.executable).parent / "kpibook")]
    run = [*kpibook, "run", "--data", str(folder), "--out", str(tmp_path / "out"), "--to", "html"]
    assert subprocess.run(run, env=env, capture_output=True).returncode == 0
    entries = [*(tmp_path / "cache").glob("datasets/*.pickle")]
    entries += (tmp_path / "cache").glob("progress/*.pickle")
    assert {p.parent.name for p in entries} == {"datasets", "progress"}
    # a batch without PDFs does not make the PDF fonts (twenty seconds on a new machine)
    assert not [
        p.name for p in (tmp_path / "cache").iterdir() if "pdf" in p.name or "static" in p.name
    ]
    for entry in entries:
        entry.write_bytes(BAD_PICKLES[kind])
    result = subprocess.run([*run, "--force"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Error" not in result.stderr
    for entry in entries:  # written again, whole
        assert isinstance(pickle.loads(entry.read_bytes()), (Dataset, pd.DataFrame))
