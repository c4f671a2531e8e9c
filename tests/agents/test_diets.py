"""A diet held answers whether one may eat a food it leaves out, quoting what was said of it."""

from datetime import UTC, datetime

import pytest
from tiermem.agents.diets import left_out
from tiermem.agents.extract import extract_facts
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.agents.value_match import ValueMatcher

WHEN = datetime(2024, 5, 3, 8, tzinfo=UTC)


def _diet(text: str, value: str, key: str = "user.diet_identity") -> RetrievedItem:
    return RetrievedItem(id="d1", tier="long", text=text, score=0.9, created_at=WHEN, key=key, value=value)


@pytest.mark.parametrize(
    ("diet", "food", "group"),
    [
        ("vegetarian", "salmon", "fish"),
        ("vegetarian", "bacon", "pork"),
        ("vegetarian", "steak", "meat"),
        ("vegetarian", "tofu", None),
        ("vegan", "cheese", "dairy"),
        ("vegan", "honey", "honey"),
        ("pescatarian", "salmon", None),
        ("pescatarian", "chicken", "meat"),
        ("halal", "beer", "alcohol"),
        ("kosher", "shrimp", "shellfish"),
        ("gluten-free", "pasta", "gluten"),
        ("素食", "猪肉", "肉"),
        ("keto", "bread", None),  # no category a keto diet leaves out is known
    ],
)
def test_a_diet_leaves_out_its_categories_and_their_members(diet: str, food: str, group: str | None) -> None:
    assert left_out(diet, food, ValueMatcher(None)) == group


def test_may_i_eat_a_food_the_diet_leaves_out_quotes_the_diet(responder: Responder) -> None:
    said = _diet("I'm vegetarian but I eat fish sometimes.", "vegetarian")
    answer = responder.answer("Can I eat salmon?", RetrievalResult(query="q", items=[said]), now=WHEN)
    assert (answer.mode, answer.text) == (
        "fact",
        'You told me: "I\'m vegetarian but I eat fish sometimes." (2024-05-03); '
        "salmon is fish, which a vegetarian diet leaves out.",
    )
    assert answer.cited == ["d1"]


def test_a_food_the_diet_keeps_or_an_ended_diet_is_not_answered_by_it(responder: Responder) -> None:
    vegan = _diet("I'm vegan", "vegan")
    assert responder.answer("Can I eat tofu?", RetrievalResult(query="q", items=[vegan]), now=WHEN).mode == "local"
    ended = _diet("I'm not vegan anymore", "no longer vegan")
    answer = responder.answer("Can I have cheese?", RetrievalResult(query="q", items=[ended]), now=WHEN)
    assert answer.mode == "local"


def test_a_chinese_question_is_answered_in_chinese(responder: Responder) -> None:
    said = _diet("我吃素", "素食")
    answer = responder.answer("我能吃猪肉吗？", RetrievalResult(query="q", items=[said]), now=WHEN)
    assert answer.mode == "fact" and answer.text.endswith("；猪肉属于肉，素食饮食不包括肉。")


@pytest.mark.parametrize(
    ("said", "value", "question", "answer"),
    [
        ("I stopped eating meat last month.", "meat", "Can I eat chicken?", "; chicken is meat."),
        ("I don't eat pork.", "pork", "Can I have bacon?", "; bacon is pork."),
        ("I don't eat pork.", "pork", "Can I eat pork?", "(2024-05-03)."),
    ],
)
def test_a_food_said_not_eaten_answers_for_what_it_holds(
    responder: Responder, said: str, value: str, question: str, answer: str
) -> None:
    item = _diet(said, value, key="user.dislike")
    result = responder.answer(question, RetrievalResult(query="q", items=[item]), now=WHEN)
    assert result.mode == "fact" and result.text.startswith(f'You told me: "{said[:12]}')
    assert result.text.endswith(answer)


def test_a_food_of_an_allergy_held_answers_before_the_diet(responder: Responder) -> None:
    soy = _diet("I'm allergic to soy", "soy", key="user.allergy")
    answer = responder.answer("Can I eat tofu?", RetrievalResult(query="q", items=[soy]), now=WHEN)
    assert answer.text == "You told me you are allergic to soy (as of 2024-05-03); tofu is soy."


@pytest.mark.parametrize(
    ("text", "diet"),
    [
        ("We're vegan.", "vegan"),
        ("We are both vegetarian.", "vegetarian"),
        ("We're a vegetarian family.", "vegetarian"),
        ("My wife and I are both vegetarian.", "vegetarian"),
        ("We're vegan options fans", None),
    ],
)
def test_a_diet_the_speaker_shares_with_others(text: str, diet: str | None) -> None:
    facts = {fact.key: fact.value for fact, _ in extract_facts(text, WHEN)}
    assert facts == ({"user.diet_identity": diet} if diet else {})
