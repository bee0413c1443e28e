"""Sync state in the warehouse (schema `cdp_sync`): what each sync last delivered, its runs, and
a record-level changelog. A row's hash enters `snapshots` only after the destination accepted
it, so anything rejected or unsent stays different from the snapshot and is sent again."""

from __future__ import annotations

import duckdb
import pyarrow as pa

DDL = """
create schema if not exists cdp_sync;
create table if not exists cdp_sync.snapshots (
    sync_name varchar not null,
    record_key varchar not null,
    row_hash varchar not null,
    fields_json varchar,      -- last delivered payload: a mirror removal needs its identifiers
    run_id varchar not null,
    synced_at timestamp not null,
    primary key (sync_name, record_key)
);
create table if not exists cdp_sync.sync_runs (
    run_id varchar primary key,
    sync_name varchar not null,
    destination_type varchar,
    mode varchar,
    dry_run boolean,
    status varchar not null,  -- running | success | partial | failed | aborted | interrupted
    started_at timestamp not null,
    finished_at timestamp,
    source_rows bigint, invalid_rows bigint,
    planned_adds bigint, planned_changes bigint, planned_removes bigint,
    attempted_adds bigint, attempted_changes bigint, attempted_removes bigint,
    succeeded_adds bigint, succeeded_changes bigint, succeeded_removes bigint,
    failed_adds bigint, failed_changes bigint, failed_removes bigint,
    error varchar,
    triggered_by varchar      -- cli, or dagster:<run id> (the orchestrator run to look up)
);
-- State written before the column existed gains it in place.
alter table cdp_sync.sync_runs add column if not exists triggered_by varchar;
create table if not exists cdp_sync.sync_changelog (
    run_id varchar not null,
    sync_name varchar not null,
    record_key varchar,
    op varchar not null,      -- add | change | remove | invalid
    status varchar not null,  -- success | failed | invalid
    failure_reason varchar,
    row_hash varchar,         -- never the payload: no PII in logs
    logged_at timestamp not null
);
"""

COUNTERS = [f"{stage}_{op}" for stage in ("planned", "attempted", "succeeded", "failed")
            for op in ("adds", "changes", "removes")]


def ensure_state(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def start_run(con, run_id: str, sync_name: str, destination_type: str, mode: str,
              dry_run: bool, triggered_by: str) -> None:
    # A run still marked running holds no lock any more (we hold it now): it was killed.
    con.execute("update cdp_sync.sync_runs set status = 'interrupted', finished_at = now()"
                " where sync_name = ? and status = 'running'", [sync_name])
    con.execute("insert into cdp_sync.sync_runs (run_id, sync_name, destination_type, mode,"
                " dry_run, status, started_at, triggered_by)"
                " values (?, ?, ?, ?, ?, 'running', now(), ?)",
                [run_id, sync_name, destination_type, mode, dry_run, triggered_by])


def finish_run(con, run_id: str, status: str, counts: dict[str, int], source_rows: int,
               invalid_rows: int, error: str | None = None) -> None:
    assignments = ", ".join(f"{name} = ?" for name in COUNTERS)
    con.execute(f"update cdp_sync.sync_runs set status = ?, finished_at = now(),"
                f" source_rows = ?, invalid_rows = ?, error = ?, {assignments}"
                " where run_id = ?",
                [status, source_rows, invalid_rows, error,
                 *(counts.get(name, 0) for name in COUNTERS), run_id])


def commit_batch(con, run_id: str, sync_name: str, op: str, delivered: list[tuple],
                 failed: dict[str, str], hashes: dict[str, str]) -> None:
    """One transaction per batch: accepted rows into (or out of) the snapshot, every attempted
    row into the changelog. `delivered` holds (key, row_hash, fields_json) of accepted rows.
    Rows go in as Arrow tables: row-by-row inserts would dominate a million-row sync."""
    keys = [key for key, _, _ in delivered]
    accepted = pa.table({"record_key": keys, "row_hash": [h for _, h, _ in delivered],
                         "fields_json": [f for _, _, f in delivered]})
    log = pa.table({
        "record_key": keys + list(failed),
        "status": ["success"] * len(keys) + ["failed"] * len(failed),
        "failure_reason": [None] * len(keys) + list(failed.values()),
        "row_hash": [h for _, h, _ in delivered] + [hashes.get(k) for k in failed],
    })
    con.begin()
    try:
        con.register("accepted_batch", accepted)
        con.register("logged_batch", log)
        con.execute("delete from cdp_sync.snapshots where sync_name = ? and record_key in"
                    " (select record_key from accepted_batch)", [sync_name])
        if op != "remove":
            con.execute("insert into cdp_sync.snapshots select ?, record_key, row_hash,"
                        " fields_json, ?, now() from accepted_batch", [sync_name, run_id])
        con.execute("insert into cdp_sync.sync_changelog select ?, ?, record_key, ?, status,"
                    " failure_reason, row_hash, now() from logged_batch",
                    [run_id, sync_name, op])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        con.unregister("accepted_batch")
        con.unregister("logged_batch")
