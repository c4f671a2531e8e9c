"""Resource limits: a per-namespace cap on rows and on text bytes, with a clear error.

The bounded memory of bulk import is tested with the importer
(``tests/memory/test_bulk.py::test_bulk_import_streams_in_bounded_batches``).
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rel_helpers import Vocabulary
from tiermem.graphs.config import TierMemConfig
from tiermem.graphs.services import Services
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.errors import QuotaExceededError
from tiermem.memory.policies import NamespaceQuota
from tiermem.memory.records import MemoryRecord
from tiermem.memory.store import TierStore


def note(namespace: str, text: str, tier: str = "short") -> MemoryRecord:
    return MemoryRecord(namespace=namespace, tier=tier, text=text)


def test_row_cap_per_namespace(tmp_path: Path, embedder: BaseEmbedder, vocab: Vocabulary) -> None:
    store = TierStore.open(tmp_path / "db", embedder, quota=NamespaceQuota(max_rows=5))
    ids = store.write([note("alice", vocab.texts[i], ("short", "mid", "long")[i % 3]) for i in range(5)])
    with pytest.raises(QuotaExceededError, match=r"namespace 'alice' holds 5 memories; adding 1 .* cap of 5 rows"):
        store.write([note("alice", "one too many")])
    with pytest.raises(QuotaExceededError):  # a batch that crosses the cap writes nothing
        store.write([note("bob", vocab.texts[i]) for i in range(6)])
    assert store.count("alice") == 5 and store.count("bob") == 0
    store.write([note("bob", vocab.texts[i]) for i in range(5)])  # caps are per namespace
    store.forget("alice", ids[0])
    store.write([note("alice", "room again after forgetting")])
    assert store.count("alice") == 5


def test_expired_rows_count_against_no_cap(tmp_path: Path, embedder: BaseEmbedder) -> None:
    """Working memory past its expiry is garbage for the next sweep: it takes no user's last slot."""
    then = datetime.now(UTC) - timedelta(days=2)
    TierStore.open(tmp_path / "db", embedder).write(
        [
            MemoryRecord(namespace="alice", tier="short", text=text, created_at=then, expires_at=then + timedelta(1))
            for text in ("at the gym today", "on the train now")  # 32 bytes
        ]
    )
    store = TierStore.open(tmp_path / "db", embedder, quota=NamespaceQuota(max_rows=3, max_bytes=40))
    soon = datetime.now(UTC) + timedelta(hours=1)
    store.write([MemoryRecord(namespace="alice", tier="short", text="in a meeting", expires_at=soon)])
    store.write([note("alice", "lives in Rome", "mid"), note("alice", "son: Leo", "long")])  # 12 + 13 + 8 bytes
    with pytest.raises(QuotaExceededError, match="holds 3 memories; adding 1"):
        store.write([note("alice", "one too many", "mid")])
    assert store.expire() == 2
    assert len(store.records("alice")) == 3


def test_byte_cap_counts_utf8_bytes(tmp_path: Path, embedder: BaseEmbedder) -> None:
    store = TierStore.open(tmp_path / "db", embedder, quota=NamespaceQuota(max_bytes=30))
    store.write([note("alice", "今天称重45公斤")])  # 6 CJK chars x 3 bytes + 2 = 20 bytes
    with pytest.raises(QuotaExceededError, match="holds 20 bytes of text; adding 15 would pass its cap of 30 bytes"):
        store.write([note("alice", "我住在北京")])  # 5 x 3 bytes
    store.write([note("alice", "ten bytes!")])
    assert store.count("alice") == 2


def test_cap_holds_across_store_objects_and_threads(tmp_path: Path, embedder: BaseEmbedder) -> None:
    """The check runs under the commit lock: two writers cannot both pass it and overshoot."""
    quota = NamespaceQuota(max_rows=30)
    stores = [TierStore.open(tmp_path / "db", embedder, quota=quota) for _ in range(2)]
    vector = embedder.encode(["a note"])
    refused = [0, 0]

    def work(worker: int) -> None:
        for i in range(25):
            try:
                stores[worker].write([note("alice", f"note {worker}-{i}")], vectors=vector)
            except QuotaExceededError:
                refused[worker] += 1

    threads = [threading.Thread(target=work, args=(w,)) for w in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert stores[0].count("alice") == 30 and sum(refused) == 20


def test_quota_from_config_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIERMEM_QUOTA__MAX_ROWS", "2")
    services = Services(TierMemConfig(data_dir=str(tmp_path / "data")))
    assert services.store.quota == NamespaceQuota(max_rows=2)
    services.store.write([note("alice", "one"), note("alice", "two")])
    with pytest.raises(QuotaExceededError, match="raise quota.max_rows in the config"):
        services.store.write([note("alice", "three")])
    with pytest.raises(ValueError):
        TierMemConfig(quota={"max_rows": 0})
