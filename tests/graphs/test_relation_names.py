"""A relation's name and home through the graph: a new name is a new version; a word-name is the relation's."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from tiermem.graphs import build_graph
from tiermem.graphs.services import Services


def say(graph: Any, text: str, now: str = "2024-05-03T09:00:00") -> list[tuple[str, str, str]]:
    """The facts the gate kept of ``text``, as ``(subject, attribute, value)``."""
    config = {"configurable": {"thread_id": "t-alice", "user_id": "alice", "now": now}}
    out = graph.invoke({"messages": [HumanMessage(content=text)]}, config)
    return [(f["subject"], f["attribute"], f["value"]) for f in out["decision"]["facts"]]


@pytest.fixture
def graph(services: Services) -> Any:
    return build_graph(services=services)


def test_a_new_name_is_a_new_version_of_the_relation(graph: Any, services: Services) -> None:
    assert say(graph, "My girlfriend is Emma") == [("user", "girlfriend", "Emma")]
    assert say(graph, "My girlfriend is now Sophie", now="2024-06-01T09:00:00") == [("user", "girlfriend", "Sophie")]
    newest = services.store.latest_facts("alice", ["user.girlfriend"], versions=2)["user.girlfriend"]
    assert [v.fact.value for v in newest if v.fact] == ["Sophie", "Emma"]
    assert say(graph, "Sophie moved to Lyon", now="2024-06-02T09:00:00") == [("girlfriend", "lives_in", "Lyon")]


def test_a_name_that_is_a_word_is_the_relation_where_written_as_a_name(graph: Any) -> None:
    assert say(graph, "My mother is May") == [("user", "mother", "May")]
    assert say(graph, "May has asthma") == [("mother", "condition", "asthma")]
    assert say(graph, "I'm flying to Rome this May") == [("user", "plan_trip", "flying to Rome this May (May 2024)")]


def test_a_friend_named_as_another_relation_is_that_relation(graph: Any) -> None:
    assert say(graph, "My friend is Mark") == [("user", "friend", "Mark")]
    assert say(graph, "My boss is now Mark") == [("user", "boss", "Mark")]  # not "my boss is now my friend"
    assert say(graph, "My brother moved to Paris") == [("brother", "lives_in", "Paris")]


def test_a_chinese_relations_name_is_the_relation_in_every_chinese_word(graph: Any) -> None:
    assert say(graph, "我妹妹叫李娜") == [("user", "sister", "李娜")]
    assert say(graph, "李娜有哮喘") == [("sister", "condition", "哮喘")]  # read as 我姐妹有哮喘
    assert say(graph, "我哥哥叫李雷") == [("user", "brother", "李雷")]
    assert say(graph, "李雷下个月搬到上海") == [("brother", "plan_move", "我兄弟下个月搬到上海 (June 2024)")]


def test_a_condition_said_as_what_one_is_through_the_graph(graph: Any) -> None:
    assert say(graph, "I'm diabetic") == [("user", "condition", "diabetes")]
    assert say(graph, "My friend is Mark") == [("user", "friend", "Mark")]
    assert say(graph, "Mark is asthmatic") == [("friend", "condition", "asthma")]


def test_a_pronoun_in_the_next_message_is_the_relation_named_before(services: Services) -> None:
    from langgraph.checkpoint.memory import MemorySaver

    graph = build_graph(services=services, checkpointer=MemorySaver())  # the thread's history is kept
    assert say(graph, "My sister Anna lives in Berlin.") == [
        ("sister", "lives_in", "Berlin"),
        ("user", "sister", "Anna"),
    ]
    assert say(graph, "She works as a nurse.") == [("sister", "occupation", "nurse")]
    assert say(graph, "I met Sarah at the gym today.") == []
    assert say(graph, "She is a doctor.") == []  # Sarah is nobody's relation: not the sister's job
