"""The graph's state: one TypedDict, with reducers for the lists that grow."""

from __future__ import annotations

from typing import Annotated, Any

from langchain_core.messages import AnyMessage
from langgraph.channels.untracked_value import UntrackedValue
from langgraph.graph.message import add_messages
from typing_extensions import TypedDict


class TurnInfo(TypedDict):
    """The validated message of the current turn."""

    run_id: str
    """Id of this turn (``run_id`` from the config's ``configurable`` or ``metadata``, else new); groups its trace."""
    message_id: str
    """Id of the user message; becomes the source id of every memory written from it."""
    text: str
    namespace: str
    """Memory namespace (the run's ``user_id``)."""
    thread_id: str
    now: str
    """Message time, ISO 8601 UTC."""


TURN_START = "ingest"
"""The node whose trace event starts a turn."""


def this_turns_events(current: list[dict[str, Any]] | None, new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reducer of ``trace``: events add up within a turn, and the first event of a turn starts
    the list anew, so a checkpointed thread holds one turn's events, not every turn's (the
    saved traces keep them all)."""
    if new and new[0].get("node") == TURN_START:
        return list(new)
    return [*(current or []), *new]


class MemoryState(TypedDict, total=False):
    """State of one conversation thread."""

    messages: Annotated[list[AnyMessage], add_messages]
    """The user-visible conversation: user messages and assistant answers."""
    memory_messages: Annotated[list[AnyMessage], add_messages]
    """This turn's gate tool-call message and the tools' results, kept out of the conversation
    (each turn starts it anew)."""
    turn: TurnInfo
    decision: dict[str, Any]
    """The gate's :class:`~tiermem.agents.gate.GateDecision` for this turn, as JSON."""
    written: list[str]
    """Record ids written this turn."""
    prefetch_id: str
    """The retrieval the gate started for this turn (:mod:`tiermem.graphs.prefetch`); empty: none."""
    retrieved: list[dict[str, Any]]
    """The retrieval agent's items for this turn, as JSON."""
    answer: dict[str, Any]
    """The responder's :class:`~tiermem.agents.responder.Answer`, as JSON."""
    trace: Annotated[list[dict[str, Any]], this_turns_events]
    """This turn's decision events, appended by every node (node, decision, reason, ms ...)."""
    forgotten: Annotated[list[str], UntrackedValue]
    """What this turn's request to forget erased (the values, the memories' texts): the later nodes
    mask it in what they write. Untracked: it is in no checkpoint and no pending write."""
