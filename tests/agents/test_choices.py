"""A question that offers two choices is answered by the memory that names one of them."""

from datetime import UTC, datetime

import pytest
from tiermem.agents.choices import choice_answer, choices
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem

WHEN = datetime(2024, 5, 3, 8, tzinfo=UTC)


def _said(text: str, hour: int = 8) -> RetrievedItem:
    return RetrievedItem(id=text[:10], tier="mid", text=text, score=0.9, created_at=WHEN.replace(hour=hour))


@pytest.mark.parametrize(
    ("question", "offered"),
    [
        ("Is it a boy or a girl?", ("boy", "girl")),
        ("Did I say Paris or Rome?", ("Paris", "Rome")),
        ("Was the car red or blue?", ("red", "blue")),
        ("Is it better to rent or buy?", None),  # advice
        ("Should I take the job or not?", None),
        ("What do you want, tea or coffee?", None),  # no yes-or-no form
    ],
)
def test_the_choices_a_question_offers(question: str, offered: tuple[str, str] | None) -> None:
    assert choices(question) == offered


def test_the_memory_naming_one_choice_is_quoted(responder: Responder) -> None:
    items = [_said("We're expecting a baby girl."), _said("I love jazz")]
    answer = responder.answer("Is it a boy or a girl?", RetrievalResult(query="q", items=items), now=WHEN)
    assert (answer.mode, answer.text) == ("quote", 'You told me: "We\'re expecting a baby girl." (2024-05-03).')


def test_memories_naming_both_choices_or_neither_answer_nothing() -> None:
    both = [_said("My sister had a boy"), _said("We're expecting a baby girl.")]
    assert choice_answer("Is it a boy or a girl?", both) is None
    assert choice_answer("Is it a boy or a girl?", [_said("I love jazz")]) is None
    assert choice_answer("Is it a boy or a girl?", [_said("Is it a boy or a girl?")]) is None  # a question names none
