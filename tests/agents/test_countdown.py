"""How long until the day a fact names: counted, not guessed by the local model."""

from datetime import UTC, datetime

import pytest
from agent_helpers import RecordingGenerator
from tiermem.agents.countdown import countdown
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.memory.embeddings import BaseEmbedder

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


def _fact(key: str, value: str, text: str = "") -> RetrievedItem:
    return RetrievedItem(
        id=key, tier="long", text=text or value, score=0.5, created_at=NOW.replace(day=1), key=key, value=value
    )


BIRTHDAY = _fact("user.birthday", "June 5th", "My birthday is June 5th")
MOTHER = _fact("mother.birthday", "May 10", "My mom's birthday is May 10")
DENTIST = _fact("user.plan_appointment", "dentist appointment is on May 20 at 2pm (20 May 2024)")
TRIP = _fact("user.plan_trip", "to Japan next spring (1 March 2025 - 31 May 2025)")
ANNIVERSARY = _fact("user.anniversary", "6月5日", "我们的结婚纪念日是6月5日。")


@pytest.mark.parametrize(
    ("question", "fact", "now", "text"),
    [
        ("How many days until my birthday?", BIRTHDAY, NOW, "33 days until your birthday (5 June 2024)."),
        (
            "How many weeks until my birthday?",
            BIRTHDAY,
            NOW,
            "33 days (4 weeks and 5 days) until your birthday (5 June 2024).",
        ),
        ("How long until my birthday?", BIRTHDAY, NOW.replace(month=6, day=5), "Your birthday is today (5 June 2024)."),
        (
            "How long until my birthday?", BIRTHDAY, NOW.replace(month=6, day=6),
            "364 days until your birthday (5 June 2025).",
        ),
        ("How long until my trip?", TRIP, NOW, "302 days until your trip (1 March 2025 - 31 May 2025, its first day)."),
        (
            "How long until my appointment?", DENTIST, NOW.replace(day=23),
            "Your appointment was 3 days ago (20 May 2024).",
        ),
        ("离我们的结婚纪念日还有几天？", ANNIVERSARY, NOW, "距离你的纪念日（2024年6月5日）还有33天。"),
    ],
)  # fmt: skip
def test_the_days_until_a_facts_day_are_counted_from_today(
    question: str, fact: RetrievedItem, now: datetime, text: str
) -> None:
    answer = countdown(question, fact, [fact], now)
    assert answer is not None and answer.text == text and answer.cited == [fact.id]


def test_a_leap_day_comes_back_in_the_next_leap_year() -> None:
    leap = _fact("user.birthday", "February 29")
    answer = countdown("How many days until my birthday?", None, [leap], datetime(2025, 3, 1, tzinfo=UTC))
    assert answer is not None and answer.text == "1095 days until your birthday (29 February 2028)."


def test_the_fact_is_found_by_the_thing_the_question_names_and_whose_it_is() -> None:
    items = [MOTHER, DENTIST]
    mother = countdown("How many days until my mom's birthday?", None, items, NOW)
    assert mother is not None and mother.text == "7 days until your mother's birthday (10 May 2024)."
    dentist = countdown("How many days until my dentist appointment?", None, items, NOW)
    assert dentist is not None and dentist.text == "17 days until your appointment (20 May 2024)."
    assert countdown("How long until my birthday?", None, items, NOW) is None  # the mother's is not the user's


@pytest.mark.parametrize(
    ("question", "text"),
    [
        ("How many days until I fly to Lisbon?", "42 days until your flight (14 June 2024)."),
        ("离我去上海还有几天？", "距离你的行程（2024年5月10日）还有7天。"),
    ],
)
def test_a_plan_is_found_by_the_words_of_its_value(question: str, text: str) -> None:
    flight = _fact("user.plan_flight", "flight to Lisbon is UA 123 on June 14 (14 June 2024)")
    shanghai = _fact("user.plan_trip", "下周五要去上海出差 (10 May 2024)")
    answer = countdown(question, None, [DENTIST, flight, shanghai], NOW)
    assert answer is not None and answer.text == text
    assert countdown("How many days until June?", None, [flight], NOW) is None  # a month of it names no plan


@pytest.mark.parametrize("question", ["When is my birthday?", "How long is my commute?", "How old am I?"])
def test_a_question_that_asks_no_countdown_is_left_to_the_rest(question: str) -> None:
    assert countdown(question, BIRTHDAY, [BIRTHDAY], NOW) is None


def test_the_responder_counts_rather_than_let_the_model_guess(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    items = RetrievalResult(query="q", items=[BIRTHDAY, MOTHER, DENTIST])
    assert responder.answer("How many days until my birthday?", items, now=NOW).text == (
        "33 days until your birthday (5 June 2024)."
    )
    assert responder.answer("How many days until my dentist appointment?", items, now=NOW).text == (
        "17 days until your appointment (20 May 2024)."
    )
    assert not generator.prompts
