"""``tiermem trace list|show|html|delete``: read the saved decision traces."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree
from tiermem.memory.errors import NotFoundError

from .cli_common import DataDir, JsonFlag, console, emit_json, load_config
from .trace_store import TraceStore, TraceTurn

Thread = Annotated[str, typer.Argument(help="thread id (see `tiermem trace list`)")]
TIER_STYLE = {"none": "dim", "short": "cyan", "mid": "yellow", "long": "magenta"}


def _store(data_dir: str | None) -> TraceStore:
    """The traces of a data dir that exists (a mistyped --data-dir is an error, not an empty list)."""
    return TraceStore(load_config(data_dir, existing=True).path("traces"))


def _promotion(promotion: dict[str, Any]) -> str:
    """A promotion the tools' writes caused, after the tool calls: kind, records, why."""
    records = escape(" ".join(r[:12] for r in promotion.get("record_ids") or []))
    reason = escape(str(promotion.get("reason", "")))
    return f"; [magenta]{escape(str(promotion.get('kind')))}[/magenta] {records} [dim]({reason})[/dim]"


def _node_line(ev: dict[str, Any]) -> str:
    """One event as a line of the tree."""
    node, ms = ev.get("node", ""), f"[dim]{float(ev.get('ms', 0)):.0f} ms[/dim]"
    if ev.get("error"):
        return f"{escape(str(node))} → [red]failed: {escape(str(ev['error']))}[/red] {ms}"
    if node == "gate":
        tier = ev.get("decision", "none")
        facts = f" {escape(', '.join(ev.get('facts') or []))}" if ev.get("facts") else ""
        style, reason = TIER_STYLE.get(tier, ""), escape(str(ev.get("reason", "")))
        return f"gate → [{style}]{escape(str(tier))}[/{style}]{facts} [dim]({reason})[/dim] {ms}"
    if node == "tools":
        calls = "; ".join(
            f"{escape(str(c.get('name')))}: {escape(str(c.get('result', '')))} "
            f"[dim]{escape(' '.join(r[:12] for r in c.get('written') or []))}[/dim]"
            for c in ev.get("tool_calls") or []
        )
        promoted = "".join(_promotion(p) for p in ev.get("promotions") or [])
        return f"tools → {calls}{promoted} {ms}"
    if node == "retrieve":
        return f"retrieve → {len(ev.get('read') or [])} memories, {ev.get('tokens', 0)} tokens {ms}"
    if node == "generate":
        adapter = f", adapter {ev['adapter_version']}" if ev.get("adapter_version") else ""
        mode = escape(str(ev.get("mode", "")))
        return f"generate → [green]{mode}[/green]{escape(adapter)}: {escape(str(ev.get('output', '')))} {ms}"
    return f"{escape(str(node))} {ms}"


def turn_tree(number: int, turn: TraceTurn) -> Tree:
    """A turn as a rich tree: its message, then one branch per node."""
    first = turn.first
    at, message = escape(str(first.get("at", ""))[:16]), escape(str(first.get("input", "")))
    user = escape(str(first.get("namespace") or "?"))
    tree = Tree(f"[bold]#{number}[/bold] [cyan]{at}[/cyan] [magenta]{user}[/magenta] {message}")
    for ev in turn.events:
        branch = tree.add(_node_line(ev))
        for item in ev.get("read") or []:
            memory, record, tier = escape(item.get("memory", "")), escape(item["id"][:12]), escape(str(item["tier"]))
            branch.add(f"[dim]{float(item['score']):.4f}[/dim] {tier} {memory} [dim]{record}[/dim]")
    return tree


def register(app: typer.Typer, bench: typer.Typer) -> None:
    """Add the ``trace`` command group to ``app``."""
    trace_app = typer.Typer(help="Inspect saved decision traces (one JSONL file per thread).", no_args_is_help=True)
    app.add_typer(trace_app, name="trace")

    @trace_app.command("list")
    def trace_list(data_dir: DataDir = None, as_json: JsonFlag = False) -> None:
        """List threads with saved traces, least recently updated first."""
        threads = _store(data_dir).threads()
        if as_json:
            emit_json({"threads": [t.model_dump() for t in threads]})
            return
        table = Table("thread", "user", "turns", "updated")
        for t in threads:
            table.add_row(escape(t.thread_id), escape(t.user_id), str(t.turns), escape(t.updated_at[:19]))
        console.print(table)

    @trace_app.command("show")
    def trace_show(thread: Thread, data_dir: DataDir = None, as_json: JsonFlag = False) -> None:
        """Show a thread's turns: gate decision and why, tool calls, retrieval, answer."""
        turns = _store(data_dir).turns(thread)
        if as_json:
            emit_json({"thread_id": thread, "turns": [t.as_json() for t in turns]})
            return
        root = Tree(f"[bold]thread {escape(thread)}[/bold] ({len(turns)} turns)")
        for number, turn in enumerate(turns, 1):
            root.add(turn_tree(number, turn))
        console.print(root)

    @trace_app.command("html")
    def trace_html(
        thread: Thread,
        output: Annotated[
            Path, typer.Option("--output", "-o", help="file to write (missing folders are created)", dir_okay=False)
        ] = Path("trace.html"),
        data_dir: DataDir = None,
    ) -> None:
        """Write a thread's trace as one self-contained HTML page."""
        from .trace_html import render_html

        page = render_html(thread, _store(data_dir).turns(thread))
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(page, encoding="utf-8")
        console.print(escape(f"wrote {output} ({len(page.encode('utf-8')) // 1024 + 1} KiB)"))

    @trace_app.command("delete")
    def trace_delete(thread: Thread, data_dir: DataDir = None) -> None:
        """Delete a thread's saved trace (traces keep message text; memories are not touched)."""
        store = _store(data_dir)
        if not store.delete(thread):
            raise NotFoundError(f"no trace for thread {thread!r} in {store.folder}; see `tiermem trace list`")
        console.print(f"deleted the trace of {escape(thread)}")
