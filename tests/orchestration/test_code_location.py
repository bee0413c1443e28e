"""The Dagster code location loads, and its asset graph runs from the raw exports through
staging, identity, golden records and audiences to one asset per sync, with dbt tests attached
as asset checks."""

from __future__ import annotations

import dagster as dg

from cdp import settings
from orchestration.definitions import defs
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
