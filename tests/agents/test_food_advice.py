from datetime import UTC, datetime

import pytest
from tiermem.agents.food_advice import avoids, food_facts
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem

WHEN = datetime(2026, 11, 3, 18, tzinfo=UTC)


def _fact(key: str, value: str, text: str) -> RetrievedItem:
    return RetrievedItem(id=key, tier="long", text=text, score=0.9, created_at=WHEN, key=key, value=value)


MARK = [
    _fact("user.husband", "Mark", "my husband Mark is allergic to shellfish"),
    _fact("husband.allergy", "shellfish", "my husband Mark is allergic to shellfish"),
    _fact("user.diet_identity", "vegetarian", "I'm vegetarian myself since 2019"),
]
CILANTRO = [_fact("user.dislike", "cilantro", "oh and I hate cilantro")]


def test_what_to_avoid_cooking_for_someone_is_told_their_allergy(responder: Responder) -> None:
    answer = responder.answer("What should I avoid cooking for Mark?", RetrievalResult(query="q", items=MARK), now=WHEN)
    assert answer.mode == "fact" and answer.text == (
        "You told me: your husband's allergy is shellfish (as of 2026-11-03)."
    )  # the husband's, not the user's diet


def test_food_advice_carries_a_note_of_what_was_told(responder: Responder) -> None:
    cook = responder.answer("What should I cook for dinner tonight?", RetrievalResult(query="q", items=MARK), now=WHEN)
    assert cook.mode == "local" and cook.text == "generated (Keep in mind: your diet is vegetarian (as of 2026-11-03).)"
    salsa = responder.answer("Should I put cilantro in the salsa?", RetrievalResult(query="q", items=CILANTRO))
    assert "Keep in mind: you dislike cilantro" in salsa.text
    tire = responder.answer("How do I fix a flat tire?", RetrievalResult(query="q", items=MARK + CILANTRO))
    assert tire.text == "generated"  # no food: nothing to keep in mind


def test_what_is_kept_is_of_whom_the_question_asks_about() -> None:
    assert [item.key for item in food_facts("What can I cook for him?", MARK, frozenset({"husband"}))] == [
        "husband.allergy"
    ]
    assert food_facts("Should I put basil in the salsa?", CILANTRO, frozenset()) == []
    assert avoids("What should I not serve my wife?") and not avoids("What should I cook tonight?")


@pytest.mark.parametrize(
    ("question", "value", "named"),
    [
        ("Should we watch a horror movie tonight?", "cilantro and horror movies", True),  # one of a set, singular
        ("Should I put a tomato in the salad?", "tomatoes", True),
        ("Can I add berries to the cake?", "berry", True),
        ("Should I get glasses?", "glass", True),
        ("Should we watch a comedy?", "cilantro and horror movies", False),
    ],
)
def test_a_dislike_is_kept_for_advice_that_names_it_in_either_number(question: str, value: str, named: bool) -> None:
    held = [_fact("user.dislike", value, f"I hate {value}")]
    assert bool(food_facts(question, held, frozenset())) is named


@pytest.mark.parametrize(
    "question",
    [
        "Any food I should avoid?",
        "What can't I eat?",
        "Is there anything I shouldn't eat?",
        "Are there foods I need to avoid?",
        "Do I have any dietary restrictions?",
        "What should I not eat?",
    ],
)
def test_what_the_user_may_not_eat_is_told_every_limit_held(responder: Responder, question: str) -> None:
    held = [_fact("user.allergy", "shellfish", "I'm allergic to shellfish"), *MARK[2:]]
    answer = responder.answer(question, RetrievalResult(query="q", items=held), now=WHEN)
    assert answer.mode == "fact" and answer.text == (
        "You told me: your allergy is shellfish (as of 2026-11-03); your diet is vegetarian (as of 2026-11-03)."
    )


def test_avoiding_what_is_no_food_is_not_a_food_question() -> None:
    assert not avoids("What should I avoid saying to my boss?")
    assert not avoids("Which roads should I avoid tonight?")


@pytest.mark.parametrize(
    ("question", "keys"),
    [
        ("What should I cook for the family tonight?", ["husband.allergy", "user.diet_identity", "son.dislike"]),
        ("What can everyone eat?", ["husband.allergy", "user.diet_identity", "son.dislike"]),
        ("What should I cook for the dinner party?", ["husband.allergy", "user.diet_identity", "son.dislike"]),
        ("What can I serve my guests?", ["husband.allergy", "user.diet_identity", "son.dislike"]),
        ("What should I cook for dinner?", ["user.diet_identity"]),  # the user's own
    ],
)
def test_a_meal_for_the_household_is_told_everyones_limits(question: str, keys: list[str]) -> None:
    son = _fact("son.dislike", "mushrooms", "My son hates mushrooms")
    assert [item.key for item in food_facts(question, [*MARK, son], frozenset())] == keys


def test_a_dislike_of_something_done_is_no_food_to_keep_in_mind() -> None:
    items = [
        _fact("user.dislike", "running in the rain", "I hate running in the rain"),
        _fact("user.dislike", "stuffing", "I can't stand stuffing"),
        _fact("user.diet_identity", "vegetarian", "I'm vegetarian"),
    ]
    kept = food_facts("Can you suggest a dinner recipe for me?", items, frozenset())
    assert [item.value for item in kept] == ["stuffing", "vegetarian"]
