"""The retrieval the gate starts beside the writes: same context as one run after them."""

from __future__ import annotations

import threading
from itertools import repeat
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from tiermem.agents.retriever import RetrievalResult
from tiermem.graphs import build_graph, prefetch
from tiermem.graphs.config import TierMemConfig
from tiermem.graphs.prefetch import RetrievalPrefetch
from tiermem.graphs.services import Services

CONVERSATION = [
    ("I weighed 47 kg", "2024-05-01T08:00:00"),
    ("My sister Anna lives in Lyon", "2024-05-01T08:01:00"),
    ("I'm allergic to peanuts", "2024-05-01T08:02:00"),
    ("What did I say about my sister?", "2024-05-01T08:03:00"),
    ("今天称重45kg", "2024-05-03T08:00:00"),
    ("How much do I weigh now?", "2024-05-03T08:01:00"),
    ("I went hiking in the Alps with Anna last weekend", "2024-05-03T08:02:00"),
    ("Please forget my allergy", "2024-05-03T08:03:00"),
    ("What am I allergic to?", "2024-05-03T08:04:00"),
    ("Where does Anna live?", "2024-05-04T09:00:00"),
]


def fake_chat() -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=repeat(AIMessage(content="ok")))


def graph_on(tmp_path: Path, name: str, prefetching: bool) -> Any:
    config = TierMemConfig(data_dir=str(tmp_path / name), prefetch_retrieval=prefetching)
    return build_graph(services=Services(config, chat_model=fake_chat()))


def say(graph: Any, text: str, now: str, thread: str = "t1") -> dict[str, Any]:
    run = {"configurable": {"thread_id": thread, "user_id": "alice", "now": now}}
    return graph.invoke({"messages": [HumanMessage(content=text)]}, run)


def event(out: dict[str, Any], node: str) -> dict[str, Any]:
    return next(e for e in out["trace"] if e["node"] == node)


def test_a_turn_sees_the_same_memories_whether_its_retrieval_started_early_or_not(tmp_path: Path) -> None:
    after_writes, beside_writes = graph_on(tmp_path, "after", False), graph_on(tmp_path, "beside", True)
    for text, now in CONVERSATION:
        late, early = say(after_writes, text, now), say(beside_writes, text, now)
        assert [i["text"] for i in early["retrieved"]] == [i["text"] for i in late["retrieved"]], text
        assert early["messages"][-1].content == late["messages"][-1].content
        assert event(late, "retrieve")["prefetched"] is False


def test_a_request_to_forget_is_read_after_the_forget(tmp_path: Path) -> None:
    graph = graph_on(tmp_path, "data", True)
    say(graph, "I'm allergic to peanuts", "2024-05-01T08:00:00")
    assert event(say(graph, "What am I allergic to?", "2024-05-01T08:01:00"), "retrieve")["prefetched"] is True
    out = say(graph, "Please forget my allergy", "2024-05-01T08:02:00")
    assert [c["name"] for c in event(out, "tools")["tool_calls"]] == ["forget"]
    assert event(out, "retrieve")["prefetched"] is False  # started after the forget, not before
    assert not [i for i in out["retrieved"] if "peanut" in i["text"]]


def test_a_turn_that_states_a_fact_retrieves_after_writing_it(tmp_path: Path) -> None:
    graph = graph_on(tmp_path, "data", True)
    say(graph, "I weighed 47 kg", "2024-05-01T08:00:00")
    out = say(graph, "今天称重45kg", "2024-05-03T08:00:00")
    assert event(out, "retrieve")["prefetched"] is False  # the older weight is shown, ranked as the new one
    assert out["retrieved"][0]["text"] == "I weighed 47 kg"


def test_a_turn_that_promotes_a_memory_retrieves_after_the_promotion(tmp_path: Path) -> None:
    graph = graph_on(tmp_path, "data", True)
    say(graph, "I'm so tired today", "2024-05-01T08:00:00")
    out = say(graph, "feeling so tired today", "2024-05-01T08:01:00")
    assert [p["kind"] for p in event(out, "tools")["promotions"]] == ["short->mid"]
    assert event(out, "retrieve")["prefetched"] is False


def test_a_turn_resumed_in_another_process_retrieves_then(tmp_path: Path) -> None:
    config = TierMemConfig(data_dir=str(tmp_path / "data"))
    saver = InMemorySaver()
    first = build_graph(services=Services(config, chat_model=fake_chat()), checkpointer=saver)
    run = {"configurable": {"thread_id": "t1", "user_id": "alice", "now": "2024-05-01T08:00:00"}}
    first.invoke({"messages": [HumanMessage(content="I weighed 47 kg")]}, run)
    asked = {"configurable": {**run["configurable"], "now": "2024-05-01T08:01:00"}}
    first.invoke({"messages": [HumanMessage(content="How much do I weigh?")]}, asked, interrupt_before=["retrieve"])
    second = build_graph(services=Services(config, chat_model=fake_chat()), checkpointer=saver)
    out = second.invoke(None, asked)  # the first process's early retrieval is not here
    assert event(out, "retrieve")["prefetched"] is False
    assert "47 kg" in out["retrieved"][0]["text"]


def result(query: str) -> RetrievalResult:
    return RetrievalResult(query=query, items=[])


def test_a_started_retrieval_is_taken_once() -> None:
    pending = RetrievalPrefetch()
    pending.start("turn", lambda: result("q"))
    taken = pending.take("turn")
    assert taken is not None and taken.query == "q"
    assert pending.take("turn") is None


def test_a_dropped_or_failed_retrieval_is_not_taken() -> None:
    pending = RetrievalPrefetch()
    release = threading.Event()
    pending.start("dropped", lambda: (release.wait(5), result("q"))[1])
    pending.drop("dropped")
    release.set()
    assert pending.take("dropped") is None

    def fail() -> RetrievalResult:
        raise RuntimeError("store closed")

    pending.start("failed", fail)
    assert pending.take("failed") is None  # the retrieve node retrieves again and raises it there


def test_a_stale_retrieval_is_not_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    pending = RetrievalPrefetch()
    pending.start("turn", lambda: result("q"))
    monkeypatch.setattr(prefetch, "MAX_AGE_S", -1.0)
    assert pending.take("turn") is None


def test_turns_that_never_take_theirs_are_let_go(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefetch, "MAX_PENDING", 3)
    pending = RetrievalPrefetch()
    for n in range(5):
        pending.start(f"turn {n}", lambda n=n: result(str(n)))
    assert pending.take("turn 0") is None and pending.take("turn 1") is None
    assert [pending.take(f"turn {n}").query for n in (2, 3, 4)] == ["2", "3", "4"]  # type: ignore[union-attr]
