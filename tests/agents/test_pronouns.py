"""A "she" or "he" that starts a message is the relation the user's message before it named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from agent_helpers import RecordingGenerator
from langchain_core.messages import AIMessage, HumanMessage
from tiermem.agents.pronouns import antecedent, question_with_antecedent, relations_of, with_antecedent
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.memory.embeddings import BaseEmbedder


@pytest.mark.parametrize(
    ("text", "before", "read"),
    [
        ("She works as a nurse.", "My sister Anna lives in Berlin.", "My sister works as a nurse."),
        ("She's a nurse", "My sister lives in Berlin", "My sister is a nurse"),
        ("And he is 40", "my brother got married", "And my brother is 40"),
        ("he lives in Oslo", "My wife and my son visited", "My son lives in Oslo"),  # the one whose gender fits
        ("She is a doctor", "my brother and my mom came over", "My mom is a doctor"),
        ("他是医生", "我哥哥住在上海", "我哥哥是医生"),
        ("她是护士", "My wife lives in Paris", "我妻子是护士"),
        ("She teaches piano", "我妹妹住在杭州", "My sister teaches piano"),
    ],
)
def test_a_leading_pronoun_is_the_relation_named_before(text: str, before: str, read: str) -> None:
    assert with_antecedent(text, [HumanMessage(before), AIMessage("Noted.")]) == read


@pytest.mark.parametrize(
    ("text", "before"),
    [
        ("She is a doctor.", "I met Sarah at the gym today."),  # no relation named: nobody's to guess
        ("He likes golf", "My wife and I went out"),  # no relation whose gender fits
        ("her name is Jo", "my sister"),  # no subject pronoun
        ("Shell is hiring", "my sister"),
        ("他们住在北京", "我哥哥"),  # 他们: they
        ("他的车是宝马", "我哥哥"),  # 他的: his, not he
        ("She lives with my brother", "my sister"),  # names a relation itself
        ("She works as a nurse.", ""),
    ],
)
def test_a_pronoun_with_no_fitting_relation_before_it_stays(text: str, before: str) -> None:
    assert with_antecedent(text, [HumanMessage(before)] if before else []) == text


def test_only_the_users_message_before_counts() -> None:
    history = [HumanMessage("My sister lives in Rome."), AIMessage("Is your brother there too?")]
    assert with_antecedent("He works in Milan", history) == "He works in Milan"
    assert with_antecedent("She works in Milan", history) == "My sister works in Milan"


def test_within_a_message_the_last_fitting_relation_named() -> None:
    assert antecedent("my wife's name is Ngozi, ", "she") == "wife"
    assert antecedent("My brother and my sister", "he") == "brother"
    assert antecedent("I met Sarah", "she") is None


def test_a_lookback_finds_the_relation_named_a_few_messages_before() -> None:
    history = [HumanMessage("My sister Mia loves jazz."), AIMessage("Noted."), HumanMessage("What does she like?")]
    assert with_antecedent("她喜欢什么？", history) == "她喜欢什么？"  # the message before names no one
    assert with_antecedent("她喜欢什么？", history, lookback=3) == "我姐妹喜欢什么？"
    assert with_antecedent("He works in Milan", history, lookback=3) == "He works in Milan"  # no fitting one
    named_earlier = [HumanMessage("My brother lives in Oslo."), *history]
    assert with_antecedent("He works in Milan", named_earlier, lookback=3) == "My brother works in Milan"
    assert with_antecedent("He works in Milan", named_earlier, lookback=2) == "He works in Milan"


def test_a_question_about_her_is_about_the_relation_named_before(embedder: BaseEmbedder) -> None:
    """她喜欢什么？ two messages after "My sister Mia loves jazz." quotes the sister's like (it was the
    reply that the local model writes no Chinese)."""
    when = datetime(2024, 5, 3, 8, tzinfo=UTC)
    said = "My sister Mia loves jazz."
    likes = RetrievedItem(id="s", tier="long", text=said, score=0.5, created_at=when, key="sister.likes", value="jazz")
    history = [HumanMessage(said), AIMessage("Noted."), HumanMessage("What does she like?")]
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    answer = responder.answer("她喜欢什么？", RetrievalResult(query="q", items=[likes]), history=history, now=when)
    assert answer.mode == "quote" and "jazz" in answer.text and answer.cited == ["s"]


_MIA = [HumanMessage("My daughter Mia has a peanut allergy."), HumanMessage("She's 7 and loves swimming.")]


@pytest.mark.parametrize(
    ("question", "read"),
    [
        ("Is she allergic to anything?", "Is my daughter allergic to anything?"),
        ("How old is she?", "How old is my daughter?"),
        ("What should I pack for her school lunch?", "What should I pack for my daughter's school lunch?"),
        ("Where does he live?", "Where does he live?"),  # no "he" was named
        ("What is the capital of France?", "What is the capital of France?"),
        ("How old is my son?", "How old is my son?"),  # names a relation itself
    ],
)
def test_a_pronoun_inside_a_question_is_the_relation_named_before(question: str, read: str) -> None:
    assert question_with_antecedent(question, _MIA) == read


def test_a_pronoun_no_message_names_is_a_relation_the_facts_retrieved_are_of() -> None:
    known = relations_of(["daughter.age", "user.daughter", "son.age", ""])
    assert known == ["daughter", "son"]
    assert question_with_antecedent("How old is he?", [], known=known) == "How old is my son?"
    assert question_with_antecedent("How old is she?", [], known=["dog"]) == "How old is she?"  # no gender


@pytest.mark.parametrize(
    ("question", "history", "known", "read"),
    [
        ("她喜欢什么？", [HumanMessage("我女儿叫小美，今年七岁")], [], "我女儿喜欢什么？"),
        ("她的生日是哪天？", [HumanMessage("我女儿叫小美")], [], "我女儿的生日是哪天？"),
        ("我该给他买什么？", [], ["daughter", "son"], "我该给我儿子买什么？"),  # the facts' relation of his gender
        ("她喜欢什么？", [], ["dog"], "她喜欢什么？"),
    ],
)
def test_a_chinese_pronoun_in_a_question_is_the_relation_named_or_held(
    question: str, history: list[HumanMessage], known: list[str], read: str
) -> None:
    assert question_with_antecedent(question, history, known=known) == read


def test_messages_that_go_on_with_the_same_pronoun_are_passed_over() -> None:
    """ "My son Jake has a peanut allergy." "He also has asthma." "He's 9.": the son each time; a
    message between that names no one and starts otherwise ends the chain."""
    son = HumanMessage("My son Jake has a peanut allergy.")
    also = HumanMessage("He also has asthma and uses an inhaler.")
    assert (
        with_antecedent("He's 9 and plays soccer.", [son, AIMessage("Noted."), also]) == "My son is 9 and plays soccer."
    )
    neighbor = HumanMessage("I met my neighbor Tom.")
    assert with_antecedent("He's a doctor.", [son, neighbor]) == "He's a doctor."
    assert with_antecedent("She's a doctor.", [son, also]) == "She's a doctor."  # no she named
