"""How to reach someone: a phone number and an email address, the speaker's or a relation's, English
and Chinese; a dot inside an address ends no sentence."""

from datetime import UTC, datetime

import pytest
from tiermem.agents.extract import extract_facts
from tiermem.agents.statements import sentences

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


def _facts(text: str) -> dict[str, str]:
    return {fact.key: fact.value for fact, _ in extract_facts(text, NOW)}


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("My phone number is 555-0123.", {"user.phone_number": "555-0123"}),
        ("My cell number is (415) 555-0199", {"user.phone_number": "(415) 555-0199"}),
        ("You can reach me at 415-555-0199", {"user.phone_number": "415-555-0199"}),
        ("Call me at +44 20 7946 0958 tomorrow", {"user.phone_number": "+44 20 7946 0958"}),  # no name "At"
        ("My wife's number is 555-0100", {"wife.phone_number": "555-0100"}),
        ("我的电话是13812345678", {"user.phone_number": "13812345678"}),
        ("My email is priya@example.com", {"user.email": "priya@example.com"}),
        ("My work email is j.doe@corp.co.uk.", {"user.email": "j.doe@corp.co.uk"}),
        ("我的邮箱是 li@qq.com", {"user.email": "li@qq.com"}),
        ("My lucky number is 7", {}),  # no phone number: too few digits
        ("Please call me Liz", {"user.preferred_name": "Liz"}),
    ],
)
def test_contact_details_are_facts(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("My email is priya@example.com", ["My email is priya@example.com"]),
        ("Visit www.bbc.co.uk today.Then sleep", ["Visit www.bbc.co.uk today.", "Then sleep"]),
        ("I love Paris.I live there", ["I love Paris.", "I live there"]),
        ("Send it to a.b@mail.example.org. Thanks!", ["Send it to a.b@mail.example.org.", "Thanks!"]),
    ],
)
def test_a_dot_inside_an_address_ends_no_sentence(text: str, said: list[str]) -> None:
    assert sentences(text) == said
