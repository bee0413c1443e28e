"""`cdp sync list | run NAME [--dry-run] [--full-resync] [--force]`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from cdp import settings
from cdp.summary import table

app = typer.Typer(help="Reverse-ETL syncs: list them, run one.", no_args_is_help=True)
console = Console()


def _specs():
    from reverse_etl.config import load_syncs
    from reverse_etl.destinations.base import ConfigError

    try:
        return load_syncs(settings.syncs_dir())
    except ConfigError as error:
        console.print(f"[bold red]invalid:[/] {error}")
        raise typer.Exit(code=1) from None


@app.command("list")
def list_syncs() -> None:
    """Every sync: source, destination, mode and its last run."""
    from cdp.warehouse import WarehouseNotBuilt, query

    try:
        last = {name: (status, started) for name, status, started in query(
            settings.duckdb_path(),
            "select sync_name, arg_max(status, started_at), max(started_at)"
            " from cdp_sync.sync_runs group by 1")}
    except WarehouseNotBuilt:
        last = {}
    rows = [(s.name, f"{s.source_kind}:{s.source_name}", s.destination_type, s.mode,
             " / ".join(s.consent or ()) or "-", *last.get(s.name, ("never run", "-")))
            for s in _specs()]
    console.print(table("syncs", ["name", "source", "destination", "mode", "consent",
                                  "last status", "last run"], rows))


@app.command()
def run(
    name: Annotated[str, typer.Argument(help="Sync name")],
    dry_run: Annotated[bool, typer.Option(help="Plan and print; send nothing")] = False,
    full_resync: Annotated[bool, typer.Option(help="Forget the snapshot, send all")] = False,
    force: Annotated[bool, typer.Option(help="Allow a guarded mirror removal")] = False,
    ignore_failed_tests: Annotated[bool, typer.Option(
        help="Send even though a dbt test upstream failed in the last Dagster run")] = False,
) -> None:
    """Diff the source against what this sync delivered before and send the difference."""
    from reverse_etl.engine import run_sync
    from reverse_etl.errors import SyncError

    spec = next((s for s in _specs() if s.name == name), None)
    if spec is None:
        console.print(f"[bold red]error:[/] no sync '{name}'")
        raise typer.Exit(code=1)
    blocked = None if ignore_failed_tests or dry_run else _blocked_reason(spec)
    if blocked:
        console.print(f"[bold red]{blocked}[/]\n(--ignore-failed-tests sends anyway)")
        raise typer.Exit(code=1)
    try:
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task(f"sync {name}", total=None)
            result = run_sync(spec, settings.duckdb_path(), dry_run=dry_run,
                              full_resync=full_resync, force=force,
                              progress=lambda done, total: bar.update(task, completed=done,
                                                                      total=total))
    except (SyncError, ValueError) as error:
        console.print(f"[bold red]{type(error).__name__}:[/] {error}")
        raise typer.Exit(code=1) from None
    _print_result(result, dry_run)


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
                  f"({plan.source_rows:,} source rows, {len(plan.invalid):,} invalid)")
    rows = [(op, counts.get(f"planned_{op}", 0), counts.get(f"succeeded_{op}", 0),
             counts.get(f"failed_{op}", 0), ", ".join(plan.samples.get(op[:-1], [])))
            for op in ("adds", "changes", "removes")]
    title = "plan (dry run: nothing sent)" if dry_run else "delivered"
    console.print(table(title, ["op", "planned", "succeeded", "failed", "sample keys"], rows))
    for key, reason in list(result.failures.items())[:5]:
        console.print(f"  [red]failed[/] {key}: {reason}")
