"""The user's children: a child's school told, and questions of "my kid" answered from the son or daughter held."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from agent_helpers import RecordingGenerator
from langchain_core.messages import HumanMessage
from tiermem.agents.asked import CHILDREN, as_held_member
from tiermem.agents.extract import extract_facts
from tiermem.agents.responder import Responder
from tiermem.agents.retriever import RetrievalResult, RetrievedItem
from tiermem.graphs import build_graph
from tiermem.graphs.services import Services
from tiermem.memory.embeddings import BaseEmbedder

WHEN = datetime(2024, 5, 3, 8, tzinfo=UTC)


def _facts(text: str) -> dict[str, str]:
    return {fact.key: fact.value for fact, _ in extract_facts(text, WHEN)}


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("My son Jake goes to Lincoln Elementary.", {"son.school": "Lincoln Elementary", "user.son": "Jake"}),
        ("My daughter attends Roosevelt High School", {"daughter.school": "Roosevelt High School"}),
        ("My daughter goes to Roosevelt High School.", {"daughter.school": "Roosevelt High School"}),
        ("My son goes to school at St. Mary's Academy.", {"son.school": "St. Mary's Academy"}),
        ("My son goes to school at Sunny Days", {"son.school": "Sunny Days"}),
        ("My daughter goes to the University of Michigan now", {"daughter.school": "University of Michigan"}),
        ("My kids go to Oakwood Primary", {"children.school": "Oakwood Primary"}),
        ("I go to Stanford University", {"user.school": "Stanford University"}),
        ("My daughter is in 2nd grade at Maple Elementary", {"daughter.school": "Maple Elementary"}),
        ("My son started kindergarten at Sunny Days", {"son.school": "Sunny Days"}),
        ("My son is a first grader at Lincoln Elementary", {"son.school": "Lincoln Elementary"}),
        ("我儿子在实验小学上学", {"son.school": "实验小学"}),
        ("我女儿读实验中学", {"daughter.school": "实验中学"}),
        ("我女儿上实验中学", {"daughter.school": "实验中学"}),
        ("我儿子上清华大学", {"son.school": "清华大学"}),
        ("我儿子在读实验小学", {"son.school": "实验小学"}),
        ("我儿子在实验小学读二年级", {"son.school": "实验小学"}),
    ],
)
def test_a_childs_school_is_where_they_go(text: str, facts: dict[str, str]) -> None:
    assert _facts(text) == facts


@pytest.mark.parametrize(
    "text",
    [
        "My son goes to bed at 8",
        "My son goes to the park on Sundays",
        "my son hates school",
        "My son goes to Paris next week",
        "My daughter goes to High Point Mall a lot",
        "My son goes to Lincoln Elementary School's fair on Friday",
        "I go to the gym every day",
        "My son is in 2nd grade at the moment",
        "我女儿读书很好",
        "我儿子上大学了",
        "我儿子上小学二年级",
        "我上一所好学校",
    ],
)
def test_no_school_where_one_goes_elsewhere(text: str) -> None:
    assert not any(key.endswith(".school") for key in _facts(text))


@pytest.mark.parametrize(
    ("question", "keys", "asked"),
    [
        ("How old is my kid?", ["user.daughter", "daughter.age"], "How old is my daughter?"),
        ("What's my kid's name?", ["user.son"], "What's my son's name?"),
        ("What are our children's names?", ["son.school"], "What are our son's names?"),
        ("Where does my little one go to school?", ["son.school"], "Where does my son go to school?"),
        ("What's my kid's name?", ["user.son", "user.daughter"], "What's my son's or my daughter's name?"),
        ("What does my son do?", ["user.daughter"], "What does my son do?"),
        ("How old is my kid?", ["user.lives_in"], "How old is my kid?"),  # no child held: "not told"
        ("我孩子叫什么名字？", ["user.daughter"], "我女儿叫什么名字？"),
        ("我家小孩在哪上学？", ["son.age"], "我儿子在哪上学？"),
        ("我的小孩几岁？", [], "我的孩子几岁？"),  # a 孩子's age, not the user's
    ],
)
def test_my_kid_is_the_child_held(question: str, keys: list[str], asked: str) -> None:
    assert as_held_member(question, [_fact(key, "x", "") for key in keys]) == asked


def test_the_children_held_are_the_sons_and_daughters_told_of() -> None:
    keys = ["daughter.age", "user.son", "user.lives_in", "children.school", "sister.age"]
    assert CHILDREN.held([_fact(key, "x", "") for key in keys]) == ("son", "daughter", "children")


def _fact(key: str, value: str, text: str) -> RetrievedItem:
    return RetrievedItem(id=key, tier="long", text=text, score=0.9, created_at=WHEN, key=key, value=value)


_JAKE = "My son Jake goes to Lincoln Elementary."
_EMMA = "My daughter Emma is 7."
_SON = [_fact("user.son", "Jake", _JAKE), _fact("son.school", "Lincoln Elementary", _JAKE)]
_DAUGHTER = [_fact("user.daughter", "Emma", _EMMA), _fact("daughter.age", "7", _EMMA)]


def _answers(embedder: BaseEmbedder, items: list[RetrievedItem], *questions: str) -> list[str]:
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    return [responder.answer(q, RetrievalResult(query=q, items=items), now=WHEN).text for q in questions]


def test_one_child_held_answers_for_my_kid(embedder: BaseEmbedder) -> None:
    assert _answers(
        embedder,
        _DAUGHTER,
        "What's my kid's name?",
        "What are my children's names?",
        "How old is my child?",
        "How many kids do I have?",
        "Do I have kids?",
        "Where does my kid go to school?",
        "What does my son do?",
    ) == [
        "Your daughter is Emma (as of 2024-05-03).",
        "Your daughter is Emma (as of 2024-05-03).",
        "Your daughter's age is 7 (as of 2024-05-03).",
        "You've told me about one child: Emma (daughter).",
        "You've told me about one child: Emma (daughter).",
        "You haven't told me your daughter's school yet.",
        "You haven't told me anything about your son yet.",  # a daughter is no son
    ]
    assert _answers(embedder, _SON, "Where does my kid go to school?", "What school does my son go to?") == [
        "Your son's school is Lincoln Elementary (as of 2024-05-03).",
        "Your son's school is Lincoln Elementary (as of 2024-05-03).",
    ]


def test_a_son_and_a_daughter_are_each_told(embedder: BaseEmbedder) -> None:
    both = [*_SON, *_DAUGHTER]
    assert _answers(
        embedder,
        both,
        "What are my children's names?",
        "What's my kid's name?",
        "How old is my child?",
        "Where does my kid go to school?",
        "How many kids do I have?",
        "How many children have I got?",
        "What's my kid allergic to?",
    ) == [
        "Your children are Jake (son) and Emma (daughter), as of 2024-05-03.",
        "Your children are Jake (son) and Emma (daughter), as of 2024-05-03.",
        "Your daughter's age is 7 (as of 2024-05-03). You haven't told me your son's age yet.",
        "Your son's school is Lincoln Elementary (as of 2024-05-03). You haven't told me your daughter's school yet.",
        "You've told me about 2 children: Jake (son) and Emma (daughter).",
        "You've told me about 2 children: Jake (son) and Emma (daughter).",
        "You haven't told me your son's allergy yet. You haven't told me your daughter's allergy yet.",
    ]
    assert _answers(embedder, both, "我孩子叫什么名字？", "我有几个孩子？") == [
        "根据记忆（2024-05-03）：你的孩子是Jake（儿子）和Emma（女儿）。",
        "你告诉过我你有2个孩子：Jake（儿子）和Emma（女儿）。",
    ]


def test_children_told_together_are_counted_with_the_others(embedder: BaseEmbedder) -> None:
    kids = [_fact("user.children", "Max and Lily", "I have two kids, Max and Lily.")]
    assert _answers(embedder, kids, "How many kids do I have?", "What's my kid's name?") == [
        "Your children are Max and Lily (as of 2024-05-03).",
        "Your children are Max and Lily (as of 2024-05-03).",
    ]
    baby = [_fact("user.son", "Leo", "We just had a baby boy, Leo"), *kids]
    assert _answers(embedder, baby, "How many kids do I have?") == [
        "You've told me about 3 children: Leo (son), Max and Lily."
    ]


def test_a_child_held_by_a_fact_of_theirs_alone_is_counted_as_whom(embedder: BaseEmbedder) -> None:
    """ "My son is allergic to eggs" holds a son with no name: he is counted as "your son"."""
    kids = [*_DAUGHTER, _fact("son.allergy", "eggs", "My son is allergic to eggs.")]
    assert _answers(embedder, kids, "How many kids do I have?", "我有几个孩子？") == [
        "You've told me about 2 children: Emma (daughter) and your son.",
        "你告诉过我你有2个孩子：Emma（女儿）和你的儿子。",
    ]


def _said(text: str, kind: str = "message") -> RetrievedItem:
    return RetrievedItem(id=text[:12], tier="long", kind=kind, text=text, score=0.5, created_at=WHEN)


def test_what_was_said_of_children_told_together_by_name_is_quoted(embedder: BaseEmbedder) -> None:
    """ "We have two kids, Mia who is 8 and Leo who is 5" holds no one child: what was said of
    each by name answers a question of them all, and only what says the attribute asked."""
    told = "We have two kids, Mia who is 8 and Leo who is 5."
    kids = [
        _fact("user.children", "Mia and Leo", told),
        _said("3 May 2024\nLeo is allergic to tree nuts.\nMia has asthma.\nLeo loves dinosaurs.", kind="episode"),
        _said("Mia hates broccoli."),
    ]
    assert _answers(
        embedder,
        kids,
        "Which of my kids has an allergy?",
        "Do any of my kids have health conditions?",
        "How old are my kids?",
        "What are my kids' names?",
    ) == [
        'You told me: "Leo is allergic to tree nuts." (2024-05-03).',
        'You told me: "Mia has asthma." (2024-05-03).',
        f'You told me: "{told}" (2024-05-03).',
        "Your children are Mia and Leo (as of 2024-05-03).",
    ]
    both = [*kids, _said("Mia is allergic to eggs.")]
    assert _answers(embedder, both, "What are my kids allergic to?") == [
        'You told me: "Leo is allergic to tree nuts." (2024-05-03). '
        'You told me: "Mia is allergic to eggs." (2024-05-03).'
    ]


def test_no_child_held_is_not_told(embedder: BaseEmbedder) -> None:
    home = [_fact("user.lives_in", "Paris", "I live in Paris")]
    assert _answers(embedder, home, "What's my kid's name?", "What are my children's names?", "我孩子几岁？") == [
        "You haven't told me anything about your child yet.",
        "You haven't told me anything about your children yet.",
        "我没有关于你的孩子的记忆：你还没有告诉过我。",
    ]


def _ask(graph: Any, user: str, text: str) -> str:
    config = {"configurable": {"thread_id": f"t-{user}", "user_id": user, "now": "2024-05-03T09:00:00"}}
    return str(graph.invoke({"messages": [HumanMessage(content=text)]}, config)["messages"][-1].content)


def test_a_childs_school_through_the_graph(services: Services) -> None:
    graph = build_graph(services=services)
    _ask(graph, "ann", "My son Jake goes to Lincoln Elementary.")
    assert _ask(graph, "ann", "What school does my son go to?") == (
        "Your son's school is Lincoln Elementary (as of 2024-05-03)."
    )
    assert _ask(graph, "ann", "Where does my kid go to school?") == (
        "Your son's school is Lincoln Elementary (as of 2024-05-03)."
    )
    assert _ask(graph, "ann", "What's my kid's name?") == "Your son is Jake (as of 2024-05-03)."
    _ask(graph, "bob", "My son is Jake")
    _ask(graph, "bob", "Jake goes to Lincoln Elementary")  # Jake is the son
    assert _ask(graph, "bob", "What school does my son go to?") == (
        "Your son's school is Lincoln Elementary (as of 2024-05-03)."
    )


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("My other son Max is 4.", {"user.son": "Max"}),  # no age of the first son's
        ("My youngest daughter Lily just started school.", {"user.daughter": "Lily"}),
        ("My son Jake is 7.", {"user.son": "Jake", "son.age": "7"}),
        ("My other half is great.", {}),
    ],
)
def test_one_of_several_children_is_named(text: str, facts: dict[str, str]) -> None:
    assert {fact.key: fact.value for fact, _ in extract_facts(text, WHEN)} == facts


def test_a_second_son_is_held_beside_the_first_through_the_graph(services: Services) -> None:
    graph = build_graph(services=services)
    _ask(graph, "cy", "My son Jake is 7.")
    _ask(graph, "cy", "My other son Max is 4.")
    assert _ask(graph, "cy", "What are my sons' names?") == "Your sons are Max and Jake (as of 2024-05-03)."
    assert _ask(graph, "cy", "How many kids do I have?") == "You've told me about 2 children: Max (son) and Jake (son)."
    assert _ask(graph, "cy", "How many sons do I have?") == "You've told me about 2 sons: Max and Jake."


def test_a_fact_of_one_of_two_sons_answers_my_son_for_neither(embedder: BaseEmbedder) -> None:
    """``son.age`` is Jake's, said before Max; with both held, "How old is my son?" is no fact's answer:
    what was said is quoted (by name), never "Your son's age is 7"."""
    jake, max_ = "My son Jake is 7.", "My other son Max is 4."
    items = [_fact("user.son", "Max, Jake", max_), _fact("son.age", "7", jake)]
    responder = Responder(generator=RecordingGenerator(), embedder=embedder)
    answer = responder.answer("How old is my son?", RetrievalResult(query="q", items=items), now=WHEN)
    assert answer.mode == "quote" and answer.text.startswith("You told me:") and "Jake" in answer.text
    assert _answers(embedder, _DAUGHTER, "How old is my daughter?") == ["Your daughter's age is 7 (as of 2024-05-03)."]
