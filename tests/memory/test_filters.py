from datetime import datetime

import pytest
from tiermem.memory import filters as f
from tiermem.memory.errors import InvalidFilterError


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        ("alice", "'alice'"),
        ("o'brien", "'o''brien'"),
        ("' OR 1=1 --", "''' OR 1=1 --'"),
        ("back\\slash", "'back\\slash'"),
        (True, "TRUE"),
        (3, "3"),
        (0.5, "0.5"),
    ],
)
def test_literal_escapes(value: object, rendered: str) -> None:
    assert f.literal(value) == rendered  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["a\x00b", float("nan"), object()])
def test_literal_rejects(bad: object) -> None:
    with pytest.raises(InvalidFilterError):
        f.literal(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["Namespace", "a b", "x;drop", "`x`", ""])
def test_column_rejects_non_identifiers(name: str) -> None:
    with pytest.raises(InvalidFilterError):
        f.column(name)


def test_composition() -> None:
    clause = f.where(f.eq("namespace", "a"), None, f.in_("tier", ["mid", "long"]))
    assert clause == "(`namespace` = 'a') AND (`tier` IN ('mid', 'long'))"
    assert f.in_("id", []) == "FALSE"
    assert "arrow_cast('2024-05-03T00:00:00.000000'" in f.compare("created_at", "<", datetime(2024, 5, 3))
