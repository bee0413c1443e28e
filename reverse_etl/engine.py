"""Run one sync: lock, check and plan in the warehouse, guard, send in batches, commit answers.

Delivery converges whatever happens on the way: each batch is marked in doubt before it
leaves and its answer is committed right after it returns (accepted rows take their new hash,
refused rows stay dirty, rows without an answer stay in doubt), so a lost acknowledgement, a
crash or a kill at any point is reconciled by the next run. Destinations upsert or remove by
key, so a batch sent twice changes nothing.
"""

from __future__ import annotations

import json
import threading
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from cdp.warehouse import open_warehouse, writer_lock_path
from cdp.warehouse.base import file_lock
from cdp.warehouse_lock import writer_lock
from reverse_etl import plan as planning
from reverse_etl import state
from reverse_etl.config import SyncSpec
from reverse_etl.destinations.base import ConfigError, Destination, Record
from reverse_etl.destinations.registry import create_destination
from reverse_etl.erasure import Erasures
from reverse_etl.errors import DestinationRefusing, SyncError, TransientError
from reverse_etl.locks import sync_lock
from reverse_etl.redact import forget_payload_values, payload_values, redact
from reverse_etl.source_query import source_query
from reverse_etl.spark_state import SparkScratch

OPS = {"add": "adds", "change": "changes", "remove": "removes", "erase": "removes"}
MAX_FAILED_BATCHES_IN_A_ROW = 3
# Statuses that mean the destination does not hold exactly what the run meant to deliver.
UNSUCCESSFUL = frozenset({"failed", "partial", "aborted", "interrupted"})


class DestinationUnavailable(SyncError):
    """Batch after batch failed even after retries: the destination is down, stop early."""


class GuardTripped(SyncError):
    """The run would remove too much (or the source is empty); rerun with force to allow it."""


class SyncCrashed(SyncError):
    """An error nobody anticipated (a receiver's malformed answer, a driver's error), message
    and traceback redacted (`details`). Its text may quote a secret or a record, and Dagster's
    event log and the console keep exception texts and their causes as they are, so it does not
    leave the engine: this does, with the chain cut (`from None`)."""

    def __init__(self, error: Exception) -> None:
        super().__init__(redact(f"{type(error).__name__}: {error}"))
        self.details = redact("".join(traceback.format_exception(error)))


class SyncInterrupted(BaseException):
    """The run was asked to stop (a signal); BaseException so that nothing swallows it."""


@dataclass
class SyncResult:
    run_id: str
    status: str
    plan: planning.Plan
    counts: dict[str, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # key -> reason (first 1000 kept)

    def failure_summary(self, top: int = 5) -> list[str]:
        """The most common failure reasons with their counts and an example key."""
        reasons = Counter(self.failures.values())
        examples = {reason: key for key, reason in reversed(self.failures.items())}
        return [f"{n:,} x {reason[:300]} (e.g. {examples[reason]})"
                for reason, n in reasons.most_common(top)]


def run_sync(spec: SyncSpec, duckdb_path: Path | None = None, *, dry_run: bool = False,
             full_resync: bool = False, force: bool = False,
             destination: Destination | None = None, triggered_by: str = "cli",
             progress: Callable[[int, int], None] | None = None,
             stop: threading.Event | None = None,
             on_wait: Callable[[str], None] | None = None) -> SyncResult:
    """Plan and (unless `dry_run`) deliver `spec`. `full_resync` sends every source row again
    (removals still happen); `force` lets a guarded mirror removal through; `triggered_by`
    names who started the run in `cdp_sync.sync_runs`; once `stop` is set (a signal handler)
    the run ends as `interrupted` at the next batch boundary, its state consistent. The run
    holds the warehouse's writer lock (`on_wait(holder)` is called if it has to queue).
    It runs on the active target, or on the DuckDB file `duckdb_path` (tools, tests)."""
    run_id = f"{spec.name}-{uuid.uuid4().hex[:12]}"
    lock_file = duckdb_path or writer_lock_path()
    with ExitStack() as held:
        if lock_file is not None:  # the embedded file: fail fast, then queue as its writer
            held.enter_context(sync_lock(file_lock(lock_file.parent, spec.name), spec.name))
            held.enter_context(writer_lock(lock_file, f"cdp sync {spec.name}", on_wait=on_wait))
        con = held.enter_context(open_warehouse(duckdb_path=duckdb_path))
        if lock_file is None:
            lock = con.exclusive(f"{state.SYNC_STATE}.{spec.name}")  # per environment
            held.enter_context(sync_lock(lock, spec.name))
        erasures = Erasures.owed_by(con, spec.name)  # forget requests' removals
        if con.dialect == "spark":  # Parquet cannot update the state row by row
            con = held.enter_context(SparkScratch(con, spec))
        return _run(con, spec, run_id, dry_run=dry_run, full_resync=full_resync, force=force,
                    destination=destination, triggered_by=triggered_by, progress=progress,
                    stop=stop, erasures=erasures)


def _run(con, spec: SyncSpec, run_id: str, *, dry_run: bool, full_resync: bool, force: bool,
         destination: Destination | None, triggered_by: str, progress, stop,
         erasures: Erasures) -> SyncResult:
    state.ensure_state(con)
    state.start_run(con, run_id, spec.name, spec.destination_type, spec.mode, dry_run,
                    triggered_by)
    result = SyncResult(run_id, "running", planning.Plan(0, {}, 0, 0, 0, 0))
    token = payload_values(())  # each batch's values, redacted until the run is recorded
    try:
        with ExitStack() as stack:
            target = None if dry_run else stack.enter_context(
                destination or create_destination(spec.destination_type, spec.name,
                                                  spec.mode, spec.destination_config))
            _plan(con, spec, run_id, result, full_resync, target, erasures)
            _guard(spec, result.plan, force)
            if target is not None:
                state.drop_departed(con, spec.name)
                _deliver(con, spec, run_id, target, result, progress, stop, erasures)
        result.status = _status(result, dry_run)
    except BaseException as error:
        result.status = _failure_status(error)
        state.finish_run(con, run_id, result.status, result.counts, _describe(error))
        if isinstance(error, Exception) and not isinstance(error, SyncError | ConfigError):
            raise SyncCrashed(error) from None
        raise
    finally:
        forget_payload_values(token)
    state.finish_run(con, run_id, result.status, result.counts)
    return result


def _plan(con, spec: SyncSpec, run_id: str, result: SyncResult, full_resync: bool,
          target: Destination | None, erasures: Erasures) -> None:
    query = source_query(con, spec)  # checks every name and expression before any SQL
    if target is not None:
        if _keeps_removals(spec, target):
            state.minimise_legacy_payloads(con, spec.name, target.removal_fields)
        else:
            state.forget_payloads(con, spec.name)
    planning.prepare(con, spec, query, full_resync=full_resync)
    erasures.plan(con)
    result.plan = plan = planning.summarise(con, spec)
    state.log_invalid(con, run_id, spec.name, plan.invalid)
    result.counts.update({f"planned_{OPS[op]}": n for op, n in (
        ("add", plan.adds), ("change", plan.changes))})
    result.counts["planned_removes"] = plan.removes + plan.erasures
    state.record_counts(con, run_id, result.counts, plan.source_rows, len(plan.invalid))


def _deliver(con, spec: SyncSpec, run_id: str, target: Destination, result: SyncResult,
             progress, stop: threading.Event | None, erasures: Erasures) -> None:
    ops = ["add", "change"] if spec.mode != "insert" else ["add"]
    if spec.mode == "mirror":
        ops.append("remove")
    if erasures.owed:
        ops.append("erase")
    size = min(spec.batch_size or target.capabilities.batch_size,
               target.capabilities.batch_size)
    total = sum(result.counts.get(f"planned_{name}", 0) for name in {OPS[op] for op in ops})
    done, outage = 0, 0
    for op in ops:
        for batch, was_in_doubt in _batches(con, op, size):
            if stop is not None and stop.is_set():
                raise SyncInterrupted("asked to stop")
            # A receiver echoing the request quotes these; every error text made until the
            # next batch (and the run's own error) is redacted of them.
            payload_values([r.fields for r in batch])
            state.mark_in_doubt(con, run_id, spec.name, op, _removals(spec, target, op, batch))
            _add(result.counts, f"attempted_{OPS[op]}", len(batch))
            try:
                outcome, outage = _send(target, op, batch), 0
            except TransientError as error:  # retries exhausted: did any of it land?
                outcome = _unknown(batch, f"outcome unknown, not acknowledged: {error}")
                outage += 1
            except DestinationRefusing as error:
                _commit(con, run_id, spec.name, op, result, batch,
                        _unknown(batch, f"outcome unknown: {error}"), was_in_doubt)
                raise
            if op == "erase":  # recorded before the keys leave the state (reverse_etl.erasure)
                erasures.confirm([k for k, (status, _) in outcome.items() if status == "success"])
            _commit(con, run_id, spec.name, op, result, batch, outcome, was_in_doubt)
            done += len(batch)
            if progress:
                progress(done, total)
            if outage >= MAX_FAILED_BATCHES_IN_A_ROW:
                last_error = next(iter(outcome.values()))[1]
                raise DestinationUnavailable(
                    f"{spec.name}: {outage} batches in a row failed after retries; stopping"
                    " (their rows are in doubt and reconciled by the next run). Last error: "
                    f"{last_error}")


def _removals(spec: SyncSpec, target: Destination, op: str,
              batch: list[Record]) -> dict[str, str | None]:
    """Key -> what a later removal of the payload about to be sent needs (mirrors, and
    destinations that need fields to erase a person)."""
    if op in ("remove", "erase") or not _keeps_removals(spec, target):
        return dict.fromkeys(r.key for r in batch)
    return {r.key: json.dumps(target.removal_fields(r.fields), sort_keys=True, default=str)
            for r in batch}


def _keeps_removals(spec: SyncSpec, target: Destination) -> bool:
    return spec.mode == "mirror" or target.keeps_removal_fields


def _send(target: Destination, op: str, batch: list[Record]) -> dict[str, tuple]:
    """Key -> (status, reason): accepted, refused with the destination's reason, or in doubt
    when the answer says nothing about it."""
    answer = {"remove": target.remove, "erase": target.erase}.get(op, target.upsert)(batch)
    refused = dict(answer.rejected)
    taken = set(answer.accepted) - set(refused)
    outcome = _unknown(batch, "no answer for this record")
    outcome.update({key: ("success", None) for key in taken if key in outcome})
    outcome.update({key: ("failed", why) for key, why in refused.items() if key in outcome})
    return outcome


def _batches(con, op: str, size: int) -> Iterator[tuple[list[Record], set[str]]]:
    # Fetched whole (only rows that differ): committing a batch runs statements on the same
    # connection, which would cut a streaming result short.
    rows = con.execute("select record_key, fields_json, row_hash, was_in_doubt from plan"
                       " where op = ? order by record_key", [op]).fetchall()
    for start in range(0, len(rows), size):
        chunk = rows[start:start + size]
        yield ([Record(key, json.loads(fields) if fields else {}, row_hash)
                for key, fields, row_hash, _ in chunk],
               {key for key, _, _, doubt in chunk if doubt})


def _unknown(batch: list[Record], reason: str) -> dict[str, tuple[str, str | None]]:
    return {r.key: ("in_doubt", reason) for r in batch}


def _commit(con, run_id: str, sync_name: str, op: str, result: SyncResult,
            batch: list[Record], outcome: dict[str, tuple[str, str | None]],
            was_in_doubt: set[str]) -> None:
    hashes = {r.key: r.row_hash or None for r in batch}
    succeeded = sum(status == "success" for status, _ in outcome.values())
    _add(result.counts, f"succeeded_{OPS[op]}", succeeded)
    _add(result.counts, f"failed_{OPS[op]}", len(outcome) - succeeded)
    _add(result.counts, "in_doubt_rows", sum(s == "in_doubt" for s, _ in outcome.values()))
    for key, (status, reason) in outcome.items():
        if status != "success" and len(result.failures) < 1000:
            result.failures[key] = redact(reason)
    state.commit_batch(con, run_id, sync_name, op, {
        key: (status, reason, hashes.get(key), key in was_in_doubt)
        for key, (status, reason) in outcome.items()}, result.counts)


def _add(counts: dict[str, int], name: str, n: int) -> None:
    counts[name] = counts.get(name, 0) + n


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


def _failure_status(error: BaseException) -> str:
    if isinstance(error, GuardTripped):
        return "aborted"
    if isinstance(error, KeyboardInterrupt | SyncInterrupted):
        return "interrupted"
    return "failed"


def _describe(error: BaseException) -> str:
    if isinstance(error, KeyboardInterrupt | SyncInterrupted):
        return f"interrupted ({type(error).__name__}); rows in flight are reconciled next run"
    return f"{type(error).__name__}: {error}"
