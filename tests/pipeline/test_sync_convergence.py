"""Mirror semantics that survive what really happens: acknowledgements lost after the remote
side applied a batch, sources that change back before the next run, full resyncs and leftover
state. The dummy destination plays the remote system; the source is the real activation model
`sync.sync_hubspot__contacts` of a copy of the session's warehouse, changed in place."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from reverse_etl.config import SyncSpec
from reverse_etl.engine import DestinationUnavailable, run_sync

SOURCE = "sync.sync_hubspot__contacts"


@pytest.fixture
def db(warehouse, tmp_path):
    path = tmp_path / "cdp.duckdb"
    shutil.copy(warehouse.duckdb_path, path)
    _sql(path, f"create table main.original as select * from {SOURCE}")
    return path


def _sql(db, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(db)) as con:
        return con.execute(sql, params).fetchall()


def _spec(tmp_path, *, mode="mirror", batch_size=40, **config) -> SyncSpec:
    return SyncSpec(
        name="contacts_mirror", description="", source_kind="model",
        source_name="sync_hubspot__contacts", primary_key="person_id",
        destination_type="dummy", destination_config={"path": str(tmp_path / "remote.json"),
                                                      **config},
        mode=mode, fields={"email": "email", "first": "upper(first_name)"},
        purpose="service", batch_size=batch_size)


def _remote(tmp_path) -> dict:
    path = tmp_path / "remote.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _expected(db) -> dict:
    return {key: {"email": email, "first": first} for key, email, first in _sql(
        db, f"select person_id, email, upper(first_name) from {SOURCE}")}


def _disturb(db) -> tuple[list[str], list[str], list[str]]:
    """Change 30 emails, drop 30 people and add 30 new ones; returns the three key sets."""
    keys = [k for (k,) in _sql(db, f"select person_id from {SOURCE} order by person_id")]
    changed, dropped = keys[:30], keys[30:60]
    _sql(db, f"update {SOURCE} set email = 'moved-' || email where person_id in"
             " (select unnest(?))", [changed])
    _sql(db, f"delete from {SOURCE} where person_id in (select unnest(?))", [dropped])
    _sql(db, f"insert into {SOURCE} select * replace ('new-' || person_id as person_id)"
             f" from {SOURCE} order by person_id desc limit 30")
    return changed, dropped, [f"new-{k}" for k in keys[-30:]]


def _restore(db) -> None:
    _sql(db, f"delete from {SOURCE}")
    _sql(db, f"insert into {SOURCE} select * from main.original")


def _snapshot(db) -> list[tuple]:
    return _sql(db, "select record_key, row_hash, in_doubt, removal_json, pending_json"
                    " from cdp_sync.snapshots order by record_key")


def test_lost_acknowledgements_then_a_reverted_source_leave_nothing_stale(db, tmp_path):
    assert run_sync(_spec(tmp_path), db).status == "success"
    original = _expected(db)
    assert _remote(tmp_path) == original
    _disturb(db)
    # Every batch is applied remotely, then its answer is lost (a timeout after the write).
    with pytest.raises(DestinationUnavailable):
        run_sync(_spec(tmp_path, lost_ack_rate=1.0), db)
    assert _remote(tmp_path) != original  # the remote side did change
    assert _sql(db, "select count(in_doubt) from cdp_sync.snapshots") == [(90,)]
    _restore(db)  # ... and the source changed back before the next run
    healed = run_sync(_spec(tmp_path), db)
    assert healed.status == "success" and healed.plan.in_doubt == 90
    assert _remote(tmp_path) == original  # 0 missing, 0 extra, 0 stale
    assert _sql(db, "select count(in_doubt) from cdp_sync.snapshots") == [(0,)]
    quiet = run_sync(_spec(tmp_path), db)
    assert (quiet.plan.adds, quiet.plan.changes, quiet.plan.removes) == (0, 0, 0)


def test_a_full_resync_resends_everything_and_still_removes_departures(db, tmp_path):
    run_sync(_spec(tmp_path), db)
    _changed, dropped, _added = _disturb(db)
    resync = run_sync(_spec(tmp_path), db, full_resync=True)
    assert resync.status == "success" and resync.counts["succeeded_removes"] == len(dropped)
    assert resync.counts["succeeded_changes"] == len(_expected(db)) - 30  # all kept, resent
    assert _remote(tmp_path) == _expected(db) and not set(dropped) & set(_remote(tmp_path))
    after = run_sync(_spec(tmp_path), db)
    assert (after.plan.adds, after.plan.changes, after.plan.removes) == (0, 0, 0)


def test_refused_records_keep_their_last_delivered_state(db, tmp_path):
    run_sync(_spec(tmp_path), db)
    before = {key: row_hash for key, row_hash, *_ in _snapshot(db)}
    changed, _dropped, added = _disturb(db)
    refused = run_sync(_spec(tmp_path, reject_keys=changed[:5] + added[:5]), db)
    assert refused.status == "partial" and set(refused.failures) == set(changed[:5] + added[:5])
    after = {key: (row_hash, doubt) for key, row_hash, doubt, *_ in _snapshot(db)}
    assert all(after[key] == (before[key], None) for key in changed[:5])  # old hash, not doubt
    assert not set(added[:5]) & set(after)  # never delivered, so not in the snapshot
    healed = run_sync(_spec(tmp_path), db)
    assert healed.plan.changes == 5 and healed.plan.adds == 5
    assert _remote(tmp_path) == _expected(db)


def test_mirror_state_keeps_no_payload_and_upserts_forget_who_left(db, tmp_path):
    run_sync(_spec(tmp_path), db)
    assert {removal for *_, removal, _pending in _snapshot(db)} == {"{}"}  # key is enough
    upsert = _spec(tmp_path, mode="upsert")
    run_sync(upsert, db)  # the same sync now upserts: its payloads are forgotten
    assert {removal for *_, removal, _pending in _snapshot(db)} == {None}
    _changed, dropped, _added = _disturb(db)
    result = run_sync(upsert, db)
    assert result.plan.drops == len(dropped) and result.plan.removes == 0
    kept = {key for key, *_ in _snapshot(db)}
    assert not kept & set(dropped) and kept == set(_expected(db))
    assert set(dropped) <= set(_remote(tmp_path))  # an upsert never removes downstream


def test_state_from_before_minimal_payloads_is_rewritten(db, tmp_path):
    run_sync(_spec(tmp_path), db)
    # The earlier layout kept every delivered field in clear in `fields_json`.
    _sql(db, "alter table cdp_sync.snapshots add column fields_json varchar")
    _sql(db, "update cdp_sync.snapshots set removal_json = null,"
             " fields_json = json_object('email', 'someone@example.org')")
    assert run_sync(_spec(tmp_path), db).status == "success"
    columns = [c for (c,) in _sql(db, "select column_name from information_schema.columns"
                                      " where table_name = 'snapshots'")]
    assert "fields_json" not in columns
    assert {removal for *_, removal, _pending in _snapshot(db)} == {"{}"}
