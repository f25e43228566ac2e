"""Shared fixtures: small data sets written as real files; a disk cache of the test's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tables import ACTUALS, INDICATORS, TARGETS, write_tables


@pytest.fixture
def small_tables() -> dict[str, str]:
    return {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS}


@pytest.fixture
def small_data(tmp_path: Path, small_tables) -> Path:
    return write_tables(tmp_path / "small", small_tables)


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``KPIBOOK_CACHE`` in the test's own folder: nothing cached by another test (or by an
    earlier run of kpibook on this machine) is read, and nothing is left for the next."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("KPIBOOK_CACHE", str(folder))
    return folder
