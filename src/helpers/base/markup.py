"""The one escape for text from data placed in HTML: text is never markup."""

from __future__ import annotations

import html
from typing import Any

__all__ = ["escape"]


def escape(text: Any) -> str:
    """``text`` as HTML text: ``None`` is empty, anything else ``str()``-ed, ``<>&"'`` escaped."""
    return html.escape("" if text is None else str(text), quote=True)
