"""The ``tiermem`` command line: chat, demos, memories, graph; more from ``COMMAND_MODULES``.

Every command on memories takes ``--data-dir`` (else ``TIERMEM_DATA_DIR`` /
``tiermem.toml`` / ``./.tiermem``); commands a script would read take ``--json``.
Errors print one line with the fix and exit with status 2 (bad input: a value,
a path, an id, the configuration) or 1 (other). Output off a terminal is not
wrapped, and what users typed or stored is printed as it is (never as markup).
"""

from __future__ import annotations

import errno
import importlib
import io
import logging
import os
import sqlite3
import sys
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import typer
from langchain_core.runnables import RunnableConfig
from pydantic import ValidationError
from rich.markup import escape
from tiermem.memory.errors import InvalidInputError, TierMemError
from tiermem.memory.records import validate_text

from .config import TierMemConfig

if TYPE_CHECKING:
    from .demos import TurnResult

from .cli_common import (
    BAD_INPUT,
    DataDir,
    JsonFlag,
    User,
    app,
    bench_app,
    console,
    emit_json,
    err,
    error_line,
    load_config,
    services_for,
)

COMMAND_MODULES: tuple[str, ...] = (
    "cli_memories",
    "cli_trace",
    "cli_gate",
    "cli_store",
    "cli_adapters",
    "cli_latency",
    "cli_recall",
)
"""Modules in ``tiermem.graphs`` with a ``register(app, bench)`` function adding commands."""


def stdin_lines() -> Iterator[str | bytes]:
    """Stdin's lines without their line endings (``\\n``, ``\\r\\n``): typed at a prompt on a
    terminal, else as bytes (:func:`~tiermem.memory.records.validate_text` decodes them)."""
    if sys.stdin.isatty():
        while True:
            try:
                yield input("you> ")
            except EOFError:
                return
    for raw in sys.stdin.buffer:
        yield raw.removesuffix(b"\n").removesuffix(b"\r")


@app.command()
def chat(
    user: User = "default",
    thread: Annotated[str, typer.Option("--thread", "-t", help="thread id (default cli-USER)")] = "",
    data_dir: DataDir = None,
    no_retrieval: Annotated[bool, typer.Option("--no-retrieval", help="answer from the weights alone")] = False,
) -> None:
    """Chat with memory on stdin (one message a line; Ctrl-D ends). The thread is saved.

    A line that is not valid UTF-8 or is over max_text_bytes is named on stderr and
    skipped; the session goes on and exits with status 2 at the end."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    from .builder import build_graph

    services = services_for(data_dir)
    services.config.path().mkdir(parents=True, exist_ok=True)
    refused = 0
    with SqliteSaver.from_conn_string(str(services.config.path("checkpoints.sqlite"))) as saver:
        graph = build_graph(services=services, checkpointer=saver)
        thread = thread or f"cli-{user}"
        configurable = {"thread_id": thread, "user_id": user, "use_retrieval": not no_retrieval}
        config: RunnableConfig = {"configurable": configurable}
        for number, line in enumerate(stdin_lines(), 1):
            if not line.strip():
                continue
            try:
                text = validate_text(line, max_bytes=services.config.max_text_bytes, what=f"line {number}")
            except InvalidInputError as exc:
                error_line(f"{exc}; skipped it")
                refused += 1
                continue
            out = graph.invoke({"messages": [("user", text)]}, config)
            decision = out["decision"]
            console.print(f"[dim]\\[{escape(decision['tier'])}] {escape(decision['reason'])}[/dim]")
            console.print(f"[bold]tiermem>[/bold] {escape(str(out['messages'][-1].content))}")
    if refused:
        raise typer.Exit(2)


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
    from .demos import load_demo, run_demo

    spec = load_demo(name)
    services = services_for(data_dir)
    results = run_demo(spec, services, reset=not keep, train=train)
    if as_json:
        emit_json({"demo": spec.name, "turns": [r.model_dump(exclude_none=True) for r in results]})
        return
    console.print(f"[bold]demo {escape(spec.name)}[/bold]: {escape(spec.description.strip())}")
    for r in results:
        _print_turn(r)
    _print_trace_hints(services.config, [r.thread for r in results])


def _print_turn(r: TurnResult) -> None:
    """One demo step: the message, then what the gate decided and the answer (or what was forgotten)."""
    from .cli_adapters import print_jobs

    console.print(f"\n[cyan]{escape(r.at)}[/cyan] [bold]{escape(r.user)}>[/bold] {escape(r.message)}")
    if r.step == "forget":
        console.print(f"  [red]forgot[/red] {r.forgot} rows [dim]({escape(r.reason)})[/dim]")
        return
    if r.step == "worker":
        console.print(f"  [dim]{escape(r.reason)}[/dim]")
        print_jobs(r.jobs)
        return
    facts = f" {escape(', '.join(r.facts))}" if r.facts else ""
    console.print(f"  [magenta]tier={escape(str(r.tier))}[/magenta]{facts} [dim]({escape(r.reason)})[/dim]")
    if r.answer is not None:
        weights = f", adapter {r.adapter or 'none (base weights)'}" if r.mode == "local" else ""
        console.print(f"  [green]assistant>[/green] {escape(r.answer)} [dim]{escape(f'[{r.mode}{weights}]')}[/dim]")


def _print_trace_hints(config: TierMemConfig, threads: list[str]) -> None:
    """How to draw each thread's trace, as a command line to run as printed."""
    from .demos import command_line

    for thread in dict.fromkeys(threads):
        line = command_line(config, "trace", "html", thread, "-o", f"{thread}.html")
        console.print(f"\n[dim]trace: {escape(line)}[/dim]")


@app.command()
def graph(mermaid: Annotated[bool, typer.Option("--mermaid", help="print Mermaid source")] = True) -> None:
    """Print the graph's structure (LangGraph's Mermaid drawing); it is built on a temporary data
    dir, so it reads and writes no data (and takes no --data-dir)."""
    import tempfile

    from .builder import build_graph
    from .services import Services

    with tempfile.TemporaryDirectory(prefix="tiermem-graph-") as folder:
        config = load_config(folder, traces=False)
        config.maintenance = config.maintenance.model_copy(update={"background": False})
        with Services(config) as services:
            drawing = build_graph(services=services).get_graph()
    text = drawing.draw_mermaid() if mermaid else drawing.draw_ascii()
    sys.stdout.write(text.rstrip("\n") + "\n")  # unwrapped: rich would fold long lines at the terminal width


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


def log_level(value: str | None) -> int | None:
    """``TIERMEM_LOG_LEVEL`` as a logging level: a name in any case (``warning``) or a number;
    ``None`` (the default: warnings, and long work's progress lines) if unset, or invalid (said
    in one line on stderr)."""
    if value is None:
        return None
    name = value.strip().upper()
    level = logging.getLevelNamesMapping().get(name)
    if level is None and name.isdigit():
        level = int(name)
    if level is None:
        err.print(
            f"warning: TIERMEM_LOG_LEVEL={value!r} is not a log level; use DEBUG, INFO, WARNING, ERROR "
            "or a number (using the default: warnings, and the progress lines of long work)",
            markup=False,
            highlight=False,
        )
    return level


def os_error_line(exc: OSError) -> str:
    """What went wrong with a path the user gave, in one line."""
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        where = f"{exc.strerror or exc}: {str(exc.filename)!r}"
        return f"{where}; tiermem writes in its data dir (locks, queue): give a writable one"
    return f"{exc.strerror or exc}: {str(exc.filename)!r}; check the path"


def main() -> None:
    """Console entry point: run the app, turning tiermem errors into one-line messages."""
    level = log_level(os.environ.get("TIERMEM_LOG_LEVEL"))
    logging.basicConfig(level=logging.WARNING if level is None else level, format="%(levelname)s %(name)s: %(message)s")
    if level is None:  # long work's progress lines, where no bar is drawn
        logging.getLogger("tiermem.progress").setLevel(logging.INFO)
    if not sys.stderr.isatty():  # bars only on a terminal: transformers draws one loading a model
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if isinstance(sys.stdout, io.TextIOWrapper) and not sys.stdout.isatty():
        sys.stdout.reconfigure(line_buffering=True)  # a redirected demo or chat keeps what it printed if stopped
    # transformers' notice about its own API, raised by peft's calls into it: nothing a user can act on
    warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
    try:
        code = app(standalone_mode=False)  # a command's typer.Exit(code) returns its code here
    except TierMemError as exc:
        error_line(str(exc))
        raise SystemExit(2 if isinstance(exc, BAD_INPUT) else 1) from None
    except ValidationError as exc:  # a setting or option value out of range (config file, env, flag)
        error_line(invalid_settings(exc))
        raise SystemExit(2) from None
    except OSError as exc:  # a path given on the command line: missing, a folder, not writable
        if exc.filename is None:
            raise
        error_line(os_error_line(exc))
        raise SystemExit(2) from None
    except sqlite3.OperationalError as exc:  # the queue's or the threads' file in a data dir we cannot write
        if not any(cause in str(exc) for cause in ("readonly", "unable to open", "disk I/O")):
            raise
        error_line(
            f"{exc}: tiermem keeps its job queue and threads in SQLite files in its data dir; give a writable one"
        )
        raise SystemExit(2) from None
    except (typer.Exit, SystemExit) as exc:
        raise SystemExit(getattr(exc, "exit_code", getattr(exc, "code", 0))) from None
    except Exception as exc:
        # Usage errors: click's ClickException, or typer._click's (typer >= 0.2x vendors click).
        if callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()  # type: ignore[attr-defined]
            raise SystemExit(exc.exit_code) from None  # type: ignore[attr-defined]
        raise
    if isinstance(code, int) and code:
        raise SystemExit(code)
