"""Run one sync: lock, plan in the warehouse, guard, send in batches, commit what was accepted.

Delivery is at-least-once and converges: each batch's accepted rows are committed to the
snapshot right after the destination answers, so a crash loses at most the acknowledgement of
the batch in flight (sent again next run; destinations upsert by key, so nothing doubles).
Rejected and unsent rows never reach the snapshot and are retried on every run until accepted.
"""

from __future__ import annotations

import fcntl
import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from reverse_etl import plan as planning
from reverse_etl import state
from reverse_etl.config import SyncSpec
from reverse_etl.destinations.base import Destination, Record
from reverse_etl.destinations.registry import create_destination
from reverse_etl.errors import SyncError, TransientError

OPS = {"add": "adds", "change": "changes", "remove": "removes"}
MAX_FAILED_BATCHES_IN_A_ROW = 3


class SyncLocked(SyncError):
    """Another run of the same sync holds its lock."""


class DestinationUnavailable(SyncError):
    """Batch after batch failed even after retries: the destination is down, stop early."""


class GuardTripped(SyncError):
    """The run would remove too much (or the source is empty); rerun with force to allow it."""


@dataclass
class SyncResult:
    run_id: str
    status: str
    plan: planning.Plan
    counts: dict[str, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # key -> reason (first 1000 kept)


def run_sync(spec: SyncSpec, duckdb_path: Path, *, dry_run: bool = False,
             full_resync: bool = False, force: bool = False,
             destination: Destination | None = None, triggered_by: str = "cli",
             progress: Callable[[int, int], None] | None = None) -> SyncResult:
    """Plan and (unless `dry_run`) deliver `spec`. `full_resync` forgets the snapshot first so
    every source row is sent again; `force` lets a guarded mirror removal through;
    `triggered_by` names who started the run in `cdp_sync.sync_runs`."""
    run_id = f"{spec.name}-{uuid.uuid4().hex[:12]}"
    with _lock(duckdb_path, spec.name), duckdb.connect(str(duckdb_path)) as con:
        state.ensure_state(con)
        state.start_run(con, run_id, spec.name, spec.destination_type, spec.mode, dry_run,
                        triggered_by)
        result = SyncResult(run_id, "running", planning.Plan(0, {}, 0, 0, 0, 0))
        try:
            if full_resync and not dry_run:
                con.execute("delete from cdp_sync.snapshots where sync_name = ?", [spec.name])
            planning.prepare(con, spec)
            result.plan = plan = planning.summarise(con, spec)
            _log_invalid(con, run_id, spec.name, plan.invalid)
            result.counts.update({f"planned_{OPS[op]}": n for op, n in (
                ("add", plan.adds), ("change", plan.changes), ("remove", plan.removes))})
            _guard(spec, plan, force)
            if not dry_run:
                with destination or create_destination(
                        spec.destination_type, spec.name, spec.mode,
                        spec.destination_config) as target:
                    _deliver(con, spec, run_id, target, result, progress)
            result.status = _status(result, dry_run)
        except GuardTripped as error:
            result.status = "aborted"
            state.finish_run(con, run_id, "aborted", result.counts, result.plan.source_rows,
                             len(result.plan.invalid), str(error))
            raise
        except BaseException as error:
            result.status = "failed"
            state.finish_run(con, run_id, "failed", result.counts, result.plan.source_rows,
                             len(result.plan.invalid), f"{type(error).__name__}: {error}")
            raise
        state.finish_run(con, run_id, result.status, result.counts, plan.source_rows,
                         len(plan.invalid))
        return result


def _deliver(con, spec: SyncSpec, run_id: str, target: Destination, result: SyncResult,
             progress) -> None:
    ops = ["add", "change"] if spec.mode != "insert" else ["add"]
    if spec.mode == "mirror":
        ops.append("remove")
    size = min(spec.batch_size or target.capabilities.batch_size,
               target.capabilities.batch_size)
    total = sum(result.counts.get(f"planned_{OPS[op]}", 0) for op in ops)
    done, outage = 0, 0
    for op in ops:
        for batch in _batches(con, op, size):
            attempted = f"attempted_{OPS[op]}"
            result.counts[attempted] = result.counts.get(attempted, 0) + len(batch)
            try:
                answer = (target.remove if op == "remove" else target.upsert)(batch)
                failed = dict(answer.rejected)
                accepted = set(answer.accepted) - set(failed)
            except TransientError as error:  # retries exhausted: the batch stays dirty
                failed, accepted = {r.key: f"not sent: {error}" for r in batch}, set()
                outage += 1
            else:
                outage = 0
            unanswered = {r.key for r in batch} - accepted - set(failed)
            failed.update({key: "no answer from destination" for key in unanswered})
            delivered = [(r.key, r.row_hash, json.dumps(dict(r.fields), default=str))
                         for r in batch if r.key in accepted]
            state.commit_batch(con, run_id, spec.name, op, delivered, failed,
                               {r.key: r.row_hash for r in batch})
            _count(result, op, len(delivered), failed)
            done += len(batch)
            if progress:
                progress(done, total)
            if outage >= MAX_FAILED_BATCHES_IN_A_ROW:
                last_error = next(iter(failed.values()), "")
                raise DestinationUnavailable(
                    f"{spec.name}: {outage} batches in a row failed after retries; stopping"
                    f" (unsent rows stay dirty for the next run). Last error: {last_error}")


def _batches(con, op: str, size: int) -> Iterator[list[Record]]:
    # Fetched whole (only rows that differ): committing a batch runs statements on the same
    # connection, which would cut a streaming result short.
    rows = con.execute("select record_key, fields_json, row_hash from plan where op = ?"
                       " order by record_key", [op]).fetchall()
    for start in range(0, len(rows), size):
        yield [Record(key, json.loads(fields) if fields else {}, row_hash)
               for key, fields, row_hash in rows[start:start + size]]


def _count(result: SyncResult, op: str, succeeded: int, failed: dict[str, str]) -> None:
    for stage, n in (("succeeded", succeeded), ("failed", len(failed))):
        name = f"{stage}_{OPS[op]}"
        result.counts[name] = result.counts.get(name, 0) + n
    for key, reason in failed.items():
        if len(result.failures) < 1000:
            result.failures[key] = reason


def _guard(spec: SyncSpec, plan: planning.Plan, force: bool) -> None:
    if spec.mode != "mirror" or force or not plan.removes:
        return
    if plan.source_rows == 0:
        raise GuardTripped(f"{spec.name}: the source returned 0 rows; refusing to remove all "
                           f"{plan.removes:,} records (rerun with --force if intended)")
    share = plan.removes / max(plan.snapshot_rows, 1)
    if share > spec.max_remove_share:
        raise GuardTripped(f"{spec.name}: would remove {plan.removes:,} of {plan.snapshot_rows:,}"
                           f" records ({share:.0%} > max_remove_share "
                           f"{spec.max_remove_share:.0%}); rerun with --force if intended")


def _status(result: SyncResult, dry_run: bool) -> str:
    if dry_run:
        return "planned"
    failed = sum(v for k, v in result.counts.items() if k.startswith("failed_"))
    succeeded = sum(v for k, v in result.counts.items() if k.startswith("succeeded_"))
    return "success" if not failed else ("partial" if succeeded else "failed")


def _log_invalid(con, run_id: str, sync_name: str, invalid: dict[str, str]) -> None:
    if invalid:
        con.executemany("insert into cdp_sync.sync_changelog values"
                        " (?, ?, ?, 'invalid', 'invalid', ?, null, now())",
                        [(run_id, sync_name, key, reason) for key, reason in invalid.items()])


@contextmanager
def _lock(duckdb_path: Path, sync_name: str) -> Iterator[None]:
    folder = Path(duckdb_path).parent / ".sync-locks"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{sync_name}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyncLocked(f"sync {sync_name} is already running") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
