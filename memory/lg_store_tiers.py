"""tiermem's own memories, read through LangGraph's store API.

A :class:`~tiermem.memory.lg_store.LanceDBStore` given ``tiers=TierStore(...)``
serves the tier tables, read-only, under ``("tiermem", user_id, tier)``:

- ``get(("tiermem", "alice", "mid"), record_id)`` -> one record;
- ``search(("tiermem", "alice"), query="weight")`` -> all tiers of alice,
  semantic with a query (cosine similarity with the tiers' own embedder),
  newest first without one; ``("tiermem", "alice", "long")`` -> one tier;
- ``list_namespaces(prefix=("tiermem",))`` -> every ``("tiermem", user, tier)``
  that holds records.

Each item's key is the record id; its value is the record without id,
namespace and vector (``text``, ``tier``, ``fact``, ``importance``, times...).
A search must name a user: ``("tiermem",)`` alone finds nothing. Writes under
``"tiermem"`` are refused; tiermem writes its tiers through its own tools.

LangGraph forbids ``.`` in namespace labels, which tiermem user ids allow
(``alice.smith@example.com``): the user label spells each ``.`` as ``%2E``
(:func:`user_label`; ``%`` never occurs in a user id, so the label is unambiguous).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from langgraph.store.base import Item, SearchItem, SearchOp

from .errors import InvalidNamespaceError as TierNamespaceError
from .errors import NotFoundError
from .lg_store_filters import matches
from .lg_store_tables import search_item
from .records import TIERS, MemoryRecord, Tier, validate_namespace
from .schema import TABLE_FOR_TIER
from .store import TierStore

ROOT = "tiermem"
"""First label of the namespaces that show tiermem's tiers."""
_DOT = "%2E"


def user_label(user_id: str) -> str:
    """The namespace label of tiermem user ``user_id`` (``.`` spelled ``%2E``, as LangGraph needs)."""
    return user_id.replace(".", _DOT)


class TierView:
    """Read-only LangGraph items over a :class:`~tiermem.memory.store.TierStore`."""

    def __init__(self, tiers: TierStore) -> None:
        self.tiers = tiers

    @staticmethod
    def owns(namespace: Sequence[str]) -> bool:
        """Whether ``namespace`` lies under :data:`ROOT`."""
        return bool(namespace) and namespace[0] == ROOT

    def get(self, namespace: tuple[str, ...], key: str, now: datetime) -> Item | None:
        """The record ``key`` of ``("tiermem", user, tier)``, if it exists and is live."""
        scope = _scope(namespace)
        if scope is None or len(namespace) != 3:
            return None
        user, tiers = scope
        try:
            record = self.tiers.get(user, key)
        except NotFoundError:
            return None
        live = record.expires_at is None or record.expires_at > now
        return _item(record) if record.tier in tiers and live else None

    def search(self, op: SearchOp, now: datetime) -> list[SearchItem]:
        """One page of ``op`` over the tiers its prefix names (see the module docstring)."""
        scope = _scope(op.namespace_prefix)
        if scope is None:
            return []
        user, tiers = scope
        want = op.offset + op.limit
        if not op.query:
            records = self.tiers.records(user, tiers=tiers, now=now)
            page = [r for r in records if matches(_value(r), op.filter)][op.offset : want]
            return [search_item(_item(r), None) for r in page]
        vector = self.tiers.embedder.encode_one(op.query)
        k = max(2 * want, 16)
        while True:
            hits = self.tiers.vector_search(user, vector, tiers=tiers, k=k, now=now)
            kept = [h for h in hits if matches(_value(h.record), op.filter)]
            if len(kept) >= want or all(sum(h.record.tier == t for h in hits) < k for t in tiers):
                break
            k *= 4
        return [search_item(_item(h.record), h.score) for h in kept[op.offset : want]]

    def namespaces(self) -> list[tuple[str, ...]]:
        """``("tiermem", user, tier)`` for every user and tier with records."""
        found: set[tuple[str, ...]] = set()
        for tier in TIERS:
            table = self.tiers.table(tier)
            users = table.search().select(["namespace"]).to_arrow().column("namespace")
            found.update((ROOT, user_label(user), tier) for user in set(users.to_pylist()))
        return sorted(found)

    @staticmethod
    def refuse_write(namespace: Sequence[str]) -> None:
        """Raise: the tier view cannot be written through the store."""
        raise TierNamespaceError(
            f"namespace {tuple(namespace)} is tiermem's read-only view of its tiers; "
            f"use another first label than {ROOT!r} for store items, or write memories "
            "through tiermem (its graph or memory tools)"
        )


def _scope(prefix: Sequence[str]) -> tuple[str, tuple[Tier, ...]] | None:
    """``(user, tiers)`` a prefix under :data:`ROOT` selects, or ``None`` for nothing."""
    if len(prefix) < 2 or len(prefix) > 3:
        return None
    try:
        user = validate_namespace(prefix[1].replace(_DOT, "."))
    except TierNamespaceError:
        return None
    if len(prefix) == 2:
        return user, TIERS
    tier = prefix[2]
    return (user, (tier,)) if tier in TABLE_FOR_TIER else None  # type: ignore[return-value]


def _value(record: MemoryRecord) -> dict:
    return record.model_dump(mode="json", exclude={"id", "namespace"})


def _item(record: MemoryRecord) -> Item:
    return Item(
        value=_value(record),
        key=record.id,
        namespace=(ROOT, user_label(record.namespace), record.tier),
        created_at=record.created_at,
        updated_at=record.created_at,
    )
