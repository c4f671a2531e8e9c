"""Latency benchmark: per-turn memory overhead as one user's memory grows.

For each size ``n`` a data dir gets ``n`` synthetic memories (see
:mod:`tiermem.benchmarks.synthetic`) in the target namespace and a tenth as
many (at least 900) spread over 300 other namespaces, through the bulk path
with cached embeddings; maintenance then builds the indexes the tables need.
Then, with the background :class:`~tiermem.memory.maintenance.Maintainer`
running as in production:

- ``turns`` user messages (the gate's labelled EN/ZH messages, each new to
  the embedding cache) go through the real graph, one second apart, each on a
  thread of its own (every turn ends the session before it, whose working
  memory then becomes an episode: the worst case) or ``session_turns`` to a
  thread (the consolidation runs once a session); the per-turn memory
  overhead is the whole ``graph.invoke`` minus the generate node (a fake chat
  model answers), so it holds ingest, embedding, gate, tool writes, the
  promotion check, retrieval and LangGraph's own work;
- after each turn, the baseline: one plain LanceDB vector search (top 10,
  namespace prefilter) on the largest table, with the turn's vector;
- ingest: bulk import of 2,000 fresh messages (embedding included) and
  turns per second with ``respond=False`` (gate and writes only);
- recall@10 of the store's vector search against exact search, disk bytes
  per 1,000 memories, and the process's peak RSS.
"""

from __future__ import annotations

import json
import os
import platform
import random
import resource
import shutil
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from datetime import timedelta
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from pydantic import BaseModel, Field
from tiermem.graphs.builder import build_graph
from tiermem.graphs.config import TierMemConfig
from tiermem.graphs.services import Services
from tiermem.memory import filters as f
from tiermem.memory.bulk import Item, bulk_import
from tiermem.memory.maintenance import maintain
from tiermem.memory.policies import IndexPolicy, ReadCachePolicy
from tiermem.memory.vector_index import recall_at_k, tie_recall

from . import synthetic

TARGET = "target"
OTHER_NAMESPACES = 300
MIN_OTHERS = 3 * OTHER_NAMESPACES
WARMUP = 20
FILL_TAG = "bench-fill"
"""Tags the filled version of each table while the turns run (a run that died left it: replaced)."""


class SizeResult(BaseModel):
    """Measurements at one size (times in milliseconds)."""

    size: int
    """Memories in the target namespace."""
    total_rows: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    """Per-turn memory overhead (everything but generation)."""
    first_turn_ms: float = float("nan")
    """The first turn after a restart (the last warm-up turn, on services opened again): nothing
    of the namespace is in memory yet (the embedding model, loaded once a process, is)."""
    cpu_p50_ms: float
    """CPU time of the process per turn, all threads (less sensitive to a shared machine's load)."""
    retrieval_p50_ms: float
    retrieval_p95_ms: float
    baseline_search_p50_ms: float
    baseline_search_p95_ms: float
    """Plain LanceDB vector search, top 10, namespace prefilter, largest table."""
    overhead_ratio_p50: float
    """Per-turn overhead p50 / baseline p50 (compare across noisy runs)."""
    nodes_p50_ms: dict[str, float] = Field(default_factory=dict)
    ingest_per_s: float
    """Bulk import of fresh messages, embedding included."""
    fill_per_s: float
    """Bulk import with precomputed vectors (how the store was filled)."""
    turn_ingest_per_s: float
    """Messages per second through the graph with ``respond=False`` (gate and writes)."""
    index_s: float
    recall_at_10: float
    """Share of the exact top-10 ids (all tiers) that the store's search returned."""
    score_ratio_at_10: float
    """Mean score of the returned top 10 / mean score of the exact top 10 (1.0: as good)."""
    tie_recall_at_10: float = float("nan")
    """Recall@10 counting rows tied with the exact 10th (:func:`~tiermem.memory.vector_index.tie_recall`)."""
    disk_bytes_per_1k: float
    """Data files and indexes per 1,000 memories, compacted, old versions dropped."""
    peak_rss_mb: float
    load_avg: float
    """1-minute load average after the size (the machine is shared)."""
    read_cache_rows: int = 0
    """Rows the read cache held after the turns (0: off, or every namespace too large for it)."""
    read_cache_loads: int = 0
    """Namespaces the read cache read from a table during the size (first reads and reloads)."""


class LatencyReport(BaseModel):
    """A whole benchmark run."""

    machine: str
    command: str = ""
    turns: int
    session_turns: int = 1
    """Turns per conversation thread (1: each turn ends the session before it)."""
    versions_kept: int = 0
    """Row-keeping commits added to each table before the turns (the versions traffic leaves)."""
    policy: dict[str, Any]
    read_cache: dict[str, Any] = Field(default_factory=dict)
    results: list[SizeResult] = Field(default_factory=list)


def turn_messages() -> list[str]:
    """The gate's labelled messages (EN and ZH), in a fixed shuffled order."""
    folder = resources.files("tiermem.benchmarks").joinpath("data")
    texts = [
        json.loads(line)["text"]
        for name in ("gate_test.jsonl", "gate_train.jsonl")
        for line in folder.joinpath(name).read_text("utf-8").splitlines()
        if line.strip()
    ]
    random.Random(0).shuffle(texts)
    return texts


def machine() -> str:
    """CPU, cores, memory, Python and LanceDB versions."""
    import lancedb

    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.machine()} {os.cpu_count()} cores, {memory_gb:.0f} GiB, Python {platform.python_version()}, "
        f"lancedb {lancedb.__version__}, OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}"
    )


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile of ``values`` to two decimals (NaN for none)."""
    return round(float(np.percentile(values, q)), 2) if values else float("nan")


def _disk_bytes(data_dir: Path) -> int:
    """Bytes of the tier tables (data, indexes, manifests) under a data dir."""
    return sum(p.stat().st_size for table in data_dir.glob("*.lance") for p in table.rglob("*") if p.is_file())


def fill_items(services: Services, size: int, seed: int) -> Iterator[Item]:
    """The synthetic memories of one size, with cached vectors, target namespace first."""
    others = max(size // 10, MIN_OTHERS)
    for stream, count, namespace in ((TARGET, size, TARGET), ("others", others, None)):
        for lo in range(0, count, synthetic.CHUNK):
            hi = min(lo + synthetic.CHUNK, count)
            vectors = synthetic.vectors(services.embedder, seed, stream, lo, hi)
            records = synthetic.records(seed, stream, lo, hi, namespace)
            yield from (Item(r, v) for r, v in zip(records, vectors, strict=True))


class LatencyBench:
    """Runs the benchmark for each size in ``work_dir`` (one data dir per size).

    Args:
        work_dir: where the data dirs go.
        turns: measured turns per size (after a warm-up of 20).
        policy: maintenance thresholds (index building and background compaction).
        seed: synthetic data seed.
        reuse: keep a size's filled data dir from an earlier run instead of rebuilding it.
        progress: wraps an iterable in a progress bar (``tqdm``) or passes it through.
        profiler: a context manager entered around the measured turns of the largest size.
        ingest_sample: fresh messages bulk-imported (embedding included) per size.
        turn_ingest: messages sent with ``respond=False`` per size.
        recall_queries: queries compared with exact search per size.
        read_cache: the store's read cache settings (``enabled=False`` for an A/B).
        session_turns: measured turns per conversation thread (1: every turn starts a session).
        versions_kept: row-keeping commits added to each table before the turns, as the
            versions that traffic leaves until the maintainer drops them (ten minutes' by
            default, an hour's before 2026-12-05: at a turn a second 600-1,200 a table, or
            3,600-7,200); a version check that lists reads them all.
    """

    def __init__(
        self,
        work_dir: Path,
        *,
        turns: int = 500,
        policy: IndexPolicy | None = None,
        seed: int = 0,
        reuse: bool = False,
        progress: Callable[..., Any] | None = None,
        profiler: AbstractContextManager[Any] | None = None,
        ingest_sample: int = 2000,
        turn_ingest: int = 100,
        recall_queries: int = 100,
        read_cache: ReadCachePolicy | None = None,
        session_turns: int = 1,
        versions_kept: int = 0,
    ) -> None:
        if session_turns < 1:
            raise ValueError(f"session_turns must be at least 1, got {session_turns}")
        self.work_dir = Path(work_dir)
        self.session_turns = session_turns
        self.versions_kept = versions_kept
        self.read_cache = read_cache or ReadCachePolicy()
        self.turns = turns
        self.policy = policy or IndexPolicy()
        self.seed = seed
        self.reuse = reuse
        self.progress = progress or (lambda iterable, **_: iterable)
        self.profiler = profiler
        self.ingest_sample = ingest_sample
        self.turn_ingest = turn_ingest
        self.recall_queries = recall_queries
        messages = turn_messages()
        if turns + WARMUP > len(messages):
            raise ValueError(f"turns={turns} is more than the {len(messages) - WARMUP} distinct messages available")
        self.messages = messages[WARMUP : WARMUP + turns]
        self.warmup = messages[:WARMUP]

    def run(self, sizes: list[int]) -> LatencyReport:
        """Measure every size, smallest first."""
        report = LatencyReport(
            machine=machine(),
            turns=self.turns,
            session_turns=self.session_turns,
            versions_kept=self.versions_kept,
            policy=self.policy.model_dump(),
            read_cache=self.read_cache.model_dump(),
        )
        for index, size in enumerate(sorted(sizes)):
            last = index == len(sizes) - 1
            report.results.append(self.run_size(size, self.profiler if last else None))
        return report

    def services(self, data_dir: Path) -> Services:
        # the services' own maintainer runs during the turns only, not while the fill builds indexes
        config = TierMemConfig(
            data_dir=str(data_dir),
            maintenance=self.policy.model_copy(update={"background": False}),
            read_cache=self.read_cache,
        )
        chat = GenericFakeChatModel(messages=repeat(AIMessage(content="ok")))
        return Services(config, chat_model=chat)

    def fill(self, services: Services, size: int) -> dict[str, float]:
        """Bulk-load one size (or reuse an earlier fill), then build the indexes it needs."""
        marker = Path(services.config.data_dir) / "bench-fill.json"
        stats = json.loads(marker.read_text()) if self.reuse and marker.exists() else {}
        if not stats:
            total = size + max(size // 10, MIN_OTHERS)
            items = self.progress(fill_items(services, size, self.seed), total=total, desc=f"fill {size:,}", unit="row")
            stats["fill_per_s"] = bulk_import(services.store, items, batch_size=8192, index=False).per_second
        start = time.perf_counter()
        built = maintain(services.store, self.policy)
        if any(table.created for table in built.tables) or "index_s" not in stats:
            stats["index_s"] = round(time.perf_counter() - start, 1)
        with warnings.catch_warnings():  # nothing else reads these tables: drop every old version
            warnings.simplefilter("ignore", UserWarning)
            maintain(services.store, self.policy.model_copy(update={"keep_versions_for_s": 0.0}), force=True)
        stats["disk_bytes"] = _disk_bytes(Path(services.config.data_dir))
        marker.write_text(json.dumps(stats))
        return stats

    def run_size(self, size: int, profiler: AbstractContextManager[Any] | None) -> SizeResult:
        """Fill (or reuse) the store of one size and measure it."""
        data_dir = self.work_dir / f"n{size}"
        if not self.reuse and data_dir.exists():
            shutil.rmtree(data_dir)
        services = self.services(data_dir)
        fill = self.fill(services, size)
        store = services.store
        versions = {tier: store.table(tier).version for tier in ("short", "mid", "long")}
        for tier, version in versions.items():  # a tag keeps the maintainer's cleanups off the fill's version
            if FILL_TAG in store.table(tier).tags.list():
                store.table(tier).tags.delete(FILL_TAG)
            store.table(tier).tags.create(FILL_TAG, version)
            self._keep_versions(store.table(tier).to_lance(), tier)
        # the fill's sessions become episodes before the turns, as the first turn once made them all (a
        # turn now takes a bounded share: they would spill into the measured turns)
        services.consolidator.consolidate(TARGET, synthetic.BENCH_NOW, max_rows=size)
        graph = build_graph(services=services)
        base_config = {"user_id": TARGET, "now": synthetic.BENCH_NOW.isoformat()}
        for i, text in enumerate(self.warmup[:-1]):
            graph.invoke({"messages": [("user", text)]}, {"configurable": {**base_config, "thread_id": f"w{i}"}})
        services.close()  # a restart: the last warm-up turn is the first of a process with nothing in memory
        services = self.services(data_dir)
        store, graph = services.store, build_graph(services=services)
        start = time.perf_counter()
        graph.invoke({"messages": [("user", self.warmup[-1])]}, {"configurable": {**base_config, "thread_id": "w"}})
        first_turn = (time.perf_counter() - start) * 1000
        store.read_cache.wait_for_loads()  # the turns measure a namespace held in memory, as it is once loaded
        overhead, cpu, retrieval, baseline = [], [], [], []
        nodes: dict[str, list[float]] = {}
        largest = max(("short", "mid", "long"), key=lambda t: store.table(t).count_rows())
        with services.maintainer, profiler or nullcontext():
            for i, text in enumerate(self.progress(self.messages, desc=f"turns {size:,}", unit="turn")):
                now = synthetic.BENCH_NOW + timedelta(seconds=i)
                thread = f"t{i // self.session_turns}"
                config = {"configurable": {**base_config, "thread_id": thread, "now": now.isoformat()}}
                start, cpu_start = time.perf_counter(), time.process_time()
                out = graph.invoke({"messages": [("user", text)]}, config)
                total = (time.perf_counter() - start) * 1000
                cpu.append((time.process_time() - cpu_start) * 1000)
                events = {e["node"]: float(e["ms"]) for e in out["trace"]}
                overhead.append(total - events.get("generate", 0.0))
                retrieval.append(events.get("retrieve", 0.0))
                for node, ms in events.items():
                    nodes.setdefault(node, []).append(ms)
                baseline.append(self._baseline(services, largest, text))
        turn_rate = self._turn_ingest(graph, base_config)
        ingest = self._bulk_ingest(services)
        recall, score_ratio, ties = self._recall(services)
        for tier, version in versions.items():  # leave a reusable fill as it was
            store.table(tier).restore(version)
            store.table(tier).tags.delete(FILL_TAG)
        rows = store.count()
        return SizeResult(
            size=size, total_rows=rows, p50_ms=percentile(overhead, 50), p95_ms=percentile(overhead, 95),
            p99_ms=percentile(overhead, 99), first_turn_ms=round(first_turn, 1), cpu_p50_ms=percentile(cpu, 50),
            retrieval_p50_ms=percentile(retrieval, 50), retrieval_p95_ms=percentile(retrieval, 95),
            baseline_search_p50_ms=percentile(baseline, 50), baseline_search_p95_ms=percentile(baseline, 95),
            overhead_ratio_p50=round(percentile(overhead, 50) / max(percentile(baseline, 50), 1e-9), 2),
            nodes_p50_ms={node: percentile(ms, 50) for node, ms in nodes.items()},
            ingest_per_s=ingest, fill_per_s=fill["fill_per_s"], turn_ingest_per_s=turn_rate,
            index_s=fill["index_s"], recall_at_10=round(recall, 4), score_ratio_at_10=round(score_ratio, 4),
            tie_recall_at_10=round(ties, 4),
            disk_bytes_per_1k=round(fill["disk_bytes"] / rows * 1000),
            peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            load_avg=round(os.getloadavg()[0], 2),
            read_cache_rows=store.read_cache.rows_held, read_cache_loads=store.read_cache.loads,
        )  # fmt: skip

    def _keep_versions(self, dataset: Any, tier: str) -> None:
        """Add :attr:`versions_kept` versions to the table that change no row (config updates),
        as the versions the maintainer keeps until its cleanup leave it."""
        for i in self.progress(range(self.versions_kept), desc=f"versions {tier}", unit="version"):
            dataset.update_config({"tiermem.bench.version": str(i)})

    def _baseline(self, services: Services, tier: str, text: str) -> float:
        vector = services.embedder.encode_one(text)  # cached by the turn: times the search only
        start = time.perf_counter()
        query = services.store.table(tier).search(vector, vector_column_name="vector").distance_type("cosine")
        query.where(f.eq("namespace", TARGET), prefilter=True).limit(10).to_arrow()
        return (time.perf_counter() - start) * 1000

    def _turn_ingest(self, graph: Any, base_config: dict[str, Any]) -> float:
        texts = self.messages[: self.turn_ingest]
        start = time.perf_counter()
        for i, text in enumerate(texts):
            config = {"configurable": {**base_config, "thread_id": f"i{i}", "respond": False}}
            graph.invoke({"messages": [("user", f"{text} ({i})")]}, config)
        return round(len(texts) / (time.perf_counter() - start), 1)

    def _bulk_ingest(self, services: Services) -> float:
        stream = f"ingest-{services.store.count(TARGET)}"  # texts new to the embedding cache
        records = synthetic.records(self.seed, stream, 0, self.ingest_sample, TARGET)
        return bulk_import(services.store, records, index=False).per_second

    def _recall(self, services: Services) -> tuple[float, float, float]:
        """Recall@10 of the store's vector search against exact search, its score ratio, and
        its recall counting ties."""
        store, now = services.store, synthetic.BENCH_NOW
        exact, approximate, ratios, ties = [], [], [], []
        for text in self.messages[: self.recall_queries]:
            vector = services.embedder.encode_one(text)
            best = store.vector_search(TARGET, vector, k=10, now=now, exact=True)[:10]
            found = store.vector_search(TARGET, vector, k=10, now=now)[:10]
            exact.append([h.record.id for h in best])
            approximate.append([h.record.id for h in found])
            ties.append(tie_recall([1.0 - h.score for h in best], [1.0 - h.score for h in found]))
            if best and found:
                ratios.append(float(np.mean([h.score for h in found]) / np.mean([h.score for h in best])))
        score_ratio = float(np.mean(ratios)) if ratios else float("nan")
        return recall_at_k(exact, approximate), score_ratio, float(np.mean(ties)) if ties else float("nan")
