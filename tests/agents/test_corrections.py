"""Corrections said in chat: which value replaces which, and the fact that changes."""

from datetime import UTC, datetime, timedelta

import pytest
from tiermem.agents.corrections import (
    NOTHING_CORRECTED,
    Correction,
    CorrectionResolver,
    correction,
    correction_in,
    replaced_value,
)
from tiermem.agents.gate import GateDecision
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
        ("Sorry, I meant Lyon, not Paris :)", ("Lyon", "Paris")),
        ("sorry i meant lyon, not paris 🙈", ("lyon", "paris")),  # what ends it is no value
        ("sorry, I meant Nice, not Marseille tbh", ("Nice", "Marseille")),
        ("Sorry, Lyon not Paris lol 😅", ("Lyon", "Paris")),
        ("Lyon, not Paris, sorry haha", ("Lyon", "Paris")),
        ("Sorry, I meant “Lyon”, not 'Paris'", ("Lyon", "Paris")),
        ("My bad: I meant to say New York, not Boston", ("New York", "Boston")),
        ("Actually it's Siemens, not Bosch", ("Siemens", "Bosch")),
        ("I meant not Paris but Lyon", ("Lyon", "Paris")),
        ("Sorry, not Paris, Lyon", ("Lyon", "Paris")),
        ("Oops, not peanuts, I said walnuts", ("walnuts", "peanuts")),
        ("Make that Tuesday, not Monday", ("Tuesday", "Monday")),
        ("No wait, Lyon not Paris", ("Lyon", "Paris")),
        ("Lyon, not Paris, sorry", ("Lyon", "Paris")),
        ("Oops, it's 80.5kg not 85 kg", ("80.5kg", "85 kg")),
        ("不对，不是巴黎，是里昂", ("里昂", "巴黎")),
        ("我说错了，是里昂，不是巴黎", ("里昂", "巴黎")),
        # whose value it is, said first
        ("Sorry, her name is Anna, not Anne.", ("Anna", "Anne")),
        ("Oops, his name is Tom not Tim", ("Tom", "Tim")),
        ("Actually she's 7, not 6", ("7", "6")),
        ("Sorry, it's spelled Katherine, not Catherine", ("Katherine", "Catherine")),
        # no correction: an answer, a clause for a value, no word that says it corrects
        ("I like tea, not coffee", None),
        ("No, not today, maybe tomorrow", None),
        ("No, not Paris, somewhere warm", None),
        ("No, not Alice, Bob is better", None),
        ("Oh no, not asthma, it's just a cold", None),
        ("No, it's chicken, not vegetarian", None),
        ("It's me, not Tom", None),
        ("No, 10, not 30", None),
        ("It's a cat, not a dog", None),
        ("Actually it's fine, not a problem", None),
        ("Actually is it Lyon not Paris", None),
        ("She is nice, not mean", None),  # no word that says it corrects
        ("Sorry, I meant , not Paris", None),
        ("Sorry, I meant Lyon", None),  # no value it replaces
        ("I live in Lyon, not Paris", None),  # a statement: extraction reads it
        ("Sorry, I meant Lyon, not lyon", None),
        ("不是老师，是学生", None),  # no word that says it corrects
    ],
)
def test_what_a_correction_replaces(text: str, said: tuple[str, str] | None) -> None:
    assert correction(text) == (Correction(*said) if said else None)


def _fact(namespace: str, attribute: str, value: str, *, subject: str = "user", minutes: int = 10) -> MemoryRecord:
    when = NOW - timedelta(minutes=minutes)
    fact = Fact(subject=subject, attribute=attribute, value=value, observed_at=when)
    tier: Tier = "mid" if attribute == "weight" else "long"
    return MemoryRecord(namespace=namespace, tier=tier, text=f"{attribute} {value}", fact=fact, created_at=when)


@pytest.fixture
def resolver(store: TierStore) -> CorrectionResolver:
    store.write(
        [
            _fact("alice", "lives_in", "Paris, France", minutes=30),
            _fact("alice", "employer", "Paris Saint-Germain", minutes=20),  # the newest that says Paris
            _fact("alice", "allergy", "eggs and peanuts"),
            _fact("alice", "condition", "type 2 diabetes"),
            _fact("alice", "lives_in", "Rome", subject="sister"),
            _fact("alice", "favorite_city", "no longer Oslo"),
            _fact("alice", "plan_exam", "exam on Monday (6 May 2024)"),
            _fact("alice", "age", "30", minutes=600),  # stated long ago
            _fact("bob", "lives_in", "Milan"),
            _fact("bob", "weight", "85 kg"),
            _fact("carol", "lives_in", "巴黎"),
            _fact("dan", "lives_in", "New York", minutes=30),
            _fact("dan", "employer", "New York Times", minutes=20),
            _fact("erin", "lives_in", "Berlin", subject="brother", minutes=20),
            _fact("frank", "lives_in", "Paris", minutes=30),
            _fact("frank", "sister", "Paris", minutes=20),  # her name: a correction of Paris is ambiguous
            _fact("frank", "girlfriend", "Emma", minutes=20),
            _fact("erin", "plan_trip", "flying to Berlin (4 May 2024)", minutes=10),  # the newest holder: a plan
        ]
    )
    return CorrectionResolver(store)


def _corrected(resolver: CorrectionResolver, namespace: str, text: str) -> tuple[list[tuple[str, str]], str] | None:
    found = resolver.corrected(namespace, text, NOW)
    return None if found is None else ([(fact.key, fact.value) for fact in found[0]], found[1])


@pytest.mark.parametrize(
    ("namespace", "text", "versions", "tier"),
    [
        ("alice", "Sorry, I meant Lyon, not Paris", [("user.employer", "Lyon Saint-Germain")], "long"),
        ("alice", "Sorry, I meant Paris FC, not Paris Saint-Germain", [("user.employer", "Paris FC")], "long"),
        ("alice", "Sorry, I meant Naples, not Rome", [("sister.lives_in", "Naples")], "long"),  # whoever's it is
        ("dan", "Sorry, I meant Boston, not New York", [("user.lives_in", "Boston")], "long"),  # the whole value first
        ("carol", "不对，不是巴黎，是里昂", [("user.lives_in", "里昂")], "long"),
        ("frank", "Sorry, I meant Emily, not Emma", [("user.girlfriend", "Emily")], "long"),  # a name alone
        ("frank", "Sorry, her name is Emily, not Emma", [("user.girlfriend", "Emily")], "long"),
        ("bob", "oops, 80kg not 85kg", [("user.weight", "80kg")], "mid"),
        ("bob", "sorry i meant turin, not milan 🙈", [("user.lives_in", "Turin")], "long"),  # as the value was said
        (
            "alice",
            "No, I meant walnuts, not peanuts",
            [("user.allergy", "no longer peanuts"), ("user.allergy", "walnuts")],
            "long",
        ),
        (
            "alice",
            "Sorry, I meant type 1, not type 2",
            [("user.condition", "no longer type 2 diabetes"), ("user.condition", "type 1 diabetes")],
            "long",
        ),
    ],
)
def test_the_fact_holding_the_old_value_gets_the_new_one(
    resolver: CorrectionResolver, namespace: str, text: str, versions: list[tuple[str, str]], tier: str
) -> None:
    assert _corrected(resolver, namespace, text) == (versions, tier)


@pytest.mark.parametrize(
    ("namespace", "text"),
    [
        ("alice", "Oops, it's sunny, not rainy"),  # no fact holds rainy
        ("alice", "Sorry, I meant Bergen, not Oslo"),  # an ended value is held by nobody
        ("alice", "Sorry, I meant Turin, not Milan"),  # bob's
        ("alice", "Sorry, I meant Lyon, not ris'%"),  # quotes and wildcards are text
        ("alice", "Sorry, I meant 45, not 30"),  # the age was stated ten hours ago
        ("alice", "How are you?"),
        ("alice", "Sorry, I meant Tuesday, not Monday"),  # a plan is said again, not patched
        ("erin", "Sorry, Munich, not Berlin"),  # meant for the plan: the brother's home stays
        ("frank", "Sorry, I meant Lyon, not Paris"),  # the sister's name or the home city: not said which
    ],
)
def test_nothing_is_corrected_that_was_not_stated_lately(
    resolver: CorrectionResolver, namespace: str, text: str
) -> None:
    assert _corrected(resolver, namespace, text) is None


def test_a_statement_that_denies_a_held_allergy_ends_it(resolver: CorrectionResolver) -> None:
    stated = Fact(attribute="allergy", value="shellfish", observed_at=NOW)
    decision = GateDecision(tier="long", facts=[stated], reason="states user.allergy = shellfish")
    revised = resolver.revised(decision, "alice", "Actually, I'm allergic to shellfish, not peanuts", NOW)
    assert [(f.key, f.value) for f in revised.facts] == [
        ("user.allergy", "no longer peanuts"),
        ("user.allergy", "shellfish"),
    ]
    assert revised.reason.endswith("ends user.allergy = peanuts")
    unchanged = resolver.revised(decision, "alice", "I'm allergic to shellfish, not to dust", NOW)
    assert unchanged == decision  # dust is held by nobody


def test_the_value_a_message_says_is_wrong() -> None:
    assert replaced_value("Sorry, I meant Lyon, not Paris") == "Paris"
    assert replaced_value("Correction: I live in Lyon, not Paris") == "Paris"
    assert replaced_value("Sorry, I meant Lyon, not Paris. And I'm allergic to peanuts") == "Paris"
    assert replaced_value("I like tea") is None


@pytest.mark.parametrize(
    ("text", "said", "rest"),
    [
        (
            "Sorry, I meant Lyon, not Paris. And I'm allergic to peanuts",
            ("Lyon", "Paris"),
            "And I'm allergic to peanuts",
        ),
        ("I'm allergic to peanuts. Sorry, I meant Lyon, not Paris", ("Lyon", "Paris"), "I'm allergic to peanuts."),
        ("Sorry, I meant Lyon, not Paris, and I have a cat", ("Lyon", "Paris"), "I have a cat"),
        ("不对，不是巴黎，是里昂。我对花生过敏", ("里昂", "巴黎"), "我对花生过敏"),
        ("Sorry, I meant Lyon, not Paris", ("Lyon", "Paris"), ""),
        ("I live in Lyon. Not Paris.", None, ""),  # no word that says it corrects
        ("I like tea, not coffee. And I have a cat", None, ""),
    ],
)
def test_a_correction_may_be_one_sentence_of_a_message(text: str, said: tuple[str, str] | None, rest: str) -> None:
    assert correction_in(text) == ((Correction(*said), rest) if said else None)


@pytest.mark.parametrize(
    "text",
    [
        "Sorry, I meant Turin, not Milan. And I'm allergic to peanuts",
        "I'm allergic to peanuts. Sorry, I meant Turin, not Milan",
    ],
)
def test_a_correction_said_with_a_statement_keeps_both(resolver: CorrectionResolver, text: str) -> None:
    stated = Fact(attribute="allergy", value="peanuts", observed_at=NOW)
    decision = GateDecision(tier="long", facts=[stated], reason="states user.allergy = peanuts")
    revised = resolver.revised(decision, "bob", text, NOW)
    assert [(f.key, f.value) for f in revised.facts] == [("user.lives_in", "Turin"), ("user.allergy", "peanuts")]
    assert (revised.tier, revised.reason) == (
        "long",
        "states user.allergy = peanuts; corrects user.lives_in: Milan -> Turin",
    )


def test_a_correction_in_the_higher_tier_of_the_two(resolver: CorrectionResolver) -> None:
    stated = Fact(attribute="allergy", value="peanuts", observed_at=NOW)
    decision = GateDecision(tier="long", facts=[stated], importance=0.8, reason="states user.allergy = peanuts")
    revised = resolver.revised(decision, "bob", "I'm allergic to peanuts. Oops, 80kg not 85kg", NOW)
    assert [(f.key, f.value) for f in revised.facts] == [("user.weight", "80kg"), ("user.allergy", "peanuts")]
    assert revised.tier == "long"


def test_a_correction_that_changes_nothing_says_so(resolver: CorrectionResolver) -> None:
    decision = GateDecision(tier="long", reason="classifier: long")
    revised = resolver.revised(decision, "alice", "Sorry, I meant 45, not 30", NOW)  # the age is ten hours old
    assert revised.facts == []
    assert (
        revised.reason
        == f"classifier: long; {NOTHING_CORRECTED}: no fact stated within the last hour holds 30 to change"
    )
    assert resolver.revised(decision, "alice", "How are you?", NOW) == decision
