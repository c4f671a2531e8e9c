"""LangGraph store filters and namespace scopes as LanceDB where-clauses.

Item values live in a ``lance.json`` column; a filter such as
``{"user.age": {"$gte": 18}, "tags": ["draft"]}`` compiles, through
:mod:`tiermem.memory.filters`, into a clause LanceDB evaluates next to the
data. Semantics (documented in ``docs/STORE.md``; each rule has a test):

- keys are dot-separated paths; each segment is letters (any script), digits,
  ``_`` or ``-``. Anything else (quotes, spaces, brackets, ``$``) raises
  :class:`~tiermem.memory.errors.InvalidFilterError` (a ``ValueError``).
- a bare value means ``$eq``. Equality is typed: ``1`` matches ``1`` and
  ``1.0`` but not ``"1"`` or ``true``; ``True`` matches only ``true``;
  ``None`` matches ``null`` and a missing key.
- a list matches an array of the same length, element by element; a dict
  without ``$`` operators matches the keys it names (other keys may exist).
- ``$ne`` is the negation of ``$eq``: a missing key or another type matches.
- ``$gt $gte $lt $lte`` compare numbers with numbers and strings with
  strings (by code point); a value of another type never matches.
- ``NaN`` equals nothing; ``inf``/``-inf`` bound every number.
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Mapping, Sequence
from typing import Any

from . import filters as f
from .errors import InvalidFilterError

OPERATORS = ("$eq", "$ne", "$gt", "$gte", "$lt", "$lte")
"""The filter operators every LangGraph reference store accepts."""

_SQL_OP = {"$gt": ">", "$gte": ">=", "$lt": "<", "$lte": "<="}
Path = tuple[str | int, ...]


def compile_filter(filter: Mapping[str, Any] | None, column: str = "doc") -> str:
    """The where-clause for a LangGraph ``SearchOp.filter`` (``""`` when empty).

    Raises:
        InvalidFilterError: an unsafe key, an unknown operator, or a value type
            that the operator cannot compare.
    """
    if not filter:
        return ""
    if not isinstance(filter, Mapping):
        raise InvalidFilterError(f"filter must be a dict of key -> value, got {type(filter).__name__}: {filter!r:.80}")
    return f.where(*(_match(column, split_key(key), value) for key, value in filter.items()))


def split_key(key: object) -> Path:
    """``"user.access-level"`` -> ``("user", "access-level")``, refusing unsafe keys."""
    if not isinstance(key, str) or not all(f.JSON_KEY.fullmatch(p) for p in key.split(".")):
        raise InvalidFilterError(
            f"Invalid filter key {key!r:.80}: use dot-separated names made of letters, "
            "digits, '_' and '-' (e.g. 'user.access-level')"
        )
    return tuple(key.split("."))


def _match(column: str, path: Path, value: Any) -> str:
    if isinstance(value, Mapping):
        operators = [k for k in value if isinstance(k, str) and k.startswith("$")]
        if operators:
            if len(operators) != len(value):
                raise InvalidFilterError(
                    f"filter at {'.'.join(map(str, path))!r} mixes operators and keys: "
                    f"{sorted(map(str, value))}; put nested keys in the key path instead"
                )
            return f.where(*(_operator(column, path, op, v) for op, v in value.items()))
        if not value:
            return f.starts_with(f.json_extract(column, path), "{")
        return f.where(*(_match(column, path + split_key(k), v) for k, v in value.items()))
    return _equals(column, path, value)


def _equals(column: str, path: Path, value: Any) -> str:
    text = f.json_extract(column, path)
    if value is None:
        return f.any_of(f.expr_is_null(text), f.compare_expr(text, "=", "null"))
    if isinstance(value, bool):
        return f.compare_expr(text, "=", "true" if value else "false")
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return f.FALSE
        return f.compare_expr(f.as_double(text), "=", float(value))
    if isinstance(value, str):
        return f.compare_expr(text, "=", json.dumps(value, ensure_ascii=False))
    if isinstance(value, Mapping):
        return _match(column, path, value)
    if isinstance(value, Sequence):
        # json_array_length is 0 for non-arrays, hence the explicit `[` check.
        length = f.compare_expr(f.json_array_length(column, path), "=", len(value))
        elements = (_match(column, (*path, i), v) for i, v in enumerate(value))
        return f.where(f.starts_with(text, "["), length, *elements)
    raise InvalidFilterError(
        f"cannot filter {'.'.join(map(str, path))!r} by a {type(value).__name__} "
        f"({value!r:.60}); use str, int, float, bool, None, list or dict"
    )


def _operator(column: str, path: Path, op: str, value: Any) -> str:
    if op == "$eq":
        return _equals(column, path, value)
    if op == "$ne":
        return f.is_not_true(_equals(column, path, value))
    if op not in _SQL_OP:
        raise InvalidFilterError(f"unsupported filter operator {op!r}; use one of {list(OPERATORS)}")
    text = f.json_extract(column, path)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _numeric_range(f.as_double(text), op, float(value))
    if isinstance(value, str):
        body = f.json_string_body(text)
        ordered = f.compare_expr(body, _SQL_OP[op], f.json_string_key(value))
        return f.where(f.starts_with(text, '"'), ordered)
    raise InvalidFilterError(
        f"{op} compares numbers or strings, got {type(value).__name__} {value!r:.60} for {'.'.join(map(str, path))!r}"
    )


def _numeric_range(number: str, op: str, bound: float) -> str:
    if math.isnan(bound):
        return f.FALSE
    if math.isinf(bound):
        # Every number is below +inf and above -inf; none is beyond them.
        below = op in ("$lt", "$lte")
        return f.expr_is_null(number, negate=True) if below == (bound > 0) else f.FALSE
    return f.compare_expr(number, _SQL_OP[op], bound)


def namespace_text(namespace: Sequence[str]) -> str:
    """The stored form of a namespace: labels joined by ``.`` (labels never hold one)."""
    return ".".join(namespace)


def namespace_scope(prefix: Sequence[str], column: str = "namespace") -> str:
    """Rows whose namespace starts with the labels of ``prefix`` (``""``: every row).

    Matching is by whole labels: ``("foo",)`` finds ``("foo", "x")`` but not
    ``("foobar",)``; ``%``, ``_``, ``*`` and newlines are literal characters.
    """
    if not prefix:
        return ""
    text = namespace_text(prefix)
    # Children are exactly the strings in ["text.", "text/"): no character lies
    # between "." and "/". A range, unlike starts_with, can use the B-tree index.
    children = f.where(f.compare(column, ">=", text + "."), f.compare(column, "<", text + "/"))
    return f.any_of(f.eq(column, text), children)


def literal_prefix(path: Sequence[str]) -> tuple[str, ...]:
    """The labels of a match path before its first ``*`` wildcard."""
    labels = []
    for label in path:
        if label == "*":
            break
        labels.append(label)
    return tuple(labels)


def path_matches(kind: str, path: Sequence[str], namespace: Sequence[str]) -> bool:
    """Whether ``namespace`` starts (``prefix``) or ends (``suffix``) with ``path``; ``*``
    matches any one label.

    Raises:
        ValueError: ``kind`` is neither ``prefix`` nor ``suffix``.
    """
    if kind not in ("prefix", "suffix"):
        raise ValueError(f"unsupported match type {kind!r}; use 'prefix' or 'suffix'")
    if len(namespace) < len(path):
        return False
    window = namespace[: len(path)] if kind == "prefix" else namespace[len(namespace) - len(path) :]
    return all(want in ("*", got) for want, got in zip(path, window, strict=True))


_MISSING = object()
_COMPARE = {"$gt": operator.gt, "$gte": operator.ge, "$lt": operator.lt, "$lte": operator.le}


def matches(value: Mapping[str, Any], filter: Mapping[str, Any] | None) -> bool:
    """Whether ``value`` passes ``filter``, by the same rules as :func:`compile_filter`.

    For items that do not live in a LanceDB JSON column (tiermem's tiers).

    Raises:
        InvalidFilterError: as :func:`compile_filter` would.
    """
    compile_filter(filter)  # the same validation, the same errors
    return all(_holds(_at(value, split_key(k)), v) for k, v in (filter or {}).items())


def _at(value: Any, path: Path) -> Any:
    for part in path:
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _holds(value: Any, condition: Any) -> bool:
    if isinstance(condition, Mapping) and any(str(k).startswith("$") for k in condition):
        return all(_applies(value, op, arg) for op, arg in condition.items())
    if isinstance(condition, Mapping):
        return isinstance(value, Mapping) and all(_holds(_at(value, split_key(k)), v) for k, v in condition.items())
    return _same(value, condition)


def _same(value: Any, want: Any) -> bool:
    if want is None:
        return value is _MISSING or value is None
    if isinstance(want, bool):
        return value is want
    if _number(want):
        return _number(value) and value == want
    if isinstance(want, str):
        return isinstance(value, str) and value == want
    if isinstance(want, Mapping):
        return _holds(value, want)
    return (
        isinstance(value, list)
        and len(value) == len(want)
        and all(_holds(v, w) for v, w in zip(value, want, strict=True))
    )


def _applies(value: Any, op: str, arg: Any) -> bool:
    if op == "$eq":
        return _same(value, arg)
    if op == "$ne":
        return not _same(value, arg)
    comparable = (_number(arg) and _number(value)) or (isinstance(arg, str) and isinstance(value, str))
    return comparable and _COMPARE[op](value, arg)
