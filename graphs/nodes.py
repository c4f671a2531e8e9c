"""The graph's nodes: plain functions ``(state, config) -> partial update``.

ingest -> gate -> [tools] -> retrieve -> generate. Per-run values (``user_id``,
``thread_id``, ``now``, ``gate``, ``respond``, ``use_retrieval``) come from the
run config's ``configurable``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from langchain_core.messages import AIMessage, HumanMessage, RemoveMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.constants import CONFIG_KEY_CHECKPOINTER
from langgraph.graph.message import REMOVE_ALL_MESSAGES
from tiermem.agents.asked import by_relation, stored_relation_names
from tiermem.agents.gate import GateInput
from tiermem.agents.gate_common import gate_text
from tiermem.agents.pronouns import with_antecedent
from tiermem.agents.replies import is_chinese
from tiermem.agents.secrets import KEPT_OUT, without_secrets
from tiermem.agents.statements import is_forget_request
from tiermem.memory.errors import InvalidInputError, QuotaExceededError
from tiermem.memory.records import (
    MemoryRecord,
    as_aware,
    as_utc,
    new_id,
    not_future,
    utcnow,
    validate_text,
)

from .redaction import redact_value
from .run_input import USER_KEY, answered_user, configurable, message_text, own_turn, responds, run_flag
from .services import Services
from .state import MemoryState, TurnInfo
from .tools import TOOL_FOR_TIER, another_users_thread, run_namespace, run_thread_id
from .trace import Timer, Tracer
from .turn_writes import forgotten_plan, forgotten_words, masked_state, refused_text, remembered_text, unsaid

if TYPE_CHECKING:
    from tiermem.agents.retriever import RetrievalResult


def _since(ts: str) -> float:
    """Milliseconds since the ISO time ``ts`` (the tools node's time, measured after it ran)."""
    return round((utcnow() - as_utc(ts)).total_seconds() * 1000.0, 3)


def _tool_call(name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "args": args, "id": f"call_{new_id()[:16]}", "type": "tool_call"}


def make_nodes(services: Services) -> dict[str, Any]:
    """Node functions bound to ``services``."""
    tracer = Tracer(services.config)

    def finish(node: str, timer: Timer, turn: TurnInfo, update: dict[str, Any], **fields: Any) -> dict[str, Any]:
        """The node's state ``update`` and its trace event (built, streamed, queued) holding ``fields``."""
        return {**update, "trace": [tracer.event(node, timer, dict(turn), **fields)]}

    def retrieval(turn: TurnInfo, vector: np.ndarray, written: Sequence[str] = ()) -> RetrievalResult:
        """The turn's context: the user's memories but the turn's own message and ``written`` records."""
        return services.retriever.retrieve(
            turn["namespace"],
            turn["text"],
            now=as_utc(turn["now"]),
            vector=vector,
            exclude=[*written, turn["message_id"]],  # before the budget is filled
        )

    def ingest(state: MemoryState, config: RunnableConfig) -> dict[str, Any]:
        timer = Timer()
        conf = configurable(config)
        for flag in ("respond", "use_retrieval"):  # a bad one is refused before anything is written
            run_flag(config, flag)
        messages = state.get("messages") or []
        if not messages or not isinstance(messages[-1], HumanMessage):
            raise InvalidInputError("the last message must be a user message; send {'messages': [('user', text)]}")
        message = messages[-1]
        text = validate_text(message_text(message), max_bytes=services.config.max_text_bytes, what="message")
        namespace = run_namespace(conf)
        previous = state.get("turn")
        owner = previous["namespace"] if previous else answered_user(messages[:-1])
        thread = run_thread_id(conf)
        if owner is None and thread and conf.get(CONFIG_KEY_CHECKPOINTER) and services.thread_owners:
            owner = services.thread_owners.claim(thread, namespace)  # a parent graph keeps no tiermem state
        if owner is not None and owner != namespace:  # a checkpointed thread would show its history
            raise another_users_thread(conf.get("thread_id"))
        now = utcnow()
        if conf.get("now") is not None:  # its UTC offset is kept: the speaker's day is what "yesterday" counts from
            now = as_aware(conf["now"], what="configurable 'now'")
            not_future(now, what="configurable 'now'", max_skew=services.max_future_skew)
        turn: TurnInfo = {
            "run_id": str(conf.get("run_id") or config.get("metadata", {}).get("run_id") or new_id()),
            "message_id": message.id or new_id(),
            "text": text,
            "namespace": namespace,
            "thread_id": thread,
            "now": now.isoformat(),
        }
        # sessions of this user that have ended become episodes before anything reads the store
        episodes = services.consolidator.consolidate(namespace, now, current_thread=turn["thread_id"])
        forget_last_turn = [RemoveMessage(id=REMOVE_ALL_MESSAGES)] if state.get("memory_messages") else []
        update = {
            "turn": turn,
            "written": [],
            "prefetch_id": "",
            "retrieved": [],
            "answer": {},
            "memory_messages": forget_last_turn,
        }
        return finish("ingest", timer, turn, update, chars=len(text), episodes=[e.id for e in episodes])

    def gate(state: MemoryState, config: RunnableConfig) -> dict[str, Any]:
        timer = Timer()
        turn = own_turn(state, config)
        decider = services.gate(configurable(config).get("gate"))
        vector = services.embedder.encode_one(turn["text"])
        # "Emma has asthma" after "my girlfriend is Emma" is read as "my girlfriend has asthma"
        names = stored_relation_names(services.store, turn["namespace"], as_utc(turn["now"]))
        read = by_relation(turn["text"], names) if names else turn["text"]
        # "She works as a nurse" after "My sister Anna lives in Berlin": "My sister works as a nurse"
        read = with_antecedent(read, state["messages"][:-1])
        decision = decider.decide(GateInput(text=read, now=as_aware(turn["now"]), vector=vector))
        # "Sorry, I meant Lyon, not Paris": the stored fact that held Paris
        decision = services.correction_resolver.revised(decision, turn["namespace"], turn["text"], as_utc(turn["now"]))
        # "I lost 3 kg": the stored weight's new version
        decision = services.weight_changes.revised(decision, turn["namespace"], turn["text"], as_utc(turn["now"]))
        # "Rex passed away": the held dog Rex ended, the other dogs kept
        decision = services.pet_losses.revised(decision, turn["namespace"], turn["text"], as_utc(turn["now"]))
        calls = []
        if decision.tier != "none":
            args: dict[str, Any] = {"text": turn["text"], "importance": decision.importance}
            if decision.tier != "short":  # a secret said beside a fact stays in working memory only
                args["text"] = without_secrets(turn["text"]) or KEPT_OUT
                args["facts"] = [
                    {
                        "subject": f.subject,
                        "attribute": f.attribute,
                        "value": f.value,
                        "observed_at": f.observed_at.isoformat(),
                    }
                    for f in decision.facts
                ]
            calls.append(_tool_call(TOOL_FOR_TIER[decision.tier], args))
        forget = services.forget_resolver.plan(
            turn["namespace"], turn["text"], as_utc(turn["now"]), thread=turn["thread_id"]
        )
        if forget is not None:  # "please forget my address": the memories it names, by id
            calls += [
                _tool_call("forget", {"record_id": target.id, "version_only": target.version_only})
                for target in forget.targets
            ]
        prefetch_id = ""
        if forget is None and services.config.prefetch_retrieval and responds(config):  # read beside the writes
            prefetch_id = services.prefetch.start(turn["namespace"], functools.partial(retrieval, turn, vector))
        context, refused = None, None
        # the session's working memory: every message with words, but a request to forget (kept nowhere)
        if decision.tier != "short" and gate_text(turn["text"]) is not None and not is_forget_request(turn["text"]):
            try:
                context = services.consolidator.keep(
                    turn["namespace"],
                    turn["text"],
                    message_id=turn["message_id"],
                    thread_id=turn["thread_id"],
                    now=as_utc(turn["now"]),
                    importance=decision.importance,
                )
            except QuotaExceededError as error:  # a full namespace still gets its answers
                refused = str(error)
        message = AIMessage(content=f"{decision.tier}: {decision.reason}", tool_calls=calls, name="gate")
        dumped = decision.model_dump(mode="json") | ({"forget": forget.model_dump(mode="json")} if forget else {})
        update: dict[str, Any] = {"decision": dumped, "memory_messages": [message], "prefetch_id": prefetch_id}
        fields: dict[str, Any] = {
            "decision": decision.tier,
            "reason": forget.reason if forget else decision.reason,
            "scores": decision.scores,
            "decider": decision.decider,
            "importance": decision.importance,
            "facts": [f"{f.subject}.{f.attribute} = {f.value}" for f in decision.facts],
            "tool_calls": [{"name": c["name"], "id": c["id"]} for c in calls],
            "context": context,
            **({"context_refused": refused} if refused else {}),
        }
        # what the forget will erase is masked in this step's state: the thread's checkpoints are
        # redacted by the forget, and every checkpoint written after it must not say it again
        if forgotten := forgotten_words(services.store, turn["namespace"], forget):
            masked = masked_state({"messages": state.get("messages"), "turn": turn}, forgotten)
            update = {**masked, **redact_value(update, forgotten), "forgotten": forgotten}
            turn, fields = masked.get("turn", turn), redact_value(fields, forgotten)
        return finish("gate", timer, turn, update, **fields, end_of_turn=not calls and not responds(config))

    def route_after_gate(state: MemoryState, config: RunnableConfig) -> Literal["tools", "retrieve", "__end__"]:
        last = state["memory_messages"][-1]
        if isinstance(last, AIMessage) and last.tool_calls:
            return "tools"
        return "retrieve" if responds(config) else "__end__"

    def collect(state: MemoryState, config: RunnableConfig) -> dict[str, Any]:
        timer = Timer()
        written: list[str] = []
        fresh: list[str | MemoryRecord] = []  # what promotion checks: the records as written, else their ids
        calls: list[dict[str, Any]] = []
        for message in reversed(state.get("memory_messages") or []):
            if not isinstance(message, ToolMessage):
                break
            artifact = message.artifact or {}
            written.extend(artifact.get("written", []))
            records = artifact.get("records")
            fresh.extend([MemoryRecord.model_validate(r) for r in records] if records else artifact.get("written", []))
            calls.insert(
                0,
                {
                    "name": message.name,
                    "id": message.tool_call_id,
                    "status": message.status,
                    "result": str(message.content),
                    "tier": artifact.get("tier", ""),
                    "written": artifact.get("written", []),
                },
            )
        turn = own_turn(state, config)
        promotions = services.promoter.on_write(turn["namespace"], fresh, as_utc(turn["now"])) if fresh else []
        if promotions and state.get("prefetch_id"):  # memories moved between tiers: the early read is stale
            services.prefetch.drop(state["prefetch_id"])
        if any(p.kind == "mid->long" for p in promotions):  # the ledger changed: retrain the adapter, as remember_long
            services.queue_retrain(turn["namespace"], "promotion")
        # the ToolNode ran between the gate's event and this node: time the tools from the gate's end
        gate_ts = next((e["ts"] for e in reversed(state.get("trace") or []) if e.get("node") == "gate"), None)
        ms = max(timer.ms, _since(gate_ts)) if gate_ts else timer.ms
        update: dict[str, Any] = {"written": written}
        if "forget" in (state.get("decision") or {}):  # what the forget erased, the texts found too
            erased = {*(state.get("forgotten") or []), *services.take_erased(turn["namespace"])}
            if forgotten := sorted(erased, key=len, reverse=True):
                update |= masked_state(state, forgotten) | {"forgotten": forgotten}
                turn, calls = update.get("turn", turn), redact_value(calls, forgotten)
        return finish(
            "tools",
            timer,
            turn,
            update,
            ms=ms,
            written=written,
            tool_calls=calls,
            promotions=[p.model_dump(mode="json") for p in promotions],
            end_of_turn=not responds(config),
        )

    def route_after_collect(state: MemoryState, config: RunnableConfig) -> Literal["retrieve", "__end__"]:
        return "retrieve" if responds(config) else "__end__"

    def retrieve(state: MemoryState, config: RunnableConfig) -> dict[str, Any]:
        timer = Timer()
        turn = own_turn(state, config)
        result = services.prefetch.take(state["prefetch_id"], turn["message_id"]) if state.get("prefetch_id") else None
        prefetched = result is not None
        if result is None:
            vector = services.embedder.encode_one(turn["text"])
            result = retrieval(turn, vector, written=state.get("written") or [])
        items = result.items
        return finish(
            "retrieve",
            timer,
            turn,
            {"retrieved": [item.model_dump(mode="json") for item in items]},
            prefetched=prefetched,
            tokens=result.tokens,
            read=[
                {"id": i.id, "tier": i.tier, "score": round(i.score, 5), "memory": i.render(), "key": i.key}
                for i in items
            ],
        )

    def generate(state: MemoryState, config: RunnableConfig) -> dict[str, Any]:
        from tiermem.agents.retriever import RetrievalResult, RetrievedItem

        timer = Timer()
        turn = own_turn(state, config)
        result = RetrievalResult(query=turn["text"], items=[RetrievedItem(**i) for i in state.get("retrieved") or []])
        history = [m for m in state["messages"][:-1] if isinstance(m, HumanMessage | AIMessage)]
        answer = services.responder.answer(
            turn["text"],
            result,
            history=history[-services.config.history_messages :] if services.config.history_messages else [],
            namespace=turn["namespace"],
            use_retrieval=run_flag(config, "use_retrieval"),
            remembered=remembered_text(state.get("decision") or {}, chinese=is_chinese(turn["text"])),
            message=message if isinstance(message := state["messages"][-1], HumanMessage) else None,
            refused=refused_text(state.get("memory_messages") or []),
            now=as_aware(turn["now"]),
            forgot=forgotten_plan(state.get("decision") or {}, state.get("memory_messages") or []),
        )
        # the forget turn's reply and answer are saved after the forget: they must not say what went
        forgotten = state.get("forgotten") or []
        said = redact_value(answer.model_dump(mode="json"), forgotten) if forgotten else answer.model_dump(mode="json")
        reply = AIMessage(
            content=unsaid(answer.text, forgotten),
            id=answer.message_id,
            response_metadata={"tiermem": said, USER_KEY: turn["namespace"]},
        )
        return finish(
            "generate",
            timer,
            turn,
            {"messages": [reply], "answer": said},
            mode=answer.mode,
            reason=unsaid(answer.reason, forgotten),
            cited=answer.cited,
            adapter_version=answer.adapter_version,
            output=reply.content,
            end_of_turn=True,
        )

    def failure_traced(name: str, node: Node) -> Node:
        """``node``, whose failure ends its turn's trace with an event naming the error (the turn's
        spans are exported then, not held); the error is raised all the same."""

        @functools.wraps(node)
        def run(state: MemoryState, config: RunnableConfig) -> dict[str, Any]:
            timer = Timer()
            try:
                return node(state, config)
            except Exception as exc:
                turn = dict(state["turn"]) if name != "ingest" and state.get("turn") else None
                error = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
                where = {} if turn else _where(config)
                if turn or where:
                    tracer.event(name, timer, turn, error=error, end_of_turn=True, **where)
                raise

        return run

    return {
        "ingest": failure_traced("ingest", ingest),
        "gate": failure_traced("gate", gate),
        "route_after_gate": route_after_gate,
        "collect": failure_traced("collect", collect),
        "route_after_collect": route_after_collect,
        "retrieve": failure_traced("retrieve", retrieve),
        "generate": failure_traced("generate", generate),
    }


Node = Callable[[MemoryState, RunnableConfig], dict[str, Any]]
MAX_ERROR_CHARS = 500
"""Characters of an error kept in its trace event."""


def _where(config: RunnableConfig) -> dict[str, str]:
    """The run and thread of a message refused before its turn began; empty where the thread id
    is itself what was refused (an invalid id names no file to trace in)."""
    conf = configurable(config)
    try:
        thread = run_thread_id(conf)
    except InvalidInputError:
        return {}
    return {"run_id": str(conf.get("run_id") or new_id()), "thread_id": thread}
