"""Executed notebooks reduced to what two runs of the same inputs must share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat


def comparable(path: str | Path) -> dict[str, Any]:
    """An output notebook without what differs between any two runs (times, paths)."""
    nb = nbformat.read(path, as_version=4)
    cells = []
    for cell in nb.cells:
        meta = cell.metadata.get("papermill", {})
        cells.append(
            {
                "type": cell.cell_type,
                "source": cell.source,
                "tags": cell.metadata.get("tags", []),
                "execution_count": cell.get("execution_count"),
                "status": meta.get("status"),
                "exception": meta.get("exception"),
                "timing": sorted(cell.metadata.get("execution", {})),
                "outputs": [dict(output) for output in cell.get("outputs", [])],
            }
        )
    return {
        "cells": cells,
        "language_info": nb.metadata.get("language_info"),
        "parameters": nb.metadata.papermill.get("parameters"),
        "exception": nb.metadata.papermill.get("exception"),
    }
