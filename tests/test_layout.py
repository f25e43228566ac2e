"""OneAxesLayout: every label of a report chart inside the figure, as constrained layout
places them, measured once per drawing."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from helpers.data.dataset import load_dataset
from helpers.data.demo import generate_district
from helpers.document import charts
from helpers.document.layout import PAD_INCHES, OneAxesLayout
from helpers.metrics.progress import progress_table
from tests.tables import SAMPLE

PERIOD = "2013H1"


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    sample = load_dataset(SAMPLE)
    district = load_dataset(generate_district(tmp_path_factory.mktemp("d") / "d", towns=12))
    return {
        "sample": progress_table(sample, PERIOD, sample.org_list[0]),
        "district": progress_table(district, PERIOD, district.org_list[3]),
    }


def report_charts(table: pd.DataFrame, lang: str) -> list[Figure]:
    figs = [charts.completion_dots(table, lang=lang), charts.yoy_bars(table, lang=lang)]
    for sector in dict.fromkeys(table["sector"]):
        figs.append(charts.sector_bullets(table[table["sector"] == sector], lang=lang))
    return figs


def axes_and_labels(fig: Figure, layout: object) -> tuple[list[float], list[float]]:
    """The axes' edges and the labels' bounding box, in pixels, drawn with ``layout``."""
    fig.set_layout_engine(layout)  # type: ignore[arg-type]
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    [ax] = fig.axes
    renderer = canvas.get_renderer()
    labels = ax.get_tightbbox(renderer, for_layout_only=True)
    return list(ax.get_window_extent(renderer).extents), list(labels.extents)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("which", ["sample", "district"])
def test_every_label_is_inside_the_figure_where_constrained_layout_puts_it(
    tables: dict[str, pd.DataFrame], which: str, lang: str
) -> None:
    for fig in report_charts(tables[which], lang):
        assert isinstance(fig.get_layout_engine(), OneAxesLayout)
        ours, labels = axes_and_labels(fig, OneAxesLayout())
        theirs, _ = axes_and_labels(fig, "constrained")
        pad = PAD_INCHES * fig.dpi
        width, height = fig.bbox.width, fig.bbox.height
        assert labels[0] >= pad - 1 and labels[1] >= pad - 1
        assert labels[2] <= width - pad + 1 and labels[3] <= height - pad + 1
        # left, bottom and top as constrained layout's; the right edge at most a few pixels
        # short (the status column sits at a fraction of the axes' width)
        assert ours[0] == pytest.approx(theirs[0], abs=1)
        assert ours[1] == pytest.approx(theirs[1], abs=1)
        assert ours[3] == pytest.approx(theirs[3], abs=1)
        assert theirs[2] - 6 <= ours[2] <= theirs[2] + 1


def test_a_second_drawing_moves_only_the_right_edge_by_a_few_pixels(
    tables: dict[str, pd.DataFrame],
) -> None:
    """Shown again (a notebook displays the chart it has drawn), the status column's offset,
    a fraction of the new width, is measured afresh: the plot's right edge moves a little
    towards constrained layout's, nothing else moves."""
    fig = charts.completion_dots(tables["sample"])
    first, _ = axes_and_labels(fig, OneAxesLayout())
    again, labels = axes_and_labels(fig, fig.get_layout_engine())
    assert again[:2] == pytest.approx(first[:2], abs=1) and again[3] == pytest.approx(first[3])
    assert abs(again[2] - first[2]) <= 4
    assert labels[2] <= fig.bbox.width


def test_a_figure_of_several_axes_is_left_as_it_is() -> None:
    fig = Figure(figsize=(4, 3), layout=OneAxesLayout())
    left, right = fig.subplots(1, 2)
    before = [ax.get_position().extents.tolist() for ax in (left, right)]
    FigureCanvasAgg(fig).draw()
    assert [ax.get_position().extents.tolist() for ax in (left, right)] == before


def test_labels_wider_than_the_figure_leave_the_axes_where_they_were() -> None:
    fig = Figure(figsize=(1.0, 1.0), layout=OneAxesLayout())
    ax = fig.add_subplot()
    ax.set_yticks([0], labels=["一个比整张图还要宽得多的指标名称一个比整张图还要宽得多的指标名称"])
    before = ax.get_position().extents.tolist()
    FigureCanvasAgg(fig).draw()
    assert ax.get_position().extents.tolist() == before
