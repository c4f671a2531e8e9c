from datetime import UTC, datetime

import pytest
from agent_helpers import RecordingGenerator
from tiermem.agents.extract import extract_facts
from tiermem.agents.fact_words import CONDITION_ADJECTIVES
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.agents.yes_no import asked_fact, same_value
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.generation import Generation

WHEN = datetime(2024, 5, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Am I asthmatic?", ("user.condition", "asthma")), ("Am I still diabetic?", ("user.condition", "diabetes")),
        ("Is my brother epileptic?", ("brother.condition", "epilepsy")),
        ("Is my mom a type 2 diabetic?", ("mother.condition", "type 2 diabetes")),
        ("Am I lactose intolerant?", ("user.condition", "lactose intolerance")),
        ("Is Anna anemic?", ("anna.condition", "anemia")), ("Am I coeliac?", ("user.condition", "celiac disease")),
        ("Am I tired?", None), ("Is my sister asthmatic-sounding?", None),
    ],
)  # fmt: skip
def test_a_condition_asked_by_its_adjective_is_asked_as_the_condition(
    question: str, asked: tuple[str, str] | None
) -> None:
    assert asked_fact(question) == asked


def test_an_adjective_and_its_condition_are_one_value() -> None:
    assert same_value("diabetes", "type 2 diabetic") and same_value("asthmatic", "asthma")
    assert not same_value("type 1 diabetic", "type 2 diabetes")


class _Generator:
    def generate(
        self, messages: list[dict[str, str]], *, max_new_tokens: int = 64, namespace: str | None = None
    ) -> Generation:
        return Generation(text="generated", adapter_version=None)


def _facts(*facts: tuple[str, str]) -> RetrievalResult:
    items = [
        RetrievedItem(id=key, tier="long", text="told", score=0.9, created_at=WHEN, key=key, value=value)
        for key, value in facts
    ]
    return RetrievalResult(query="q", items=items)


def test_a_condition_asked_by_its_adjective_is_answered_yes_no_or_not_told(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=_Generator(), embedder=embedder)
    items = _facts(("user.condition", "type 2 diabetes"), ("brother.condition", "no longer epilepsy"))
    assert responder.answer("Am I diabetic?", items).text == "Yes, you have type 2 diabetes (as of 2024-05-03)."
    assert responder.answer("Am I asthmatic?", items).text == (
        "Not that you've told me: you have type 2 diabetes (as of 2024-05-03)."
    )
    assert responder.answer("Is my brother epileptic?", items).text == (
        "No, your brother no longer has epilepsy (as of 2024-05-03)."
    )
    sister = responder.answer("Is my sister asthmatic?", items)
    assert (sister.mode, sister.text) == ("unknown", "You haven't told me anything about your sister yet.")
    # "I'm lactose intolerant" is stored as the diet: that fact answers, never a "not told"
    diet = responder.answer("Am I lactose intolerant?", _facts(("user.diet_identity", "lactose intolerant")))
    assert diet.mode == "fact" and "lactose intolerant" in diet.text and not diet.text.startswith("Not")


@pytest.mark.parametrize("adjective", sorted(CONDITION_ADJECTIVES))
def test_a_condition_asked_by_its_adjective_is_the_fact_its_statement_stores(adjective: str) -> None:
    stored = [(fact.key, fact.value) for fact, _ in extract_facts(f"I'm {adjective}", datetime.now(UTC))]
    assert stored == [asked_fact(f"Am I {adjective}?")]


def test_a_value_another_holds_is_not_what_the_user_told(embedder: BaseEmbedder) -> None:
    nurse = RetrievedItem(
        id="n", tier="long", text="I work as a nurse at St Mary's hospital", score=0.9,
        created_at=datetime(2026, 11, 8, tzinfo=UTC), key="user.occupation", value="nurse",
    )  # fmt: skip
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    doctor = responder.answer("Am I a doctor?", RetrievalResult(query="q", items=[nurse]))
    assert (
        doctor.mode == "fact" and doctor.text == "Not that you've told me: your occupation is nurse (as of 2026-11-08)."
    )
    assert "nurse" in responder.answer("Am I a nurse?", RetrievalResult(query="q", items=[nurse])).text


def test_a_value_another_holds_is_told_in_chinese_and_of_a_city(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    teacher = RetrievedItem(
        id="t", tier="long", text="我是一名老师", score=0.9, created_at=datetime(2026, 11, 2, tzinfo=UTC),
        key="user.occupation", value="老师",
    )  # fmt: skip
    doctor = responder.answer("我是医生吗？", RetrievalResult(query="q", items=[teacher]))
    assert doctor.text == "据我所知不是：你说过工作 = 老师（截至 2026-11-02）。"
    lyon = teacher.model_copy(update={"text": "I live in Lyon", "key": "user.lives_in", "value": "Lyon"})
    paris = responder.answer("Do I live in Paris?", RetrievalResult(query="q", items=[lyon]))
    assert paris.text == "Not that you've told me: your home city is Lyon (as of 2026-11-02)."
