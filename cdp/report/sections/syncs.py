"""Sync health: runs per day and their outcome, records sent and failed per sync over time,
each sync's last run and the last errors (from the sync engine's `cdp_sync.sync_runs`)."""

from __future__ import annotations

from cdp.report import charts
from cdp.report.document import Block, Figure, Figures, Note, Table
from cdp.report.reader import Reader
from cdp.report.sections.common import chart, count, section
from cdp.warehouse.schemas import SYNC_STATE

LAST_ERRORS = 10
SENT = "succeeded_adds + succeeded_changes + succeeded_removes"
FAILED = "failed_adds + failed_changes + failed_removes"


# No relation needed: the sync state is created by the first sync, and its absence is news.
@section("syncs", "Sync health")
def syncs_section(reader: Reader) -> list[Block]:
    runs = (0 if reader.missing((SYNC_STATE, "sync_runs"))
            else reader.value(f"select count(*) from {SYNC_STATE}.sync_runs"))
    if not runs:
        return [Note("No sync has run yet: syncs run at the end of the main job when their "
                     "destination's credentials are set.")]
    syncs, failed_runs, sent, failed = reader.warehouse.query(f"""
        select count(distinct sync_name),
            count(case when status in ('failed', 'partial', 'aborted') then 1 end),
            sum(coalesce({SENT}, 0)), sum(coalesce({FAILED}, 0))
        from {SYNC_STATE}.sync_runs""")[0]
    return [Figures({"syncs": count(syncs), "runs": count(runs),
                     "failed or partial runs": count(failed_runs), "records sent": count(sent),
                     "records failed": count(failed)}),
            *_over_time(reader), _last_runs(reader), _last_errors(reader)]


def _over_time(reader: Reader) -> list[Figure | Note]:
    runs = reader.frame(f"""
        select cast(cast(started_at as date) as varchar) as day, status, count(*) as runs
        from {SYNC_STATE}.sync_runs group by 1, 2 order by 1, 2""")
    records = reader.frame(f"""
        select cast(cast(started_at as date) as varchar) as day, sync_name as sync,
            sum(coalesce({SENT}, 0)) as sent, sum(coalesce({FAILED}, 0)) as failed
        from {SYNC_STATE}.sync_runs group by 1, 2 order by 1, 2""")
    return [
        chart("Sync runs per day", charts.bars, runs, "day", "runs", color="status",
              caption="Every run of every sync, by outcome."),
        chart("Records sent per sync", charts.lines, records, "day", "sent", color="sync",
              caption="Adds, changes and removes the destination accepted, per day."),
        chart("Records failed per sync", charts.lines, records, "day", "failed", color="sync",
              caption="Records the destination refused or that could not be sent, per day."),
    ]


def _last_runs(reader: Reader) -> Table:
    frame = reader.frame(f"""
        with ranked as (
            select sync_name, destination_type, status, started_at, finished_at,
                {SENT} as sent, {FAILED} as failed,
                row_number() over (partition by sync_name order by started_at desc) as recency
            from {SYNC_STATE}.sync_runs
        )
        select sync_name as sync, destination_type as destination, status, started_at,
            finished_at, sent, failed
        from ranked where recency = 1 order by sync_name""")
    return Table("Last run of each sync", frame)


def _last_errors(reader: Reader) -> Table | Note:
    frame = reader.frame(f"""
        select sync_name as sync, started_at, status, error
        from {SYNC_STATE}.sync_runs where error is not null
        order by started_at desc limit {LAST_ERRORS}""")
    if frame.empty:
        return Note("No sync run has recorded an error.")
    return Table("Last errors", frame, f"The {LAST_ERRORS} most recent runs with an error.")
