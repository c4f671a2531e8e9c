"""A question about a person by name whom no memory mentions is told so, not guessed."""

from datetime import UTC, datetime

import pytest
from agent_helpers import RecordingGenerator
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.agents.strangers import untold_names

WHEN = datetime(2024, 5, 3, 8, tzinfo=UTC)


def _said(text: str, key: str = "", value: str = "", kind: str = "message") -> RetrievedItem:
    return RetrievedItem(
        id=text[:12], tier="long", text=text, score=0.9, created_at=WHEN, key=key, value=value, kind=kind
    )


@pytest.mark.parametrize(
    "question",
    [
        "How old is Max?",
        "What does Max like?",
        "Where does Max live?",
        "When is Max's birthday?",
        "What is Max allergic to?",
        "Does Max like pizza?",
    ],
)
def test_a_question_about_a_person_no_memory_names_is_told_so(responder: Responder, question: str) -> None:
    items = [_said("I love jazz"), _said(f"{question}")]  # a question asked before tells nothing of Max
    answer = responder.answer(question, RetrievalResult(query=question, items=items), now=WHEN)
    assert (answer.mode, answer.text) == ("unknown", "You haven't told me anything about Max yet.")


@pytest.mark.parametrize(
    "question",
    ["What is Python?", "Who wrote Hamlet?", "What does Apple make?", "Is Paris nice?", "How old is the Eiffel Tower?"],
)
def test_a_question_that_asks_nothing_of_a_person_is_no_strangers(question: str) -> None:
    assert untold_names(question, []) == frozenset()


def test_a_name_a_memory_mentions_is_no_stranger() -> None:
    assert untold_names("What does Karl do?", [_said("Karl is a chef.")]) == frozenset()
    assert untold_names("What does Karl do?", [_said("Who is Karl?")]) == {"karl"}


def test_advice_about_a_relation_gets_their_facts_not_the_others(
    responder: Responder, generator: RecordingGenerator
) -> None:
    items = [
        _said("My son Max is 7.", key="user.son", value="Max"),
        _said("Max loves dinosaurs.", key="son.likes", value="dinosaurs"),
        _said("My daughter Lily is allergic to peanuts.", key="daughter.allergy", value="peanuts"),
        _said("3 May 2024\nMy daughter Lily is allergic to peanuts.\nMax loves dinosaurs.", kind="episode"),
    ]
    question = "What should I get Max for his birthday?"
    assert responder.answer(question, RetrievalResult(query=question, items=items), now=WHEN).mode == "local"
    prompt = generator.prompts[0][0]["content"]
    assert "dinosaurs" in prompt and "peanuts" not in prompt
    # his birthday held too: it is no answer to what to get him
    birthday = _said("Max's birthday is June 2nd.", key="son.birthday", value="June 2nd")
    answer = responder.answer(question, RetrievalResult(query=question, items=[birthday, *items]), now=WHEN)
    assert answer.mode == "local" and "dinosaurs" in generator.prompts[-1][0]["content"]
