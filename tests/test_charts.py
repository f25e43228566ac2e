"""The report's charts: the artists each chart must carry, empty input, and no missing glyphs.

Charts are built from real progress tables (the sample, the small fixture, a generated
district) and rendered to PNG in memory with every warning turned into an error, so a
character the font lacks fails the test. The expected counts and labels come from the
tables themselves.
"""

from __future__ import annotations

import io
import logging
import math
import warnings
from pathlib import Path

import matplotlib.colors as mcolors
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure

from helpers.data.dataset import load_dataset
from helpers.data.demo import generate_district
from helpers.data.periods import parse_period
from helpers.document import charts
from helpers.document.narrative import count_change, yoy_text
from helpers.document.palette import STATUS_COLORS, STATUS_SHORT, STATUS_TINTS
from helpers.errors import MissingColumnError, UsageError
from helpers.metrics.progress import progress_table
from helpers.metrics.status import STATUS, status_label
from tests.tables import SAMPLE

PERIOD = "2013H1"


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    ds = load_dataset(SAMPLE)
    return progress_table(ds, PERIOD, ds.org_list[0])


@pytest.fixture(scope="module")
def sample_projects() -> pd.DataFrame:
    ds = load_dataset(SAMPLE)
    p = ds.projects
    return p[(p["org"] == ds.org_list[0]) & (p["period"] == PERIOD)]


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> pd.DataFrame:
    folder = generate_district(tmp_path_factory.mktemp("district") / "demo", towns=12, seed=7)
    return progress_table(load_dataset(folder), PERIOD)


@pytest.fixture
def small(small_data) -> pd.DataFrame:
    return progress_table(load_dataset(small_data), PERIOD, "甲镇")


def render(fig: Figure) -> bytes:
    """Draw ``fig`` to PNG in memory; any warning (a missing glyph above all) is an error."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(buffer, format="png", dpi=50)
    return buffer.getvalue()


def texts(fig: Figure, gid: str | None = None) -> list[str]:
    """Every text of the figure's axes (texts, annotations, titles, tick labels, legend)."""
    out = []
    for ax in fig.axes:
        for t in ax.texts:
            if gid is None or t.get_gid() == gid:
                out.append(t.get_text())
        if gid is None:
            out += [ax.get_title("left"), ax.get_xlabel()]
            out += [t.get_text() for t in ax.get_yticklabels() + ax.get_xticklabels()]
            legend = ax.get_legend()
            if legend is not None:
                out += [t.get_text() for t in legend.get_texts()]
    return out


def container(ax, label: str):
    found = [c for c in ax.containers if c.get_label() == label]
    assert len(found) == 1, f"no bar container {label!r}"
    return found[0]


def collections(ax, label: str, kind: type) -> list:
    return [c for c in ax.collections if isinstance(c, kind) and c.get_label() == label]


def flat(text: str) -> str:
    return text.replace("\n", "")


def name_shown(tick: str, name: str) -> bool:
    """A wrapped, possibly shortened tick label stands for ``name``."""
    tick = flat(tick).replace(" ", "")
    name = name.replace(" ", "")
    return tick == name or (tick.endswith("…") and name.startswith(tick[:-1]))


def has_ratio(row) -> bool:
    if row.status in ("no_target", "no_data"):
        return False
    if row.direction == "down":
        return not math.isnan(row.actual)
    return not math.isnan(row.basis_ratio)


# --------------------------------------------------------------------------- sector bullets


def test_bullets_bars_labels_and_ticks(sample):
    for sector, rows in sample.groupby("sector", sort=False):
        fig = charts.sector_bullets(sample, sector)
        render(fig)
        ax = fig.axes[0]
        rows = rows.sort_values("order")
        with_ratio = [r for r in rows.itertuples() if has_ratio(r)]
        bars = container(ax, "completion")
        assert len(bars) == len(with_ratio)
        for bar, r in zip(bars, with_ratio):
            assert bar.get_x() == 0  # the bar starts at zero
            assert mcolors.same_color(bar.get_facecolor(), STATUS_COLORS[r.status])
        labels = texts(fig, "status_label")
        assert len(labels) == len(rows)
        for label, r in zip(labels, rows.itertuples()):
            assert label.startswith(status_label(r.status)), (label, r.status)
        ticks = [t.get_text() for t in charts.row_names(ax)]
        assert all(name_shown(t, n) for t, n in zip(ticks, rows["name"])), ticks
        assert fig.get_size_inches()[0] == charts.WIDTH


def test_bullets_time_progress_and_target_ticks(sample):
    rows = sample[
        (sample["measure"] == "cumulative")
        & (sample["direction"] == "up")
        & (sample["basis"] == "annual")
    ]
    sector = rows["sector"].iloc[0]
    fig = charts.sector_bullets(sample, sector)
    ax = fig.axes[0]
    (pace,) = collections(ax, "time_progress", LineCollection)
    xs = {round(seg[0][0], 6) for seg in pace.get_segments()}
    assert round(float(rows["time_progress"].iloc[0]), 6) in xs
    (target,) = collections(ax, "target", LineCollection)
    assert {seg[0][0] for seg in target.get_segments()} == {1.0}
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("序时进度" in t for t in legend)
    assert "100%" in [t.get_text() for t in ax.get_xticklabels()]


def test_bullets_completion_is_the_bar_length(sample):
    up = sample[(sample["direction"] == "up") & sample["basis_ratio"].notna()].sort_values("order")
    sector = up["sector"].iloc[0]
    fig = charts.sector_bullets(sample, sector)
    expected = [
        r
        for r in sample[sample["sector"] == sector].sort_values("order").itertuples()
        if has_ratio(r)
    ]
    widths = [bar.get_width() for bar in container(fig.axes[0], "completion")]
    xmax = fig.axes[0].get_xlim()[1]
    assert widths == pytest.approx([min(r.basis_ratio, xmax) for r in expected])


def test_bullets_down_and_no_target(small):
    fig = charts.sector_bullets(small)  # every sector of the small set: cap, rate, zero target
    render(fig)
    labels = texts(fig, "status_label")
    acc = small[small["indicator"] == "acc"].iloc[0]
    assert any(t.startswith(status_label(acc["status"])) and "1/3" in t for t in labels)
    new = small[small["indicator"] == "new"].iloc[0]
    assert new["status"] == "no_target"
    assert any(t.startswith("未设目标") for t in labels)
    bars = container(fig.axes[0], "completion")
    assert len(bars) == sum(has_ratio(r) for r in small.itertuples())
    # the cap is drawn as actual ÷ cap
    acc_pos = list(small.sort_values("order")["indicator"]).index("acc")
    ys = [b.get_y() + b.get_height() / 2 for b in bars]
    assert bars[ys.index(acc_pos)].get_width() == pytest.approx(
        acc["actual"] / acc["annual_target"]
    )


def test_bullets_english(sample):
    sector = sample["sector"].iloc[0]
    fig = charts.sector_bullets(sample, sector, lang="en")
    render(fig)
    rows = sample[sample["sector"] == sector].sort_values("order")
    labels = texts(fig, "status_label")
    # a long label takes two lines, broken at a space
    assert all(" ".join(t.split()).startswith(STATUS[s][1]) for t, s in zip(labels, rows["status"]))
    ticks = [t.get_text() for t in charts.row_names(fig.axes[0])]
    assert all(name_shown(t, n) for t, n in zip(ticks, rows["name_en"])), ticks


def test_bullets_height_grows_with_rows(sample):
    sizes = sample.groupby("sector").size().sort_values()
    small_fig = charts.sector_bullets(sample, sizes.index[0])
    big_fig = charts.sector_bullets(sample, sizes.index[-1])
    assert big_fig.get_size_inches()[1] > small_fig.get_size_inches()[1]


def test_bullets_refuses_several_orgs_and_missing_columns(district, sample):
    with pytest.raises(UsageError):
        charts.sector_bullets(district)
    with pytest.raises(MissingColumnError):
        charts.sector_bullets(sample.drop(columns=["basis_ratio"]))


def test_bullets_draw_into_a_given_axes(sample):
    fig = Figure(figsize=(8, 4), layout="constrained")
    ax = fig.add_subplot()
    assert charts.sector_bullets(sample, sample["sector"].iloc[0], ax=ax) is fig
    assert len(container(ax, "completion")) > 0


# --------------------------------------------------------------------------- year on year


def test_yoy_bars_values_and_omissions(sample):
    fig = charts.yoy_bars(sample)
    render(fig)
    ax = fig.axes[0]
    have = sample[sample["yoy"].notna()]
    assert len(container(ax, "yoy")) == len(have)
    values = texts(fig, "value_label")
    for row in have.to_dict("records"):
        assert yoy_text(row, 1, "zh").rstrip("*") in values  # as the table writes it
    missing = sample[sample["yoy"].isna()]
    if len(missing):
        assert "无上年同期数" in ax.get_xlabel()
        assert missing.sort_values("order")["name"].iloc[0] in ax.get_xlabel()
    assert 0 in [line.get_xdata()[0] for line in ax.get_lines()]  # centred on zero
    lo, hi = ax.get_xlim()
    assert lo == pytest.approx(-hi)


def test_yoy_bars_negative_growth_written_with_a_minus(district):
    org = district.groupby("org")["yoy"].min().idxmin()
    rows = district[district["org"] == org]
    fig = charts.yoy_bars(rows, lang="en")
    render(fig)
    worst = rows.loc[rows["yoy"].idxmin()].to_dict()
    assert worst["yoy"] < 0
    if count_change(worst) is None:  # a fall in %, written with a minus
        assert yoy_text(worst, 1, "en").startswith("\u2212")
    else:  # a small count's fall is a count: 1 fewer
        assert "fewer" in yoy_text(worst, 1, "en")
    assert yoy_text(worst, 1, "en").rstrip("*") in texts(fig, "value_label")
    assert not any(t.startswith("+-") or t.startswith("+−") for t in texts(fig, "value_label"))


# --------------------------------------------------------------------------- projects


def test_project_progress(sample_projects):
    fig = charts.project_progress(sample_projects)
    render(fig)
    ax = fig.axes[0]
    with_pct = sample_projects[sample_projects["percent_complete"].notna()]
    bars = container(ax, "percent")
    assert len(bars) == len(with_pct)
    assert [b.get_width() for b in bars] == pytest.approx(list(with_pct["percent_complete"] / 100))
    stages = texts(fig, "stage_label")
    assert len(stages) == len(sample_projects)
    for text, row in zip(stages, sample_projects.itertuples()):
        assert row.stage in text
        if not math.isnan(row.percent_complete):
            assert text.startswith(f"{row.percent_complete:.0f}%")
        else:
            assert "%" not in text
    ticks = [t.get_text() for t in charts.row_names(ax)]
    assert all(name_shown(t, n) for t, n in zip(ticks, sample_projects["project"])), ticks


# --------------------------------------------------------------------------- status matrix


def test_status_matrix_district(district):
    fig = charts.status_matrix(district)
    render(fig)
    ax = fig.axes[0]
    orgs = list(dict.fromkeys(district["org"]))
    inds = list(district.drop_duplicates("indicator").sort_values("order")["indicator"])
    cells = texts(fig, "cell_label")
    assert len(cells) == len(orgs) * len(inds)
    status = district.set_index(["org", "indicator"])["status"]
    allowed = {k: {STATUS[k][0], STATUS_SHORT[k][0]} for k in STATUS}
    image = ax.images[0].get_array()
    for r, org in enumerate(orgs):
        for c, ind in enumerate(inds):
            key = status[(org, ind)]
            assert cells[r * len(inds) + c] in allowed[key]
            assert tuple(image[r][c][:3]) == pytest.approx(mcolors.to_rgb(STATUS_TINTS[key]))
    assert [t.get_text() for t in ax.get_yticklabels()] == orgs
    assert len(ax.get_xticklabels()) == len(inds)
    legend = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    for key in set(district["status"]):
        assert STATUS[key][0] in legend


def test_status_matrix_one_org_is_one_row(sample):
    fig = charts.status_matrix(sample, lang="en")
    render(fig)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [sample["org"].iloc[0]]
    assert len(texts(fig, "cell_label")) == len(sample)


# --------------------------------------------------------------------------- ranking


def test_rank_dots_sorted_with_ties_and_pace(district):
    tied = district[district["rank_tied"]]
    indicator = tied["indicator"].iloc[0] if len(tied) else district["indicator"].iloc[0]
    rows = district[district["indicator"] == indicator].sort_values("rank", na_position="last")
    fig = charts.rank_dots(district, indicator)
    render(fig)
    ax = fig.axes[0]
    ticks = [t.get_text() for t in charts.row_names(ax)]
    assert [t.split()[-1] for t in ticks] == list(rows["org"])
    for tick, r in zip(ticks, rows.itertuples()):
        if math.isnan(r.rank):
            assert tick.startswith("-")
        else:
            assert tick.startswith(("并列" if r.rank_tied else "") + str(int(r.rank)) + " ")
    (dots,) = collections(ax, "completion", PathCollection)
    assert len(dots.get_offsets()) == sum(has_ratio(r) for r in rows.itertuples())
    if rows["direction"].iloc[0] != "down":
        pace = [line for line in ax.get_lines() if line.get_label() == "time_progress"]
        assert pace and pace[0].get_xdata()[0] == pytest.approx(rows["time_progress"].iloc[0])
    assert len(texts(fig, "status_label")) == len(rows)


def test_rank_dots_english_ties(district):
    indicator = district.loc[district["rank_tied"], "indicator"].iloc[0]
    fig = charts.rank_dots(district, indicator, lang="en")
    render(fig)
    assert any(t.get_text().startswith("=") for t in charts.row_names(fig.axes[0]))


# --------------------------------------------------------------------------- overview dots


def test_completion_dots(sample):
    fig = charts.completion_dots(sample)
    render(fig)
    ax = fig.axes[0]
    dots = collections(ax, "completion", PathCollection)
    assert sum(len(d.get_offsets()) for d in dots) == sum(has_ratio(r) for r in sample.itertuples())
    pace = [line for line in ax.get_lines() if line.get_label() == "time_progress"]
    assert [line.get_xdata()[0] for line in pace] == [sample["time_progress"].iloc[0]]
    ticks = [flat(t.get_text()) for t in charts.row_names(ax)]  # a long heading in two lines
    ordered = sample.sort_values("order")
    alone = (ordered["direction"] == "down") | ordered["measure"].isin(["level", "rate"])
    for sector in ordered.loc[~alone, "sector"].unique():
        assert f"〔{sector}〕" in ticks
    assert ticks.index("〔只比目标：存量、比率、控制数〕") > max(
        ticks.index(f"〔{s}〕") for s in ordered.loc[~alone, "sector"].unique()
    )
    labels = texts(fig, "status_label")
    # flows first, then those judged against the target alone; a level or rate short of its
    # target carries its figure, never a time-progress word
    shown = pd.concat([ordered[~alone], ordered[alone]])
    short = shown["status"] == "below_target"
    assert (
        not shown.loc[alone.reindex(shown.index).fillna(False).astype(bool), "status"]
        .isin(["ahead", "at_pace", "slightly_behind", "behind", "far_behind"])
        .any()
    )  # nothing judged against its target alone gets a time word
    assert [t.split()[0].split("（")[0] for t, s in zip(labels, short) if not s] == [
        status_label(st) for st, s in zip(shown["status"], short) if not s
    ]
    assert all(t.startswith("占目标") for t, s in zip(labels, short) if s)


def test_completion_dots_district_totals(tmp_path):
    from helpers.metrics.progress import district_totals

    folder = generate_district(tmp_path / "demo", towns=3, seed=1)
    totals = district_totals(load_dataset(folder), PERIOD)
    fig = charts.completion_dots(totals, lang="en")
    render(fig)
    assert len(texts(fig, "status_label")) == len(totals)


# --------------------------------------------------------------------------- empty input, glyphs

EMPTY_CASES = {
    "sector_bullets": lambda t, p, lang: charts.sector_bullets(t.iloc[:0], lang=lang),
    "sector_bullets_unknown_sector": lambda t, p, lang: charts.sector_bullets(
        t, "没有这个", lang=lang
    ),
    "yoy_bars": lambda t, p, lang: charts.yoy_bars(t.assign(yoy=math.nan), lang=lang),
    "project_progress": lambda t, p, lang: charts.project_progress(p.iloc[:0], lang=lang),
    "status_matrix": lambda t, p, lang: charts.status_matrix(t.iloc[:0], lang=lang),
    "rank_dots": lambda t, p, lang: charts.rank_dots(t, "no_such_indicator", lang=lang),
    "completion_dots": lambda t, p, lang: charts.completion_dots(t.iloc[:0], lang=lang),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", list(EMPTY_CASES))
def test_empty_input_says_no_data(case, lang, sample, sample_projects):
    fig = EMPTY_CASES[case](sample, sample_projects, lang)
    assert isinstance(fig, Figure)
    render(fig)
    assert ("无数据" if lang == "zh" else "No data") in texts(fig)


ALL_CHARTS = {
    "sector_bullets": lambda t, d, p, lang: [
        charts.sector_bullets(t, s, lang=lang) for s in t["sector"].unique()
    ],
    "yoy_bars": lambda t, d, p, lang: [charts.yoy_bars(t, lang=lang)],
    "project_progress": lambda t, d, p, lang: [charts.project_progress(p, lang=lang)],
    "status_matrix": lambda t, d, p, lang: [charts.status_matrix(d, lang=lang)],
    "rank_dots": lambda t, d, p, lang: [
        charts.rank_dots(d, i, lang=lang) for i in ("tax", "safety_accidents")
    ],
    "completion_dots": lambda t, d, p, lang: [charts.completion_dots(t, lang=lang)],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("chart", list(ALL_CHARTS))
def test_no_missing_glyph_and_no_font_fallback(
    chart, lang, sample, district, sample_projects, caplog
):
    with caplog.at_level(logging.WARNING, logger="matplotlib"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            figs = ALL_CHARTS[chart](sample, district, sample_projects, lang)
            for fig in figs:
                assert isinstance(fig, Figure)
                assert render(fig).startswith(b"\x89PNG")
    assert not [
        r for r in caplog.records if "findfont" in r.getMessage() or "Glyph" in r.getMessage()
    ]


def test_charts_register_the_chinese_font_themselves(sample, tmp_path):
    """A fresh process that only imports helpers.document.charts draws Chinese without any set-up."""
    import subprocess
    import sys

    script = tmp_path / "fresh.py"
    script.write_text(
        "import io, sys, warnings\n"
        "warnings.simplefilter('error')\n"
        "import pandas as pd\n"
        "from helpers.document import charts\n"
        f"t = pd.read_pickle({str(tmp_path / 't.pkl')!r})\n"
        "fig = charts.completion_dots(t)\n"
        "fig.savefig(io.BytesIO(), format='png', dpi=40)\n"
        "import matplotlib\n"
        "print(matplotlib.rcParams['font.sans-serif'][0])\n",
        encoding="utf-8",
    )
    sample.to_pickle(tmp_path / "t.pkl")
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(Path(__file__).parent),
    )
    assert done.returncode == 0, done.stderr
    assert "Noto Sans SC" in done.stdout


def test_palette_covers_every_status():
    assert set(STATUS_COLORS) == set(STATUS) == set(STATUS_TINTS) == set(STATUS_SHORT)
    for colors in (STATUS_COLORS, STATUS_TINTS):
        assert all(mcolors.is_color_like(c) for c in colors.values())


# --------------------------------------------------------------------------- Chinese punctuation


def test_chinese_labels_use_full_width_brackets(sample, small):
    figs = [charts.sector_bullets(small), charts.completion_dots(sample)]
    figs += [charts.sector_bullets(sample, s) for s in sample["sector"].unique()]
    labels = [flat(t) for fig in figs for t in texts(fig, "status_label")]
    assert labels and not any(ch in t for t in labels for ch in "()"), labels
    assert "未设目标（2个）" in labels  # the small set's 新增项目: 2 against a target of 0
    assert "高于目标 96.8%（目标95.0%）" in labels  # the sample's 矛盾纠纷调处成功率 (a rate)
    english = [flat(t) for t in texts(charts.sector_bullets(small, lang="en"), "status_label")]
    assert "No target (2)" in english  # English keeps its own brackets, with a space


@pytest.mark.parametrize(
    ("period", "share"), [("2013Q1", "25%"), ("2013H1", "50%"), ("2013Q3", "75%")]
)
def test_pace_legend_names_the_elapsed_share(sample, period, share):
    """序时进度（25%）… with the share :class:`Period` computes, as progress_table puts it in."""
    elapsed = parse_period(period).time_progress
    flows = (sample["measure"] == "cumulative") & (sample["basis"] == "annual")
    table = sample.assign(time_progress=elapsed)
    table.loc[flows, "pace"] = elapsed
    for fig in (charts.completion_dots(table), charts.sector_bullets(table, "综合")):
        legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
        assert f"序时进度（{share}）" in legend, legend
    en = charts.completion_dots(table, lang="en").axes[0].get_legend().get_texts()
    assert f"Time elapsed ({share})" in [t.get_text() for t in en]


def test_year_end_has_no_pace_line_apart_from_the_target(tmp_path):
    """At the year end (H2: figures to December, 序时进度 100%) the pace is the target line
    itself: one legend entry, no dashed line."""
    folder = generate_district(tmp_path / "demo", towns=2, seed=7)
    year = progress_table(load_dataset(folder), "2013H2")
    year = year[year["org"] == year["org"].iloc[0]]
    assert set(year["time_progress"]) == {1.0}
    fig = charts.completion_dots(year)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["目标/控制数（100%）"]
    assert not [line for line in fig.axes[0].get_lines() if line.get_label() == "time_progress"]
