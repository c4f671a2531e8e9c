from datetime import UTC, datetime

import pytest
from agent_helpers import RecordingGenerator
from langchain_core.messages import AIMessage, HumanMessage
from tiermem.agents.follow_up import asked_with, follows_up
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.memory.embeddings import BaseEmbedder

WHEN = datetime(2026, 11, 20, 8, tzinfo=UTC)
DENTIST = RetrievedItem(
    id="d", tier="mid", text="ugh I have a dentist appointment next Tuesday at 3pm", score=0.9, created_at=WHEN,
    key="user.plan_appointment", value="next Tuesday at 3pm (24 November 2026)",
)  # fmt: skip
METFORMIN = RetrievedItem(
    id="m", tier="long", text="I take metformin 500mg twice a day", score=0.9, created_at=WHEN,
    key="user.medication", value="metformin 500mg",
)  # fmt: skip


@pytest.mark.parametrize(
    "question", ["what time?", "which company?", "and when?", "how often do I take it?", "when is it?", "几点？"]
)
def test_a_question_in_too_few_words_follows_up(question: str) -> None:
    assert follows_up(question)


@pytest.mark.parametrize(
    "question",
    [
        "Where do I live?",
        "What time is it?",
        "Who is Rex?",
        "What is love?",
        "What about Tom?",
        "我住在哪里？",
        "What happened yesterday?",  # names its day
        "Who's coming next weekend?",
    ],
)
def test_a_question_that_reads_alone_follows_up_nothing(question: str) -> None:
    assert not follows_up(question)
    assert asked_with(question, [HumanMessage("When is my dentist appointment?")]) == question


def test_a_follow_up_is_read_with_the_users_message_before_it() -> None:
    history = [HumanMessage("What medication am I on?"), AIMessage("Your medication is metformin 500mg.")]
    assert asked_with("how often do I take it?", history) == "What medication am I on? how often do I take it?"
    assert asked_with("what time?", []) == "what time?"


@pytest.mark.parametrize(
    ("before", "question", "item", "words"),
    [
        (
            "When is my dentist appointment?",
            "what time?",
            DENTIST,
            "ugh I have a dentist appointment next Tuesday (24 November 2026) at 3pm",  # its day, as said then
        ),
        ("What medication am I on?", "how often do I take it?", METFORMIN, METFORMIN.text),
    ],
)
def test_a_follow_up_is_answered_with_the_words_of_the_fact_the_question_before_asked(
    embedder: BaseEmbedder, before: str, question: str, item: RetrievedItem, words: str
) -> None:
    generator = RecordingGenerator()
    responder = Responder(generator=generator, embedder=embedder)
    history = [HumanMessage(before), AIMessage("...")]
    answer = responder.answer(question, RetrievalResult(query=question, items=[item]), history=history, now=WHEN)
    assert answer.text == f'You told me: "{words}" (2026-11-20).' and not generator.prompts
    alone = responder.answer(before, RetrievalResult(query=before, items=[item]), now=WHEN)
    assert alone.mode == "fact" and alone.text != answer.text  # asked alone: the value held


def test_a_follow_up_in_chinese_quotes_the_memory_the_question_before_asked(embedder: BaseEmbedder) -> None:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    dentist = DENTIST.model_copy(update={"text": "我下周三下午两点要去看牙医"})
    history = [HumanMessage("我什么时候去看牙医？"), AIMessage("...")]
    answer = responder.answer("几点？", RetrievalResult(query="q", items=[dentist]), history=history, now=WHEN)
    assert answer.mode == "quote" and "下午两点" in answer.text
