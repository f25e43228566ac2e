"""The one rule for a missing figure, used by every layer.

A figure is missing when it is ``None``, a float NaN (Python or numpy) or pandas' ``NA`` /
``NaT``. Text, ``0`` and ``False`` are never missing: a zero target is a figure (that gives
no ratio, see :mod:`helpers.metrics`), not an absent one.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

__all__ = ["is_missing", "NONE"]

#: What a table or a chart shows where there is no figure.
NONE = "—"


def is_missing(value: Any) -> bool:
    """True for ``None``, NaN, ``pd.NA`` and ``NaT``; False for text, numbers and list-likes."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, (str, bytes, int)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-likes have no single answer: not a missing scalar
        return False
