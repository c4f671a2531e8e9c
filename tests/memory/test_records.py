from datetime import UTC, datetime, timedelta, timezone

import pytest
from tiermem.memory.errors import InvalidInputError, InvalidNamespaceError, TextTooLargeError
from tiermem.memory.records import Fact, MemoryRecord, as_utc, validate_namespace, validate_text


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("empty", "", InvalidInputError),
        ("whitespace", " \n\t ", InvalidInputError),
        ("nul", "a\x00b", InvalidInputError),
        ("surrogate", "bad \udc80 text", InvalidInputError),
        ("invalid utf-8 bytes", b"\xff\xfe\xfa", InvalidInputError),
        ("int", 42, InvalidInputError),
        ("none", None, InvalidInputError),
        ("list", ["a"], InvalidInputError),
        ("too large", "x" * 33, TextTooLargeError),
    ],
)
def test_validate_text_rejects(name: str, value: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        validate_text(value, max_bytes=32)


def test_validate_text_accepts_str_and_utf8_bytes() -> None:
    assert validate_text("今天称重45kg") == "今天称重45kg"
    assert validate_text("今天".encode()) == "今天"


def test_too_large_message_names_size_and_fix() -> None:
    with pytest.raises(TextTooLargeError, match=r"4 bytes, over the limit of 3 bytes.*max_text_bytes"):
        validate_text("abcd", max_bytes=3)


@pytest.mark.parametrize(
    "namespace", ["alice", "user_1", "a.b@c:d+e-f", "X" * 128, "José", "张伟", "é", "张" * 42, "राम", "สมชาย"]
)
def test_validate_namespace_accepts(namespace: str) -> None:
    assert validate_namespace(namespace) == namespace


def test_a_namespace_is_one_whichever_way_its_accents_are_typed() -> None:
    assert validate_namespace("Jose\u0301") == "José"  # decomposed: e and a combining acute


@pytest.mark.parametrize(
    "namespace",
    [
        "",
        "a'b",
        "a OR 1=1",
        "x\x00",
        "-lead",
        "_lead",
        "a/b",
        "a b",
        "🙂",
        "X" * 129,
        "张" * 43,
        "alice\n",
        "\u0301a",
        7,
    ],
)
def test_validate_namespace_rejects(namespace: object) -> None:
    with pytest.raises(InvalidNamespaceError):
        validate_namespace(namespace)


def test_fact_key_and_slug() -> None:
    fact = Fact(attribute="Blood Pressure", value=" 120/80 ", observed_at=datetime(2024, 5, 3))
    assert fact.key == "user.blood_pressure"
    assert fact.value == "120/80"
    with pytest.raises(ValueError):
        Fact(attribute="称重", value="45 kg")


def test_as_utc_normalises() -> None:
    assert as_utc("2024-05-03T08:00:00") == datetime(2024, 5, 3, 8, tzinfo=UTC)
    plus8 = datetime(2024, 5, 3, 16, tzinfo=timezone(timedelta(hours=8)))
    assert as_utc(plus8) == datetime(2024, 5, 3, 8, tzinfo=UTC)
    with pytest.raises(InvalidInputError, match="ISO 8601"):
        as_utc("yesterday-ish")


def test_record_rejects_bad_namespace_and_tier() -> None:
    with pytest.raises(ValueError):
        MemoryRecord(namespace="a'b", tier="short", text="x")
    with pytest.raises(ValueError):
        MemoryRecord(namespace="a", tier="forever", text="x")  # type: ignore[arg-type]
