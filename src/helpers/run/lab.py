"""JupyterLab for the analyst (``make lab``): the committed notebooks stay as committed.

Lab saves a notebook with its outputs, the running kernel's full ``language_info`` and
execution counts; for ``notebooks/*.ipynb`` of the project that would change files under
version control every time an analyst runs a report. :func:`keep_committed_form` is the
server's pre-save hook: a notebook saved as ``notebooks/<name>.ipynb`` under the server's
root (the project folder, as ``make lab`` starts it) is written without outputs, execution
counts or kernel details, so ``git status`` stays clean after a session, while a parameter
the analyst edits is kept.
Executed copies live in ``reports/`` (``kpibook run`` or ``publish``) and keep everything.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

__all__ = ["keep_committed_form", "committed_form"]

COMMITTED_LANGUAGE_INFO = {"name": "python"}


def committed_form(nb: dict[str, Any]) -> None:
    """Strip, in place, what running a notebook adds: outputs, counts, the kernel's details."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        for key in ("execution", "collapsed", "scrolled"):
            cell.get("metadata", {}).pop(key, None)
    metadata = nb.setdefault("metadata", {})
    metadata["language_info"] = dict(COMMITTED_LANGUAGE_INFO)
    metadata.pop("widgets", None)


def _is_committed(path: str) -> bool:
    parts = PurePosixPath(path).parts
    return len(parts) == 2 and parts[0] == "notebooks" and parts[1].endswith(".ipynb")


def keep_committed_form(model: dict[str, Any], path: str, contents_manager: Any, **_: Any) -> None:
    """Jupyter server's ``ContentsManager.pre_save_hook``: committed notebooks saved bare."""
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    if _is_committed(path):
        committed_form(model["content"])
