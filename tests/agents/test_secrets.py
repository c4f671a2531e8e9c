"""Secrets said in chat: which words name one, what a message says without them, and the gate's
decision for a secret said beside a fact (EN + ZH, both deciders)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from tiermem.agents.gate import Gate, GateInput, create_gate
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.agents.secrets import says_secret, without_secrets
from tiermem.memory.embeddings import BaseEmbedder

NOW = datetime(2024, 5, 3, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("my new door code is 4471", True),
        ("The gate code for the garage is 1990", True),
        ("我家的门禁码是8866", True),
        ("My zip code is 10115", False),
        ("The dress code at work is formal", False),
        ("I passed my driving test", False),
    ],
)
def test_what_names_a_secret(text: str, secret: bool) -> None:
    assert says_secret(text) is secret


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("I moved to Lisbon last month, and my new door code is 4471", "I moved to Lisbon last month"),
        ("I moved to Lisbon last month, and my new door code is 4471.", "I moved to Lisbon last month."),
        ("I moved to Lisbon and my door code is 4471", "I moved to Lisbon"),  # no comma between them
        ("My PIN is 4471 and I live in Lisbon.", "I live in Lisbon."),
        ("我搬到杭州了，我的银行卡密码是1234", "我搬到杭州了"),
        ("我的银行卡密码是1234，我搬到杭州了。", "我搬到杭州了。"),
        ("My PIN is, uh, 4471", ""),  # what goes on with the secret is the secret
        ("The wifi password is sunflower88, all lower case, I work at Siemens", "I work at Siemens"),
        ("My password is hunter2. I use hunter2 everywhere. I love tea!", "I love tea!"),  # the code said again
        ("My password is hunter2", ""),
        ("I live in Paris, my zip code is 75011", "I live in Paris, my zip code is 75011"),  # no secret: as said
    ],
)
def test_a_message_without_its_secret(text: str, kept: str) -> None:
    assert without_secrets(text) == kept


@pytest.fixture(scope="module", params=["rule", "trained"])
def gate(request: pytest.FixtureRequest, embedder: BaseEmbedder) -> Gate:
    return create_gate(request.param, embedder=embedder)


@pytest.mark.parametrize(
    ("text", "fact", "secret"),
    [
        ("I moved to Lisbon last month, and my new door code is 4471", ("user.lives_in", "Lisbon"), "4471"),
        ("我搬到杭州了，我的银行卡密码是1234", ("user.lives_in", "杭州"), "1234"),
        ("I'm allergic to peanuts, and my PIN is 4821", ("user.allergy", "peanuts"), "4821"),
    ],
)
def test_a_fact_said_beside_a_secret_is_kept_without_it(
    gate: Gate, text: str, fact: tuple[str, str], secret: str
) -> None:
    decision = gate.decide(GateInput(text=text, now=NOW))
    assert decision.tier in ("mid", "long"), decision.reason
    assert [(f.key, f.value) for f in decision.facts] == [fact]
    assert all(secret not in f.statement for f in decision.facts)  # read from the words without the secret
    assert "secret" in decision.reason


@pytest.mark.parametrize(
    "text", ["My password is hunter2", "My PIN is 4471, I'm so tired today", "The wifi password is sunflower88, 4471"]
)
def test_a_secret_with_nothing_durable_besides_stays_in_working_memory(gate: Gate, text: str) -> None:
    decision = gate.decide(GateInput(text=text, now=NOW))
    assert decision.tier in ("short", "none") and decision.facts == [], decision.reason


@pytest.mark.parametrize(
    "text", ["Can you remember that my locker code is 4512?", "Please remember that my wifi password is hunter2"]
)
def test_a_secret_asked_to_be_kept_is_kept_for_the_session(gate: Gate, text: str) -> None:
    """A request to keep it states it, whatever the decider read a "Can you ...?" as: working memory."""
    decision = gate.decide(GateInput(text=text, now=NOW))
    assert decision.tier == "short" and decision.facts == [], decision.reason


def test_a_measurement_beside_a_secret_is_mid_term_without_it(gate: Gate) -> None:
    decision = gate.decide(GateInput(text="My locker code is 1234, and I weigh 70 kg", now=NOW))
    assert decision.tier == "mid" and [(f.key, f.value) for f in decision.facts] == [("user.weight", "70 kg")]
    assert "1234" not in decision.facts[0].statement


_NOT_KEPT = (
    "I don't keep passwords, PINs, card or account numbers or other secrets beyond the conversation "
    "they were told in, so I can't tell you that now."
)


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("What's my PIN?", _NOT_KEPT),
        ("What's the wifi password?", _NOT_KEPT),
        ("我的银行卡密码是多少？", "我不会在对话结束后保存密码、验证码、卡号等机密信息，所以现在无法告诉你。"),
    ],
)
def test_a_secret_asked_in_a_later_conversation_is_said_not_kept(
    responder: Responder, question: str, answer: str
) -> None:
    """Kept out on purpose, maybe told: neither "You haven't told me" nor the local model's guess."""
    asked_before = _item(question)  # this conversation's earlier question states no secret
    result = responder.answer(question, RetrievalResult(query=question, items=[asked_before]), now=NOW)
    assert (result.mode, result.text) == ("unknown", answer)


def test_a_secret_of_this_conversation_is_still_answered(responder: Responder) -> None:
    said = _item("The wifi password here is sunflower88")
    result = responder.answer("What's the wifi password?", RetrievalResult(query="q", items=[said]), now=NOW)
    assert "sunflower88" in result.text


@pytest.mark.parametrize(
    "question", ["What is a PIN?", "How do I reset my password?", "What's the difference between a PIN and a password?"]
)
def test_a_question_about_secrets_in_general_is_the_models(responder: Responder, question: str) -> None:
    assert responder.answer(question, RetrievalResult(query=question, items=[]), now=NOW).mode != "unknown"


def _item(text: str) -> RetrievedItem:
    return RetrievedItem(id=text[:12], tier="short", text=text, score=0.9, created_at=NOW, kind="context")
