"""Shared fixtures: small data sets written as real files; a disk cache of the test's own."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from filelock import FileLock

from tests.tables import ACTUALS, INDICATORS, TARGETS, write_tables

#: Makes the whole static fonts in the cache that ``KPIBOOK_CACHE`` names.
_MAKE_STATIC_FONTS = "from helpers.output.fonts import static_font_files; static_font_files()"


@pytest.fixture
def small_tables() -> dict[str, str]:
    return {"indicators": INDICATORS, "targets": TARGETS, "actuals": ACTUALS}


@pytest.fixture
def small_data(tmp_path: Path, small_tables) -> Path:
    return write_tables(tmp_path / "small", small_tables)


@pytest.fixture(scope="session")
def whole_static_fonts(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """The cache's ``static-fonts`` folder, made once for this test session by kpibook itself
    (:func:`helpers.output.fonts.static_font_files`, in a process of its own): the first xdist
    worker to ask makes it, the others wait for it. Instancing the whole Noto Sans SC takes
    twenty seconds a weight, and is the same every time for the pinned font package."""
    base = tmp_path_factory.getbasetemp()
    root = base if worker_id == "master" else base.parent  # this session's, shared by workers
    cache = root / "static-fonts-seed"
    with FileLock(str(root / "static-fonts-seed.lock")):
        if not (root / "static-fonts-seed.done").is_file():
            shutil.rmtree(cache, ignore_errors=True)  # a half-made one from a failed attempt
            subprocess.run(
                [sys.executable, "-c", _MAKE_STATIC_FONTS],
                env={**os.environ, "KPIBOOK_CACHE": str(cache)},
                check=True,
                timeout=600,
            )
            (root / "static-fonts-seed.done").touch()
    return cache / "static-fonts"


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, whole_static_fonts: Path) -> Path:
    """``KPIBOOK_CACHE`` in the test's own folder: nothing cached by another test (or by an
    earlier run of kpibook on this machine) is read, and nothing is left for the next.

    It starts with the session's :func:`whole_static_fonts` (hard links: kpibook replaces a
    cache file, never writes into one), as an analyst's cache has them after the first run;
    the tests of making them use a cache of their own (``tests/test_pdf.py``)."""
    folder = tmp_path / "cache"
    shutil.copytree(whole_static_fonts, folder / "static-fonts", copy_function=os.link)
    monkeypatch.setenv("KPIBOOK_CACHE", str(folder))
    return folder
