from datetime import UTC, datetime

import pytest
from agent_helpers import RecordingGenerator
from tiermem.agents.may_eat import MAY_I, asked_food
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.memory.embeddings import BaseEmbedder

WHEN = datetime(2024, 5, 3, tzinfo=UTC)


def _fact(key: str, value: str) -> RetrievedItem:
    return RetrievedItem(id=key, tier="long", text="told", score=0.9, created_at=WHEN, key=key, value=value)


@pytest.mark.parametrize(
    ("question", "food"),
    [
        ("Could I grab a Twix?", "a Twix"), ("Is it okay if I drink a latte?", "a latte"),
        ("Am I allowed to eat sushi tonight?", "sushi"), ("Should I try the shrimp tacos?", "the shrimp tacos"),
        ("Is it safe to eat some kimchi for lunch?", "kimchi"), ("我可以喝奶茶吗？", "奶茶"),
        ("能不能吃一块蛋糕？", "蛋糕"),
        ("Can I go to the gym?", None), ("Can I have a minute?", None), ("Could I try again?", None),
        ("Can I have a dog?", None), ("Should I order a taxi?", "a taxi"),
        ("Is almond milk ok for me?", "almond milk"), ("Are walnuts safe for me to eat?", "walnuts"),
        ("Is hiking ok for me?", None), ("Is the gym ok for me?", None),
    ],
)  # fmt: skip
def test_the_food_a_may_i_question_names(question: str, food: str | None) -> None:
    assert MAY_I.match(question) and asked_food(question) == food


def test_a_food_no_fact_names_is_answered_with_the_allergies_told(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    items = RetrievalResult(query="q", items=[_fact("user.allergy", "peanuts"), _fact("user.condition", "diabetes")])
    answer = responder.answer("Could I grab a Twix?", items)
    assert answer.mode == "fact" and answer.cited == ["user.allergy", "user.condition"]
    assert answer.text == (
        "I don't know what's in a Twix, but you told me you are allergic to peanuts (as of 2024-05-03)"
        " and you have diabetes (as of 2024-05-03)."
    )
    chinese = responder.answer("我可以喝奶茶吗？", items).text
    told = "你说过你对peanuts过敏（截至 2024-05-03），你有diabetes（截至 2024-05-03）。"
    assert chinese == f"我不知道奶茶里有什么，但{told}"
    sister = RetrievalResult(query="q", items=[_fact("sister.allergy", "shellfish")])
    assert responder.answer("Can my sister eat paella?", sister).text == (
        "I don't know what's in paella, but you told me your sister is allergic to shellfish (as of 2024-05-03)."
    )
    assert not generator.prompts


def test_a_food_is_the_models_where_no_allergy_or_condition_was_told(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    weight = RetrievalResult(query="q", items=[_fact("user.weight", "70 kg")])
    assert responder.answer("Is it OK if I eat a burrito?", weight).mode == "local"
    outgrown = RetrievalResult(query="q", items=[_fact("user.allergy", "no longer eggs")])
    assert responder.answer("Is it OK if I eat a burrito?", outgrown).text == (  # not the model's "you're allergic"
        "I don't know what's in a burrito, but you told me you are no longer allergic to eggs (as of 2024-05-03)."
    )
    peanuts = RetrievalResult(query="q", items=[_fact("user.allergy", "peanuts")])
    assert responder.answer("Can I take a nap?", peanuts).mode == "local"
    assert responder.answer("Can I have a minute to think?", peanuts).mode == "local"
    assert len(generator.prompts) == 3


def test_a_dish_is_in_the_category_of_what_it_is_made_of(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    told = RetrievalResult(query="q", items=[_fact("user.allergy", "shellfish, tree nuts")])
    assert responder.answer("Is almond milk ok for me?", told).text == (
        "You told me you are allergic to tree nuts (as of 2024-05-03); almond milk is tree nuts."
    )
    assert responder.answer("Can I have shrimp pasta?", told).text == (
        "You told me you are allergic to shellfish (as of 2024-05-03); shrimp pasta is shellfish."
    )
    milk = RetrievalResult(query="q", items=[_fact("user.allergy", "milk")])
    assert "dairy" not in responder.answer("Can I drink coconut milk?", milk).text  # its last word says nothing


def test_a_food_in_the_category_of_an_allergy_told_is_said_so(embedder: BaseEmbedder) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    nuts = RetrievalResult(query="q", items=[_fact("user.allergy", "nuts")])
    assert responder.answer("Can I eat walnuts?", nuts).text == (
        "You told me you are allergic to nuts (as of 2024-05-03); walnuts are tree nuts."
    )
    milk = RetrievalResult(query="q", items=[_fact("user.allergy", "milk")])
    assert responder.answer("Can I eat cheese?", milk).text == (
        "You told me you are allergic to milk (as of 2024-05-03); cheese is dairy."
    )
    assert responder.answer("Am I allergic to cheese?", milk).text == (
        "You told me you are allergic to milk (as of 2024-05-03); cheese is dairy."
    )
    sister = RetrievalResult(query="q", items=[_fact("sister.allergy", "shellfish")])
    assert responder.answer("Can my sister have some shrimp?", sister).text == (
        "You told me your sister is allergic to shellfish (as of 2024-05-03); shrimp is shellfish."
    )
    peanuts = RetrievalResult(query="q", items=[_fact("user.allergy", "peanuts")])
    assert responder.answer("Can I eat walnuts?", peanuts).text.startswith("I don't know what's in walnuts")
    assert responder.answer("can i grab a reeses pb cup lol", peanuts).text.startswith(
        "I don't know what's in a reeses pb cup, but"
    )
    assert responder.answer("Am I allergic to nuts at all?", peanuts).text == (
        "Yes, you are allergic to peanuts (as of 2024-05-03)."
    )
    assert not generator.prompts


@pytest.mark.parametrize(
    ("condition", "question", "answer"),
    [
        (
            "lactose intolerance",
            "Can I drink milk?",
            "You told me you have lactose intolerance (as of 2024-05-03); milk is dairy.",
        ),
        (
            "lactose intolerance",
            "Can I have a milkshake?",
            "You told me you have lactose intolerance (as of 2024-05-03); milkshake is dairy.",
        ),
        (
            "celiac disease",
            "Can I eat bread?",
            "You told me you have celiac disease (as of 2024-05-03); bread is gluten.",
        ),
    ],
)
def test_a_food_a_condition_rules_out_is_said_so(
    embedder: BaseEmbedder, condition: str, question: str, answer: str
) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    held = RetrievalResult(query="q", items=[_fact("user.condition", condition)])
    assert responder.answer(question, held).text == answer
    diabetes = RetrievalResult(query="q", items=[_fact("user.condition", "diabetes")])
    assert responder.answer(question, diabetes).text.startswith("I don't know what's in")  # rules out no food
