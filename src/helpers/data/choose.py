"""Which data set, org and period a user meant: one rule for the command line and the notebooks.

- A data path is tried as given (relative to the folder the user started from), then relative
  to the project root (the folder holding ``pyproject.toml`` and ``notebooks/`` above the
  working folder, else kpibook's own checkout), so ``data/太源镇-2013H1`` as ``kpibook import``
  printed it works in ``notebooks/report.ipynb`` too; when nothing is there, the error lists
  every place looked at.
- An org is named by its id or its name (the orgs table's full name), ignoring width and
  spaces (``ＡＢ镇`` is ``AB镇``); a typo is an error listing the orgs there are, nearest first.
- A period is read by :func:`~helpers.data.periods.parse_period` and checked against the
  figures: ``2013年1-6月`` (figures to the end of June) is the data's ``2013H1`` as the
  importer reads that title; a period the data has no figures for, or text that is no period,
  is an error naming the periods it has (the batch reports such orgs as 未报送 instead).
- Every path parameter (``data``, ``out``) is read one way (:func:`user_path`): spaces and
  quotes pasted around it dropped, ``~`` expanded.
- The period a run reports when none is given (:func:`resolve_period`): the last completed
  half-year, else the latest the data has, with a warning.
- The other parameters have one rule each, the same in every notebook: ``lang``
  (:func:`check_lang`), ``decimals`` (:func:`check_decimals`, the CLI's range) and the
  yes/no ones such as ``share`` (:func:`as_flag`); the formats (:data:`FORMATS`).

Light to import (no pandas): the command line reads its options with it before anything else.

What this does not do: guess between two orgs that both match, or read anything but names.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..base.resources import checkout_root
from ..errors import DataError, DataErrors, PeriodError, Problem, UnknownKeyError, UsageError
from .periods import Period, last_completed_half, parse_period
from .schema import TABLES
from .text import name_key

if TYPE_CHECKING:
    from .dataset import Dataset

__all__ = [
    "locate_data",
    "project_roots",
    "find_org",
    "find_period",
    "user_path",
    "out_folder",
    "check_lang",
    "check_decimals",
    "as_flag",
    "DECIMALS",
    "FORMATS",
    "LANGS",
    "resolve_period",
]

#: The percentages' decimals a report can show (``--decimals`` and the notebooks' ``decimals``).
DECIMALS = range(0, 7)
#: The report languages (``--lang`` and the notebooks' ``lang``).
LANGS = ("zh", "en")
#: The formats a report can be made in (``--to``, ``publish``'s ``to``), in this order.
FORMATS = ("html", "pdf", "docx", "ipynb")
#: What a yes/no parameter may be written as (``share = "否"`` is no), compared by
#: :func:`~helpers.data.text.name_key` (case, width and spaces do not count).
YES = ("true", "yes", "y", "t", "1", "on", "是", "对", "要")
NO = ("false", "no", "n", "f", "0", "off", "", "否", "不", "不要", "none")
_QUOTES = "\"'“”‘’「」『』`"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def _text(value: Any) -> str:
    """A parameter's text without what pasting brings along: spaces (also full-width) and
    invisible characters at either end, and one pair of quotes around it."""
    text = str(value).strip().strip(_INVISIBLE).strip()
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    return text


def user_path(value: str | Path) -> Path:
    """A path as the user meant it: pasted spaces and quotes around it dropped, ``~`` (and
    ``~user``) expanded. The one rule of every path parameter."""
    return Path(_text(value)).expanduser()


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


def locate_data(path: str | Path | None, start: Path | None = None) -> Path:
    """The data set ``path`` names: as given, else under the project root; the error lists
    every place looked at. A folder that holds data sets rather than being one is an error
    naming the data sets inside. ``None``: the sample kpibook ships."""
    if path is None:
        from .dataset import default_data

        return default_data()
    given = user_path(path)
    if given.is_absolute():
        tried = [given]
    else:
        here = start or Path.cwd()
        tried = [here / given] + [root / given for root in project_roots(here)]
    tried = list(dict.fromkeys(tried))
    for number, candidate in enumerate(tried):
        if candidate.exists():  # kept as the user wrote it when it is where they are
            _not_a_shelf(candidate, path)
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


def _table_stems() -> set[str]:
    """How a data set's table files are named (``indicators``, ``指标``…), as name keys."""
    return {name_key(n) for t in TABLES.values() for n in (t.name, t.zh)}


def _is_data_set(path: Path) -> bool:
    """Whether ``path`` looks like a data set: a workbook, or a folder with a table's CSV."""
    if path.is_file():
        return path.suffix.lower() in (".xlsx", ".xlsm") and not path.name.startswith((".", "~$"))
    try:
        files = [f for f in path.iterdir() if f.suffix.lower() == ".csv"]
    except OSError:
        return False
    stems = _table_stems()
    return any(name_key(f.stem) in stems for f in files)


def _not_a_shelf(folder: Path, written: str | Path) -> None:
    """Refuse a folder that holds data sets (``data/``) but is none: name the sets inside."""
    if not folder.is_dir() or _is_data_set(folder):
        return
    try:
        inside = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    except OSError:
        return
    sets = [p.name for p in inside if _is_data_set(p)]
    if not sets:
        return
    shown = "、".join(sets[:30]) + (f" 等{len(sets)}个" if len(sets) > 30 else "")
    example = (Path(_text(written)) / sets[0]).as_posix()
    raise DataErrors(
        [
            Problem(
                f"这是存放数据集的文件夹，不是一个数据集；里面的数据集有：{shown}。"
                f"请写其中一个，如 {example}"
                "（a folder of data sets, not a data set: name one of those inside）",
                file=str(folder),
            )
        ],
        source=str(written),
    )


def out_folder(value: str | Path = "", start: Path | None = None) -> Path:
    """The folder shareable files go to, absolute: ``""`` is the project's ``reports/``; a
    relative one is where the user is, unless only the project root has it (as for data)."""
    here = start or Path.cwd()
    if not _text(value):
        roots = project_roots(here)
        return ((roots[0] if roots else here) / "reports").resolve()
    given = user_path(value)
    tried = (
        [given]
        if given.is_absolute()
        else [here / given, *(r / given for r in project_roots(here))]
    )
    where = next((t for t in tried if t.exists()), tried[0]).resolve()
    if where.exists() and not where.is_dir():
        raise UsageError(
            f"参数 out 的值「{value}」是一个文件，不是文件夹：{where}；请写一个文件夹"
            f"（out must be a folder, {where} is a file）"
        )
    return where


def _bad(name: str, value: Any, zh: str, en: str) -> UsageError:
    return UsageError(f"参数 {name} 的值「{value}」不对：{zh}（{name}: {en}）")


def check_lang(value: Any) -> str:
    """``zh`` or ``en`` (case and pasted spaces do not count; empty is ``zh``)."""
    text = name_key(_text(value)) if value is not None else ""
    if text in ("", *LANGS):
        return text or "zh"
    raise _bad("lang", value, "只能是 zh（中文）或 en（英文）", "must be zh or en")


def check_decimals(value: Any) -> int:
    """The percentages' decimals, an integer in :data:`DECIMALS` (as ``--decimals``)."""
    number: Any = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and unicodedata.normalize("NFKC", _text(value)).isdecimal():
        number = int(unicodedata.normalize("NFKC", _text(value)))
    if number is None or number not in DECIMALS:
        raise _bad(
            "decimals",
            value,
            f"应为 {DECIMALS.start} 到 {DECIMALS.stop - 1} 的整数",
            f"an integer from {DECIMALS.start} to {DECIMALS.stop - 1}",
        )
    return int(number)


def as_flag(value: Any, name: str = "share") -> bool:
    """A yes/no parameter: ``True``/``False``, or text such as ``"False"``, ``"否"``, ``"0"``,
    ``"no"`` or ``""`` (no) and ``"True"``, ``"是"``, ``"1"``, ``"yes"`` (yes); anything else
    is an error, never read as yes because it is not empty."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    key = name_key(_text(value))
    if key in YES:
        return True
    if key in NO:
        return False
    raise _bad(
        name,
        value,
        "应为 True（是）或 False（否）",
        "must be True or False",
    )


def find_org(ds: Dataset, text: str) -> str:
    """The org id ``text`` names (its id or full name, ignoring width and spaces)."""
    names = ds.org_names()
    wanted = name_key(_text(text))
    found = ds.org_keys().get(wanted)
    if found is not None:
        return found
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


def find_period(ds: Dataset, text: Any = "") -> str:
    """The period ``text`` names (default: the latest half-year with figures); a period the
    data has no figures for, or text that is no period, is an error naming the periods it has.

    Figures are cumulative, so a period is its year and end month: asked for ``2013年1-6月``
    (``2013-06``), a data set with ``2013H1`` answers with it, as the importer reads a title's
    1-6月 as ``2013H1`` (of several, a year before a half before a quarter before a month)."""
    if text is None or not _text(text):
        return ds.latest_period()
    have = "、".join(ds.periods()) or "无"
    try:
        period = parse_period(_text(text) if isinstance(text, str) else text)
    except DataError as exc:
        raise PeriodError(
            f"{exc.problem.message}；数据中有：{have}",
            column="period",
            value=text,
            file=str(ds.path),
        ) from None
    if ds.has_period(str(period)):
        return str(period)
    same = [p for p in map(parse_period, ds.periods()) if _cut_off(p) == _cut_off(period)]
    if same:
        return str(min(same, key=lambda p: "YHQM".index(p.kind)))
    raise UnknownKeyError(
        f"数据中没有这个期间的完成数；有：{have}（no figures for this period）",
        column="period",
        value=text,
        file=str(ds.path),
    )


def _cut_off(period: Period) -> tuple[int, int]:
    """When a period's cumulative figures end: its year and end month."""
    return period.year, period.end_month


def resolve_period(
    ds: Dataset, period: str | None, today: _dt.date | None
) -> tuple[str, str | None]:
    """The period to report and a warning when the default had to fall back.

    Default: the last completed half-year before ``today``; where the data set has no figures
    for it, the latest period it has, with a warning naming both.
    """
    if period:
        return str(parse_period(period)), None
    wanted = str(last_completed_half(today or _dt.date.today()))
    if ds.has_period(wanted):
        return wanted, None
    latest = ds.latest_period()
    return latest, (
        f"警告：数据中没有 {wanted}（今天之前最近一个已结束的半年）的数据，"
        f"改为报告数据中最新的 {latest}。"
        f" (warning: no figures for {wanted}; reporting the latest period {latest})"
    )
