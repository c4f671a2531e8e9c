"""Newest fact versions picked from light rows match the full ordering."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pyarrow as pa
import pytest
from tiermem.memory import reads
from tiermem.memory.records import Fact, MemoryRecord
from tiermem.memory.store import TierStore
from tiermem.memory.versions import current_value, held_values, holds_several, newest_ids, value_items

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def fact_record(tier: str, attribute: str, value: str, observed_days: int, created_days: int) -> MemoryRecord:
    fact = Fact(attribute=attribute, value=value, observed_at=T0 + timedelta(days=observed_days))
    return MemoryRecord(
        namespace="alice",
        tier=tier,
        text=f"{attribute} is {value}",
        kind="fact",
        fact=fact,
        created_at=T0 + timedelta(days=created_days),
    )


def test_newest_ids_orders_by_observation_then_write_then_the_later_id() -> None:
    day = [T0 + timedelta(days=d) for d in range(4)]
    rows = pa.table(
        {
            "id": ["a1", "b1", "a2", "a3", "b2", "a4"],
            "key": ["a", "b", "a", "a", "b", "a"],
            "observed_at": [day[1], day[0], None, day[3], day[0], day[3]],
            "created_at": [day[1], day[0], day[2], day[0], day[1], day[0]],
        }
    )
    assert newest_ids(rows, 10) == ["a4", "a3", "a2", "a1", "b2", "b1"]
    assert newest_ids(rows, 1) == ["a4", "b2"]
    assert newest_ids(rows.slice(0, 0), 3) == []


@pytest.mark.parametrize("window_days", [None, 3.0, 0.01])
@pytest.mark.parametrize("versions", [1, 2, 3, 6])
def test_latest_facts_with_a_version_cap_is_the_head_of_the_full_history(
    store: TierStore, versions: int, window_days: float | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the in-memory fact heads and from the tables; from the tables also keys read
    from a recent window (``window_days``): one that holds enough
    versions (3 days), and one too narrow, where every version is looked at."""
    if window_days is not None:
        monkeypatch.setattr(reads, "HOT_VERSIONS", 5)
        monkeypatch.setattr(reads, "RECENT_WINDOW", timedelta(days=window_days))
    rng = np.random.default_rng(versions)
    records = []
    for i in range(60):
        attribute = ("weight", "sleep", "lives_in")[i % 3]
        # many ties: observed and created days from a small range, in both fact tiers
        records.append(
            fact_record(
                ("mid", "long")[int(rng.integers(2))], attribute, f"v{i}", int(rng.integers(5)), int(rng.integers(3))
            )
        )
    store.write(records, np.tile(np.eye(1, store.embedder.dim, dtype=np.float32), (len(records), 1)))
    keys = ["user.weight", "user.sleep", "user.lives_in", "user.unknown"]
    now = T0 + timedelta(days=5)
    full = store.latest_facts("alice", keys, now=now)
    from_heads = store.latest_facts("alice", keys, now=now, versions=versions)
    monkeypatch.setattr(store._fact_heads, "depth", 0)  # every key read from the tables
    store.latest_facts("alice", keys, now=now, versions=versions)  # learns which keys are hot
    assert bool(store._hot_keys) == (window_days is not None)
    capped = store.latest_facts("alice", keys, now=now, versions=versions)
    assert set(capped) == set(from_heads) == set(full) == {"user.weight", "user.sleep", "user.lives_in"}
    for key, history in full.items():
        assert [r.id for r in capped[key]] == [r.id for r in from_heads[key]] == [r.id for r in history[:versions]]


@pytest.mark.parametrize(
    ("value", "items"),
    [
        ("eggs and peanuts", ["eggs", "peanuts"]),
        ("peanuts, shellfish and penicillin", ["peanuts", "shellfish", "penicillin"]),
        ("no longer asthma or eczema", ["no longer asthma", "no longer eczema"]),
        ("高血压和糖尿病", ["高血压", "糖尿病"]),
        ("Crohn's disease", ["Crohn's disease"]),
    ],
)
def test_a_value_said_as_a_list_is_its_items(value: str, items: list[str]) -> None:
    assert value_items(value) == items


def test_an_item_of_a_list_ends_on_its_own() -> None:
    assert held_values("allergy", ["no longer eggs", "eggs and peanuts"]) == ["peanuts"]
    assert current_value("condition", ["no longer asthma or eczema", "asthma, eczema and gout"]) == "gout"
    assert current_value("condition", ["no longer 哮喘", "高血压和哮喘"]) == "高血压"
    assert current_value("allergy", ["no longer eggs", "eggs"]) == "no longer eggs"  # all ended: the newest
    assert held_values("weight", ["45 kg", "47 kg"]) == ["45 kg"]  # one value: the newest


def test_pets_of_one_kind_are_held_together_and_end_by_name_or_all_at_once() -> None:
    """A second dog adds to the first; "no longer Rex" ends Rex alone; "no longer has a dog" (the
    dog died, no name said) ends every dog told before it, not one told after."""
    assert current_value("dog", ["Bella", "Rex"]) == "Bella, Rex"
    assert current_value("cat", ["Pepper", "Luna and Milo"]) == "Pepper, Luna, Milo"
    assert current_value("cat", ["no longer Milo", "Pepper", "Luna and Milo"]) == "Pepper, Luna"
    assert current_value("dog", ["no longer has a dog", "Bella", "Rex"]) == "no longer has a dog"
    assert current_value("dog", ["Max", "no longer has a dog", "Rex"]) == "Max"
    assert current_value("spouse", ["Ann", "Kim"]) == "Ann"  # one spouse: the newest
    assert holds_several("Bella, Rex") and not holds_several("Rex") and not holds_several("no longer Rex, Max")


def test_medicines_are_held_together_and_a_new_dose_replaces_the_old() -> None:
    """Vitamin D does not end metformin; "metformin 1000mg" is metformin's new dose; "no longer
    metformin" ends it whatever dose was said."""
    newest_first = ["metformin 1000mg", "vitamin D", "metformin 500mg twice a day"]
    assert current_value("medication", newest_first) == "metformin 1000mg, vitamin D"
    assert current_value("medication", ["no longer metformin", *newest_first]) == "vitamin D"
    assert current_value("medication", ["二甲双胍 1000毫克", "二甲双胍 500毫克"]) == "二甲双胍 1000毫克"
    assert current_value("medication", ["10mg of Lexapro", "20mg of Lexapro"]) == "10mg of Lexapro"  # dose first
    assert current_value("medication", ["no longer Lexapro", "20mg of lexapro", "vitamin D"]) == "vitamin D"
