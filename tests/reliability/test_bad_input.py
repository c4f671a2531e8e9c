"""Bad input through the Python API, the graph, the tools and the CLI: a typed error with a
clear message (an exit status for the CLI) and the stored data byte-for-byte unchanged.

Every test seeds a data dir, hashes every file of its LanceDB tables, sends the bad
input, and compares the hashes afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from langchain_core.messages import HumanMessage
from pydantic import ValidationError
from rel_helpers import Vocabulary, dir_digest, run_cli
from tiermem.graphs import build_graph
from tiermem.graphs.config import TierMemConfig
from tiermem.graphs.services import Services
from tiermem.graphs.tools import make_memory_tools
from tiermem.memory.errors import InvalidInputError, NotFoundError, TextTooLargeError
from tiermem.memory.records import Fact, MemoryRecord, as_utc, not_future, utcnow
from tiermem.memory.store import TierStore

MB = "x" * (1 << 20)


def lance_digest(folder: Path) -> dict[str, str]:
    """Hashes of the LanceDB tables' files (checkpoints and traces are not memories)."""
    return {k: v for k, v in dir_digest(folder).items() if ".lance" in k}


def seed(store: TierStore, vocab: Vocabulary) -> None:
    """A few rows in every tier of two namespaces, compacted, so every table exists on disk."""
    for ns in ("alice", "bob"):
        for i, tier in enumerate(("short", "mid", "long")):
            fact = Fact(attribute="weight", value=f"{40 + i} kg") if tier != "short" else None
            record = MemoryRecord(namespace=ns, tier=tier, text=vocab.texts[i], fact=fact)
            store.write([record], vectors=vocab.vector(i))
    store.compact()


@pytest.fixture
def seeded(services: Services, vocab: Vocabulary) -> Iterator[Services]:
    seed(services.store, vocab)
    yield services


@pytest.fixture
def unchanged(seeded: Services) -> Iterator[Callable[[], None]]:
    """Call the yielded function (or let the test end) to assert the tables did not change."""
    folder = Path(seeded.config.data_dir)
    before = lance_digest(folder)
    rows = seeded.store.count()

    def check() -> None:
        assert seeded.store.count() == rows
        assert lance_digest(folder) == before

    yield check
    check()


# -- Python API: TierStore --------------------------------------------------------------------

FUTURE = utcnow() + timedelta(days=3)
BAD_RECORDS: list[tuple[str, dict[str, Any], type[Exception], str]] = [
    ("empty", {"text": ""}, InvalidInputError, "empty or whitespace"),
    ("whitespace", {"text": " \n\t\u3000 "}, InvalidInputError, "empty or whitespace"),
    ("1 MB", {"text": MB}, TextTooLargeError, "1048576 bytes, over the limit of 32768"),
    ("NUL", {"text": "binary\x00data"}, InvalidInputError, "NUL"),
    ("lone surrogate", {"text": "bad \ud800 text"}, InvalidInputError, "not valid UTF-8"),
    ("future created_at", {"created_at": FUTURE}, InvalidInputError, "in the future, over the allowed clock skew"),
    (
        "future fact",
        {"tier": "mid", "fact": Fact(attribute="weight", value="1 kg", observed_at=FUTURE)},
        InvalidInputError,
        "fact observed_at",
    ),
]


@pytest.mark.parametrize(("fields", "error", "message"), [c[1:] for c in BAD_RECORDS], ids=[c[0] for c in BAD_RECORDS])
def test_store_rejects_bad_records_and_writes_nothing(
    seeded: Services,
    unchanged: Callable[[], None],
    vocab: Vocabulary,
    fields: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    good = MemoryRecord(namespace="alice", tier="short", text="a fine message")
    bad = MemoryRecord(**{"namespace": "alice", "tier": "short", "text": "a fine text", **fields})
    with pytest.raises(error, match=message):
        seeded.store.write([good, bad], vectors=np.vstack([vocab.vector(0), vocab.vector(1)]))


def test_store_rejects_what_bypasses_the_record_model(seeded: Services, unchanged: Callable[[], None]) -> None:
    """``model_construct`` skips pydantic; the store still checks every field it relies on."""
    raw = {"namespace": "alice", "tier": "short", "text": "fine", "created_at": utcnow(), "fact": None}
    for patch, message in [
        ({"text": b"\xff\xfe binary"}, "not valid UTF-8"),
        ({"text": 42}, "must be a string"),
        ({"tier": "forever"}, "unknown tier 'forever'"),
        ({"namespace": "bob' OR 1=1"}, "invalid namespace"),
    ]:
        with pytest.raises(InvalidInputError, match=message):
            seeded.store.write([MemoryRecord.model_construct(**{**raw, **patch})])


@pytest.mark.parametrize(
    ("vectors", "message"),
    [
        (np.zeros((1, 3)), r"shape \(1, 3\)"),
        (np.zeros((2, 512)), r"shape \(2, 512\)"),
        (np.full((1, 512), np.nan), "NaN"),
    ],
)
def test_store_rejects_bad_vectors(
    seeded: Services, unchanged: Callable[[], None], vectors: np.ndarray, message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        seeded.store.write([MemoryRecord(namespace="alice", tier="short", text="fine")], vectors=vectors)


def test_unknown_tier_and_wrong_types_fail_at_the_record(seeded: Services) -> None:
    for fields in [{"tier": "forever"}, {"importance": 5}, {"importance": "high"}, {"source_ids": "s1"}]:
        with pytest.raises(ValueError):  # pydantic's ValidationError names the field
            MemoryRecord(**{"namespace": "alice", "tier": "short", "text": "fine", **fields})


def test_reads_reject_bad_input_without_side_effects(seeded: Services, unchanged: Callable[[], None]) -> None:
    with pytest.raises(NotFoundError, match="no memory with id"):
        seeded.store.get("alice", "missing")
    with pytest.raises(NotFoundError):
        seeded.store.forget("alice", "missing")
    for query in ["", "   ", "\x00", "\ud800", MB]:
        with pytest.raises(InvalidInputError):
            seeded.retriever.retrieve("alice", query, now=utcnow())
    with pytest.raises(InvalidInputError, match="k must be at least 1"):
        seeded.retriever.retrieve("alice", "weight", now=utcnow(), k=-1)


def test_searches_reject_bad_arguments(seeded: Services, unchanged: Callable[[], None]) -> None:
    store, dim = seeded.store, seeded.store.embedder.dim
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: store.vector_search("alice", np.ones(dim), k=-1), "k must be a whole number"),
        (lambda: store.text_search("alice", "weight", k=0), "k must be a whole number"),
        (lambda: store.vector_search("alice", np.ones(3)), f"must be {dim} finite numbers"),
        (lambda: store.vector_search("alice", np.full(dim, np.nan)), "finite"),
        (lambda: store.vector_search("alice", "weight"), f"must be {dim}"),
        (lambda: store.records("alice", tiers=("bogus",)), "unknown tier 'bogus'"),
        (lambda: store.text_search("alice", "weight", tiers="short"), "a list of tiers"),
    ]
    for call, message in cases:
        with pytest.raises(InvalidInputError, match=message):
            call()
    assert len(store.vector_search("alice", np.ones(dim), k=np.int64(2))) <= 2 * 3  # numpy ints are whole numbers


@pytest.mark.parametrize("ttl", [float("nan"), float("inf"), 1e12, -1, 0, "5"])
def test_the_langgraph_store_rejects_a_bad_ttl_and_writes_nothing(tmp_path: Path, ttl: object) -> None:
    from tiermem.memory.lg_store import LanceDBStore

    store = LanceDBStore(str(tmp_path / "lg"))
    with pytest.raises(InvalidInputError, match="ttl must be minutes"):
        store.put(("u",), "k", {"text": "x"}, ttl=ttl)  # type: ignore[arg-type]
    assert store.get(("u",), "k") is None


def test_the_langgraph_store_refuses_other_dims_before_writing(tmp_path: Path) -> None:
    from langchain_core.embeddings import DeterministicFakeEmbedding
    from tiermem.memory.lg_store import LanceDBStore

    LanceDBStore(str(tmp_path / "lg"), index={"dims": 8, "embed": DeterministicFakeEmbedding(size=8)})
    with pytest.raises(InvalidInputError, match="holds vectors of 8 dimensions.*dims=16"):
        LanceDBStore(str(tmp_path / "lg"), index={"dims": 16, "embed": DeterministicFakeEmbedding(size=16)})


# -- timestamps: the policy --------------------------------------------------------------------


def test_future_timestamps_policy() -> None:
    now = utcnow()
    assert not_future(now + timedelta(minutes=4)) == now + timedelta(minutes=4)  # clock skew
    assert not_future(as_utc("2001-09-09T01:46:40")).year == 2001  # replays of old conversations
    with pytest.raises(InvalidInputError, match="in the future"):
        not_future(now + timedelta(minutes=6))
    with pytest.raises(InvalidInputError, match="in the future"):
        not_future(now + timedelta(seconds=30), max_skew=timedelta(0))
    assert not_future(now + timedelta(days=300), max_skew=timedelta(days=366))


@pytest.mark.parametrize(
    "moment", ["yesterday", "2024-13-45", "2024-05-03T25:00:00", "", "9999-12-31T23:59:59-05:00", 1714723200, 1.5]
)
def test_invalid_timestamps_are_typed_errors(moment: object) -> None:
    with pytest.raises(InvalidInputError):
        as_utc(moment)  # type: ignore[arg-type]


def test_future_skew_is_configurable(tmp_path: Path, vocab: Vocabulary) -> None:
    lenient = Services(TierMemConfig(data_dir=str(tmp_path / "a"), max_future_skew_s=86400 * 30))
    ahead = utcnow() + timedelta(days=7)
    lenient.store.write([MemoryRecord(namespace="alice", tier="short", text="from a fast clock", created_at=ahead)])
    strict = Services(TierMemConfig(data_dir=str(tmp_path / "b"), max_future_skew_s=0))
    with pytest.raises(InvalidInputError, match="clock skew of 0 s"):
        strict.store.write(
            [MemoryRecord(namespace="alice", tier="short", text="x", created_at=utcnow() + timedelta(seconds=5))]
        )


# -- the graph ------------------------------------------------------------------------------

GRAPH_CASES: list[tuple[str, Any, dict[str, Any], type[Exception], str]] = [
    ("empty", "", {}, InvalidInputError, "empty"),
    ("whitespace", "  \n ", {}, InvalidInputError, "empty"),
    ("1 MB", MB, {}, TextTooLargeError, "over the limit"),
    ("NUL", "hi\x00there", {}, InvalidInputError, "NUL"),
    ("surrogate", "\udcff\udcfe", {}, InvalidInputError, "not valid UTF-8"),
    ("images only", [{"type": "image_url", "image_url": {"url": "x"}}], {}, InvalidInputError, "has no text"),
    ("future now", "I weighed 45 kg", {"now": "2099-01-01T00:00:00"}, InvalidInputError, "in the future"),
    ("bad now", "I weighed 45 kg", {"now": "last tuesday"}, InvalidInputError, "not an ISO 8601"),
    ("empty now", "I weighed 45 kg", {"now": ""}, InvalidInputError, "not an ISO 8601"),
    ("bad user", "I weighed 45 kg", {"user_id": "a' OR 1=1"}, InvalidInputError, "invalid namespace"),
    ("int user", "I weighed 45 kg", {"user_id": 7}, InvalidInputError, "must be a string"),
    ("respond text", "I weighed 45 kg", {"respond": "false"}, InvalidInputError, "'respond' must be true or false"),
    ("use_retrieval 0", "I weighed 45 kg", {"use_retrieval": 0}, InvalidInputError, "must be true or false"),
]


@pytest.mark.parametrize(
    ("content", "extra", "error", "message"), [c[1:] for c in GRAPH_CASES], ids=[c[0] for c in GRAPH_CASES]
)
def test_graph_rejects_bad_messages(
    seeded: Services,
    unchanged: Callable[[], None],
    content: Any,
    extra: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    graph = build_graph(services=seeded)
    run = {"configurable": {"thread_id": "t", "user_id": "alice", "respond": False, **extra}}
    with pytest.raises(error, match=message):
        graph.invoke({"messages": [HumanMessage(content=content)]}, run)


# -- the tools ------------------------------------------------------------------------------

TOOL_CASES: list[tuple[str, str, dict[str, Any], str]] = [
    ("empty text", "remember_short", {"text": ""}, "empty"),
    ("1 MB text", "remember_short", {"text": MB}, "over the limit"),
    ("NUL text", "remember_mid", {"text": "a\x00b"}, "NUL"),
    ("int text", "remember_short", {"text": 123}, "valid string"),
    ("null text", "remember_long", {"text": None}, "valid string"),
    ("facts not a list", "remember_mid", {"text": "I weigh 45 kg", "facts": "weight=45"}, "valid list"),
    ("fact without value", "remember_mid", {"text": "I weigh 45 kg", "facts": [{"attribute": "weight"}]}, "value"),
    ("fact value int", "remember_mid", {"text": "w", "facts": [{"attribute": "weight", "value": 45}]}, "valid string"),
    ("fact attribute symbols", "remember_long", {"text": "w", "facts": [{"attribute": "!!!", "value": "x"}]}, "letter"),
    ("fact attribute marks", "remember_mid", {"text": "w", "facts": [{"attribute": "???", "value": "4"}]}, "letter"),
    (
        "future observed_at",
        "remember_mid",
        {"text": "w", "facts": [{"attribute": "weight", "value": "45 kg", "observed_at": "2099-01-01"}]},
        "future",
    ),
    (
        "invalid observed_at",
        "remember_mid",
        {"text": "w", "facts": [{"attribute": "weight", "value": "45 kg", "observed_at": "2024-13-45"}]},
        "ISO 8601",
    ),
    ("importance text", "remember_mid", {"text": "w", "importance": "high"}, "valid number"),
    ("importance 5", "remember_mid", {"text": "w", "importance": 5}, "less than or equal to 1"),
    ("importance NaN", "remember_mid", {"text": "w", "importance": float("nan")}, "less than or equal to 1"),
    ("empty query", "recall", {"query": ""}, "empty"),
    ("k text", "recall", {"query": "weight", "k": "five"}, "valid integer"),
    ("k negative", "recall", {"query": "weight", "k": -1}, "at least 1"),
    ("int id", "forget", {"record_id": 5}, "valid string"),
]


@pytest.mark.parametrize(("name", "args", "message"), [c[1:] for c in TOOL_CASES], ids=[c[0] for c in TOOL_CASES])
def test_tools_reject_wrong_arguments(
    seeded: Services, unchanged: Callable[[], None], name: str, args: dict[str, Any], message: str
) -> None:
    tool = {t.name: t for t in make_memory_tools(seeded)}[name]
    call = {"name": name, "args": args, "id": "call-1", "type": "tool_call"}
    try:  # the argument schema's errors raise (a ToolNode tells the model); ours come back as the message
        reply = tool.invoke(call, config={"configurable": {"user_id": "alice"}})
    except ValidationError as error:
        assert re.search(message, str(error))
    else:
        assert reply.status == "error" and re.search(message, reply.content), reply.content


def test_forgetting_an_unknown_id_tells_the_model(seeded: Services, unchanged: Callable[[], None]) -> None:
    tool = {t.name: t for t in make_memory_tools(seeded)}["forget"]
    call = {"name": "forget", "args": {"record_id": "allergy: peanuts"}, "id": "call-1", "type": "tool_call"}
    message = tool.invoke(call, config={"configurable": {"user_id": "alice"}})  # an agent's run goes on
    assert message.status == "error" and message.content.startswith("nothing forgotten")
    assert "no memory with id" in message.content


def test_a_tool_call_cannot_name_another_user(seeded: Services) -> None:
    """A tool invoked directly takes a ``state`` argument from its caller, a model's tool call
    included: the user is the run's, and a state's turn of another user is refused."""
    now = "2024-05-03T09:00:00+00:00"
    allergy = Fact(attribute="allergy", value="peanuts", observed_at=as_utc(now))
    said = MemoryRecord(namespace="alice", tier="long", text="I'm allergic to peanuts", fact=allergy, created_at=now)
    seeded.store.write([said])
    tools = {t.name: t for t in make_memory_tools(seeded)}
    spoof = {"turn": {"namespace": "alice", "now": now, "message_id": "m", "thread_id": "t"}}
    call = {"name": "recall", "args": {"query": "allergy", "state": spoof}, "id": "c1", "type": "tool_call"}
    assert "peanuts" in tools["recall"].invoke(call, config={"configurable": {"user_id": "alice"}}).content
    with pytest.raises(InvalidInputError, match="another user's conversation"):
        tools["recall"].invoke(call, config={"configurable": {"user_id": "mallory"}})
    app_turn = {"name": "recall", "args": {"query": "allergy", "state": {"turn": 3}}, "id": "c2", "type": "tool_call"}
    assert "peanuts" in tools["recall"].invoke(app_turn, config={"configurable": {"user_id": "alice"}}).content


def test_tools_reject_a_bad_user_id(seeded: Services, unchanged: Callable[[], None]) -> None:
    tool = {t.name: t for t in make_memory_tools(seeded)}["remember_short"]
    call = {"name": "remember_short", "args": {"text": "hi"}, "id": "call-1", "type": "tool_call"}
    for user in ["", "a b", "x' OR 1=1", "../etc"]:
        with pytest.raises(InvalidInputError, match="invalid namespace"):
            tool.invoke(call, config={"configurable": {"user_id": user}})


# -- the CLI (real subprocesses of .venv/bin/tiermem) ------------------------------------------

CLI_CASES: list[tuple[str, list[str | bytes], bytes | None, int, str]] = [
    ("bad user", ["memories", "list", "--user", "bob' OR 1=1"], None, 2, "invalid namespace"),
    ("unknown id", ["memories", "forget", "nope", "--user", "alice"], None, 2, "no memory with id 'nope'"),
    ("empty query", ["memories", "search", "", "--user", "alice"], None, 2, "query is empty"),
    ("invalid UTF-8 query", ["memories", "search", b"\xff\xfe", "--user", "alice"], None, 2, "not valid UTF-8"),
    ("100 KB query", ["memories", "search", "q" * 100_000, "--user", "alice"], None, 2, "over the limit"),
    ("limit not a number", ["memories", "list", "--limit", "many"], None, 2, "Invalid value for '--limit'"),
    ("unknown command", ["memories", "explode"], None, 2, "No such command"),
    ("chat: binary stdin", ["chat", "--user", "alice"], b"\xff\xfe\x00\n", 2, "not valid UTF-8"),
]
"""Each case starts the CLI (about 4 s of imports on CI): few cases, two at a time."""


@pytest.mark.slow
def test_cli_bad_input_exit_codes(seeded: Services, unchanged: Callable[[], None]) -> None:
    data = seeded.config.data_dir

    def run(case: tuple[str, list[str | bytes], bytes | None, int, str]) -> str | None:
        name, args, stdin, code, message = case
        done = run_cli(*args, "--data-dir", data, stdin=stdin)  # type: ignore[arg-type]
        err = done.stderr.decode("utf-8", "replace")
        if done.returncode != code or message not in err or "Traceback" in err:
            return f"{name}: exit {done.returncode}, stderr {err[-300:]!r}"
        return None

    with ThreadPoolExecutor(max_workers=2) as pool:
        failures = [failure for failure in pool.map(run, CLI_CASES) if failure]
    assert failures == []
    unchanged()
