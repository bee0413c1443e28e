"""Receivers that misbehave in ways that used to hurt: one echoing our credentials and the
customers' data back in its errors (nothing of it may be stored or printed), and one that
refuses every request (the run must stop after a bounded number of requests, not bisect every
batch down to single records)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from tests.pipeline.conftest import HOOK_SECRET
from tests.reverse_etl.fakes.webhook import WebhookReceiver
from tests.reverse_etl.loopback import LoopbackServer

PROJECT = Path(__file__).resolve().parents[2]
URL_TOKEN = "tok_live_8f3k2m9x"


def _sync(cli_env, url: str) -> subprocess.CompletedProcess:
    Path(cli_env["CDP_SYNCS_DIR"], "hook.yml").write_text(f"""
name: hook
source: {{model: sync_hubspot__contacts}}
primary_key: person_id
destination: {{type: webhook, config: {{url: "{url}", secret_env: HOOK_SECRET}}}}
mode: mirror
purpose: service
batch_size: 50
fields: {{email: email, phone: phone}}
""")
    return subprocess.run([sys.executable, "-m", "cdp.cli", "sync", "run", "hook"], env=cli_env,
                          cwd=PROJECT, capture_output=True, text=True, timeout=600)


def _rows(cli_env, sql: str) -> list[tuple]:
    with duckdb.connect(cli_env["CDP_DUCKDB_PATH"], read_only=True) as con:
        return con.execute(sql).fetchall()


def test_echoed_credentials_and_customer_data_are_never_stored_or_printed(cli_env):
    contacts = _rows(cli_env, "select person_id, email, phone from sync.sync_hubspot__contacts"
                          " where phone is not null order by person_id limit 40")
    whole_batch, one_by_one = {k for k, *_ in contacts[:20]}, {k for k, *_ in contacts[20:]}
    receiver = WebhookReceiver(HOOK_SECRET)

    def echoing(request):
        records = (request.json or {}).get("records", [])
        if any(r["key"] in whole_batch for r in records):  # refuse the batch, echo it all
            return 422, {}, {"error": f"bad batch {records} at {request.path}?{request.query}"
                                      f" Authorization: Bearer {HOOK_SECRET} {request.headers}"}
        status, headers, body = receiver(request)
        body["rejected"] = [{"key": r["key"], "reason": f"{r['fields']['email']} and"
                             f" {r['fields']['phone']} bounced, token={URL_TOKEN}"}
                            for r in records if r["key"] in one_by_one]
        return status, headers, body

    with LoopbackServer(echoing) as server:
        done = _sync(cli_env, f"{server.url}/hook?token={URL_TOKEN}")
    assert done.returncode == 1 and "partial" in done.stdout
    stored = _rows(cli_env, "select failure_reason from cdp_sync.sync_changelog"
                        " where status = 'failed'")
    assert len(stored) == 40
    leaked = [HOOK_SECRET, URL_TOKEN] + [v for _, email, phone in contacts for v in (email, phone)]
    texts = [reason for (reason,) in stored] + [done.stdout, done.stderr]
    texts += [str(row) for row in _rows(cli_env, "select * from cdp_sync.snapshots")]
    texts += [str(row) for row in _rows(cli_env, "select * from cdp_sync.sync_runs")]
    assert not [value for value in leaked for text in texts if value in text]
    assert all("bounced" in reason or "bad batch" in reason for (reason,) in stored)


def test_a_receiver_refusing_everything_stops_the_run_after_few_requests(cli_env):
    with LoopbackServer(lambda _request: (400, {}, {"error": "unknown endpoint"})) as server:
        done = _sync(cli_env, f"{server.url}/hook")
        requests = len(server.requests)
    assert done.returncode == 1 and "DestinationRefusing" in done.stdout
    assert "refused" in done.stdout and requests <= 35
    [(status, attempted, in_doubt)] = _rows(cli_env, "select status, attempted_adds, in_doubt_rows"
                                                 " from cdp_sync.sync_runs")
    assert status == "failed" and attempted == in_doubt == 50  # one batch, reconciled later
