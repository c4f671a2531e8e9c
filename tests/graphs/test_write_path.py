"""The write path end to end: a fact said beside a secret outlives its session without the secret,
and a change of weight said in chat is the weight asked for next (EN + ZH)."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from tiermem.graphs import build_graph
from tiermem.graphs.services import Services
from tiermem.graphs.trace_writer import TraceWriter


def say(graph: Any, text: str, now: str, thread: str = "t1", respond: bool = True) -> dict[str, Any]:
    run = {"configurable": {"thread_id": thread, "user_id": "alice", "now": now, "respond": respond}}
    return graph.invoke({"messages": [HumanMessage(content=text)]}, run)


def rows(services: Services, *tiers: str) -> list[dict[str, Any]]:
    return [row for tier in tiers for row in services.store.table(tier).to_arrow().to_pylist()]


@pytest.fixture
def graph(services: Services) -> Any:
    return build_graph(services=services)


@pytest.mark.parametrize(
    ("said", "secret", "asked", "home"),
    [
        ("I moved to Lisbon last month, and my new door code is 4471", "4471", "Where do I live?", "Lisbon"),
        ("我搬到杭州了，我的银行卡密码是1234", "1234", "我住在哪里？", "杭州"),
    ],
)
def test_a_fact_said_beside_a_secret_outlives_the_session_without_it(
    graph: Any, services: Services, said: str, secret: str, asked: str, home: str
) -> None:
    out = say(graph, said, "2024-05-03T09:00:00", respond=False)
    assert out["decision"]["tier"] in ("mid", "long")
    assert [f"{f['subject']}.{f['attribute']}={f['value']}" for f in out["decision"]["facts"]] == [
        f"user.lives_in={home}"
    ]
    (working,) = rows(services, "short")  # the whole message: working memory, for the session
    assert secret in working["text"]
    answer = say(graph, asked, "2024-05-03T15:00:00", thread="t2")  # a later session
    assert home in answer["messages"][-1].content
    kept = rows(services, "short", "mid", "long")
    (fact,) = [r for r in kept if r["key"] == "user.lives_in"]
    assert fact["value"] == home and said.startswith(fact["text"])  # stored as said, up to the secret
    episodes = [r for r in kept if r["kind"] == "episode"]
    assert episodes and all(secret not in r["text"] for r in episodes)  # the session's episode says the rest
    assert all(secret not in r["text"] for r in kept)  # in no tier: working memory went with the session
    TraceWriter.shared().flush()
    traced = "".join(p.read_text(encoding="utf-8") for p in services.config.path("traces").glob("*.jsonl"))
    assert traced and secret not in traced


@pytest.mark.parametrize(
    ("stated", "change", "asked", "new"),
    [
        ("I weigh 70 kg", "I lost 3 kg", "How much do I weigh?", "67 kg"),
        ("I weigh 70 kg", "I've gained 2kg since last month", "How much do I weigh?", "72 kg"),
        ("我体重60公斤", "我胖了两斤", "我现在体重多少？", "61 kg"),
        ("我现在120斤", "我瘦了3公斤", "我现在体重多少？", "114 jin"),
    ],
)
def test_a_change_of_weight_is_the_weight_asked_for_next(
    graph: Any, services: Services, stated: str, change: str, asked: str, new: str
) -> None:
    say(graph, stated, "2024-05-01T08:00:00", respond=False)
    out = say(graph, change, "2024-05-03T08:00:00", respond=False)
    assert out["decision"]["tier"] == "mid"
    assert [f"{f['attribute']} = {f['value']}" for f in out["decision"]["facts"]] == [f"weight = {new}"]
    answer = say(graph, asked, "2024-05-03T09:00:00")
    assert new.split()[0] in answer["messages"][-1].content


def test_a_change_of_weight_without_a_stored_weight_is_kept_as_said(graph: Any, services: Services) -> None:
    out = say(graph, "I lost 3 kg", "2024-05-03T08:00:00", respond=False)
    assert out["decision"]["tier"] == "mid" and out["decision"]["facts"] == []
    (kept,) = rows(services, "mid")
    assert kept["text"] == "I lost 3 kg" and not kept["key"]  # a memory of what happened, no weight made up
