"""What a turn's memory writes did, as the responder is told it: what was stored, why a write
was refused, what was forgotten."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langchain_core.messages import AIMessage, ToolMessage
from tiermem.agents.corrections import NOTHING_CORRECTED
from tiermem.agents.fact_names import zh_key
from tiermem.agents.forgetting import ForgetPlan
from tiermem.memory.errors import NotFoundError
from tiermem.memory.masking import mask_standalone
from tiermem.memory.store import TierStore

from .redaction import redact_value


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


def unsaid(text: str, forgotten: list[str] | None) -> str:
    """``text`` with the ``forgotten`` words masked, longest first: what the forget turn writes
    (its reply, its trace events) is written after the forget redacted the copies, and must not
    bring the values back."""
    if not forgotten:
        return text
    return mask_standalone(text, sorted(forgotten, key=len, reverse=True))


def forgotten_words(store: TierStore, namespace: str, plan: ForgetPlan | None) -> list[str]:
    """What forgetting ``plan``'s targets will erase, read before the forget runs (longest first):
    each target's words, its memory's text, and the versions of its fact the forget removes
    (:meth:`~tiermem.memory.store.TierStore.forgotten_versions`) with their texts. The turn masks
    them in its own state before its checkpoint is written (the forget's redaction of the thread
    runs before that write)."""
    words: set[str] = set()
    for target in plan.targets if plan else []:
        words.add(target.said)
        try:
            record = store.get(namespace, target.id)
        except NotFoundError:  # forgotten meanwhile: the forget finds nothing either
            continue
        for each in [record, *store.forgotten_versions(namespace, record, version_only=target.version_only)]:
            words.add(each.text)
            if each.fact is not None:
                words.add(each.fact.value)
    return sorted((w for w in words if w.strip()), key=len, reverse=True)


MASKED_CHANNELS = ("turn", "decision", "answer")
"""State fields the forget turn writes again with the forgotten words masked."""


def masked_state(state: Mapping[str, Any], forgotten: list[str]) -> dict[str, Any]:
    """The state update that masks ``forgotten`` in what the thread holds: a masked copy of each
    message that says it (same id: ``add_messages`` replaces it in place), in the conversation and
    the turn's tool messages, and the turn, decision and answer masked. Empty when nothing says it."""
    if not forgotten:
        return {}
    update: dict[str, Any] = {}
    for channel in ("messages", "memory_messages"):
        replaced = []
        for message in state.get(channel) or []:
            masked = redact_value(message, forgotten)
            if message.id and masked != message:
                replaced.append(masked)
        if replaced:
            update[channel] = replaced
    for channel in MASKED_CHANNELS:
        if (value := state.get(channel)) and (masked := redact_value(value, forgotten)) != value:
            update[channel] = masked
    return update


def _fact_words(fact: dict[str, Any], chinese: bool) -> str:
    """``weight = 45 kg``; another's fact with whose it is: ``friend's allergy = cats``; in Chinese
    words ``体重 = 45 kg``, ``朋友的过敏 = cats``."""
    subject = fact.get("subject", "user")
    if chinese:
        return f"{zh_key(subject + '.' + fact['attribute'])} = {fact['value']}"
    whose = "" if subject == "user" else f"{subject}'s "
    return f"{whose}{fact['attribute']} = {fact['value']}"


_ZH_TIERS = {"short": "短期记忆", "mid": "中期记忆", "long": "长期记忆"}


def remembered_text(decision: dict[str, Any], *, chinese: bool = False) -> str | None:
    """What the gate stored this turn, in a few words (``mid: weight = 45 kg``; another's fact
    says whose: ``long: friend's allergy = cats``); a message read as a correction that changed
    no fact says so, as said (``long; nothing corrected: no fact ... holds Paris to change``).
    For a ``chinese`` message in Chinese words: ``体重 = 45 kg（中期记忆）``."""
    if decision.get("tier", "none") == "none":
        return None
    separator = "，" if chinese else ", "
    facts = separator.join(_fact_words(fact, chinese) for fact in decision.get("facts") or [])
    _, uncorrected, why = str(decision.get("reason", "")).partition(NOTHING_CORRECTED)
    if chinese:
        stored = f"{facts}（{_ZH_TIERS[decision['tier']]}）" if facts else _ZH_TIERS[decision["tier"]]
        return stored + (f"；{uncorrected}{why}" if uncorrected else "")
    return f"{decision['tier']}" + (f": {facts}" if facts else "") + (f"; {uncorrected}{why}" if uncorrected else "")


def refused_text(memory_messages: list[Any]) -> str | None:
    """Why this turn's memory writes were refused (their tool messages' errors), if one was."""
    errors = [str(m.content) for m in memory_messages if isinstance(m, ToolMessage) and m.status == "error"]
    return "; ".join(errors) or None
