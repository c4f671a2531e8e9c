"""Scripted demo conversations: YAML files in ``tiermem.demos``, one runner.

A demo lists dated steps (``at``), each from a ``user`` (the memory
namespace): a message (``text``), or a request to forget a fact
(``forget: user.favorite_drink``, run through the ``forget`` tool, which
deletes every version of the fact). The runner replays them through the real
graph on the configured data dir (each user in thread ``<thread>-<user>``) and
reports each message's tier decision, reason, recalled memories and answer.
``expect`` and ``absent`` state what the answer must and must not show; the
tests check them.
"""

from __future__ import annotations

from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, model_validator
from tiermem.agents.retriever import RetrievedItem
from tiermem.memory.errors import NotFoundError

from .builder import build_graph
from .services import Services
from .tools import make_memory_tools
from .trace_store import TraceStore
from .trace_writer import TraceWriter


class DemoTurn(BaseModel):
    """One scripted step: a message, or forgetting a fact."""

    at: str
    user: str
    text: str | None = None
    forget: str | None = None
    """A fact key (``user.favorite_drink``) whose every version is forgotten."""
    expect: str | None = None
    """A substring the answer must contain (checked by the tests)."""
    absent: list[str] = Field(default_factory=list)
    """Substrings neither the answer nor the recalled memories may contain (checked by the tests)."""

    @model_validator(mode="after")
    def _one_action(self) -> DemoTurn:
        if (self.text is None) == (self.forget is None):
            raise ValueError(f"a demo step at {self.at} needs exactly one of 'text' or 'forget'")
        return self


class Demo(BaseModel):
    """A scripted conversation."""

    name: str
    description: str = ""
    users: list[str]
    thread: str
    turns: list[DemoTurn]

    def thread_for(self, user: str) -> str:
        """The thread id of ``user``'s conversation (its trace file is named after it)."""
        return f"{self.thread}-{user}"


class TurnResult(BaseModel):
    """What happened to one demo step."""

    at: str
    user: str
    thread: str
    step: Literal["message", "forget"] = "message"
    message: str
    tier: str | None = None
    reason: str
    facts: list[str] = Field(default_factory=list)
    recalled: list[str] = Field(default_factory=list)
    """The memories retrieved for the answer, as context lines."""
    answer: str | None = None
    mode: str | None = None
    forgot: int | None = None
    """Rows deleted by a forget step."""
    expect: str | None = None
    absent: list[str] = Field(default_factory=list)


def demo_names() -> list[str]:
    """Names of the shipped demos."""
    folder = resources.files("tiermem.demos")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def load_demo(name: str) -> Demo:
    """Load a shipped demo by name.

    Raises:
        NotFoundError: no demo with that name.
    """
    if name not in demo_names():
        raise NotFoundError(f"no demo named {name!r}; available: {', '.join(demo_names())}")
    text = resources.files("tiermem.demos").joinpath(f"{name}.yaml").read_text("utf-8")
    return Demo.model_validate(yaml.safe_load(text))


def run_demo(demo: Demo, services: Services, *, reset: bool = True, **invoke: Any) -> list[TurnResult]:
    """Replay ``demo`` through the graph and return one result per step.

    Args:
        demo: the conversation.
        services: components on the target data dir.
        reset: delete the demo users' memories and the demo threads' traces
            first, so reruns start clean.
        invoke: extra graph compile arguments (e.g. ``checkpointer``).

    Raises:
        NotFoundError: a forget step names a fact the user does not have.
    """
    traces = TraceStore(services.config.path("traces"))
    if reset:
        for user in demo.users:
            services.store.delete_namespace(user)
            traces.delete(demo.thread_for(user))
    graph = build_graph(services=services, **invoke)
    results = [_forget(turn, demo, services) if turn.forget else _say(turn, demo, graph) for turn in demo.turns]
    if services.config.traces:  # the demo's traces are complete on disk when it returns
        TraceWriter.shared().flush()
    return results


def _say(turn: DemoTurn, demo: Demo, graph: Any) -> TurnResult:
    thread = demo.thread_for(turn.user)
    config = {"configurable": {"thread_id": thread, "user_id": turn.user, "now": turn.at}}
    out = graph.invoke({"messages": [("user", turn.text)]}, config)
    decision, answer = out["decision"], out.get("answer") or {}
    return TurnResult(
        at=turn.at,
        user=turn.user,
        thread=thread,
        message=str(turn.text),
        tier=decision["tier"],
        reason=decision["reason"],
        facts=[f"{f['subject']}.{f['attribute']} = {f['value']}" for f in decision.get("facts") or []],
        recalled=[_line(item) for item in out.get("retrieved") or []],
        answer=answer.get("text"),
        mode=answer.get("mode"),
        expect=turn.expect,
        absent=turn.absent,
    )


def _line(item: dict[str, Any]) -> str:
    return RetrievedItem(**item).render()


def _forget(turn: DemoTurn, demo: Demo, services: Services) -> TurnResult:
    key = str(turn.forget)
    versions = services.store.latest_facts(turn.user, [key]).get(key)
    if not versions:
        raise NotFoundError(f"demo step at {turn.at}: {turn.user!r} has no fact {key!r} to forget; check the key")
    tool = next(t for t in make_memory_tools(services) if t.name == "forget")
    call = {
        "name": "forget",
        "args": {"record_id": versions[0].id},
        "id": f"demo-forget-{turn.at}",
        "type": "tool_call",
    }
    reply = tool.invoke(call, {"configurable": {"user_id": turn.user, "now": turn.at}})
    return TurnResult(
        at=turn.at,
        user=turn.user,
        thread=demo.thread_for(turn.user),
        step="forget",
        message=f"forget {key}",
        reason=str(reply.content),
        forgot=int(reply.artifact["rows"]),
        absent=turn.absent,
    )
