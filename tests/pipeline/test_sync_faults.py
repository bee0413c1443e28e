"""A webhook sync through a hostile network: random 429s and 500s, stalls past the client
timeout, dropped connections, records the receiver refuses for a while, the sync process killed
with SIGKILL mid-run, a phase where the receiver applies every batch but its answer is lost, a
source that changes and then changes back, and a full resync. Re-running converges: the
receiver ends up holding exactly the source rows (0 missing, 0 extra, 0 stale), and every
failure is in the changelog."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from reverse_etl.config import load_sync
from reverse_etl.destinations.webhook import WebhookDestination
from reverse_etl.engine import DestinationUnavailable, run_sync
from tests.reverse_etl.fakes.webhook import WebhookReceiver
from tests.reverse_etl.loopback import LoopbackServer

SECRET_ENV = "CDP_FAULT_TEST_SECRET"
SOURCE = "sync.sync_hubspot__contacts"


class HostileNetwork:
    """The receiver behind random throttling and server errors; with `lose_acks` it applies
    every request and then drops the connection before answering."""

    def __init__(self, receiver: WebhookReceiver, seed: int = 11) -> None:
        self.receiver, self.rng, self.lose_acks = receiver, random.Random(seed), False

    def __call__(self, request):
        if self.lose_acks:
            self.receiver(request)
            return None  # the loopback server drops the connection
        roll = self.rng.random()
        if roll < 0.15:
            return 429, {"Retry-After": "0"}, {"error": "slow down"}
        if roll < 0.25:
            return 500, {}, {"error": "internal error"}
        return self.receiver(request)


def _sql(db, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(db)) as con:
        return con.execute(sql, params).fetchall()


def _source(db) -> dict[str, dict]:
    return {key: {"email": email, "first_name": first} for key, email, first in _sql(
        db, f"select person_id, email, first_name from {SOURCE}")}


def _disturb(db) -> None:
    keys = [k for (k,) in _sql(db, f"select person_id from {SOURCE} order by person_id")]
    _sql(db, f"update {SOURCE} set email = 'moved-' || email where person_id in"
             " (select unnest(?))", [keys[:40]])
    _sql(db, f"delete from {SOURCE} where person_id in (select unnest(?))", [keys[40:80]])
    _sql(db, f"insert into {SOURCE} select * replace ('new-' || person_id as person_id)"
             f" from {SOURCE} order by person_id desc limit 40")


def _converge(spec, db, receiver, *, full_resync=False, fix_after=None) -> list[str]:
    statuses = []
    for attempt in range(12):
        if attempt == fix_after:
            receiver.reject_keys.clear()  # the receiver fixes its validation
        destination = WebhookDestination(spec.name, spec.mode, spec.destination_config)
        destination.http._sleep = lambda _seconds: None
        statuses.append(run_sync(spec, db, destination=destination,
                                 full_resync=full_resync and attempt == 0).status)
        if statuses[-1] == "success" and attempt >= (fix_after or 0):
            return statuses
    return statuses


def test_killed_and_faulty_sync_converges_to_exactly_the_source(warehouse, tmp_path,
                                                                monkeypatch):
    db = tmp_path / "cdp.duckdb"
    shutil.copy(warehouse.duckdb_path, db)
    _sql(db, f"create table main.original as select * from {SOURCE}")
    expected = _source(db)
    refused = sorted(expected)[:3]
    receiver = WebhookReceiver("fault-secret", max_batch=50, reject_keys=refused)
    network = HostileNetwork(receiver)
    with LoopbackServer(network) as server:
        syncs = tmp_path / "syncs"
        syncs.mkdir()
        (syncs / "contacts_hook.yml").write_text(f"""
name: contacts_hook
source: {{model: sync_hubspot__contacts}}
primary_key: person_id
destination:
  type: webhook
  config: {{url: "{server.url}/hooks", secret_env: {SECRET_ENV}, timeout_seconds: 1}}
mode: mirror
batch_size: 50
fields: {{email: email, first_name: first_name}}
""")
        server.faults.stall(1.5, times=2).drop(times=2)
        env = {**os.environ, SECRET_ENV: "fault-secret", "CDP_DUCKDB_PATH": str(db),
               "CDP_SYNCS_DIR": str(syncs)}
        killed = subprocess.Popen(
            [sys.executable, "-m", "cdp.cli", "sync", "run", "contacts_hook"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while len(receiver.store) < 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        assert 0 < len(receiver.store) < len(expected), "the kill must land mid-run"

        monkeypatch.setenv(SECRET_ENV, "fault-secret")
        spec = load_sync(syncs / "contacts_hook.yml")
        statuses = _converge(spec, db, receiver, fix_after=3)
        assert receiver.store == expected

        _disturb(db)  # the source moves on, every answer gets lost ...
        network.lose_acks = True
        destination = WebhookDestination(spec.name, spec.mode, spec.destination_config)
        destination.http._sleep = lambda _seconds: None
        with pytest.raises(DestinationUnavailable):
            run_sync(spec, db, destination=destination)
        assert receiver.store != expected
        network.lose_acks = False
        _sql(db, f"delete from {SOURCE}")  # ... and then changes back
        _sql(db, f"insert into {SOURCE} select * from main.original")
        statuses += _converge(spec, db, receiver, full_resync=True)
    assert receiver.store == expected  # every source row, nothing else, latest values
    runs = _sql(db, "select status, attempted_adds, succeeded_adds from cdp_sync.sync_runs"
                    " order by started_at")
    refusals = _sql(db, """
        select distinct record_key, failure_reason from cdp_sync.sync_changelog
        where status = 'failed' and failure_reason like '%refused%'""")
    [(held, in_doubt)] = _sql(db, "select count(*), count(in_doubt) from cdp_sync.snapshots"
                                  " where sync_name = 'contacts_hook'")
    assert runs[0][0] == "interrupted" and runs[-1][0] == "success" and statuses[-1] == "success"
    assert runs[0][1] > 0 and runs[0][2] > 0  # the killed run kept what it delivered
    assert {key for key, _ in refusals} == set(refused)
    assert held == len(expected) and in_doubt == 0
