"""The store's log of changed namespaces: what an early read must not have missed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tiermem.memory import changes as changes_module
from tiermem.memory.changes import NamespaceChanges
from tiermem.memory.records import MemoryRecord
from tiermem.memory.store import TierStore

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


def test_only_the_messages_own_rows_leave_a_namespace_unchanged() -> None:
    changes = NamespaceChanges()
    mark = changes.mark()
    assert not changes.others_since("alice", mark, own="m1")
    changes.note(["alice"], sources=["m1"])
    changes.note(["bob"])
    assert not changes.others_since("alice", mark, own="m1")
    assert changes.others_since("alice", mark, own="m2")
    assert changes.others_since("bob", mark, own="m1")
    changes.note(["alice"], sources=["m1", "m2"])  # a batch with another message's rows
    assert changes.others_since("alice", mark, own="m1")
    later = changes.mark()
    changes.note(None)  # a purge of any namespace's expired rows
    assert changes.others_since("carol", later, own="m1")


def test_what_is_no_longer_remembered_counts_as_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(changes_module, "KEPT_PER_NAMESPACE", 2)
    monkeypatch.setattr(changes_module, "MAX_NAMESPACES", 2)
    changes = NamespaceChanges()
    mark = changes.mark()
    for _ in range(3):
        changes.note(["alice"], sources=["m1"])
    assert changes.others_since("alice", mark, own="m1")  # its first commits since the mark are gone
    changes.note(["bob"], sources=["m1"])
    changes.note(["carol"], sources=["m1"])  # alice let go
    assert changes.others_since("alice", mark, own="m1")
    assert not changes.others_since("dave", changes.mark(), own="m1")


def test_the_stores_commits_are_noted_per_namespace(store: TierStore) -> None:
    mark = store.changes.mark()
    record = MemoryRecord(namespace="alice", tier="short", text="hello", source_ids=["m1"], created_at=NOW)
    store.write([record])
    assert not store.changes.others_since("alice", mark, own="m1")
    assert store.changes.others_since("alice", mark, own="m2")
    assert not store.changes.others_since("bob", mark, own="m1")
    deleted = store.changes.mark()
    store.delete("alice", [record.id])
    assert store.changes.others_since("alice", deleted, own="m1")
    expired = store.changes.mark()
    store.write([record.model_copy(update={"id": "x1", "expires_at": NOW + timedelta(hours=1)})])
    store.expire(NOW + timedelta(hours=2))
    assert store.changes.others_since("bob", expired, own="m1")
