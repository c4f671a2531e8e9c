"""What a node reads of its run: the config's switches, the user's message, and whose turn and
thread it is."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, HumanMessage
from langchain_core.runnables import RunnableConfig
from tiermem.memory.errors import InvalidInputError

from .state import MemoryState, TurnInfo
from .tools import another_users_thread, run_namespace


def configurable(config: RunnableConfig) -> dict[str, Any]:
    """A copy of the run config's ``configurable`` values (empty where it has none)."""
    return dict(config.get("configurable") or {})


def run_flag(config: RunnableConfig, name: str) -> bool:
    """The run's ``configurable[name]`` switch (``respond``, ``use_retrieval``): on unless set.

    Raises:
        InvalidInputError: it is set to something else than a bool (``"false"`` would read as true).
    """
    value = configurable(config).get(name, True)
    if not isinstance(value, bool):
        raise InvalidInputError(f"configurable {name!r} must be true or false, got {value!r:.80}")
    return value


def responds(config: RunnableConfig) -> bool:
    """Whether the run asks for a reply (its ``respond`` switch)."""
    return run_flag(config, "respond")


def own_turn(state: MemoryState, config: RunnableConfig) -> TurnInfo:
    """The turn in progress, when it is the run's own user's.

    A turn resumed (after an interrupt or a failed node) with another user's ``user_id`` would
    write one user's message into the other's memories and show the other the first's.

    Raises:
        InvalidInputError: the turn was started by another user.
    """
    turn = state["turn"]
    if turn["namespace"] != run_namespace(configurable(config)):
        raise another_users_thread(configurable(config).get("thread_id"))
    return turn


def message_text(message: HumanMessage) -> str | bytes:
    """The text of a user message: its content, or the text of its content blocks joined as
    LangChain joins them (``[{"type": "text", "text": ...}, ...]``, as chat UIs send them).

    Raises:
        InvalidInputError: the blocks hold no text (only images, say): memories are text.
    """
    content = message.content
    if isinstance(content, str | bytes):
        return content
    text = message.text
    if not text.strip():
        kinds = sorted({str(b.get("type")) if isinstance(b, dict) else type(b).__name__ for b in content})
        raise InvalidInputError(
            f"message has no text, only content blocks of type {kinds}; tiermem remembers text: "
            "send a text block ({'type': 'text', 'text': ...}) or a string"
        )
    return text


USER_KEY = "tiermem_user"
"""Where a reply's ``response_metadata`` names the user it answered: a thread of a parent graph
(tiermem as its node) keeps no tiermem state, but it keeps the replies."""


def answered_user(history: list[Any]) -> str | None:
    """The user the newest tiermem reply in ``history`` answered, if any."""
    for message in reversed(history):
        if isinstance(message, AIMessage) and USER_KEY in message.response_metadata:
            return str(message.response_metadata[USER_KEY])
    return None
