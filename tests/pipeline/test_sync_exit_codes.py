"""`cdp sync run` tells the truth in its exit code and summary: 0 only when every record was
delivered, 1 for failed, partial and aborted runs (naming what failed), 130 when stopped by a
signal (the run is recorded as interrupted, with what it delivered until then)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from tests.pipeline.conftest import HOOK_SECRET
from tests.reverse_etl.fakes.webhook import WebhookReceiver
from tests.reverse_etl.loopback import LoopbackServer

PROJECT = Path(__file__).resolve().parents[2]


def _write_sync(cli_env, destination: str, batch_size: int = 50) -> None:
    Path(cli_env["CDP_SYNCS_DIR"], "probe.yml").write_text(f"""
name: probe
source: {{audience: paid_subscribers}}
primary_key: person_id
destination: {destination}
mode: mirror
purpose: service
batch_size: {batch_size}
fields: {{email: email}}
""")


def _run(cli_env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cdp.cli", "sync", "run", "probe", *args],
                          env=cli_env, cwd=PROJECT, capture_output=True, text=True, timeout=300)


def _last_run(cli_env) -> tuple:
    with duckdb.connect(cli_env["CDP_DUCKDB_PATH"], read_only=True) as con:
        return con.execute("select status, attempted_adds, succeeded_adds, failed_adds"
                           " from cdp_sync.sync_runs order by started_at desc limit 1").fetchone()


def test_partial_failed_and_aborted_runs_exit_non_zero_and_say_why(cli_env, tmp_path):
    remote = tmp_path / "remote.json"
    with duckdb.connect(cli_env["CDP_DUCKDB_PATH"], read_only=True) as con:
        [first] = con.execute("select min(person_id) from marts.fct_audience_members"
                              " where audience_name = 'paid_subscribers'").fetchone()
    _write_sync(cli_env, f"{{type: dummy, config: {{path: '{remote}', reject_keys: ['{first}']}}}}")
    partial = _run(cli_env)
    assert partial.returncode == 1 and "partial" in partial.stdout
    assert f"1 x rejected by destination: invalid record (e.g. {first})" in partial.stdout
    failed = _run(cli_env)  # only the refused record is left to send
    assert failed.returncode == 1 and "failed" in failed.stdout
    assert _last_run(cli_env)[0] == "failed"
    _write_sync(cli_env, f"{{type: dummy, config: {{path: '{remote}'}}}}")
    assert _run(cli_env).returncode == 0 and _last_run(cli_env)[0] == "success"
    with duckdb.connect(cli_env["CDP_DUCKDB_PATH"]) as con:
        con.execute("delete from marts.fct_audience_memberships")
    aborted = _run(cli_env)
    assert aborted.returncode == 1 and "0 rows" in aborted.stdout
    assert _last_run(cli_env)[0] == "aborted"


def test_a_stopped_run_exits_130_and_is_recorded_as_interrupted(cli_env):
    receiver = WebhookReceiver(HOOK_SECRET)

    def slow(request):
        time.sleep(0.05)
        return receiver(request)

    with LoopbackServer(slow) as server:
        _write_sync(cli_env, f"{{type: webhook, config: {{url: '{server.url}/h', "
                         "secret_env: HOOK_SECRET}}", batch_size=2)
        running = subprocess.Popen([sys.executable, "-m", "cdp.cli", "sync", "run", "probe"],
                                   env=cli_env, cwd=PROJECT, stdout=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while len(receiver.store) < 10 and time.monotonic() < deadline:
            time.sleep(0.02)
        running.send_signal(signal.SIGTERM)
        output, _ = running.communicate(timeout=60)
    assert running.returncode == 130 and "interrupted" in output
    status, attempted, succeeded, _failed = _last_run(cli_env)
    assert status == "interrupted" and attempted >= succeeded >= 10
