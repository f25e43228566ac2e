"""Status colours shared by the charts and the HTML/xlsx tables, so a status looks the same everywhere.

Keyed by the status keys of :class:`helpers.metrics.status.StatusKey`. Colour meanings differ between
offices (in a 红榜 red is honour), so a colour is never shown without its label: colours are
only a reading aid. Greens mean target met, on pace or within cap; amber → orange → red a
growing lag or a cap exceeded; greys no judgement. Dark text reads on every tint and on the
light strong colours, white text on the dark strong ones (:func:`text_color`). Violet is a
stock, rate or period target short of its target (未达目标): a shortfall, not a lag in time.
"""

from __future__ import annotations

from ..metrics.status import StatusKey

__all__ = ["STATUS_COLORS", "STATUS_TINTS", "STATUS_SHORT", "INK", "BANDS", "text_color"]

#: Strong colour per status key: bars, dots, legend patches.
STATUS_COLORS: dict[str, str] = {
    StatusKey.EXCEEDED: "#1b7a43",
    StatusKey.COMPLETED: "#1b7a43",
    StatusKey.ABOVE_TARGET: "#1b7a43",
    StatusKey.AHEAD: "#52a86b",
    StatusKey.AT_PACE: "#52a86b",
    StatusKey.WITHIN_CAP: "#52a86b",
    StatusKey.SLIGHTLY_BEHIND: "#e3a81b",
    StatusKey.BEHIND: "#e06c1f",
    StatusKey.FAR_BEHIND: "#c0302b",
    StatusKey.BELOW_TARGET: "#7d5ba6",
    StatusKey.OVER_CAP: "#c0302b",
    StatusKey.NO_TARGET: "#9a9a9a",
    StatusKey.NO_DATA: "#c4c4c4",
}

#: Light tint per status key: table cells and matrix cells, with dark text on them.
STATUS_TINTS: dict[str, str] = {
    StatusKey.EXCEEDED: "#9fd5b0",
    StatusKey.COMPLETED: "#9fd5b0",
    StatusKey.ABOVE_TARGET: "#9fd5b0",
    StatusKey.AHEAD: "#d3eed9",
    StatusKey.AT_PACE: "#d3eed9",
    StatusKey.WITHIN_CAP: "#d3eed9",
    StatusKey.SLIGHTLY_BEHIND: "#fbe5a0",
    StatusKey.BEHIND: "#f7c094",
    StatusKey.FAR_BEHIND: "#ec928c",
    StatusKey.BELOW_TARGET: "#ddd0ee",
    StatusKey.OVER_CAP: "#ec928c",
    StatusKey.NO_TARGET: "#e4e4e4",
    StatusKey.NO_DATA: "#f4f4f4",
}

#: Short labels (Chinese, English) for cells too narrow for the full label of ``STATUS``.
STATUS_SHORT: dict[str, tuple[str, str]] = {
    StatusKey.EXCEEDED: ("超额", "Exc"),
    StatusKey.COMPLETED: ("完成", "Met"),
    StatusKey.ABOVE_TARGET: ("高于", "Above"),
    StatusKey.AHEAD: ("超序", "Ahd"),
    StatusKey.AT_PACE: ("持平", "At"),
    StatusKey.SLIGHTLY_BEHIND: ("略滞", "Slow"),
    StatusKey.BEHIND: ("滞后", "Bhd"),
    StatusKey.FAR_BEHIND: ("严滞", "Far"),
    StatusKey.BELOW_TARGET: ("未达", "Below"),
    StatusKey.WITHIN_CAP: ("控内", "In"),
    StatusKey.OVER_CAP: ("超控", "Over"),
    StatusKey.NO_TARGET: ("未设", "None"),
    StatusKey.NO_DATA: ("无", "n/a"),
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

_DARK_STRONG = frozenset(
    {
        StatusKey.EXCEEDED,
        StatusKey.COMPLETED,
        StatusKey.ABOVE_TARGET,
        StatusKey.FAR_BEHIND,
        StatusKey.OVER_CAP,
        StatusKey.BELOW_TARGET,
    }
)


def text_color(status: str, *, strong: bool = False) -> str:
    """Ink that reads on a status colour: dark on every tint, white on the dark strong colours."""
    return "#ffffff" if strong and status in _DARK_STRONG else INK["text"]
