"""The charts' layout: room for every label, measured once per drawing.

A report chart is one axes with its labels around it (row names left, status labels right,
title and legend above, the percent axis below). Matplotlib's constrained layout gives each
label its room, but it measures every label twice per drawing (it iterates for grids of
axes and colorbars, which these charts do not have), and measuring text is most of what
drawing a chart costs. :class:`OneAxesLayout` measures once: it takes the axes' decorations
as they stand, then moves the axes so that they just fit inside the figure with constrained
layout's padding. The result is constrained layout's to within a few pixels (a label placed
at a fraction of the axes' width, such as the status column at 1.015, moves with the width
the measurement changes; the axes end at most a few pixels short, never over a label).

It does not lay out several axes, colorbars or figure-level legends and titles: a figure
with more than one axes is left as it is.
"""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure
from matplotlib.layout_engine import LayoutEngine
from matplotlib.transforms import Bbox

__all__ = ["OneAxesLayout", "PAD_INCHES"]

#: Space around the labels, at the figure's edge: constrained layout's default w_pad/h_pad.
PAD_INCHES = 3 / 72


class OneAxesLayout(LayoutEngine):
    """Fit a figure's only axes and its decorations inside the figure, measuring once."""

    _adjust_compatible = False
    _colorbar_gridspec = False

    def __init__(self, pad: float = PAD_INCHES, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pad = pad

    def execute(self, fig: Figure) -> None:
        if len(fig.axes) != 1:
            return
        ax = fig.axes[0]
        renderer = fig._get_renderer()  # type: ignore[attr-defined]  # as matplotlib's engines
        width, height = fig.get_size_inches()
        pad_x, pad_y = self._pad / width, self._pad / height
        pos = ax.get_position(original=True)
        tight = ax.get_tightbbox(renderer, for_layout_only=True)
        if tight is None:
            return
        box = tight.transformed(fig.transFigure.inverted())
        left, bottom = max(0.0, pos.x0 - box.x0), max(0.0, pos.y0 - box.y0)
        right, top = max(0.0, box.x1 - pos.x1), max(0.0, box.y1 - pos.y1)
        x0, y0 = left + pad_x, bottom + pad_y
        x1, y1 = 1 - right - pad_x, 1 - top - pad_y
        if x1 <= x0 or y1 <= y0:  # the labels need more than the figure: keep what it had
            return
        # the private setter, as matplotlib's engines: set_position would take the axes out
        # of the figure's own tight bounding box (a notebook shows a chart by it)
        ax._set_position(Bbox.from_extents(x0, y0, x1, y1), which="both")  # type: ignore[attr-defined]
