"""Where kpibook's own files are: the notebooks, the shipped data sets, the templates; and
which version of a package is installed.

A wheel carries the notebooks and the shipped data sets inside the package
(``helpers.notebooks``, ``helpers.datasets.*``: see ``pyproject.toml``), found with
:mod:`importlib.resources`. A source checkout (an editable install, or ``src`` on the path)
has them where the repository keeps them, ``notebooks/`` and ``data/`` beside ``src/``;
setuptools' editable finder does not map folders without ``__init__.py``, so those are found
from the checkout's root. Nothing here runs at import time.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
from functools import cache
from importlib.resources import as_file, files
from pathlib import Path
from types import ModuleType

__all__ = [
    "notebooks_dir",
    "data_dir",
    "templates_dir",
    "checkout_root",
    "source_digest",
    "package_version",
]


@cache
def package_version(name: str, missing: str = "?") -> str:
    """The installed version of the distribution ``name``, else ``missing``.

    Read once a process: each read scans the installed packages' metadata (about a
    millisecond), and a process keeps running the code it imported even if a newer version is
    installed meanwhile, so the first answer stays the true one for it."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return missing


@cache
def checkout_root() -> Path | None:
    """The repository folder when running from a source checkout (it holds ``pyproject.toml``
    and ``notebooks/`` above the package), else ``None`` (an installed wheel)."""
    package = Path(str(files("helpers")))
    for folder in package.parents:
        if (folder / "pyproject.toml").is_file() and (folder / "notebooks").is_dir():
            return folder
    return None


def _packaged(name: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError:
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def notebooks_dir() -> Path:
    """The folder of ``report.ipynb``, ``district.ipynb`` and ``explore.ipynb``."""
    root = checkout_root()
    if root is not None:
        return root / "notebooks"
    packaged = _packaged("helpers.notebooks")
    if packaged is None:  # pragma: no cover - a broken install
        raise FileNotFoundError("kpibook's notebooks are not installed (helpers.notebooks)")
    return packaged


@cache
def data_dir(name: str) -> Path:
    """A data set kpibook ships: ``sample`` (the seed township) or ``district-demo``."""
    root = checkout_root()
    if root is not None:
        return root / "data" / name
    packaged = _packaged("helpers.datasets." + name.replace("-", "_"))
    if packaged is None:  # pragma: no cover - a broken install
        raise FileNotFoundError(f"kpibook's data set {name!r} is not installed")
    return packaged


def templates_dir() -> Path:
    """nbconvert templates of kpibook (package data, so always a real folder)."""
    with as_file(files("helpers") / "templates") as path:
        return Path(path)


def source_digest(*modules: ModuleType) -> str:
    """A digest of these modules' source files: a cache entry made by other code is never reused."""
    digest = hashlib.sha256()
    for module in modules:
        origin = module.__spec__.origin if module.__spec__ else None
        if origin:
            digest.update(Path(origin).read_bytes())
    return digest.hexdigest()
