"""Every error kpibook raises on purpose, with the context a user needs to fix the input.

One base class, :class:`KpibookError`; each specific error also subclasses the matching
built-in (``ValueError``, ``KeyError``, ``RuntimeError``) so callers that know nothing of
kpibook still catch it sensibly. A data problem carries where it is: file (or sheet), the
row as the user sees it in Excel or an editor, the column and the offending value.
:class:`DataErrors` gathers many problems so a data set is reported whole, in one run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .base.invisible import escaped, is_invisible

__all__ = [
    "KpibookError",
    "Problem",
    "DataError",
    "NumberError",
    "PeriodError",
    "UnitError",
    "MissingColumnError",
    "UnknownKeyError",
    "DataErrors",
    "UsageError",
    "FontError",
    "OutputError",
    "WorkerError",
    "visible",
    "shortened",
]


class KpibookError(Exception):
    """Base of every error kpibook raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found in the input: what, and exactly where."""

    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: Any = None
    severity: str = "error"  # "error" stops the run; "warning" is shown in 数据说明

    def where(self) -> str:
        """``file[sheet] 第r行 列「c」`` — the place, in the words a user looks for."""
        parts: list[str] = []
        if self.file:
            parts.append(self.file + (f"[{self.sheet}]" if self.sheet else ""))
        elif self.sheet:
            parts.append(f"[{self.sheet}]")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"列「{self.column}」")
        return " ".join(parts)

    def __str__(self) -> str:
        text = self.where()
        if self.value is not None:
            text = f"{text} 值「{shortened(self.value)}」".strip()
        return f"{text}：{self.message}" if text else self.message  # Chinese first: full width


def visible(value: Any) -> str:
    """Values are shown with control characters (``\\x0b``, ``\\n``) and invisible ones
    (``\\u200b``, a right-to-left override ``\\u202e``: :mod:`helpers.base.invisible`)
    escaped, so a newline cannot fake a line and two names that look the same show how they
    differ; every other character, Chinese included, as it is."""
    return "".join(_shown(ch) for ch in str(value))


#: A value longer than this is shown by its start and its length (the place says where the
#: rest is): a 30,000-character note would otherwise be a message no one can read.
LONGEST_SHOWN = 100


def shortened(value: Any) -> str:
    """``value`` as a message shows it: :func:`visible`, and by its start and its length when
    it is longer than :data:`LONGEST_SHOWN`."""
    text = str(value)
    if len(text) <= LONGEST_SHOWN:
        return visible(text)
    return (
        f"{visible(text[: LONGEST_SHOWN // 2])}…（共 {len(text):,} 字 / {len(text):,} characters）"
    )


def _shown(ch: str) -> str:
    if ord(ch) < 32 or ord(ch) == 127:
        return ch.encode("unicode_escape").decode("ascii")
    return escaped(ch) if is_invisible(ch) else ch


class DataError(KpibookError, ValueError):
    """A single bad value in the input, with its place."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
    ) -> None:
        self.problem = Problem(message, file=file, sheet=sheet, row=row, column=column, value=value)
        super().__init__(str(self.problem))

    @property
    def file(self) -> str | None:
        return self.problem.file

    @property
    def sheet(self) -> str | None:
        return self.problem.sheet

    @property
    def row(self) -> int | None:
        return self.problem.row

    @property
    def column(self) -> str | None:
        return self.problem.column

    @property
    def value(self) -> Any:
        return self.problem.value

    def located(self, **where: Any) -> DataError:
        """The same error with its place (file, row, column) filled in by the caller knowing it."""
        fields = {k: getattr(self.problem, k) for k in ("file", "sheet", "row", "column", "value")}
        fields.update({k: v for k, v in where.items() if v is not None})
        return type(self)(self.problem.message, **fields)


class NumberError(DataError):
    """A cell that should hold a number holds something else."""


class PeriodError(DataError):
    """A period that is not ``2013``, ``2013H1``, ``2013Q2`` or ``2013-06``."""


class UnitError(DataError):
    """A unit that cannot be converted to the indicator's unit."""


class MissingColumnError(DataError, KeyError):
    """A required column (or table) is not in the file."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.problem)


class UnknownKeyError(DataError, KeyError):
    """A row refers to an indicator, org or period that does not exist."""

    def __str__(self) -> str:
        return str(self.problem)


class DataErrors(KpibookError, ValueError):
    """Every problem of a data set at once: the run stops before anything is written."""

    def __init__(self, problems: Iterable[Problem], source: str | None = None) -> None:
        self.problems = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        lines = [f"{head}{len(self.problems)} 个问题 (problems):"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class UsageError(KpibookError, ValueError):
    """A command line or parameter that does not make sense (exit status 2)."""


class OutputError(KpibookError, OSError):
    """A file kpibook writes could not be written whole: a full disk (ENOSPC), a quota
    (EDQUOT), a read-only file system (EROFS), no permission (EACCES). The message names the
    path, Chinese first; the files already there are kept."""

    def __init__(self, message: str, code: int, path: str) -> None:
        super().__init__(code, message, path)
        self.message = message

    def __str__(self) -> str:
        return self.message


class WorkerError(KpibookError, RuntimeError):
    """The processes that make the reports could not be started: the server they are forked
    from died before it could start one, twice (killed, or out of memory). Exit status 1."""


class FontError(KpibookError, RuntimeError):
    """A font file that kpibook needs (from its pinned pip packages) is missing or unreadable."""
