"""The store's policies: indexes and compaction, per-namespace caps, the read cache.

Plain settings (pydantic), kept apart from the code that applies them so a
config can be read (and ``tiermem --help`` shown) without importing LanceDB.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .errors import QuotaExceededError

VectorIndexKind = Literal["ivf_sq", "ivf_hnsw_sq", "ivf_pq"]


class IndexPolicy(BaseModel):
    """When to build which index, and how often to compact."""

    model_config = ConfigDict(extra="forbid")

    scalar_min_rows: int = Field(default=5_000, ge=0)
    """Build the scalar indexes once a table has this many rows."""
    vector_min_rows: int = Field(default=2_000, ge=256)
    """Build the vector index once a table has this many rows: an exact scan costs about 2 ms of
    CPU per 1,000 rows, an IVF_HNSW_SQ query at 5,000 rows about half of a scan."""
    vector_index: VectorIndexKind = "ivf_sq"
    """IVF_SQ: on 550k of the latency benchmark's memories (``tiermem bench ann``, two runs) it
    found 0.979-0.987 of the exact top 10 probing a third of its partitions, for 13-21 ms of CPU
    a search, where IVF_HNSW_SQ at ``ef`` 800 found 0.879-0.926 for 23-26 ms; and it builds
    12-15 times as fast (BENCHMARKS.md, Latency). IVF_PQ found at most 0.86 (refine 20)."""
    rows_per_partition: int = Field(default=4_096, ge=64)
    """IVF_PQ partitions = rows / this; IVF_SQ makes twice as many, IVF_HNSW_SQ 16 times fewer."""
    probe_share: float = Field(default=0.33, gt=0.0, le=1.0)
    """IVF_SQ: the share of its partitions a search probes (on the benchmark's memories 0.90 of
    the exact top 10 at an eighth, 0.94-0.95 at a quarter, 0.98-0.99 at a third)."""
    ef: int = Field(default=800, ge=1)
    """IVF_HNSW_SQ: candidates per query (at least ``k * refine_factor``). On the latency
    benchmark's 100k memories recall@10 against exact search was 0.90 at 200, 0.94 at 400 and
    0.97 at 800 (mean score of the top 10: 0.987, 0.995, 0.997 of the exact one), for 0-4 ms
    more CPU a retrieval (BENCHMARKS.md)."""
    nprobes: int = Field(default=16, ge=1)
    """IVF_PQ and IVF_HNSW_SQ: partitions searched per query."""
    refine_factor: int | None = Field(default=2, ge=1)
    """Re-rank this many times ``k`` candidates with the full vectors. At 1 it only makes the
    returned distances exact cosine ones: an index reports quantised squared-L2 distances,
    which would skew the ranking of indexed tables against exact-scanned ones. 2 also
    re-ranks near-ties the quantisation misorders (IVF_PQ needs about 20)."""
    rebuild_growth: float = Field(default=4.0, gt=1.0)
    """Retrain the vector index when the table has grown this many times since it was trained."""
    optimize_unindexed_rows: int = Field(default=2_000, ge=1)
    """Update an index once it misses this many rows (and compact then). A pass that compacts
    small files leaves the other indexes alone: updating them costs about as much for a few rows
    as for thousands, and a search reads the rows an index misses directly."""
    fragment_rows: int = Field(default=16_384, ge=1_024)
    """Rows a compacted data file holds at most; a file this full is never rewritten again, so a
    pass costs at most this many rows whatever the table's size (at 100k memories one file or
    seven made no difference to indexed reads, BENCHMARKS.md)."""
    optimize_small_fragments: int = Field(default=4, ge=1)
    """... or once the table has this many data files below :attr:`fragment_rows` (one per commit). Every read
    pays for each small file: at 4 (pass every 5 s) a 100k-memory turn took 103-107 ms p50
    against 194 ms at 32 (every 30 s), with less CPU counting the compactions; at 2 (every
    2 s) 145 ms (BENCHMARKS.md, Latency)."""
    merge_index_rows: int = Field(default=2_048, ge=1)
    """A pass rebuilds the vector index's newest segments of up to this many rows (and those no
    larger than the rows merged before them) together with the new rows, so neither the
    index's segments nor the data files they pin accumulate (:mod:`tiermem.memory.compaction`)."""
    keep_versions_for_s: float = Field(default=600.0, ge=0.0)
    """Table versions younger than this survive a cleanup (readers elsewhere may still use them;
    a read whose files a cleanup removed is run again on the newest version). A listing of the
    versions reads every one kept, at 0.28 us each (a cleanup pass; a version check that cannot
    step from manifest to manifest: the first, an object store, over 64 commits since the last,
    :mod:`tiermem.memory.version_probe`): an hour at a turn a second is 3,600-7,200 a table."""
    cleanup_interval_s: float = Field(default=60.0, ge=0.0)
    """A compaction also deletes old versions when this long has passed since the table's last
    cleanup in this process (a forced pass always does): listing the versions is the largest
    part of a pass on a busy table (100-140 ms of 250 on the latency benchmark's short table)."""
    interval_s: float = Field(default=5.0, gt=0.0)
    """How often the background maintainer looks at the tables."""
    background: bool = True
    """Whether a graph's services start a background :class:`Maintainer`."""


class Usage(BaseModel):
    """What a namespace stores (or a write would add)."""

    model_config = ConfigDict(frozen=True)

    rows: int = 0
    text_bytes: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(rows=self.rows + other.rows, text_bytes=self.text_bytes + other.text_bytes)


class NamespaceQuota(BaseModel):
    """Caps per namespace; ``None`` means unlimited."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    max_rows: int | None = Field(default=None, ge=1)
    """Memories across all tiers."""
    max_bytes: int | None = Field(default=None, ge=1)
    """UTF-8 bytes of the memories' texts across all tiers."""

    @property
    def enabled(self) -> bool:
        """Whether any cap is set (usage is only measured then)."""
        return self.max_rows is not None or self.max_bytes is not None

    def check(self, namespace: str, current: Usage, adding: Usage) -> None:
        """Raise if ``current + adding`` passes a cap.

        Raises:
            QuotaExceededError: naming the cap, the usage and the fix.
        """
        total = current + adding
        if self.max_rows is not None and total.rows > self.max_rows:
            raise QuotaExceededError(
                f"namespace {namespace!r} holds {current.rows} memories; adding {adding.rows} would "
                f"pass its cap of {self.max_rows} rows; forget old memories or raise "
                "quota.max_rows in the config"
            )
        if self.max_bytes is not None and total.text_bytes > self.max_bytes:
            raise QuotaExceededError(
                f"namespace {namespace!r} holds {current.text_bytes} bytes of text; adding "
                f"{adding.text_bytes} would pass its cap of {self.max_bytes} bytes; forget old "
                "memories or raise quota.max_bytes in the config"
            )


class ReadCachePolicy(BaseModel):
    """Which namespaces' rows reads keep in memory."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    max_namespace_rows: int = Field(default=200_000, ge=0)
    """A namespace with more rows than this in a table is searched through Lance's indexes."""
    max_rows: int = Field(default=400_000, ge=0)
    """Rows held over every table and namespace (about 2.3 KiB each with 512-d vectors, 2.8
    with their int8 codes; a row held without them, :attr:`max_light_rows`, counts a sixth);
    the least recently read namespaces go first."""
    max_light_rows: int = Field(default=1_000_000, ge=0)
    """A namespace with more rows in a table than :attr:`max_namespace_rows`, up to this many, is
    held without its vectors and words (about 0.4 KiB a row): its searches ask Lance's indexes
    for ids and scores alone and take the rows found from memory (at 1M memories reading the
    found rows' columns was 12 of a vector search's 28 ms). Above it, a namespace is left to Lance."""
    background_load_rows: int = Field(default=10_000, ge=0)
    """A namespace with more rows than this in a table is loaded on a background thread (one
    load at a time) and Lance answers its reads until the load is held, so a large user's first
    turn after a restart or an eviction does not wait for it (at 100k memories the three tables'
    rows took 2-3 s to load, at 1M the short table's 150k rows 7-9 s); a smaller one is loaded
    by the read that needs it (10k rows: about 0.3 s)."""
    coarse_search: Literal["auto", "on", "off"] = "auto"
    """Keep large blocks' vectors as int8 codes too and search them first (:mod:`tiermem.memory.nearest`:
    the same rows, about 3x faster); ``auto`` and ``on``: wherever torch has the integer product."""
    churn_loads: int = Field(default=3, ge=2)
    churn_window_s: float = Field(default=60.0, gt=0.0)
    """A namespace loaded ``churn_loads`` times in a table within this many seconds churns:
    another process keeps writing to it, and each of its commits costs a reload (the whole
    namespace, vectors included), more than the searches it saves."""
    bypass_s: float = Field(default=300.0, ge=0.0)
    """How long a namespace found too large, or churning, is left to Lance."""
