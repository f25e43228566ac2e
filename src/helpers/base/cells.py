"""The one rule for text cells that a spreadsheet would take for a formula.

Text from data (an org's name, a unit, a 备注) that starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return is a formula to Excel, LibreOffice and WPS when they open a CSV
(``=HYPERLINK(...)``, ``@SUM(...)``, DDE). kpibook writes such text so that it stays text:
in a CSV with a leading apostrophe (the mark spreadsheets use for "this is text"), which
:func:`from_csv_text` removes again when kpibook reads the file, so a round trip is exact;
in an .xlsx as a string cell, never a formula cell, with Excel's quote prefix so that it stays
text when someone edits it (:mod:`helpers.document.xlsx`).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "CELL_MAX_CHARS",
    "cell_length",
    "FORMULA_START",
    "looks_like_formula",
    "csv_text",
    "csv_frame",
    "from_csv_text",
]

#: The most characters an Excel cell holds (what kpibook's workbook can show of one text).
CELL_MAX_CHARS = 32767


def cell_length(text: str) -> int:
    """``text``'s length as Excel counts it against :data:`CELL_MAX_CHARS`: in UTF-16 code
    units, so an emoji or a rare CJK character beyond the BMP counts two."""
    return len(text.encode("utf-16-le")) // 2


#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MARK = "'"
#: ``-15.8`` or ``+3`` is a number to every spreadsheet, not a formula: written as it is.
_PLAIN_NUMBER = re.compile(r"^[+-]\d+(\.\d+)?([eE][+-]?\d+)?$")


def looks_like_formula(value: Any) -> bool:
    """Whether ``value`` is text a spreadsheet would evaluate (``=1+1``, ``@SUM(A1)``, …)."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_text(value: Any) -> Any:
    """``value`` as a CSV cell that stays text: formula-like text gets a leading apostrophe
    (numbers and everything else unchanged)."""
    if looks_like_formula(value) and not _PLAIN_NUMBER.match(value):
        return _MARK + value
    return value


def csv_frame(frame: Any) -> Any:
    """A pandas frame with every text cell as :func:`csv_text` writes it (any column that is
    not numeric: object and pandas' ``str`` dtypes alike), its line breaks as ``\n``: the CSV
    writer quotes a cell holding a ``\n`` but not one holding a lone ``\r``, which a reader
    then takes for the end of the row."""
    from pandas.api.types import is_numeric_dtype

    text = [c for c in frame.columns if not is_numeric_dtype(frame[c])]
    cells = {str(c): frame[c].map(lambda v: csv_text(_line_breaks(v))) for c in text}
    return frame.assign(**cells) if text else frame


def _line_breaks(value: Any) -> Any:
    """Text with every line break (``\r\n``, a lone ``\r``) as ``\n``; anything else as is."""
    if isinstance(value, str) and "\r" in value:
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def from_csv_text(value: str) -> str:
    """The text :func:`csv_text` wrote: the apostrophe before a formula character removed."""
    if value.startswith(_MARK) and looks_like_formula(value[1:]):
        return value[1:]
    return value
