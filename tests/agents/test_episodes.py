"""Working memory and its consolidation into episodes: pure parts table-driven, the rest on a real store and graph."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from tiermem.agents.episodes import (
    Consolidator,
    EpisodeSettings,
    build_episodes,
    episode_text,
    sessions_of,
    window_starts,
)
from tiermem.graphs.builder import build_graph
from tiermem.graphs.services import Services
from tiermem.memory import filters as f
from tiermem.memory.records import MemoryRecord
from tiermem.memory.store import TierStore

T0 = datetime(2023, 5, 8, 13, 0, tzinfo=UTC)
TTL = timedelta(hours=24)


def row(i: int, *, thread: str = "t1", at: datetime | None = None, importance: float = 0.0) -> MemoryRecord:
    return MemoryRecord(
        namespace="alice",
        tier="short",
        kind="context",
        text=f"message {i}",
        thread_id=thread,
        created_at=at or T0 + timedelta(minutes=i),
        source_ids=[f"D1:{i}"],
        importance=importance,
        expires_at=(at or T0) + TTL,
    )


@pytest.mark.parametrize(
    ("count", "window", "stride", "starts"),
    [
        (0, 4, 2, []),
        (1, 4, 2, [0]),
        (4, 4, 2, [0]),
        (5, 4, 2, [0, 2]),
        (7, 4, 2, [0, 2, 4]),
        (8, 4, 4, [0, 4]),
        (9, 4, 4, [0, 4, 8]),
        (3, 1, 1, [0, 1, 2]),
    ],
)
def test_window_starts_cover_every_message(count: int, window: int, stride: int, starts: list[int]) -> None:
    assert window_starts(count, window, stride) == starts
    covered = {i for s in starts for i in range(s, min(s + window, count))}
    assert covered == set(range(count))


def test_settings_refuse_a_stride_that_skips_messages() -> None:
    with pytest.raises(ValueError, match="stride"):
        EpisodeSettings(window=2, stride=3)


def test_sessions_split_by_thread_and_silence() -> None:
    rows = [row(1), row(2), row(3, at=T0 + timedelta(hours=5)), row(4, thread="t2")]
    sessions = sessions_of(rows, timedelta(hours=3))
    assert [[r.text for r in s] for s in sessions] == [["message 1", "message 2"], ["message 3"], ["message 4"]]


def test_build_episodes_dates_resolves_and_keeps_sources() -> None:
    rows = [row(i, importance=0.6 if i == 2 else 0.0) for i in range(1, 6)]
    rows[1] = rows[1].model_copy(update={"text": "Caroline: I went to a support group yesterday"})
    rows.append(rows[0].model_copy(update={"id": "dup"}))  # the same message twice is kept once
    episodes = build_episodes(rows, EpisodeSettings(window=4, stride=2))
    assert [e.source_ids for e in episodes] == [["D1:1", "D1:2", "D1:3", "D1:4"], ["D1:3", "D1:4", "D1:5"]]
    first = episodes[0]
    assert first.tier == "mid" and first.kind == "episode" and first.expires_at is None
    assert first.text.splitlines()[:3] == [
        "8 May 2023",
        "message 1",
        "Caroline: I went to a support group yesterday (7 May 2023)",
    ]
    assert first.importance == 0.6 and episodes[1].importance == 0.0
    assert first.created_at == rows[0].created_at and first.thread_id == "t1"
    assert episode_text([row(1)]) == "8 May 2023\nmessage 1"


def test_consolidation_turns_ended_sessions_into_episodes(store: TierStore) -> None:
    consolidator = Consolidator(store, EpisodeSettings(window=2, stride=2, session_gap_hours=3), TTL)
    for i in range(1, 4):
        consolidator.keep(
            "alice", f"message {i}", message_id=f"D1:{i}", thread_id="t1", now=T0 + timedelta(minutes=i), importance=0.0
        )
    assert consolidator.consolidate("alice", T0 + timedelta(minutes=5), current_thread="t1") == []  # still live
    assert len(store.records("alice", tiers=("short",))) == 3
    later = T0 + timedelta(days=3)  # past the TTL: expired rows are consolidated, not lost
    episodes = consolidator.consolidate("alice", later, current_thread="t2")
    assert [e.source_ids for e in episodes] == [["D1:1", "D1:2"], ["D1:3"]]
    assert store.records("alice", tiers=("short",)) == []
    assert {r.id for r in store.records("alice", tiers=("mid",), now=later)} == {e.id for e in episodes}
    assert consolidator.consolidate("alice", later, current_thread="t2") == []


def test_consolidation_after_silence_on_the_same_thread_and_when_off(store: TierStore) -> None:
    consolidator = Consolidator(store, EpisodeSettings(session_gap_hours=3), TTL)
    consolidator.keep("alice", "hello there", message_id="m1", thread_id="t1", now=T0, importance=0.0)
    (episode,) = consolidator.consolidate("alice", T0 + timedelta(hours=4), current_thread="t1")
    assert episode.source_ids == ["m1"]
    off = Consolidator(store, EpisodeSettings(enabled=False), TTL)
    assert off.keep("alice", "hi", message_id="m2", thread_id="t1", now=T0, importance=0.0) is None
    assert off.consolidate("alice", T0 + timedelta(days=9), current_thread="t9") == []


def test_a_backlog_is_consolidated_over_turns_into_the_episodes_of_one_pass(tmp_path: Any, embedder: Any) -> None:
    """Rows past the bound wait as short-term rows; the turns that follow go on where the last ended."""
    sessions = [[row(i, thread="t1") for i in range(130)], [row(i, thread="t2") for i in range(130, 170)]]
    imported = [r for session in sessions for r in session]
    later = T0 + timedelta(days=1)
    whole = TierStore.open(tmp_path / "whole", embedder)
    whole.write(imported)
    unbounded = Consolidator(whole, EpisodeSettings(max_rows_per_turn=10_000), TTL)
    expected = sorted(tuple(e.source_ids) for e in unbounded.consolidate("alice", later, current_thread="t9"))
    bounded_store = TierStore.open(tmp_path / "bounded", embedder)
    bounded_store.write(imported)
    bounded = Consolidator(bounded_store, EpisodeSettings(max_rows_per_turn=50), TTL)
    turns = []
    for minute in range(10):
        turns.append(bounded.consolidate("alice", later + timedelta(minutes=minute), current_thread="t9"))
        if not turns[-1]:
            break
    # 50 rows a turn: 24 windows, 48 rows deleted, 2 kept for the next window; the third turn ends
    # the first session (16 windows) and cuts the second at 16 rows (7), the fourth ends it
    assert [len(episodes) for episodes in turns] == [24, 24, 23, 12, 0]
    assert sorted(tuple(e.source_ids) for episodes in turns for e in episodes) == expected
    assert bounded_store.records("alice", tiers=("short",)) == []


def say(graph: Any, text: str, message_id: str, now: datetime, thread: str) -> dict[str, Any]:
    config = {"configurable": {"thread_id": thread, "user_id": "mel", "now": now.isoformat(), "respond": False}}
    return graph.invoke({"messages": [HumanMessage(content=text, id=message_id)]}, config)


def test_what_the_gate_drops_survives_in_an_episode_and_forget_removes_it(services: Services) -> None:
    graph = build_graph(services=services)
    first = [
        ("D1:1", "Hey Caroline! Good to see you!"),
        ("D1:2", "Congrats! These figurines I bought yesterday remind me of family love."),
        ("D1:3", "I weighed 45 kg this morning."),
    ]
    decisions = {
        mid: say(graph, text, mid, T0 + timedelta(minutes=i), "s1")["decision"]["tier"]
        for i, (mid, text) in enumerate(first)
    }
    assert decisions["D1:3"] == "mid"
    # the session's working memory holds every message, whatever the gate decided
    assert {r.source_ids[0] for r in services.store.records("mel", tiers=("short",))} == {"D1:1", "D1:2", "D1:3"}
    out = say(graph, "Back again!", "D2:1", T0 + timedelta(days=30), "s2")
    (ingest,) = [e for e in out["trace"] if e["node"] == "ingest"]
    assert ingest["episodes"]  # the first session became episodes at the start of this turn
    episodes = services.store.records("mel", tiers=("mid",), extra=f.eq("kind", "episode"))
    assert [e.source_ids for e in episodes] == [["D1:1", "D1:2", "D1:3"]]
    assert "(7 May 2023)" in episodes[0].text
    found = services.retriever.retrieve(
        "mel", "What did Mel buy that reminds her of family?", now=T0 + timedelta(days=31)
    )
    assert "D1:2" in found.items[0].sources
    (fact,) = [r for r in services.store.records("mel", tiers=("mid",)) if r.key == "user.weight"]
    services.store.forget("mel", fact.id)
    assert not [r for r in services.store.records("mel") if "45 kg" in r.text]  # the episode held it too


def test_episodes_are_dated_in_the_users_days(services: Services) -> None:
    graph = build_graph(services=services)
    shanghai = timezone(timedelta(hours=8))
    # 07:30 on 4 May in Shanghai is 23:30 on 3 May in UTC: "yesterday" is the 3rd, not the 2nd
    say(graph, "I went hiking yesterday", "D1:1", datetime(2024, 5, 4, 7, 30, tzinfo=shanghai), "s1")
    say(graph, "Morning!", "D2:1", datetime(2024, 5, 5, 7, 0, tzinfo=shanghai), "s2")
    (episode,) = services.store.records("mel", tiers=("mid",), extra=f.eq("kind", "episode"))
    assert episode.text == "4 May 2024\nI went hiking yesterday (3 May 2024)"
    # a next turn sent in UTC (or from another zone) keeps the session's own days
    say(graph, "Hiked again yesterday", "D2:2", datetime(2024, 5, 5, 7, 5, tzinfo=shanghai), "s2")
    say(graph, "Back home", "D3:1", datetime(2024, 5, 6, 3, 0, tzinfo=UTC), "s3")
    second = [e for e in services.store.records("mel", tiers=("mid",), extra=f.eq("kind", "episode")) if e != episode]
    assert [e.text for e in second] == ["5 May 2024\nMorning!\nHiked again yesterday (4 May 2024)"]
    late = row(1, at=datetime(2024, 5, 3, 23, 30, tzinfo=UTC)).model_copy(update={"text": "I went hiking yesterday"})
    assert build_episodes([late], EpisodeSettings())[0].text == "3 May 2024\nI went hiking yesterday (2 May 2024)"
    assert build_episodes([late], EpisodeSettings(), shanghai)[0].text == episode.text


def test_an_episode_keeps_no_line_of_a_secret() -> None:
    secret = row(1).model_copy(update={"text": "My password is hunter2"})
    text = episode_text([row(0), secret, row(2)])
    assert "hunter2" not in text and "[a secret, not kept]" in text and "message 2" in text


def test_an_episode_says_what_a_message_said_beside_a_secret() -> None:
    lisbon = row(1).model_copy(update={"text": "I moved to Lisbon last month, and my new door code is 4471"})
    hangzhou = row(2).model_copy(update={"text": "我搬到杭州了，我的银行卡密码是1234"})
    assert episode_text([row(0), lisbon, hangzhou]).splitlines()[2:] == [
        "I moved to Lisbon last month (April 2023)",
        "我搬到杭州了",
    ]
