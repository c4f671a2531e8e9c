"""The LangChain tools the gate calls: ``remember_short|mid|long``, ``recall``, ``forget``.

They are ordinary tools, so any tool-calling agent can use them too. The user
is always the run config's ``configurable["user_id"]`` (never an argument a
model could set); the turn's time and message id come from tiermem's own
graph state when the tools run inside it, else from ``configurable`` (``now``).
An argument the model can fix (an empty or too long text, a date that is not
ISO 8601 or lies ahead, ``k < 1``) or a full namespace comes back to the model
as a tool message with status ``error`` (``not stored: ...``), as the
argument schema's own errors do in a ``ToolNode``: the agent's run goes on.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import cache
from typing import Annotated, Any, TypeVar

from langchain_core.runnables import RunnableConfig
from langchain_core.tools import BaseTool, InjectedToolCallId, ToolException, tool
from langgraph.prebuilt import InjectedState
from pydantic import BaseModel, Field, ValidationError
from tiermem.memory.errors import InvalidInputError, NotFoundError, QuotaExceededError
from tiermem.memory.records import Fact, Importance, MemoryRecord, Tier, as_utc, validate_namespace

from .services import Services

log = logging.getLogger(__name__)

_T = TypeVar("_T")

TOOL_FOR_TIER: dict[Tier, str] = {"short": "remember_short", "mid": "remember_mid", "long": "remember_long"}


class FactArg(BaseModel):
    """A fact as a tool argument."""

    attribute: str = Field(description="snake_case attribute, e.g. weight, allergy, lives_in")
    value: str = Field(description="the value with its unit, e.g. '45 kg'")
    subject: str = Field(default="user", description="who the fact is about")
    observed_at: str | None = Field(default=None, description="ISO time the fact was true; default: now")


class _Context(BaseModel):
    namespace: str
    now: datetime
    source_id: str
    thread_id: str


DEFAULT_USER = "default"
"""The namespace of runs that give no ``user_id``."""


def run_namespace(configurable: Mapping[str, Any]) -> str:
    """The run's memory namespace: its ``user_id``, validated; :data:`DEFAULT_USER` without one
    (a warning, once per process: every run without a ``user_id`` shares those memories).

    Raises:
        InvalidNamespaceError: the ``user_id`` is not a valid namespace.
    """
    if "user_id" not in configurable:
        _warn_default_user()
    return validate_namespace(configurable.get("user_id", DEFAULT_USER))


MAX_THREAD_ID_CHARS = 1024


def run_thread_id(configurable: Mapping[str, Any]) -> str:
    """The run's ``thread_id`` as text (none: ``""``), checked: saved traces and checkpoints are
    keyed by it.

    Raises:
        InvalidInputError: it is longer than :data:`MAX_THREAD_ID_CHARS`, or holds a control
            character, a line or paragraph separator or a lone surrogate.
    """
    value = configurable.get("thread_id")
    thread = "" if value is None else str(value)
    if len(thread) > MAX_THREAD_ID_CHARS or any(unicodedata.category(c) in _NOT_IN_IDS for c in thread):
        raise InvalidInputError(
            f"thread id {thread!r:.80}: give at most {MAX_THREAD_ID_CHARS} printable characters "
            "(no control characters, line separators or lone surrogates)"
        )
    return thread


_NOT_IN_IDS = frozenset({"Cc", "Cs", "Zl", "Zp"})
"""Unicode categories no thread id may hold: controls (C0 and C1), surrogates, line and paragraph
separators."""


@cache
def _warn_default_user() -> None:
    log.warning(
        "a run without configurable['user_id']: its memories go to namespace %r, shared by every run "
        "without one; pass each user's id",
        DEFAULT_USER,
    )


_TURN_KEYS = frozenset({"namespace", "now", "message_id", "thread_id"})


def another_users_thread(thread_id: object) -> InvalidInputError:
    """The error for a message on a thread that holds another user's conversation."""
    return InvalidInputError(
        f"thread {thread_id!r:.80} holds another user's conversation; a thread belongs to one user: "
        "use a thread id of your own (e.g. prefix it with the user id)"
    )


def _context(state: dict[str, Any] | None, config: RunnableConfig, tool_call_id: str) -> _Context:
    """The user (always the run config's), time, source and thread of a tool call.

    A state's ``turn`` is tiermem's where it has tiermem's keys (an app's state may hold a
    ``turn`` of its own); one of another user is refused: a turn resumed with another user's
    ``user_id``, or a ``state`` argument given to a tool invoked directly.

    Raises:
        InvalidInputError: the state's turn is another user's. It is raised, not returned to the
            model: the tool node fails and the interrupted turn stays pending for its own user.
    """
    configurable = config.get("configurable", {})
    namespace = run_namespace(configurable)
    turn = (state or {}).get("turn")
    if isinstance(turn, Mapping) and turn.keys() >= _TURN_KEYS:
        if turn["namespace"] != namespace:
            raise another_users_thread(configurable.get("thread_id"))
        return _Context(
            namespace=namespace, now=as_utc(turn["now"]), source_id=turn["message_id"], thread_id=turn["thread_id"]
        )
    return _Context(
        namespace=namespace,
        now=as_utc(configurable.get("now")),
        source_id=tool_call_id,
        thread_id=run_thread_id(configurable),
    )


def _told(what: str, call: Callable[[], _T]) -> _T:
    """``call()``, with an error the model can act on (its argument, a full namespace) raised as
    a :class:`ToolException`, which the tool returns as an error message ("``what``: why")."""
    try:
        return call()
    except (InvalidInputError, NotFoundError, QuotaExceededError) as exc:
        raise ToolException(f"{what}: {exc}") from exc
    except ValidationError as exc:  # a fact's subject or attribute, a record's field
        wrong = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in exc.errors())
        raise ToolException(f"{what}: {wrong}") from exc


def make_memory_tools(services: Services) -> list[BaseTool]:
    """Build the memory tools bound to one store and config."""

    def write(
        tier: Tier, text: str, facts: list[FactArg], importance: float, ctx: _Context
    ) -> tuple[str, dict[str, Any]]:
        common = dict(
            namespace=ctx.namespace,
            tier=tier,
            created_at=ctx.now,
            source_ids=[ctx.source_id],
            importance=importance,
            thread_id=ctx.thread_id,
        )
        if tier == "short":
            records = [MemoryRecord(text=text, expires_at=ctx.now + services.short_ttl, **common)]
        elif facts:
            records = [
                MemoryRecord(
                    text=text,
                    kind="fact",
                    fact=Fact(
                        subject=f.subject,
                        attribute=f.attribute,
                        value=f.value,
                        observed_at=as_utc(f.observed_at) if f.observed_at else ctx.now,
                        statement=text,
                    ),
                    **common,
                )
                for f in facts
            ]
        else:
            records = [MemoryRecord(text=text, **common)]
        ids = services.store.write(records)
        summary = "; ".join(f"{r.key} = {r.fact.value}" for r in records if r.fact) or text[:80]
        # the records themselves too, so the graph's promotion check need not read them back
        records_json = [r.model_dump(mode="json") for r in records]
        artifact: dict[str, Any] = {"tier": tier, "written": ids, "records": records_json}
        if tier == "long":
            artifact["adapter_job"] = services.queue_retrain(ctx.namespace, "remember_long")
            queued = f"queued: job {artifact['adapter_job']}" if artifact["adapter_job"] else "not queued (see the log)"
            summary += f" (adapter retrain {queued})"
        return f"stored in {tier}-term memory: {summary}", artifact

    @tool(response_format="content_and_artifact")
    def remember_short(
        text: str,
        importance: Importance = 0.3,
        *,
        state: Annotated[dict[str, Any], InjectedState] = None,  # type: ignore[assignment]
        config: RunnableConfig,
        tool_call_id: Annotated[str, InjectedToolCallId],
    ) -> tuple[str, dict[str, Any]]:
        """Keep something true for this conversation or the next hours (expires after the TTL)."""
        ctx = _context(state, config, tool_call_id)
        return _told("not stored", lambda: write("short", text, [], importance, ctx))

    def remember_facts_tool(tier: Tier, default_importance: float, description: str) -> BaseTool:
        def remember(
            text: str,
            facts: list[FactArg] | None = None,
            importance: Importance = default_importance,
            *,
            state: Annotated[dict[str, Any], InjectedState] = None,  # type: ignore[assignment]
            config: RunnableConfig,
            tool_call_id: Annotated[str, InjectedToolCallId],
        ) -> tuple[str, dict[str, Any]]:
            ctx = _context(state, config, tool_call_id)
            return _told("not stored", lambda: write(tier, text, facts or [], importance, ctx))

        return tool(TOOL_FOR_TIER[tier], description=description, response_format="content_and_artifact")(remember)

    remember_mid = remember_facts_tool(
        "mid", 0.6, "Keep a fact true for days to months (plans, measurements); each is a new version."
    )
    remember_long = remember_facts_tool(
        "long",
        0.8,
        "Keep a durable fact (identity, relationships, allergies, lasting preferences) in the ledger.",
    )

    @tool(response_format="content_and_artifact")
    def recall(
        query: str,
        k: int = 5,
        *,
        state: Annotated[dict[str, Any], InjectedState] = None,  # type: ignore[assignment]
        config: RunnableConfig,
        tool_call_id: Annotated[str, InjectedToolCallId],
    ) -> tuple[str, dict[str, Any]]:
        """Search the user's memories across all tiers; each line starts with the memory's id
        (what ``forget`` takes)."""
        ctx = _context(state, config, tool_call_id)
        result = _told("nothing recalled", lambda: services.retriever.retrieve(ctx.namespace, query, now=ctx.now, k=k))
        lines = [f"(id {item.id}) {item.render()}" for item in result.items]
        return "\n".join(lines) or "no memories found", {"read": [i.id for i in result.items]}

    @tool(response_format="content_and_artifact")
    def forget(
        record_id: str,
        version_only: bool = False,
        *,
        state: Annotated[dict[str, Any], InjectedState] = None,  # type: ignore[assignment]
        config: RunnableConfig,
        tool_call_id: Annotated[str, InjectedToolCallId],
    ) -> tuple[str, dict[str, Any]]:
        """Delete a memory (and every version of its fact, unless ``version_only``) from all tiers,
        by the id ``recall`` shows."""
        ctx = _context(state, config, tool_call_id)
        removed = _told(
            "nothing forgotten (call recall for the memory's id)",
            lambda: services.forget(ctx.namespace, record_id, version_only=version_only),
        )
        return f"forgot {removed.rows} {'memory' if removed.rows == 1 else 'memories'}", removed.model_dump(mode="json")

    tools = [remember_short, remember_mid, remember_long, recall, forget]
    for each in tools:
        each.handle_tool_error = True  # a ToolException goes back to the model as an error message
    return tools
