"""The notebooks' parameters, checked before any section runs: one path for every notebook.

``report.ipynb``, ``district.ipynb`` and ``explore.ipynb`` each load through
:func:`check_parameters` (from ``Report.load``, ``District.load``, ``explore.load``): the
parameters cell's values are read by the rules of :mod:`helpers.data.choose` (the same as the
command line's) and every problem is reported at once, Chinese first, as one plain message
without a Python traceback (:func:`~helpers.sections.shell.plain_errors`), before a single
section is drawn. Nothing is written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..data.choose import (
    as_flag,
    check_decimals,
    check_lang,
    find_org,
    find_period,
    locate_data,
    out_folder,
)
from ..data.dataset import Dataset, load_dataset
from ..errors import KpibookError, UsageError
from .shell import plain_errors

__all__ = ["Parameters", "check_parameters"]


@dataclass(frozen=True)
class Parameters:
    """A notebook's parameters as checked: the data set read, the org id ("" when the
    notebook has none or none was given), the period with figures, and the rest."""

    ds: Dataset
    org: str
    period: str
    lang: str
    decimals: int
    share: bool
    out: Path


def check_parameters(
    data: Any = "",
    org: Any = None,
    period: Any = "",
    *,
    lang: Any = "zh",
    decimals: Any = 1,
    share: Any = False,
    out: Any = "",
    default: Path,
) -> Parameters:
    """Every parameter checked, every problem at once: one problem is raised as it is; more
    are one :class:`~helpers.errors.UsageError` listing each. ``org=None``: the notebook has
    no org (the district and explore notebooks); ``""``: the data set's first org."""
    plain_errors()
    problems: list[KpibookError] = []
    checked: dict[str, Any] = {}
    for name, rule, value in (
        ("lang", check_lang, lang),
        ("decimals", check_decimals, decimals),
        ("share", as_flag, share),
        ("out", out_folder, out),
    ):
        try:
            checked[name] = rule(value)
        except KpibookError as exc:
            problems.append(exc)
    ds: Dataset | None = None
    try:
        ds = load_dataset(locate_data(data) if str(data).strip() else default)
    except KpibookError as exc:
        problems.append(exc)
    if ds is not None:
        for name, find, value in (("org", find_org, org), ("period", find_period, period)):
            if name == "org" and org is None:
                checked["org"] = ""
                continue
            try:
                checked[name] = find(ds, value) if str(value).strip() else ""
            except KpibookError as exc:
                problems.append(exc)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        lines = "\n".join(f"  - {p}" for p in problems)
        raise UsageError(f"参数有 {len(problems)} 个问题（parameter problems）：\n{lines}")
    assert ds is not None
    return Parameters(
        ds,
        checked["org"] or (ds.org_list[0] if org is not None else ""),
        checked["period"] or ds.latest_period(),
        checked["lang"],
        checked["decimals"],
        checked["share"],
        checked["out"],
    )
