"""Through the graph: someone else's thing is not the user's, and "forget my ex" forgets what speaks of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from tiermem.graphs import build_graph
from tiermem.graphs.config import TierMemConfig


@pytest.fixture
def graph(tmp_path: Path) -> Any:
    return build_graph(TierMemConfig(data_dir=str(tmp_path / "data")))


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
