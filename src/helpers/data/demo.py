"""A seeded, made-up district: many townships for the district report and the benchmark.

:func:`generate_district` takes the indicator catalogue of the sample data set
(``data/sample/indicators.csv``, with the sample's annual targets as the size of a typical
township) and writes a complete data set of ``towns`` townships over the half-years of
``years``: annual targets per year, cumulative actuals at each half-year, key projects and
short notes. Every number comes from ``numpy.random.default_rng(seed)``, so the same
arguments give byte-identical files.

Beside ordinary townships the data plants the situations a district report must handle
(all present from 12 townships on): a township ahead of pace, some behind and some severely
behind, a township with no target for one indicator, 预计 (estimated) June figures, a
``down`` indicator over its cap, a zero target, two townships tied in a ranking, and a
township with no prior-year figure for one indicator.

Command line (what made ``data/district-demo``)::

    python -m helpers.data.demo data/district-demo --towns 12 --seed 2013
"""

from __future__ import annotations

import argparse
import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..base.resources import data_dir
from ..errors import UsageError
from .numbers import round_half_up
from .units import conversion_factor

__all__ = ["generate_district", "town_names", "town_name_en", "DISTRICT", "DISTRICT_EN", "main"]

#: The shipped sample data set whose indicator catalogue the demo uses.
#: The made-up district every township belongs to (``orgs.parent``).
DISTRICT = "示范区"
#: Its English name (``orgs.parent_en``), for the title of the English district report.
DISTRICT_EN = "Shifan District"

_FIRST = "东西南北新青白石金龙凤云花桥清安永长宝双高马黄柳兴福和华德仁"
_SECOND = "山河桥场坝溪林田水江兴平安丰泉湖岭源阳洞口湾滩庙寺"
#: The pinyin of every character a demo name is made of, for the towns' ``name_en``.
_PINYIN = {
    **dict(
        zip(
            _FIRST,
            "dong xi nan bei xin qing bai shi jin long feng yun hua qiao qing an yong chang "
            "bao shuang gao ma huang liu xing fu he hua de ren".split(),
            strict=True,
        )
    ),
    **dict(
        zip(
            _SECOND,
            "shan he qiao chang ba xi lin tian shui jiang xing ping an feng quan hu ling yuan "
            "yang dong kou wan tan miao si".split(),
            strict=True,
        )
    ),
}
#: English for the kinds of township (乡镇街道), as the towns' ``name_en`` ends.
_KIND_EN = {"街道": "Subdistrict", "镇": "Town", "乡": "Township"}

_PROJECTS = (
    ("工业园区标准化厂房", "工业", 6000),
    ("农产品加工园", "工业", 4500),
    ("高标准农田建设", "农业", 1800),
    ("农贸市场改造", "服务业", 1200),
    ("场镇污水处理厂", "城镇化", 2500),
    ("场镇风貌整治", "城镇化", 1500),
    ("敬老院扩建", "民生", 800),
    ("中心小学教学楼", "民生", 1600),
)
_PLANS = (
    "紧盯全年目标任务，加快滞后指标进度，确保全面完成年度任务。",
    "加大招商引资力度，推动在建项目早竣工、早投产。",
    "抓好农业产业结构调整，促进农民持续增收。",
    "深化城乡环境综合治理，提升场镇品位。",
)
_PROBLEMS = (
    "项目建设用地紧张，要素保障压力大。",
    "农业基础设施薄弱，抗灾能力不强。",
    "财源结构单一，税收增长后劲不足。",
)


@dataclass(frozen=True)
class _Indicator:
    """What the generator needs to know of one catalogue row."""

    id: str
    name: str
    unit: str
    direction: str
    measure: str
    decimals: int
    base: float  # the sample's annual target, in the indicator's unit
    period_share: float | None  # period target / annual target in the sample, if any
    estimated: bool  # the sample reports it as 预计 in June
    reported_yoy: bool  # the sample reports its yoy (comparable prices)


def generate_district(
    out_dir: str | Path,
    *,
    towns: int = 12,
    seed: int = 2013,
    years: Sequence[int] = (2012, 2013),
    sample: str | Path | None = None,
) -> Path:
    """Write a demo district data set (six CSV files, UTF-8) into ``out_dir``; return it.

    ``towns`` townships, half-years ``{year}H1``/``{year}H2`` of each of ``years`` (actuals
    cumulative from January, H2 ≥ H1 for cumulative measures), an annual target per year.
    ``sample`` is the data set whose ``indicators.csv`` (and annual targets, for scale) are
    used; default the shipped ``data/sample``. Same arguments → byte-identical files.
    """
    if towns < 2:
        raise UsageError(f"towns must be at least 2, got {towns}")
    years = sorted({int(y) for y in years})
    if not years:
        raise UsageError("years must name at least one year")
    source = Path(sample) if sample is not None else data_dir("sample")
    catalogue, indicators = _read_catalogue(source)
    rng = np.random.default_rng(seed)
    names = town_names(towns, rng)
    plan = _Plan.draw(rng, towns, indicators)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    targets: list[list[str]] = []
    actuals: list[list[str]] = []
    for t, org in enumerate(names):
        size = float(rng.lognormal(0.0, 0.45))
        for ind in indicators:
            rows_t, rows_a = _town_indicator(rng, t, org, ind, size, years, plan)
            targets += rows_t
            actuals += rows_a
    _plant_tie(targets, actuals, names, plan, str(years[-1]))
    completions = _completions(targets, actuals)

    _write_csv(out / "indicators.csv", list(catalogue.columns), catalogue.values.tolist())
    _write_csv(out / "targets.csv", ["org", "indicator", "period", "target"], targets)
    _write_csv(
        out / "actuals.csv", ["org", "indicator", "period", "value", "status", "yoy"], actuals
    )
    _write_csv(
        out / "projects.csv",
        [
            "org",
            "period",
            "project",
            "sector",
            "total_investment",
            "year_plan",
            "year_done",
            "stage",
            "percent_complete",
            "note",
        ],
        _projects(rng, names, years),
    )
    _write_csv(
        out / "notes.csv",
        ["org", "period", "section", "text"],
        _notes(rng, names, years, indicators, completions),
    )
    _write_csv(
        out / "orgs.csv",
        ["org", "name", "name_en", "parent", "parent_en"],
        [[n, f"{DISTRICT}{n}", town_name_en(n), DISTRICT, DISTRICT_EN] for n in names],
    )
    return out


def town_names(count: int, rng: np.random.Generator) -> list[str]:
    """``count`` distinct names in a district's usual order: 街道 first, then 镇, then 乡.

    About a tenth are 街道 (at least one), a quarter 乡, the rest 镇: 东坝街道, 青山镇, 石桥乡.
    """
    pairs = [a + b for a in _FIRST for b in _SECOND if a != b]
    if count > len(pairs):
        raise UsageError(f"at most {len(pairs)} townships, got {count}")
    streets = max(1, int(round_half_up(count * 0.10)))
    xiang = int(round_half_up(count * 0.25))
    suffixes = ["街道"] * streets + ["镇"] * (count - streets - xiang) + ["乡"] * xiang
    chosen = rng.permutation(len(pairs))[:count]
    return [pairs[int(i)] + suffix for i, suffix in zip(chosen, suffixes)]


def town_name_en(name: str) -> str:
    """A demo town's English name in pinyin: 南兴镇 → Nanxing Town, 西安乡 → Xi'an Township,
    宝庙街道 → Baomiao Subdistrict (an apostrophe before a syllable that starts with a, o, e)."""
    kind = next(k for k in _KIND_EN if name.endswith(k))
    syllables = [_PINYIN[c] for c in name[: -len(kind)]]
    word = syllables[0] + "".join(("'" if s[0] in "aoe" else "") + s for s in syllables[1:])
    return f"{word.capitalize()} {_KIND_EN[kind]}"


# ----------------------------------------------------------------------------- catalogue


def _read_catalogue(source: Path) -> tuple[pd.DataFrame, list[_Indicator]]:
    """The sample's indicators, each with its annual target as the scale of a township."""
    path = source / "indicators.csv"
    if not path.exists():
        raise UsageError(f"no indicator catalogue at {path}")
    catalogue = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    targets = _read_optional(source / "targets.csv")
    actuals = _read_optional(source / "actuals.csv")
    indicators = []
    for row in catalogue.to_dict("records"):
        unit = row["unit"]
        mine_t = targets[targets["indicator"] == row["indicator"]] if len(targets) else targets
        annual = mine_t[mine_t["period"].str.fullmatch(r"\d{4}")] if len(mine_t) else mine_t
        base = _in_unit(annual.iloc[-1], "target", unit) if len(annual) else None
        halves = mine_t[mine_t["period"].str.fullmatch(r"\d{4}H1")] if len(mine_t) else mine_t
        share = None
        if base and len(halves):
            share = _in_unit(halves.iloc[-1], "target", unit) / base
        mine_a = actuals[actuals["indicator"] == row["indicator"]] if len(actuals) else actuals
        if base is None:
            base = 2 * max([_in_unit(r, "value", unit) for _, r in mine_a.iterrows()] or [50.0])
        indicators.append(
            _Indicator(
                id=row["indicator"],
                name=row.get("name") or row["indicator"],
                unit=unit,
                direction=row.get("direction") or "up",
                measure=row.get("measure") or "cumulative",
                decimals=int(row.get("decimals") or 0),
                base=float(base),
                period_share=share,
                estimated=bool(len(mine_a)) and bool((mine_a.get("status") == "预计").any()),
                reported_yoy=bool(len(mine_a))
                and bool((mine_a.get("yoy", pd.Series()) != "").any()),
            )
        )
    return catalogue, indicators


def _read_optional(path: Path) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame()
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _in_unit(row: pd.Series, column: str, unit: str) -> float:
    value = float(row[column])
    return float(value * conversion_factor(row.get("unit", "") or unit, unit))


# ----------------------------------------------------------------------------- situations


@dataclass(frozen=True)
class _Plan:
    """Which township plays which situation (drawn once, from the seeded generator)."""

    profile: dict[int, str]  # town → ahead | severe | behind (others: normal)
    no_target: tuple[int, str]  # town without an annual target for that indicator
    zero_target: tuple[int, str]  # town with target 0 (latest year)
    down_exceeded: tuple[int, str]  # town over the cap of a `down` indicator (latest year)
    estimates: tuple[int, ...]  # towns whose latest-year figures are 预计
    tie: tuple[int, int, str]  # two towns with identical target and actuals (latest year)
    no_prior: tuple[int, str]  # town with no first-year actual for that indicator

    @classmethod
    def draw(cls, rng: np.random.Generator, towns: int, indicators: list[_Indicator]) -> _Plan:
        order = [int(i) for i in rng.permutation(towns)]
        profile = {
            order[0]: "ahead",
            order[1]: "severe",
            order[2 % towns]: "severe",
            order[3 % towns]: "behind",
            order[4 % towns]: "behind",
        }
        slot = [int(i) for i in rng.permutation(towns)]

        def pick(k: int) -> int:  # distinct towns while there are enough of them
            return slot[k % towns]

        growth = [i for i in indicators if i.measure == "cumulative" and i.direction == "up"]
        money = [i for i in growth if i.unit in ("万元", "亿元")] or growth
        counts = [i for i in growth if i.decimals == 0 and i.base < 10] or growth
        downs = [i for i in indicators if i.direction == "down"]
        tie_ind = money[0].id
        others = [i for i in growth if i.id != tie_ind] or growth
        no_target = others[int(rng.integers(len(others)))].id
        zero = counts[int(rng.integers(len(counts)))].id
        prior = others[int(rng.integers(len(others)))].id
        return cls(
            profile=profile,
            no_target=(pick(0), no_target),
            zero_target=(pick(1), zero),
            down_exceeded=(pick(2), downs[0].id if downs else ""),
            estimates=(pick(3), pick(4), pick(5)),
            tie=(pick(6), pick(7), tie_ind),
            no_prior=(pick(8), prior),
        )


def _pace(rng: np.random.Generator, profile: str) -> tuple[float, float]:
    """(full-year completion, share of the year's figure reached by June) for a profile."""
    if profile == "ahead":
        return float(rng.uniform(1.05, 1.25)), float(rng.uniform(0.50, 0.58))
    if profile == "severe":
        return float(rng.uniform(0.30, 0.50)), float(rng.uniform(0.30, 0.40))
    if profile == "behind":
        return float(rng.uniform(0.70, 0.90)), float(rng.uniform(0.35, 0.45))
    return float(rng.normal(1.0, 0.12)), float(rng.uniform(0.38, 0.56))


def _town_indicator(
    rng: np.random.Generator,
    t: int,
    org: str,
    ind: _Indicator,
    size: float,
    years: list[int],
    plan: _Plan,
) -> tuple[list[list[str]], list[list[str]]]:
    """Target and actual rows of one township and indicator over all years."""
    last, first = years[-1], years[0]
    profile = plan.profile.get(t, "normal")
    targets: list[list[str]] = []
    actuals: list[list[str]] = []
    previous: dict[str, float] = {}
    growth = float(rng.uniform(1.05, 1.20))
    for year in years:
        target = _target(ind, size, growth ** (year - last))
        if (t, ind.id) == plan.zero_target and year == last:
            target = 0.0
        full, share = _pace(rng, profile)
        h1, h2 = _values(rng, ind, target, full, share, profile)
        if (t, ind.id) == plan.zero_target and year == last:
            h1, h2 = 0.0, 1.0
        if (t, ind.id) == plan.down_exceeded and year == last:
            h1, h2 = target + 1, target + 2
        if (t, ind.id) != plan.no_target:
            targets.append([org, ind.id, str(year), _fmt(target, ind.decimals)])
            if ind.period_share:
                h1_target = _nice(target * ind.period_share * float(rng.uniform(0.9, 1.05)), ind)
                targets.append([org, ind.id, f"{year}H1", _fmt(h1_target, ind.decimals)])
        if (t, ind.id) == plan.no_prior and year == first:
            continue
        status = "预计" if ind.estimated and year == last and t in plan.estimates else "正式"
        for half, value in (("H1", h1), ("H2", h2)):
            period = f"{year}{half}"
            yoy = ""
            if ind.reported_yoy and half in previous and previous[half] > 0:
                growth_pct = (value / previous[half] - 1) * 100 - float(rng.uniform(0.0, 2.0))
                yoy = _fmt(growth_pct, 1)
            actuals.append([org, ind.id, period, _fmt(value, ind.decimals), status, yoy])
            previous[half] = value
    return targets, actuals


def _target(ind: _Indicator, size: float, growth: float) -> float:
    """An annual target: the sample's, scaled to the township and year, rounded nicely."""
    if ind.measure == "rate":
        return ind.base
    if ind.direction == "down":
        return float(max(1, round_half_up(ind.base * size**0.5)))
    return _nice(ind.base * size * growth, ind)


def _values(
    rng: np.random.Generator,
    ind: _Indicator,
    target: float,
    full: float,
    share: float,
    profile: str,
) -> tuple[float, float]:
    """(June, December) figures: cumulative, level, rate and `down` behave differently."""
    d = ind.decimals
    if ind.measure == "rate":
        lift = {"ahead": 3.0, "severe": -6.0, "behind": -3.0}.get(profile, 0.0)
        h1 = min(100.0, float(rng.normal(target + lift, 1.5)))
        h2 = min(100.0, float(rng.normal(target + lift + 0.5, 1.5)))
        return round_half_up(h1, d), round_half_up(h2, d)
    if ind.direction == "down":
        h1 = min(float(rng.poisson(0.25 * target)), target)
        h2 = min(h1 + float(rng.poisson(0.3 * target)), target)
        return h1, h2
    full = max(full, 0.05)
    year_end = round_half_up(target * full, d)
    if ind.measure == "level":
        return round_half_up(year_end * float(rng.uniform(0.6, 0.95)), d), year_end
    june = round_half_up(target * full * share, d)
    return june, max(june, year_end)


def _nice(value: float, ind: _Indicator) -> float:
    """Two significant figures (1837 → 1800), at most the indicator's decimals, counts ≥ 1."""
    if value <= 0:
        return 0.0
    digits = 2 - len(str(int(value))) if value >= 1 else 2
    nice = round_half_up(value, min(digits, ind.decimals))
    if ind.decimals == 0:
        nice = max(1.0, nice)
    return nice if nice > 0 else 10.0**-ind.decimals  # tiny values: the smallest shown


def _plant_tie(
    targets: list[list[str]], actuals: list[list[str]], names: list[str], plan: _Plan, year: str
) -> None:
    """Give the second tied township the first's targets and figures of ``year`` (rows are
    ``[org, indicator, period, number, ...]``)."""
    a, b, indicator = plan.tie
    if a == b:
        return
    for rows in (targets, actuals):
        source = {
            r[2]: r
            for r in rows
            if r[0] == names[a] and r[1] == indicator and r[2].startswith(year)
        }
        for r in rows:
            if r[0] == names[b] and r[1] == indicator and r[2] in source:
                r[3:] = source[r[2]][3:]


# ----------------------------------------------------------------------------- projects, notes


def _projects(rng: np.random.Generator, names: list[str], years: list[int]) -> list[list[str]]:
    """Two key projects per township, advancing half-year by half-year (investment in 万元)."""
    rows: list[list[str]] = []
    for org in names:
        for p in rng.choice(len(_PROJECTS), size=2, replace=False):
            title, sector, base = _PROJECTS[int(p)]
            total = round_half_up(base * float(rng.uniform(0.6, 1.6)), -2)
            percent = float(rng.uniform(0, 30))
            for year in years:
                at_start = percent
                steps = [float(rng.uniform(8, 25)) for _ in range(2)]
                year_end = min(100.0, at_start + sum(steps))
                year_plan = total * (min(100.0, year_end + 10) - at_start) / 100
                for half, step in zip(("H1", "H2"), steps):
                    percent = min(100.0, percent + step)
                    shown = round_half_up(percent, 0)
                    year_done = total * (percent - at_start) / 100
                    rows.append(
                        [
                            org,
                            f"{year}{half}",
                            f"{org[:2]}{title}",
                            sector,
                            _fmt(total, 0),
                            _fmt(year_plan, 0),
                            _fmt(year_done, 0),
                            _stage(shown),
                            _fmt(shown, 0),
                            "",
                        ]
                    )
    return rows


def _stage(percent: float) -> str:
    if percent >= 100:
        return "竣工"
    if percent >= 80:
        return "主体完工"
    if percent >= 10:
        return "在建"
    return "前期"


def _completions(
    targets: list[list[str]], actuals: list[list[str]]
) -> dict[tuple[str, str], list[tuple[float, str]]]:
    """(org, half-year) → [(figure / annual target, indicator)] where the target is not zero."""
    annual = {(r[0], r[2], r[1]): float(r[3]) for r in targets if r[2].isdigit()}
    out: dict[tuple[str, str], list[tuple[float, str]]] = {}
    for org, indicator, period, value, *_ in actuals:
        target = annual.get((org, period[:4], indicator))
        if target:
            out.setdefault((org, period), []).append((float(value) / target, indicator))
    return out


def _notes(
    rng: np.random.Generator,
    names: list[str],
    years: list[int],
    indicators: list[_Indicator],
    completions: dict[tuple[str, str], list[tuple[float, str]]],
) -> list[list[str]]:
    """Per half-year: a highlight (the best indicator), a problem (the weakest) and a plan."""
    growth = {i.id: i.name for i in indicators if i.direction == "up" and i.measure == "cumulative"}
    rows: list[list[str]] = []
    for org in names:
        for year in years:
            for half, months, pace in (("H1", "1-6月", 0.5), ("H2", "1-12月", 1.0)):
                period = f"{year}{half}"
                mine = sorted((r, i) for r, i in completions.get((org, period), []) if i in growth)
                mine.sort(key=lambda x: (-x[0], x[1]))
                if mine and mine[0][0] >= pace:
                    best_r, best = mine[0]
                    text = (
                        f"**{growth[best]}进展较快。**{months}完成全年目标的"
                        f"{_fmt(best_r * 100, 1)}%，快于序时进度。"
                    )
                else:
                    text = "**重点项目有序推进。**各项工作稳步开展。"
                rows.append([org, period, "highlights", text])
                if mine and mine[-1][0] < pace - 0.1:
                    worst_r, worst = mine[-1]
                    text = (
                        f"**{growth[worst]}进度滞后。**{months}仅完成全年目标的"
                        f"{_fmt(worst_r * 100, 1)}%，低于序时进度。"
                    )
                else:
                    text = _PROBLEMS[int(rng.integers(len(_PROBLEMS)))]
                rows.append([org, period, "problems", text])
                plan = _PLANS[int(rng.integers(len(_PLANS)))]
                rows.append([org, period, "plans", plan if half == "H1" else f"{year + 1}年{plan}"])
    return rows


# ----------------------------------------------------------------------------- output


def _fmt(value: float, decimals: int) -> str:
    """A number as the CSV holds it: half-up to ``decimals``, never ``-0``."""
    rounded = round_half_up(float(value), max(decimals, 0))
    if rounded == 0:
        rounded = 0.0
    return f"{rounded:.{max(decimals, 0)}f}"


def _write_csv(path: Path, header: list[str], rows: Iterable[Sequence[object]]) -> None:
    """UTF-8, ``\\n`` line ends, minimal quoting: the same rows give the same bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("utf-8"))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m helpers.data.demo OUT [--towns N] [--seed S] [--years 2012 2013]``."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.data.demo", description=__doc__.split("\n")[0]
    )
    parser.add_argument("out", help="folder to write the CSV files into")
    parser.add_argument("--towns", type=int, default=12)
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--years", type=int, nargs="+", default=[2012, 2013])
    args = parser.parse_args(argv)
    out = generate_district(args.out, towns=args.towns, seed=args.seed, years=args.years)
    print(f"wrote {args.towns} townships to {out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
