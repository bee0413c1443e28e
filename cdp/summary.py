"""Terminal summaries of what a load or a build did, read back from the warehouse."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from cdp.load import TableLoad
from cdp.warehouse import WarehouseNotBuilt, query


def table(title: str, columns: list[str], rows: list[tuple]) -> Table:
    """A titled table: first column left-aligned, the rest right-aligned, ints with commas."""
    result = Table(title=title, title_justify="left")
    for i, name in enumerate(columns):
        result.add_column(name, justify="left" if i == 0 else "right")
    for row in rows:
        result.add_row(*(_cell(v) for v in row))
    return result


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "[bold red]NO[/]"
    return f"{value:,}" if isinstance(value, int) else str(value)


def print_load_report(console: Console, reports: list[TableLoad]) -> None:
    rows = [(r.table, len(r.files), r.rows, r.bad_lines) for r in reports]
    columns = ["raw table", "files", "rows", "unreadable lines"]
    console.print(table("raw tables loaded", columns, rows))
    missing = [r.table for r in reports if not r.files]
    if missing:
        console.print(f"[yellow]no files found for:[/] {', '.join(missing)}")


def _query(duckdb_path: Path, sql: str) -> list[tuple] | None:
    """Rows of `sql`, or None when the warehouse has not been built yet."""
    try:
        return query(duckdb_path, sql)
    except WarehouseNotBuilt:
        return None


def print_rejects(console: Console, duckdb_path: Path) -> None:
    rows = _query(
        duckdb_path,
        "select source_table, reject_reason, count(*) from marts.fct_source_rejects"
        " group by all order by 1, 3 desc",
    )
    if rows is None:
        console.print("[yellow]no rejects table yet: run `cdp run` (or `cdp load` + `cdp build`)")
        return
    console.print(table("rejected rows by source and reason", ["source", "reason", "rows"], rows))


def print_pipeline_summary(console: Console, duckdb_path: Path) -> None:
    rows = _query(
        duckdb_path,
        "select source_table, lines_in_files, staged_rows, rejected_rows + unreadable_lines,"
        " duplicates_removed, is_reconciled from marts.fct_source_reconciliation order by 1",
    )
    if rows is None:
        console.print("[yellow]no reconciliation table: the dbt build did not complete")
        return
    columns = ["source", "lines in files", "staged", "rejected", "duplicates", "reconciled"]
    console.print(table("where every raw line went", columns, rows))
    print_rejects(console, duckdb_path)
    print_identity(console, duckdb_path)
    print_customers(console, duckdb_path)
    print_audiences(console, duckdb_path)
    console.print(f"warehouse: {duckdb_path}")


def print_identity(console: Console, duckdb_path: Path) -> None:
    rows = _query(
        duckdb_path,
        "select id_type, count(*) filter (where status = 'linked'),"
        " count(*) filter (where status = 'shared'), count(*) filter (where status = 'blocked'),"
        " count(distinct person_id) from marts.dim_identity_identifiers group by 1 order by 1",
    )
    if not rows:
        return
    [(persons,)] = _query(
        duckdb_path, "select count(distinct person_id) from marts.dim_identity_identifiers"
    ) or [(0,)]
    columns = ["identifier type", "linked", "shared", "blocked", "persons holding one"]
    console.print(table(f"identity: {persons:,} persons", columns, rows))


def print_customers(console: Console, duckdb_path: Path) -> None:
    rows = _query(
        duckdb_path,
        "select lifecycle_stage, count(*), sum(orders), round(sum(net_revenue), 2),"
        " round(avg(p_alive), 3), round(sum(predicted_clv), 2)"
        " from marts.dim_customers group by 1 order by 2 desc",
    )
    if not rows:
        return
    columns = ["lifecycle stage", "persons", "orders", "net revenue", "mean P(alive)",
               "predicted CLV"]
    console.print(table("golden records by lifecycle stage (reporting currency)", columns, rows))
    [(status, error)] = _query(
        duckdb_path, "select fit_status, fit_error from intermediate.int_clv__model_fit") or [
        (None, None)]
    if status == "failed":
        console.print(f"[yellow]CLV not scored: {error}")


def print_audiences(console: Console, duckdb_path: Path) -> None:
    rows = _query(duckdb_path, "select audience_name, members, holdout_members"
                               " from marts.dim_audiences order by members desc, 1")
    if rows:
        console.print(table("audiences", ["audience", "members", "holdout"], rows))


def print_job_outcome(console: Console, duckdb_path: Path, outcome) -> None:
    """Every sync of a `cdp run` (an orchestration.runner.JobOutcome): what it delivered, or
    why it did not run; then the failed steps with their reasons."""
    delivered = {name: row for name, *row in _query(
        duckdb_path,
        "select sync_name, status, succeeded_adds, succeeded_changes, succeeded_removes,"
        " failed_adds + failed_changes + failed_removes from cdp_sync.sync_runs"
        f" where triggered_by = 'dagster:{outcome.run_id}'") or []}
    rows = []
    for step in outcome.succeeded + list(outcome.failures) + outcome.not_run:
        name = step.removeprefix("sync__")
        if step == name:
            continue
        if name in delivered:
            rows.append((name, *delivered[name]))
        elif step in outcome.failures:
            rows.append((name, outcome.failures[step].splitlines()[0]))
        else:
            rows.append((name, "not run: a model it reads was not built"))
    rows += [(name, f"not configured, needs {', '.join(missing)}")
             for name, missing in outcome.unconfigured.items()]
    columns = ["sync", "status", "added", "changed", "removed", "failed"]
    console.print(table(f"syncs (Dagster run {outcome.run_id})", columns,
                        [row + (None,) * (len(columns) - len(row)) for row in rows]))
    for step, reason in outcome.failures.items():
        console.print(f"[bold red]{step} failed:[/] {reason}")
