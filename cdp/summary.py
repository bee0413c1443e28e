"""Terminal summaries of what a load or a build did, read back from the warehouse."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cdp import settings
from cdp.load import TableLoad
from cdp.warehouse import WarehouseNotBuilt, active_target, is_embedded, query
from cdp.warehouse.schemas import INTERMEDIATE, MARTS, STAGING, SYNC_STATE


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


def _query(sql: str, params: Sequence = ()) -> list[tuple] | None:
    """Rows of `sql` on the active target, or None when the warehouse has not been built yet."""
    try:
        return query(sql, params)
    except WarehouseNotBuilt:
        return None


def warehouse_label() -> str:
    """Where the summary was read: the DuckDB file, or the server target's name and type."""
    target = active_target()
    if is_embedded(target):
        return str(settings.duckdb_path())
    return f"target {target.name} ({target.type})"


def print_rejects(console: Console) -> None:
    rows = _query(
        f"select source_table, reject_reason, count(*) from {MARTS}.fct_source_rejects"
        " group by 1, 2 order by 1, 3 desc",
    )
    if rows is None:
        console.print("[yellow]no rejects table yet: run `cdp run` (or `cdp load` + `cdp build`)")
        return
    console.print(table("rejected rows by source and reason", ["source", "reason", "rows"], rows))


def print_pipeline_summary(console: Console) -> None:
    rows = _query(
        "select source_table, lines_in_files, staged_rows, rejected_rows + unreadable_lines,"
        f" duplicates_removed, is_reconciled from {MARTS}.fct_source_reconciliation order by 1",
    )
    if rows is None:
        console.print("[yellow]no reconciliation table: the dbt build did not complete")
        return
    columns = ["source", "lines in files", "staged", "rejected", "duplicates", "reconciled"]
    console.print(table("where every raw line went", columns, rows))
    for warning in mass_rejection_warnings():
        console.print(f"[bold yellow]warning:[/] {escape(warning)}")
    print_rejects(console)
    print_identity(console)
    print_customers(console)
    print_person_counts(console)
    print_audiences(console)
    console.print(f"warehouse: {warehouse_label()}")


def mass_rejection_warnings() -> list[str]:
    """One line per source that lost more than var `cdp_mass_reject_threshold` of its lines
    to one reject reason (marts.fct_source_reject_reasons): the source, the reason, the share
    and the vars to change (or what to fix upstream). Empty when none, or not built yet."""
    rows = _query(
        "select source_table, reject_reason, rejected_rows, lines_in_files, reject_share,"
        " mass_reject_threshold, config_vars, fix_upstream"
        f" from {MARTS}.fct_source_reject_reasons where is_mass_rejection"
        " order by reject_share desc, source_table, reject_reason",
    ) or []
    warnings = []
    for source, reason, rejected, lines, share, threshold, config_vars, fix in rows:
        advice = (f"if the data is right, change var {config_vars}" if config_vars
                  else f"fix upstream: {fix}" if fix else f"see {MARTS}.fct_source_rejects")
        warnings.append(
            f"{source} lost {float(share):.1%} of its lines ({rejected:,} of {lines:,}) to"
            f" {reason} (more than {float(threshold):.0%}, var cdp_mass_reject_threshold);"
            f" {advice}"
        )
    return warnings


def print_identity(console: Console) -> None:
    rows = _query(
        "select id_type, count(*) filter (where status = 'linked'),"
        " count(*) filter (where status = 'shared'), count(*) filter (where status = 'blocked'),"
        f" count(distinct person_id) from {MARTS}.dim_identity_identifiers group by 1 order by 1",
    )
    if not rows:
        return
    [(persons,)] = _query(
        f"select count(distinct person_id) from {MARTS}.dim_identity_identifiers") or [(0,)]
    columns = ["identifier type", "linked", "shared", "blocked", "persons holding one"]
    console.print(table(f"identity graph: {persons:,} persons", columns, rows))


# Totals add up over a stage's persons; P(alive) and CLV are only scored for buyers, so their
# means are per buyer (avg skips the unscored): both kinds are named as such in the header.
# The order count is cast back to bigint (PostgreSQL sums a bigint into numeric); the rollup's
# total row is told by a selected `grouping()` column, which every engine orders by. A
# template: the schema is the environment's when the query runs.
_LIFECYCLE_SQL = """
select coalesce(lifecycle_stage, 'all stages'), count(*), cast(sum(orders) as bigint),
    sum(net_revenue), sum(predicted_clv), avg(p_alive), avg(predicted_clv),
    grouping(lifecycle_stage) as is_total
from {MARTS}.dim_customers
group by rollup (lifecycle_stage)
order by is_total, 2 desc, 1
"""


def print_customers(console: Console) -> None:
    rows = [row[:-1]  # without is_total
            for row in _query(_LIFECYCLE_SQL.format(MARTS=MARTS)) or []]
    if not rows:
        return
    columns = ["lifecycle stage", "persons", "total orders", "total net revenue",
               "total predicted CLV", "mean P(alive)", "mean predicted CLV"]
    shown = [(stage, persons, orders, _money(revenue), _money(clv),
              None if p_alive is None else f"{p_alive:.3f}", _money(mean_clv))
             for stage, persons, orders, revenue, clv, p_alive, mean_clv in rows]
    console.print(table("golden records by lifecycle stage (reporting currency)", columns,
                        shown))
    console.print("totals sum the stage's persons; means are per buyer, the only persons"
                  " scored (BG/NBD gives a one-time buyer P(alive) 1)", markup=False)
    [(status, error)] = _query(
        f"select fit_status, fit_error from {STAGING}.stg_clv__model_fits") or [(None, None)]
    if status == "failed":
        console.print(f"[yellow]CLV not scored: {error}")


def _money(value) -> str | None:
    return None if value is None else f"{value:,.2f}"


@dataclass(frozen=True)
class PersonCounts:
    """How the identity graph's persons relate to the golden records (dim_customers)."""
    in_graph: int  # distinct person ids in marts.dim_identity_identifiers
    known: int  # golden records with an email, phone, account, CRM or loyalty id
    anonymous: int  # golden records with device-level identifiers only
    shared_only: dict[str, int]  # no record: a profile holding only shared identifiers
    other_without_record: int  # no record for another reason (expected: 0)
    records_without_person: int  # records with nothing but blocked identifiers

    @property
    def golden(self) -> int:
        return self.known + self.anonymous

    def line(self) -> str:
        kinds = ", ".join(f"{n:,} {kind}" for kind, n in
                          sorted(self.shared_only.items(), key=lambda item: -item[1]))
        other = (f" + {self.other_without_record:,} without any record"
                 if self.other_without_record else "")
        return (f"persons: {self.in_graph:,} in the identity graph = {self.golden:,} golden"
                f" records ({self.known:,} known + {self.anonymous:,} anonymous: the lifecycle"
                f" table) + {sum(self.shared_only.values()):,} shared identifiers with a"
                f" profile but no record{f' ({kinds})' if kinds else ''}{other};"
                f" {self.records_without_person:,} records have only blocked identifiers and"
                " no person")


def person_counts() -> PersonCounts | None:
    """The person counts the summary shows, split so they add up; None before a build."""
    golden = _query("select count(*) filter (where is_known),"
                    f" count(*) filter (where not is_known) from {MARTS}.dim_customers")
    if golden is None:
        return None
    # Persons without a golden record, by the identifier types they hold: joined into a kind
    # here, as string aggregation orders differently on each engine.
    held = _query(f"""
        select person_id, id_type, min(case when status = 'shared' then 1 else 0 end)
        from {MARTS}.dim_identity_identifiers
        where person_id is not null
            and person_id not in (select person_id from {MARTS}.dim_customers)
        group by person_id, id_type""") or []
    persons: dict[str, tuple[set[str], bool]] = {}
    for person, id_type, shared in held:
        kinds, only_shared = persons.setdefault(person, (set(), True))
        persons[person] = (kinds | {id_type}, only_shared and shared == 1)
    no_record = Counter(("+".join(sorted(kinds)), only_shared)
                        for kinds, only_shared in persons.values())
    [(in_graph,)] = _query("select count(distinct person_id)"
                           f" from {MARTS}.dim_identity_identifiers") or [(0,)]
    [(unresolved,)] = _query(f"select count(*) from {INTERMEDIATE}.int_identity__record_persons"
                             " where person_id is null") or [(0,)]
    [(known, anonymous)] = golden
    return PersonCounts(
        in_graph=in_graph, known=known or 0, anonymous=anonymous or 0,
        shared_only={kinds: n for (kinds, shared), n in no_record.items() if shared},
        other_without_record=sum(n for (_, shared), n in no_record.items() if not shared),
        records_without_person=unresolved)


def print_person_counts(console: Console) -> None:
    if counts := person_counts():
        console.print(counts.line(), markup=False)


def print_audiences(console: Console) -> None:
    rows = _query("select audience_name, members, holdout_members"
                  f" from {MARTS}.dim_audiences order by members desc, 1")
    if rows:
        console.print(table("audiences", ["audience", "members", "holdout"], rows))


def print_job_outcome(console: Console, outcome) -> None:
    """Every sync of a `cdp run` (an orchestration.runner.JobOutcome): what it delivered, or
    why it did not run; then the failed steps with their reasons and the stale sources."""
    delivered = {name: row for name, *row in _query(
        "select sync_name, status, succeeded_adds, succeeded_changes, succeeded_removes,"
        f" failed_adds + failed_changes + failed_removes from {SYNC_STATE}.sync_runs"
        " where triggered_by = ?", [f"dagster:{outcome.run_id}"]) or []}
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
        console.print(f"[bold red]{step} failed:[/] {escape(reason)}", soft_wrap=True)
    for line in outcome.stale_sources:  # failed freshness checks (not blocking)
        console.print(f"[bold yellow]source freshness:[/] {escape(line)}", soft_wrap=True)
