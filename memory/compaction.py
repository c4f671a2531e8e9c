"""Compaction with a bounded rewrite: merge small data files, never rewrite the whole table.

LanceDB writes one small data file per commit. ``Table.optimize()`` compacts with
Lance's default target of about a million rows per file, so every file below that
size is a candidate and each pass rewrites nearly the whole table (measured: 205 MB
and 1.1-1.5 s to merge four one-row files into a 100k-row table). Here compaction
runs through Lance itself with a small target, so a pass merges the small files into
at most one partial file of ``target_rows`` and leaves full files alone (4-40 ms
for the same table), then adds the new rows to every index and drops old versions.

Lance adds new rows to a vector index as a new *segment* (a delta index), and it
only merges data files that the same segments cover. Left alone, every pass would
leave one more segment and one more small file that no later pass can merge: after
100 turns on the latency benchmark's 10k store the facts table had 7 segments and
16 files, and its vector search took 16 ms against 8 ms compacted. So each pass
rebuilds the newest small segments together with the new rows
(:func:`segments_to_merge`, size-tiered: few segments, each row rebuilt a few times)
and then merges the files that the indexes now cover alike.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import timedelta

import lance
import lancedb


def segments_to_merge(sizes: Sequence[int], new_rows: int, merge_rows: int) -> int:
    """How many of a vector index's newest segments to rebuild together with its ``new_rows``.

    Walking from the newest segment back, a segment joins while it holds at
    most ``merge_rows`` rows or no more than the rows gathered so far, so
    segment sizes grow geometrically and a table keeps a logarithmic number of
    them. The first segment (the trained index) is only replaced by a retrain.

    Args:
        sizes: rows per segment, oldest first (Lance's ``num_indexed_rows_per_delta``).
        new_rows: rows no segment covers yet.
        merge_rows: segments this small are always merged.
    """
    gathered, merged = new_rows, 0
    for size in reversed(sizes[1:]):
        if size > max(merge_rows, gathered):
            break
        gathered += size
        merged += 1
    return merged


def compact_table(
    table: lancedb.table.Table,
    *,
    target_rows: int,
    keep_versions_for: timedelta | None,
    merge_rows: int,
    reindex: Collection[str],
    on_unchanged: Callable[[list[int]], object] | None = None,
) -> None:
    """Merge ``table``'s small files up to ``target_rows`` rows each, update the indexes named in
    ``reindex`` (rebuilding the vector index's small newest segments, see
    :func:`segments_to_merge`), and delete versions older than ``keep_versions_for`` (``None``:
    leave the versions; a cleanup lists every version file, 100-140 ms with the ~900 an hour of
    turns leaves).

    An index update costs about the same for four new rows as for thousands (the seven
    indexes of a 55k-row table: 60-120 ms of CPU, and the merge of the files they then cover
    alike 60-100 ms more), while a search reads the rows an index misses directly; so a
    pass that finds only small files merges those (the ones no index covers merge among
    themselves, 5-8 ms) and leaves the indexes out of ``reindex`` until they miss enough rows
    (:func:`~tiermem.memory.maintenance.indexes_behind`).

    Each step commits on its own; a step that loses a commit race raises the
    "Retryable commit conflict" error of LanceDB and can simply be run again.

    ``on_unchanged`` is told the versions each file merge committed as soon as it has
    committed them (each keeps every row as it was: the store's
    :class:`~tiermem.memory.fact_heads.FactHeads` follow them without a reload).
    """
    noted = on_unchanged or (lambda versions: None)
    dataset = table.to_lance()
    dataset = dataset.checkout_version(dataset.latest_version)  # a retry starts from the version that won
    noted(_compact_files(dataset, target_rows))
    indices = [index for index in dataset.list_indices() if index["name"] in reindex]
    vectors = [index["name"] for index in indices if index["fields"] == ["vector"]]
    others = [index["name"] for index in indices if index["name"] not in vectors]
    if others:
        dataset.optimize.optimize_indices(index_names=others)
    for name in vectors:
        stats = dataset.stats.index_stats(name)
        run = segments_to_merge(stats["num_indexed_rows_per_delta"], stats["num_unindexed_rows"], merge_rows)
        dataset.optimize.optimize_indices(index_names=[name], num_indices_to_merge=run)
    if indices:  # files whose rows the indexes now cover alike can be merged (Lance merges only those)
        noted(_compact_files(dataset, target_rows))
    if keep_versions_for is not None:
        # a version someone tagged stays (with the files it needs); the rest are cleaned up
        dataset.cleanup_old_versions(older_than=keep_versions_for, error_if_tagged_old_versions=False)
    table.checkout_latest()


def _compact_files(dataset: lance.LanceDataset, target_rows: int) -> list[int]:
    """Merge ``dataset``'s small files; the version of the rewrite, if one committed."""
    before = dataset.version
    dataset.optimize.compact_files(target_rows_per_fragment=target_rows, materialize_deletions=True)
    return [dataset.version] if dataset.version != before else []
