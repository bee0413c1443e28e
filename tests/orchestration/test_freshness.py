"""`dbt source freshness` runs in the cdp_full job, after the raw load, as one asset check per
source: fresh exports pass; an export older than `warn_after` is a failed WARN check, one
older than `error_after` a failed ERROR check, each named in one line (check and run log).
Exports are aged through their files' modification time, which is what the freshness query
reads (the `newest_export_at` macro), even though the load itself is new."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import dagster as dg
import pytest

from cdp.generate import generate_sources
from cdp.settings import PROJECT_DIR
from orchestration.assets.freshness import CHECK_NAME, FRESH_SOURCES
from orchestration.definitions import defs
from orchestration.runner import cdp_full_job

HOUR = 3600
STALE = {"crm": 100, "shop": 30}  # hours: past error_after (72) and past warn_after (24)


def _age(folder: Path, hours: float) -> None:
    then = time.time() - hours * HOUR
    for path in folder.rglob("*"):
        os.utime(path, (then, then))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The job's raw load and what runs on it (the freshness checks), nothing downstream."""
    root = tmp_path_factory.mktemp("freshness")
    generate_sources(root / "raw", 200, seed=3, show_progress=False)
    for source, hours in STALE.items():
        _age(root / "raw" / source, hours)
    (root / "dagster_home").mkdir()
    shutil.copy(PROJECT_DIR / "dagster_home" / "dagster.yaml", root / "dagster_home")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (("CDP_RAW_DIR", root / "raw"), ("CDP_DUCKDB_PATH", root / "w.duckdb"),
                            ("DAGSTER_HOME", root / "dagster_home")):
            patch.setenv(name, str(value))
        with dg.DagsterInstance.from_config(str(root / "dagster_home")) as instance:
            result = dg.execute_job(dg.reconstructable(cdp_full_job), instance=instance,
                                    op_selection=["raw_exports", "raw_freshness"])
            logs = [e.user_message for e in instance.all_logs(result.run_id)]
    checks = {e.asset_check_evaluation_data.asset_key.to_user_string():
              e.asset_check_evaluation_data for e in result.all_events
              if e.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION
              and e.asset_check_evaluation_data.check_name == CHECK_NAME}
    return result, checks, logs


def test_the_full_job_checks_the_freshness_of_every_source_after_the_load():
    job = defs.resolve_job_def("cdp_full")
    checks = job.asset_layer.asset_graph.asset_check_keys
    assert {dg.AssetCheckKey(key, CHECK_NAME) for key in FRESH_SOURCES.values()} <= checks
    assert {key.path[0] for key in FRESH_SOURCES.values()} >= {
        "crm", "shop", "web", "app", "esp", "billing", "consent", "helpdesk"}
    assert job.graph.node_named("raw_freshness").definition.pool == "warehouse_writer"


def test_the_checks_run_after_the_load_and_fresh_exports_pass(run):
    result, checks, _ = run
    assert result.success
    started = [e.step_key for e in result.all_events if e.is_step_start]
    assert started == ["raw_exports", "raw_freshness"]
    assert set(checks) == {key.to_user_string() for key in FRESH_SOURCES.values()}
    fresh = {key: check for key, check in checks.items() if key.split("/")[0] not in STALE}
    assert fresh and all(check.passed for check in fresh.values()), fresh
    assert fresh["web/events"].description.startswith("web.events: fresh, newest data 0.0 hours")


def test_stale_exports_fail_their_check_with_one_line_naming_them(run):
    _, checks, logs = run
    crm, shop = checks["crm/contacts"], checks["shop/orders"]
    assert not crm.passed and crm.severity == dg.AssetCheckSeverity.ERROR
    assert crm.description.startswith("crm.contacts: stale (error): newest data 4.2 days old,"
                                      " past error_after 72 hours")
    assert not shop.passed and shop.severity == dg.AssetCheckSeverity.WARN
    assert shop.description.startswith("shop.orders: stale (warn): newest data 30.0 hours old")
    assert crm.description in logs and shop.description in logs
    assert "\n" not in crm.description + shop.description
