"""The one builder for LanceDB ``where`` clauses.

Every filter tiermem sends to LanceDB is built here from typed parts: column
names come from an allow-list, values are rendered as SQL literals with quotes
doubled, so user data can never change a filter's shape.

Example:
    >>> where(eq("namespace", "o'brien"), in_("tier", ["mid", "long"]))
    "(`namespace` = 'o''brien') AND (`tier` IN ('mid', 'long'))"

Expressions over JSON columns (LanceDB's ``lance.json`` type) are built the
same way: :func:`json_extract` takes a path of validated key segments and list
indexes, and the expression helpers (:func:`as_double`, :func:`json_string_body`,
:func:`starts_with`, :func:`compare_expr`) only ever wrap expressions that
came out of this module.

    >>> compare_expr(as_double(json_extract("doc", ["price"])), ">", 15)
    "try_cast(json_extract(`doc`, '$[\"price\"]') AS DOUBLE) > 15"
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from datetime import UTC, datetime

from .errors import InvalidFilterError

Scalar = str | int | float | bool | datetime

_COLUMN = re.compile(r"^[a-z_][a-z0-9_]{0,63}$")
_OPERATORS = {"=", "!=", "<", "<=", ">", ">="}
JSON_KEY = re.compile(r"^[\w-]{1,128}$")
"""One key of a JSON path: letters (any script), digits, ``_`` and ``-``."""
TRUE = "TRUE"
FALSE = "FALSE"
# A byte that JSON text never holds raw (control characters are always
# escaped), used as a placeholder while undoing the ``\\`` and ``\"`` escapes.
_PLACEHOLDER = "\x01"


def column(name: str) -> str:
    """Quote a column name, refusing anything but a lowercase identifier."""
    if not isinstance(name, str) or not _COLUMN.fullmatch(name):
        raise InvalidFilterError(f"invalid column name {name!r:.80}: use lowercase letters, digits and '_'")
    return f"`{name}`"


def literal(value: Scalar) -> str:
    """Render a Python value as a SQL literal that cannot escape its quotes.

    Raises:
        InvalidFilterError: NUL in a string, a non-finite float or an unsupported type.
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidFilterError(f"filter value must be a finite number, got {value!r}")
        return repr(value)
    if isinstance(value, datetime):
        moment = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return f"arrow_cast('{moment.strftime('%Y-%m-%dT%H:%M:%S.%f')}', 'Timestamp(Microsecond, None)')"
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidFilterError("filter value contains a NUL character")
        return "'" + value.replace("'", "''") + "'"
    raise InvalidFilterError(f"unsupported filter value type {type(value).__name__}: {value!r:.80}")


def compare(name: str, op: str, value: Scalar) -> str:
    """``column op literal`` for one of ``= != < <= > >=``."""
    return compare_expr(column(name), op, value)


def compare_expr(expr: str, op: str, value: Scalar) -> str:
    """``expr op literal``, where ``expr`` came from a helper of this module."""
    if op not in _OPERATORS:
        raise InvalidFilterError(f"unsupported operator {op!r}; use one of {sorted(_OPERATORS)}")
    return f"{expr} {op} {literal(value)}"


def _json_path(path: Iterable[str | int]) -> str:
    parts = []
    for part in path:
        if isinstance(part, bool) or not isinstance(part, str | int):
            raise InvalidFilterError(f"JSON path parts must be keys or indexes, got {part!r:.80}")
        if isinstance(part, int):
            if part < 0:
                raise InvalidFilterError(f"JSON array index must be >= 0, got {part}")
            parts.append(f"[{part}]")
        elif JSON_KEY.fullmatch(part):
            parts.append(f'["{part}"]')
        else:
            raise InvalidFilterError(f"Invalid filter key segment {part!r:.80}: use letters, digits, '_' and '-'")
    return literal("$" + "".join(parts))


def json_extract(name: str, path: Iterable[str | int]) -> str:
    """The JSON text at ``path`` inside JSON column ``name`` (SQL NULL when absent).

    Strings come back quoted and escaped as ``json.dumps(..., ensure_ascii=False)``
    writes them, numbers as written, ``true``/``false``/``null`` as words.

    Raises:
        InvalidFilterError: a key outside :data:`JSON_KEY` or a negative index.
    """
    return f"json_extract({column(name)}, {_json_path(path)})"


def json_array_length(name: str, path: Iterable[str | int]) -> str:
    """The length of the JSON array at ``path`` (NULL when it is not an array)."""
    return f"json_array_length({column(name)}, {_json_path(path)})"


def as_double(expr: str) -> str:
    """``expr`` as a number, or NULL: JSON numbers parse, quoted strings and words do not."""
    return f"try_cast({expr} AS DOUBLE)"


def json_string_body(expr: str) -> str:
    """The characters of a JSON string literal with ``\\"`` and ``\\\\`` unescaped.

    Control characters stay in their JSON escapes; :func:`json_string_key`
    renders a Python string the same way, so comparing the two orders strings
    by code point.
    """
    body = f"left(substr({expr}, 2), -1)"
    undone = f"replace({body}, {literal(chr(92) * 2)}, {literal(_PLACEHOLDER)})"
    undone = f"replace({undone}, {literal(chr(92) + chr(34))}, {literal(chr(34))})"
    return f"replace({undone}, {literal(_PLACEHOLDER)}, {literal(chr(92))})"


def json_string_key(value: str) -> str:
    """What :func:`json_string_body` yields for a JSON string holding ``value``."""
    body = json.dumps(value, ensure_ascii=False)[1:-1]
    return body.replace("\\\\", _PLACEHOLDER).replace('\\"', '"').replace(_PLACEHOLDER, "\\")


def starts_with(expr: str, prefix: str) -> str:
    """``starts_with(expr, 'prefix')``: a literal prefix, no wildcards."""
    return f"starts_with({expr}, {literal(prefix)})"


def contains(expr: str, text: str) -> str:
    """Whether ``expr`` holds ``text``, case aside: a literal, no wildcards."""
    return f"strpos(lower({expr}), {literal(text.lower())}) > 0"


def ends_with(expr: str, suffix: str) -> str:
    """``ends_with(expr, 'suffix')``: a literal suffix, no wildcards."""
    return f"ends_with({expr}, {literal(suffix)})"


def expr_is_null(expr: str, *, negate: bool = False) -> str:
    """``expr IS NULL`` (or ``IS NOT NULL``)."""
    return f"{expr} IS {'NOT ' if negate else ''}NULL"


def is_not_true(clause: str) -> str:
    """``(clause) IS NOT TRUE``: rows where the clause is false *or* unknown (NULL)."""
    return f"({clause}) IS NOT TRUE"


def eq(name: str, value: Scalar) -> str:
    """``column = value``."""
    return compare(name, "=", value)


def in_(name: str, values: Iterable[Scalar]) -> str:
    """``column IN (...)``; an empty list matches nothing."""
    rendered = [literal(v) for v in values]
    if not rendered:
        return "FALSE"
    return f"{column(name)} IN ({', '.join(rendered)})"


def has_any(name: str, values: Iterable[Scalar]) -> str:
    """``array_has_any(column, [...])``: a list column holds at least one of ``values``;
    an empty list matches nothing.

    Example:
        >>> has_any("source_ids", ["D1:3"])
        "array_has_any(`source_ids`, ['D1:3'])"
    """
    rendered = [literal(v) for v in values]
    if not rendered:
        return "FALSE"
    return f"array_has_any({column(name)}, [{', '.join(rendered)}])"


def is_null(name: str) -> str:
    """``column IS NULL``."""
    return expr_is_null(column(name))


def any_of(*clauses: str) -> str:
    """OR of clauses, each parenthesised."""
    parts = [c for c in clauses if c]
    if not parts:
        return "FALSE"
    return " OR ".join(f"({c})" for c in parts)


def where(*clauses: str | None) -> str:
    """AND of clauses, each parenthesised; ``None`` and ``""`` are skipped."""
    parts = [c for c in clauses if c]
    return " AND ".join(f"({c})" for c in parts)
