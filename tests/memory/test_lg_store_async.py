"""Async use of the store: LanceDB never runs on the event loop's thread."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from langgraph.store.base import PutOp
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.lg_store import LanceDBStore
from tiermem.memory.lg_store_async import AsyncLanceDBStore


async def _ticks_during(work: asyncio.Future | asyncio.Task) -> int:
    ticks = 0
    while not work.done():
        await asyncio.sleep(0.001)
        ticks += 1
    await work
    return ticks


@pytest.mark.asyncio
async def test_abatch_leaves_the_event_loop_free(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = LanceDBStore(tmp_path / "db")
    loop_thread = threading.get_ident()
    io_threads: set[int] = set()
    execute = store._execute

    def spy(*args: object) -> object:
        io_threads.add(threading.get_ident())
        return execute(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "_execute", spy)
    ops = [PutOp(("u",), f"k{i}", {"i": i}) for i in range(300)]
    ticks = await _ticks_during(asyncio.ensure_future(store.abatch(ops)))
    assert io_threads and loop_thread not in io_threads
    assert ticks > 0
    assert len(await store.asearch(("u",), limit=1000)) == 300


@pytest.mark.asyncio
async def test_async_search_embeds_with_the_async_api(tmp_path: Path, embedder: BaseEmbedder) -> None:
    calls: list[list[str]] = []

    async def aembed(texts: list[str]) -> list[list[float]]:
        calls.append(texts)
        return embedder.encode(texts).tolist()

    store = LanceDBStore(tmp_path / "db", index={"dims": 512, "embed": aembed})
    await store.aput(("u",), "w", {"text": "I weighed 45 kg"})
    await store.aput(("u",), "c", {"text": "I live in Lisbon"})
    hits = await store.asearch(("u",), query="body weight")
    assert hits[0].key == "w" and calls[-1] == ["body weight"]
    with pytest.raises(ValueError, match="async function"):
        store.search(("u",), query="weight")  # an async-only embedder cannot serve sync calls


@pytest.mark.asyncio
async def test_async_store_batches_concurrent_calls_and_guards_sync_use(tmp_path: Path) -> None:
    async with AsyncLanceDBStore.from_conn_string(tmp_path / "db") as store:
        await asyncio.gather(*(store.aput(("u",), f"k{i}", {"i": i}) for i in range(20)))
        found = await asyncio.gather(*(store.aget(("u",), f"k{i}") for i in range(20)))
        assert [item.value["i"] for item in found] == list(range(20))
        with pytest.raises(asyncio.InvalidStateError):
            store.get(("u",), "k1")
        from_thread = await asyncio.to_thread(store.get, ("u",), "k1")
        assert from_thread.value == {"i": 1}
        assert await store.sweep_ttl() == 0
