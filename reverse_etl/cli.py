"""`cdp sync list | validate | run NAME [--dry-run] [--full-resync] [--force]`."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress

from cdp import settings
from cdp.console import make_console
from cdp.summary import table

app = typer.Typer(help="Reverse-ETL syncs: list, validate, run one.", no_args_is_help=True)
console = make_console()
INTERRUPTED_EXIT = 130  # the shell's convention for a run stopped by a signal


def _use_duckdb(path: Path | None) -> Path | None:
    from cdp.cli import use_duckdb  # not at the top: cdp.cli imports this module

    return use_duckdb(path)


DbPath = Annotated[Path | None, typer.Option(
    "--duckdb", help="DuckDB file [default: warehouse/cdp.duckdb]", callback=_use_duckdb)]


def _specs(errors: list[str]):
    from reverse_etl.config import load_syncs

    return load_syncs(settings.syncs_dir(), errors)


def _print_invalid(errors: list[str]) -> None:
    for error in errors:
        console.print(f"[bold red]invalid:[/] {escape(error)}", soft_wrap=True)


@app.command("list")
def list_syncs(duckdb_path: DbPath = None) -> None:
    """Every valid sync: source, destination, mode and its last run; invalid files listed."""
    from cdp.warehouse import WarehouseNotBuilt, query
    from cdp.warehouse.schemas import SYNC_STATE

    try:  # each sync's latest run (a window: PostgreSQL has no arg_max)
        last = {name: (status, started) for name, status, started in query(
            "select sync_name, status, started_at from ("
            " select sync_name, status, started_at, row_number() over"
            " (partition by sync_name order by started_at desc) as latest"
            f" from {SYNC_STATE}.sync_runs) as runs where latest = 1")}
    except WarehouseNotBuilt:
        last = {}
    errors: list[str] = []
    rows = [(s.name, f"{s.source_kind}:{s.source_name}", s.destination_type, s.mode,
             s.purpose or "-", " / ".join(s.consent or ()) or "-",
             *last.get(s.name, ("never run", "-")))
            for s in _specs(errors)]
    console.print(table("syncs", ["name", "source", "destination", "mode", "purpose",
                                  "consent", "last status", "last run"], rows))
    for error in errors:  # listed beside the valid ones; `validate` is the check that fails
        console.print(f"[yellow]skipped:[/] {escape(error)}", soft_wrap=True)


@app.command()
def validate(duckdb_path: DbPath = None) -> None:
    """Check every sync definition and destination config; exit 1 listing each problem."""
    from reverse_etl.validate import validate_syncs

    problems, notes = validate_syncs(settings.syncs_dir())
    for note in notes:
        console.print(f"[yellow]note:[/] {escape(note)}", soft_wrap=True)
    _print_invalid(problems)
    if problems:
        raise typer.Exit(code=1)
    console.print("[green]all syncs are valid[/]")


@app.command()
def run(
    name: Annotated[str, typer.Argument(help="Sync name")],
    dry_run: Annotated[bool, typer.Option(help="Plan and print; send nothing")] = False,
    full_resync: Annotated[bool, typer.Option(
        help="Send every row again (a mirror still removes what left)")] = False,
    force: Annotated[bool, typer.Option(help="Allow a guarded mirror removal")] = False,
    ignore_failed_tests: Annotated[bool, typer.Option(
        help="Send even though a dbt test upstream failed in the last Dagster run")] = False,
    duckdb_path: DbPath = None,
) -> None:
    """Diff the source against what this sync delivered before and send the difference.
    Exits 1 unless every record was delivered (failed, partial, aborted runs)."""
    from cdp.definition_files import suggest
    from cdp.warehouse import WarehouseLocked
    from cdp.warehouse_lock import WarehouseBusy
    from reverse_etl.destinations.base import ConfigError
    from reverse_etl.engine import UNSUCCESSFUL, SyncInterrupted, run_sync
    from reverse_etl.errors import SyncError
    from reverse_etl.redact import redact

    errors: list[str] = []
    specs = {s.name: s for s in _specs(errors)}
    spec = specs.get(name)
    if spec is None:
        mine = [e for e in errors if f"/{name}.yml:" in e]
        _print_invalid(mine or [f"no sync '{name}'{suggest(name, specs)}"])
        raise typer.Exit(code=1)
    blocked = None if ignore_failed_tests or dry_run else _blocked_reason(spec)
    if blocked:
        console.print(f"[bold red]{escape(blocked)}[/]\n(--ignore-failed-tests sends anyway)")
        raise typer.Exit(code=1)

    stop = threading.Event()

    def request_stop(signum, _frame):
        if stop.is_set():  # asked twice: stop now, mid-batch (reconciled next run)
            raise SyncInterrupted(signal.Signals(signum).name)
        stop.set()  # finish the batch in flight, then stop with consistent state

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task(f"sync {name}", total=None)
            result = run_sync(spec, dry_run=dry_run,
                              full_resync=full_resync, force=force, stop=stop,
                              on_wait=lambda holder: console.print(
                                  f"[yellow]waiting for the warehouse:[/] in use by "
                                  f"{escape(holder)}", soft_wrap=True),
                              progress=lambda done, total: bar.update(task, completed=done,
                                                                      total=total))
    except (KeyboardInterrupt, SyncInterrupted):
        console.print(f"[bold red]interrupted:[/] sync {name} stopped; rows in flight are in "
                      "doubt and reconciled by the next run")
        raise typer.Exit(code=INTERRUPTED_EXIT) from None
    except (SyncError, ConfigError, WarehouseBusy, WarehouseLocked) as error:
        console.print(f"[bold red]{type(error).__name__}:[/] {escape(redact(str(error)))}",
                      soft_wrap=True)
        raise typer.Exit(code=1) from None
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    _print_result(result, dry_run)
    if result.status in UNSUCCESSFUL:
        raise typer.Exit(code=1)


def _blocked_reason(spec) -> str | None:
    """The same test gate as the Dagster sync assets, on the recorded test results."""
    if not (settings.dagster_home() / "history").exists():
        return None  # no Dagster run yet: no test results recorded
    import dagster as dg

    from orchestration.assets.syncs import blocked_reason

    with dg.DagsterInstance.from_config(str(settings.dagster_home())) as instance:
        return blocked_reason(spec, instance)


def _print_result(result, dry_run: bool) -> None:
    plan, counts = result.plan, result.counts
    console.print(f"run {result.run_id}: [bold]{result.status}[/] "
                  f"({plan.source_rows:,} source rows, {len(plan.invalid):,} invalid"
                  f"{f', {plan.in_doubt:,} in doubt from earlier runs' if plan.in_doubt else ''})")
    if plan.source_rows == 0:
        console.print("[yellow]warning:[/] the source returned no rows")
    rows = [(op, counts.get(f"planned_{op}", 0), counts.get(f"succeeded_{op}", 0),
             counts.get(f"failed_{op}", 0), ", ".join(plan.samples.get(op[:-1], [])))
            for op in ("adds", "changes", "removes")]
    title = "plan (dry run: nothing sent)" if dry_run else "delivered"
    console.print(table(title, ["op", "planned", "succeeded", "failed", "sample keys"], rows))
    for line in result.failure_summary():
        console.print(f"  [red]failed[/] {escape(line)}")
