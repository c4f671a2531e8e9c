"""The ``tiermem`` command line: chat, demos, memories, graph; more from ``COMMAND_MODULES``.

Every command takes ``--data-dir`` (else ``TIERMEM_DATA_DIR`` / ``tiermem.toml``
/ ``./.tiermem``); commands a script would read take ``--json``. Errors print
one line with the fix and exit with status 2 (bad input) or 1 (other).
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys
from typing import Annotated, Any

import typer
from langchain_core.runnables import RunnableConfig
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from tiermem.memory.errors import InvalidInputError, TierMemError

from .config import TierMemConfig
from .services import Services

app = typer.Typer(help="tiermem: tiered memory for LLM agents.", no_args_is_help=True, pretty_exceptions_enable=False)
memories_app = typer.Typer(help="Inspect and edit stored memories.", no_args_is_help=True)
bench_app = typer.Typer(help="Benchmarks (results go to BENCHMARKS.md).", no_args_is_help=True)
app.add_typer(memories_app, name="memories")
app.add_typer(bench_app, name="bench")
console = Console()
err = Console(stderr=True)

COMMAND_MODULES: tuple[str, ...] = ("cli_trace", "cli_gate", "cli_store", "cli_adapters", "cli_latency", "cli_recall")
"""Modules in ``tiermem.graphs`` with a ``register(app, bench)`` function adding commands."""

DataDir = Annotated[str | None, typer.Option("--data-dir", help="data dir or URI (default: config)")]
User = Annotated[str, typer.Option("--user", "-u", help="user id (memory namespace)")]
JsonFlag = Annotated[bool, typer.Option("--json", help="print JSON")]


def services_for(data_dir: str | None, **overrides: Any) -> Services:
    """Services on the configured data dir, with CLI overrides."""
    return Services(TierMemConfig.load(data_dir=data_dir, **overrides))


def emit_json(payload: Any) -> None:
    """Print one JSON document to stdout."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")


@app.command()
def chat(
    user: User = "default",
    thread: Annotated[str, typer.Option("--thread", "-t", help="thread id (default cli-USER)")] = "",
    data_dir: DataDir = None,
    no_retrieval: Annotated[bool, typer.Option("--no-retrieval", help="answer from the weights alone")] = False,
) -> None:
    """Chat with memory on stdin (one message a line; Ctrl-D ends). The thread is saved."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    from .builder import build_graph

    services = services_for(data_dir)
    services.config.path().mkdir(parents=True, exist_ok=True)
    with SqliteSaver.from_conn_string(str(services.config.path("checkpoints.sqlite"))) as saver:
        graph = build_graph(services=services, checkpointer=saver)
        thread = thread or f"cli-{user}"
        configurable = {"thread_id": thread, "user_id": user, "use_retrieval": not no_retrieval}
        config: RunnableConfig = {"configurable": configurable}
        interactive = sys.stdin.isatty()
        while True:
            try:
                line = input("you> " if interactive else "")
            except EOFError:
                break
            if not line.strip():
                continue
            out = graph.invoke({"messages": [("user", line)]}, config)
            decision = out["decision"]
            console.print(f"[dim]\\[{decision['tier']}] {decision['reason']}[/dim]")
            console.print(f"[bold]tiermem>[/bold] {out['messages'][-1].content}")


@app.command()
def demo(
    name: Annotated[
        str, typer.Argument(help="demo name: weight, chinese, preference, isolation (an unknown name lists them)")
    ] = "weight",
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
    keep: Annotated[bool, typer.Option("--keep", help="keep the demo users' earlier memories")] = False,
    train: Annotated[
        bool, typer.Option("--train", help="run the worker steps: train the adapters (a minute or more on a CPU)")
    ] = False,
) -> None:
    """Replay a scripted conversation and show each message's memory decision."""
    from .cli_adapters import print_jobs
    from .demos import load_demo, run_demo

    spec = load_demo(name)
    results = run_demo(spec, services_for(data_dir), reset=not keep, train=train)
    if as_json:
        emit_json({"demo": spec.name, "turns": [r.model_dump(exclude_none=True) for r in results]})
        return
    console.print(f"[bold]demo {spec.name}[/bold]: {spec.description.strip()}")
    for r in results:
        console.print(f"\n[cyan]{r.at}[/cyan] [bold]{r.user}>[/bold] {r.message}")
        if r.step == "forget":
            console.print(f"  [red]forgot[/red] {r.forgot} rows [dim]({r.reason})[/dim]")
            continue
        if r.step == "worker":
            console.print(f"  [dim]{r.reason}[/dim]")
            print_jobs(r.jobs)
            continue
        facts = f" {', '.join(r.facts)}" if r.facts else ""
        console.print(f"  [magenta]tier={r.tier}[/magenta]{facts} [dim]({r.reason})[/dim]")
        if r.answer is not None:
            weights = f", adapter {r.adapter or 'none (base weights)'}" if r.mode == "local" else ""
            console.print(f"  [green]assistant>[/green] {r.answer} [dim]\\[{r.mode}{weights}][/dim]")
    for thread in dict.fromkeys(r.thread for r in results):
        console.print(f"\n[dim]trace: tiermem trace html {thread} -o {thread}.html[/dim]")


@app.command()
def graph(mermaid: Annotated[bool, typer.Option("--mermaid", help="print Mermaid source")] = True) -> None:
    """Print the graph's structure (LangGraph's Mermaid drawing)."""
    from .builder import build_graph

    drawing = build_graph(services=services_for(None)).get_graph()
    text = drawing.draw_mermaid() if mermaid else drawing.draw_ascii()
    sys.stdout.write(text.rstrip("\n") + "\n")  # unwrapped: rich would fold long lines at the terminal width


def _records_table(records: list[Any]) -> Table:
    table = Table("id", "tier", "created", "text", "fact")
    for r in records:
        table.add_row(
            r.id[:12],
            r.tier,
            f"{r.created_at:%Y-%m-%d %H:%M}",
            r.text[:60],
            f"{r.key} = {r.fact.value}" if r.fact else "",
        )
    return table


@memories_app.command("list")
def memories_list(
    user: User = "default",
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
    limit: Annotated[int, typer.Option(min=1)] = 50,
) -> None:
    """List a user's memories, newest first."""
    records = services_for(data_dir).store.records(user, limit=limit)
    if as_json:
        emit_json({"memories": [r.model_dump(mode="json") for r in records]})
    else:
        console.print(_records_table(records))


@memories_app.command("search")
def memories_search(
    query: str,
    user: User = "default",
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
    k: Annotated[int, typer.Option(min=1, max=200)] = 10,
) -> None:
    """Search a user's memories with the retrieval agent."""
    from tiermem.memory.records import utcnow

    result = services_for(data_dir).retriever.retrieve(user, query, now=utcnow(), k=k)
    if as_json:
        emit_json(result.model_dump(mode="json"))
        return
    table = Table("score", "tier", "id", "memory")
    for item in result.items:
        table.add_row(f"{item.score:.4f}", item.tier, item.id[:12], item.render())
    console.print(table)


@memories_app.command("show")
def memories_show(record_id: str, user: User = "default", data_dir: DataDir = None) -> None:
    """Show one memory as JSON."""
    emit_json(services_for(data_dir).store.get(user, record_id).model_dump(mode="json"))


@memories_app.command("forget")
def memories_forget(
    record_id: str, user: User = "default", data_dir: DataDir = None, as_json: JsonFlag = False
) -> None:
    """Forget a memory everywhere (every version of its fact, old table versions too);
    a forgotten long-term fact also queues an adapter retrain without it."""
    report = services_for(data_dir).forget(user, record_id)
    if as_json:
        emit_json(report.model_dump(mode="json"))
    else:
        retrain = f"; adapter retrain queued as job {report.retrain_job}" if report.retrain_job else ""
        copies = f"; masked in {report.traces_redacted} trace events, {report.checkpoints_redacted} checkpoint rows"
        console.print(f"forgot {report.rows} rows: {report.tables}{copies}{retrain}")


def _register_modules() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(f"tiermem.graphs.{name}").register(app, bench_app)


_register_modules()


def invalid_settings(exc: ValidationError) -> str:
    """One line naming each invalid setting of ``exc``, what was wrong and the value given."""
    problems = [
        f"{'.'.join(map(str, e['loc'])) or exc.title}: {e['msg']} (got {e.get('input')!r:.60})" for e in exc.errors()
    ]
    return f"invalid {exc.title} settings: " + "; ".join(problems)


def main() -> None:
    """Console entry point: run the app, turning tiermem errors into one-line messages."""
    logging.basicConfig(
        level=os.environ.get("TIERMEM_LOG_LEVEL", "WARNING"), format="%(levelname)s %(name)s: %(message)s"
    )
    if "TIERMEM_LOG_LEVEL" not in os.environ:  # long work's progress lines, where no bar is drawn
        logging.getLogger("tiermem.progress").setLevel(logging.INFO)
    if not sys.stderr.isatty():  # bars only on a terminal: transformers draws one loading a model
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        app(standalone_mode=False)
    except TierMemError as exc:
        err.print(f"[red]error:[/red] {exc}", markup=True, highlight=False)
        raise SystemExit(2 if isinstance(exc, InvalidInputError | KeyError) else 1) from None
    except ValidationError as exc:  # a setting or option value out of range (config file, env, flag)
        err.print(f"[red]error:[/red] {invalid_settings(exc)}", markup=True, highlight=False)
        raise SystemExit(2) from None
    except (typer.Exit, SystemExit) as exc:
        raise SystemExit(getattr(exc, "exit_code", getattr(exc, "code", 0))) from None
    except Exception as exc:
        # Usage errors: click's ClickException, or typer._click's (typer >= 0.2x vendors click).
        if callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()  # type: ignore[attr-defined]
            raise SystemExit(exc.exit_code) from None  # type: ignore[attr-defined]
        raise
