"""The seed's correlation rule: what recurs in short-term memory moves up.

Short -> mid: on each short-term write, the new item is compared (cosine
similarity) with the namespace's recent short-term items. When the best
similarity reaches ``similarity_threshold`` and at least ``min_correlated``
earlier items reach it, the recurring content is promoted: typed facts
extracted from the message (or, if it states none, from the most similar
correlated item) become mid-term fact records, otherwise one
mid-term record keeps the text; either way with the ids of every source item.
If the same content was already promoted (a mid-term record at least as
similar, or a fact with the same key and value), that record is *confirmed*
instead of duplicated.

A message that states nothing (a question asked again, "What am I doing right
now?") is never promoted, nor counted among the correlated items: asking is
not stating. Nor is one that names a secret ("My PIN is 4821" said twice):
it is kept for its session only (:mod:`tiermem.agents.secrets`).

Mid -> long: a mid-term fact restated with the same value (by the gate or
by promotion) counts one more confirmation; at ``confirmations_for_long``
confirmations, or when its importance reaches ``importance_for_long``, it is
copied to the long-term ledger (once). A mid-term fact newer than the
ledger's version of its key, with another value ("I moved to Berlin" after
the ledger's Paris), is copied to the ledger too: the ledger, which the
adapter is trained on, holds each key's newest value. A measurement (a new
weight) gets there as every measurement does, confirmed three times.

Every promotion or confirmation returns a :class:`PromotionEvent` with the
scores that caused it, for the trace.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import numpy as np
from pydantic import BaseModel
from tiermem.memory import filters as f
from tiermem.memory.concurrency import KeyedLocks
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.errors import InvalidInputError, NotFoundError
from tiermem.memory.records import Fact, MemoryRecord, new_id
from tiermem.memory.store import Hit, TierStore
from tiermem.memory.versions import version_order

from .extract import extract_facts
from .fact_patterns import MEASUREMENTS
from .secrets import says_secret
from .settings import PromotionSettings
from .statements import stated_clauses

PromotionKind = Literal["short->mid", "confirm", "mid->long"]
RECENT_VERSIONS = 8
"""Versions of a fact key a promotion looks at: the newest mid-term one and the one before it
are among them (reading every version costs a turn seconds once a key has thousands)."""


class PromotionEvent(BaseModel):
    """One promotion or confirmation, with the scores that caused it."""

    kind: PromotionKind
    namespace: str
    trigger_id: str
    """The record whose write caused the event."""
    record_ids: list[str]
    """Records written (promotions) or updated (confirmations)."""
    source_ids: list[str] = []
    """The correlated short-term items (short -> mid)."""
    fact_key: str = ""
    scores: dict[str, float] = {}
    reason: str = ""


@dataclass(frozen=True, slots=True)
class _Cause:
    """Why a short-term item is being promoted (shared by its events)."""

    trigger: MemoryRecord
    sources: list[str]
    scores: dict[str, float]
    reason: str
    now: datetime


def _same_value(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


class Promoter:
    """Applies the correlation rule through :class:`~tiermem.memory.store.TierStore`.

    Args:
        store: the tier store.
        embedder: the store's embedder (vectors of new items are re-read from its cache).
        settings: thresholds (defaults measured by ``tiermem bench promotion``).
    """

    def __init__(self, store: TierStore, embedder: BaseEmbedder, settings: PromotionSettings | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings or PromotionSettings()
        self._locks = KeyedLocks()

    def on_write(self, namespace: str, written: Iterable[str | MemoryRecord], now: datetime) -> list[PromotionEvent]:
        """Apply the rule to freshly written records (any tier); returns the events.

        Args:
            written: the record ids, or the records themselves as just written (saves
                reading them back); a record of another namespace is refused.

        Raises:
            InvalidInputError: a given record is not in ``namespace``.
        """
        with self._locks.hold(namespace):  # confirmations are counted by reading the last count
            return self._on_write(namespace, written, now)

    def _on_write(self, namespace: str, written: Iterable[str | MemoryRecord], now: datetime) -> list[PromotionEvent]:
        events: list[PromotionEvent] = []
        for item in written:
            if isinstance(item, MemoryRecord):
                if item.namespace != namespace:
                    raise InvalidInputError(
                        f"record {item.id} belongs to namespace {item.namespace!r:.80}, not {namespace!r:.80}"
                    )
                record = item
            else:
                try:
                    record = self.store.get(namespace, item)
                except NotFoundError:  # expired or forgotten meanwhile: nothing to promote
                    continue
            if record.tier == "short":
                events += self.promote_short(record, now)
            elif record.tier == "mid":
                events += self.confirm_mid(record, now)
        return events

    # -- short -> mid -------------------------------------------------------------------

    def correlated(self, record: MemoryRecord, vector: np.ndarray, now: datetime) -> list[Hit]:
        """Earlier short-term items of the namespace at or above the similarity threshold that
        state something (a question asked before is no evidence)."""
        # one more than the window, less the record itself: a search without a SQL clause, which the
        # store's read cache answers
        hits = self.store.vector_search(record.namespace, vector, tiers=("short",), k=self.settings.window + 1, now=now)
        others = [h for h in hits if h.record.id != record.id][: self.settings.window]
        return [
            h
            for h in others
            if h.score >= self.settings.similarity_threshold
            and stated_clauses(h.record.text)
            and not says_secret(h.record.text)
        ]

    def promote_short(self, record: MemoryRecord, now: datetime) -> list[PromotionEvent]:
        """Promote ``record`` to mid-term if it recurs (see the module docstring)."""
        if not stated_clauses(record.text) or says_secret(record.text):  # a secret said twice stays a session's
            return []
        vector = self.embedder.encode_one(record.text)
        hits = self.correlated(record, vector, now)
        if len(hits) < self.settings.min_correlated:
            return []
        sources = [record.id, *(h.record.id for h in hits)]
        scores = {
            "max_similarity": round(hits[0].score, 4),
            "correlated": float(len(hits)),
            "threshold": self.settings.similarity_threshold,
            "k": float(self.settings.min_correlated),
        }
        reason = (
            f"{len(hits)} earlier short-term items at similarity >= "
            f"{self.settings.similarity_threshold} (max {hits[0].score:.2f})"
        )
        cause = _Cause(trigger=record, sources=sources, scores=scores, reason=reason, now=now)
        facts = self._recurring_facts([record, *(h.record for h in hits)])
        if facts:
            return [event for fact in facts for event in self._promote_fact(cause, fact)]
        return self._promote_text(cause, vector)

    @staticmethod
    def _recurring_facts(items: list[MemoryRecord]) -> list[Fact]:
        """Facts of the first item (the new one, then the most similar) that states any."""
        for item in items:
            facts = [fact for fact, _ in extract_facts(item.text, item.created_at)]
            if facts:
                return facts
        return []

    def _recent_versions(self, namespace: str, key: str, now: datetime) -> list[MemoryRecord]:
        """The newest :data:`RECENT_VERSIONS` versions of fact ``key``, newest first."""
        return self.store.latest_facts(namespace, [key], now=now, versions=RECENT_VERSIONS).get(key, [])

    def _promote_fact(self, cause: _Cause, fact: Fact) -> list[PromotionEvent]:
        record, now = cause.trigger, cause.now
        versions = self._recent_versions(record.namespace, fact.key, now)
        mid = [v for v in versions if v.tier == "mid" and v.fact is not None]
        if mid and _same_value(mid[0].fact.value, fact.value):  # type: ignore[union-attr]
            return self._confirm(mid[0], cause, {"fact_match": 1.0})
        return self._write_promoted(
            cause, kind="fact", fact=fact, importance=0.6, reason=f"states {fact.key} = {fact.value}"
        )

    def _promote_text(self, cause: _Cause, vector: np.ndarray) -> list[PromotionEvent]:
        record, now = cause.trigger, cause.now
        known = self.store.vector_search(
            record.namespace, vector, tiers=("mid",), k=5, now=now, extra=f.eq("kind", "promoted")
        )
        for hit in known:  # the same content was promoted before: same text, or shared sources
            if hit.score >= self.settings.similarity_threshold or set(hit.record.source_ids) & set(cause.sources):
                return self._confirm(hit.record, cause, {"mid_similarity": round(hit.score, 4)})
        return self._write_promoted(
            cause, kind="promoted", vector=vector, importance=0.5, reason="no typed fact, the recurring text is kept"
        )

    def _write_promoted(
        self,
        cause: _Cause,
        *,
        kind: str,
        importance: float,
        reason: str,
        fact: Fact | None = None,
        vector: np.ndarray | None = None,
    ) -> list[PromotionEvent]:
        """Write the trigger's text as a new mid-term record and describe the promotion."""
        record = cause.trigger
        promoted = MemoryRecord(
            namespace=record.namespace,
            tier="mid",
            kind=kind,
            text=record.text,
            fact=fact,
            created_at=cause.now,
            source_ids=cause.sources,
            importance=max(record.importance, importance),
            thread_id=record.thread_id,
        )
        self.store.write([promoted], vectors=None if vector is None else vector[None, :])
        return [
            PromotionEvent(
                kind="short->mid",
                namespace=record.namespace,
                trigger_id=record.id,
                record_ids=[promoted.id],
                source_ids=cause.sources,
                fact_key=fact.key if fact else "",
                scores=cause.scores,
                reason=f"{cause.reason}; {reason}",
            )
        ]

    # -- confirmations and mid -> long ---------------------------------------------------

    def _confirm(self, target: MemoryRecord, cause: _Cause, extra: dict[str, float]) -> list[PromotionEvent]:
        count = target.confirmations + 1
        event = self._count_confirmation(
            target,
            count,
            trigger_id=cause.trigger.id,
            source_ids=cause.sources,
            scores={**cause.scores, **extra},
            reason=f"{cause.reason}; confirms an existing mid-term memory ({count} times)",
        )
        promoted = self.promote_long(target.model_copy(update={"confirmations": count}), cause.now)
        return [event] + ([promoted] if promoted else [])

    def confirm_mid(self, record: MemoryRecord, now: datetime) -> list[PromotionEvent]:
        """Count a restated mid-term fact and move it to long-term when it qualifies."""
        events: list[PromotionEvent] = []
        versions: list[MemoryRecord] = []
        if record.fact is not None:
            versions = self._recent_versions(record.namespace, record.key, now)
            # the versions before it (newest first): a turn running beside this one may have written a later one
            earlier = [
                v
                for v in versions
                if version_order(v) < version_order(record) and v.tier == "mid" and v.fact is not None
            ]
            same = next(
                (i for i, v in enumerate(earlier) if not _same_value(v.fact.value, record.fact.value)),  # type: ignore[union-attr]
                len(earlier),
            )
            if same:
                # the run of equal values counts them whatever order concurrent turns were counted in
                count = max(same, earlier[0].confirmations) + 1
                events.append(
                    self._count_confirmation(
                        record,
                        count,
                        trigger_id=record.id,
                        reason=f"{record.key} = {record.fact.value} stated again ({count} times)",
                    )
                )
                record = record.model_copy(update={"confirmations": count})
        promoted = self.promote_long(record, now) or self.supersede_long(record, versions, now)
        return events + ([promoted] if promoted else [])

    def _count_confirmation(
        self,
        target: MemoryRecord,
        count: int,
        *,
        trigger_id: str,
        reason: str,
        source_ids: list[str] | None = None,
        scores: dict[str, float] | None = None,
    ) -> PromotionEvent:
        """Store ``count`` as the mid-term ``target``'s confirmations and describe it."""
        self.store.update_confirmations(target.namespace, target.id, "mid", count)
        return PromotionEvent(
            kind="confirm",
            namespace=target.namespace,
            trigger_id=trigger_id,
            record_ids=[target.id],
            source_ids=source_ids or [],
            fact_key=target.key,
            scores={**(scores or {}), "confirmations": float(count)},
            reason=reason,
        )

    def promote_long(self, record: MemoryRecord, now: datetime) -> PromotionEvent | None:
        """Copy a mid-term memory to the long-term ledger if it qualifies and is not there yet."""
        s = self.settings
        if record.confirmations < s.confirmations_for_long and record.importance < s.importance_for_long:
            return None
        if record.fact is not None:
            # a ledger row of any time: a concurrent turn with a later ``now`` may have written it
            ledger = self.store.records(record.namespace, tiers=("long",), extra=f.eq("key", record.key))
            if any(v.fact and _same_value(v.fact.value, record.fact.value) for v in ledger):
                return None
        elif self.store.records(record.namespace, tiers=("long",), extra=f.eq("text", record.text), limit=1):
            return None
        why = (
            f"stated {record.confirmations} times (>= {s.confirmations_for_long})"
            if record.confirmations >= s.confirmations_for_long
            else f"importance {record.importance:.2f} >= {s.importance_for_long}"
        )
        return self._to_ledger(record, now, f"mid-term memory {why}")

    def supersede_long(
        self, record: MemoryRecord, versions: list[MemoryRecord], now: datetime
    ) -> PromotionEvent | None:
        """Copy a mid-term fact to the ledger where it is newer than the ledger's version of its
        key and says another value ("I moved to Berlin" after the ledger's "I live in Paris"). A
        measurement of a changing value (a weight) is not: said once it may be a slip, and it reaches
        the ledger as every measurement does, confirmed three times.

        Args:
            versions: the key's newest versions, newest first (the ones the confirmation read: no
                read of its own; each mid-term write supersedes, so the ledger's is among them).
        """
        if record.fact is None or record.fact.attribute in MEASUREMENTS:  # a weight needs its confirmations
            return None
        held = next((v.fact for v in versions if v.tier == "long" and v.fact is not None), None)
        if held is None or _same_value(held.value, record.fact.value) or held.observed_at > record.fact.observed_at:
            return None
        return self._to_ledger(
            record, now, f"a newer {record.key} = {record.fact.value} supersedes the ledger's {held.value}"
        )

    def _to_ledger(self, record: MemoryRecord, now: datetime, reason: str) -> PromotionEvent:
        """Write a long-term copy of ``record`` and describe it."""
        durable = record.model_copy(
            update={
                "id": new_id(),
                "tier": "long",
                "created_at": now,
                "expires_at": None,
                "source_ids": [*record.source_ids, record.id],
            }
        )
        self.store.write([durable])
        return PromotionEvent(
            kind="mid->long",
            namespace=record.namespace,
            trigger_id=record.id,
            record_ids=[durable.id],
            source_ids=durable.source_ids,
            fact_key=record.key,
            scores={"confirmations": float(record.confirmations), "importance": round(record.importance, 4)},
            reason=reason,
        )
