"""A webhook sync through a hostile network: random 429s and 500s, stalls past the client
timeout, dropped connections, records the receiver refuses for a while, and the sync process
killed with SIGKILL mid-run. Re-running converges: the receiver ends up holding exactly the
source rows, and every failure is in the changelog."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time

import duckdb

from reverse_etl.config import load_sync
from reverse_etl.destinations.webhook import WebhookDestination
from reverse_etl.engine import run_sync
from tests.reverse_etl.fakes.webhook import WebhookReceiver
from tests.reverse_etl.loopback import LoopbackServer

SECRET_ENV = "CDP_FAULT_TEST_SECRET"


class HostileNetwork:
    """The receiver behind random throttling and server errors."""

    def __init__(self, receiver: WebhookReceiver, seed: int = 11) -> None:
        self.receiver, self.rng = receiver, random.Random(seed)

    def __call__(self, request):
        roll = self.rng.random()
        if roll < 0.15:
            return 429, {"Retry-After": "0"}, {"error": "slow down"}
        if roll < 0.25:
            return 500, {}, {"error": "internal error"}
        return self.receiver(request)


def _source(db) -> dict[str, dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {key: {"email": email, "first_name": first}
                for key, email, first in con.execute("""
                    select m.person_id, c.email, c.first_name
                    from marts.fct_audience_members m join marts.dim_customers c using (person_id)
                    where m.audience_name = 'known_leads' and not m.is_holdout""").fetchall()}


def test_killed_and_faulty_sync_converges_to_exactly_the_source(warehouse, tmp_path,
                                                                monkeypatch):
    db = tmp_path / "cdp.duckdb"
    shutil.copy(warehouse.duckdb_path, db)
    expected = _source(db)
    refused = sorted(expected)[:3]
    receiver = WebhookReceiver("fault-secret", max_batch=50, reject_keys=refused)
    with LoopbackServer(HostileNetwork(receiver)) as server:
        syncs = tmp_path / "syncs"
        syncs.mkdir()
        (syncs / "leads_hook.yml").write_text(f"""
name: leads_hook
source: {{audience: known_leads}}
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
        killed = subprocess.Popen([sys.executable, "-m", "cdp.cli", "sync", "run", "leads_hook"],
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while len(receiver.store) < 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        killed.send_signal(signal.SIGKILL)
        killed.wait()
        assert 0 < len(receiver.store) < len(expected), "the kill must land mid-run"

        monkeypatch.setenv(SECRET_ENV, "fault-secret")
        spec = load_sync(syncs / "leads_hook.yml")
        statuses = []
        for attempt in range(12):
            if attempt == 3:
                receiver.reject_keys.clear()  # the receiver fixes its validation
            destination = WebhookDestination(spec.name, spec.mode, spec.destination_config)
            destination.http._sleep = lambda _seconds: None
            statuses.append(run_sync(spec, db, destination=destination).status)
            if statuses[-1] == "success" and attempt >= 3:
                break
    assert receiver.store == expected  # every source row, nothing else, latest values
    with duckdb.connect(str(db), read_only=True) as con:
        runs = [s for (s,) in con.execute("select status from cdp_sync.sync_runs"
                                          " order by started_at").fetchall()]
        refusals = con.execute("""
            select distinct record_key, failure_reason from cdp_sync.sync_changelog
            where status = 'failed' and failure_reason like '%refused%'""").fetchall()
        [(dirty,)] = con.execute("""
            select count(*) from cdp_sync.snapshots where sync_name = 'leads_hook'""").fetchall()
    assert runs[0] == "interrupted" and runs[-1] == "success"
    assert {key for key, _ in refusals} == set(refused)
    assert dirty == len(expected)
