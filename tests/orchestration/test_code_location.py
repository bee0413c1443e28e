"""The Dagster code location loads, and its asset graph runs from the raw exports through
staging, identity, golden records and audiences to one asset per sync, with dbt tests attached
as asset checks."""

from __future__ import annotations

import json
import os
import time

import dagster as dg

from cdp import settings
from orchestration.assets.build import BUILD_STEPS
from orchestration.definitions import defs
from orchestration.jobs import run_config
from orchestration.quality_gate import upstream_blocking_checks
from orchestration.sensors import SETTLE_SECONDS, new_raw_files, raw_files
from reverse_etl.config import load_syncs


def _downstream(graph, start: dg.AssetKey) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for child in graph.get(todo.pop()).child_keys:
            if child.to_user_string() not in seen:
                seen.add(child.to_user_string())
                todo.append(child)
    return seen


def test_definitions_load():
    dg.Definitions.validate_loadable(defs)
    assert defs.resolve_job_def("cdp_full") is not None


def test_raw_exports_flow_through_every_layer_to_the_syncs():
    graph = defs.resolve_asset_graph()
    reached = _downstream(graph, dg.AssetKey(["crm", "contacts"]))
    for layer in ("staging/stg_crm__contacts", "intermediate/int_identity__person_map",
                  "marts/dim_customers", "marts/fct_audience_members",
                  "sync__paid_subscribers_export", "sync__crm_contacts_hubspot"):
        assert layer in reached, layer
    syncs = {f"sync__{spec.name}" for spec in load_syncs(settings.syncs_dir())}
    assert syncs and syncs <= {key.to_user_string() for key in graph.get_all_asset_keys()}


def test_dbt_tests_are_asset_checks_on_their_models():
    graph = defs.resolve_asset_graph()
    checked = {key.asset_key.to_user_string() for key in graph.asset_check_keys}
    assert {"marts/dim_customers", "marts/fct_audience_memberships",
            "intermediate/int_identity__person_map"} <= checked
    assert len(graph.asset_check_keys) > 300


def test_every_warehouse_step_is_in_the_one_writer_pool():
    job = defs.resolve_job_def("cdp_full")
    pools = {node.name: node.definition.pool for node in job.graph.nodes}
    assert pools and set(pools.values()) == {"warehouse_writer"}, pools
    home = settings.PROJECT_DIR / "dagster_home"
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1


def test_schedules_and_sensor_target_the_full_job():
    full, hourly = defs.get_schedule_def("daily_full_refresh"), defs.get_schedule_def(
        "hourly_incremental")
    assert full.job_name == hourly.job_name == "cdp_full"
    for schedule, config in ((full, run_config(full_refresh=True)),
                             (hourly, run_config(incremental_load=True))):
        [request] = schedule.evaluate_tick(dg.build_schedule_context()).run_requests
        assert request.run_config == config
    assert defs.get_sensor_def("new_raw_files").job_name == "cdp_full"


def test_a_sync_is_gated_by_every_blocking_test_it_is_built_from():
    audience = upstream_blocking_checks(BUILD_STEPS, dg.AssetKey(["marts",
                                                                   "fct_audience_members"]))
    names = {(c.asset_key.to_user_string(), c.name) for c in audience}
    assert ("intermediate/int_customers__orders",
            "not_null_int_customers__orders_total_reporting") in names
    assert any(asset == "crm/contacts" for asset, _ in names), "raw source tests gate too"
    warn_only = {spec.key for step in BUILD_STEPS for spec in step.check_specs
                 if not spec.blocking}
    assert warn_only and not warn_only & set(audience)
    contacts = upstream_blocking_checks(BUILD_STEPS, dg.AssetKey(["staging",
                                                                   "stg_crm__contacts"]))
    assert contacts and not {c.asset_key.path[-1] for c in contacts} & {
        "int_customers__orders", "dim_customers"}


def test_the_sensor_waits_for_files_to_settle_and_reports_each_file_once(tmp_path, monkeypatch):
    monkeypatch.setenv("CDP_RAW_DIR", str(tmp_path))
    (tmp_path / "crm").mkdir()
    fresh = tmp_path / "crm" / "contacts_new.csv"
    fresh.write_text("contact_id\n")
    assert raw_files() == {}, "a file still being written is not reported"
    old = time.time() - 2 * SETTLE_SECONDS
    os.utime(fresh, (old, old))
    (tmp_path / "crm" / "notes.txt").write_text("not an export")
    os.utime(tmp_path / "crm" / "notes.txt", (old, old))
    first = new_raw_files(dg.build_sensor_context())
    assert isinstance(first, dg.RunRequest)
    cursor = json.dumps(raw_files())
    assert list(json.loads(cursor)) == ["crm/contacts_new.csv"]
    assert isinstance(new_raw_files(dg.build_sensor_context(cursor=cursor)), dg.SkipReason)
