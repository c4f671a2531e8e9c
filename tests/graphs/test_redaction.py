"""What ``forget`` masks in saved traces and checkpoints: the forgotten text where it stands alone."""

from __future__ import annotations

import pytest
from tiermem.graphs.redaction import REDACTED, redact_value


@pytest.mark.parametrize(
    ("text", "needle", "masked"),
    [
        ("I am 30 years old", "30", f"I am {REDACTED} years old"),
        (
            "I ran 30 minutes and paid 130 dollars on 2024-05-30",
            "30",
            f"I ran {REDACTED} minutes and paid 130 dollars on 2024-05-30",
        ),
        ("I live in Paris.", "Paris", f"I live in {REDACTED}."),
        ("Parisian food in Paris", "Paris", f"Parisian food in {REDACTED}"),
        ("我对花生过敏", "花生", f"我对{REDACTED}过敏"),
        ("weight = 45 kg, 45.5 kg later", "45 kg", f"weight = {REDACTED}, 45.5 kg later"),
        ("rent 30,000 yen, not 1,30", "30", "rent 30,000 yen, not 1,30"),
        ("30kg today, v30", "30", f"{REDACTED}kg today, v{REDACTED}"),  # a unit or a letter ends no number
        ("José and Josée", "José", f"{REDACTED} and Josée"),
        ("我叫José。", "José", f"我叫{REDACTED}。"),
    ],
)
def test_a_forgotten_value_is_masked_where_it_stands_alone(text: str, needle: str, masked: str) -> None:
    assert redact_value(text, [needle]) == masked


def test_identifiers_and_nested_values() -> None:
    event = {"user_id": "Anna", "input": ["My name is Anna", {"text": "Anna said hi"}]}
    assert redact_value(event, ["Anna"]) == {
        "user_id": "Anna",
        "input": [f"My name is {REDACTED}", {"text": f"{REDACTED} said hi"}],
    }


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (f"user.address = 12 Baker Street, {REDACTED}", f"user.address = {REDACTED}"),
        (f"My address is 12 {REDACTED}, London.", f"{REDACTED}."),
        (f"I met Baker in London, {REDACTED}", f"I met Baker in London, {REDACTED}"),  # not the address
    ],
)
def test_a_value_an_earlier_forget_masked_in_part_is_masked_whole(text: str, masked: str) -> None:
    # forgetting lives_in = London first left "12 Baker Street, [forgotten]" of the address
    assert redact_value(text, ["My address is 12 Baker Street, London", "12 Baker Street, London"]) == masked


def test_a_forgotten_sentence_leaves_the_punctuation_after_a_mask_alone() -> None:
    """The forget turn's reply ("lives_in = [forgotten].") is masked with the message that said the
    value: a mask followed by punctuation is no part of that message left to mask."""
    said = ["My name is Zoe and I live in Zville.", "Zville"]
    assert (
        redact_value("Done: I've forgotten lives_in = Zville.", said) == f"Done: I've forgotten lives_in = {REDACTED}."
    )
    assert redact_value(f"(long: lives_in = {REDACTED}).", said) == f"(long: lives_in = {REDACTED})."
    assert redact_value(f"My name is Zoe and I live in {REDACTED}.", said) == REDACTED


def test_a_record_id_is_never_masked() -> None:
    """A forget call's ``record_id`` is masked nowhere, though a forgotten number is part of it."""
    call = {"name": "forget", "args": {"record_id": "a30b"}, "id": "call_1"}
    assert redact_value(call, ["30"]) == call
