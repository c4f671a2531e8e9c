"""Speculative retrieval: started by ``ingest``, collected by ``retrieve``, the same context as retrieving after the writes."""

from __future__ import annotations

from itertools import repeat
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage
from tiermem.agents.retriever import RetrievalResult
from tiermem.graphs import build_graph, prefetch
from tiermem.graphs.config import TierMemConfig
from tiermem.graphs.prefetch import RetrievalPrefetch
from tiermem.graphs.services import Services

CONVERSATION = [
    ("I weighed 47 kg", "2024-05-01T08:00:00"),
    ("I'm allergic to peanuts", "2024-05-01T08:05:00"),
    ("My sister Ana lives in Lisbon", "2024-05-02T10:00:00"),
    ("今天称重45kg", "2024-05-03T08:00:00"),  # a new version of the weight, stated by the turn itself
    ("How much do I weigh now?", "2024-05-03T09:00:00"),
    ("Where does Ana live?", "2024-05-03T09:01:00"),
]


def graph_on(tmp_path: Path, name: str, *, prefetch_retrieval: bool) -> tuple[Any, Services]:
    config = TierMemConfig(
        data_dir=str(tmp_path / name), prefetch_retrieval=prefetch_retrieval, maintenance={"background": False}
    )
    services = Services(config, chat_model=GenericFakeChatModel(messages=repeat(AIMessage(content="ok"))))
    return build_graph(services=services), services


def contexts(graph: Any) -> list[tuple[list[str], bool]]:
    """Per turn: the rendered context lines and whether the retrieval was prefetched."""
    seen = []
    for i, (text, now) in enumerate(CONVERSATION):
        out = graph.invoke(
            {"messages": [HumanMessage(content=text, id=f"m{i}")]},
            {"configurable": {"thread_id": "t", "user_id": "alice", "now": now}},
        )
        event = next(e for e in reversed(out["trace"]) if e["node"] == "retrieve")
        seen.append(([item["memory"] for item in event["read"]], event["prefetched"]))
    return seen


def test_prefetched_context_equals_retrieving_after_the_writes(tmp_path: Path) -> None:
    ahead, ahead_services = graph_on(tmp_path, "ahead", prefetch_retrieval=True)
    after, _ = graph_on(tmp_path, "after", prefetch_retrieval=False)
    prefetched, sequential = contexts(ahead), contexts(after)
    assert [lines for lines, _ in prefetched] == [lines for lines, _ in sequential]
    assert all(flag for _, flag in prefetched) and not any(flag for _, flag in sequential)
    restating = prefetched[3][0]  # the 45 kg turn: the store's older version of the fact is not shown beside it
    assert restating and not any("weight: 47 kg" in line for line in restating)
    assert any("weight: 45 kg" in line for line in prefetched[4][0])  # the next turn reads the new version
    assert ahead_services.prefetch.pending == 0


def test_writing_only_turns_start_no_retrieval(tmp_path: Path) -> None:
    graph, services = graph_on(tmp_path, "data", prefetch_retrieval=True)
    out = graph.invoke(
        {"messages": [HumanMessage(content="I weighed 47 kg")]},
        {"configurable": {"thread_id": "t", "user_id": "alice", "respond": False}},
    )
    assert "retrieve" not in [e["node"] for e in out["trace"]]
    assert services.prefetch.pending == 0


def test_uncollected_retrievals_are_dropped_when_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(prefetch.time, "monotonic", lambda: clock[0])
    started = RetrievalPrefetch(workers=1)
    started.start("failed-turn", lambda: RetrievalResult(query="a"))
    clock[0] += prefetch.STALE_AFTER_S + 1
    started.start("next-turn", lambda: RetrievalResult(query="b"))
    assert started.take("failed-turn") is None
    future = started.take("next-turn")
    assert future is not None and future.result().query == "b"
    assert started.take("next-turn") is None and started.pending == 0
