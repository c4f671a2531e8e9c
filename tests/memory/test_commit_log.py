"""The log of own commits that in-memory copies of table rows replay."""

from __future__ import annotations

import threading
from pathlib import Path

import lance
import pyarrow as pa
from tiermem.memory.commit_log import CommitLog, operation


def dataset_with_versions(path: Path) -> lance.LanceDataset:
    """Version 1 creates, 2 appends, 3 deletes, then a compaction keeps every row (its
    fragment-id reservation and its rewrite)."""
    dataset = lance.write_dataset(pa.table({"id": [1, 2]}), path)
    dataset = lance.write_dataset(pa.table({"id": [3]}), dataset, mode="append")
    dataset.delete("id = 1")
    dataset = lance.dataset(path)
    dataset.optimize.compact_files()
    return lance.dataset(path)


def test_noted_commits_are_replayed_and_row_keeping_ones_passed_over(tmp_path: Path) -> None:
    dataset = dataset_with_versions(tmp_path / "t.lance")
    assert [operation(dataset, v) for v in (2, 3)] == ["Append", "Delete"]
    assert operation(dataset, dataset.version) == "Rewrite"
    log: CommitLog[str] = CommitLog()
    log.note("t", 2, "appended 3", rows=1)
    log.note("t", 3, "deleted 1", rows=1)
    assert log.follow("t", dataset, known=1) == ["appended 3", "deleted 1"]  # the compaction keeps every row
    assert log.follow("t", dataset, known=1) is None  # let go of: the delete is no longer known


def test_a_commit_neither_noted_nor_row_keeping_cannot_be_followed(tmp_path: Path) -> None:
    dataset = dataset_with_versions(tmp_path / "t.lance")
    log: CommitLog[str] = CommitLog()
    log.note("t", 2, "appended 3")
    assert log.follow("t", dataset, known=1) is None
    assert log.follow("t", dataset, known=3) == []


def test_the_log_says_when_it_holds_too_many_rows() -> None:
    log: CommitLog[str] = CommitLog(max_pending=5)
    assert log.note("t", 2, "three rows", rows=3)
    assert log.note_unchanged("u", [7, 8])
    assert not log.note("t", 3, "two more rows", rows=2)  # 3 + 1 + 1 + 2 = 7 > 5
    assert not log.note("t", 4, "one more", rows=1)
    log.forget("t")
    assert log.note("t", 5, "fits again", rows=3)  # 2 (the two unchanged) + 3
    log.clear()
    assert log.note("t", 6, "five rows", rows=5)


def test_reading_an_operation_leaves_other_threads_on_the_same_dataset_alone(tmp_path: Path) -> None:
    """pylance's ``read_transaction`` borrows its dataset mutably: on a shared handle another
    thread's read failed with ``RuntimeError: Already mutably borrowed``."""
    dataset = dataset_with_versions(tmp_path / "t.lance")
    errors: list[Exception] = []

    def read() -> None:
        for _ in range(300):
            try:
                dataset.to_table(filter="id < 3")
            except RuntimeError as error:
                errors.append(error)

    reader = threading.Thread(target=read)
    reader.start()
    for _ in range(300):
        operation(dataset, 2)
    reader.join()
    assert not errors, errors[:1]


def test_a_pinned_tables_changes_are_kept_until_the_last_load_ends(tmp_path: Path) -> None:
    """A load in flight pins its table: the changes other reads move past are kept for it."""
    dataset = dataset_with_versions(tmp_path / "t.lance")
    log: CommitLog[str] = CommitLog()
    log.note("t", 2, "appended 3")
    log.note("t", 3, "deleted 1")
    log.pin("t")
    log.pin("t")
    assert log.follow("t", dataset, known=1) == ["appended 3", "deleted 1"]  # another read moves on
    log.unpin("t")
    assert log.pinned("t")
    assert log.follow("t", dataset.checkout_version(3), known=2) == ["deleted 1"]  # the load catches up
    log.unpin("t")
    assert not log.pinned("t")
    assert log.follow("t", dataset, known=1) is None  # let go of once no load needs them
