"""Where the user stays on a trip: the hotel said, and "Where am I staying?" answered from it."""

from datetime import UTC, datetime

import pytest
from agent_helpers import RecordingGenerator
from tiermem.agents.extract import extract_facts
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.memory.embeddings import BaseEmbedder

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "hotel"),
    [
        ("We booked a room at Hotel Lutetia in Saint-Germain.", "Hotel Lutetia in Saint-Germain"),
        ("We're staying at the Hilton downtown.", "Hilton"),
        ("I'm staying at an Airbnb in Montmartre.", "an Airbnb in Montmartre"),
        ("我住在希尔顿酒店", "希尔顿酒店"),
        ("My hotel there is the Adlon.", "Adlon"),
        ("Our hotel in Rome is Hotel Artemide.", "Hotel Artemide"),
        ("My hotel is nice.", None),
        ("I'm staying in Paris for a week.", None),  # the city is the trip's
        ("We're staying at my sister's place.", None),
        ("I booked a table at Nobu.", None),
        ("我们订了北京饭店", None),  # 饭店 is as often a restaurant
    ],
)
def test_the_hotel_said(text: str, hotel: str | None) -> None:
    facts = {fact.key: fact.value for fact, _ in extract_facts(text, NOW)}
    assert facts.get("user.hotel") == hotel and "user.lives_in" not in facts


def _fact(key: str, value: str, text: str) -> RetrievedItem:
    return RetrievedItem(id=key, tier="mid", text=text, score=0.6, created_at=NOW, key=key, value=value)


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Where am I staying in Paris?", "Your hotel is Hotel Lutetia (as of 2024-05-03)."),
        ("What hotel did I book?", "Your hotel is Hotel Lutetia (as of 2024-05-03)."),
        ("Where do I live?", "Your home city is Lyon (as of 2024-05-03)."),
    ],
)
def test_where_i_stay_is_the_hotel_not_the_home(embedder: BaseEmbedder, question: str, answer: str) -> None:
    trip = _fact("user.plan_trip", "flying to Paris next Friday (10 May 2024)", "I'm flying to Paris next Friday.")
    hotel = _fact("user.hotel", "Hotel Lutetia", "We booked a room at Hotel Lutetia.")
    home = _fact("user.lives_in", "Lyon", "I live in Lyon.")
    result = RetrievalResult(query=question, items=[trip, hotel, home])
    assert Responder(generator=RecordingGenerator(), embedder=embedder).answer(question, result, now=NOW).text == answer


def test_a_trip_said_with_its_days_from_one_to_another_is_a_plan_of_that_span() -> None:
    facts = {
        fact.key: fact.value
        for fact, _ in extract_facts("I'm going to Berlin for a conference from June 10 to June 14.", NOW)
    }
    assert facts == {
        "user.plan_trip": "going to Berlin for a conference from June 10 to June 14 (10 June 2024 - 14 June 2024)"
    }
    assert extract_facts("I'm going to Berlin from here.", NOW) == []  # "from" a place: no day


def test_who_is_asked_by_the_line_that_names_someone(embedder: BaseEmbedder) -> None:
    """ "Who is coming with me to Berlin?" is nearer the trip's words (0.49) than the colleague's (0.24):
    a line that names someone by whom they are counts nearer for a question for who."""
    trip = _fact(
        "user.plan_trip",
        "going to Berlin for a conference from June 10 to June 14 (10 June 2024 - 14 June 2024)",
        "I'm going to Berlin for a conference from June 10 to June 14.",
    )
    raj = _fact("user.coworker", "Raj", "My colleague Raj is coming with me.")
    result = RetrievalResult(query="q", items=[trip, raj])
    answer = Responder(generator=RecordingGenerator(), embedder=embedder).answer(
        "Who is coming with me to Berlin?", result, now=NOW
    )
    assert answer.text == 'You told me: "My colleague Raj is coming with me." (2024-05-03).'
