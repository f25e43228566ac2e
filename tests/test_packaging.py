"""pyproject.toml and environment.yml pin the same packages at the same versions."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONDA_NAMES = {"brotli-python": "brotli"}  # conda-forge name → PyPI name


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = project["dependencies"] + project["optional-dependencies"]["test"]
    pins = {}
    for spec in specs:
        name, version = re.fullmatch(
            r"([A-Za-z0-9_.-]+)==([^;\s]+)", spec.split("#")[0].strip()
        ).groups()
        pins[name.lower()] = version
    return pins


def environment_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        m = re.fullmatch(r"\s*-\s*([A-Za-z0-9_.-]+)\s*(==|=)\s*([^\s#]+)\s*(#.*)?", line)
        if m and m.group(1) != "python":
            pins[CONDA_NAMES.get(m.group(1).lower(), m.group(1).lower())] = m.group(3)
    return pins


def test_every_dependency_is_pinned_exactly():
    pins = pyproject_pins()
    assert "pandas" in pins and "papermill" in pins and "typst" in pins and "weasyprint" not in pins
    assert all(re.fullmatch(r"\d+(\.\d+)*", v) for v in pins.values()), pins


def test_environment_yml_agrees_with_pyproject():
    assert environment_pins() == pyproject_pins()


def test_environment_yml_installs_the_package_and_python_311():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "- python=3.11" in text and "- -e ." in text and "conda-forge" in text


def test_every_subpackage_ships_in_the_wheel():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
            "packages"
        ]
    )
    src = ROOT / "src"
    found = {
        ".".join(p.parent.relative_to(src).parts) for p in (src / "helpers").rglob("__init__.py")
    }
    assert found <= listed, found - listed


#: Each layer and the layers it may import (the subpackages' docstrings say the same).
LAYERS = {
    "base": set(),
    "data": {"base"},
    "importer": {"data", "base"},
    "metrics": {"data", "base"},
    "document": {"metrics", "data", "base"},
    "sections": {"document", "metrics", "data", "base"},
    "output": {"sections", "document", "metrics", "data", "base"},
    "run": {"output", "sections", "document", "metrics", "data", "base"},
}


def test_layers_import_only_the_layers_below_them():
    imports = re.compile(r"^\s*from (\.+)([\w.]*) import", re.M)
    wrong = []
    for layer, allowed in LAYERS.items():
        for path in (ROOT / "src" / "helpers" / layer).glob("*.py"):
            for dots, name in imports.findall(path.read_text(encoding="utf-8")):
                if len(dots) == 2 and name and name.split(".")[0] in LAYERS:
                    target = name.split(".")[0]
                    if target != layer and target not in allowed:
                        wrong.append(f"{path.name}: {layer} imports {target}")
    assert not wrong, wrong


def test_no_absolute_imports_of_helpers_inside_the_package():
    mixed = [
        p.name
        for p in (ROOT / "src" / "helpers").rglob("*.py")
        if re.search(r"^\s*(from|import) helpers\b", p.read_text(encoding="utf-8"), re.M)
    ]
    assert not mixed, mixed
