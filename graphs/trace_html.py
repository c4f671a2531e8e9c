"""``tiermem trace html``: one thread's trace as a single self-contained page.

A timeline of turns; per message the gate's tier and reason (with its
scores), the tool calls and the facts they wrote (with record ids), what the
retrieval agent returned (scores, and a link to the turn that wrote each
memory), and the answer with its mode, reason, cited ids and adapter version.
A table at the top lists every memory the thread wrote and the later turns
that retrieved it. No scripts, fonts or images are loaded: the file opens
offline anywhere.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from typing import Any

from .trace_css import CSS
from .trace_store import TraceTurn

TIERS = ("none", "short", "mid", "long")


def h(name: str, *children: str, cls: str = "", **attrs: str) -> str:
    """An HTML element; ``children`` are already-escaped HTML, attribute values are escaped here."""
    if cls:
        attrs = {"class": cls, **attrs}
    rendered = "".join(f' {key}="{escape(value)}"' for key, value in attrs.items())
    return f"<{name}{rendered}>{''.join(children)}</{name}>"


def text(value: Any) -> str:
    """Escaped text."""
    return escape(str(value), quote=False)


def _when(iso: str) -> str:
    try:
        return f"{datetime.fromisoformat(iso):%Y-%m-%d %H:%M}"
    except (TypeError, ValueError):
        return text(iso)


def _ms(ms: float) -> str:
    return f"{ms / 1000:.2f} s" if ms >= 1000 else f"{ms:.0f} ms"


def _record(record_id: str) -> str:
    return h("span", text(record_id[:12]), cls="id", title=record_id)


def _badge(tier: str, extra: str = "") -> str:
    return h("span", text(tier), cls=f"badge {tier} {extra}".strip())


def _turn_link(number: int) -> str:
    return h("a", f"turn {number}", href=f"#turn-{number}")


def _section(label: str, *body: str) -> str:
    return h("div", h("div", label, cls="label"), h("div", *body), cls="section")


def _table(header: list[str], rows: list[list[str]], cls: str = "", marks: list[str] | None = None) -> str:
    head = h("tr", *(h("th", column) for column in header))
    body = [h("tr", *(h("td", cell) for cell in row), cls=(marks or [""] * len(rows))[i]) for i, row in enumerate(rows)]
    return h("table", head, *body, cls=cls)


def written_by(turns: list[TraceTurn]) -> dict[str, int]:
    """Record id -> number (1-based) of the turn whose tool calls wrote it."""
    return {rid: n for n, turn in enumerate(turns, 1) for rid in turn.node("tools").get("written") or []}


def read_by(turns: list[TraceTurn]) -> dict[str, list[tuple[int, bool]]]:
    """Record id -> ``(turn number, cited by the answer)`` of every turn that retrieved it."""
    reads: dict[str, list[tuple[int, bool]]] = {}
    for n, turn in enumerate(turns, 1):
        cited = set(turn.node("generate").get("cited") or [])
        for item in turn.node("retrieve").get("read") or []:
            reads.setdefault(item["id"], []).append((n, item["id"] in cited))
    return reads


def facts_written(turns: list[TraceTurn]) -> list[dict[str, Any]]:
    """Every memory the thread wrote: turn number, tier, what (fact or text) and record id."""
    rows = []
    for n, turn in enumerate(turns, 1):
        gate, tools = turn.node("gate"), turn.node("tools")
        facts = gate.get("facts") or []
        for i, rid in enumerate(tools.get("written") or []):
            what = facts[i] if i < len(facts) else turn.first.get("input", "")
            rows.append({"turn": n, "tier": gate.get("decision", ""), "what": what, "id": rid})
    return rows


def _scores(scores: dict[str, float]) -> str:
    cells = []
    for tier in (t for t in TIERS if t in scores):
        value = float(scores[tier])
        bar = h("span", h("i", cls=tier, style=f"width:{max(0.0, min(1.0, value)) * 100:.0f}%"), cls="bar")
        cells.append(h("span", f"{tier} ", bar, f" {value:.2f}", cls="score"))
    return h("div", *cells, cls="scores") if cells else ""


def _gate(gate: dict[str, Any]) -> str:
    if not gate:
        return ""
    decider = h("span", f"decided by {text(gate['decider'])}", cls="small") if gate.get("decider") else ""
    reason = h("span", text(gate.get("reason", "")), cls="reason")
    return _section(
        "gate", _badge(gate.get("decision", "none")), " ", reason, " ", decider, _scores(gate.get("scores") or {})
    )


def _tools(gate: dict[str, Any], tools: dict[str, Any]) -> str:
    if not tools:
        return ""
    chips = "".join(h("span", text(fact), cls="chip") for fact in gate.get("facts") or [])
    calls = [
        h(
            "div",
            h("span", f"{text(c.get('name', ''))}()", cls="tool"),
            f" → {text(c.get('result', ''))} ",
            " ".join(_record(r) for r in c.get("written") or []),
        )
        for c in tools.get("tool_calls") or []
    ]
    promoted = [
        h(
            "div",
            h("span", text(p.get("kind", "")), cls="tool"),
            f" {text(p.get('reason', ''))} ",
            " ".join(_record(r) for r in p.get("record_ids") or []),
        )
        for p in tools.get("promotions") or []
    ]
    return (
        (_section("written", chips) if chips else "")
        + _section("tool calls", *calls)
        + (_section("promoted", *promoted) if promoted else "")
    )


def _retrieved(retrieve: dict[str, Any], cited: set[str], origin: dict[str, int], number: int) -> str:
    if not retrieve:
        return ""
    read = retrieve.get("read") or []
    if not read:
        return _section("retrieved", h("span", "nothing retrieved", cls="empty"))
    rows = []
    for item in read:
        wrote = origin.get(item["id"])
        source = (
            h("a", f"written in turn {wrote}", cls="from", href=f"#turn-{wrote}") if wrote and wrote != number else ""
        )
        rows.append(
            [
                f"{float(item['score']):.4f}",
                _badge(item["tier"]),
                text(item.get("memory", "")),
                f"{_record(item['id'])} {source}",
            ]
        )
    marks = ["cited" if item["id"] in cited else "" for item in read]
    note = h(
        "div",
        f"{text(retrieve.get('tokens', 0))} tokens of context; highlighted rows were cited by the answer",
        cls="small",
    )
    return _section("retrieved", _table(["score", "tier", "memory", "record"], rows, "retrieved", marks), note)


def _answer(generate: dict[str, Any]) -> str:
    if not generate:
        return ""
    adapter = text(generate.get("adapter_version") or "none (base weights)")
    cited = " ".join(_record(c) for c in generate.get("cited") or []) or "none"
    about = h(
        "div",
        _badge(generate.get("mode", ""), "mode"),
        f" {text(generate.get('reason', ''))}",
        f" · adapter: {adapter} · cited: {cited}",
        cls="small",
    )
    return _section("answer", h("div", text(generate.get("output", "")), cls="answer"), about)


def _turn(number: int, turn: TraceTurn, origin: dict[str, int]) -> str:
    gate, tools, retrieve, generate = (turn.node(n) for n in ("gate", "tools", "retrieve", "generate"))
    first = turn.first
    head = h(
        "div",
        h("span", f"#{number}", cls="num"),
        h("span", _when(first.get("at", "")), cls="when"),
        h("span", text(first.get("namespace", "")), cls="user"),
        h("span", _ms(turn.ms), cls="ms"),
        cls="head",
    )
    timing = " · ".join(f"{text(e.get('node', ''))} {_ms(float(e.get('ms', 0)))}" for e in turn.events)
    cited = set(generate.get("cited") or [])
    return h(
        "article",
        head,
        h("div", text(first.get("input", "")), cls="message"),
        _gate(gate),
        _tools(gate, tools),
        _retrieved(retrieve, cited, origin, number),
        _answer(generate),
        *(
            _section("failed", h("div", text(f"{e.get('node', '')}: {e['error']}")))
            for e in turn.events
            if e.get("error")
        ),
        h("div", timing, cls="timing"),
        cls=f"turn tier-{gate.get('decision', 'none')}",
        id=f"turn-{number}",
    )


def _uses(uses: list[tuple[int, bool]]) -> str:
    if not uses:
        return h("span", "not retrieved", cls="empty")
    return ", ".join(_turn_link(n) + (" " + h("span", "(cited)", cls="small") if cited else "") for n, cited in uses)


def _summary(turns: list[TraceTurn]) -> str:
    written = facts_written(turns)
    counts = {tier: sum(t.node("gate").get("decision") == tier for t in turns) for tier in TIERS}
    stats = [(len(turns), "turns"), *((counts[t], f"{t} decisions") for t in TIERS), (len(written), "memories written")]
    cells = "".join(h("div", h("div", str(n), cls="n"), h("div", label, cls="l"), cls="stat") for n, label in stats)
    reads = read_by(turns)
    rows = [
        [_turn_link(w["turn"]), _badge(w["tier"]), text(w["what"]), _record(w["id"]), _uses(reads.get(w["id"], []))]
        for w in written
    ]
    table = (
        h("div", _table(["written in", "tier", "memory", "record", "retrieved in"], rows), cls="panel")
        if rows
        else h("p", "nothing was written", cls="empty")
    )
    return h("div", cells, cls="summary") + h("h2", "Memories written") + table


def render_html(thread_id: str, turns: list[TraceTurn], *, generated_at: datetime | None = None) -> str:
    """The trace page of one thread.

    Args:
        thread_id: the thread shown in the title.
        turns: its turns, oldest first (:meth:`TraceStore.turns`).
        generated_at: the time printed in the header (default: now).

    Returns:
        A complete HTML document with inline CSS and no external resources.
    """
    generated = generated_at or datetime.now(UTC)
    users = ", ".join(sorted({str(t.first.get("namespace", "")) for t in turns}))
    origin = written_by(turns)
    meta = f"user {h('b', text(users))} · {len(turns)} turns · generated {generated:%Y-%m-%d %H:%M} UTC"
    title = f"tiermem trace · {text(thread_id)}"
    timeline = h("div", *(_turn(n, turn, origin) for n, turn in enumerate(turns, 1)), cls="timeline")
    head = (
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"{h('title', title)}{h('style', CSS)}"
    )
    body = h("header", h("h1", title), h("div", meta, cls="meta")) + h(
        "main", _summary(turns), h("h2", "Timeline"), timeline
    )
    return f'<!DOCTYPE html>\n<html lang="en"><head>{head}</head><body>{body}</body></html>\n'
