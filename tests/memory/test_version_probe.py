"""Version checks that look for the next version's manifest instead of listing every version kept."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import lance
import lancedb
import pyarrow as pa
import pytest
from tiermem.memory import version_probe
from tiermem.memory.dataset_reader import DatasetReader
from tiermem.memory.version_probe import VersionProbe, manifest_names

Work = Callable[[], None]


def table(tmp_path: Path) -> lancedb.table.Table:
    return lancedb.connect(tmp_path).create_table("t", pa.table({"id": ["r0"]}))


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


def test_no_listing_while_no_version_is_added_and_a_commit_is_seen_at_once(tmp_path: Path, listings: list[int]) -> None:
    t = table(tmp_path)
    reader = DatasetReader(lambda _: t.to_lance())
    first = reader.dataset("t").version
    listed = len(listings)
    assert [reader.dataset("t").version for _ in range(20)] == [first] * 20
    assert len(listings) == listed  # twenty checks, no listing
    other = lance.dataset(t.to_lance().uri)  # another writer: its own handle, as another process has
    for i in range(3):
        other = lance.write_dataset(pa.table({"id": [f"r{i + 1}"]}), other, mode="append")
    assert reader.dataset("t").version == first + 3  # the next check steps to it
    assert len(listings) == listed
    assert reader.count_rows("t") == 4


def test_many_commits_since_the_last_check_are_listed(
    tmp_path: Path, listings: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(version_probe, "MAX_STEPS", 2)
    t = table(tmp_path)
    reader = DatasetReader(lambda _: t.to_lance())
    first = reader.dataset("t").version
    other = lance.dataset(t.to_lance().uri)
    for i in range(4):
        other = lance.write_dataset(pa.table({"id": [f"r{i + 1}"]}), other, mode="append")
    listed = len(listings)
    assert reader.dataset("t").version == first + 4
    assert len(listings) == listed + 1  # more than MAX_STEPS since: one listing rather than many looks


def test_an_own_commit_needs_no_listing(tmp_path: Path, listings: list[int]) -> None:
    t = table(tmp_path)
    reader = DatasetReader(lambda _: t.to_lance())
    held = reader.dataset("t")
    written = lance.write_dataset(pa.table({"id": ["r1"]}), held, mode="append")
    reader.advance("t", written)
    listed = len(listings)
    assert reader.dataset("t").version == written.version
    reader.advance("t", held)  # an older handle never replaces a newer one
    assert reader.dataset("t").version == written.version
    assert len(listings) == listed


@pytest.mark.parametrize("v2_names", [True, False])
def test_commits_in_quick_succession_are_each_seen_under_either_naming(tmp_path: Path, v2_names: bool) -> None:
    uri = str(tmp_path / "t.lance")
    other = lance.write_dataset(pa.table({"id": ["r0"]}), uri, enable_v2_manifest_paths=v2_names)
    reader = DatasetReader(lambda _: lance.dataset(uri))
    assert reader.dataset("t").version == other.version
    for i in range(30):  # each right after the check before it
        other = lance.write_dataset(pa.table({"id": [f"r{i + 1}"]}), other, mode="append")
        assert reader.dataset("t").version == other.version
    assert VersionProbe(uri).newest_from(other.version) == other.version
    assert VersionProbe(uri).newest_from(other.version - 1) == other.version


def test_readers_end_at_the_writers_last_version(
    tmp_path: Path,
    run_writers_and_readers: Callable[[Sequence[Work], Sequence[Work], threading.Event], None],
) -> None:
    t = table(tmp_path)
    reader = DatasetReader(lambda _: t.to_lance())
    uri = t.to_lance().uri
    done = threading.Event()

    def write() -> None:
        handle = lance.dataset(uri)
        for i in range(40):
            handle = lance.write_dataset(pa.table({"id": [f"w{i}"]}), handle, mode="append")

    def read() -> None:
        while not done.is_set():
            reader.dataset("t")

    run_writers_and_readers([write], [read, read], done)
    assert reader.dataset("t").version == lance.dataset(uri).latest_version
    assert reader.count_rows("t") == 41


def test_when_it_cannot_tell_every_check_lists(tmp_path: Path) -> None:
    assert VersionProbe("s3://bucket/t.lance").newest_from(3) is None  # not a local folder
    folder = tmp_path / "t.lance" / "_versions"
    folder.mkdir(parents=True)
    (folder / "3.manifest-in-a-future-scheme").write_text("")
    assert VersionProbe(str(tmp_path / "t.lance")).newest_from(3) is None  # no manifest of 3 under a known name
    for name in manifest_names(3):
        (folder / name).write_text("")
        assert VersionProbe(str(tmp_path / "t.lance")).newest_from(3) == 3
        (folder / name).unlink()
