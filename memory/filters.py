"""The one builder for LanceDB ``where`` clauses.

Every filter tiermem sends to LanceDB is built here from typed parts: column
names come from an allow-list, values are rendered as SQL literals with quotes
doubled, so user data can never change a filter's shape.

Example:
    >>> where(eq("namespace", "o'brien"), in_("tier", ["mid", "long"]))
    "(`namespace` = 'o''brien') AND (`tier` IN ('mid', 'long'))"
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import UTC, datetime

from .errors import InvalidFilterError

Scalar = str | int | float | bool | datetime

_COLUMN = re.compile(r"^[a-z_][a-z0-9_]{0,63}$")
_OPERATORS = {"=", "!=", "<", "<=", ">", ">="}


def column(name: str) -> str:
    """Quote a column name, refusing anything but a lowercase identifier."""
    if not isinstance(name, str) or not _COLUMN.fullmatch(name):
        raise InvalidFilterError(
            f"invalid column name {name!r:.80}: use lowercase letters, digits and '_'"
        )
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
    if op not in _OPERATORS:
        raise InvalidFilterError(f"unsupported operator {op!r}; use one of {sorted(_OPERATORS)}")
    return f"{column(name)} {op} {literal(value)}"


def eq(name: str, value: Scalar) -> str:
    """``column = value``."""
    return compare(name, "=", value)


def in_(name: str, values: Iterable[Scalar]) -> str:
    """``column IN (...)``; an empty list matches nothing."""
    rendered = [literal(v) for v in values]
    if not rendered:
        return "FALSE"
    return f"{column(name)} IN ({', '.join(rendered)})"


def is_null(name: str) -> str:
    """``column IS NULL``."""
    return f"{column(name)} IS NULL"


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
