"""The ``tiermem`` command line: chat, demos, memories, graph; more from ``COMMAND_MODULES``.

Every command on memories takes ``--data-dir`` (else ``TIERMEM_DATA_DIR`` /
``tiermem.toml`` / ``./.tiermem``); commands a script would read take ``--json``.
Errors print one line with the fix and exit with status 2 (bad input: a value,
a path, an id, the configuration) or 1 (other). Output off a terminal is not
wrapped, and what users typed or stored is printed as it is (never as markup).
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer
from langchain_core.runnables import RunnableConfig
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from tiermem.memory.errors import ConfigError, EmbedderMismatchError, InvalidInputError, NotFoundError, TierMemError
from tiermem.memory.records import validate_text

from .config import TierMemConfig
from .services import Services

if TYPE_CHECKING:
    from .demos import TurnResult

app = typer.Typer(help="tiermem: tiered memory for LLM agents.", no_args_is_help=True, pretty_exceptions_enable=False)
memories_app = typer.Typer(help="Inspect and edit stored memories.", no_args_is_help=True)
bench_app = typer.Typer(help="Benchmarks (results go to BENCHMARKS.md).", no_args_is_help=True)
app.add_typer(memories_app, name="memories")
app.add_typer(bench_app, name="bench")


UNBOUNDED_WIDTH = 1 << 14
"""Columns of output off a terminal: tables take the width their cells need."""


def _console(*, stderr: bool = False) -> Console:
    """A console that wraps lines at the terminal's width on a terminal only: a message piped or
    redirected stays one line (tables keep their layout)."""
    made = Console(stderr=stderr)
    made.soft_wrap = not made.is_terminal
    if not made.is_terminal and "COLUMNS" not in os.environ:  # a pipe has no width: crop nothing
        made.width = UNBOUNDED_WIDTH
    return made


console = _console()
err = _console(stderr=True)

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

DataDir = Annotated[str | None, typer.Option("--data-dir", help="data dir or URI (default: config)")]
User = Annotated[str, typer.Option("--user", "-u", help="user id (memory namespace)")]
JsonFlag = Annotated[bool, typer.Option("--json", help="print JSON")]
BAD_INPUT = (InvalidInputError, KeyError, ConfigError, EmbedderMismatchError)
"""tiermem errors that exit with status 2: the input, an id or the configuration (a setting, an
embedder other than the one a gate head or the tables were made with) is wrong."""


def load_config(data_dir: str | None, *, existing: bool = False, **overrides: Any) -> TierMemConfig:
    """The configuration with ``--data-dir`` and other CLI overrides applied.

    Args:
        data_dir: the ``--data-dir`` value (``None``: from the config).
        existing: a local data dir given by ``--data-dir``, ``TIERMEM_DATA_DIR`` or the
            config file must exist already (read commands: a mistyped one must not create
            an empty store).
        overrides: other settings given on the command line.

    Raises:
        InvalidInputError: the local data dir is a file.
        NotFoundError: ``existing`` and the data dir given does not exist.
    """
    config = TierMemConfig.load(data_dir=data_dir, **overrides)
    folder = Path(config.data_dir)
    if config.is_local and folder.exists() and not folder.is_dir():
        raise InvalidInputError(f"the data dir {config.data_dir!r} is a file; pass a folder with --data-dir")
    if existing and config.is_local and "data_dir" in config.model_fields_set and not folder.exists():
        raise NotFoundError(
            f"no tiermem data in {config.data_dir}; check --data-dir (or TIERMEM_DATA_DIR), "
            "or store memories there first (tiermem chat, memories import, demo)"
        )
    return config


def services_for(data_dir: str | None, *, existing: bool = False, **overrides: Any) -> Services:
    """Services on the configured data dir, with CLI overrides (see :func:`load_config`)."""
    return Services(load_config(data_dir, existing=existing, **overrides))


def emit_json(payload: Any, *, stream: IO[str] | None = None) -> None:
    """Print one JSON document to ``stream`` (default: stdout)."""
    (stream or sys.stdout).write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")


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


def error_line(message: str) -> None:
    """Print ``message`` as one ``error:`` line on stderr, its brackets as they are."""
    err.print(f"[red]error:[/red] {escape(message)}", markup=True, highlight=False)


@app.command()
def chat(
    user: User = "default",
    thread: Annotated[str, typer.Option("--thread", "-t", help="thread id (default cli-USER)")] = "",
    data_dir: DataDir = None,
    no_retrieval: Annotated[bool, typer.Option("--no-retrieval", help="answer from the weights alone")] = False,
) -> None:
    """Chat with memory on stdin (one message a line; Ctrl-D ends). The thread is saved.

    A line that is not valid UTF-8 or is over ``max_text_bytes`` is named on stderr and
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

    with tempfile.TemporaryDirectory(prefix="tiermem-graph-") as folder:
        config = load_config(folder, traces=False)
        config.maintenance = config.maintenance.model_copy(update={"background": False})
        drawing = build_graph(services=Services(config)).get_graph()
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
    ``None`` if unset, or invalid (said in one line on stderr)."""
    if value is None:
        return None
    name = value.strip().upper()
    level = logging.getLevelNamesMapping().get(name)
    if level is None and name.isdigit():
        level = int(name)
    if level is None:
        err.print(
            f"warning: TIERMEM_LOG_LEVEL={value!r} is not a log level; use DEBUG, INFO, WARNING, ERROR "
            "or a number (using WARNING)",
            markup=False,
            highlight=False,
        )
    return level


def os_error_line(exc: OSError) -> str:
    """What went wrong with a path the user gave, in one line."""
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
