"""Shared fixtures: small data sets written as real files."""

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
