"""Small, safe expressions over named columns: derived columns and action rules.

An analyst writes ``"Sales - Profit"`` (a derived column) or
``"share_change_pp < -5 and position == 'defend'"`` (an action rule) in a params file.  They
are parsed with :mod:`ast` and evaluated node by node over whole pandas Series (vectorised):
only names, numbers, strings, arithmetic, comparisons, ``and`` / ``or`` / ``not`` and the
functions of :data:`FUNCTIONS` exist, so a params file can never run code.  Column names that
are not Python identifiers are written in backticks: ```Order Date```.

Text and numbers
    A column read from a CSV is text as written; it counts as a number where arithmetic
    needs one (``Quantity * `Unit Price```: text that is not a number becomes missing) and
    as text where text is wanted: compared with text (``order_status == 'delivered'``),
    passed to a text function (``lower``, ``contains`` …) or joined with ``+`` to text
    (``'C' + str(CustomerID)``).  ``+`` joins when either side is text, adds otherwise.
    A condition that is missing counts as false; ``True`` counts as 1 in arithmetic.

Bounds
    Every number is a 64-bit float (no unbounded integer arithmetic), the exponent of ``**``
    must be a number written out with ``|exponent| <= 100`` (``9**9**9**9`` is refused when
    the expression is read), text cannot be multiplied, and an expression is at most
    :data:`MAX_LENGTH` characters and :data:`MAX_DEPTH` levels deep.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import numpy as np
import pandas as pd

from kamreport.errors import ExpressionError

_BACKTICK = re.compile(r"`([^`]+)`")
MAX_LENGTH = 2000
MAX_EXPONENT = 100
MAX_DEPTH = 100

_ARITHMETIC: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}
_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%", ast.Pow: "**"}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}

# What a value is during evaluation: ``raw`` is a column as read (text that may hold
# numbers), converted when an operator or function says which it needs.
Kind = Literal["number", "text", "bool", "raw", "other"]


@dataclass(frozen=True)
class _Value:
    value: Any  # a pandas Series or a scalar
    kind: Kind


def _kind_of(value: Any) -> Kind:
    if isinstance(value, pd.Series):
        dtype = value.dtype
        if pd.api.types.is_bool_dtype(dtype):
            return "bool"
        if pd.api.types.is_numeric_dtype(dtype):
            return "number"
        if isinstance(dtype, pd.StringDtype | pd.CategoricalDtype) or pd.api.types.is_object_dtype(dtype):
            return "raw"
        return "other"
    if isinstance(value, bool | np.bool_):
        return "bool"
    if isinstance(value, int | float | np.number):
        return "number"
    if isinstance(value, str):
        return "text"
    return "other"


def _number(v: _Value) -> Any:
    """The value as float(s); text that is not a number becomes missing."""
    value = v.value
    if v.kind == "text":
        raise ExpressionError("text cannot be used in arithmetic; use + only to join text")
    if isinstance(value, pd.Series):
        if v.kind in ("number", "bool"):  # nullable Int64 / boolean: missing as NaN
            return pd.Series(value.to_numpy(dtype="float64", na_value=np.nan), index=value.index)
        if v.kind == "raw":
            text = value.astype("string").str.strip()
            return pd.to_numeric(text, errors="coerce").astype("float64")
        raise ExpressionError(f"a column of type {value.dtype} cannot be used in arithmetic")
    if value is None or value is pd.NA:
        return np.nan
    if v.kind in ("number", "bool"):
        return np.float64(value)
    raise ExpressionError(f"{value!r} is not a number")


def _number_text(numbers: pd.Series) -> pd.Series:
    """Numbers as text: whole numbers without a decimal point (``12345``, not ``12345.0``)."""
    values = numbers.astype("float64")
    whole = values.notna() & np.isfinite(values) & (values == np.round(values)) & (values.abs() < 2**53)
    text = values.astype("string")
    if whole.any():
        text[whole] = values[whole].astype("int64").astype("string")
    return text


def _text(v: _Value) -> Any:
    """The value as text (columns as written; numbers without a trailing ``.0``)."""
    value = v.value
    if isinstance(value, pd.Series):
        if v.kind == "number":
            return _number_text(value)
        if v.kind == "bool":
            return value.astype("boolean").astype("string").str.lower()
        return value.astype("string")
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return pd.NA
    if v.kind == "number":
        number = float(value)
        return str(int(number)) if number.is_integer() and abs(number) < 2**53 else repr(number)
    return str(value)


def _truth(value: Any) -> Any:
    """Missing counts as false in a condition."""
    if isinstance(value, pd.Series):
        return value.fillna(False).astype(bool) if value.dtype != bool else value
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return False
    return bool(value)


def _text_function(name: str) -> Callable[..., _Value]:
    def apply(x: _Value) -> _Value:
        text = _text(x)
        if isinstance(text, pd.Series):
            return _Value(getattr(text.str, name)(), "text")
        return _Value(text if text is pd.NA else getattr(str, name)(text), "text")

    return apply


def _match_function(name: str) -> Callable[..., _Value]:
    def apply(x: _Value, pattern: _Value) -> _Value:
        if pattern.kind != "text" or isinstance(pattern.value, pd.Series):
            raise ExpressionError(f"{name}(column, 'text'): the second argument must be text in quotes")
        text, word = _text(x), str(pattern.value)
        if isinstance(text, pd.Series):
            found = text.str.contains(word, regex=False) if name == "contains" else getattr(text.str, name)(word)
            return _Value(found.fillna(False).astype(bool), "bool")
        if text is pd.NA:
            return _Value(False, "bool")
        return _Value(word in text if name == "contains" else getattr(str, name)(text, word), "bool")

    return apply


def _abs(x: _Value) -> _Value:
    return _Value(abs(_number(x)), "number")


def _round(x: _Value, digits: _Value | None = None) -> _Value:
    n = 0 if digits is None else int(_number(digits))
    number = _number(x)
    return _Value(number.round(n) if isinstance(number, pd.Series) else np.round(number, n), "number")


def _missing(x: _Value) -> _Value:
    value = x.value
    if isinstance(value, pd.Series):
        blank = value.isna()
        if x.kind in ("raw", "text"):
            blank |= value.astype("string").str.strip().fillna("").eq("")
        return _Value(blank.astype(bool), "bool")
    return _Value(value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)), "bool")


def _coalesce(*values: _Value) -> _Value:
    result = values[0]
    for v in values[1:]:
        if isinstance(result.value, pd.Series):
            other = _text(v) if result.kind in ("text", "raw") else v.value
            result = _Value(result.value.fillna(other), result.kind)
        elif result.value is None or result.value is pd.NA or pd.isna(result.value):
            result = v
    return result


def _str(x: _Value) -> _Value:
    return _Value(_text(x), "text")


FUNCTIONS: dict[str, Callable[..., _Value]] = {
    "abs": _abs,
    "round": _round,
    "missing": _missing,
    "coalesce": _coalesce,
    "lower": _text_function("lower"),
    "upper": _text_function("upper"),
    "strip": _text_function("strip"),
    "str": _str,
    "contains": _match_function("contains"),
    "startswith": _match_function("startswith"),
    "endswith": _match_function("endswith"),
}
_ARITY: dict[str, tuple[int, int | None]] = {
    "abs": (1, 1),
    "round": (1, 2),
    "missing": (1, 1),
    "coalesce": (1, None),
    "lower": (1, 1),
    "upper": (1, 1),
    "strip": (1, 1),
    "str": (1, 1),
    "contains": (2, 2),
    "startswith": (2, 2),
    "endswith": (2, 2),
}


@dataclass(frozen=True)
class Expression:
    """A parsed expression; :attr:`names` are the columns it reads.

    Raises
    ------
    ExpressionError
        When the text is read (:attr:`names`, :meth:`evaluate`): a syntax error, anything
        but the allowed nodes and functions, or an unbounded computation.
    """

    text: str

    @cached_property
    def _tree(self) -> tuple[ast.expr, dict[str, str]]:
        if len(self.text) > MAX_LENGTH:
            raise ExpressionError(f"expression of {len(self.text):,} characters: at most {MAX_LENGTH:,} are allowed")
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
        except (ValueError, RecursionError, MemoryError) as exc:  # NUL bytes, absurd nesting
            raise ExpressionError(f"cannot read expression {self.text!r}: {type(exc).__name__}") from exc
        _check(tree, self.text)
        return tree, aliases

    @property
    def names(self) -> set[str]:
        """Column names the expression reads."""
        tree, aliases = self._tree
        return {aliases.get(n.id, n.id) for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id not in FUNCTIONS}

    def evaluate(self, columns: Mapping[str, Any]) -> Any:
        """Evaluate over ``columns`` (name → Series or scalar): a Series or a scalar.

        Raises
        ------
        ExpressionError
            An unknown column, or a value of the wrong kind for its operator (text in
            arithmetic, a column as a text pattern …).
        """
        tree, aliases = self._tree
        missing = sorted(self.names - set(columns))
        if missing:
            raise ExpressionError(f"expression {self.text!r} reads unknown column(s): {', '.join(missing)}")
        with np.errstate(all="ignore"):  # overflow gives inf, 0/0 missing: the reader judges the values
            result = _Evaluator(columns, aliases).visit(tree)
        return result.value


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
    *_ARITHMETIC,
    *_COMPARE,
)


def _literal_number(node: ast.expr) -> float | None:
    """The value of a number written out (``2``, ``-0.5``), else None."""
    sign = 1.0
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
        node = node.operand
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return sign * float(node.value)
    return None


def _depth(node: ast.AST) -> int:
    deepest, level = 0, [node]
    while level:
        deepest += 1
        level = [child for n in level for child in ast.iter_child_nodes(n)]
    return deepest


def _too_large(value: object) -> bool:
    """A whole number beyond any float (written out with hundreds of digits)."""
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > 1e300


def _check(tree: ast.expr, text: str) -> None:
    if _depth(tree) > MAX_DEPTH:
        raise ExpressionError(f"expression {text!r}: nested more than {MAX_DEPTH} levels deep")
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(f"expression {text!r}: {type(node).__name__} is not allowed")
        if isinstance(node, ast.Call):
            if not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
                raise ExpressionError(f"expression {text!r}: only the functions {', '.join(FUNCTIONS)} may be called")
            if node.keywords:
                raise ExpressionError(f"expression {text!r}: functions take positional arguments only")
            low, high = _ARITY[node.func.id]
            if len(node.args) < low or (high is not None and len(node.args) > high):
                count = f"{low}" if high == low else f"{low} to {high}" if high else f"{low} or more"
                raise ExpressionError(f"expression {text!r}: {node.func.id}() takes {count} argument(s)")
        if isinstance(node, ast.Constant) and _too_large(node.value):
            raise ExpressionError(f"expression {text!r}: a number of {len(str(node.value))} digits is too large")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            exponent = _literal_number(node.right)
            if exponent is None or abs(exponent) > MAX_EXPONENT:
                raise ExpressionError(
                    f"expression {text!r}: the exponent of ** must be a number written out, "
                    f"between -{MAX_EXPONENT} and {MAX_EXPONENT}"
                )


class _Evaluator:
    def __init__(self, columns: Mapping[str, Any], aliases: dict[str, str]) -> None:
        self.columns = columns
        self.aliases = aliases

    def visit(self, node: ast.expr) -> _Value:
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, int | float) and not isinstance(value, bool):
                return _Value(np.float64(value), "number")  # floats: no unbounded integer arithmetic
            return _Value(value, _kind_of(value))
        if isinstance(node, ast.Name):
            value = self.columns[self.aliases.get(node.id, node.id)]
            return _Value(value, _kind_of(value))
        if isinstance(node, ast.BinOp):
            return self._binary(node)
        if isinstance(node, ast.UnaryOp):
            operand = self.visit(node.operand)
            if isinstance(node.op, ast.Not):
                truth = _truth(operand.value)
                return _Value(~truth if isinstance(truth, pd.Series) else not truth, "bool")
            number = _number(operand)
            return _Value(-number if isinstance(node.op, ast.USub) else number, "number")
        if isinstance(node, ast.BoolOp):
            values = [_truth(self.visit(v).value) for v in node.values]
            combine = operator.and_ if isinstance(node.op, ast.And) else operator.or_
            combined = values[0]
            for v in values[1:]:
                combined = combine(combined, v)
            return _Value(combined, "bool")
        if isinstance(node, ast.Compare):
            left = self.visit(node.left)
            result: Any = True
            for op, right_node in zip(node.ops, node.comparators, strict=True):
                right = self.visit(right_node)
                result = operator.and_(result, _truth(_compare(type(op), left, right)))
                left = right
            return _Value(result, "bool")
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)
            return FUNCTIONS[node.func.id](*(self.visit(a) for a in node.args))
        raise ExpressionError(f"{type(node).__name__} is not allowed")  # pragma: no cover - _check refuses it first

    def _binary(self, node: ast.BinOp) -> _Value:
        left, right = self.visit(node.left), self.visit(node.right)
        if isinstance(node.op, ast.Add) and "text" in (left.kind, right.kind):
            return _Value(_join(_text(left), _text(right)), "text")
        if "text" in (left.kind, right.kind):
            raise ExpressionError(f"text cannot be used with {_SYMBOLS[type(node.op)]}; only + joins text")
        return _Value(_ARITHMETIC[type(node.op)](_number(left), _number(right)), "number")


def _join(left: Any, right: Any) -> Any:
    """Text joined; missing on either side gives missing."""
    if not isinstance(left, pd.Series) and not isinstance(right, pd.Series) and pd.NA in (left, right):
        return pd.NA
    return left + right


def _compare(op: type[ast.cmpop], left: _Value, right: _Value) -> Any:
    """Text with text (a column as read counts as text next to text), numbers otherwise."""
    kinds = {left.kind, right.kind}
    as_text = "text" in kinds or (kinds <= {"raw"} and op in (ast.Eq, ast.NotEq)) or kinds == {"raw", "other"}
    if "other" in kinds and not as_text:
        return _COMPARE[op](left.value, right.value)  # e.g. two date columns
    if as_text:
        return _COMPARE[op](_text(left), _text(right))
    return _COMPARE[op](_number(left), _number(right))
