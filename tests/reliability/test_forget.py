"""Forget: a forgotten memory leaves no byte on disk — not in any table, not in an older
table version, not in a transaction file, not in a saved trace — and no probe recalls it.

Every test first proves its scan can see the secret (it is found before ``forget``),
then that no file under the data dir holds it afterwards. Retraining the adapter
without the fact is the parametric tier's (``tests/memory/adapters/test_worker.py``).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.sqlite import SqliteSaver
from rel_helpers import Vocabulary, files_containing
from tiermem.graphs import build_graph
from tiermem.graphs.config import TierMemConfig
from tiermem.graphs.redaction import redact_checkpoints
from tiermem.graphs.services import Services
from tiermem.graphs.tools import make_memory_tools
from tiermem.graphs.trace_store import REDACTED, TraceStore
from tiermem.graphs.trace_writer import TraceWriter
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.errors import NotFoundError
from tiermem.memory.records import Fact, MemoryRecord, utcnow
from tiermem.memory.schema import TABLE_FOR_TIER
from tiermem.memory.store import TierStore

SECRET = "ZETA7781QX"
OTHER = "OMEGA5512KV"


def test_forget_leaves_no_byte_in_any_table_or_version(
    tmp_path: Path, embedder: BaseEmbedder, vocab: Vocabulary
) -> None:
    folder = tmp_path / "db"
    store = TierStore.open(folder, embedder)
    filler = [MemoryRecord(namespace="alice", tier="mid", text=text) for text in vocab.texts]
    fact = Fact(attribute="locker_code", value=SECRET)
    secret = [
        MemoryRecord(namespace="alice", tier="short", text=f"my locker code is {SECRET}"),
        MemoryRecord(namespace="alice", tier="mid", text=f"my locker code is {SECRET}", fact=fact),
        MemoryRecord(namespace="alice", tier="long", text=f"locker: {SECRET}", fact=fact),
    ]
    store.write(filler[:30] + secret + filler[30:])  # the secret sits inside a large data file
    store.write([MemoryRecord(namespace="bob", tier="long", text=f"my locker code is {OTHER}")])
    store.compact()
    assert len(files_containing(folder, SECRET.encode())) >= 3  # the scan sees it
    report = store.forget("alice", secret[1].id)
    assert report.rows == 3 and report.key == "user.locker_code" and report.versions_cleaned
    assert report.tables == {TABLE_FOR_TIER[t]: 1 for t in ("short", "mid", "long")}
    assert files_containing(folder, SECRET.encode()) == []  # data, indexes, manifests, transactions
    assert files_containing(folder, OTHER.encode())  # bob's own secret is untouched
    assert store.count("alice") == len(filler) and store.count("bob") == 1
    for tier in ("short", "mid", "long"):
        table = store.table(tier)
        versions = [v["version"] for v in table.list_versions()]
        assert len(versions) == 1  # no older version left to check out
        with pytest.raises(Exception, match="[Nn]ot found|[Vv]ersion"):
            table.checkout(versions[0] - 1)
        table.checkout_latest()
    hits = store.text_search("alice", f"locker code {SECRET}")
    hits += store.vector_search("alice", embedder.encode_one(SECRET))
    assert not [h for h in hits if SECRET in h.record.text]
    with pytest.raises(NotFoundError):
        store.get("alice", secret[0].id)


def test_forget_through_the_tool_redacts_traces_and_queues_a_retrain(tmp_path: Path) -> None:
    model = GenericFakeChatModel(messages=itertools.cycle([AIMessage(content="noted")]))
    services = Services(TierMemConfig(data_dir=str(tmp_path / "data")), chat_model=model)
    graph = build_graph(services=services)
    run = {"configurable": {"thread_id": "t-alice", "user_id": "alice"}}
    said = f"My locker number is {SECRET}, I am allergic to nuts"  # a locker *code* is a secret, never traced
    out = graph.invoke({"messages": [HumanMessage(content=said)]}, run)
    graph.invoke({"messages": [HumanMessage(content="What is my locker number?")]}, run)
    written = out["written"]
    assert written, out["decision"]
    TraceWriter.shared().flush()
    folder = tmp_path / "data"
    assert files_containing(folder / "traces", SECRET.encode())  # the trace saved the message
    forget = {t.name: t for t in make_memory_tools(services)}["forget"]
    message = forget.invoke(
        {"name": "forget", "args": {"record_id": written[0]}, "id": "call-1", "type": "tool_call"},
        config={"configurable": {"user_id": "alice"}},
    )
    report = message.artifact
    assert report["rows"] >= 1
    if report["tables"].get(TABLE_FOR_TIER["long"]):
        assert report["retrain_job"]  # the adapter is retrained from the ledger without it
    assert files_containing(folder, SECRET.encode()) == []
    traces = TraceStore(folder / "traces")
    events = [e for thread in traces.threads() for e in traces.events(thread.thread_id)]
    assert events and any(REDACTED in json.dumps(e, ensure_ascii=False) for e in events)
    recalled = services.retriever.retrieve("alice", "What is my locker number?", now=utcnow())
    assert not [i for i in recalled.items if SECRET in i.text]


def test_forget_redacts_the_checkpointed_threads_of_that_user_only(tmp_path: Path) -> None:
    model = GenericFakeChatModel(messages=itertools.cycle([AIMessage(content="noted")]))
    services = Services(TierMemConfig(data_dir=tmp_path / "data"), chat_model=model)
    folder = tmp_path / "data"
    checkpoints = folder / "checkpoints.sqlite"
    with SqliteSaver.from_conn_string(str(checkpoints)) as saver:  # what `tiermem chat` uses
        graph = build_graph(services=services, checkpointer=saver)
        alice = {"configurable": {"thread_id": "t-alice", "user_id": "alice"}}
        bob = {"configurable": {"thread_id": "t-bob", "user_id": "bob"}}
        out = graph.invoke({"messages": [HumanMessage(content=f"My locker code is {SECRET}")]}, alice)
        graph.invoke({"messages": [HumanMessage(content="What is my locker code?")]}, alice)
        graph.invoke({"messages": [HumanMessage(content=f"My locker code is {SECRET}")]}, bob)
        assert files_containing(folder, SECRET.encode())
        assert out["written"], out["decision"]
        report = services.forget("alice", out["written"][0])
        assert report.checkpoints_redacted > 0 and report.traces_redacted > 0
        alice_state = graph.get_state(alice).values
        assert SECRET not in json.dumps([m.content for m in alice_state["messages"]])
        assert REDACTED in alice_state["messages"][0].content
        for snapshot in graph.get_state_history(alice):  # older checkpoints too
            assert SECRET not in repr(snapshot.values)
        assert SECRET in graph.get_state(bob).values["messages"][0].content  # bob's thread is his
        graph.invoke({"messages": [HumanMessage(content="thanks")]}, alice)  # the thread goes on
    TraceWriter.shared().flush()
    TraceStore(folder / "traces").redact("bob", [SECRET])
    services.store.forget("bob", services.store.text_search("bob", SECRET)[0].record.id)
    assert redact_checkpoints(checkpoints, "bob", [SECRET]) > 0
    assert files_containing(folder, SECRET.encode()) == []  # no stale page or WAL frame keeps it


def test_redacting_checkpoints_without_a_database_changes_nothing(tmp_path: Path) -> None:
    assert redact_checkpoints(tmp_path / "missing.sqlite", "alice", [SECRET]) == 0
    assert not (tmp_path / "missing.sqlite").exists()


def test_forgetting_a_value_equal_to_the_user_id_keeps_the_users_thread(tmp_path: Path) -> None:
    """The forgotten name is masked in what was said, not in the ids that name the user, her
    thread or a fact key: she can go on with her thread, and her traces stay hers."""
    model = GenericFakeChatModel(messages=itertools.cycle([AIMessage(content="noted")]))
    services = Services(TierMemConfig(data_dir=tmp_path / "data"), chat_model=model)
    folder = tmp_path / "data"
    with SqliteSaver.from_conn_string(str(folder / "checkpoints.sqlite")) as saver:
        graph = build_graph(services=services, checkpointer=saver)
        anna = {"configurable": {"thread_id": "anna-1", "user_id": "Anna"}}
        out = graph.invoke({"messages": [HumanMessage(content="My name is Anna.")]}, anna)
        services.forget("Anna", out["written"][0])
        state = graph.get_state(anna).values
        assert state["turn"]["namespace"] == "Anna" and "Anna" not in state["messages"][0].content
        graph.invoke({"messages": [HumanMessage(content="hello")]}, anna)  # not "another user's conversation"
    TraceWriter.shared().flush()
    traces = TraceStore(folder / "traces")
    assert {e["namespace"] for t in traces.threads() for e in traces.events(t.thread_id)} == {"Anna"}
    assert [t.user_id for t in traces.threads()] == ["Anna"]


def test_forget_masks_an_episode_and_keeps_the_sessions_other_messages(tmp_path: Path, embedder: BaseEmbedder) -> None:
    store = TierStore.open(tmp_path / "db", embedder)
    fact = Fact(attribute="locker_code", value=SECRET)
    said = MemoryRecord(
        namespace="alice", tier="mid", text=f"my locker code is {SECRET}", fact=fact, source_ids=["m1"]
    )  # the fact of message m1, which the episode holds
    episode = MemoryRecord(
        namespace="alice",
        tier="mid",
        kind="episode",
        text=f"3 June 2024\nI live in Lyon\nmy locker code is {SECRET}\nI weigh 61 kg",
        source_ids=["m0", "m1", "m2"],
    )
    store.write([said, episode])
    report = store.forget("alice", said.id)
    assert report.tables == {"facts": 1}  # the fact; the episode is rewritten, not removed
    kept = store.get("alice", episode.id)
    assert kept.text == "3 June 2024\nI live in Lyon\n[forgotten]\nI weigh 61 kg"
    assert files_containing(tmp_path / "db", SECRET.encode()) == []


def test_forget_removes_an_episode_left_with_nothing_said(tmp_path: Path, embedder: BaseEmbedder) -> None:
    store = TierStore.open(tmp_path / "db", embedder)
    fact = Fact(attribute="locker_code", value=SECRET)
    said = MemoryRecord(namespace="alice", tier="mid", text=f"my locker code is {SECRET}", fact=fact, source_ids=["m1"])
    episode = MemoryRecord(
        namespace="alice",
        tier="mid",
        kind="episode",
        text=f"3 June 2024\nAlice: my locker code is {SECRET}\nAlice: what's my locker code?",
        source_ids=["m1", "m2"],
    )
    store.write([said, episode])
    assert store.forget("alice", said.id).tables == {"facts": 2}  # the fact and its episode
    assert store.records("alice") == []


def test_a_request_to_forget_in_chat_forgets_what_it_names_and_nothing_else(tmp_path: Path) -> None:
    services = Services(TierMemConfig(data_dir=str(tmp_path / "data")))
    graph = build_graph(services=services)
    run = {"configurable": {"thread_id": "t1", "user_id": "zoe", "now": "2024-05-03T09:00:00"}}

    def say(text: str) -> dict[str, object]:
        return graph.invoke({"messages": [HumanMessage(content=text)]}, run)

    say(f"My name is Zoe and I live in {SECRET}ville.")
    say("I weigh 60 kg today.")
    before = {r.key for r in services.store.records("zoe") if r.key}
    assert {"user.lives_in", "user.name", "user.weight"} <= before
    out = say("Please forget my address.")
    # the reply names what went, not its value: the turn's checkpoint is saved after the forget
    assert out["answer"]["mode"] == "forgot" and out["answer"]["text"] == "Done: I've forgotten your home city."
    left = services.store.records("zoe")
    assert not any(SECRET in r.text or r.key == "user.lives_in" for r in left)
    assert {r.key for r in left if r.key} == before - {"user.lives_in"}  # the name, said with it, stays
    gate = next(e for e in out["trace"] if e["node"] == "gate")
    assert "my address" in gate["reason"] and [c["name"] for c in gate["tool_calls"]] == ["forget"]
    nothing = say("Forget my passport number.")
    assert nothing["answer"]["mode"] == "forgot" and "nothing was forgotten" in nothing["answer"]["text"]
    assert {r.key for r in services.store.records("zoe") if r.key} == before - {"user.lives_in"}


def test_forgetting_in_chat_masks_every_episode_copy_even_annotated_and_concurrent(tmp_path: Path) -> None:
    services = Services(TierMemConfig(data_dir=str(tmp_path / "data")))
    graph = build_graph(services=services)

    def say(text: str, thread: str, at: str) -> None:
        run = {"configurable": {"thread_id": thread, "user_id": "u", "now": at, "respond": False}}
        graph.invoke({"messages": [HumanMessage(content=text)]}, run)

    said = [
        "I live at 12 Baker Street.",
        "I went hiking in the Alps last summer.",
        "I'm allergic to penicillin.",
        "I'm also allergic to peanuts.",
    ]
    for minute, text in enumerate(said):
        say(text, "a", f"2024-06-01T08:0{minute}:00")
    say("Forget that I went hiking in the Alps", "b", "2024-06-10T09:00:00")  # its episode line is annotated
    say("forget my allergies", "b", "2024-06-10T09:01:00")  # two forget calls of one turn, side by side
    episodes = [r.text for r in services.store.records("u") if r.kind == "episode"]
    assert episodes and not any("Alps" in text or "allergic" in text for text in episodes), episodes
