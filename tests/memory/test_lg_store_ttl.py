"""TTL of LanceDBStore: expiry, sweeping, refresh on read, the sweeper thread.

TTLs here are a fraction of a second (``ttl`` is in minutes) so the file runs
in a few seconds; each wait leaves a margin of several times the clock noise.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.lg_store import LanceDBStore

SHORT = 0.5 / 60  # 0.5 s in minutes


def test_expired_items_vanish_from_reads_before_any_sweep(tmp_path: Path) -> None:
    store = LanceDBStore(tmp_path / "db", ttl={"default_ttl": SHORT})
    store.put(("u",), "brief", {"v": 1})
    store.put(("u",), "forever", {"v": 2}, ttl=None)
    store.put(("v",), "brief", {"v": 3})
    assert store.get(("u",), "brief") is not None
    time.sleep(0.8)
    assert store.get(("u",), "brief") is None
    assert [item.key for item in store.search(("u",))] == ["forever"]
    assert store.list_namespaces() == [("u",)]
    assert store.tables.items.count_rows() == 3  # not yet swept


def test_sweep_deletes_expired_items_and_their_vectors(tmp_path: Path, embedder: BaseEmbedder) -> None:
    store = LanceDBStore(tmp_path / "db", index={"dims": 512, "embed": embedder})
    store.put(("u",), "brief", {"text": "gone soon"}, ttl=SHORT)
    store.put(("u",), "kept", {"text": "stays"})
    assert store.sweep_ttl() == 0
    time.sleep(0.8)
    assert store.sweep_ttl() == 1
    assert store.tables.items.count_rows() == 1
    assert store.tables.vectors.count_rows() == 1


def test_reads_refresh_ttl_only_when_configured(tmp_path: Path) -> None:
    refreshing = LanceDBStore(tmp_path / "a", ttl={"default_ttl": SHORT, "refresh_on_read": True})
    plain = LanceDBStore(tmp_path / "b", ttl={"default_ttl": SHORT})
    for store in (refreshing, plain):
        store.put(("u",), "k", {"v": 1})
    for _ in range(3):
        time.sleep(0.25)
        assert refreshing.get(("u",), "k") is not None
        plain.get(("u",), "k")
    # 0.75 s after the put: the refreshed item lives on, the other expired.
    assert refreshing.search(("u",)) != []
    assert plain.get(("u",), "k") is None
    time.sleep(0.8)
    assert refreshing.get(("u",), "k", refresh_ttl=False) is None


def test_a_put_after_expiry_starts_a_new_item(tmp_path: Path) -> None:
    store = LanceDBStore(tmp_path / "db")
    store.put(("u",), "k", {"v": 1}, ttl=SHORT)
    first = store.get(("u",), "k")
    time.sleep(0.8)
    store.put(("u",), "k", {"v": 2})
    again = store.get(("u",), "k")
    assert again.value == {"v": 2}
    assert again.created_at > first.created_at


def test_sweeper_thread_sweeps_until_stopped(tmp_path: Path) -> None:
    store = LanceDBStore(tmp_path / "db", ttl={"default_ttl": SHORT, "sweep_interval_minutes": 0.2 / 60})
    done = store.start_ttl_sweeper()
    store.put(("u",), "k", {"v": 1})
    deadline = time.monotonic() + 5
    while store.tables.items.count_rows() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert store.tables.items.count_rows() == 0
    assert store.stop_ttl_sweeper(timeout=5)
    done.result(timeout=1)


def test_sweeper_needs_an_interval(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="sweep_interval_minutes"):
        LanceDBStore(tmp_path / "db").start_ttl_sweeper()
