"""The sync engine against the fault-injecting dummy destination, on a copy of the session's
warehouse: diffs, dirty rows retried until accepted, crashes, guards, consent, locks."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from cdp.warehouse.base import file_lock
from reverse_etl.config import SyncSpec
from reverse_etl.destinations.dummy import DummyDestination, SimulatedCrash
from reverse_etl.engine import GuardTripped, run_sync
from reverse_etl.locks import SyncLocked, sync_lock


@pytest.fixture
def db(warehouse, tmp_path):
    path = tmp_path / "cdp.duckdb"
    shutil.copy(warehouse.duckdb_path, path)
    return path


def _spec(tmp_path, *, mode="mirror", consent=None, batch_size=50, **config) -> SyncSpec:
    return SyncSpec(
        name="test_sync", description="", source_kind="audience",
        source_name="paid_subscribers", primary_key="person_id", destination_type="dummy",
        destination_config={"path": str(tmp_path / "remote.json"), **config}, mode=mode,
        fields={"email": "email", "plan": "subscription_plan"},
        purpose=consent[0] if consent else "service", consent=consent,
        batch_size=batch_size)


def _remote(tmp_path) -> dict:
    path = tmp_path / "remote.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _sql(db, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(db)) as con:
        return con.execute(sql, params).fetchall()


def _expected(db, consent: tuple[str, str] | None = None) -> dict:
    """The members the sync must hold: those granting `consent` in dim_consent, if given."""
    granted = (f" and person_id in (select person_id from marts.dim_consent where purpose ="
               f" '{consent[0]}' and channel = '{consent[1]}' and status = 'granted')"
               if consent else "")
    return {key: {"email": email, "plan": plan} for key, email, plan in _sql(db, f"""
        select m.person_id, c.email, c.subscription_plan from marts.fct_audience_members m
        join marts.dim_customers c using (person_id)
        where m.audience_name = 'paid_subscribers' and not m.is_holdout{granted}""")}


def test_first_run_sends_all_unchanged_run_nothing_then_only_the_change(db, tmp_path):
    spec = _spec(tmp_path)
    first = run_sync(spec, db)
    assert first.status == "success" and _remote(tmp_path) == _expected(db)
    assert first.counts["succeeded_adds"] == len(_expected(db)) > 50
    again = run_sync(spec, db)
    assert (again.plan.adds, again.plan.changes, again.plan.removes) == (0, 0, 0)
    [(key,)] = _sql(db, "select person_id from marts.fct_audience_members"
                        " where audience_name = 'paid_subscribers' order by 1 limit 1")
    _sql(db, "update marts.dim_customers set email = 'new@example.org' where person_id = ?",
         [key])
    changed = run_sync(spec, db)
    assert (changed.plan.adds, changed.plan.changes, changed.plan.removes) == (0, 1, 0)
    assert _remote(tmp_path)[key]["email"] == "new@example.org"


def test_dry_run_sends_nothing_and_is_recorded(db, tmp_path):
    result = run_sync(_spec(tmp_path), db, dry_run=True)
    assert result.status == "planned" and result.plan.adds > 0 and _remote(tmp_path) == {}
    assert _sql(db, "select dry_run, status from cdp_sync.sync_runs") == [(True, "planned")]
    assert _sql(db, "select count(*) from cdp_sync.snapshots") == [(0,)]


def test_rejected_rows_stay_dirty_and_are_retried_until_accepted(db, tmp_path):
    keys = sorted(_expected(db))
    rejecting = _spec(tmp_path, reject_keys=keys[:3])
    for expected_status in ("partial", "failed"):  # the second run only has the rejects
        result = run_sync(rejecting, db)
        assert result.status == expected_status and set(result.failures) == set(keys[:3])
        assert all("invalid record" in reason for reason in result.failures.values())
    assert _sql(db, "select count(*) from cdp_sync.sync_changelog where status = 'failed'"
                    " and record_key in (select unnest(?))", [keys[:3]]) == [(6,)]
    healed = run_sync(_spec(tmp_path), db)
    assert healed.plan.adds == 3 and healed.status == "success"
    assert _remote(tmp_path) == _expected(db)


def test_transient_failures_and_a_crash_converge_to_exactly_the_source(db, tmp_path,
                                                                     monkeypatch):
    # The dummy seeds each instance with the process's instance count: start from zero, so
    # the same outages happen whichever tests ran before in this process.
    monkeypatch.setattr(DummyDestination, "instances", 0)
    with pytest.raises(SimulatedCrash):
        run_sync(_spec(tmp_path, crash_after_batches=2), db)
    assert 0 < len(_remote(tmp_path)) < len(_expected(db))
    flaky = _spec(tmp_path, transient_rate=0.4, seed=3)
    for _ in range(20):
        if run_sync(flaky, db).status == "success" and _remote(tmp_path) == _expected(db):
            break
    assert _remote(tmp_path) == _expected(db)
    statuses = [s for (s,) in _sql(db, "select status from cdp_sync.sync_runs"
                                       " order by started_at")]
    assert statuses[0] == "failed" and "partial" in statuses and statuses[-1] == "success"
    assert run_sync(_spec(tmp_path), db).plan.adds == 0  # nothing left dirty


def test_mirror_guards_abort_mass_removals_unless_forced(db, tmp_path):
    spec = _spec(tmp_path)
    run_sync(spec, db)
    _sql(db, "update marts.dim_customers set is_paid_subscriber = false")
    _sql(db, "delete from marts.fct_audience_memberships where audience_name = 'paid_subscribers'"
             " and person_id in (select person_id from marts.fct_audience_members"
             " where audience_name = 'paid_subscribers' order by person_id"
             " limit (select count(*) * 0.6 from marts.fct_audience_members"
             " where audience_name = 'paid_subscribers'))")
    with pytest.raises(GuardTripped, match="max_remove_share"):
        run_sync(spec, db)
    assert _sql(db, "select status from cdp_sync.sync_runs order by started_at desc limit 1") \
        == [("aborted",)]
    forced = run_sync(spec, db, force=True)
    assert forced.counts["succeeded_removes"] > 0 and _remote(tmp_path) == _expected(db)
    _sql(db, "delete from marts.fct_audience_memberships")
    with pytest.raises(GuardTripped, match="0 rows"):
        run_sync(spec, db)


def test_consent_revocation_removes_the_person_downstream(db, tmp_path):
    spec = _spec(tmp_path, consent=("marketing", "email"))
    run_sync(spec, db)
    expected = _expected(db, ("marketing", "email"))
    assert _remote(tmp_path) == expected and 0 < len(expected) < len(_expected(db))
    revoked = sorted(expected)[0]
    _sql(db, "update marts.dim_consent set status = 'revoked' where person_id = ?"
             " and purpose = 'marketing' and channel = 'email'", [revoked])
    result = run_sync(spec, db)
    assert result.counts["succeeded_removes"] == 1 and revoked not in _remote(tmp_path)


def test_one_run_of_a_sync_at_a_time(db, tmp_path):
    with sync_lock(file_lock(db.parent, "test_sync"), "test_sync"), \
            pytest.raises(SyncLocked, match="already running"):
        run_sync(_spec(tmp_path), db)
    other = _spec(tmp_path)
    with sync_lock(file_lock(db.parent, "another_sync"), "another_sync"):
        assert run_sync(other, db).status == "success"


def test_a_destination_that_stays_down_stops_the_run_early(db, tmp_path):
    from reverse_etl.engine import DestinationUnavailable

    with pytest.raises(DestinationUnavailable, match="3 batches in a row"):
        run_sync(_spec(tmp_path, transient_rate=1.0), db)
    [(status, attempted, error)] = _sql(db, "select status, attempted_adds, error"
                                            " from cdp_sync.sync_runs")
    assert status == "failed" and attempted == 150 and "reconciled by the next run" in error
    # Nothing acknowledged; what was attempted is in doubt and is reconciled next run.
    assert _sql(db, "select count(row_hash), count(in_doubt) from cdp_sync.snapshots") == [
        (0, 150)]
