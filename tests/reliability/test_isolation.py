"""Isolation, property-based: random interleavings of writes, searches, promotions and
forgets across look-alike namespaces; no result ever crosses a namespace.

One hypothesis state machine drives the tier store, the retrieval agent, the
correlation promoter, the LangGraph store (its own namespaces and its
read-only view of the tiers) and the adapter queue and registry on one data
dir, against a model of what each namespace holds. Graph turns (checkpointed
threads, the chat model's prompt, saved traces) get their own test. The
``>= 10_000`` operations figure in docs/RELIABILITY.md comes from
:func:`test_isolation_10k_operations`.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.outputs import ChatResult
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.store.base import InvalidNamespaceError as LabelError
from rel_helpers import Vocabulary
from tiermem.agents.promotion import Promoter
from tiermem.agents.retriever import RetrievalAgent
from tiermem.graphs import build_graph
from tiermem.graphs.config import TierMemConfig
from tiermem.graphs.services import Services
from tiermem.graphs.trace_store import TraceStore
from tiermem.graphs.trace_writer import TraceWriter
from tiermem.memory.adapters.queue import JobQueue
from tiermem.memory.adapters.registry import AdapterRegistry
from tiermem.memory.adapters.serving import adapter_name
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.errors import AdapterCorruptError, InvalidInputError, NotFoundError
from tiermem.memory.lg_store import LanceDBStore
from tiermem.memory.records import TIERS, Fact, MemoryRecord, utcnow
from tiermem.memory.store import TierStore
from tiermem.memory.versions import SET_VALUED, same_held_value

NAMESPACES = ("u1", "u10", "U1", "u1.x")
"""Prefixes and case variants of one another: a LIKE, prefix or case-folding bug shows."""
ATTRIBUTES = ("weight", "city", "allergy")
TEXTS = st.integers(min_value=0, max_value=63)


def label(namespace: str) -> str:
    """A LangGraph namespace label for a tiermem namespace (LangGraph refuses '.' in labels on put)."""
    return namespace.replace(".", "_")


def make_machine(embedder: BaseEmbedder, vocab: Vocabulary, ops: Counter[str]) -> type[RuleBasedStateMachine]:
    """The state machine class, bound to the session's embedder and vocabulary."""

    class Isolation(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.folder = tempfile.mkdtemp(prefix="tiermem-isolation-")
            self.store = TierStore.open(self.folder, embedder)
            self.retriever = RetrievalAgent(self.store, embedder)
            self.promoter = Promoter(self.store, embedder)
            self.lg = LanceDBStore(self.folder, index={"dims": embedder.dim, "embed": embedder}, tiers=self.store)
            self.queue = JobQueue(Path(self.folder) / "jobs.sqlite")
            self.registry = AdapterRegistry(Path(self.folder) / "adapters")
            self.weights: dict[str, bytes] = {}
            """The weights each namespace's newest adapter was saved with."""
            self.model: dict[str, dict[str, MemoryRecord]] = {ns: {} for ns in NAMESPACES}
            self.lg_model: dict[str, set[str]] = {ns: set() for ns in NAMESPACES}

        def teardown(self) -> None:
            self.lg.close()
            shutil.rmtree(self.folder, ignore_errors=True)

        def _ids(self, ns: str) -> set[str]:
            return set(self.model[ns])

        def _pick(self, ns: str, index: int) -> MemoryRecord | None:
            held = sorted(self.model[ns].values(), key=lambda r: r.id)
            return held[index % len(held)] if held else None

        @initialize(text=TEXTS)
        def seed(self, text: int) -> None:
            """The same texts and fact keys in every namespace, so a leak has something to leak."""
            for ns in NAMESPACES:
                for tier in TIERS:
                    self.write(ns, tier, text, "weight", 2)

        # -- tier store ----------------------------------------------------------------

        @rule(
            ns=st.sampled_from(NAMESPACES),
            tier=st.sampled_from(TIERS),
            text=TEXTS,
            fact=st.sampled_from((None, *ATTRIBUTES)),
            batch=st.integers(1, 3),
        )
        def write(self, ns: str, tier: str, text: int, fact: str | None, batch: int) -> None:
            ops["write"] += 1
            records, vectors = [], []
            for i in range(batch):
                index = (text + i) % len(vocab.texts)
                typed = None if fact is None or tier == "short" else Fact(attribute=fact, value=f"{index} kg")
                records.append(MemoryRecord(namespace=ns, tier=tier, text=vocab.texts[index], fact=typed))
                vectors.append(vocab.vectors[index])
            assert self.store.write(records, vectors=vectors) == [r.id for r in records]
            self.model[ns].update((r.id, r) for r in records)

        @rule(ns=st.sampled_from(NAMESPACES), query=TEXTS, tiers=st.sampled_from([TIERS, ("short",), ("mid", "long")]))
        def vector_search(self, ns: str, query: int, tiers: tuple[str, ...]) -> None:
            ops["vector_search"] += 1
            hits = self.store.vector_search(ns, vocab.vectors[query], tiers=tiers, k=10)
            assert {h.record.namespace for h in hits} <= {ns}
            assert {h.record.id for h in hits} <= self._ids(ns)

        @rule(ns=st.sampled_from(NAMESPACES), query=TEXTS)
        def text_search(self, ns: str, query: int) -> None:
            ops["text_search"] += 1
            hits = self.store.text_search(ns, vocab.texts[query], k=10)
            assert {h.record.namespace for h in hits} <= {ns}
            assert {h.record.id for h in hits} <= self._ids(ns)

        @rule(ns=st.sampled_from(NAMESPACES), query=TEXTS)
        def retrieve(self, ns: str, query: int) -> None:
            ops["retrieve"] += 1
            result = self.retriever.retrieve(ns, vocab.texts[query], now=utcnow(), vector=vocab.vectors[query])
            assert {item.id for item in result.items} <= self._ids(ns)
            own_texts = {r.text for r in self.model[ns].values()}
            assert {item.text for item in result.items} <= own_texts

        @rule(ns=st.sampled_from(NAMESPACES), other=st.sampled_from(NAMESPACES), index=st.integers(0, 999))
        def get_across(self, ns: str, other: str, index: int) -> None:
            ops["get"] += 1
            record = self._pick(other, index)
            if record is None:
                return
            if ns == other:
                assert self.store.get(ns, record.id).text == record.text
            else:
                with pytest.raises(NotFoundError):
                    self.store.get(ns, record.id)

        @rule(ns=st.sampled_from(NAMESPACES), index=st.integers(0, 999))
        def promote(self, ns: str, index: int) -> None:
            ops["promote"] += 1
            record = self._pick(ns, index)
            if record is None:
                return
            others = {o: self.store.count(o) for o in NAMESPACES if o != ns}
            events = self.promoter.on_write(ns, [record.id], utcnow())
            assert {e.namespace for e in events} <= {ns}
            assert all(set(e.source_ids) <= self._ids(ns) for e in events)
            created = {rid for e in events for rid in e.record_ids} - self._ids(ns)
            now_held = {r.id: r for r in self.store.records(ns)}
            assert set(now_held) - self._ids(ns) == created
            self.model[ns].update((rid, now_held[rid]) for rid in created)
            assert {o: self.store.count(o) for o in others} == others

        @rule(ns=st.sampled_from(NAMESPACES), index=st.integers(0, 999))
        def forget(self, ns: str, index: int) -> None:
            ops["forget"] += 1
            record = self._pick(ns, index)
            if record is None:
                return
            others = {o: sorted(self._ids(o)) for o in NAMESPACES if o != ns}
            report = self.store.forget(ns, record.id)
            mine = self.model[ns]

            def version(r: MemoryRecord) -> bool:  # of an allergy, only the versions of its value
                if not record.key or r.key != record.key:
                    return False
                one_of_several = record.fact is not None and record.fact.attribute in SET_VALUED
                return not one_of_several or same_held_value(r.fact.value, record.fact.value)  # type: ignore[union-attr]

            texts = {record.text} | {r.text for r in mine.values() if version(r)}
            # the same text under another fact's key is another fact of that message: kept, masked
            sibling = {rid for rid, r in mine.items() if record.key and r.key and r.key != record.key}
            said = {rid for rid, r in mine.items() if rid == record.id or version(r) or r.text in texts}
            made_from = {source for rid in said for source in mine[rid].source_ids}  # a promotion's short items
            gone = {rid for rid in mine if (rid in said or rid in made_from) and rid not in sibling}
            assert report.rows == len(gone)
            for rid in gone:
                del mine[rid]
            for rid in sibling & {rid for rid, r in mine.items() if r.text in texts}:
                mine[rid] = self.store.get(ns, rid)
            assert {o: sorted(r.id for r in self.store.records(o)) for o in others} == others

        @rule()
        def compact(self) -> None:
            ops["compact"] += 1
            self.store.compact(keep_versions_for=timedelta(hours=1))

        # -- LangGraph store -----------------------------------------------------------

        @rule(ns=st.sampled_from(NAMESPACES), text=TEXTS)
        def lg_put(self, ns: str, text: int) -> None:
            ops["lg_put"] += 1
            key = f"k{text}"
            self.lg.put(("users", label(ns), "notes"), key, {"text": vocab.texts[text]})
            self.lg_model[ns].add(key)

        @rule(ns=st.sampled_from(NAMESPACES), query=TEXTS)
        def lg_search(self, ns: str, query: int) -> None:
            ops["lg_search"] += 1
            items = self.lg.search(("users", label(ns)), query=vocab.texts[query], limit=20)
            assert {item.namespace for item in items} <= {("users", label(ns), "notes")}
            assert {item.key for item in items} <= self.lg_model[ns]

        @rule(ns=st.sampled_from(NAMESPACES), query=TEXTS)
        def lg_search_tiers(self, ns: str, query: int) -> None:
            ops["lg_tiers"] += 1
            if "." in ns:  # valid for tiermem, refused by LangGraph's label rule: a typed error, no result
                with pytest.raises(LabelError):
                    self.lg.search(("tiermem", ns), query=vocab.texts[query], limit=20)
                return
            items = self.lg.search(("tiermem", ns), query=vocab.texts[query], limit=20)
            assert {item.namespace[:2] for item in items} <= {("tiermem", ns)}
            assert {item.key for item in items} <= self._ids(ns)

        # -- adapters: queued jobs, versions, promotion ----------------------------------

        @rule(ns=st.sampled_from(NAMESPACES), seed=st.integers(0, 2**16))
        def adapter_job(self, ns: str, seed: int) -> None:
            ops["adapter_job"] += 1
            self.queue.enqueue(ns)
            job = self.queue.claim("worker", lease_s=60)
            assert job is not None and job.namespace == ns
            weights = f"{job.namespace}:{seed}".encode()

            def write(folder: Path) -> None:
                (folder / "adapter_config.json").write_text("{}")
                (folder / "adapter_model.safetensors").write_bytes(weights)

            version = self.registry.save(job.namespace, write, passed=True, job_id=job.id)
            self.registry.promote(job.namespace, version.version)
            self.queue.complete(job.id, "worker", {"version": version.version})
            self.weights[ns] = weights

        @rule()
        def adapters_serve_their_own_namespace(self) -> None:
            ops["adapter_check"] += 1
            for ns in NAMESPACES:
                active = self.registry.active(ns)
                if ns not in self.weights:
                    assert active is None
                    continue
                assert active is not None and active.manifest.namespace == ns
                assert (active.path / "adapter_model.safetensors").read_bytes() == self.weights[ns]
            assert all(job.namespace in NAMESPACES for job in self.queue.list())

        # -- checks ---------------------------------------------------------------------

        @rule(ns=st.sampled_from(NAMESPACES))
        def records_match_the_model(self, ns: str) -> None:
            ops["records"] += 1
            assert {r.id: (r.namespace, r.text) for r in self.store.records(ns)} == {
                rid: (ns, r.text) for rid, r in self.model[ns].items()
            }

        @invariant()
        def no_row_lost_or_duplicated(self) -> None:
            assert self.store.count() == sum(len(held) for held in self.model.values())

    return Isolation


def run_isolation(embedder: BaseEmbedder, vocab: Vocabulary, *, examples: int, steps: int) -> Counter[str]:
    """Run the machine; returns how many operations of each kind ran."""
    ops: Counter[str] = Counter()
    machine = make_machine(embedder, vocab, ops)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    return ops


def test_isolation_quick(embedder: BaseEmbedder, vocab: Vocabulary) -> None:
    ops = run_isolation(embedder, vocab, examples=30, steps=50)  # enough steps that every rule runs
    assert sum(ops.values()) >= 100
    assert set(ops) >= {"write", "retrieve", "promote", "forget", "lg_tiers", "adapter_job"}


@pytest.mark.slow
def test_isolation_10k_operations(embedder: BaseEmbedder, vocab: Vocabulary) -> None:
    start = time.perf_counter()
    ops = run_isolation(embedder, vocab, examples=90, steps=120)
    seconds = time.perf_counter() - start
    print(f"\nisolation: {sum(ops.values())} operations in {seconds:.0f} s: {dict(sorted(ops.items()))}")
    assert sum(ops.values()) >= 10_000


# -- through the graph: checkpointed threads, the chat model's prompt, saved traces -----------

SECRETS = {
    "alice": ["My bank PIN is 4921", "I am allergic to peanuts", "I weighed 47 kg this morning"],
    "bob": ["My locker code is 7730", "I live in Lisbon", "今天称重80公斤"],
    "carol": ["My passport number is X99812", "My sister is called Mei", "I slept 5 hours last night"],
}
QUESTIONS = ["What do you remember about me?", "How much do I weigh?", "What is my code?", "Where do I live?"]


class RecordingChatModel(GenericFakeChatModel):
    """Answers "ok" and keeps every prompt it was sent."""

    prompts: list[str] = []

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> ChatResult:
        self.prompts.append("\n".join(str(m.content) for m in messages))
        return super()._generate(messages, *args, **kwargs)


def _turns() -> list[tuple[str, str, bool]]:
    turns = [(user, text, False) for user, texts in SECRETS.items() for text in texts]
    turns += [(user, question, True) for user in SECRETS for question in QUESTIONS]
    return turns


@settings(max_examples=2, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(order=st.permutations(_turns()))
def test_graph_turns_never_cross_users(order: list[tuple[str, str, bool]], embedder: BaseEmbedder) -> None:
    folder = Path(tempfile.mkdtemp(prefix="tiermem-graph-isolation-"))
    model = RecordingChatModel(messages=itertools.cycle([AIMessage(content="ok")]))
    services = Services(TierMemConfig(data_dir=str(folder)), chat_model=model)
    try:
        graph = build_graph(services=services, checkpointer=InMemorySaver())
        prompts = retrieved = 0
        for user, text, respond in order:
            model.prompts.clear()
            run = {"configurable": {"thread_id": f"t-{user}", "user_id": user, "respond": respond}}
            out = graph.invoke({"messages": [HumanMessage(content=text)]}, run)
            own = {r.id for r in services.store.records(user)}
            assert {item["id"] for item in out.get("retrieved") or []} <= own
            assert {e["namespace"] for e in out["trace"]} == {user}
            others = [secret for other, texts in SECRETS.items() if other != user for secret in texts]
            assert not [s for s in others for prompt in model.prompts if s in prompt], (user, text)
            prompts += len(model.prompts)
            retrieved += len(out.get("retrieved") or [])
        assert prompts >= 12 and retrieved > 0  # the checks above had something to check
        TraceWriter.shared().flush()
        saved = TraceStore(services.config.path("traces"))
        for thread in saved.threads():
            assert {e["namespace"] for e in saved.events(thread.thread_id)} == {thread.user_id}
    finally:
        services.maintainer.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_a_thread_belongs_to_one_user(services: Services) -> None:
    graph = build_graph(services=services, checkpointer=InMemorySaver())

    def say(text: str, user: str) -> None:
        run = {"configurable": {"thread_id": "shared", "user_id": user, "respond": False}}
        graph.invoke({"messages": [HumanMessage(content=text)]}, run)

    say("My bank PIN is 4921", "alice")
    before = services.store.count()
    with pytest.raises(InvalidInputError, match="another user's conversation"):
        say("What did I say?", "bob")
    assert services.store.count() == before


@pytest.mark.parametrize("stop_before", ["tools", "generate"])
def test_a_turn_resumed_by_another_user_is_refused(config: TierMemConfig, stop_before: str) -> None:
    services = Services(config, chat_model=GenericFakeChatModel(messages=itertools.cycle([AIMessage("ok")])))
    graph = build_graph(services=services, checkpointer=InMemorySaver())
    alice = {"configurable": {"thread_id": "t1", "user_id": "alice"}}
    graph.invoke({"messages": [("user", "I'm allergic to peanuts")]}, alice, interrupt_before=[stop_before])
    before = {user: services.store.count(user) for user in ("alice", "bob")}
    with pytest.raises(InvalidInputError, match="another user's conversation"):
        graph.invoke(None, {"configurable": {"thread_id": "t1", "user_id": "bob"}})
    assert {user: services.store.count(user) for user in ("alice", "bob")} == before
    assert before["bob"] == 0
    resumed = graph.invoke(None, alice)  # its own user resumes it: nothing of the turn was lost
    assert resumed["answer"]["text"] == "ok"
    assert any(r.key == "user.allergy" for r in services.store.records("alice"))


def test_concurrent_turns_of_one_user_consolidate_and_promote_once(services: Services) -> None:
    graph = build_graph(services=services)

    def say(thread: str, text: str, now: str) -> None:
        run = {"configurable": {"thread_id": thread, "user_id": "alice", "respond": False, "now": now}}
        graph.invoke({"messages": [("user", text)]}, run)

    for text in ("We visited the bakery on Main street", "The bread there was great", "Then we went to the park"):
        say("a", text, "2024-05-01T08:00:00")
    weigh_ins = [(f"w{day}", "I weigh 45 kg today", f"2024-05-0{day}T09:00:00") for day in range(2, 7)]
    with ThreadPoolExecutor(5) as pool:
        list(pool.map(lambda args: say(*args), weigh_ins))
    episodes = [r for r in services.store.records("alice") if r.kind == "episode"]
    assert len({tuple(e.source_ids) for e in episodes}) == len(episodes) > 0  # each session's episodes once
    ledger = [r for r in services.store.records("alice", tiers=("long",)) if r.key == "user.weight"]
    assert len(ledger) == 1  # confirmed three times: one ledger row


# -- adapters ---------------------------------------------------------------------------------


def test_adapter_names_are_distinct_per_namespace() -> None:
    saved_at = datetime(2024, 5, 3, tzinfo=UTC)
    assert len({adapter_name(ns, "v0001", saved_at) for ns in NAMESPACES}) == len(NAMESPACES)


def test_an_adapter_is_never_served_to_a_namespace_sharing_its_folder(tmp_path: Path) -> None:
    """On a case-insensitive disk "Alice" and "alice" are one folder (a symlink plays that here)."""
    registry = AdapterRegistry(tmp_path / "adapters")

    def write(folder: Path) -> None:
        (folder / "adapter_config.json").write_text("{}")
        (folder / "adapter_model.safetensors").write_bytes(b"alice's weights")

    registry.promote("alice", registry.save("alice", write, passed=True).version)
    (tmp_path / "adapters" / "Alice").symlink_to(tmp_path / "adapters" / "alice")
    with pytest.raises(AdapterCorruptError, match="trained for namespace 'alice', not 'Alice'"):
        registry.active("Alice")
    assert registry.active("alice") is not None
