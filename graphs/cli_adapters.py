"""``tiermem worker``, ``tiermem adapters list|jobs|rollback`` and ``tiermem bench parametric``.

The queue and the registry are the graph's own (:attr:`Services.queue`,
:attr:`Services.registry`), so the worker trains exactly what the tools enqueue.
"""

from __future__ import annotations

import logging
import signal
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from tiermem.memory.adapters.config import Precision
from tiermem.memory.adapters.templates import LANGS

from .cli_bench import PlotPath, bench_command, show_report
from .cli_common import DataDir, JsonFlag, console, emit_json, err, load_config, services_for

if TYPE_CHECKING:
    from tiermem.memory.adapters.queue import Job
from .cli_options import names

adapters_app = typer.Typer(help="Parametric tier: per-user LoRA adapters.", no_args_is_help=True)
Threads = Annotated[int | None, typer.Option("--threads", min=1, help="torch CPU threads (default: torch's)")]
Device = Annotated[str, typer.Option("--device", help="auto, cpu, cuda or cuda:N")]
Languages = Annotated[str, typer.Option("--languages", help="question languages trained and probed: en,zh")]
PrecisionOption = Annotated[
    Precision,
    typer.Option(
        "--precision", help="training arithmetic: auto (bf16 where the hardware has it natively), fp32 or bf16"
    ),
]


def _languages(value: str) -> tuple[str, ...]:
    return tuple(names(value, "--languages", LANGS))


def worker(
    once: Annotated[bool, typer.Option("--once", help="process the queued jobs, then exit")] = False,
    data_dir: DataDir = None,
    lease: Annotated[
        float, typer.Option("--lease", min=1.0, max=604800.0, help="job lease seconds (renewed while the job runs)")
    ] = 300.0,
    poll: Annotated[float, typer.Option("--poll", min=0.01, help="seconds between queue polls")] = 2.0,
    threads: Threads = None,
    device: Device = "auto",
    precision: PrecisionOption = "auto",
    languages: Languages = "en,zh",
    incremental: Annotated[
        bool,
        typer.Option(
            "--incremental",
            help="continue the active adapter when the ledger only gained facts "
            "(forget, a changed fact or a rejected continuation train from the base model)",
        ),
    ] = False,
    row_cache_mb: Annotated[
        int,
        typer.Option(
            "--row-cache-mb",
            min=0,
            help="memory for fact rows' lower-layer activations kept between jobs (0: none)",
        ),
    ] = 256,
) -> None:
    """Train, evaluate and promote adapters for queued remember_long/forget jobs."""
    from tiermem.memory.adapters.config import Runtime, TrainConfig
    from tiermem.memory.adapters.worker import job_summary, run_worker

    from .services import Services

    logging.getLogger("tiermem.memory.adapters").setLevel(logging.INFO)
    signal.signal(signal.SIGTERM, _stop_as_interrupted)  # systemd, docker stop: hand the job back as Ctrl-C does
    runtime = Runtime(device=device, threads=threads, precision=precision)  # options first, then the data
    train_config = TrainConfig(languages=_languages(languages), incremental=incremental)
    config = load_config(data_dir)
    if once and config.is_local and not Path(config.data_dir).exists():  # nothing queued, and nothing to create
        console.print(escape(f"no queued adapter jobs: no tiermem data in {config.data_dir} (check --data-dir)"))
        return
    finished: list[Job] = []  # this worker's: others on the same queue print theirs
    try:  # a stop while it opens the store is as clean as one between jobs
        services = Services(config)  # a worker may start before any memory is stored
        run_worker(
            services.queue,
            services.registry,
            services.store.ledger_facts,
            once=once,
            lease_s=lease,
            poll_s=poll,
            train_config=train_config,
            runtime=runtime,
            row_cache_bytes=row_cache_mb * 2**20,
            on_finished=finished.append,
        )
    except Stopped as stop:  # a service manager's stop is a clean exit (status 0), the job handed back
        err.print(f"worker stopped by {stop}; a job it was running is back in the queue")
    finally:
        print_jobs([job_summary(job) for job in finished])
    if once and not finished:
        console.print(escape(f"no queued adapter jobs in {config.data_dir}"))


class Stopped(KeyboardInterrupt):
    """SIGTERM: the worker stops as on Ctrl-C (the job in progress is handed back), and exits 0."""


def _stop_as_interrupted(signum: int, frame: object) -> None:
    raise Stopped(signal.Signals(signum).name)


def print_jobs(jobs: list[dict[str, Any]]) -> None:
    """One line per finished adapter job (:func:`~tiermem.memory.adapters.worker.job_summary`), then its metrics."""
    for job in jobs:
        if job["state"] == "failed":
            detail = job["error"]
        elif job["version"] is None:  # a forget that emptied the ledger: nothing to train
            detail = "no adapter trained, the base model serves"
        else:
            detail = f"{job['version']} {'promoted' if job['promoted'] else 'kept previous'}"
        reasons = "; ".join(job["reasons"])
        purged = f"; purged {', '.join(job['purged'])}" if job.get("purged") else ""
        line = f"job {job['job'][:12]} {job['user']}: {job['state']} {detail} {reasons}".rstrip() + purged
        console.print(escape(line))
        for key, value in job["metrics"].items():
            console.print(f"  {key} = {value:.3g}")


@adapters_app.command("list")
def adapters_list(
    user: Annotated[str | None, typer.Option("--user", "-u", help="one user only")] = None,
    data_dir: DataDir = None,
    as_json: JsonFlag = False,
) -> None:
    """List adapter versions with their evaluation metrics."""
    from tiermem.memory.records import validate_namespace

    if user is not None:
        user = validate_namespace(user)  # "../x" is refused, as every command refuses it
    rows = services_for(data_dir, existing=True).registry.describe(user)
    if as_json:
        emit_json({"adapters": rows})
        return
    table = Table("user", "version", "active", "gate", "facts", "paraphrase", "exact", "controls", "ppl %", "created")
    for r in rows:
        table.add_row(
            escape(r["namespace"]),
            escape(r["version"]),
            "*" if r["active"] else "",
            _verdict(r),
            str(r.get("facts", "")),
            *(f"{r[k]:.0%}" if k in r else "" for k in ("paraphrase_recall", "exact_recall", "controls_changed")),
            f"{r['ppl_increase_pct']:+.2f}" if "ppl_increase_pct" in r else "",
            r.get("created_at", ""),
        )
    console.print(table)


def _verdict(row: dict[str, Any]) -> str:
    """The gate column: pass / reject and why / damaged (never loaded, whatever the gate said)."""
    if not row["intact"]:
        return "damaged: a file or the manifest is missing, unreadable or differs from its checksum"
    return "pass" if row["passed"] else escape("reject: " + "; ".join(row["reasons"]))


@adapters_app.command("jobs")
def adapters_jobs(data_dir: DataDir = None, as_json: JsonFlag = False) -> None:
    """List adapter training jobs."""
    jobs = services_for(data_dir, existing=True).queue.list()
    if as_json:
        emit_json({"jobs": [asdict(j) for j in jobs]})
        return
    table = Table("id", "user", "state", "attempts", "reasons", "updated", "error")
    for j in jobs:
        table.add_row(
            escape(j.id[:12]),
            escape(j.namespace),
            j.state,
            str(j.attempts),
            escape(",".join(j.reasons)),
            f"{j.updated_at:%Y-%m-%d %H:%M:%S}",
            escape(j.error[:60]),
        )
    console.print(table)


@adapters_app.command("rollback")
def adapters_rollback(
    user: Annotated[str | None, typer.Argument(help="user id (memory namespace), or give --user")] = None,
    to: Annotated[str | None, typer.Option("--to", help="version to activate (default: the previous one)")] = None,
    data_dir: DataDir = None,
    user_option: Annotated[
        str | None, typer.Option("--user", "-u", help="user id, as the other commands take it")
    ] = None,
) -> None:
    """Activate the previously promoted adapter (or --to VERSION); the base model if none is left.

    A user with no adapter version exits with status 2 (a typo'd id changed nothing).
    """
    from tiermem.memory.errors import NotFoundError
    from tiermem.memory.records import validate_namespace

    named = {name for name in (user, user_option) if name is not None}
    if len(named) != 1:
        raise typer.BadParameter("name one user: `rollback alice` or `rollback --user alice`", param_hint="USER")
    user = validate_namespace(named.pop())
    registry = services_for(data_dir, existing=True).registry
    if user not in registry.namespaces():
        raise NotFoundError(f"no adapter versions for user {user!r}; `tiermem adapters list` shows the users with some")
    active = registry.rollback(user, to)
    console.print(escape(f"{user}: active adapter {active.version if active else 'none (base model)'}"))
    if active is not None and not active.manifest.passed:  # --to serves what the gate rejected: say so
        err.print(escape(f"warning: {active.version} failed the evaluation gate: {'; '.join(active.manifest.reasons)}"))


def bench_parametric(
    facts: Annotated[int | None, typer.Option("--facts", min=1, help="one ledger size for every variant")] = None,
    variants: Annotated[str | None, typer.Option("--variants", help="comma-separated (default: every variant)")] = None,
    threads: Annotated[int, typer.Option("--threads", min=1, help="torch CPU threads")] = 1,
    device: Device = "auto",
    precision: PrecisionOption = "auto",
    languages: Languages = "en,zh",
    plot: PlotPath = None,
    as_json: JsonFlag = False,
) -> None:
    """Recall, controls, perplexity, seconds and memory of adapters for 1-20 facts.

    Without --facts: the default adapter at 1, 5, 10 and 20 facts, fp32 and constant LR
    at 1, 5 and 10, all layers at 1 and 5 (benchmarks.parametric.DEFAULT_PLAN).
    """
    from tiermem.benchmarks.parametric import BENCH_FACTS, VARIANTS, ParametricResult, markdown, plan, run_parametric
    from tiermem.benchmarks.parametric import plot as draw
    from tiermem.memory.adapters.config import Runtime, TrainConfig

    if facts is not None and facts > len(BENCH_FACTS):
        raise typer.BadParameter(
            f"{facts} is more than the {len(BENCH_FACTS)} facts the benchmark has", param_hint="--facts"
        )
    chosen = names(variants, "--variants", [name for name, _ in VARIANTS]) if variants is not None else None
    try:
        plan((facts,) if facts is not None else None, chosen)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--facts / --variants") from None

    def progress(r: ParametricResult) -> None:
        (err if as_json else console).print(
            f"[dim]{r.facts} facts, {r.variant}: paraphrase recall {r.paraphrase_recall:.0%}, "
            f"ppl {r.ppl_increase_pct:+.2f}%, job {r.job_s:.1f} s[/dim]"
        )

    report = run_parametric(
        (facts,) if facts is not None else None,
        variants=chosen,
        config=TrainConfig(languages=_languages(languages)),
        runtime=Runtime(device=device, threads=threads, precision=precision),
        on_result=progress,
    )
    report.command = bench_command("parametric")
    show_report(
        report,
        as_json=as_json,
        plot=plot,
        draw=draw,
        title=f"{report.machine}; device {report.device}, {report.threads} thread(s)",
        table=markdown,
    )


def register(app: typer.Typer, bench: typer.Typer) -> None:
    """Add ``tiermem worker``, ``tiermem adapters ...`` and ``tiermem bench parametric``."""
    app.command("worker")(worker)
    app.add_typer(adapters_app, name="adapters")
    bench.command("parametric")(bench_parametric)
