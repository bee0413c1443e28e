"""The cdp_full job end to end on a small generated data set.

`cdp run` (the README's main command) generates, loads, builds and delivers an audience to a
webhook on 127.0.0.1 and a staging model to CSV files. Then new export files land: the file
sensor asks for an incremental run, one of the new orders is in a currency without an FX rate,
so a dbt test fails upstream of the audience; that sync is held back while the one on the CRM
contacts delivers the new contact. Launched alone afterwards (from Dagster or `cdp sync run`),
the audience sync refuses too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pyarrow.csv as pa_csv
import pytest

from cdp.load.tables import RAW_TABLES
from cdp.settings import PROJECT_DIR
from orchestration import sensors
from orchestration.assets.build import BUILD_STEPS
from orchestration.assets.freshness import CHECK_NAME, FRESH_SOURCES
from orchestration.jobs import run_config
from orchestration.runner import cdp_full_job, run_cdp_job
from tests.reverse_etl.fakes.webhook import WebhookReceiver
from tests.reverse_etl.loopback import LoopbackServer

SECRET_ENV, SECRET = "CDP_TEST_WEBHOOK_SECRET", "loopback-secret"
FAILING_TEST = "not_null_int_customers__orders_total_reporting"
NEW_CONTACT = "CRM-9999998"


@dataclass
class Deployment:
    root: Path
    env: dict[str, str]
    receiver: WebhookReceiver
    first_run: subprocess.CompletedProcess

    @property
    def db(self) -> Path:
        return Path(self.env["CDP_DUCKDB_PATH"])

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def exported_contacts(self) -> set[str]:
        parts = sorted((self.root / "exports" / "contacts_export").glob("part-*.csv"))
        return {key for part in parts for key in pa_csv.read_csv(part)["record_key"].to_pylist()}

    def instance(self) -> dg.DagsterInstance:
        return dg.DagsterInstance.from_config(self.env["DAGSTER_HOME"])


def _write_syncs(folder: Path, webhook_url: str, exports: Path) -> None:
    folder.mkdir()
    (folder / "leads_webhook.yml").write_text(json.dumps({
        "name": "leads_webhook", "source": {"audience": "known_leads"},
        "primary_key": "person_id", "mode": "mirror", "purpose": "service",
        "destination": {"type": "webhook", "config": {"url": webhook_url,
                                                      "secret_env": SECRET_ENV}},
        "fields": {"email": "email", "first_name": "first_name"}}))
    (folder / "contacts_export.yml").write_text(json.dumps({
        "name": "contacts_export", "source": {"model": "stg_crm__contacts"},
        "primary_key": "contact_id", "mode": "upsert", "purpose": "service",
        "destination": {"type": "file", "config": {"path": str(exports), "format": "csv"}},
        "fields": {"email": "email", "last_name": "last_name"}}))


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    root = tmp_path_factory.mktemp("cdp_job")
    receiver = WebhookReceiver(SECRET)
    with LoopbackServer(receiver) as server:
        _write_syncs(root / "syncs", f"{server.url}/hook", root / "exports")
        (root / "dagster_home").mkdir()
        shutil.copy(PROJECT_DIR / "dagster_home" / "dagster.yaml", root / "dagster_home")
        env = {"CDP_RAW_DIR": str(root / "raw"), "CDP_DUCKDB_PATH": str(root / "cdp.duckdb"),
               "CDP_SYNCS_DIR": str(root / "syncs"), "DAGSTER_HOME": str(root / "dagster_home"),
               "CDP_EXPORT_ROOT": str(root / "exports"), SECRET_ENV: SECRET,
               "CDP_REPORT_DIR": str(root / "reports")}
        cdp = Path(sys.executable).parent / "cdp"
        first = subprocess.run([str(cdp), "run", "--persons", "200", "--seed", "5"],
                               env={**os.environ, **env}, capture_output=True, text=True,
                               timeout=900)
        yield Deployment(root, env, receiver, first)


def test_cdp_run_builds_everything_and_delivers_the_syncs(deployment):
    run = deployment.first_run
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "syncs (Dagster run" in run.stdout and "leads_webhook" in run.stdout
    members = dict(deployment.rows(
        "select members.person_id, customers.email from marts.fct_audience_members as members"
        " inner join marts.dim_customers as customers using (person_id)"
        " where audience_name = 'known_leads' and not is_holdout"))
    assert len(members) > 20
    assert {key: fields["email"] for key, fields in deployment.receiver.store.items()} == members
    contacts = {key for (key,) in deployment.rows(
        "select contact_id from staging.stg_crm__contacts")}
    assert deployment.exported_contacts() == contacts
    runs = deployment.rows("select sync_name, status, triggered_by from cdp_sync.sync_runs")
    assert sorted(name for name, _, _ in runs) == ["contacts_export", "leads_webhook"]
    assert {status for _, status, _ in runs} == {"success"}
    assert all(by.startswith("dagster:") for _, _, by in runs)
    # The job's last step: the report, showing this run's syncs (tests/pipeline/test_report.py
    # opens such a report in a browser).
    report = (deployment.root / "reports" / "index.html").read_text()
    assert f"report: file://{deployment.root / 'reports' / 'index.html'}" in run.stdout
    assert "Records sent per sync" in report and "leads_webhook" in report


def test_materialisations_carry_row_counts_and_sync_counts(deployment):
    with deployment.instance() as instance:
        def metadata(*path: str) -> dict:
            event = instance.get_latest_materialization_event(dg.AssetKey(list(path)))
            return {k: v.value for k, v in event.asset_materialization.metadata.items()}

        [(customers,)] = deployment.rows("select count(*) from marts.dim_customers")
        assert metadata("marts", "dim_customers")["dagster/row_count"] == customers
        [(loaded,)] = deployment.rows("select count(*) from raw.crm_contacts")
        assert metadata("crm", "contacts")["rows_loaded"] == loaded
        sync = metadata("sync__leads_webhook")
        assert sync["added"] == len(deployment.receiver.store) and sync["failed"] == 0
        assert sync["sync_run_id"] in sync["sync_run"]
        blocking = [spec.key for step in BUILD_STEPS for spec in step.check_specs
                    if spec.blocking]
        checks = instance.event_log_storage.get_latest_asset_check_execution_by_key(blocking)
        assert len(checks) == len(blocking) > 300
        assert {r.status.value for r in checks.values()} == {"SUCCEEDED"}
        # dbt source freshness ran in the job, and the freshly generated exports pass it.
        freshness = [dg.AssetCheckKey(key, CHECK_NAME) for key in FRESH_SOURCES.values()]
        fresh = instance.event_log_storage.get_latest_asset_check_execution_by_key(freshness)
        assert len(fresh) == len(freshness) >= 9
        assert {r.status.value for r in fresh.values()} == {"SUCCEEDED"}


def _run_sync_asset_alone(deployment, asset: str) -> str:
    """Materialise one sync asset from Dagster, as the UI would; its failure description."""
    with pytest.MonkeyPatch.context() as patch, deployment.instance() as instance:
        for name, value in deployment.env.items():
            patch.setenv(name, value)
        result = dg.execute_job(dg.reconstructable(cdp_full_job), instance=instance,
                                asset_selection=[dg.AssetKey(asset)], raise_on_error=False)
    [failure] = [e for e in result.all_events if e.is_step_failure]
    assert failure.step_failure_data.user_failure_data, failure.step_failure_data.error.to_string()
    return failure.step_failure_data.user_failure_data.description


def test_a_partly_refused_sync_fails_its_asset_and_says_why(deployment):
    keys = sorted(deployment.receiver.store)[:2]
    with duckdb.connect(str(deployment.db)) as con:
        con.execute("update marts.dim_customers set email = 'changed-' || email"
                    " where person_id in (select unnest(?))", [keys])
    deployment.receiver.reject_keys = {keys[0]}
    try:
        description = _run_sync_asset_alone(deployment, "sync__leads_webhook")
    finally:
        deployment.receiver.reject_keys = set()
    assert description.startswith("sync leads_webhook: partial: 1 x email domain refused")
    assert deployment.receiver.store[keys[1]]["email"].startswith("changed-")


def _land(raw_dir: Path, relative: str, table: str, rows: list[dict]) -> None:
    columns = next(t for t in RAW_TABLES if t.name == table).columns
    lines = [",".join(columns)] + [",".join(row.get(c, "") for c in columns) for row in rows]
    (raw_dir / relative).write_text("\n".join(lines) + "\n")
    settled = time.time() - 2 * sensors.SETTLE_SECONDS
    os.utime(raw_dir / relative, (settled, settled))


@pytest.fixture(scope="module")
def failed_build(deployment):
    """New exports arrive; the sensor's incremental run fails a dbt test on the orders."""
    raw = Path(deployment.env["CDP_RAW_DIR"])
    with pytest.MonkeyPatch.context() as patch:
        for name, value in deployment.env.items():
            patch.setenv(name, value)
        cursor = json.dumps(sensors.raw_files())
        _land(raw, "crm/contacts_2026-11-23.csv", "crm_contacts", [dict(
            contact_id=NEW_CONTACT, first_name="Nova", last_name="Newcomer",
            email="nova.newcomer@fastmail.com", country="US",
            created_at="2026-11-23 08:00:00", updated_at="2026-11-23 08:00:00")])
        _land(raw, "shop/orders_2026-11-23.csv", "shop_orders", [dict(
            order_id="ORD-99999991", order_type="sale", channel="web",
            customer_email="nova.newcomer@fastmail.com", billing_country="TR", currency="TRY",
            subtotal="1000", discount="0", tax="100", shipping="0", total="1100",
            ordered_at="2026-10-30T10:00:00+03:00", updated_at="2026-10-30T10:00:00+03:00")])
        request = sensors.new_raw_files(dg.build_sensor_context(cursor=cursor))
        with deployment.instance() as instance:
            outcome = run_cdp_job(instance, incremental_load=True)
        yield request, outcome


def test_new_files_start_an_incremental_run(failed_build):
    request, _ = failed_build
    assert isinstance(request, dg.RunRequest)
    assert request.run_config == run_config(incremental_load=True)
    assert request.tags["cdp/new_files"] == "2"


def test_a_failed_test_holds_back_only_the_syncs_downstream(deployment, failed_build):
    _, outcome = failed_build
    delivered_before = dict(deployment.receiver.store)
    assert not outcome.success
    why = outcome.failures["cdp_dbt_assets"]
    assert FAILING_TEST in why and "sync__leads_webhook" in why
    assert "sync__leads_webhook" in outcome.not_run
    assert "sync__contacts_export" in outcome.succeeded
    assert NEW_CONTACT in deployment.exported_contacts()
    assert deployment.receiver.store == delivered_before
    assert deployment.rows("select count(*) from cdp_sync.sync_runs where sync_name ="
                           " 'leads_webhook' and triggered_by = ?",
                           [f"dagster:{outcome.run_id}"]) == [(0,)]


def test_a_sync_launched_alone_after_a_failed_test_refuses(deployment, failed_build):
    delivered_before = dict(deployment.receiver.store)
    runs_before = deployment.rows("select count(*) from cdp_sync.sync_runs")
    description = _run_sync_asset_alone(deployment, "sync__leads_webhook")
    assert description.startswith("sync leads_webhook blocked")
    assert f"{FAILING_TEST} on intermediate/int_customers__orders" in description
    cli = subprocess.run([str(Path(sys.executable).parent / "cdp"), "sync", "run",
                          "leads_webhook"], env={**os.environ, **deployment.env},
                         capture_output=True, text=True, timeout=300)
    assert cli.returncode == 1 and "sync leads_webhook blocked" in cli.stdout
    assert deployment.receiver.store == delivered_before
    assert deployment.rows("select count(*) from cdp_sync.sync_runs") == runs_before


RUN_ALONE = """
import sys
import dagster as dg
from orchestration.runner import cdp_full_job
with dg.DagsterInstance.get() as instance:
    result = dg.execute_job(dg.reconstructable(cdp_full_job), instance=instance,
                            asset_selection=[dg.AssetKey.from_user_string(sys.argv[1])])
    print(result.run_id)
"""


def test_runs_started_together_take_turns_on_the_warehouse(deployment):
    """A dbt build and a sync launched at once, in two processes: DuckDB lets one process
    write, so the `warehouse_writer` pool (limit 1) makes one step wait for the other's slot."""
    env = {**os.environ, **deployment.env}
    started = [subprocess.Popen([sys.executable, "-c", RUN_ALONE, key], env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=PROJECT_DIR)
               for key in ("staging/stg_crm__contacts", "sync__contacts_export")]
    outputs = [process.communicate(timeout=600) for process in started]
    assert [p.returncode for p in started] == [0, 0], [err[-2000:] for _, err in outputs]
    with deployment.instance() as instance:
        windows = []
        for out, _ in outputs:
            events = instance.all_logs(out.split()[-1])
            times = [e.timestamp for e in events if e.dagster_event and (
                e.dagster_event.is_step_start or e.dagster_event.is_step_success)]
            windows.append((min(times), max(times)))
        [pool] = [p for p in instance.event_log_storage.get_pool_limits()
                  if p.name == "warehouse_writer"]
    first, second = sorted(windows)
    assert first[1] <= second[0], "the two steps held the warehouse at the same time"
    assert pool.limit == 1
