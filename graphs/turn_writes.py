"""What a turn's memory writes did, as the responder is told it: what was stored, why a write
was refused, what was forgotten."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, ToolMessage
from tiermem.agents.corrections import NOTHING_CORRECTED
from tiermem.agents.forgetting import ForgetPlan
from tiermem.memory.masking import mask_standalone


def forgotten_plan(decision: dict[str, Any], memory_messages: list[Any]) -> ForgetPlan | None:
    """This turn's request to forget, with the targets its ``forget`` calls removed."""
    if "forget" not in decision:
        return None
    plan = ForgetPlan.model_validate(decision["forget"])
    called = {
        call["id"]: call["args"].get("record_id")
        for message in memory_messages
        if isinstance(message, AIMessage)
        for call in message.tool_calls
        if call["name"] == "forget"
    }
    done = {
        called.get(message.tool_call_id)
        for message in memory_messages
        if isinstance(message, ToolMessage) and message.status == "success"
    }
    return plan.model_copy(update={"targets": [target for target in plan.targets if target.id in done]})


def unsaid(text: str, plan: ForgetPlan | None) -> str:
    """``text`` with what ``plan`` forgot masked, longest first: the forget turn's own trace events
    are written after the forget redacted the traces, and must not bring the values back."""
    if plan is None:
        return text
    return mask_standalone(text, sorted((t.said for t in plan.targets if t.said), key=len, reverse=True))


def _fact_words(fact: dict[str, Any]) -> str:
    """``weight = 45 kg``; another's fact with whose it is: ``friend's allergy = cats``."""
    whose = "" if fact.get("subject", "user") == "user" else f"{fact['subject']}'s "
    return f"{whose}{fact['attribute']} = {fact['value']}"


def remembered_text(decision: dict[str, Any]) -> str | None:
    """What the gate stored this turn, in a few words (``mid: weight = 45 kg``; another's fact
    says whose: ``long: friend's allergy = cats``); a message read as a correction that changed
    no fact says so, as said (``long; nothing corrected: no fact ... holds Paris to change``)."""
    if decision.get("tier", "none") == "none":
        return None
    facts = ", ".join(_fact_words(fact) for fact in decision.get("facts") or [])
    _, uncorrected, why = str(decision.get("reason", "")).partition(NOTHING_CORRECTED)
    return f"{decision['tier']}" + (f": {facts}" if facts else "") + (f"; {uncorrected}{why}" if uncorrected else "")


def refused_text(memory_messages: list[Any]) -> str | None:
    """Why this turn's memory writes were refused (their tool messages' errors), if one was."""
    errors = [str(m.content) for m in memory_messages if isinstance(m, ToolMessage) and m.status == "error"]
    return "; ".join(errors) or None
