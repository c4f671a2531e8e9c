"""tiermem inside other agent apps: as a subgraph, as tools, as create_agent middleware."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain.agents import create_agent
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from tiermem.graphs import build_graph
from tiermem.graphs.middleware import TierMemMiddleware
from tiermem.graphs.services import Services
from tiermem.graphs.tools import make_memory_tools
from tiermem.graphs.trace import STREAM_KEY


class ToolCallingFake(GenericFakeChatModel):
    """A scripted chat model that accepts tools and records every prompt it was sent."""

    prompts: list[list[BaseMessage]] = []

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ToolCallingFake:
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        self.prompts.append(list(messages))
        return super()._generate(messages, *args, **kwargs)


def scripted(*replies: AIMessage | str) -> ToolCallingFake:
    return ToolCallingFake(messages=iter(replies), prompts=[])


def run(user: str, thread: str = "t1", now: str = "2024-05-03T09:00:00") -> dict[str, Any]:
    return {"configurable": {"user_id": user, "thread_id": thread, "now": now}}


def test_compiled_graph_is_a_node_of_a_parent_graph(services: Services) -> None:
    services.chat_model = GenericFakeChatModel(messages=iter(["Noted.", "You are allergic to peanuts."]))
    seen: list[str] = []

    def after(state: MessagesState) -> dict[str, Any]:
        seen.append(str(state["messages"][-1].content))
        return {}

    parent = StateGraph(MessagesState)
    parent.add_node("memory", build_graph(services=services))
    parent.add_node("after", after)
    parent.add_edge(START, "memory")
    parent.add_edge("memory", "after")
    parent.add_edge("after", END)
    app = parent.compile(checkpointer=InMemorySaver())

    app.invoke({"messages": [("user", "I'm allergic to peanuts")]}, run("alice"))
    chunks = list(
        app.stream(
            {"messages": [("user", "What am I allergic to?")]},
            run("alice"),
            stream_mode=["updates", "custom"],
            subgraphs=True,
        )
    )

    (fact,) = [r for r in services.store.records("alice") if r.fact]
    assert fact.tier == "long" and "peanut" in fact.fact.value.lower()
    assert seen == ["Noted.", "You are allergic to peanuts."]
    state = app.get_state(run("alice")).values
    assert [m.type for m in state["messages"]] == ["human", "ai", "human", "ai"]
    events = [chunk[STREAM_KEY] for ns, mode, chunk in chunks if mode == "custom"]
    nodes = [e["node"] for e in events]
    assert nodes[:2] == ["ingest", "gate"] and nodes[-2:] == ["retrieve", "generate"]
    assert fact.id in [item["id"] for item in events[-2]["read"]]
    assert all(ns and ns[0].startswith("memory:") for ns, mode, _ in chunks if mode == "custom")


def test_the_messages_stream_carries_the_answer_once(services: Services) -> None:
    services.chat_model = GenericFakeChatModel(messages=iter(["Noted, no peanuts."]))
    graph = build_graph(services=services)
    streamed = list(
        graph.stream({"messages": [("user", "I'm allergic to peanuts")]}, run("alice"), stream_mode="messages")
    )
    answer = [m for m, meta in streamed if meta["langgraph_node"] == "generate"]
    assert "".join(m.text for m in answer) == "Noted, no peanuts."  # the tokens, not the reply again
    assert {meta["langgraph_node"] for _, meta in streamed} == {"gate", "tools", "generate"}


def test_memory_tools_work_in_a_tool_calling_agent(services: Services) -> None:
    model = scripted(
        AIMessage(
            "",
            tool_calls=[
                {
                    "name": "remember_long",
                    "id": "c1",
                    "args": {"text": "Bob is vegetarian", "facts": [{"attribute": "diet", "value": "vegetarian"}]},
                }
            ],
        ),
        AIMessage("", tool_calls=[{"name": "recall", "id": "c2", "args": {"query": "what does bob eat"}}]),
        "Bob is vegetarian.",
    )
    agent = create_agent(model, tools=make_memory_tools(services))
    out = agent.invoke({"messages": [("user", "Remember that I'm vegetarian")]}, run("bob"))

    (record,) = services.store.records("bob")
    assert record.tier == "long" and record.fact is not None and record.fact.value == "vegetarian"
    assert record.source_ids == ["c1"] and record.thread_id == "t1"
    stored, recalled = [m for m in out["messages"] if isinstance(m, ToolMessage)]
    assert stored.artifact["written"] == [record.id]
    assert "vegetarian" in recalled.content and recalled.artifact["read"] == [record.id]
    assert f"(id {record.id})" in recalled.content  # what the forget tool takes
    assert services.store.records("alice") == []


def test_middleware_stores_each_message_and_injects_memories(services: Services) -> None:
    model = scripted("Noted.", "You're allergic to peanuts, so skip the satay.")
    agent = create_agent(model, tools=[], system_prompt="Be brief.", middleware=[TierMemMiddleware(services)])

    first = agent.invoke({"messages": [("user", "I'm allergic to peanuts")]}, run("carol", now="2024-05-01T08:00:00"))
    second = agent.invoke({"messages": [("user", "What should I avoid at a Thai place?")]}, run("carol", "t2"))

    assert first["tiermem_decision"]["tier"] == "long" and first["tiermem_context"] == ""
    (record,) = services.store.records("carol", tiers=("long",))  # short: working memory; mid: its episode
    assert record.source_ids == [first["messages"][0].id]
    system = model.prompts[1][0]
    assert isinstance(system, SystemMessage)
    assert system.text.startswith("Be brief.") and "peanut" in system.text.lower()
    assert "peanut" not in model.prompts[0][0].text.lower()  # nothing remembered before the first message
    assert second["tiermem_decision"]["tier"] == "none"
    assert second["messages"][-1].content.startswith("You're allergic")
    assert {t.name for t in TierMemMiddleware(services).tools} == {"recall", "forget"}


def test_middleware_keeps_users_apart(services: Services) -> None:
    model = scripted("ok", "ok")
    agent = create_agent(model, tools=[], middleware=[TierMemMiddleware(services)])
    agent.invoke({"messages": [("user", "I'm allergic to peanuts")]}, run("dave"))
    out = agent.invoke({"messages": [("user", "What am I allergic to?")]}, run("erin"))
    assert out["tiermem_context"] == ""
    assert all(isinstance(m, HumanMessage | AIMessage) for m in out["messages"])
    assert all("peanut" not in m.text.lower() for prompt in model.prompts[1:] for m in prompt if m.type == "system")


def test_a_parent_graphs_thread_belongs_to_one_user(services: Services) -> None:
    import pytest
    from tiermem.memory.errors import InvalidInputError

    services.chat_model = GenericFakeChatModel(messages=iter(["Noted.", "Hello."]))
    parent = StateGraph(MessagesState)
    parent.add_node("memory", build_graph(services=services))
    parent.add_edge(START, "memory")
    app = parent.compile(checkpointer=InMemorySaver())
    app.invoke({"messages": [("user", "My bank PIN is 4321")]}, run("alice"))
    with pytest.raises(InvalidInputError, match="another user's conversation"):
        app.invoke({"messages": [("user", "hello")]}, run("mallory"))  # would have seen alice's history
    assert services.store.records("mallory") == []
    assert app.invoke({"messages": [("user", "hello")]}, run("alice", "t1"))["messages"][-1].content == "Hello."


def test_a_middleware_agents_thread_belongs_to_one_user(services: Services) -> None:
    import pytest
    from tiermem.memory.errors import InvalidInputError

    model = scripted("Noted.", "ok")
    agent = create_agent(model, tools=[], middleware=[TierMemMiddleware(services)], checkpointer=InMemorySaver())
    agent.invoke({"messages": [("user", "My locker code is 7788")]}, run("bob"))
    with pytest.raises(InvalidInputError, match="another user's conversation"):
        agent.invoke({"messages": [("user", "what did I say?")]}, run("eve"))
    assert len(model.prompts) == 1 and services.store.records("eve") == []


def test_a_message_tiermem_cannot_remember_is_still_answered(services: Services) -> None:
    model = scripted("A cat.", "Summarised.")
    agent = create_agent(model, tools=[], middleware=[TierMemMiddleware(services)])
    image = [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]
    out = agent.invoke({"messages": [HumanMessage(content=image)]}, run("fay"))
    assert out["messages"][-1].content == "A cat." and out["tiermem_decision"]["tier"] == "none"
    paste = "Summarise this: " + "lorem ipsum " * 4000  # over max_text_bytes
    out = agent.invoke({"messages": [("user", paste)]}, run("fay"))
    assert out["messages"][-1].content == "Summarised." and "not remembered" in out["tiermem_decision"]["reason"]
    assert services.store.records("fay") == []


def test_the_apps_system_message_keeps_its_blocks(services: Services) -> None:
    model = scripted("Noted.", "ok")
    cached = {"type": "text", "text": "Be brief.", "cache_control": {"type": "ephemeral"}}
    system = SystemMessage(content=[cached], id="sys-1")
    agent = create_agent(model, tools=[], system_prompt=system, middleware=[TierMemMiddleware(services)])
    agent.invoke({"messages": [("user", "I'm allergic to peanuts")]}, run("gus", now="2024-05-01T08:00:00"))
    agent.invoke({"messages": [("user", "What should I avoid?")]}, run("gus", "t2"))
    sent = model.prompts[1][0]
    assert sent.id == "sys-1" and sent.content[0] == cached and "peanut" in sent.content[-1]["text"].lower()


def test_the_middleware_leaves_no_checkpoints_of_its_own(services: Services) -> None:
    saver = InMemorySaver()
    agent = create_agent(scripted("ok", "ok"), tools=[], middleware=[TierMemMiddleware(services)], checkpointer=saver)
    agent.invoke({"messages": [("user", "I'm allergic to peanuts")]}, run("hal"))
    agent.invoke({"messages": [("user", "hello")]}, run("hal"))
    namespaces = {c.config["configurable"]["checkpoint_ns"] for c in saver.list(None)}
    assert namespaces == {""}  # the agent's own; the inner graph ran without its checkpointer


def test_a_parent_graphs_thread_belongs_to_one_user_without_tiermems_replies(services: Services) -> None:
    """With ``respond=False`` the parent's own node answers: no tiermem reply names the user, and
    the parent keeps no tiermem state, so the thread's first user is recorded in the data dir."""
    import pytest
    from tiermem.memory.errors import InvalidInputError

    def answer(state: MessagesState) -> dict[str, Any]:
        return {"messages": [AIMessage(content=f"seen {len(state['messages'])} messages")]}

    parent = StateGraph(MessagesState)
    parent.add_node("memory", build_graph(services=services))
    parent.add_node("answer", answer)
    parent.add_edge(START, "memory")
    parent.add_edge("memory", "answer")
    app = parent.compile(checkpointer=InMemorySaver())
    quiet = {"configurable": {**run("alice")["configurable"], "respond": False}}
    app.invoke({"messages": [("user", "My bank PIN is 4321")]}, quiet)
    intruder = {"configurable": {**run("mallory")["configurable"], "respond": False}}
    with pytest.raises(InvalidInputError, match="another user's conversation"):
        app.invoke({"messages": [("user", "what did I say?")]}, intruder)
    assert services.store.records("mallory") == []
    assert app.invoke({"messages": [("user", "hello")]}, quiet)["messages"][-1].content.startswith("seen")
