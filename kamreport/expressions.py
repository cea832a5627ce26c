"""Small, safe expressions over named columns: derived columns and action rules.

An analyst writes ``"Sales - Profit"`` (a derived column) or
``"share_change_pp < -5 and position == 'defend'"`` (an action rule) in a params file.  They
are parsed with :mod:`ast` and evaluated node by node over pandas Series: only names,
numbers, strings, arithmetic, comparisons, ``and`` / ``or`` / ``not`` and a few functions
exist, so a params file can never run code.  Column names that are not Python identifiers
are written in backticks: ```Order Date```.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from kamreport.errors import ExpressionError

_BACKTICK = re.compile(r"`([^`]+)`")

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}


def _missing(value: Any) -> Any:
    return pd.isna(value)


def _coalesce(*values: Any) -> Any:
    result = values[0]
    for v in values[1:]:
        result = result.fillna(v) if isinstance(result, pd.Series) else (v if pd.isna(result) else result)
    return result


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "abs": lambda x: x.abs() if isinstance(x, pd.Series) else abs(x),
    "round": lambda x, n=0: x.round(int(n)) if isinstance(x, pd.Series) else round(x, int(n)),
    "missing": _missing,
    "coalesce": _coalesce,
    "lower": lambda x: x.str.lower() if isinstance(x, pd.Series) else str(x).lower(),
    "upper": lambda x: x.str.upper() if isinstance(x, pd.Series) else str(x).upper(),
}


@dataclass(frozen=True)
class Expression:
    """A parsed expression; :attr:`names` are the columns it reads."""

    text: str

    @cached_property
    def _tree(self) -> tuple[ast.expr, dict[str, str]]:
        aliases: dict[str, str] = {}

        def alias(match: re.Match[str]) -> str:
            key = f"__col{len(aliases)}"
            aliases[key] = match.group(1)
            return key

        source = _BACKTICK.sub(alias, self.text.strip())
        try:
            tree = ast.parse(source, mode="eval").body
        except SyntaxError as exc:
            raise ExpressionError(f"cannot read expression {self.text!r}: {exc.msg}") from exc
        _check(tree, self.text)
        return tree, aliases

    @property
    def names(self) -> set[str]:
        """Column names the expression reads."""
        tree, aliases = self._tree
        return {aliases.get(n.id, n.id) for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in FUNCTIONS}

    def evaluate(self, columns: Mapping[str, Any], numeric: bool = False) -> Any:
        """Evaluate over ``columns`` (name → Series or scalar).

        With ``numeric`` every column read is first converted to numbers (text that is not a
        number becomes missing), as derived columns of a CSV export need.
        """
        tree, aliases = self._tree
        missing = sorted(self.names - set(columns))
        if missing:
            raise ExpressionError(f"expression {self.text!r} reads unknown column(s): {', '.join(missing)}")
        return _Evaluator(columns, aliases, numeric).visit(tree)


_ALLOWED = (
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.Name,
    ast.Constant,
    ast.Call,
    ast.Load,
    ast.And,
    ast.Or,
    ast.Not,
    ast.USub,
    ast.UAdd,
    *_BINARY,
    *_COMPARE,
)


def _check(tree: ast.expr, text: str) -> None:
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(f"expression {text!r}: {type(node).__name__} is not allowed")
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
            raise ExpressionError(f"expression {text!r}: only the functions {', '.join(FUNCTIONS)} may be called")
        if isinstance(node, ast.Call) and node.keywords:
            raise ExpressionError(f"expression {text!r}: functions take positional arguments only")


class _Evaluator:
    def __init__(self, columns: Mapping[str, Any], aliases: dict[str, str], numeric: bool) -> None:
        self.columns = columns
        self.aliases = aliases
        self.numeric = numeric

    def visit(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            value = self.columns[self.aliases.get(node.id, node.id)]
            if self.numeric and isinstance(value, pd.Series) and not pd.api.types.is_numeric_dtype(value):
                value = pd.to_numeric(value, errors="coerce")
            return value
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](self.visit(node.left), self.visit(node.right))
        if isinstance(node, ast.UnaryOp):
            value = self.visit(node.operand)
            if isinstance(node.op, ast.Not):
                return ~_truth(value) if isinstance(value, pd.Series) else not value
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BoolOp):
            values = [_truth(self.visit(v)) for v in node.values]
            combine = operator.and_ if isinstance(node.op, ast.And) else operator.or_
            combined = values[0]
            for v in values[1:]:
                combined = combine(combined, v)
            return combined
        if isinstance(node, ast.Compare):
            left = self.visit(node.left)
            result: Any = True
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                right = self.visit(right_node)
                result = operator.and_(result, _truth(_COMPARE[type(op)](left, right)))
                left = right
            return result
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)
            return FUNCTIONS[node.func.id](*(self.visit(a) for a in node.args))
        raise ExpressionError(f"{type(node).__name__} is not allowed")  # pragma: no cover - _check refuses it first


def _truth(value: Any) -> Any:
    """Missing counts as false in a condition."""
    if isinstance(value, pd.Series):
        return value.fillna(False).astype(bool) if value.dtype != bool else value
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return False
    return bool(value)
