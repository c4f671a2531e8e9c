"""Through the graph: someone else's thing is not the user's, and "forget my ex" forgets what speaks of them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from tiermem.graphs import build_graph
from tiermem.graphs.config import TierMemConfig
from tiermem.graphs.services import Services


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    with Services(TierMemConfig(data_dir=str(tmp_path / "data"))) as services:
        yield services


@pytest.fixture
def graph(services: Services) -> Any:
    return build_graph(services=services)


def ask(graph: Any, text: str, user: str = "alice", now: str = "2024-05-03T09:00:00") -> str:
    """The reply to ``text``, said by ``user`` on a thread of its own."""
    config = {"configurable": {"thread_id": f"t-{user}-{now}", "user_id": user, "now": now}}
    return str(graph.invoke({"messages": [HumanMessage(content=text)]}, config)["messages"][-1].content)


def test_a_sisters_dog_is_not_the_users(graph: Any) -> None:
    ask(graph, "My sister's dog is called Max")
    assert ask(graph, "Do I have a dog?", now="2024-05-04T09:00:00") == "You haven't told me that yet."
    assert ask(graph, "What's my sister's dog called?", now="2024-05-05T09:00:00") == (
        'You told me: "My sister\'s dog is called Max" (2024-05-03).'
    )


def test_forgetting_my_ex_forgets_what_speaks_of_them_and_only_the_users(graph: Any, services: Services) -> None:
    ask(graph, "My ex Tom still texts me")
    ask(graph, "I broke up with my ex last year", now="2024-05-04T09:00:00")
    ask(graph, "I love jazz", now="2024-05-05T09:00:00")
    ask(graph, "My ex Tom still texts me", user="bob")
    told = ask(graph, "Forget about my ex", now="2024-05-06T09:00:00")
    assert told.startswith("Done: I've forgotten") and "Tom" not in told
    left = [r.text for r in services.store.records("alice")]
    assert "I love jazz" in left and not [text for text in left if "my ex" in text or "Tom" in text]
    assert "My ex Tom still texts me" in [r.text for r in services.store.records("bob")]  # another user's stays


def test_forgetting_my_ex_boyfriend_keeps_my_boyfriend(graph: Any, services: Services) -> None:
    ask(graph, "My boyfriend is Leo")
    ask(graph, "My ex-boyfriend Mark lives in Paris", now="2024-05-04T09:00:00")
    told = ask(graph, "Forget my ex-boyfriend", now="2024-05-05T09:00:00")
    assert told.startswith("Done: I've forgotten") and "Mark" not in told
    assert not [r for r in services.store.records("alice") if "Mark" in r.text]
    (boyfriend,) = services.store.latest_facts("alice", ["user.boyfriend"])["user.boyfriend"]
    assert boyfriend.fact is not None and boyfriend.fact.value == "Leo"
