"""Sync state in the warehouse (schema `cdp_sync`): what each sync's destination holds, its
runs, and a record-level changelog.

A row's hash enters `snapshots` only after the destination acknowledged it, so anything
rejected or unsent stays different from the snapshot and is sent again. Before a batch leaves,
its rows are marked `in_doubt` (write-ahead): a timeout after the remote side applied the
batch, a lost answer or a kill leaves them marked, and the next run reconciles them whatever
the source says then (re-send if present, remove if gone), so a change that reverts before the
next run cannot leave a stale or orphan record behind.

Only what a mirror removal needs is kept (`removal_json`: minimal, hashed where the destination
takes hashes); other modes keep keys and hashes only. Failure reasons are redacted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa

from cdp.warehouse import Warehouse
from cdp.warehouse.schemas import SYNC_STATE
from reverse_etl.redact import redact

DDL = """
create schema if not exists cdp_sync;
create table if not exists cdp_sync.snapshots (
    sync_name varchar not null,
    record_key varchar not null,
    row_hash varchar,         -- hash the destination acknowledged; null: never acknowledged
    removal_json varchar,     -- what a mirror removal needs (minimal, hashed where accepted)
    in_doubt varchar,         -- add | change | remove sent without a known outcome
    pending_json varchar,     -- removal payload of the in-doubt send
    run_id varchar not null,
    synced_at timestamp not null,
    primary key (sync_name, record_key)
);
-- State written by earlier versions gains the new columns in place.
alter table cdp_sync.snapshots alter column row_hash drop not null;
alter table cdp_sync.snapshots add column if not exists removal_json varchar;
alter table cdp_sync.snapshots add column if not exists in_doubt varchar;
alter table cdp_sync.snapshots add column if not exists pending_json varchar;
create table if not exists cdp_sync.sync_runs (
    run_id varchar primary key,
    sync_name varchar not null,
    destination_type varchar,
    mode varchar,
    dry_run boolean,
    status varchar not null,  -- running | planned | success | partial | failed | aborted
                              -- | interrupted
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
alter table cdp_sync.sync_runs add column if not exists triggered_by varchar;
alter table cdp_sync.sync_runs add column if not exists in_doubt_rows bigint;
create table if not exists cdp_sync.sync_changelog (
    run_id varchar not null,
    sync_name varchar not null,
    record_key varchar,
    op varchar not null,      -- add | change | remove | invalid
    status varchar not null,  -- success | failed | in_doubt | invalid
    failure_reason varchar,   -- redacted: no tokens, emails or phones
    row_hash varchar,         -- never the payload: no PII in logs
    logged_at timestamp not null
);
"""

COUNTERS = [f"{stage}_{op}" for stage in ("planned", "attempted", "succeeded", "failed")
            for op in ("adds", "changes", "removes")] + ["in_doubt_rows"]


def ensure_state(con: Warehouse) -> None:
    # they contain semicolons; `cdp_sync` is the environment's (cdp.warehouse.schemas)
    without_comments = re.sub(r"--[^\n]*", "", DDL).replace("cdp_sync", str(SYNC_STATE))
    for statement in without_comments.split(";"):
        if statement.strip():
            con.execute(statement)


def start_run(con, run_id: str, sync_name: str, destination_type: str, mode: str,
              dry_run: bool, triggered_by: str) -> None:
    # A run still marked running holds no lock any more (we hold it now): it was killed.
    con.execute(f"update {SYNC_STATE}.sync_runs set status = 'interrupted', finished_at = now(),"
                " error = coalesce(error, 'the process ended without finishing the run')"
                " where sync_name = ? and status = 'running'", [sync_name])
    con.execute(f"insert into {SYNC_STATE}.sync_runs (run_id, sync_name, destination_type, mode,"
                " dry_run, status, started_at, triggered_by)"
                " values (?, ?, ?, ?, ?, 'running', now(), ?)",
                [run_id, sync_name, destination_type, mode, dry_run, triggered_by])


def record_counts(con, run_id: str, counts: dict[str, int], source_rows: int | None = None,
                  invalid_rows: int | None = None) -> None:
    """Counters as they stand (after every batch: a killed run keeps what it delivered)."""
    assignments = ", ".join(f"{name} = ?" for name in COUNTERS)
    con.execute(f"update {SYNC_STATE}.sync_runs set {assignments},"
                " source_rows = coalesce(?, source_rows),"
                " invalid_rows = coalesce(?, invalid_rows) where run_id = ?",
                [*(counts.get(name, 0) for name in COUNTERS), source_rows, invalid_rows, run_id])


def finish_run(con, run_id: str, status: str, counts: dict[str, int], error: str | None = None
               ) -> None:
    record_counts(con, run_id, counts)
    con.execute(f"update {SYNC_STATE}.sync_runs set status = ?, finished_at = now(), error = ?"
                " where run_id = ?", [status, redact(error), run_id])


def log_invalid(con, run_id: str, sync_name: str, invalid: dict[str, str]) -> None:
    if invalid:
        con.executemany(f"insert into {SYNC_STATE}.sync_changelog values"
                        " (?, ?, ?, 'invalid', 'invalid', ?, null, now())",
                        [(run_id, sync_name, key, reason) for key, reason in invalid.items()])


def mark_in_doubt(con, run_id: str, sync_name: str, op: str,
                  removals: dict[str, str | None]) -> None:
    """Before sending: the batch's keys (-> removal payload of what is sent) are in doubt."""
    batch = pa.table({"record_key": list(removals), "pending_json": list(removals.values())})
    with _transaction(con, pending_batch=batch):
        con.execute(f"""
            insert into {SYNC_STATE}.snapshots (sync_name, record_key, in_doubt, pending_json,
                                            run_id, synced_at)
            select ?, record_key, ?, pending_json, ?, now() from pending_batch
            on conflict (sync_name, record_key) do update set
                in_doubt = excluded.in_doubt,
                pending_json = coalesce(excluded.pending_json, snapshots.pending_json)
        """, [sync_name, op, run_id])


def commit_batch(con, run_id: str, sync_name: str, op: str, outcome: dict[str, tuple],
                 counts: dict[str, int]) -> None:
    """One transaction per answered batch. `outcome`: key -> (status, reason, row_hash,
    was_in_doubt) with status success | failed | in_doubt. Accepted rows take their new hash
    (removals leave the snapshot); refused rows get their earlier state back unless they were
    in doubt before; rows without a known outcome stay in doubt."""
    keys = list(outcome)
    rows = list(outcome.values())
    batch = pa.table({
        "record_key": keys, "status": [r[0] for r in rows],
        "failure_reason": [redact(r[1]) for r in rows], "row_hash": [r[2] for r in rows],
        "was_in_doubt": [bool(r[3]) for r in rows]})
    with _transaction(con, answered_batch=batch):
        if op in ("remove", "erase"):
            con.execute(f"delete from {SYNC_STATE}.snapshots where sync_name = ? and record_key in"
                        " (select record_key from answered_batch where status = 'success')",
                        [sync_name])
        else:
            con.execute(f"""
                update {SYNC_STATE}.snapshots set row_hash = answered.row_hash,
                    removal_json = pending_json, pending_json = null, in_doubt = null,
                    run_id = ?, synced_at = now()
                from answered_batch as answered
                where sync_name = ? and snapshots.record_key = answered.record_key
                    and answered.status = 'success'
            """, [run_id, sync_name])
            con.execute(f"""
                delete from {SYNC_STATE}.snapshots where sync_name = ? and row_hash is null
                    and record_key in (select record_key from answered_batch
                                       where status = 'failed' and not was_in_doubt)
            """, [sync_name])
        con.execute(f"""
            update {SYNC_STATE}.snapshots set in_doubt = null, pending_json = null
            from answered_batch as answered
            where sync_name = ? and snapshots.record_key = answered.record_key
                and answered.status = 'failed' and not answered.was_in_doubt
        """, [sync_name])
        con.execute(f"insert into {SYNC_STATE}.sync_changelog select ?, ?, record_key, ?, status,"
                    " failure_reason, row_hash, now() from answered_batch",
                    [run_id, sync_name, op])
        record_counts(con, run_id, counts)


def drop_departed(con, sync_name: str) -> int:
    """Non-mirror syncs forget people who left the source (plan op `drop`): they are never
    removed downstream, so their state is not needed."""
    [(dropped,)] = con.execute(
        "select count(*) from plan where op = 'drop'").fetchall()
    if dropped:
        con.execute(f"delete from {SYNC_STATE}.snapshots where sync_name = ? and record_key in"
                    " (select record_key from plan where op = 'drop')", [sync_name])
    return dropped


def forget_payloads(con, sync_name: str) -> None:
    """A sync that does not mirror keeps no payloads (it was a mirror before, or older state
    kept whole payloads in `fields_json`)."""
    con.execute(f"update {SYNC_STATE}.snapshots set removal_json = null, pending_json = null"
                " where sync_name = ? and (removal_json is not null or pending_json is not null)",
                [sync_name])
    if _has_legacy_payloads(con):
        con.execute(f"update {SYNC_STATE}.snapshots set fields_json = null where sync_name = ?",
                    [sync_name])
        _drop_legacy_when_empty(con)


def minimise_legacy_payloads(con, sync_name: str, removal_fields) -> None:
    """State written before removal payloads were minimised kept every sent field in clear
    (`fields_json`): rewrite this sync's rows through `removal_fields`, then drop the column
    once no sync has such rows left."""
    if not _has_legacy_payloads(con):
        return
    rows = con.execute(f"select record_key, fields_json from {SYNC_STATE}.snapshots"
                       " where sync_name = ? and fields_json is not null", [sync_name]).fetchall()
    minimal = pa.table({"record_key": [key for key, _ in rows],
                        "removal_json": [json.dumps(removal_fields(json.loads(fields)),
                                                    sort_keys=True, default=str)
                                         for _, fields in rows]})
    with _transaction(con, minimal_batch=minimal):
        con.execute(f"update {SYNC_STATE}.snapshots set removal_json = minimal.removal_json,"
                    " fields_json = null from minimal_batch as minimal"
                    " where sync_name = ? and snapshots.record_key = minimal.record_key",
                    [sync_name])
    _drop_legacy_when_empty(con)


def _has_legacy_payloads(con) -> bool:
    return bool(con.execute("select count(*) from information_schema.columns"
                            f" where table_schema = '{SYNC_STATE}' and table_name = 'snapshots'"
                            " and column_name = 'fields_json'").fetchone()[0])


def _drop_legacy_when_empty(con) -> None:
    [(left,)] = con.execute(f"select count(*) from {SYNC_STATE}.snapshots"
                            " where fields_json is not null").fetchall()
    if not left:
        con.execute(f"alter table {SYNC_STATE}.snapshots drop column fields_json")


@contextmanager
def _transaction(con: Warehouse, **tables: pa.Table) -> Iterator[None]:
    """Arrow tables as temp tables of their names, and statements that commit together."""
    with con.transaction():
        for name, table in tables.items():
            con.write_table(name, table, temporary=True)
        yield
