"""No secret and no payload value is kept anywhere after a run whose syncs all fail badly.

A copy of the project runs `cdp run` on a small generated data set in which one person's
e-mail is replaced by a sentinel address. Every destination type that reads a secret from the
environment gets a sentinel secret there (plain words and hex, nothing token-shaped, so only
knowing the value can redact it) and a receiver on 127.0.0.1 that drops connections, stalls
and answers every request with an error echoing it whole (`leaky_receivers`). Afterwards no
file under the project copy, the warehouse folder or DAGSTER_HOME, no cell of any warehouse
table and nothing printed holds a secret; the sentinel e-mail, which the warehouse rightly
holds in its customer tables, is in none of those files, in no sync state table and nothing
printed, and neither are the names the receivers echoed.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import socket
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from cdp.generate import generate_sources
from tests.pipeline.leak_scan import files_containing, tables_containing
from tests.pipeline.leaky_receivers import leaky_syncs, start_receivers
from tests.reverse_etl.loopback import LoopbackServer

PROJECT = Path(__file__).resolve().parents[2]
MARK = f"tulip{uuid.uuid4().hex[:12]}"  # every secret starts with it: one search finds any
EMAIL = f"amelia.{uuid.uuid4().hex[:10]}@probe-mail.com"


@dataclass
class LeakRun:
    project: Path
    warehouse: Path
    dagster_home: Path
    secrets: dict[str, str]  # env var -> sentinel
    servers: dict[str, LoopbackServer]
    done: subprocess.CompletedProcess

    def needles(self) -> list[str]:
        """The secrets as sent: plain, and Mailchimp's base64 Basic credential."""
        mailchimp = self.secrets["CDP_LEAK_MAILCHIMP_KEY"]
        return [MARK, base64.b64encode(f"anystring:{mailchimp}".encode()).decode()]


def _copy_project(target: Path) -> None:
    """The tracked and new files of the checkout (not .venv, logs, target or warehouse)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=PROJECT, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (PROJECT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT / name, target / name)


def _plant_email(raw: Path) -> None:
    """Give every address of one person to the sentinel, in every text export, so that it is
    the person's golden e-mail (no Gmail: its dot and +tag variants would survive)."""
    with duckdb.connect() as con:
        [(emails,)] = con.execute(
            "select emails from read_parquet(?) where not is_anonymous and len(emails) > 0"
            " and not list_bool_or([e like '%gmail%' for e in emails]) order by person_id"
            " limit 1", [str(raw / "_truth" / "persons.parquet")]).fetchall()
    pattern = re.compile("|".join(map(re.escape, emails)), re.IGNORECASE)
    for path in [*raw.rglob("*.csv"), *raw.rglob("*.jsonl")]:
        path.write_text(pattern.sub(EMAIL, path.read_text()))


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def leak_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("secret_leaks")
    project, warehouse = root / "project", root / "warehouse"
    _copy_project(project)
    generate_sources(root / "raw", 200, seed=11, show_progress=False)
    _plant_email(root / "raw")
    secrets: dict[str, str] = {}
    servers = start_receivers(shared_secret=f"{MARK}webhook")
    try:
        variables = leaky_syncs(root / "syncs", servers, _closed_port())
        secrets = {var: f"{MARK}{var.rpartition('_LEAK_')[2].lower()}" for var in variables}
        secrets["CDP_LEAK_WEBHOOK_SECRET"] = f"{MARK}webhook"
        env = {**os.environ, **secrets, "PYTHONPATH": str(project),
               "CDP_RAW_DIR": str(root / "raw"), "CDP_DUCKDB_PATH": str(warehouse / "cdp.duckdb"),
               "CDP_SYNCS_DIR": str(root / "syncs"), "CDP_EXPORT_ROOT": str(root / "exports"),
               "DAGSTER_HOME": str(project / "dagster_home"), "COLUMNS": "200",
               "CDP_ALLOW_PRIVATE_NETWORKS": "127.0.0.1/32"}
        env.pop("CDP_AUDIENCES_DIR", None)
        warehouse.mkdir()
        done = subprocess.run([sys.executable, "-m", "cdp.cli", "run"], cwd=project, env=env,
                              capture_output=True, text=True, timeout=900)
        (root / "run.out").write_text(done.stdout + done.stderr)  # to read when a test fails
    finally:
        for server in servers.values():
            server.stop()
    return LeakRun(project, warehouse, project / "dagster_home", secrets, servers, done)


def test_the_run_fails_and_says_which_syncs_failed(leak_run):
    out = leak_run.done.stdout
    assert leak_run.done.returncode == 1, out[-3000:] + leak_run.done.stderr[-3000:]
    for name in ("webhook", "hubspot", "meta", "braze", "mailchimp", "google_ads", "postgres"):
        assert re.search(rf"leak_{name}\s.*(failed|partial)", out), (name, out[-4000:])
    assert "HTTP 401" in out and "[REDACTED]" in out  # the reason is kept, the token is not


def test_the_receivers_were_sent_the_secrets_and_the_planted_email(leak_run):
    """Without this the scans below could pass because nothing secret ever travelled."""
    sent = {name: "".join(f"{r.headers} {r.raw.decode(errors='replace')}"
                          for r in server.requests)
            for name, server in leak_run.servers.items()}
    assert leak_run.secrets["CDP_LEAK_HUBSPOT_TOKEN"] in sent["hubspot"]
    assert leak_run.secrets["CDP_LEAK_BRAZE_KEY"] in sent["braze"]
    assert leak_run.secrets["CDP_LEAK_GOOGLE_DEVELOPER_TOKEN"] in sent["google_ads"]
    assert leak_run.secrets["CDP_LEAK_META_TOKEN"] in sent["meta"]  # form field access_token
    assert leak_run.needles()[1] in sent["mailchimp"]
    assert EMAIL in sent["webhook"] and EMAIL in sent["hubspot"], EMAIL  # all their records


def test_no_file_and_no_output_holds_a_secret(leak_run):
    needles = leak_run.needles()
    roots = [leak_run.project, leak_run.warehouse, leak_run.dagster_home]
    assert files_containing(roots, needles) == {}
    printed = leak_run.done.stdout + leak_run.done.stderr
    assert [n for n in needles if n in printed] == []


def test_no_warehouse_table_holds_a_secret(leak_run):
    assert tables_containing(leak_run.warehouse / "cdp.duckdb", leak_run.needles()) == {}


def test_the_planted_email_is_in_no_log_no_sync_state_and_no_output(leak_run):
    db = leak_run.warehouse / "cdp.duckdb"
    assert tables_containing(db, [EMAIL], schemas={"marts"}), "the planted e-mail was lost"
    assert files_containing([leak_run.project, leak_run.dagster_home], [EMAIL]) == {}
    # Only where a forget request needs it: HubSpot erases a contact by its email, so its
    # sync's state keeps the address until then (DECISIONLOG "Right to be forgotten").
    assert tables_containing(db, [EMAIL], schemas={"cdp_sync"}) in (
        {}, {EMAIL: ["cdp_sync.snapshots"]})
    with duckdb.connect(str(db), read_only=True) as con:
        holders = con.execute(
            "select distinct sync_name from cdp_sync.snapshots"
            " where contains(lower(coalesce(removal_json, '') || coalesce(pending_json, '')),"
            " lower(?))", [EMAIL]).fetchall()
        [(anywhere,)] = con.execute(
            "select count(*) from cdp_sync.snapshots as s"
            " where contains(lower(cast(s as varchar)), lower(?))", [EMAIL]).fetchall()
    assert set(holders) <= {("leak_hubspot",)} and anywhere == len(holders)
    assert EMAIL not in leak_run.done.stdout + leak_run.done.stderr


def test_names_the_receivers_echoed_are_in_no_sync_state_log_or_output(leak_run):
    """Payload values no pattern recognises (names) are redacted as the values sent."""
    with duckdb.connect(str(leak_run.warehouse / "cdp.duckdb"), read_only=True) as con:
        names = [name for (name,) in con.execute(
            "select distinct last_name from sync.sync_hubspot__contacts"
            " where length(last_name) >= 6").fetchall()]
    assert len(names) > 20
    db, logs = leak_run.warehouse / "cdp.duckdb", leak_run.project / "logs"
    assert tables_containing(db, names, schemas={"cdp_sync"}) == {}
    assert files_containing([leak_run.dagster_home, logs], names) == {}
    printed = leak_run.done.stdout + leak_run.done.stderr
    assert [name for name in names if name in printed] == []
