"""Compute a formula cell that a program wrote without its result (no cached value).

Sheets made by a program (a script, a web export) carry formulas but no saved results, so
openpyxl reads them as empty. The formulas offices put in a 完成情况表 are simple arithmetic
over the same sheet: ``=D5/C5*100``, ``=SUM(D5:D9)``, ``=ROUND(E6-F6,1)``. This module
computes exactly that (numbers, same-sheet cell references, ``+ - * / ^ %``, brackets,
``SUM``, ``ROUND``, ``ABS``, ``AVERAGE``, ``MIN``, ``MAX``) and nothing else: anything
more (another sheet, IF, text) raises :class:`FormulaError`, so the caller names the cell
instead of guessing. No dependency: ``formulas``/``pycel`` would bring numpy and a whole
Excel engine for what fits in one page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

__all__ = ["FormulaError", "evaluate", "cell_ref"]


class FormulaError(ValueError):
    """A formula kpibook does not compute (or that has no numeric result)."""


_TOKEN = re.compile(
    r"\s*(?:(?P<range>\$?[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+)"
    r"|(?P<ref>\$?[A-Z]{1,3}\$?\d+)(?![\w(])"
    r"|(?P<func>[A-Z]+)\("
    r"|(?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)"
    r"|(?P<op>[-+*/^(),%]))"
)

#: What a reference resolves to: the value of (row, column), both 0-based.
Lookup = Callable[[int, int], Any]


def cell_ref(text: str) -> tuple[int, int]:
    """``"$D$5"`` → (4, 3): 0-based (row, column)."""
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", text.upper())
    if not m:
        raise FormulaError(f"not a cell reference: {text}")
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def _tokens(formula: str) -> list[tuple[str, str]]:
    text = formula.lstrip("=").upper()
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise FormulaError(f"unsupported formula part: {text[pos : pos + 12]}")
        kind = m.lastgroup or ""
        if kind == "func" and m.group(kind) not in _FUNCS:
            raise FormulaError(f"function {m.group(kind)} not computed")
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


def _round(x: float, digits: float = 0) -> float:
    q = Decimal(1).scaleb(-int(digits))
    return float(Decimal(repr(x)).quantize(q, rounding=ROUND_HALF_UP))


def _average(*xs: float) -> float:
    if not xs:
        raise FormulaError("AVERAGE of nothing")
    return sum(xs) / len(xs)


_FUNCS: dict[str, Callable[..., float]] = {
    "SUM": lambda *xs: float(sum(xs)),
    "ROUND": _round,
    "ABS": lambda x: abs(x),
    "AVERAGE": _average,
    "MIN": lambda *xs: min(xs),
    "MAX": lambda *xs: max(xs),
}


class _Parser:
    """Recursive descent over the tokens; ranges expand only inside function arguments."""

    def __init__(self, tokens: list[tuple[str, str]], lookup: Lookup) -> None:
        self.tokens, self.pos, self.lookup = tokens, 0, lookup

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, op: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None or (op is not None and tok != ("op", op)):
            raise FormulaError(f"expected {op or 'more'}")
        self.pos += 1
        return tok

    def expr(self) -> float:
        value = self.term()
        while (tok := self.peek()) in (("op", "+"), ("op", "-")):
            self.take()
            rhs = self.term()
            value = value + rhs if tok == ("op", "+") else value - rhs
        return value

    def term(self) -> float:
        value = self.power()
        while (tok := self.peek()) in (("op", "*"), ("op", "/")):
            self.take()
            rhs = self.power()
            if tok == ("op", "/"):
                if rhs == 0:
                    raise FormulaError("#DIV/0!")
                value = value / rhs
            else:
                value = value * rhs
        return value

    def power(self) -> float:
        value = self.unary()
        while self.peek() == ("op", "^"):
            self.take()
            value = value ** self.unary()
        return value

    def unary(self) -> float:
        tok = self.peek()
        if tok in (("op", "-"), ("op", "+")):
            self.take()
            value = self.unary()
            return -value if tok == ("op", "-") else value
        value = self.atom()
        while self.peek() == ("op", "%"):
            self.take()
            value /= 100
        return value

    def atom(self) -> float:
        kind, text = self.take()
        if kind == "num":
            return float(text)
        if kind == "ref":
            return self.number(*cell_ref(text))
        if kind == "func":
            return self.call(text)
        if (kind, text) == ("op", "("):
            value = self.expr()
            self.take(")")
            return value
        raise FormulaError(f"unexpected {text}")

    def call(self, name: str) -> float:
        if name not in _FUNCS:
            raise FormulaError(f"function {name} not computed")
        args: list[float] = []
        if self.peek() != ("op", ")"):
            while True:
                tok = self.peek()
                if tok is not None and tok[0] == "range":
                    self.take()
                    args.extend(self.range_values(tok[1]))
                else:
                    args.append(self.expr())
                if self.peek() == ("op", ","):
                    self.take()
                    continue
                break
        self.take(")")
        return float(_FUNCS[name](*args))

    def range_values(self, text: str) -> list[float]:
        a, b = (cell_ref(part) for part in text.split(":"))
        values: list[float] = []
        for r in range(min(a[0], b[0]), max(a[0], b[0]) + 1):
            for c in range(min(a[1], b[1]), max(a[1], b[1]) + 1):
                v = self.lookup(r, c)
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    values.append(float(v))  # SUM skips text and empty cells, as Excel does
        return values

    def number(self, r: int, c: int) -> float:
        v = self.lookup(r, c)
        if v is None:
            return 0.0  # an empty cell is 0 in Excel arithmetic
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
        raise FormulaError(f"cell {r + 1},{c + 1} is not a number")


def evaluate(formula: str, lookup: Lookup) -> float:
    """The value of ``formula`` (``"=D5/C5*100"``) with references read through ``lookup``.

    ``lookup`` returns a cell's value (itself computing a referenced formula, so chains
    work). Raises :class:`FormulaError` for anything this page does not compute.
    """
    if "!" in formula or '"' in formula:
        raise FormulaError("another sheet or text in the formula")
    parser = _Parser(_tokens(formula), lookup)
    value = parser.expr()
    if parser.peek() is not None:
        raise FormulaError(f"unexpected {parser.peek()}")
    return value
