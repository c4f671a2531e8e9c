"""One namespace's rows of one table in memory, vectors and tokens included, and searches over them.

A :class:`CachedRows` holds the rows as blocks, one per read or appended
commit: their columns (Arrow), unit vectors, tokens, times and which rows are
still there. A vector search is an exact cosine, one matrix product per block
(50k rows of 512 dimensions: 8-10 ms of one core; 2-3 ms in two passes, int8
codes first, :mod:`tiermem.memory.nearest`); a full-text search is BM25 over
the blocks' postings, tokenized and scored as Lance's full-text index does
(:mod:`tiermem.memory.text_index`); a scan filters the blocks by time scope.
Changes replace blocks, never change one in place, so a reader that took
:attr:`CachedRows.blocks` reads a consistent snapshot while a writer applies
the next commit. :class:`~tiermem.memory.read_cache.ReadCache` keeps one per
namespace and table and applies the commits to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import count
from typing import Any, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .nearest import Quantized, coarse_vectors, nearest
from .schema import micros, naive_utc
from .text_index import Postings, bm25_top

MERGE_BELOW = 4_096
"""Blocks of fewer rows (each own commit adds one) are merged once there are :data:`MAX_BLOCKS`."""
LIGHT_ROWS_PER_ROW = 6
"""Rows held light (no vector, no tokens: about 0.4 KiB) that weigh as one row with its vector (2.8 KiB)."""
MAX_BLOCKS = 8
"""Blocks a namespace's rows may span before the small ones are merged (a search visits each)."""
_NEVER = np.iinfo(np.int64).max


@dataclass(frozen=True, slots=True)
class _Block:
    """Rows read or appended together: their columns, unit vectors, tokens, times and which are still there."""

    rows: pa.Table
    units: np.ndarray
    """One unit vector a row (no columns where the rows are held light)."""
    coarse: Quantized | None
    """``units`` as int8 codes for a first pass (:mod:`tiermem.memory.nearest`), or ``None``."""
    postings: Postings | None
    """The rows' tokens (``None`` where the rows are held light)."""
    created: np.ndarray
    expires: np.ndarray
    alive: np.ndarray

    @classmethod
    def of(cls, rows: pa.Table, columns: Sequence[str], coarse: bool, light: bool = False) -> _Block:
        """A block of ``rows`` (``columns`` and ``vector``); ``coarse``: with int8 codes if large;
        ``light``: without vectors and tokens (``vector`` may be missing)."""
        if light:
            units, postings = np.zeros((len(rows), 0), np.float32), None
        else:
            vectors = rows.column("vector").combine_chunks()
            dim = vectors.type.list_size
            matrix = vectors.flatten().to_numpy(zero_copy_only=False).reshape(len(rows), dim).astype(np.float32)
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            units = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
            postings = Postings.of(rows.column("text").to_pylist())
        created = rows.column("created_at").cast(pa.int64()).to_numpy(zero_copy_only=False)
        expires = pc.fill_null(rows.column("expires_at").cast(pa.int64()), _NEVER).to_numpy(zero_copy_only=False)
        return cls(
            rows.select(list(columns)).combine_chunks(),  # a take from one chunk: 0.05 ms, from nine: 0.9
            units,
            coarse_vectors(units) if coarse else None,
            postings,
            created,
            expires,
            np.ones(len(rows), dtype=bool),
        )

    def visible(self, moment: int | None) -> np.ndarray:
        """Which rows are there and, given ``moment``, written by then and not expired."""
        if moment is None:
            return self.alive
        return self.alive & (self.created <= moment) & (self.expires > moment)

    def without(self, positions: Sequence[int]) -> _Block:
        """The block with the rows at ``positions`` gone (a copy: readers may hold this one)."""
        alive = self.alive.copy()
        alive[list(positions)] = False
        return _Block(self.rows, self.units, self.coarse, self.postings, self.created, self.expires, alive)

    def compacted(self, coarse: bool) -> _Block:
        """The block's remaining rows only."""
        keep = np.flatnonzero(self.alive)
        units = self.units[keep]
        return _Block(
            self.rows.take(pa.array(keep)),
            units,
            coarse_vectors(units) if coarse else None,
            None if self.postings is None else self.postings.keep(keep),
            self.created[keep],
            self.expires[keep],
            np.ones(len(keep), dtype=bool),
        )


def _merged(blocks: Sequence[_Block], coarse: bool) -> _Block:
    parts = [block.compacted(coarse=False) for block in blocks]
    units = np.concatenate([p.units for p in parts])
    postings = [p.postings for p in parts if p.postings is not None]
    return _Block(
        pa.concat_tables([p.rows for p in parts]).combine_chunks(),
        units,
        coarse_vectors(units) if coarse else None,
        Postings.concat(postings) if len(postings) == len(parts) else None,
        np.concatenate([p.created for p in parts]),
        np.concatenate([p.expires for p in parts]),
        np.concatenate([p.alive for p in parts]),
    )


class CachedRows:
    """One namespace's rows of one table.

    Readers take :attr:`blocks` once and read that snapshot; changes replace
    blocks, never change one in place.

    Args:
        columns: the columns a row holds besides its vector (``text`` among them).
        coarse: large blocks also keep their vectors as int8 codes for a first search pass
            (:mod:`tiermem.memory.nearest`; the results are the exact search's either way).
    """

    def __init__(self, columns: Sequence[str], *, coarse: bool = False, light: bool = False) -> None:
        self.columns = list(columns)
        self.light = light
        """Held without vectors and tokens: the rows of searches Lance runs (:meth:`joined`) and scans."""
        self.coarse = coarse and not light
        self.schema: pa.Schema | None = None
        """The rows' schema (``columns``), known from the first :meth:`add`."""
        self.blocks: dict[int, _Block] = {}
        self.size = 0
        """Rows held (deleted ones until their block is compacted included)."""
        self._where: dict[str, tuple[int, int]] = {}
        self._serial = count()

    def add(self, rows: pa.Table) -> None:
        """Rows appended to the table (``columns`` and ``vector``); a stored id is replaced."""
        if self.schema is None:
            self.schema = rows.select(self.columns).schema
        if not len(rows):
            return
        ids = rows.column("id").to_pylist()
        self.delete([i for i in ids if i in self._where])
        serial = next(self._serial)
        self._where.update((record_id, (serial, row)) for row, record_id in enumerate(ids))
        self.blocks = {**self.blocks, serial: _Block.of(rows, self.columns, self.coarse, self.light)}
        self.size += len(rows)
        self._merge_small()

    def delete(self, ids: Iterable[str]) -> None:
        """Rows deleted from the table (ids it does not hold are ignored)."""
        by_block: dict[int, list[int]] = {}
        for record_id in ids:
            found = self._where.pop(record_id, None)
            if found is not None:
                by_block.setdefault(found[0], []).append(found[1])
        if by_block:
            blocks = dict(self.blocks)
            for serial, positions in by_block.items():
                blocks[serial] = blocks[serial].without(positions)
            self.blocks = blocks
        for serial in by_block:  # a block mostly deleted (a consolidated session) is rewritten alone
            block = self.blocks[serial]
            if len(block.alive) >= MERGE_BELOW and 2 * int(block.alive.sum()) < len(block.alive):
                self._rewrite([serial])

    def update(self, record_id: str, values: Mapping[str, Any]) -> None:
        """Row ``record_id`` had ``values`` set."""
        found = self._where.get(record_id)
        if found is None:
            return
        block = self.blocks[found[0]]
        row = {**block.rows.slice(found[1], 1).to_pylist()[0], **values}
        schema = block.rows.schema
        if not self.light:
            row["vector"] = block.units[found[1]]
            schema = schema.append(pa.field("vector", pa.list_(pa.float32(), block.units.shape[1])))
        self.add(pa.Table.from_pylist([row], schema=schema))

    def _merge_small(self) -> None:
        """Merge the small blocks (one per commit) once there are many, and drop deleted rows with them."""
        if len(self.blocks) < MAX_BLOCKS:
            return
        small = [serial for serial, block in self.blocks.items() if len(block.alive) < MERGE_BELOW]
        if len(small) >= 2:
            self._rewrite(small)

    def _rewrite(self, serials: Sequence[int]) -> None:
        """Replace the blocks ``serials`` with one block of their remaining rows."""
        merged = _merged([self.blocks[serial] for serial in serials], self.coarse)
        serial = next(self._serial)
        self._where.update((record_id, (serial, row)) for row, record_id in enumerate(merged.rows["id"].to_pylist()))
        blocks = {s: block for s, block in self.blocks.items() if s not in serials}
        blocks[serial] = merged
        self.blocks = blocks
        self.size = sum(len(block.alive) for block in blocks.values())

    @property
    def weight(self) -> int:
        """Rows held, a light row counted as a sixth of one with its vector (what the cache's
        :attr:`~tiermem.memory.policies.ReadCachePolicy.max_rows` counts)."""
        return -(-self.size // LIGHT_ROWS_PER_ROW) if self.light else self.size

    def _empty(self) -> pa.Table:
        if self.schema is None:
            raise RuntimeError("no rows were added to this cache entry yet, so its schema is unknown")
        return self.schema.empty_table()

    def select(self, now: datetime | None) -> pa.Table:
        """The rows there (and, given ``now``, written by then and not expired), in no set order."""
        moment = _moment(now)
        parts = [block.rows.filter(pa.array(block.visible(moment))) for block in self.blocks.values()]
        return pa.concat_tables(parts) if parts else self._empty()

    def search(self, vector: np.ndarray, k: int, now: datetime | None) -> pa.Table:
        """The ``k`` rows nearest to ``vector`` by cosine (exact), nearest first, with ``_distance``
        (``1 - cosine``, as Lance's cosine metric reports it)."""
        self._needs_vectors()
        query = np.asarray(vector, dtype=np.float32)
        norm = float(np.linalg.norm(query))
        query = query / norm if norm > 0 else query
        moment = _moment(now)
        blocks = list(self.blocks.values())
        scores, where, positions = [], [], []
        for index, block in enumerate(blocks):
            top, found = nearest(block.units, block.coarse, query, block.visible(moment), k)
            scores.append(found)
            where.append(np.full(len(top), index))
            positions.append(top)
        best = np.concatenate(scores) if scores else np.zeros(0, np.float32)
        order = np.argsort(-best, kind="stable")[:k]
        if not len(order):
            return self._empty().append_column("_distance", pa.array([], pa.float32()))
        block_of, position_of = np.concatenate(where)[order], np.concatenate(positions)[order]
        rows = _rows_at(blocks, block_of, position_of)
        return rows.append_column("_distance", pa.array(1.0 - best[order], pa.float32()))

    def text_search(self, tokens: Sequence[str], k: int, now: datetime | None) -> pa.Table:
        """The ``k`` rows that match the query ``tokens`` best by BM25 (as Lance's full-text index
        scores them, over this namespace's rows), best first, with ``_score``."""
        self._needs_vectors()
        moment = _moment(now)
        blocks = list(self.blocks.values())
        # every block of rows not held light has its postings: one entry per block, so hits index ``blocks``
        indexed = [(cast(Postings, b.postings), b.alive, b.visible(moment)) for b in blocks]
        hits = bm25_top(indexed, tokens, k)
        if not hits:
            return self._empty().append_column("_score", pa.array([], pa.float32()))
        block_of, position_of, scores = zip(*hits, strict=True)
        rows = _rows_at(blocks, np.array(block_of), np.array(position_of))
        return rows.append_column("_score", pa.array(scores, pa.float32()))

    def joined(self, found: pa.Table, score: str) -> pa.Table:
        """The rows held of the ids in ``found`` (a search's ids and ``score`` column), in its
        order and with its scores; ids not held (another namespace's, or deleted since) are left out."""
        blocks = self.blocks  # one snapshot: a writer replaces blocks, never changes one
        serials = {serial: index for index, serial in enumerate(blocks)}
        kept, block_of, position_of = [], [], []
        for index, record_id in enumerate(found.column("id").to_pylist()):
            at = self._where.get(record_id)
            if at is not None and at[0] not in serials:  # moved by a write after the snapshot
                at = _located(blocks, record_id)
            if at is None or not blocks[at[0]].alive[at[1]]:
                continue
            kept.append(index)
            block_of.append(serials[at[0]])
            position_of.append(at[1])
        if not kept:
            return self._empty().append_column(score, pa.array([], pa.float32()))
        rows = _rows_at(list(blocks.values()), np.array(block_of), np.array(position_of))
        return rows.append_column(score, found.column(score).take(pa.array(kept, pa.int64())).cast(pa.float32()))

    def _needs_vectors(self) -> None:
        if self.light:
            raise RuntimeError("these rows are held without vectors and tokens: search Lance and join them")


def _located(blocks: Mapping[int, _Block], record_id: str) -> tuple[int, int] | None:
    """Where ``record_id`` is alive in ``blocks`` (serial, position), found by its id column."""
    for serial, block in blocks.items():
        positions = np.flatnonzero(pc.equal(block.rows.column("id"), record_id).to_numpy(zero_copy_only=False))
        alive = [int(p) for p in positions if block.alive[p]]
        if alive:
            return serial, alive[0]
    return None


def _rows_at(blocks: Sequence[_Block], block_of: np.ndarray, position_of: np.ndarray) -> pa.Table:
    """The rows at ``position_of`` in the blocks ``block_of`` (indexes into ``blocks``), in that
    order: one take per block that holds one, then the rows put back in order."""
    used = np.unique(block_of)
    rows = pa.concat_tables([blocks[i].rows.take(pa.array(position_of[block_of == i])) for i in used])
    placed = np.concatenate([np.flatnonzero(block_of == i) for i in used])
    return rows.take(pa.array(np.argsort(placed)))


def _moment(now: datetime | None) -> int | None:
    moment = naive_utc(now)
    return None if moment is None else micros(moment)
