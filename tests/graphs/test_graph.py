"""The real graph on a temp LanceDB dir with the real embedder and gate."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from tiermem.graphs import build_graph
from tiermem.graphs.services import Services
from tiermem.graphs.trace_writer import TraceWriter
from tiermem.memory.errors import InvalidInputError, InvalidNamespaceError, TextTooLargeError
from tiermem.memory.records import as_utc


def run(user: str, now: str, **extra: Any) -> dict[str, Any]:
    return {"configurable": {"thread_id": f"t-{user}", "user_id": user, "now": now, **extra}}


def say(graph: Any, text: Any, user: str = "alice", now: str = "2024-05-03T09:00:00", **extra: Any) -> dict[str, Any]:
    return graph.invoke({"messages": [HumanMessage(content=text)]}, run(user, now, **extra))


def rows(services: Services) -> list[dict]:
    return sorted(
        (row for tier in ("short", "mid", "long") for row in services.store.table(tier).to_arrow().to_pylist()),
        key=lambda row: row["id"],
    )


@pytest.fixture
def graph(services: Services) -> Any:
    return build_graph(services=services)


def test_weight_turns_newest_fact_wins(graph: Any) -> None:
    first = say(graph, "I weighed 47 kg", now="2024-05-01T08:00:00", respond=False)
    assert first["decision"]["tier"] == "mid"
    say(graph, "今天称重45kg", now="2024-05-03T08:00:00", respond=False)
    out = say(graph, "How much do I weigh now?", now="2024-05-03T09:00:00")
    assert out["decision"]["tier"] == "none"
    assert out["answer"]["mode"] == "fact"
    assert "45 kg" in out["messages"][-1].content
    zh = say(graph, "我现在体重多少？", now="2024-05-03T09:01:00")
    assert zh["answer"]["mode"] == "quote" and "45 kg" in zh["messages"][-1].content


def test_tool_calls_stay_out_of_the_conversation(graph: Any) -> None:
    out = say(graph, "I'm allergic to peanuts", respond=False)
    assert out["decision"]["tier"] == "long"
    assert all(isinstance(m, HumanMessage) for m in out["messages"])
    gate_message, tool_message = out["memory_messages"][-2:]
    assert isinstance(gate_message, AIMessage) and gate_message.tool_calls[0]["name"] == "remember_long"
    assert isinstance(tool_message, ToolMessage) and out["written"] == tool_message.artifact["written"]
    assert [e["node"] for e in out["trace"]] == ["ingest", "gate", "tools"]


def test_source_id_is_the_user_message_id(graph: Any, services: Services) -> None:
    graph.invoke(
        {"messages": [HumanMessage(content="I weighed 47 kg", id="D1:3")]},
        run("alice", "2024-05-01T08:00:00", respond=False),
    )
    (record,) = services.store.records("alice", tiers=("mid", "long"))  # short: the session's working memory
    assert record.source_ids == ["D1:3"]


def test_a_long_message_still_gets_the_users_memories(graph: Any) -> None:
    say(graph, "I'm allergic to peanuts", respond=False)
    notes = " ".join(f"Day {d}: we walk around the old town, see the temples and eat street food." for d in range(90))
    out = say(graph, f"Any food tips for my trip? Here are my notes: {notes}")  # over the token budget alone
    assert any("peanut" in item["text"] for item in out["retrieved"])


def test_a_long_earlier_memory_leaves_room_for_the_others(graph: Any) -> None:
    say(graph, "I'm allergic to peanuts", respond=False)
    notes = " ".join(f"Day {d}: we walk around the old town, see the temples and eat street food." for d in range(90))
    say(graph, f"My trip notes for Bangkok: {notes}", respond=False)
    out = say(graph, "Any food tips for my trip to Bangkok?")
    assert any("peanut" in item["text"] for item in out["retrieved"])


def test_a_checkpointed_thread_holds_one_turns_trace(services: Services) -> None:
    from langgraph.checkpoint.memory import InMemorySaver

    graph = build_graph(services=services, checkpointer=InMemorySaver())
    texts = ["I'm allergic to peanuts", "I weighed 45 kg today", "What am I allergic to?", "I live in Lyon"]
    sizes = []
    for text in texts:
        out = say(graph, text)
        assert out["trace"][0]["node"] == "ingest" and {e["run_id"] for e in out["trace"]} == {out["turn"]["run_id"]}
        sizes.append((len(out["trace"]), len(out.get("memory_messages") or [])))
    assert len(out["messages"]) == 2 * len(texts)  # the conversation is kept whole
    assert all(events <= 6 and memory <= 3 for events, memory in sizes), sizes  # the rest is one turn's


def test_a_run_without_a_user_id_is_warned_about_once(graph: Any, caplog: pytest.LogCaptureFixture) -> None:
    from tiermem.graphs.tools import _warn_default_user

    _warn_default_user.cache_clear()
    config = {"configurable": {"thread_id": "t-anon", "now": "2024-05-03T09:00:00", "respond": False}}
    with caplog.at_level("WARNING", logger="tiermem.graphs.tools"):
        graph.invoke({"messages": [HumanMessage(content="I'm allergic to peanuts")]}, config)
        graph.invoke({"messages": [HumanMessage(content="I live in Lyon")]}, config)
    warned = [r for r in caplog.records if "without configurable['user_id']" in r.getMessage()]
    assert len(warned) == 1 and "'default'" in warned[0].getMessage()


def test_users_never_see_each_others_memories(graph: Any) -> None:
    say(graph, "I'm allergic to peanuts", user="alice", respond=False)
    say(graph, "I weighed 45 kg today", user="alice", respond=False)
    out = say(graph, "What am I allergic to? How much do I weigh?", user="bob")
    assert out["retrieved"] == []
    assert "peanut" not in out["messages"][-1].content.lower()


@pytest.mark.parametrize("thread", ["eve\ud800", "a\nb", "a\x85b", "a\u2028b", "x" * 1025])
def test_bad_thread_ids_are_rejected_and_change_nothing(graph: Any, services: Services, thread: str) -> None:
    before = rows(services)
    config = {"configurable": {"thread_id": thread, "user_id": "eve", "now": "2024-05-03T09:00:00"}}
    with pytest.raises(InvalidInputError, match="thread id"):
        graph.invoke({"messages": [HumanMessage(content="I'm allergic to peanuts")]}, config)
    assert rows(services) == before


def test_the_memory_tools_check_thread_ids_too(services: Services) -> None:
    from tiermem.graphs.tools import make_memory_tools

    tool = {t.name: t for t in make_memory_tools(services)}["remember_short"]
    call = {"name": "remember_short", "args": {"text": "hi"}, "id": "call-1", "type": "tool_call"}
    for thread in ["a\x00b", "eve\ud800", "x" * 1025]:
        with pytest.raises(InvalidInputError, match="thread id"):
            tool.invoke(call, config={"configurable": {"user_id": "alice", "thread_id": thread}})
    assert services.store.records("alice") == []


def test_a_turn_without_an_answer_leaves_none_from_before(services: Services) -> None:
    from langgraph.checkpoint.memory import InMemorySaver

    services.chat_model = GenericFakeChatModel(messages=iter(["first answer"]))
    graph = build_graph(services=services, checkpointer=InMemorySaver())
    assert say(graph, "hello there")["answer"]["text"] == "first answer"
    assert not say(graph, "I live in Lyon", respond=False).get("answer")


def test_no_two_thread_ids_share_a_trace_file() -> None:
    from tiermem.graphs.trace_store import file_stem

    ids = ["", "-", "%2D", "a/b", "a%2Fb", ".hidden", "x" * 300, "x" * 301]
    assert len({file_stem(t) for t in ids}) == len(ids)


@pytest.mark.parametrize("user", ["alice' OR '1'='1", 'alice") OR (1=1', "*", "alice%", "../alice"])
def test_hostile_user_ids_are_rejected_and_change_nothing(graph: Any, services: Services, user: str) -> None:
    say(graph, "I'm allergic to peanuts", respond=False)
    before = rows(services)
    with pytest.raises(InvalidNamespaceError):
        say(graph, "What am I allergic to?", user=user)
    assert rows(services) == before


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", InvalidInputError),
        ("   \n", InvalidInputError),
        ("x" * 40_000, TextTooLargeError),
        ("lone surrogate \udcff is not UTF-8", InvalidInputError),
        ("nul\x00byte", InvalidInputError),
        ([{"type": "image_url", "image_url": "x"}], InvalidInputError),
    ],
)
def test_bad_input_raises_typed_error_and_keeps_rows(graph: Any, services: Services, text: Any, error: type) -> None:
    say(graph, "I'm allergic to peanuts", respond=False)
    before = rows(services)
    with pytest.raises(error):
        say(graph, text)
    assert rows(services) == before


def test_a_request_to_forget_is_kept_nowhere(graph: Any, services: Services) -> None:
    out = say(graph, "Please forget that my ex-husband is called Marc Dupont", respond=False)
    assert out["decision"]["tier"] == "none" and out["written"] == []
    assert not [r for r in rows(services) if "Marc" in r["text"]]  # not even as the session's working memory


@pytest.mark.parametrize(
    "request_", ["Don't save that", "Please don't remember what I just said", "别存这个", "别存刚才那句话"]
)
def test_a_request_not_to_keep_what_was_just_said_forgets_it(graph: Any, services: Services, request_: str) -> None:
    say(graph, "I live in Oslo", respond=False)
    say(graph, "I live in Lima now", now="2024-05-03T09:01:00", respond=False)
    out = say(graph, request_, now="2024-05-03T09:02:00")
    assert out["answer"]["text"] in ("OK, I won't keep that.", "好的，这条我不会保存。")
    assert not [r for r in rows(services) if "Lima" in r["text"]]
    assert [r["value"] for r in rows(services) if r["key"] == "user.lives_in"] == ["Oslo"]  # said before: kept


def test_what_was_said_before_the_message_not_kept_stays_in_the_conversation(services: Services) -> None:
    from langgraph.checkpoint.memory import InMemorySaver

    graph = build_graph(services=services, checkpointer=InMemorySaver())
    for text in ("I live in Oslo", "I live in Lima now", "Don't save that"):
        out = say(graph, text)
    said = [message.content for message in out["messages"]]
    assert said[0] == "I live in Oslo" and "Lima" not in " ".join(said)  # only the last message is unsaid


@pytest.mark.parametrize(
    "text",
    ["Please don't save this, but my password is hunter2", "Don't store this: I weigh 90kg", "别存这个，我怀孕了"],
)
def test_a_request_not_to_keep_a_message_keeps_nothing_of_it(graph: Any, services: Services, text: str) -> None:
    out = say(graph, text)
    assert out["decision"]["tier"] == "none" and out["written"] == []
    assert rows(services) == []  # no tier, not as the session's working memory, so in no episode


def test_a_plain_memory_and_a_fact_are_forgotten_by_the_users_words(graph: Any, services: Services) -> None:
    say(graph, "My password is hunter2", respond=False)
    say(graph, "I work at Siemens", respond=False)
    told = say(graph, "Forget my password")["messages"][-1].content  # told what went, not the words again
    assert told.startswith("Done: I've forgotten") and "hunter2" not in told
    told = say(graph, "Forget where I work")["messages"][-1].content
    assert told == "Done: I've forgotten your employer." and "Siemens" not in told
    assert not [r for r in rows(services) if "hunter2" in r["text"] or "Siemens" in r["text"]]


def test_a_forget_leaves_no_forgotten_value_in_any_trace_line(graph: Any, services: Services) -> None:
    say(graph, "My address is 12 Baker Street, London")
    out = say(graph, "Forget my address")
    reply = out["messages"][-1].content  # the user is told what went, not the value again
    assert "your home city" in reply and "Baker" not in reply
    TraceWriter.shared().flush()
    saved = "".join(p.read_text(encoding="utf-8") for p in services.config.path("traces").glob("*.jsonl"))
    assert "Forget my address" in saved and "Baker" not in saved and "London" not in saved


def test_text_content_blocks_are_remembered_as_their_text(graph: Any, services: Services) -> None:
    blocks = [{"type": "text", "text": "I weighed 47 kg"}, {"type": "image_url", "image_url": {"url": "x"}}]
    out = say(graph, blocks, respond=False)  # as chat UIs send a message: a list of content blocks
    assert out["turn"]["text"] == "I weighed 47 kg"
    assert out["decision"]["tier"] == "mid"
    assert [r["text"] for r in rows(services) if r["tier"] == "mid"] == ["I weighed 47 kg"]


def test_wrong_message_types_are_rejected(graph: Any) -> None:
    with pytest.raises(InvalidInputError, match="last message must be a user message"):
        graph.invoke({"messages": [AIMessage(content="hi")]}, run("alice", "2024-05-03T09:00:00"))
    with pytest.raises(InvalidInputError, match="ISO 8601"):
        say(graph, "hello", now="not a date")


def test_memories_survive_a_restart(services: Services) -> None:
    say(build_graph(services=services), "今天称重45kg", respond=False)
    fresh = Services(services.config)
    out = say(build_graph(services=fresh), "How much do I weigh now?", now="2024-05-04T09:00:00")
    assert "45 kg" in out["messages"][-1].content


def test_chat_model_answers_with_memories(services: Services) -> None:
    model = GenericFakeChatModel(messages=iter([AIMessage(content="You weigh 45 kg.")]))
    graph = build_graph(services=Services(services.config, chat_model=model))
    say(graph, "今天称重45kg", respond=False)
    out = say(graph, "How much do I weigh now?")
    assert out["answer"]["mode"] == "chat_model" and out["messages"][-1].content == "You weigh 45 kg."
    assert out["answer"]["cited"]


def test_long_term_fact_queues_one_coalesced_adapter_job(graph: Any, services: Services) -> None:
    first = say(graph, "I'm allergic to peanuts", respond=False)
    job = first["memory_messages"][-1].artifact["adapter_job"]
    second = say(graph, "My name is Alice Smith", respond=False)
    assert second["decision"]["tier"] == "long"
    assert second["memory_messages"][-1].artifact["adapter_job"] == job
    assert [(j.id, j.state) for j in services.queue.list("alice")] == [(job, "queued")]
    assert services.queue.list("bob") == []


def test_a_damaged_job_queue_loses_no_memory_and_no_answer(graph: Any, services: Services) -> None:
    services.config.path("jobs.sqlite").write_bytes(b"this is not a database" * 100)
    out = say(graph, "I'm allergic to peanuts")  # a long-term fact: its retrain cannot be queued
    assert out["messages"][-1].content
    (record,) = services.store.records("alice", tiers=("long",))
    assert record.fact is not None and record.fact.value == "peanuts"
    (message,) = [m for m in out["memory_messages"] if isinstance(m, ToolMessage)]
    assert "adapter retrain not queued" in message.content and message.artifact["adapter_job"] is None


def test_forgetting_a_ledger_fact_queues_a_retrain(graph: Any, services: Services) -> None:
    say(graph, "I'm allergic to peanuts", respond=False)
    (job,) = services.queue.list("alice")
    services.queue.claim("w1", lease_s=60)
    services.queue.complete(job.id, "w1")
    (record,) = services.store.records("alice", tiers=("long",))
    from tiermem.memory.adapters.dataset import fact_digest

    def weights(folder: Any) -> None:
        (folder / "adapter_config.json").write_text("{}")
        (folder / "adapter_model.safetensors").write_bytes(b"w")

    trained = services.registry.save("alice", weights, passed=True, fact_digests=[fact_digest(record.fact)])
    services.registry.promote("alice", trained.version)  # an adapter that answers with the allergy
    saving = services.registry.root / "alice" / ".staging-in-progress"  # a worker's save, not forget's to touch
    saving.mkdir()
    report = services.forget("alice", record.id)
    assert saving.is_dir()
    assert report.tables == {"ledger": 1, "short": 1} and report.retrain_job  # with its working-memory copy
    assert services.queue.get(report.retrain_job).state == "queued"
    assert services.store.ledger_facts("alice") == []
    assert report.adapters_purged == [trained.version]  # at once, not when a worker runs the retrain
    assert services.registry.active_name("alice") is None and services.registry.versions("alice") == []


def test_services_with_a_config_or_a_chat_model_is_refused(services: Services) -> None:
    from tiermem.memory.errors import ConfigError

    with pytest.raises(ConfigError, match="give them to Services"):
        build_graph(services=services, chat_model=GenericFakeChatModel(messages=iter(["ignored"])))


def test_a_misspelt_gate_is_refused_when_the_graph_is_built(tmp_path: Any) -> None:
    from tiermem.graphs.config import TierMemConfig
    from tiermem.memory.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown gate 'rules'"):
        build_graph(TierMemConfig(data_dir=str(tmp_path / "data"), gate="rules"))
    assert not (tmp_path / "data").exists()


def test_build_graph_accepts_any_base_store(services: Services) -> None:
    from langgraph.store.memory import InMemoryStore

    store = InMemoryStore()
    graph = build_graph(services=services, store=store)
    assert graph.store is store
    say(graph, "I'm allergic to peanuts", respond=False)


def test_a_refused_write_is_told_not_thanked_for(services: Services) -> None:
    from tiermem.graphs.config import TierMemConfig

    config = TierMemConfig(**{**services.config.model_dump(), "quota": {"max_rows": 2}})
    graph = build_graph(services=Services(config))  # the local responder
    now = datetime.now(UTC).replace(microsecond=0).isoformat()  # working memory expired by now counts for no cap
    say(graph, "I live in Paris", now=now, respond=False)
    out = say(graph, "I am allergic to nuts", now=now)
    assert out["answer"]["mode"] == "refused" and out["written"] == []
    reply = out["messages"][-1].content
    assert reply.startswith("I could not remember that: not stored") and "quota" in reply
    asked = say(graph, "I am allergic to shellfish. Where do I live?", now=now)  # answered, and told
    assert asked["answer"]["mode"] in ("fact", "local")
    assert "I could not remember what you told me: not stored" in asked["messages"][-1].content


def test_a_full_quota_refuses_writes_but_the_turn_goes_on(services: Services) -> None:
    from tiermem.graphs.config import TierMemConfig

    config = TierMemConfig(**{**services.config.model_dump(), "quota": {"max_rows": 2}})
    model = GenericFakeChatModel(messages=iter([AIMessage(content="Noted."), AIMessage(content="45 kg.")]))
    graph = build_graph(services=Services(config, chat_model=model))
    now = datetime.now(UTC).replace(microsecond=0).isoformat()  # working memory expired by now counts for no cap
    say(graph, "I weigh 45 kg", now=now, respond=False)  # the fact and its working-memory row: the quota is full
    kept = rows(Services(config))
    out = say(graph, "I'm allergic to peanuts", now=now)
    refused = [m for m in out["memory_messages"] if isinstance(m, ToolMessage)]
    assert [m.status for m in refused] == ["error"] and "not stored" in str(refused[0].content)
    assert out["messages"][-1].content == "Noted." and out["written"] == []
    answered = say(graph, "What's my weight?", now=now)
    gate = next(e for e in answered["trace"] if e["node"] == "gate")
    assert "quota" in gate["context_refused"] and answered["messages"][-1].content == "45 kg."
    assert rows(Services(config)) == kept  # nothing lost, nothing added


def test_a_chat_model_gets_the_message_as_sent_images_included(services: Services) -> None:
    seen: list[list[Any]] = []

    class Recording(GenericFakeChatModel):
        def _generate(self, messages: list[Any], *args: Any, **kwargs: Any) -> Any:
            seen.append(messages)
            return super()._generate(messages, *args, **kwargs)

    model = Recording(messages=iter([AIMessage(content="A corgi.")]))
    graph = build_graph(services=Services(services.config, chat_model=model))
    blocks = [
        {"type": "text", "text": "What breed is the dog in this photo?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}},
    ]
    out = say(graph, blocks)
    assert out["messages"][-1].content == "A corgi."
    assert seen[0][-1].content == blocks  # the image reached the model; memory kept the text
    assert out["turn"]["text"] == "What breed is the dog in this photo?"


def test_statements_at_one_time_the_last_one_is_the_newest(graph: Any, services: Services) -> None:
    for kg in (45, 50, 52):  # an app that passes the day only, or a replay of dated messages
        say(graph, f"I weigh {kg} kg", now="2024-05-03", respond=False)
    (newest, *older) = services.store.latest_facts("alice", ["user.weight"])["user.weight"]
    assert [newest.fact.value, *(r.fact.value for r in older)] == ["52 kg", "50 kg", "45 kg"]
    assert services.store.ledger_facts("alice") == []  # all mid: the ledger has none


def test_relative_days_count_from_the_speakers_own_day(graph: Any) -> None:
    """Monday 21:30 in California is Tuesday in UTC: "tomorrow" is Tuesday there, not Wednesday."""
    out = say(graph, "I have a dentist appointment tomorrow", now="2024-06-03T21:30:00-07:00", respond=False)
    (fact,) = out["decision"]["facts"]
    assert fact["attribute"] == "plan_appointment" and fact["value"].endswith("(4 June 2024)")
    assert as_utc(fact["observed_at"]) == datetime(2024, 6, 4, 4, 30, tzinfo=UTC)  # stored as the same instant


def test_a_correction_changes_the_fact_it_names_and_only_the_users(graph: Any) -> None:
    say(graph, "I live in Paris")
    say(graph, "I live in Paris", user="bob")
    out = say(graph, "Sorry, I meant Lyon, not Paris", now="2024-05-03T09:01:00")
    assert (out["decision"]["tier"], out["decision"]["reason"]) == ("long", "corrects user.lives_in: Paris -> Lyon")
    # the slip is no earlier home
    assert say(graph, "Where do I live?", now="2024-05-03T09:02:00")["answer"]["text"] == (
        "Your home city is Lyon (as of 2024-05-03)."
    )
    assert say(graph, "Where do I live?", user="bob")["answer"]["text"].startswith("Your home city is Paris")
    sunny = say(graph, "Oops, it's sunny, not rainy")["decision"]  # no fact holds rainy
    assert sunny["facts"] == [] and not sunny["reason"].startswith("corrects")


def test_a_relation_named_by_its_name_gets_the_facts_said_of_it(graph: Any) -> None:
    say(graph, "My girlfriend is Emma")
    out = say(graph, "Emma has asthma")
    assert [(f["subject"], f["attribute"], f["value"]) for f in out["decision"]["facts"]] == [
        ("girlfriend", "condition", "asthma")
    ]
    say(graph, "Emma just started working at Google")
    assert say(graph, "Where does my girlfriend work?")["answer"]["text"].startswith(
        "Your girlfriend's employer is Google"
    )
    assert say(graph, "Emma has asthma", user="bob")["decision"]["facts"] == []  # bob has no Emma
    say(graph, "我老婆叫王芳")
    out = say(graph, "王芳住在杭州")
    assert [(f["subject"], f["attribute"], f["value"]) for f in out["decision"]["facts"]] == [
        ("wife", "lives_in", "杭州")
    ]
    assert out["answer"]["text"].startswith("好的，已记住")  # confirmed, not a quote of her name


def test_closed_services_stop_their_background_work(config: Any) -> None:
    services = Services(
        config.model_copy(update={"maintenance": config.maintenance.model_copy(update={"background": True})})
    )
    graph = build_graph(services=services)
    say(graph, "I live in Paris")
    with services:
        assert services.maintainer._thread is not None and services.maintainer._thread.is_alive()
    assert not services.maintainer._thread.is_alive()
    with pytest.raises(RuntimeError):  # no turn starts a retrieval on the stopped workers
        services.prefetch.start("alice", lambda: None)  # type: ignore[arg-type,return-value]


def test_a_corrected_allergy_was_never_held(graph: Any) -> None:
    say(graph, "I'm allergic to peanuts and eggs")
    say(graph, "Sorry, walnuts, not peanuts", now="2024-05-03T09:01:00")
    asked = say(graph, "Am I allergic to peanuts?", now="2024-05-03T09:02:00")["answer"]["text"]
    assert asked.startswith("Not that you've told me: you are allergic to walnuts and eggs"), asked
    listed = say(graph, "What am I allergic to?", now="2024-05-03T09:03:00")["answer"]["text"]
    assert "walnuts" in listed and "peanuts" not in listed, listed
    say(graph, "Actually, I'm allergic to shellfish, not eggs", now="2024-05-03T09:04:00")
    assert say(graph, "Am I allergic to eggs?", now="2024-05-03T09:05:00")["answer"]["text"].startswith(
        "Not that you've told me"
    )
