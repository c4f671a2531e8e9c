"""Fuzz targets (hypothesis), bounded for CI: message ingest through the graph and the filter
builder. Any input either passes or raises one of tiermem's typed errors; nothing else escapes,
and a refused message leaves the store as it was.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langchain_core.messages import HumanMessage
from tiermem.graphs import build_graph
from tiermem.graphs.services import Services
from tiermem.memory import filters as f
from tiermem.memory.errors import InvalidFilterError, InvalidInputError
from tiermem.memory.lg_store_filters import compile_filter

FUZZ = settings(deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))

CONTENT = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=64).map(lambda b: b.decode("utf-8", "surrogateescape")),
    st.sampled_from(["", " ", "\x00", "I weighed 45 kg today", "今天称重45kg", "' OR 1=1 --", "x" * 40_000]),
)
USER = st.one_of(st.sampled_from(["alice", "bob"]), st.text(max_size=20), st.integers(), st.none())
NOW = st.one_of(
    st.none(), st.integers(), st.sampled_from(["2024-05-03T09:00:00", "2099-01-01", "yesterday", "2024-02-30"])
)


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from tiermem.graphs.config import TierMemConfig

    services = Services(TierMemConfig(data_dir=str(tmp_path_factory.mktemp("fuzz") / "data"), traces=False))
    return build_graph(services=services), services


@settings(FUZZ, max_examples=150)
@given(content=CONTENT, user=USER, now=NOW)
def test_fuzz_message_ingest(graph: Any, content: str, user: object, now: object) -> None:
    compiled, services = graph
    before = services.store.count()
    run: dict[str, Any] = {"thread_id": f"fuzz-{user!r}", "user_id": user, "respond": False}
    if now is not None:
        run["now"] = now
    if user is None:
        del run["user_id"]
    try:
        out = compiled.invoke({"messages": [HumanMessage(content=content)]}, {"configurable": run})
    except InvalidInputError:
        assert services.store.count() == before
        return
    assert out["decision"]["tier"] in {"none", "short", "mid", "long"}
    assert services.store.count() >= before + len(out["written"])  # (plus any episode rows)
    assert {r.id for r in services.store.records(str(user or "default"))} >= set(out["written"])


SCALARS = st.one_of(st.text(max_size=50), st.integers(), st.floats(), st.booleans(), st.none(), st.binary(max_size=8))
FILTER_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@settings(FUZZ, max_examples=400)
@given(name=st.text(max_size=20), op=st.text(max_size=4), value=SCALARS)
def test_fuzz_filter_builder(name: str, op: str, value: object) -> None:
    try:
        clause = f.compare(name, op, value)  # type: ignore[arg-type]
    except InvalidFilterError:
        return
    assert clause.startswith(f"`{name}` {op} ")


@settings(FUZZ, max_examples=300)
@given(filter=st.dictionaries(st.text(max_size=12), FILTER_VALUES, max_size=3))
def test_fuzz_store_filter_compiler(filter: dict[str, object]) -> None:
    try:
        clause = compile_filter(filter)
    except InvalidFilterError:
        return
    assert isinstance(clause, str) and (clause or not filter)
