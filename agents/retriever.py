"""RetrievalAgent: assembles the context the model sees from every tier.

Vector and full-text candidates from all tiers of the caller's namespace are
fused by weighted reciprocal rank, weighted by tier, recency and importance,
and by time when the query names a period ("in July 2023", "上个月") that a
memory's date or text falls in; a fact is always shown at its newest version
(older values kept as history); an item whose sources a better item already
shows (a turn inside a retrieved episode) is left out; the list is cut to a
token budget and every item cites its record id and sources.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo

import numpy as np
from pydantic import BaseModel, Field
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.errors import InvalidInputError
from tiermem.memory.records import MemoryRecord, Tier, validate_text
from tiermem.memory.searches import Hit
from tiermem.memory.store import TierStore
from tiermem.memory.versions import current_value, held_values

from .fusion import blend, count_tokens, drop_covered, fit_budget, recency, rrf
from .settings import RetrievalSettings
from .statements import stated_clauses
from .timeexpr import Period, find_periods


class FactVersion(BaseModel):
    """An earlier value of a fact and when it was observed."""

    value: str
    observed_at: datetime
    statement: str = ""
    """The words that said it ("Sorry, I meant Lyon, not Paris" says Paris was a slip)."""


class RetrievedItem(BaseModel):
    """One memory in the assembled context."""

    id: str
    tier: Tier
    text: str
    score: float
    sources: list[str] = Field(default_factory=list)
    created_at: datetime
    key: str = ""
    value: str = ""
    history: list[str] = Field(default_factory=list)
    """Older values of the same fact, newest first (``47 kg (2024-05-01)``)."""
    versions: list[FactVersion] = Field(default_factory=list)
    """The same older values with their times, for a question about a past period."""
    kind: str = "message"
    """Granularity: ``message``, ``fact``, ``context``, ``episode`` (several messages) ..."""
    said_at: datetime | None = None
    """When its words were said, where that is not ``created_at``: a fact's record was written
    when the user said it, its ``created_at`` is when the fact held ("last Monday")."""

    def render(self, tz: tzinfo | None = None) -> str:
        """One context line (an episode: its dated lines), dated in ``tz`` (default UTC)."""
        if self.kind == "episode":
            return self.text
        day = self.day(tz)
        if self.key:
            line = f"[{day}] {self.key.removeprefix('user.').replace('_', ' ')}: {self.value}"
            return line + (f" (earlier: {', '.join(self.history[:2])})" if self.history else "")
        return f"[{day}] {self.text}"

    def dated_values(self) -> list[tuple[str, datetime]]:
        """A fact's value now and its older ones, each with when it was observed, newest first."""
        return [(self.value, self.created_at), *((v.value, v.observed_at) for v in self.versions)]

    def day(self, tz: tzinfo | None = None) -> str:
        """The memory's date (a fact's: when it was observed) in ``tz``: the asker's day, not UTC's."""
        return f"{self.created_at.astimezone(tz or UTC):%Y-%m-%d}"

    def said_day(self, tz: tzinfo | None = None) -> str:
        """The date its words were said (:attr:`said_at`, else :attr:`created_at`) in ``tz``."""
        return f"{(self.said_at or self.created_at).astimezone(tz or UTC):%Y-%m-%d}"


class RetrievalResult(BaseModel):
    """What the retrieval agent found for one query."""

    query: str
    items: list[RetrievedItem] = Field(default_factory=list)
    tokens: int = 0

    def context(self) -> str:
        """The items as context lines, best first."""
        return "\n".join(item.render() for item in self.items)


class RetrievalAgent:
    """Hybrid search over all tiers of one namespace, fused and budgeted.

    Args:
        store: the tier store to read.
        embedder: embeds queries (shares its cache with the write path).
        settings: ranking and budget settings.
    """

    def __init__(self, store: TierStore, embedder: BaseEmbedder, settings: RetrievalSettings | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings or RetrievalSettings()

    def retrieve(
        self,
        namespace: str,
        query: str,
        *,
        now: datetime,
        vector: np.ndarray | None = None,
        k: int | None = None,
        token_budget: int | None = None,
        exclude: Collection[str] = (),
    ) -> RetrievalResult:
        """The best ``k`` memories of ``namespace`` for ``query`` as of ``now``.

        Args:
            namespace: whose memories.
            query: the user's message.
            now: the message time (memories written later are not seen).
            vector: the query's embedding, if already computed.
            k: items returned (default: the configured ``k``).
            token_budget: tokens the items may use (default: the configured budget).
            exclude: record ids left out, with the memories made from them (the turn's own
                message and writes: the context is for what the user said before).

        Raises:
            InvalidInputError: ``query`` is empty, not valid UTF-8, holds a NUL or is too long; ``k < 1``.
        """
        query = validate_text(query, max_bytes=self.store.max_text_bytes, what="query")
        if k is not None and k < 1:
            raise InvalidInputError(f"k must be at least 1, got {k}")
        s = self.settings
        k = k or s.k
        if vector is None:
            vector = self.embedder.encode_one(query)
        left_out = set(exclude)
        # the turn's own rows (one for each id left out) take no candidate's place, written yet or not
        dense, sparse = self.store.hybrid_search(namespace, vector, query, k=s.candidates + len(left_out), now=now)
        dense, sparse = (_others(hits, left_out, s.candidates) for hits in (dense, sparse))
        records: dict[str, MemoryRecord] = {h.record.id: h.record for h in [*dense, *sparse]}
        fused = rrf(
            [[h.record.id for h in dense], [h.record.id for h in sparse]],
            k=s.rrf_k,
            weights=[s.dense_weight, s.text_weight],
        )
        periods = find_periods(query, now) if s.time_weight else []
        scored = {rid: self._weight(records[rid], score, now, periods) for rid, score in fused.items()}
        found = self._newest_versions(namespace, records, scored, now, left_out)
        found.sort(key=lambda c: -c.score)
        kept = drop_covered([c.sources for c in found], [bool(c.record.key) for c in found])[:k]
        items = [found[i].item() for i in kept]  # only the items shown are built
        items = [items[i] for i in fit_budget([item.render() for item in items], token_budget or s.token_budget)]
        return RetrievalResult(query=query, items=items, tokens=sum(count_tokens(i.render()) for i in items))

    def _weight(self, record: MemoryRecord, score: float, now: datetime, periods: list[Period]) -> float:
        s = self.settings
        score *= s.tier_weights.get(record.tier, 1.0)
        if record.kind == "context" and s.asked_weight < 1.0 and not stated_clauses(record.text):  # asks only
            score *= s.asked_weight
        score = blend(score, recency(record.created_at, now, s.half_life_days), s.recency_weight)
        if periods and _in_periods(record, periods):
            score *= 1.0 + s.time_weight
        return blend(score, record.importance, s.importance_weight)

    def _newest_versions(
        self,
        namespace: str,
        records: dict[str, MemoryRecord],
        scored: dict[str, float],
        now: datetime,
        left_out: set[str],
    ) -> list[_Candidate]:
        """The scored records, each fact at its newest version (with its older ones), one per key
        (its best score). Versions ``left_out`` (the turn's own writes) are passed over, so "I
        weigh 50 kg today. How much did I weigh last time?" shows the weight said before."""
        keys = {r.key for r in records.values() if r.key}
        versions = self.store.latest_facts(
            namespace, keys, now=now, versions=self.settings.history + 2 + (1 if left_out else 0)
        )  # one more for a ledger copy, whose value is said once
        if left_out:
            versions = {
                key: [v for v in found if v.id not in left_out and left_out.isdisjoint(v.source_ids)]
                for key, found in versions.items()
            }
        best_per_key: dict[str, _Candidate] = {}
        found: list[_Candidate] = []
        for rid, score in scored.items():
            record = records[rid]
            if not record.key:
                found.append(_Candidate(record, score))
                continue
            known = best_per_key.get(record.key)
            history = versions.get(record.key, [record])
            if history and (known is None or known.score < score):
                best_per_key[record.key] = _Candidate(history[0], score, history[1:])
        return found + list(best_per_key.values())


def _others(hits: list[Hit], left_out: set[str], per_tier: int) -> list[Hit]:
    """The best ``per_tier`` hits of each tier (best first, as found) but the records ``left_out``
    and those made from them."""
    kept: list[Hit] = []
    taken: Counter[str] = Counter()
    for hit in hits:
        record = hit.record
        if record.id in left_out or not left_out.isdisjoint(record.source_ids) or taken[record.tier] >= per_tier:
            continue
        taken[record.tier] += 1
        kept.append(hit)
    return kept


def _in_periods(record: MemoryRecord, periods: list[Period]) -> bool:
    """Whether the record was written in, or its text speaks of, one of ``periods``."""
    day: date = (record.fact.observed_at if record.fact else record.created_at).date()
    if any(p.overlaps(day, day) for p in periods):
        return True
    mentioned = find_periods(record.text, record.created_at)
    return any(p.overlaps(m.start, m.end) for p in periods for m in mentioned)


@dataclass(slots=True)
class _Candidate:
    """A scored record (a fact at its newest version, ``older`` its earlier ones, newest first)."""

    record: MemoryRecord
    score: float
    older: list[MemoryRecord] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return self.record.source_ids or [self.record.id]

    def _values(self) -> list[str]:
        """Every version's value, newest first."""
        return [v.fact.value for v in (self.record, *self.older) if v.fact]

    def _value(self) -> str:
        """The fact's value now: its newest version's; every held one of a set-valued attribute."""
        fact = self.record.fact
        return current_value(fact.attribute, self._values()) if fact else ""

    def _held(self) -> set[str]:
        """The values shown as current besides the newest one (a set-valued attribute's others),
        which are no earlier values."""
        fact = self.record.fact
        return set(held_values(fact.attribute, self._values())) - {fact.value} if fact else set()

    def _versions(self) -> list[FactVersion]:
        """The older versions with other values or times than the one shown, each once (a value
        still held is no earlier value)."""
        shown = self.record.fact
        seen = {(shown.value, shown.observed_at)} if shown else set()
        held = self._held()
        versions = []
        for older in self.older:
            if older.fact and older.fact.value not in held and (older.fact.value, older.fact.observed_at) not in seen:
                seen.add((older.fact.value, older.fact.observed_at))
                versions.append(
                    FactVersion(value=older.fact.value, observed_at=older.fact.observed_at, statement=older.text)
                )
        return versions

    def _history(self, versions: list[FactVersion]) -> list[str]:
        """The older ``versions`` as dated values, each said once (a value's ledger copy repeats
        its mid-term version, a day shows once) and none of the shown value's day."""
        shown = self.record.fact
        said = {f"{shown.value} ({shown.observed_at:%Y-%m-%d})"} if shown else set()
        dated = dict.fromkeys(f"{v.value} ({v.observed_at:%Y-%m-%d})" for v in versions)
        return [line for line in dated if line not in said]

    def item(self) -> RetrievedItem:
        """The candidate as a context item."""
        record, fact = self.record, self.record.fact
        versions = self._versions()
        return RetrievedItem(
            id=record.id,
            tier=record.tier,
            text=record.text,
            score=self.score,
            sources=self.sources,
            created_at=fact.observed_at if fact else record.created_at,
            said_at=record.created_at if fact and fact.observed_at != record.created_at else None,
            key=record.key,
            value=self._value(),
            history=self._history(versions),
            versions=versions,
            kind=record.kind,
        )
