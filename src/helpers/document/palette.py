"""Status colours shared by the charts and the HTML/xlsx tables, so a status looks the same everywhere.

Keyed by the status keys of :data:`helpers.metrics.progress.STATUS`. Colour meanings differ between
offices (in a 红榜 red is honour), so a colour is never shown without its label: colours are
only a reading aid. Greens mean target met, on pace or within cap; amber → orange → red a
growing lag or a cap exceeded; greys no judgement. Dark text reads on every tint and on the
light strong colours, white text on the dark strong ones (:func:`text_color`).
"""

from __future__ import annotations

__all__ = ["STATUS_COLORS", "STATUS_TINTS", "STATUS_SHORT", "INK", "BANDS", "text_color"]

#: Strong colour per status key: bars, dots, legend patches.
STATUS_COLORS: dict[str, str] = {
    "exceeded": "#1b7a43",
    "ahead": "#52a86b",
    "within_cap": "#52a86b",
    "slightly_behind": "#e3a81b",
    "behind": "#e06c1f",
    "far_behind": "#c0302b",
    "over_cap": "#c0302b",
    "no_target": "#9a9a9a",
    "no_data": "#c4c4c4",
}

#: Light tint per status key: table cells and matrix cells, with dark text on them.
STATUS_TINTS: dict[str, str] = {
    "exceeded": "#9fd5b0",
    "ahead": "#d3eed9",
    "within_cap": "#d3eed9",
    "slightly_behind": "#fbe5a0",
    "behind": "#f7c094",
    "far_behind": "#ec928c",
    "over_cap": "#ec928c",
    "no_target": "#e4e4e4",
    "no_data": "#f4f4f4",
}

#: Short labels (Chinese, English) for cells too narrow for the full label of ``STATUS``.
STATUS_SHORT: dict[str, tuple[str, str]] = {
    "exceeded": ("超额", "Met"),
    "ahead": ("超序", "Ahd"),
    "slightly_behind": ("略滞", "Slow"),
    "behind": ("滞后", "Bhd"),
    "far_behind": ("严滞", "Far"),
    "within_cap": ("控内", "In"),
    "over_cap": ("超控", "Over"),
    "no_target": ("未设", "None"),
    "no_data": ("无", "n/a"),
}

#: Inks that carry no status: text, reference lines, neutral bars.
INK: dict[str, str] = {
    "text": "#222222",
    "muted": "#6b6b6b",
    "line": "#222222",
    "pace": "#2456a6",
    "grid": "#e2e2e2",
    "track": "#ececec",
    "bar": "#3f6fa8",
    "favourable": "#3f6fa8",
    "unfavourable": "#d0632a",
}

#: Qualitative bands of a bullet chart, poor → good (darkest grey = furthest from the target).
BANDS: tuple[str, str, str] = ("#cfcfcf", "#e0e0e0", "#f0f0f0")

_DARK_STRONG = frozenset({"exceeded", "far_behind", "over_cap"})


def text_color(status: str, *, strong: bool = False) -> str:
    """Ink that reads on a status colour: dark on every tint, white on the dark strong colours."""
    return "#ffffff" if strong and status in _DARK_STRONG else INK["text"]
