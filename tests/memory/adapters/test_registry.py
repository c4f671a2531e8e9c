"""Adapter registry: durable versions, atomic promotion, rollback, corruption never loaded."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tiermem.memory.adapters.registry import POINTER, AdapterRegistry
from tiermem.memory.errors import AdapterCorruptError, ConfigError, InvalidNamespaceError, NotFoundError


def write_adapter(folder: Path, payload: bytes = b"weights") -> None:
    """The two files peft writes, with recognisable content."""
    (folder / "adapter_config.json").write_text(json.dumps({"r": 4}))
    (folder / "adapter_model.safetensors").write_bytes(payload)


def saved(registry: AdapterRegistry, namespace: str = "alice", *, passed: bool = True, payload: bytes = b"w"):
    return registry.save(
        namespace, lambda folder: write_adapter(folder, payload), passed=passed, metrics={"exact_recall": 1.0}
    )


def test_save_is_not_active_until_promoted(tmp_path: Path) -> None:
    registry = AdapterRegistry(tmp_path)
    version = saved(registry)
    assert version.version == "v0001" and registry.active("alice") is None
    registry.promote("alice", "v0001")
    active = registry.active("alice")
    assert active is not None and active.version == "v0001" and active.active
    assert (active.path / "adapter_model.safetensors").read_bytes() == b"w"
    assert registry.describe()[0] | {"created_at": None} == {
        "namespace": "alice",
        "version": "v0001",
        "active": True,
        "intact": True,
        "passed": True,
        "created_at": None,
        "reasons": [],
        "exact_recall": 1.0,
    }


def test_failed_write_leaves_nothing(tmp_path: Path) -> None:
    registry = AdapterRegistry(tmp_path)

    def broken(folder: Path) -> None:
        write_adapter(folder)
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        registry.save("alice", broken, passed=True)
    assert registry.versions("alice") == []
    assert [p.name for p in (tmp_path / "alice").iterdir() if not p.name.startswith(".lock")] == []


_HANGING_WRITER = """
import sys, time
from pathlib import Path
from tiermem.memory.adapters.registry import AdapterRegistry

def hang(folder):
    (folder / "adapter_config.json").write_text("{}")
    print("writing", flush=True)
    time.sleep(60)

AdapterRegistry(Path(sys.argv[1])).save("alice", hang, passed=True)
"""


def test_killed_writer_never_yields_a_version(tmp_path: Path) -> None:
    registry = AdapterRegistry(tmp_path)
    saved(registry)
    registry.promote("alice", "v0001")
    proc = subprocess.Popen([sys.executable, "-c", _HANGING_WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert [p.name for p in (tmp_path / "alice").glob(".staging-*")]  # the half-written folder is there
    assert [v.version for v in registry.versions("alice")] == ["v0001"]
    assert registry.active("alice").version == "v0001"
    assert saved(registry).version == "v0002"


def test_folder_without_manifest_is_never_listed_or_loaded(tmp_path: Path) -> None:
    registry = AdapterRegistry(tmp_path)
    saved(registry)
    stray = tmp_path / "alice" / "v0002"
    stray.mkdir()
    write_adapter(stray)
    assert [v.version for v in registry.versions("alice")] == ["v0001"]
    with pytest.raises(AdapterCorruptError, match="no readable manifest.json"):
        registry.promote("alice", "v0002")
    assert registry.active("alice") is None


def test_corrupted_active_adapter_is_refused_and_rollback_skips_it(tmp_path: Path) -> None:
    registry = AdapterRegistry(tmp_path)
    for payload in (b"one", b"two"):
        version = saved(registry, payload=payload)
        registry.promote("alice", version.version)
    (tmp_path / "alice" / "v0002" / "adapter_model.safetensors").write_bytes(b"tampered")
    with pytest.raises(AdapterCorruptError, match="does not match its manifest"):
        registry.active("alice")
    assert registry.rollback("alice").version == "v0001"
    assert registry.active("alice").version == "v0001"


def test_missing_weights_file_is_corruption(tmp_path: Path) -> None:
    registry = AdapterRegistry(tmp_path)
    saved(registry)
    (tmp_path / "alice" / "v0001" / "adapter_model.safetensors").unlink()
    with pytest.raises(AdapterCorruptError):
        registry.get("alice", "v0001")


def test_rejected_versions_need_force(tmp_path: Path) -> None:
    registry = AdapterRegistry(tmp_path)
    registry.save("alice", write_adapter, passed=False, reasons=["paraphrase recall 0.20 < 0.90"])
    with pytest.raises(ConfigError, match=r"failed the evaluation gate \(paraphrase recall 0.20 < 0.90\)"):
        registry.promote("alice", "v0001")
    assert registry.promote("alice", "v0001", force=True).active


def test_rollback_walks_back_the_promotion_history(tmp_path: Path) -> None:
    registry = AdapterRegistry(tmp_path)
    for _ in range(3):
        registry.promote("alice", saved(registry).version)
    assert registry.rollback("alice").version == "v0002"
    assert registry.rollback("alice").version == "v0001"
    assert registry.rollback("alice") is None and registry.active("alice") is None
    assert registry.rollback("alice", to="v0003").version == "v0003"
    with pytest.raises(NotFoundError, match="known: v0001, v0002, v0003"):
        registry.rollback("alice", to="v0009")


def test_purge_removes_versions_from_disk_and_history(tmp_path: Path) -> None:
    registry = AdapterRegistry(tmp_path)
    for _ in range(2):
        registry.promote("alice", saved(registry).version)
    assert registry.purge("alice", ["v0002", "v0007"]) == ["v0002"]
    assert not (tmp_path / "alice" / "v0002").exists()
    assert registry.active("alice") is None  # the active version was purged: base model
    assert registry.rollback("alice").version == "v0001"
    assert saved(registry).version == "v0003"  # never reused: caches key on the name


def test_namespaces_are_isolated(tmp_path: Path) -> None:
    registry = AdapterRegistry(tmp_path)
    registry.promote("alice", saved(registry, "alice").version)
    saved(registry, "bob")
    assert registry.namespaces() == ["alice", "bob"]
    assert registry.active("bob") is None
    with pytest.raises(InvalidNamespaceError):
        registry.versions("../alice")


def test_unreadable_pointer_names_the_fix(tmp_path: Path) -> None:
    registry = AdapterRegistry(tmp_path)
    registry.promote("alice", saved(registry).version)
    (tmp_path / "alice" / POINTER).write_text("{not json")
    with pytest.raises(AdapterCorruptError, match="tiermem adapters rollback alice --to VERSION"):
        registry.active("alice")


def test_the_fix_an_unreadable_pointer_names_works_and_other_users_list(tmp_path: Path) -> None:
    registry = AdapterRegistry(tmp_path)
    first = saved(registry).version
    registry.promote("alice", first)
    registry.promote("carol", saved(registry, "carol").version)
    (tmp_path / "carol" / POINTER).write_text("{not json")
    listed = {(row["namespace"], row["version"]): row["active"] for row in registry.describe()}
    assert listed == {("alice", first): True, ("carol", "v0001"): False}  # carol's damage breaks no listing
    assert registry.rollback("carol", to="v0001").version == "v0001"  # the fix the error names
    assert registry.active_name("carol") == "v0001"
    assert registry.purge("carol", ["v0001"]) == ["v0001"]  # and a forget's purge never stops at it


def _save_many(root: str, count: int) -> list[str]:
    registry = AdapterRegistry(Path(root))
    return [saved(registry, payload=os.urandom(64)).version for _ in range(count)]


def test_concurrent_writers_get_distinct_versions(tmp_path: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.starmap(_save_many, [(str(tmp_path), 4)] * 2)
    names = [n for r in results for n in r]
    assert len(set(names)) == 8
    registry = AdapterRegistry(tmp_path)
    assert all(registry.get("alice", n) for n in names)


def test_pointer_write_is_atomic(tmp_path: Path) -> None:
    registry = AdapterRegistry(tmp_path)
    registry.promote("alice", saved(registry).version)
    before = time.time()
    registry.promote("alice", saved(registry).version)
    leftovers = [p for p in (tmp_path / "alice").iterdir() if p.name.startswith("tmp")]
    assert leftovers == [] and (tmp_path / "alice" / POINTER).stat().st_mtime >= before - 1


def test_rolling_back_a_namespace_without_adapters_makes_nothing(tmp_path: Path) -> None:
    registry = AdapterRegistry(tmp_path)
    assert registry.rollback("nobody") is None
    with pytest.raises(NotFoundError):
        registry.rollback("nobody", to="v0001")
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_version_counter_numbers_after_the_stored_versions(tmp_path: Path) -> None:
    registry = AdapterRegistry(tmp_path)
    saved(registry)
    saved(registry)
    (tmp_path / "alice" / ".last-version").write_text("garbage")
    assert saved(registry).version == "v0003"  # saving goes on (a ValueError failed every later job)


def test_one_users_listing_reads_no_other_users_files(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    registry = AdapterRegistry(tmp_path)
    registry.promote("alice", saved(registry).version)
    registry.promote("carol", saved(registry, "carol").version)
    (tmp_path / "carol" / POINTER).write_text("{not json")
    with caplog.at_level("WARNING"):
        rows = registry.describe("alice")
    assert [(r["namespace"], r["version"], r["active"]) for r in rows] == [("alice", "v0001", True)]
    assert not caplog.records  # carol's damaged pointer is carol's business
