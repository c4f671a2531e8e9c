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
from tiermem.memory.changes import NamespaceChanges

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


@pytest.fixture
def retrievals_begin_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every early retrieval has begun on its worker thread when ``start`` returns. Under load a
    worker may not begin one before the turn's retrieve node takes it, which then reads on the
    turn's own thread, by design (``prefetched`` false); a test that asserts one was taken waits."""
    start = RetrievalPrefetch.start

    def started_and_begun(self: RetrievalPrefetch, namespace: str, retrieve: Any) -> str:
        running = threading.Event()
        key = start(self, namespace, lambda: (running.set(), retrieve())[1])
        assert running.wait(30)
        return key

    monkeypatch.setattr(RetrievalPrefetch, "start", started_and_begun)


@pytest.mark.usefixtures("retrievals_begin_at_once")
def test_a_request_to_forget_is_read_after_the_forget(tmp_path: Path) -> None:
    graph = graph_on(tmp_path, "data", True)
    say(graph, "I'm allergic to peanuts", "2024-05-01T08:00:00")
    assert event(say(graph, "What am I allergic to?", "2024-05-01T08:01:00"), "retrieve")["prefetched"] is True
    out = say(graph, "Please forget my allergy", "2024-05-01T08:02:00")
    assert [c["name"] for c in event(out, "tools")["tool_calls"]] == ["forget"]
    assert event(out, "retrieve")["prefetched"] is False  # started after the forget, not before
    assert not [i for i in out["retrieved"] if "peanut" in i["text"]]


@pytest.mark.usefixtures("retrievals_begin_at_once")
def test_a_turn_that_states_a_fact_sees_the_older_version_not_its_own(tmp_path: Path) -> None:
    graph = graph_on(tmp_path, "data", True)
    say(graph, "I weighed 47 kg", "2024-05-01T08:00:00")
    out = say(graph, "今天称重45kg", "2024-05-03T08:00:00")
    assert event(out, "retrieve")["prefetched"] is True
    assert out["retrieved"][0]["text"] == "I weighed 47 kg"  # the new version is the turn's own


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


def interrupted_then(tmp_path: Path, prefetching: bool, meanwhile: str) -> dict[str, Any]:
    """Alice asks where she lives; her turn waits at an interrupt before its retrieval while
    another turn of hers says ``meanwhile``; then it goes on."""
    config = TierMemConfig(data_dir=str(tmp_path / f"data-{prefetching}"), prefetch_retrieval=prefetching)
    graph = build_graph(services=Services(config, chat_model=fake_chat()), checkpointer=InMemorySaver())
    say(graph, "I live in Paris", "2024-05-01T08:00:00")
    asked = {"configurable": {"thread_id": "t1", "user_id": "alice", "now": "2024-05-01T08:01:00"}}
    graph.invoke({"messages": [HumanMessage(content="Where do I live?")]}, asked, interrupt_before=["retrieve"])
    say(graph, meanwhile, "2024-05-01T08:00:30", thread="t2")
    return graph.invoke(None, asked)


@pytest.mark.parametrize("meanwhile", ["Please forget my address", "I moved to Berlin"])
def test_a_turn_resumed_after_another_changed_the_memories_reads_them_again(tmp_path: Path, meanwhile: str) -> None:
    late, early = interrupted_then(tmp_path, False, meanwhile), interrupted_then(tmp_path, True, meanwhile)
    assert event(early, "retrieve")["prefetched"] is False
    assert [i["text"] for i in early["retrieved"]] == [i["text"] for i in late["retrieved"]]
    if "forget" in meanwhile:
        assert not [i for i in early["retrieved"] if "Paris" in i["text"]]
    else:
        assert "I moved to Berlin" in [i["text"] for i in early["retrieved"]]


def test_a_conversation_over_several_threads_sees_the_same_memories(tmp_path: Path) -> None:
    after_writes, beside_writes = graph_on(tmp_path, "after", False), graph_on(tmp_path, "beside", True)
    for n, (text, now) in enumerate(CONVERSATION):
        thread = f"t{n % 3}"  # every turn ends another thread's session: episodes written as it goes
        late, early = say(after_writes, text, now, thread), say(beside_writes, text, now, thread)
        assert [i["text"] for i in early["retrieved"]] == [i["text"] for i in late["retrieved"]], text


def result(query: str) -> RetrievalResult:
    return RetrievalResult(query=query, items=[])


def begun(pending: RetrievalPrefetch, namespace: str) -> str:
    """A retrieval started and running (one still queued is read again by the retrieve node)."""
    running = threading.Event()
    key = pending.start(namespace, lambda: (running.set(), result("q"))[1])
    assert running.wait(5)
    return key


def test_a_started_retrieval_is_taken_once() -> None:
    pending = RetrievalPrefetch(NamespaceChanges())
    key = begun(pending, "alice")
    taken = pending.take(key, own="m1")
    assert taken is not None and taken.query == "q"
    assert pending.take(key, own="m1") is None
    assert pending.start("alice", lambda: result("q")) != key  # every turn its own, whatever ids it carries


def test_a_dropped_or_failed_retrieval_is_not_taken() -> None:
    pending = RetrievalPrefetch(NamespaceChanges())
    release = threading.Event()
    dropped = pending.start("alice", lambda: (release.wait(5), result("q"))[1])
    pending.drop(dropped)
    release.set()
    assert pending.take(dropped, own="m1") is None

    def fail() -> RetrievalResult:
        raise RuntimeError("store closed")

    assert pending.take(pending.start("alice", fail), own="m1") is None  # the retrieve node retrieves again


def test_a_retrieval_is_not_taken_once_something_else_changed_the_namespace() -> None:
    changes = NamespaceChanges()
    pending = RetrievalPrefetch(changes)
    own = begun(pending, "alice")
    changes.note(["alice"], sources=["m1"])  # the turn's own writes
    changes.note(["bob"], sources=["m9"])  # another user's
    assert pending.take(own, own="m1") is not None
    other = begun(pending, "alice")
    changes.note(["alice"], sources=["m2"])  # another turn of alice's
    assert pending.take(other, own="m1") is None
    deleted = begun(pending, "alice")
    changes.note(["alice"])  # a delete, an update, a forget
    assert pending.take(deleted, own="m1") is None


def test_a_retrieval_still_queued_behind_other_turns_is_not_waited_for() -> None:
    pending = RetrievalPrefetch(NamespaceChanges(), workers=1)
    release = threading.Event()
    busy = pending.start("bob", lambda: (release.wait(5), result("bob"))[1])
    queued = pending.start("alice", lambda: result("alice"))
    assert pending.take(queued, own="m1") is None  # the retrieve node reads on its own thread
    release.set()
    assert pending.take(busy, own="m9") is not None


def test_a_stale_retrieval_is_not_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    pending = RetrievalPrefetch(NamespaceChanges())
    key = begun(pending, "alice")
    monkeypatch.setattr(prefetch, "MAX_AGE_S", -1.0)
    assert pending.take(key, own="m1") is None


def test_turns_that_never_take_theirs_are_let_go(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prefetch, "MAX_PENDING", 3)
    pending = RetrievalPrefetch(NamespaceChanges())
    ran = threading.Semaphore(0)

    def retrieve(n: int) -> RetrievalResult:
        ran.release()
        return result(str(n))

    keys = []
    for n in range(5):  # each begun before the next starts: taken, not read again
        keys.append(pending.start("alice", lambda n=n: retrieve(n)))
        assert ran.acquire(timeout=5)
    assert pending.take(keys[0], own="m") is None and pending.take(keys[1], own="m") is None
    assert [pending.take(key, own="m").query for key in keys[2:]] == ["2", "3", "4"]  # type: ignore[union-attr]
