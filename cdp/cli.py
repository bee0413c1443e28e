"""`cdp` command line: generate demo sources, load them, build the dbt project, run it all."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from cdp import settings
from cdp.audiences.cli import app as audiences_app
from cdp.bench.cli import bench
from cdp.console import make_console
from cdp.postgres_cli import app as postgres_app
from cdp.privacy.cli import forget
from cdp.report.cli import report
from reverse_etl.cli import app as sync_app

app = typer.Typer(help="Warehouse-native customer data platform.", no_args_is_help=True)
console = make_console()

DEMO_PERSONS = 10_000
DEMO_END_DATE = datetime(2026, 10, 31)  # last day of demo activity: the demo is reproducible

InDir = Annotated[Path | None, typer.Option("--in", help="Raw files folder [default: data/raw]")]


def use_duckdb(path: Path | None) -> Path | None:
    """`--duckdb PATH`: the DuckDB target's file for this process (and the dbt it starts).
    Commands then read and write the active target, whichever it is, and never a path."""
    if path is not None:
        os.environ["CDP_DUCKDB_PATH"] = str(path.expanduser().resolve())
    return path


# Every command taking it gets the file through the callback (the parameter goes unused).
DbPath = Annotated[Path | None, typer.Option(
    "--duckdb", help="DuckDB file [default: warehouse/cdp.duckdb]", callback=use_duckdb)]


def _fail(message: str) -> None:
    console.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    raise typer.Exit(code=1)


@app.callback()
def main(target: Annotated[str | None, typer.Option(
        "--target", help="dbt target of profiles.yml every step runs on [default: CDP_TARGET,"
                         " else the profile's]")] = None) -> None:
    # No docstring: the app's help stays the one `typer.Typer(help=...)` gives.
    from cdp.warehouse import TargetError, active_target
    from cdp.warehouse.duckdb_limits import limits

    try:
        if target is not None or "CDP_TARGET" in os.environ:
            active_target(target)  # else the profile's own: a command needing it says if broken
        limits()
    except TargetError as error:  # a name profiles.yml lacks, a memory limit that is no size
        console.print(f"[bold red]error:[/] {escape(str(error))}", soft_wrap=True)
        raise typer.Exit(code=2) from None
    if target is not None:
        os.environ["CDP_TARGET"] = target  # read by the warehouse layer, dbt and Dagster alike


@app.command()
def generate(
    persons: Annotated[int, typer.Option(min=1, help="Number of true persons")] = DEMO_PERSONS,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same files)")] = 42,
    out: Annotated[Path | None, typer.Option(help="Output folder [default: data/raw]")] = None,
    end_date: Annotated[
        datetime, typer.Option(formats=["%Y-%m-%d"], help="Last day of generated activity")
    ] = DEMO_END_DATE,
    progress: Annotated[bool, typer.Option(help="Show a progress bar")] = True,
    force: Annotated[bool, typer.Option(
        "--force", help="Write into a folder holding other files (they are never deleted or"
                        " overwritten)")] = False,
    profile: Annotated[str, typer.Option(
        help="What to write: 'default' (every source) or 'contacts-only' (CRM contacts"
             " without emails or phones, re-created duplicates with noise)")] = "default",
) -> None:
    """Write synthetic raw exports of every source, plus the ground truth, to OUT (an empty
    folder or one the generator wrote; files it did not write are never touched)."""
    from cdp.generate import generate_sources
    from cdp.generate.files import OutputFolderError
    from cdp.generate.profiles import UnknownProfile, checked_profile

    try:
        checked_profile(profile)
    except UnknownProfile as error:  # a usage error, like an unknown --target
        console.print(f"[bold red]error:[/] {escape(str(error))}", soft_wrap=True)
        raise typer.Exit(code=2) from None
    out_dir = out or settings.raw_data_dir()
    started = datetime.now()
    try:
        manifest = generate_sources(out_dir, persons, seed, end_date.date(),
                                    show_progress=progress, force=force, profile=profile)
    except OutputFolderError as exc:
        _fail(str(exc))
    seconds = (datetime.now() - started).total_seconds()
    rows = sum(manifest["rows"].values()) if isinstance(manifest.get("rows"), dict) else "?"
    size = sum((out_dir / path).stat().st_size for path in manifest["written"])
    console.print(
        f"[green]generated[/] {persons:,} persons, {rows:,} rows, {size / 1e6:,.1f} MB "
        f"in {seconds:,.1f}s -> {out_dir}"
    )


@app.command()
def load(
    in_dir: InDir = None,
    duckdb_path: DbPath = None,
    incremental: Annotated[bool, typer.Option(help="Append only files not loaded before")] = False,
) -> None:
    """Land the raw files in the warehouse's `raw` schema."""
    from cdp.load import LoadError, load_raw
    from cdp.summary import print_load_report
    from cdp.warehouse import WarehouseLocked, writing
    from cdp.warehouse_lock import WarehouseBusy

    try:
        with writing("cdp load", on_wait=_waiting):
            reports = load_raw(in_dir or settings.raw_data_dir(), incremental=incremental)
    except (LoadError, WarehouseBusy, WarehouseLocked) as exc:
        _fail(str(exc))
    print_load_report(console, reports)


def _waiting(holder: str) -> None:
    console.print(f"[yellow]waiting for the warehouse:[/] in use by {escape(holder)}",
                  soft_wrap=True)


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def build(ctx: typer.Context) -> None:
    """Run `dbt build` on the project with the CLV step (extra arguments go to dbt; ones
    that select nodes run one dbt build as given, without the CLV step)."""
    from cdp.build import build_project
    from cdp.dbt import DbtError

    try:
        build_project(ctx.args, on_wait=_waiting)
    except DbtError as exc:
        _fail(str(exc))


@app.command()
def rejects(duckdb_path: DbPath = None) -> None:
    """Show how many raw rows were rejected, per source and reason."""
    from cdp.summary import print_rejects

    print_rejects(console)


@app.command()
def explain(
    identifier: Annotated[str, typer.Argument(help="Email, phone, cookie, device, CRM id...")],
    id_type: Annotated[str | None, typer.Option("--type", help="Only this identifier type")] = None,
    to: Annotated[str | None, typer.Option(help="Only the path to this other identifier")] = None,
    duckdb_path: DbPath = None,
) -> None:
    """Show an identifier's person, all its identifiers, and the links that join them."""
    from cdp.identity.report import print_explanation
    from cdp.warehouse import WarehouseNotBuilt

    try:
        found = print_explanation(console, identifier, id_type, to)
    except WarehouseNotBuilt as exc:
        _fail(str(exc))
    if not found:
        raise typer.Exit(code=1)


app.command("forget")(forget)
app.command("bench")(bench)
app.command("report")(report)
app.add_typer(audiences_app, name="audiences")
app.add_typer(sync_app, name="sync")
app.add_typer(postgres_app, name="postgres")

evaluate_app = typer.Typer(help="Measure the platform against the generator's ground truth.")
app.add_typer(evaluate_app, name="evaluate")


@evaluate_app.command("identity")
def evaluate_identity(
    in_dir: InDir = None,
    duckdb_path: DbPath = None,
    worst: Annotated[int, typer.Option(help="How many worst persons to list")] = 5,
) -> None:
    """Pairwise precision, recall and F1 of identity resolution, with and without its
    probabilistic links; blocking recall per rule; and the worst persons."""
    from cdp.identity.evaluate import evaluate_identity as score
    from cdp.identity.report import print_scores
    from cdp.warehouse import WarehouseNotBuilt

    try:
        scores = score(in_dir or settings.raw_data_dir(), worst)
    except WarehouseNotBuilt as exc:
        _fail(str(exc))
    print_scores(console, scores)


@app.command()
def run(
    persons: Annotated[
        int, typer.Option(help="Persons to generate if no data exists")
    ] = DEMO_PERSONS,
    seed: Annotated[int, typer.Option(help="Seed used if data is generated")] = 42,
    incremental: Annotated[bool, typer.Option(help="Load only files not loaded before")] = False,
    full_refresh: Annotated[bool, typer.Option(help="Rebuild every model from scratch")] = False,
) -> None:
    """The main job, through Dagster in this process: generate demo data (if none) -> load ->
    dbt build (models, tests, CLV, audiences) -> syncs -> summary."""
    from cdp.preflight import definition_problems

    if problems := definition_problems():
        for problem in problems:
            console.print(f"[bold red]invalid:[/] {escape(problem)}", soft_wrap=True)
        _fail(f"{len(problems)} problem(s) in the audience and sync definitions; nothing was run")
    from cdp.load.raw_folder import raw_folder_kind

    raw_dir = settings.raw_data_dir()
    kind = raw_folder_kind(raw_dir)  # demo data never replaces anybody's own exports
    if kind in ("empty", "unfinished"):
        console.rule("generate")
        generate(persons=persons, seed=seed, out=raw_dir, end_date=DEMO_END_DATE)
    elif kind == "user":
        console.print(f"{escape(str(raw_dir))} holds exports the generator did not write:"
                      " loading them as they are, no demo data generated", soft_wrap=True)
    console.rule("Dagster job cdp_full: load -> dbt build -> syncs")
    import dagster as dg

    from cdp.report.overview import overview_path
    from cdp.summary import print_job_outcome, print_pipeline_summary
    from orchestration.assets.report import REPORT_STEP
    from orchestration.runner import run_cdp_job

    home = settings.dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        # Dagster's own console log repeats each failure with a stack trace: ours names it.
        outcome = run_cdp_job(instance, incremental_load=incremental, full_refresh=full_refresh,
                              log_level="CRITICAL")
    locked = any(why.startswith("warehouse locked:") for why in outcome.failures.values())
    if locked or "cdp_dbt_assets" not in outcome.succeeded + list(outcome.failures):
        # Nothing was built: the warehouse holds the previous run's tables, so no summary.
        for step, why in outcome.failures.items():
            console.print(f"[bold red]{step} failed:[/] {escape(why)}", soft_wrap=True)
        _fail("the build did not run; the warehouse is as the previous run left it")
    console.rule("summary")
    print_pipeline_summary(console)
    print_job_outcome(console, outcome)
    if REPORT_STEP in outcome.succeeded:
        console.print(f"report: file://{escape(str(overview_path()))} (`cdp report --person"
                      " <email>` for one person's page)", soft_wrap=True)
    console.print(f"run history: DAGSTER_HOME={home} (make dagster opens it)")
    if not outcome.success:
        raise typer.Exit(code=1)


if __name__ == "__main__":
    app()
