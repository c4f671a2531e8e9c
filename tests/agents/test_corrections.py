"""Corrections said in chat: which value replaces which, and the fact that changes."""

from datetime import UTC, datetime

import pytest
from tiermem.agents.corrections import Correction, CorrectionResolver, correction
from tiermem.memory.records import Fact, MemoryRecord, Tier
from tiermem.memory.store import TierStore

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Sorry, I meant Lyon, not Paris", ("Lyon", "Paris")),
        ("sorry i meant lyon not paris!", ("lyon", "paris")),
        ("Oops, it's Lyon not Paris.", ("Lyon", "Paris")),
        ("Sorry, Lyon, not Paris", ("Lyon", "Paris")),
        ("My bad: I meant to say New York, not Boston", ("New York", "Boston")),
        ("Actually it's Siemens, not Bosch", ("Siemens", "Bosch")),
        ("I meant not Paris but Lyon", ("Lyon", "Paris")),
        ("Sorry, not Paris, Lyon", ("Lyon", "Paris")),
        ("Make that Tuesday, not Monday", ("Tuesday", "Monday")),
        ("不对，不是巴黎，是里昂", ("里昂", "巴黎")),
        ("我说错了，是里昂，不是巴黎", ("里昂", "巴黎")),
        ("I like tea, not coffee", None),  # says what, not that it corrects anything
        ("Not today, thanks", None),
        ("Sorry, I meant Lyon", None),  # no value it replaces
        ("I live in Lyon, not Paris", None),  # a statement: extraction reads it
        ("Sorry, I meant Lyon, not lyon", None),
    ],
)
def test_what_a_correction_replaces(text: str, said: tuple[str, str] | None) -> None:
    assert correction(text) == (Correction(*said) if said else None)


def _fact(namespace: str, attribute: str, value: str, *, subject: str = "user", day: int = 3) -> MemoryRecord:
    when = NOW.replace(day=day)
    fact = Fact(subject=subject, attribute=attribute, value=value, observed_at=when)
    tier: Tier = "mid" if attribute == "weight" else "long"
    return MemoryRecord(namespace=namespace, tier=tier, text=f"{attribute} {value}", fact=fact, created_at=when)


@pytest.fixture
def resolver(store: TierStore) -> CorrectionResolver:
    store.write(
        [
            _fact("alice", "lives_in", "Paris, France", day=1),
            _fact("alice", "employer", "Paris Saint-Germain", day=2),  # the newest that names Paris
            _fact("alice", "allergy", "eggs and peanuts"),
            _fact("alice", "lives_in", "Rome", subject="sister"),
            _fact("alice", "favorite_city", "no longer Oslo"),
            _fact("alice", "plan_exam", "exam on Monday (6 May 2024)"),
            _fact("bob", "lives_in", "Milan"),
            _fact("bob", "weight", "85 kg"),
            _fact("carol", "lives_in", "巴黎"),
        ]
    )
    return CorrectionResolver(store)


def _corrected(resolver: CorrectionResolver, namespace: str, text: str) -> tuple[list[tuple[str, str]], str] | None:
    found = resolver.corrected(namespace, text, NOW)
    return None if found is None else ([(fact.key, fact.value) for fact in found[0]], found[1])


def test_the_newest_fact_holding_the_old_value_gets_the_new_one(resolver: CorrectionResolver) -> None:
    assert _corrected(resolver, "alice", "Sorry, I meant Lyon, not Paris") == (
        [("user.employer", "Lyon Saint-Germain")],
        "long",
    )
    assert _corrected(resolver, "alice", "Sorry, I meant Paris FC, not Paris Saint-Germain") == (
        [("user.employer", "Paris FC")],
        "long",
    )
    assert _corrected(resolver, "carol", "不对，不是巴黎，是里昂") == ([("user.lives_in", "里昂")], "long")
    assert _corrected(resolver, "bob", "oops, 80 kg not 85 kg") == ([("user.weight", "80 kg")], "mid")


def test_one_item_of_an_allergy_is_replaced(resolver: CorrectionResolver) -> None:
    assert _corrected(resolver, "alice", "No, I meant walnuts, not peanuts") == (
        [("user.allergy", "no longer peanuts"), ("user.allergy", "walnuts")],
        "long",
    )


@pytest.mark.parametrize(
    ("namespace", "text"),
    [
        ("alice", "It's sunny, not rainy"),  # no fact holds rainy
        ("alice", "Sorry, I meant Naples, not Rome"),  # the sister's, not the user's
        ("alice", "Sorry, I meant Bergen, not Oslo"),  # an ended value is held by nobody
        ("alice", "Sorry, I meant Turin, not Milan"),  # bob's
        ("alice", "Sorry, I meant Lyon, not ris'%"),  # quotes and wildcards are text
        ("alice", "How are you?"),
        ("alice", "Sorry, I meant Tuesday, not Monday"),  # a plan is said again, not patched
    ],
)
def test_nothing_is_corrected_that_the_user_does_not_hold(
    resolver: CorrectionResolver, namespace: str, text: str
) -> None:
    assert _corrected(resolver, namespace, text) is None
