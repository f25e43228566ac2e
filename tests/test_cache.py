import os

from helpers.base import cache


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
