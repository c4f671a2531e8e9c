"""tiermem as agent middleware for ``langchain.agents.create_agent`` (extra ``langchain``).

On each user message the middleware runs tiermem's gate and memory tools
(the compiled graph with ``respond=False``: the message is stored in the tier
the gate picks, with a trace), then asks the retrieval agent for the user's
memories and adds them to the system message of every model call of that
agent run. The agent model also gets the ``recall`` and ``forget`` tools.

Example:
    >>> from langchain.agents import create_agent
    >>> from tiermem.graphs.middleware import TierMemMiddleware
    >>> agent = create_agent(model, tools=[], middleware=[TierMemMiddleware()])
    >>> agent.invoke(
    ...     {"messages": [("user", "I'm allergic to peanuts")]},
    ...     {"configurable": {"user_id": "alice", "thread_id": "t1"}},
    ... )
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, NotRequired

from langchain_core.messages import HumanMessage, SystemMessage
from langgraph.config import get_config
from langgraph.runtime import Runtime
from tiermem.memory.errors import InvalidInputError
from tiermem.memory.records import as_utc, validate_text

from .builder import build_graph
from .config import TierMemConfig
from .run_input import message_text
from .services import Services
from .tools import another_users_thread, make_memory_tools, run_namespace

try:
    from langchain.agents.middleware import AgentMiddleware, AgentState, ModelRequest, ModelResponse
except ImportError as exc:  # pragma: no cover - depends on the optional extra
    raise ImportError("tiermem.graphs.middleware needs LangChain v1 agents: pip install 'tiermem[langchain]'") from exc

log = logging.getLogger(__name__)

MEMORY_PROMPT = "What you remember about this user (newest first; cite nothing else as memory):\n{context}"
AGENT_TOOLS = ("recall", "forget")


class TierMemState(AgentState[Any]):
    """The agent state, plus what tiermem did for the current user message."""

    tiermem_context: NotRequired[str]
    """The retrieved memories, as context lines (empty when none)."""
    tiermem_decision: NotRequired[dict[str, Any]]
    """The gate's decision for the last user message, as JSON."""
    tiermem_user: NotRequired[str]
    """The user this thread belongs to (another user's message on it is refused)."""


class TierMemMiddleware(AgentMiddleware[TierMemState, Any]):
    """Runs tiermem on each user message and gives the model the user's memories.

    The user and thread come from the run config's ``configurable``
    (``user_id``, ``thread_id``, optional ``now``), as for tiermem's graph.

    Args:
        services: tiermem's components (default: built from ``config``).
        config: settings when ``services`` is not given (default: file + env).
        tools: names of memory tools the agent model may call
            (``recall``, ``forget``, ``remember_short|mid|long``); the gate
            already stores every message, so the default leaves ``remember_*`` out.
    """

    state_schema = TierMemState

    def __init__(
        self,
        services: Services | None = None,
        *,
        config: TierMemConfig | None = None,
        tools: Sequence[str] = AGENT_TOOLS,
    ) -> None:
        super().__init__()
        self.services = services or Services(config or TierMemConfig.load())
        self.graph = build_graph(services=self.services)
        available = {tool.name: tool for tool in make_memory_tools(self.services)}
        unknown = sorted(set(tools) - set(available))
        if unknown:
            raise ValueError(f"unknown memory tools {unknown}; choose from {sorted(available)}")
        self.tools = [available[name] for name in tools]

    def remember_and_recall(self, state: TierMemState) -> dict[str, Any] | None:
        """Gate and store the last user message, then retrieve the user's memories for it."""
        messages = state.get("messages") or []
        if not messages or not isinstance(messages[-1], HumanMessage):
            return None
        configurable = dict(get_config().get("configurable") or {})
        namespace = run_namespace(configurable)
        owner = state.get("tiermem_user")
        if owner is not None and owner != namespace:  # the agent's checkpointed history is the owner's
            raise another_users_thread(configurable.get("thread_id"))
        message = HumanMessage(content=messages[-1].content, id=messages[-1].id)
        try:
            validate_text(message_text(message), max_bytes=self.services.config.max_text_bytes, what="message")
        except InvalidInputError as exc:  # no text to remember (an image alone, a long paste): the agent answers
            log.info("message not remembered: %s", exc)
            decision = {"tier": "none", "reason": f"not remembered: {exc}", "facts": []}
            return {"tiermem_context": "", "tiermem_decision": decision, "tiermem_user": namespace}
        # the agent's own run internals (its checkpointer, task namespace) are not the inner graph's
        inner = {k: v for k, v in configurable.items() if not k.startswith(("__", "checkpoint_"))}
        out = self.graph.invoke({"messages": [message]}, {"configurable": {**inner, "respond": False}})
        turn = out["turn"]
        own = [*(out.get("written") or []), turn["message_id"]]  # left out before the budget is filled
        result = self.services.retriever.retrieve(namespace, turn["text"], now=as_utc(turn["now"]), exclude=own)
        context = result.context()
        return {"tiermem_context": context, "tiermem_decision": out["decision"], "tiermem_user": namespace}

    def before_agent(self, state: TierMemState, runtime: Runtime[Any]) -> dict[str, Any] | None:
        """Store the new user message and fetch the memories for this agent run."""
        return self.remember_and_recall(state)

    async def abefore_agent(self, state: TierMemState, runtime: Runtime[Any]) -> dict[str, Any] | None:
        """Async variant of :meth:`before_agent` (the store and models are synchronous)."""
        return await asyncio.to_thread(self.remember_and_recall, state)

    @staticmethod
    def with_memories(request: ModelRequest) -> ModelRequest:
        """``request`` with the retrieved memories appended to its system message."""
        context = request.state.get("tiermem_context")
        if not context:
            return request
        memories = MEMORY_PROMPT.format(context=context)
        system = request.system_message
        if system is None:
            return request.override(system_message=SystemMessage(memories))
        if isinstance(system.content, str):  # the app's message keeps its id, kwargs and metadata
            return request.override(
                system_message=system.model_copy(update={"content": f"{system.content}\n\n{memories}"})
            )
        blocks = [*system.content, {"type": "text", "text": memories}]  # its blocks (cache markers) stay as they are
        return request.override(system_message=system.model_copy(update={"content": blocks}))

    def wrap_model_call(self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]) -> ModelResponse:
        """Call the model with the user's memories in the system message."""
        return handler(self.with_memories(request))

    async def awrap_model_call(
        self, request: ModelRequest, handler: Callable[[ModelRequest], Awaitable[ModelResponse]]
    ) -> ModelResponse:
        """Async variant of :meth:`wrap_model_call`."""
        return await handler(self.with_memories(request))
