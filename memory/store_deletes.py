"""The store's deletes: by id, a whole namespace, expired short-term rows, and ``forget``.

The deletes read too, so :class:`StoreDeletes` extends
:class:`~tiermem.memory.reads.StoreReads`; :class:`~tiermem.memory.store.TierStore`
extends it with the tables, the writes, the commit lock and the in-memory
followers of its commits.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

import lancedb
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel

from . import filters as f
from .changes import NamespaceChanges
from .concurrency import CommitLock, KeyedLocks, retry_read
from .embeddings import BaseEmbedder
from .masking import FORGOTTEN, mask_standalone
from .reads import StoreReads
from .records import TIERS, MemoryRecord, Tier, as_utc, validate_namespace
from .schema import TABLE_FOR_TIER
from .versions import ENDED, SET_VALUED, same_held_value


class ErasedRows(BaseModel):
    """Rows removed from the tiers, per table."""

    namespace: str
    rows: int = 0
    tables: dict[str, int] = {}
    """Rows removed per table."""
    versions_cleaned: bool = False
    """Whether old table versions (which still held the rows) were deleted."""


class ForgetReport(ErasedRows):
    """Where a forgotten memory was removed from."""

    record_id: str
    key: str = ""
    """The fact key whose every version was removed, if the memory was a fact."""
    retrain_job: str | None = None
    """The adapter retrain queued because the ledger changed (set by the caller that queues it)."""
    masked_in: list[str] = []
    """Keys of other facts stated in the same message as the forgotten one: they are kept, with
    the forgotten value masked in their text (and their vectors embedded anew)."""


def _masked_texts(records: Sequence[MemoryRecord], values: Sequence[str]) -> dict[str, str]:
    """Each record's text (by id) with ``values`` (forgotten texts, fact values) masked where they
    stand alone, and a measurement's number too ("45" of "45 kg", written "45kg"); an episode's
    lines also where the time annotations it added to them stand in the way."""
    needles = sorted({*values, *(m.group() for v in values if (m := _NUMBER.match(v)))}, key=len, reverse=True)
    return {r.id: (_masked_episode if r.kind == "episode" else mask_standalone)(r.text, needles) for r in records}


_ANNOTATION = re.compile(r" \([^()\n]*\d{4}[^()\n]*\)")
"""What consolidation adds to a line of an episode after a time word: " (1 June 2023 - 31 August 2023)"."""


def _masked_episode(text: str, needles: Sequence[str]) -> str:
    """An episode's ``text`` with the needles masked line by line; a line whose message a time
    annotation split ("I went hiking last summer (1 June 2023 - 31 August 2023)") is masked
    without its annotations."""
    lines = []
    for line in text.split("\n"):
        masked = mask_standalone(line, needles)
        if masked == line and _ANNOTATION.search(line):
            plain = _ANNOTATION.sub("", line)
            unannotated = mask_standalone(plain, needles)
            masked = unannotated if unannotated != plain else line
        lines.append(masked)
    return "\n".join(lines)


def _still_says(episode: str) -> bool:
    """Whether a masked episode still holds something said: a line past its date that is neither a
    question nor only masks ("20 July 2024\n[forgotten]\nWhat's my favorite drink?" holds none)."""
    for line in episode.split("\n")[1:]:
        said = re.sub(r"^[^:：\n]{1,40}[:：]\s", "", line)  # "Mel: ..." is Mel's line
        words = re.sub(r"[\W_]+", " ", said.replace(FORGOTTEN, " ")).strip()
        if words and not line.rstrip().endswith(("?", "？")):
            return True
    return False


_NUMBER = re.compile(r"\d+(?:[.,]\d+)?(?=\s*[^\d\s.,]|$)")
"""The number a measurement's value starts with ("45" of "45 kg")."""


def _rewritten(rows: pa.Table, namespace: str, rewrites: Mapping[str, tuple[str, list[float]]]) -> pa.Table:
    """``rows`` with the text and vector of the ids in ``rewrites`` (of ``namespace``) replaced."""
    ids, spaces = rows.column("id").to_pylist(), rows.column("namespace").to_pylist()
    at = [i for i, (id_, space) in enumerate(zip(ids, spaces, strict=True)) if space == namespace and id_ in rewrites]
    if not at:
        return rows
    texts, vectors = rows.column("text").to_pylist(), rows.column("vector").to_pylist()
    for i in at:
        texts[i], vectors[i] = rewrites[ids[i]]
    rows = rows.set_column(rows.schema.get_field_index("text"), rows.schema.field("text"), pa.array(texts, pa.string()))
    vector_field = rows.schema.field("vector")
    return rows.set_column(rows.schema.get_field_index("vector"), vector_field, pa.array(vectors, vector_field.type))


class StoreDeletes(StoreReads):
    """Read and delete methods of :class:`~tiermem.memory.store.TierStore`."""

    _lock: CommitLock
    _forgetting: KeyedLocks
    """One forget at a time per namespace: each rewrites the episodes it masks, and two at once
    (a turn's forget calls run side by side) would each keep the other's forgotten words."""
    _text_indexed: set[str]
    embedder: BaseEmbedder
    changes: NamespaceChanges

    @abstractmethod
    def _committing(self, table: str) -> AbstractContextManager[None]:
        """Held around an own commit to ``table`` and the notes of it."""

    @abstractmethod
    def _ensure_fts(self, table: lancedb.table.Table) -> None:
        """Create the table's full-text index if it has none."""

    @abstractmethod
    def compact(self, *, keep_versions_for: timedelta = timedelta(hours=1)) -> None:
        """Compact the tables and drop old versions."""

    def _delete_where(
        self,
        clause: str,
        tiers: Iterable[Tier] = TIERS,
        *,
        ids_of: tuple[str, Sequence[str]] | None = None,
        namespace: str | None = None,
    ) -> dict[str, int]:
        """Delete rows matching ``clause``; rows removed per table (tables with none omitted).
        ``ids_of``: ``(namespace, ids)`` when the clause picks exactly those rows (the read cache
        follows such a delete without a reload); ``namespace``: the one namespace the clause
        picks rows of, if any (else it may be any: :mod:`tiermem.memory.changes`)."""
        removed: dict[str, int] = {}
        namespace = ids_of[0] if ids_of is not None else namespace
        with self._lock():
            for tier in tiers:
                table = self.table(tier)
                with self._committing(table.name):
                    result = table.delete(clause)
                    if ids_of is not None:
                        self._read_cache.deleted(table.name, result.version, *ids_of)  # type: ignore[attr-defined]
                if result.num_deleted_rows:  # type: ignore[attr-defined]  # stub lags
                    removed[TABLE_FOR_TIER[tier]] = result.num_deleted_rows  # type: ignore[attr-defined]
            if removed:
                self.changes.note(None if namespace is None else [namespace])
        return removed

    def _erase(
        self, namespace: str, clause: str, rewrites: Mapping[str, tuple[Tier, str, list[float]]] | None = None
    ) -> tuple[dict[str, int], set[str]]:
        """Delete the rows of ``namespace`` matching ``clause`` so that no data file keeps their bytes,
        and give the rows of ``rewrites`` (id -> tier, text, vector) their new text and vector in the
        same rewrite (a table holding one is rewritten even where nothing in it is deleted).

        A LanceDB delete only marks rows, keeps its predicate (the forgotten text)
        in the new version's files, and compaction leaves a data file alone while
        few of its rows are deleted. So each table holding a matching row is
        rewritten from its other rows (its full-text index rebuilt; the
        maintainer rebuilds the others) and ``compact(keep_versions_for=0)``
        then removes every older file. Costs a rewrite of those tables.

        Returns:
            Rows removed per table, and the texts and fact values they held.
        """
        removed: dict[str, int] = {}
        contents: set[str] = set()
        with self._lock():
            for tier in TIERS:
                table = self.table(tier)
                found = retry_read(table.search().where(clause).select(["namespace", "id", "text", "value"]).to_arrow)
                found = found.filter(pc.equal(found.column("namespace"), namespace))
                matching = found.column("id")
                masked = {i: (text, vector) for i, (at, text, vector) in (rewrites or {}).items() if at == tier}
                if not len(matching) and not masked:
                    continue
                contents.update(v for name in ("text", "value") for v in found.column(name).to_pylist() if v)
                rows = retry_read(table.to_arrow)
                # by id *and* namespace: another user's row may carry the same id (ids are the caller's)
                ours = pc.equal(rows.column("namespace"), namespace)
                gone = pc.and_(pc.is_in(rows.column("id"), matching), ours)
                rows = _rewritten(rows.filter(pc.invert(gone)), namespace, masked)
                table.add(rows, mode="overwrite")
                self._text_indexed.discard(table.name)
                self._ensure_fts(table)
                if len(matching):
                    removed[TABLE_FOR_TIER[tier]] = len(matching)
        if removed or rewrites:
            self.changes.note([namespace])
        return removed, contents

    def delete(self, namespace: str, ids: Iterable[str], tiers: Iterable[Tier] = TIERS) -> int:
        """Delete rows by id in one namespace; returns how many were removed."""
        ids = list(ids)
        if not ids:
            return 0
        namespace = validate_namespace(namespace)
        clause = f.where(f.eq("namespace", namespace), f.in_("id", ids))
        return sum(self._delete_where(clause, tiers, ids_of=(namespace, ids)).values())

    def delete_namespace(self, namespace: str) -> int:
        """Delete every memory of ``namespace`` in every tier; returns how many rows."""
        namespace = validate_namespace(namespace)
        return sum(self._delete_where(f.eq("namespace", namespace), namespace=namespace).values())

    def erase_namespace(self, namespace: str) -> ErasedRows:
        """Erase every memory of ``namespace`` from every tier so that no data file, old table
        version or index keeps their bytes (a right-to-erasure request; :meth:`delete_namespace`
        only marks the rows deleted). Rewrites each table that held one of its rows.
        """
        namespace = validate_namespace(namespace)
        with self._forgetting.hold(namespace):
            removed, _ = self._erase(namespace, f.eq("namespace", namespace))
            self.compact(keep_versions_for=timedelta(0))
        return ErasedRows(namespace=namespace, rows=sum(removed.values()), tables=removed, versions_cleaned=True)

    def forget(
        self,
        namespace: str,
        record_id: str,
        *,
        on_erase: Callable[[list[str]], object] | None = None,
        version_only: bool = False,
    ) -> ForgetReport:
        """Remove a memory from every table: the record, every version of its fact,
        verbatim copies of its text, the items it was made from (the short-term items a
        promotion gathered) and the transcript rows (``context``, ``episode``) holding a
        message it came from (an episode is kept, the forgotten message and value masked in it);
        then drop old table versions so it is gone from disk. Another fact stated in the same
        message stays, with the forgotten value masked in its text, and so does any other memory
        that names a forgotten fact's value ("I'm planning to leave Siemens" after forgetting the
        employer Siemens).

        Args:
            namespace: whose memory.
            record_id: the memory to forget.
            on_erase: called with the removed texts and fact values (longest first), e.g. to
                redact copies kept elsewhere (traces); they appear in no report.
            version_only: of a fact, only this version ("Don't save that" after "I live in
                Bergen now" keeps the home said before), not every version.

        Raises:
            NotFoundError: no such record in ``namespace``.
        """
        namespace = validate_namespace(namespace)
        with self._forgetting.hold(namespace):
            return self._forget(namespace, record_id, on_erase, version_only)

    def _forget(
        self, namespace: str, record_id: str, on_erase: Callable[[list[str]], object] | None, version_only: bool
    ) -> ForgetReport:
        record = self.get(namespace, record_id)
        versions = self.forgotten_versions(namespace, record, version_only=version_only)
        one_of_several = record.fact is not None and record.fact.attribute in SET_VALUED
        texts = sorted({r.text for r in versions} | {record.text})
        stated_with = self.records(namespace, extra=f.in_("text", texts))
        # another fact said in the same message ("My name is Eve and I'm allergic to peanuts") stays
        kept = [r for r in stated_with if record.key and r.key and r.key != record.key]
        same = [f.eq("id", record_id), f.in_("text", texts)]
        if record.key:
            whole_key = not one_of_several and not version_only
            same.append(f.eq("key", record.key) if whole_key else f.in_("id", [v.id for v in versions]))
        sources = sorted({s for r in [*versions, *stated_with] for s in r.source_ids})
        held = f.has_any("source_ids", sources)
        values = [v.fact.value for v in versions if v.fact is not None]
        # an episode holding the message keeps the session's other messages, with the forgotten masked;
        # one left with nothing but masks and questions goes
        holding = self.records(namespace, extra=f.where(f.eq("kind", "episode"), held)) if sources else []
        said = _masked_texts(holding, [*texts, *values])
        episodes = [r for r in holding if _still_says(said[r.id])]
        same.append(f.where(f.eq("kind", "context"), held))  # the session's working memory: that message
        same.append(f.in_("id", sources))  # what it was made from (a promotion's short-term items)
        same.append(f.in_("id", sorted(said.keys() - {r.id for r in episodes})))  # nothing said is left
        clause = f.where(f.eq("namespace", namespace), f.any_of(*same))
        # any other memory that names a forgotten value ("I'm planning to leave Siemens") stays, masked
        handled = {record_id, *(r.id for r in [*versions, *stated_with, *holding])}
        naming = [r for r in self._naming(namespace, values) if r.id not in handled]
        masked = _masked_texts([*kept, *naming], values)
        naming = [r for r in naming if masked[r.id] != r.text]
        if kept or episodes or naming:
            clause = f.where(clause, f.is_not_true(f.in_("id", [r.id for r in [*kept, *episodes, *naming]])))
        rewrites = self._embedded([*kept, *episodes, *naming], {**masked, **said})
        removed, contents = self._erase(namespace, clause, rewrites)
        self.compact(keep_versions_for=timedelta(0))
        if on_erase is not None:
            on_erase(sorted(contents, key=len, reverse=True))
        return ForgetReport(
            namespace=namespace,
            record_id=record_id,
            key=record.key,
            rows=sum(removed.values()),
            tables=removed,
            versions_cleaned=True,
            masked_in=sorted({r.key for r in kept if r.key}),
        )

    def forgotten_versions(
        self, namespace: str, record: MemoryRecord, *, version_only: bool = False
    ) -> list[MemoryRecord]:
        """The records forgetting ``record`` removes as its fact: every version of its key (of its
        held value only, for an allergy or a condition: forgetting the peanut allergy keeps the
        penicillin one); ``record`` alone where it has no key or ``version_only``."""
        if not record.key or version_only:
            return [record]
        versions = self.records(namespace, extra=f.eq("key", record.key))
        forgotten = record.fact
        if forgotten is not None and forgotten.attribute in SET_VALUED:
            versions = [v for v in versions if v.fact and same_held_value(v.fact.value, forgotten.value)]
        return versions

    def _naming(self, namespace: str, values: Sequence[str]) -> list[MemoryRecord]:
        """The memories of ``namespace`` whose text holds one of a forgotten fact's ``values``
        (a name or a place: three letters or more; no ended value, "no longer ...")."""
        named = [v for v in values if len(re.sub(r"[\W\d_]", "", v)) >= 3 and not v.startswith(ENDED)]
        if not named:
            return []
        return self.records(namespace, extra=f.any_of(*(f.contains(f.column("text"), v) for v in named)))

    def _embedded(
        self, records: Sequence[MemoryRecord], texts: Mapping[str, str]
    ) -> dict[str, tuple[Tier, str, list[float]]]:
        """Each of ``records`` with its new text (``texts``, by id) and that text's vector."""
        if not records:
            return {}
        vectors = self.embedder.encode([texts[r.id] for r in records])
        return {r.id: (r.tier, texts[r.id], vector.tolist()) for r, vector in zip(records, vectors, strict=True)}

    def expire(self, now: datetime | None = None) -> int:
        """Delete short-tier rows whose TTL has passed; returns how many."""
        return sum(self._delete_where(f.compare("expires_at", "<=", as_utc(now)), ("short",)).values())
