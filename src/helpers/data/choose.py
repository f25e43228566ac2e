"""Which data set, org and period a user meant: one rule for the command line and the notebooks.

- A data path is tried as given (relative to the folder the user started from), then relative
  to the project root (the folder holding ``pyproject.toml`` and ``notebooks/`` above the
  working folder, else kpibook's own checkout), so ``data/太源镇-2013H1`` as ``kpibook import``
  printed it works in ``notebooks/report.ipynb`` too; when nothing is there, the error lists
  every place looked at.
- An org is named by its id or its name (the orgs table's full name), ignoring width and
  spaces (``ＡＢ镇`` is ``AB镇``); a typo is an error listing the orgs there are, nearest first.
- A period is checked against the figures: an asked-for period the data has no figures for is
  an error naming the periods it has (the batch reports such orgs as 未报送 instead).

What this does not do: guess between two orgs that both match, or read anything but names.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from ..base.resources import checkout_root
from ..errors import DataError, DataErrors, Problem, UnknownKeyError
from .dataset import Dataset
from .periods import parse_period
from .validate import name_key

__all__ = ["locate_data", "project_roots", "find_org", "find_period"]


def project_roots(start: Path | None = None) -> list[Path]:
    """Project folders a relative path may be meant from: the nearest folder at or above
    ``start`` (default: the working folder) that holds ``pyproject.toml`` and ``notebooks/``,
    then kpibook's own checkout."""
    here = (start or Path.cwd()).resolve()
    roots = [
        folder
        for folder in (here, *here.parents)
        if (folder / "pyproject.toml").is_file() and (folder / "notebooks").is_dir()
    ][:1]
    own = checkout_root()
    if own is not None and own.resolve() not in roots:
        roots.append(own.resolve())
    return roots


def locate_data(path: str | Path, start: Path | None = None) -> Path:
    """The data set ``path`` names: as given, else under the project root; the error lists
    every place looked at."""
    given = Path(path).expanduser()
    if given.is_absolute():
        tried = [given]
    else:
        here = start or Path.cwd()
        tried = [here / given] + [root / given for root in project_roots(here)]
    tried = list(dict.fromkeys(tried))
    for number, candidate in enumerate(tried):
        if candidate.exists():  # kept as the user wrote it when it is where they are
            return given if number == 0 and start is None else candidate
    looked = "；".join(str(t) for t in tried)
    raise DataErrors(
        [
            Problem(
                f"找不到数据，找过（looked in）：{looked}（no such file or folder）",
                file=str(path),
            )
        ],
        source=str(path),
    )


def find_org(ds: Dataset, text: str) -> str:
    """The org id ``text`` names (its id or full name, ignoring width and spaces)."""
    names = {org: ds.org_name(org) for org in ds.org_list}
    wanted = name_key(text)
    for org, name in names.items():
        if wanted in (name_key(org), name_key(name)):
            return org
    choices = list(names)
    nearest = difflib.get_close_matches(str(text), choices + list(names.values()), n=3, cutoff=0.3)
    order = [o for o in choices if o in nearest or names[o] in nearest]
    order += [o for o in choices if o not in order]
    shown = "、".join(order[:30]) + (f" 等{len(order)}个" if len(order) > 30 else "")
    raise UnknownKeyError(
        f"数据中没有这个乡镇；有：{shown}（no such org; these are the orgs, nearest first）",
        column="org",
        value=text,
        file=str(ds.path),
    )


def find_period(ds: Dataset, text: str = "") -> str:
    """The period ``text`` names (default: the latest half-year with figures); a period the
    data has no figures for is an error naming the periods it has."""
    if not text:
        return ds.latest_period()
    try:
        period = str(parse_period(text))
    except DataError as exc:
        raise exc.located(column="period", file=str(ds.path)) from None
    if not ds.has_period(period):
        have = "、".join(ds.periods()) or "无"
        raise UnknownKeyError(
            f"数据中没有这个期间的完成数；有：{have}（no figures for this period）",
            column="period",
            value=text,
            file=str(ds.path),
        )
    return period
