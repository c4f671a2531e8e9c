import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from tiermem.memory import searches
from tiermem.memory.dataset_reader import DatasetReader
from tiermem.memory.embeddings import BaseEmbedder
from tiermem.memory.errors import EmbedderMismatchError, InvalidInputError, NotFoundError
from tiermem.memory.policies import ReadCachePolicy
from tiermem.memory.records import Fact, MemoryRecord
from tiermem.memory.store import TierStore

NOW = datetime(2024, 5, 3, 9, tzinfo=UTC)


def weight(namespace: str, kg: int, day: int) -> MemoryRecord:
    when = datetime(2024, 5, day, 8, tzinfo=UTC)
    return MemoryRecord(
        namespace=namespace,
        tier="mid",
        kind="fact",
        text=f"I weighed {kg} kg",
        created_at=when,
        fact=Fact(attribute="weight", value=f"{kg} kg", observed_at=when),
        source_ids=[f"m{day}"],
    )


def table_rows(store: TierStore) -> list[dict]:
    return [row for tier in ("short", "mid", "long") for row in store.table(tier).to_arrow().to_pylist()]


def test_write_and_search_are_scoped_to_namespace(store: TierStore, embedder: BaseEmbedder) -> None:
    store.write([weight("alice", 47, 1), weight("bob", 90, 1)])
    query = embedder.encode_one("how much do I weigh")
    alice = store.vector_search("alice", query, now=NOW)
    assert [h.record.namespace for h in alice] == ["alice"]
    assert [h.record.text for h in store.text_search("bob", "weighed", now=NOW)] == ["I weighed 90 kg"]


@pytest.fixture
def post_filtering(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, embedder: BaseEmbedder) -> TierStore:
    """A store that post-filters searches on tables of any size (it does from 2,000 rows of a
    namespace) and answers every vector search from the tables (not the read cache)."""
    monkeypatch.setattr(searches, "POSTFILTER_MIN_ROWS", 0)
    return TierStore.open(tmp_path / "lance-only", embedder, read_cache=ReadCachePolicy(enabled=False))


def test_a_namespace_that_dominates_a_table_is_post_filtered_and_stays_isolated(
    post_filtering: TierStore, embedder: BaseEmbedder
) -> None:
    store = post_filtering
    store.write([weight("alice", 40 + day, day) for day in range(1, 13)] + [weight("bob", 90, 1), weight("bob", 91, 2)])
    query = embedder.encode_one("how much do I weigh")
    later = NOW + timedelta(days=30)
    assert store._postfilter_share("mid", "alice") is not None and store._postfilter_share("mid", "bob") is None
    alice = store.vector_search("alice", query, k=5, now=later)
    exact = store.vector_search("alice", query, k=5, now=later, exact=True)
    assert [h.record.id for h in alice] == [h.record.id for h in exact]
    assert len(alice) == 5 and {h.record.namespace for h in alice} == {"alice"}
    found = store.hybrid_search("alice", query, "weighed", k=50, now=later)
    assert {h.record.namespace for hits in found for h in hits} == {"alice"}
    assert [h.record.namespace for h in store.text_search("bob", "weighed", k=50, now=later)] == ["bob", "bob"]


def test_a_post_filter_that_keeps_too_few_rows_is_run_again_with_the_pre_filter(
    post_filtering: TierStore, embedder: BaseEmbedder
) -> None:
    store = post_filtering
    """The nearest rows were written after ``now``: the post-filter drops them all."""
    store.write([weight("alice", 60, day) for day in range(20, 30)])
    store.write([weight("alice", 40 + day, day) for day in range(1, 6)] + [weight("bob", 90, 1)])
    query = embedder.encode_one("I weighed 60 kg")
    assert store._postfilter_share("mid", "alice") is not None
    found = store.vector_search("alice", query, k=4, now=datetime(2024, 5, 10, tzinfo=UTC))
    exact = store.vector_search("alice", query, k=4, now=datetime(2024, 5, 10, tzinfo=UTC), exact=True)
    assert len(found) == 4 and [h.record.id for h in found] == [h.record.id for h in exact]
    assert all(h.record.created_at.day < 10 for h in found)


def test_a_post_filtered_search_keeps_the_time_scope_and_the_extra_filter(
    post_filtering: TierStore, embedder: BaseEmbedder
) -> None:
    store = post_filtering
    """The post-filter's time scope is applied to the rows found (expired, or written after
    ``now``: left out), an ``extra`` clause by Lance; every search matches the exact one."""
    records = [weight("alice", 40 + day, day) for day in range(1, 16)] + [weight("bob", 90, 1)]
    for record in records[:5]:
        record.expires_at = record.created_at + timedelta(days=2)
    store.write(records)
    query = embedder.encode_one("I weighed 45 kg")
    now = datetime(2024, 5, 12, tzinfo=UTC)
    assert store._postfilter_share("mid", "alice") is not None
    for extra in (None, "importance >= 0"):
        found, text = store.hybrid_search("alice", query, "weighed", k=6, now=now, extra=extra)
        exact = store.vector_search("alice", query, k=6, now=now, extra=extra, exact=True)
        assert [h.record.id for h in found] == [h.record.id for h in exact]
        for hit in found + text:
            assert hit.record.namespace == "alice" and hit.record.created_at <= now
            assert hit.record.expires_at is None or hit.record.expires_at > now
        assert {h.record.id for h in text} == {r.id for r in records[5:11]}


def test_a_post_filtered_search_that_found_every_match_is_not_run_again(
    post_filtering: TierStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search that found fewer rows than it asked for found every match: the scope keeping
    fewer than ``k`` of them needs no second search. One that found as many as it asked for
    may have missed rows in scope, and is run again with the pre-filter."""
    store = post_filtering
    later = [weight("alice", 50 + day, day) for day in range(10, 20)]  # the best matches, all after NOW
    later = [r.model_copy(update={"text": f"I weighed and weighed again: {r.fact.value}"}) for r in later if r.fact]
    store.write([weight("alice", 40 + day, day) for day in range(1, 4)] + later + [weight("bob", 90, 1)])
    searches: list[int] = []
    gather = DatasetReader.gather

    def counted(self: DatasetReader, scans: list, *args: object) -> list:
        searches.extend([len(scans)] if scans else [])  # searches run together, per round trip
        return gather(self, scans, *args)

    monkeypatch.setattr(DatasetReader, "gather", counted)
    assert store._postfilter_share("mid", "alice") is not None
    every = store.text_search("alice", "weighed", k=50, now=NOW)  # 14 matches, 68 asked for
    assert sorted(h.record.created_at.day for h in every) == [1, 2, 3] and searches == [1]
    searches.clear()
    few = store.text_search("alice", "weighed", k=2, now=NOW)  # 3 asked for and found, all later
    assert len(few) == 2 and all(h.record.created_at <= NOW for h in few) and searches == [1, 1]


def test_quotes_in_namespace_cannot_widen_a_filter(store: TierStore, embedder: BaseEmbedder) -> None:
    store.write([weight("alice", 47, 1)])
    with pytest.raises(InvalidInputError):
        store.vector_search("x' OR '1'='1", embedder.encode_one("weight"), now=NOW)
    assert store.records("bob") == []


def test_latest_facts_newest_first(store: TierStore) -> None:
    store.write([weight("alice", 47, 1), weight("alice", 45, 3)])
    history = store.latest_facts("alice", ["user.weight"])["user.weight"]
    assert [r.fact.value for r in history if r.fact] == ["45 kg", "47 kg"]


def test_records_created_after_now_are_invisible(store: TierStore) -> None:
    store.write([weight("alice", 45, 3)])
    assert store.records("alice", now=NOW - timedelta(days=1)) == []
    assert len(store.records("alice", now=NOW)) == 1


def test_short_term_expires(store: TierStore) -> None:
    record = MemoryRecord(
        namespace="alice", tier="short", text="at the gym", created_at=NOW, expires_at=NOW + timedelta(hours=24)
    )
    store.write([record])
    assert store.records("alice", now=NOW + timedelta(hours=23))
    assert store.records("alice", now=NOW + timedelta(hours=25)) == []
    assert store.expire(NOW + timedelta(hours=25)) == 1
    assert store.count("alice") == 0


def test_bad_record_in_batch_writes_nothing(store: TierStore) -> None:
    store.write([weight("alice", 47, 1)])
    before = table_rows(store)
    bad = MemoryRecord.model_construct(namespace="alice", tier="short", text="x" * 40000, id="x", source_ids=[])
    with pytest.raises(InvalidInputError):
        store.write([weight("alice", 45, 3), bad])
    assert table_rows(store) == before


def test_a_record_not_in_a_list_or_not_a_record_is_a_typed_error(store: TierStore) -> None:
    store.write([weight("alice", 47, 1)])
    before = table_rows(store)
    with pytest.raises(InvalidInputError, match="records must be a sequence of MemoryRecord, got one MemoryRecord"):
        store.write(weight("alice", 45, 3))  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="records must be MemoryRecord objects, got dict"):
        store.write([weight("alice", 45, 3), {"namespace": "alice", "tier": "mid", "text": "x"}])  # type: ignore[list-item]
    assert table_rows(store) == before


def test_forget_removes_every_version_and_old_table_versions(
    store: TierStore, tmp_path: Path, recwarn: pytest.WarningsRecorder
) -> None:
    ids = store.write([weight("alice", 47, 1), weight("alice", 45, 3), weight("bob", 45, 3)])
    report = store.forget("alice", ids[1])
    # the cleanup of every old version is meant: LanceDB's warning about it does not reach the user
    assert not [w for w in recwarn if "cleanup_older_than" in str(w.message)]
    assert report.rows == 2 and report.tables == {"facts": 2} and report.key == "user.weight"
    assert store.count("alice") == 0 and store.count("bob") == 1
    facts = store.table("mid")
    assert len(facts.list_versions()) == 1
    with pytest.raises(NotFoundError):
        store.get("alice", ids[0])


def test_forget_keeps_another_fact_of_the_same_message_with_the_value_masked(store: TierStore) -> None:
    said = "My name is Evelyn and I'm allergic to peanuts"

    def fact(attribute: str, value: str) -> MemoryRecord:
        return MemoryRecord(
            namespace="alice", tier="long", text=said, created_at=NOW, fact=Fact(attribute=attribute, value=value)
        )

    message = MemoryRecord(namespace="alice", tier="short", kind="message", text=said, created_at=NOW)
    name_id, allergy_id, _ = store.write([fact("name", "Evelyn"), fact("allergy", "peanuts"), message])
    report = store.forget("alice", name_id)
    assert report.key == "user.name" and report.masked_in == ["user.allergy"]
    (allergy,) = store.records("alice")  # the message itself (it names her) went with the name
    assert allergy.id == allergy_id and allergy.fact.value == "peanuts"  # type: ignore[union-attr]
    assert allergy.text == "My name is [forgotten] and I'm allergic to peanuts"
    (stored,) = store.table("long").search().where(f"id = '{allergy_id}'").to_arrow().column("vector").to_pylist()
    assert np.allclose(stored, store.embedder.encode_one(allergy.text), atol=1e-6)  # its vector is the masked text's
    assert not any(b"Evelyn" in p.read_bytes() for p in Path(store.uri).rglob("*") if p.is_file())


def test_forget_masks_the_value_in_a_fact_of_another_tier(store: TierStore) -> None:
    said = "I weigh 60 kg and I'm allergic to nuts"
    weight = MemoryRecord(
        namespace="alice", tier="mid", text=said, created_at=NOW, fact=Fact(attribute="weight", value="60 kg")
    )
    allergy = MemoryRecord(
        namespace="alice", tier="long", text=said, created_at=NOW, fact=Fact(attribute="allergy", value="nuts")
    )
    weight_id, allergy_id = store.write([weight, allergy])
    report = store.forget("alice", weight_id)
    assert report.tables == {"facts": 1} and report.masked_in == ["user.allergy"]
    assert store.get("alice", allergy_id).text == "I weigh [forgotten] and I'm allergic to nuts"


def test_forget_masks_the_value_in_every_other_memory_that_names_it(store: TierStore) -> None:
    employer = MemoryRecord(
        namespace="alice", tier="long", text="I work at Siemens", created_at=NOW,
        fact=Fact(attribute="employer", value="Siemens"),
    )  # fmt: skip
    plan = MemoryRecord(namespace="alice", tier="long", text="I'm planning to leave Siemens", created_at=NOW)
    other = MemoryRecord(namespace="alice", tier="short", text="I love jazz", created_at=NOW)
    bobs = MemoryRecord(namespace="bob", tier="long", text="Siemens makes trains", created_at=NOW)
    employer_id, plan_id, other_id, bobs_id = store.write([employer, plan, other, bobs])
    store.forget("alice", employer_id)
    assert store.get("alice", plan_id).text == "I'm planning to leave [forgotten]"
    assert store.get("alice", other_id).text == "I love jazz"
    assert store.get("bob", bobs_id).text == "Siemens makes trains"  # another user's memory is theirs


def test_get_is_scoped(store: TierStore) -> None:
    (rid,) = store.write([weight("alice", 47, 1)])
    assert store.get("alice", rid).fact.value == "47 kg"  # type: ignore[union-attr]
    with pytest.raises(NotFoundError, match="no memory with id"):
        store.get("bob", rid)


def test_ledger_facts_keep_newest_per_key(store: TierStore) -> None:
    def long_fact(value: str, day: int) -> MemoryRecord:
        when = datetime(2024, 5, day, tzinfo=UTC)
        return MemoryRecord(
            namespace="alice",
            tier="long",
            text=f"I live in {value}",
            created_at=when,
            fact=Fact(attribute="lives_in", value=value, observed_at=when),
        )

    store.write([long_fact("Berlin", 1), long_fact("Paris", 2)])
    assert [f.value for f in store.ledger_facts("alice")] == ["Paris"]


def test_refuses_another_embedders_table(store: TierStore) -> None:
    from tiermem.memory.embeddings import get_embedder

    store.write([weight("alice", 47, 1)])
    other = TierStore.open(store.uri, get_embedder("minilm"))
    with pytest.raises(EmbedderMismatchError, match="re-embed"):
        other.table("mid")


def test_memories_survive_a_new_process(store: TierStore) -> None:
    store.write([weight("alice", 45, 3)])
    script = (
        "from tiermem.memory import TierStore, get_embedder;"
        f"s = TierStore.open({store.uri!r}, get_embedder('use'));"
        "print(s.latest_facts('alice', ['user.weight'])['user.weight'][0].fact.value)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "45 kg"


def test_forget_leaves_another_users_row_with_the_same_id(store: TierStore) -> None:
    shared = "m1"  # ids are the caller's: two users' imports may share one
    store.write(
        [
            MemoryRecord(id=shared, namespace="alice", tier="mid", text="alice: dentist on Friday", created_at=NOW),
            MemoryRecord(id=shared, namespace="bob", tier="mid", text="bob: gym on Monday", created_at=NOW),
        ]
    )
    store.forget("bob", shared)
    assert store.get("alice", shared).text == "alice: dentist on Friday"
    with pytest.raises(NotFoundError):
        store.get("bob", shared)


def test_an_extra_clause_cannot_widen_the_namespace(store: TierStore) -> None:
    store.write([weight("alice", 47, 1), weight("bob", 90, 1)])
    found = store.records("bob", extra="kind = 'x') OR (1=1")
    assert {r.namespace for r in found} == {"bob"}


@pytest.mark.parametrize("extra", [None, "kind = 'message'"])
def test_records_with_a_limit_are_the_newest(store: TierStore, extra: str | None) -> None:
    days = [3, 1, 7, 5, 2, 4, 6, 9, 8]  # the newest written last, in two tiers
    store.write(
        [
            MemoryRecord(
                namespace="alice",
                tier=("mid", "long")[day % 2],
                text=f"note {day}",
                created_at=weight("a", 1, day).created_at,
            )
            for day in days
        ]
    )
    store.write([MemoryRecord(namespace="bob", tier="mid", text="bob's newest", created_at=NOW)])
    assert [r.text for r in store.records("alice", limit=2, extra=extra)] == ["note 9", "note 8"]
    assert [r.text for r in store.records("alice", limit=20, extra=extra)][-1] == "note 1"
