"""Scripted demo conversations: YAML files in ``tiermem.demos``, one runner.

A demo lists dated steps (``at``), each from a ``user`` (the memory
namespace): a message (``text``; ``retrieval: false`` answers it from the
weights alone), a request to forget a fact (``forget: user.favorite_drink``,
run through the ``forget`` tool, which deletes every version of the fact), or
``worker: true``: what ``tiermem worker --once`` does, train, evaluate and
promote the queued adapters (run only when the runner is asked to train:
it takes a minute or more on a CPU). The runner replays them through the real
graph on the configured data dir (each user in thread ``<thread>-<user>``) and
reports each message's tier decision, reason, recalled memories and answer.
``expect`` and ``absent`` state what the answer must and must not show,
``expect_adapter`` what it must show when an adapter answered; the tests
check them.
"""

from __future__ import annotations

import shlex
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, Field, model_validator
from tiermem.agents.retriever import RetrievedItem
from tiermem.memory.adapters.config import Runtime, TrainConfig
from tiermem.memory.errors import InvalidInputError, NotFoundError

from .builder import build_graph
from .config import TierMemConfig
from .services import Services
from .tools import make_memory_tools
from .trace_store import TraceStore
from .trace_writer import TraceWriter

if TYPE_CHECKING:
    from tiermem.memory.adapters.queue import Job


class DemoTurn(BaseModel):
    """One scripted step: a message, forgetting a fact, or running the adapter worker."""

    at: str
    user: str
    text: str | None = None
    forget: str | None = None
    """A fact key (``user.favorite_drink``) whose every version is forgotten."""
    worker: bool = False
    """Process the queued adapter jobs, as ``tiermem worker --once``."""
    retrieval: bool = True
    """``False``: answer the message from the weights alone (``tiermem chat --no-retrieval``)."""
    expect: str | None = None
    """A substring the answer must contain (checked by the tests)."""
    expect_adapter: str | None = None
    """A substring the answer must contain when an adapter answered it (checked by the tests)."""
    absent: list[str] = Field(default_factory=list)
    """Substrings neither the answer nor the recalled memories may contain (checked by the tests)."""

    @model_validator(mode="after")
    def _one_action(self) -> DemoTurn:
        if [self.text is not None, self.forget is not None, self.worker].count(True) != 1:
            raise ValueError(f"a demo step at {self.at} needs exactly one of 'text', 'forget' or 'worker'")
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
    step: Literal["message", "forget", "worker"] = "message"
    message: str
    tier: str | None = None
    reason: str
    facts: list[str] = Field(default_factory=list)
    recalled: list[str] = Field(default_factory=list)
    """The memories retrieved for the answer, as context lines (none when retrieval is off)."""
    answer: str | None = None
    mode: str | None = None
    adapter: str | None = None
    """The adapter version that answered (``None``: the base weights)."""
    forgot: int | None = None
    """Rows deleted by a forget step."""
    jobs: list[dict[str, Any]] = Field(default_factory=list)
    """A worker step's finished jobs: id, state, version, promoted, reasons, evaluation metrics."""
    expect: str | None = None
    expect_adapter: str | None = None
    absent: list[str] = Field(default_factory=list)


def command_line(config: TierMemConfig, *words: str) -> str:
    """``tiermem WORDS`` as a hint to run as printed: with ``--data-dir`` when ``config``'s data
    dir is not the default one.

    Example:
        >>> command_line(TierMemConfig(data_dir="my data"), "worker", "--once")
        "tiermem worker --once --data-dir 'my data'"
    """
    default = TierMemConfig.model_fields["data_dir"].default
    data_dir = ["--data-dir", config.data_dir] if config.data_dir != default else []
    return shlex.join(["tiermem", *words, *data_dir])


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


def run_demo(
    demo: Demo,
    services: Services,
    *,
    reset: bool = True,
    train: bool = False,
    train_config: TrainConfig | None = None,
    runtime: Runtime | None = None,
    **invoke: Any,
) -> list[TurnResult]:
    """Replay ``demo`` through the graph and return one result per step.

    Args:
        demo: the conversation.
        services: components on the target data dir.
        reset: delete the demo users' memories, adapters and the demo threads'
            traces first, so reruns start clean.
        train: run the worker steps (train, evaluate, promote); otherwise they
            are reported as skipped and the jobs stay queued for ``tiermem worker``.
        train_config: how the worker steps train (default: the worker's).
        runtime: device and threads of the worker steps.
        invoke: extra graph compile arguments (e.g. ``checkpointer``).

    Raises:
        NotFoundError: a forget step names a fact the user does not have.
        InvalidInputError: ``reset`` would delete memories a demo user holds from outside this
            demo (another thread's: a real user of that name on this data dir); nothing is deleted.
    """
    traces = TraceStore(services.config.path("traces"))
    if reset:
        _refuse_foreign_memories(demo, services)
        for user in demo.users:
            services.store.delete_namespace(user)
            services.registry.purge(user, [v.version for v in services.registry.versions(user)])
            traces.delete(demo.thread_for(user))
    graph = build_graph(services=services, **invoke)
    results = []
    for turn in demo.turns:
        if turn.forget:
            results.append(_forget(turn, demo, services))
        elif turn.worker:
            results.append(_work(turn, demo, services, train, train_config, runtime))
        else:
            results.append(_say(turn, demo, graph))
    if services.config.traces:  # the demo's traces are complete on disk when it returns
        TraceWriter.shared().flush()
    return results


def _refuse_foreign_memories(demo: Demo, services: Services) -> None:
    """Raise before a reset deletes any demo user's lasting memories that did not come from this demo.

    Every memory a demo writes is on its user's demo thread (:meth:`Demo.thread_for`); a mid- or
    long-term one on another thread (or none) was written by someone else: a real ``alice``
    chatting on the default data dir. Short-term rows, which expire within the TTL anyway, do
    not hold a reset back: asking the demo's user a question (``tiermem chat --user alice``, as
    the README does after the demo) leaves one, and the demo must still run again.
    """
    foreign = {}
    for user in demo.users:
        lasting = services.store.records(user, tiers=("mid", "long"))
        threads = {row.thread_id for row in lasting} - {demo.thread_for(user)}
        if threads:
            foreign[user] = sorted(repr(t) if t else "(none)" for t in threads)
    if foreign:
        held = "; ".join(f"{user!r} on threads {', '.join(threads[:5])}" for user, threads in foreign.items())
        raise InvalidInputError(
            f"the {demo.name} demo starts its users afresh, and this data dir holds their memories from "
            f"outside the demo ({held}); nothing was deleted: run it on another --data-dir, or with --keep"
        )


def _say(turn: DemoTurn, demo: Demo, graph: Any) -> TurnResult:
    thread = demo.thread_for(turn.user)
    configurable = {"thread_id": thread, "user_id": turn.user, "now": turn.at, "use_retrieval": turn.retrieval}
    config = {"configurable": configurable}
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
        recalled=[_line(item) for item in out.get("retrieved") or []] if turn.retrieval else [],
        answer=answer.get("text"),
        mode=answer.get("mode"),
        adapter=answer.get("adapter_version"),
        expect=turn.expect,
        expect_adapter=turn.expect_adapter,
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


def _work(
    turn: DemoTurn,
    demo: Demo,
    services: Services,
    train: bool,
    train_config: TrainConfig | None,
    runtime: Runtime | None,
) -> TurnResult:
    result = TurnResult(
        at=turn.at, user=turn.user, thread=demo.thread_for(turn.user), step="worker", message="", reason=""
    )
    if not train:
        queued = len(services.queue.list(state="queued"))
        result.message = "tiermem worker --once (skipped)"
        result.reason = (
            f"{queued} adapter job(s) queued; the demo trains them with --train, "
            f"or run `{command_line(services.config, 'worker', '--once')}` next (a minute or more on a CPU)"
        )
        return result
    from tiermem.memory.adapters.worker import job_summary, run_worker  # loads torch

    finished: list[Job] = []
    run_worker(
        services.queue,
        services.registry,
        services.store.ledger_facts,
        once=True,
        train_config=train_config,
        runtime=runtime,
        on_finished=finished.append,
    )
    result.message = "tiermem worker --once"
    result.jobs = [job_summary(job) for job in finished]
    result.reason = f"{len(finished)} adapter job(s) finished" if finished else "no adapter job was queued"
    return result
