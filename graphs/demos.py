"""Scripted demo conversations: YAML files in ``tiermem.demos``, one runner.

A demo lists dated turns (``at``), each from a ``user`` (the memory
namespace). The runner replays them through the real graph on the configured
data dir and reports each message's tier decision, reason and answer.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, Field

from tiermem.memory.errors import NotFoundError

from .builder import build_graph
from .services import Services


class DemoTurn(BaseModel):
    """One scripted message."""

    at: str
    user: str
    text: str
    expect: str | None = None
    """A substring the answer must contain (checked by the tests)."""


class Demo(BaseModel):
    """A scripted conversation."""

    name: str
    description: str = ""
    users: list[str]
    thread: str
    turns: list[DemoTurn]


class TurnResult(BaseModel):
    """What happened to one demo message."""

    at: str
    user: str
    message: str
    tier: str
    reason: str
    facts: list[str] = Field(default_factory=list)
    answer: str | None = None
    mode: str | None = None
    expect: str | None = None


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
    """Replay ``demo`` through the graph and return one result per turn.

    Args:
        demo: the conversation.
        services: components on the target data dir.
        reset: delete the demo users' memories first, so reruns start clean.
        invoke: extra graph compile arguments (e.g. ``checkpointer``).
    """
    if reset:
        for user in demo.users:
            services.store.delete_namespace(user)
    graph = build_graph(services=services, **invoke)
    results: list[TurnResult] = []
    for turn in demo.turns:
        config = {"configurable": {"thread_id": f"{demo.thread}-{turn.user}", "user_id": turn.user, "now": turn.at}}
        out = graph.invoke({"messages": [("user", turn.text)]}, config)
        decision, answer = out["decision"], out.get("answer") or {}
        results.append(
            TurnResult(
                at=turn.at, user=turn.user, message=turn.text, tier=decision["tier"], reason=decision["reason"],
                facts=[f"{f['subject']}.{f['attribute']} = {f['value']}" for f in decision.get("facts") or []],
                answer=answer.get("text"), mode=answer.get("mode"), expect=turn.expect,
            )
        )
    return results
