"""Version checks that skip listing a table's versions while its ``_versions`` folder has not changed."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import lance
import lancedb
import pyarrow as pa
import pytest
from tiermem.memory.dataset_reader import DatasetReader
from tiermem.memory.version_probe import MARGIN_NS, VersionProbe

Work = Callable[[], None]


def table(tmp_path: Path) -> lancedb.table.Table:
    return lancedb.connect(tmp_path).create_table("t", pa.table({"id": ["r0"]}))


def settle() -> None:
    """Wait until the folder's last change is old enough to be trusted."""
    time.sleep(2 * MARGIN_NS / 1e9)


@pytest.fixture
def listings(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts every listing of a table's versions (``LanceDataset.latest_version``)."""
    calls: list[int] = []
    original = lance.LanceDataset.latest_version

    def counted(self: lance.LanceDataset) -> int:
        calls.append(1)
        return original.fget(self)  # type: ignore[attr-defined,no-any-return]

    monkeypatch.setattr(lance.LanceDataset, "latest_version", property(counted))
    return calls


def test_no_listing_while_no_version_was_added_and_a_commit_is_seen_at_once(
    tmp_path: Path, listings: list[int]
) -> None:
    t = table(tmp_path)
    reader = DatasetReader(lambda _: t.to_lance())
    settle()
    first = reader.dataset("t").version
    listed = len(listings)
    assert [reader.dataset("t").version for _ in range(20)] == [first] * 20
    assert len(listings) == listed  # twenty checks, no listing
    other = lance.dataset(t.to_lance().uri)  # another writer: its own handle, as another process has
    lance.write_dataset(pa.table({"id": ["r1"]}), other, mode="append")
    assert reader.dataset("t").version == first + 1  # the next check sees it, however soon
    assert reader.count_rows("t") == 2


def test_commits_in_quick_succession_are_each_seen(tmp_path: Path) -> None:
    t = table(tmp_path)
    reader = DatasetReader(lambda _: t.to_lance())
    other = lance.dataset(t.to_lance().uri)
    for i in range(30):  # each right after the check before it: the folder's time is never trusted
        other = lance.write_dataset(pa.table({"id": [f"r{i + 1}"]}), other, mode="append")
        assert reader.dataset("t").version == other.version


def test_readers_end_at_the_writers_last_version(
    tmp_path: Path,
    run_writers_and_readers: Callable[
        [Sequence[Callable[[], None]], Sequence[Callable[[], None]], threading.Event], None
    ],
) -> None:
    t = table(tmp_path)
    reader = DatasetReader(lambda _: t.to_lance())
    uri = t.to_lance().uri
    done = threading.Event()

    def write() -> None:
        handle = lance.dataset(uri)
        for i in range(40):
            handle = lance.write_dataset(pa.table({"id": [f"w{i}"]}), handle, mode="append")
            if i % 10 == 0:
                settle()  # a quiet folder in between: checks may trust its time

    def read() -> None:
        while not done.is_set():
            reader.dataset("t")

    run_writers_and_readers([write], [read, read], done)
    assert reader.dataset("t").version == lance.dataset(uri).latest_version
    assert reader.count_rows("t") == 41


def test_times_that_cannot_be_trusted(tmp_path: Path) -> None:
    assert VersionProbe("s3://bucket/t.lance").look() is None  # not a local folder: every check lists
    folder = tmp_path / "t.lance" / "_versions"
    folder.mkdir(parents=True)
    probe = VersionProbe(str(tmp_path / "t.lance"))
    assert probe.look() is None  # changed just now: a commit in the same clock tick would not move it
    whole = (time.time_ns() // 1_000_000_000 - 5) * 1_000_000_000
    os.utime(folder, ns=(whole, whole))
    assert probe.look() is None  # whole seconds: a file system whose times are too coarse
    later = whole + 123_456_789
    os.utime(folder, ns=(later, later))
    assert probe.look() == later
    assert probe.unchanged(later)
    (folder / "2.manifest").write_text("")  # a version added: the folder's time moves
    assert not probe.unchanged(later)
    assert not VersionProbe(str(tmp_path / "missing.lance")).unchanged(later)
