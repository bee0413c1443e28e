"""A webhook sync through a hostile network: random 429s and 500s, stalls past the client
timeout, dropped connections, records the receiver refuses for a while, the sync process killed
with SIGKILL mid-run, a phase where the receiver applies every batch but its answer is lost, a
source that changes and then changes back, and a full resync. Re-running converges: the
receiver ends up holding exactly the source rows (0 missing, 0 extra, 0 stale), and every
failure is in the changelog. The same scenario runs on the embedded DuckDB file and on
PostgreSQL (a database of its own on the test server), each selected the way users select it."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from cdp.warehouse import open_warehouse
from reverse_etl.config import load_sync
from reverse_etl.destinations.webhook import WebhookDestination
from reverse_etl.engine import DestinationUnavailable, run_sync
from reverse_etl.locks import SyncLocked
from tests.reverse_etl.fakes.postgres_server import active_postgres_database
from tests.reverse_etl.fakes.webhook import WebhookReceiver
from tests.reverse_etl.loopback import LoopbackServer

SECRET_ENV = "CDP_FAULT_TEST_SECRET"
SCHEMA, TABLE = "sync", "sync_hubspot__contacts"
SOURCE = f"{SCHEMA}.{TABLE}"
# How long a re-run right after the kill may find the sync's lock still held: PostgreSQL
# frees a killed client's advisory lock only once its backend notices the client is gone.
LOCK_PATIENCE_SECONDS = 15


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


@dataclass(frozen=True)
class Engine:
    """The warehouse the scenario runs on. SQL is written once in DuckDB's dialect and goes
    through the engine's own `Warehouse` (transpiled on PostgreSQL), so the body is shared.
    `duckdb_path` is what `run_sync` is given: the file, or None for the active target (the
    environment the fixture set, which the `cdp` subprocess inherits too)."""

    name: str
    duckdb_path: Path | None

    def sql(self, sql: str, params=()) -> list[tuple]:
        with open_warehouse(duckdb_path=self.duckdb_path) as warehouse:
            return warehouse.query(sql, params)

    def columns(self, schema: str, table: str) -> list[str]:
        with open_warehouse(duckdb_path=self.duckdb_path) as warehouse:
            return warehouse.columns(schema, table)


@pytest.fixture(params=["duckdb", "postgres"])
def engine(request, warehouse, tmp_path, monkeypatch) -> Iterator[Engine]:
    """The built sync model on the engine under test, selected through CDP_TARGET."""
    monkeypatch.setenv("CDP_TARGET", request.param)
    if request.param == "duckdb":
        db = tmp_path / "cdp.duckdb"
        shutil.copy(warehouse.duckdb_path, db)
        monkeypatch.setenv("CDP_DUCKDB_PATH", str(db))
        yield Engine("duckdb", db)
        return
    with duckdb.connect(str(warehouse.duckdb_path), read_only=True) as con:
        source = con.sql(f"select * from {SOURCE}").to_arrow_table()
    with active_postgres_database(monkeypatch, "sync_faults"):
        with open_warehouse() as pg:  # a `model:` source is looked up by table name only
            pg.execute(f"create schema {SCHEMA}")
            pg.write_table(SOURCE, source)
        yield Engine("postgres", None)


def _source(engine: Engine) -> dict[str, dict]:
    return {key: {"email": email, "first_name": first} for key, email, first in engine.sql(
        f"select person_id, email, first_name from {SOURCE}")}


def _disturb(engine: Engine) -> None:
    """Change 40 rows, delete the next 40 and add 40 new ones (subqueries, not DuckDB's list
    parameters or `* replace`, so that the same statements run on PostgreSQL)."""
    first = f"select person_id from {SOURCE} order by person_id limit 40"
    engine.sql(f"update {SOURCE} set email = 'moved-' || email where person_id in ({first})")
    engine.sql(f"delete from {SOURCE} where person_id in ({first} offset 40)")
    columns = ", ".join("'new-' || person_id" if name == "person_id" else f'"{name}"'
                        for name in engine.columns(SCHEMA, TABLE))
    engine.sql(f"insert into {SOURCE} select {columns} from {SOURCE}"
               " order by person_id desc limit 40")


def _sync(spec, engine: Engine, *, full_resync: bool = False):
    """One run as a user starts it: one that finds the killed run's lock still held (the
    server has not yet ended that session) runs again shortly, as a user would."""
    destination = WebhookDestination(spec.name, spec.mode, spec.destination_config)
    destination.http._sleep = lambda _seconds: None
    deadline = time.monotonic() + LOCK_PATIENCE_SECONDS
    while True:
        try:
            return run_sync(spec, engine.duckdb_path, destination=destination,
                            full_resync=full_resync)
        except SyncLocked:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _converge(spec, engine: Engine, receiver, *, full_resync=False, fix_after=None) -> list[str]:
    statuses = []
    for attempt in range(12):
        if attempt == fix_after:
            receiver.reject_keys.clear()  # the receiver fixes its validation
        statuses.append(_sync(spec, engine, full_resync=full_resync and attempt == 0).status)
        if statuses[-1] == "success" and attempt >= (fix_after or 0):
            return statuses
    return statuses


def test_killed_and_faulty_sync_converges_to_exactly_the_source(engine, tmp_path, monkeypatch):
    engine.sql("create schema if not exists scratch")
    engine.sql(f"create table scratch.original as select * from {SOURCE}")
    expected = _source(engine)
    refused = sorted(expected)[:3]
    receiver = WebhookReceiver("fault-secret", max_batch=50, reject_keys=refused)
    network = HostileNetwork(receiver)
    with LoopbackServer(network) as server:
        syncs = tmp_path / "syncs"
        syncs.mkdir()
        (syncs / "contacts_hook.yml").write_text(f"""
name: contacts_hook
source: {{model: {TABLE}}}
primary_key: person_id
destination:
  type: webhook
  config: {{url: "{server.url}/hooks", secret_env: {SECRET_ENV}, timeout_seconds: 1}}
mode: mirror
purpose: service
batch_size: 50
fields: {{email: email, first_name: first_name}}
""")
        server.faults.stall(1.5, times=2).drop(times=2)
        # The fixture's CDP_TARGET (and its settings) reach the subprocess through os.environ.
        env = {**os.environ, SECRET_ENV: "fault-secret", "CDP_SYNCS_DIR": str(syncs)}
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
        statuses = _converge(spec, engine, receiver, fix_after=3)
        assert receiver.store == expected

        _disturb(engine)  # the source moves on, every answer gets lost ...
        network.lose_acks = True
        with pytest.raises(DestinationUnavailable):
            _sync(spec, engine)
        assert receiver.store != expected
        network.lose_acks = False
        engine.sql(f"delete from {SOURCE}")  # ... and then changes back
        engine.sql(f"insert into {SOURCE} select * from scratch.original")
        statuses += _converge(spec, engine, receiver, full_resync=True)
    assert receiver.store == expected  # every source row, nothing else, latest values
    runs = engine.sql("select status, attempted_adds, succeeded_adds from cdp_sync.sync_runs"
                      " order by started_at")
    refusals = engine.sql("""
        select distinct record_key, failure_reason from cdp_sync.sync_changelog
        where status = 'failed' and failure_reason like '%refused%'""")
    [(held, in_doubt)] = engine.sql("select count(*), count(in_doubt) from cdp_sync.snapshots"
                                    " where sync_name = 'contacts_hook'")
    assert runs[0][0] == "interrupted" and runs[-1][0] == "success" and statuses[-1] == "success"
    assert runs[0][1] > 0 and runs[0][2] > 0  # the killed run kept what it delivered
    assert {key for key, _ in refusals} == set(refused)
    assert held == len(expected) and in_doubt == 0
