"""Jobs: the whole CDP, raw load to syncs, and the run configs of its full and incremental runs."""

import dagster as dg

# Steps run one at a time in the run's process: every step reads or writes the one-writer
# DuckDB file (across runs the `warehouse_writer` pool in dagster.yaml serialises them).
# A failed dbt build still lets the syncs whose models were built and tested go ahead;
# syncs whose models were held back by dbt do not run.
warehouse_executor = dg.in_process_executor.configured(
    {"step_dependency_config": {"require_upstream_step_success": False}})

cdp_full_job = dg.define_asset_job(
    "cdp_full", selection=dg.AssetSelection.all(), executor_def=warehouse_executor,
    description="Load raw exports, dbt build (models, tests, CLV, audiences), then every sync.")


def run_config(*, incremental_load: bool = False, full_refresh: bool = False) -> dict:
    """`incremental_load` loads only files not loaded before; `full_refresh` rebuilds every
    model from scratch (history-keeping models keep their rows)."""
    dbt = {"config": {"full_refresh": full_refresh}}
    return {"ops": {"raw_exports": {"config": {"incremental": incremental_load}},
                    "cdp_dbt_assets": dbt, "cdp_dbt_after_clv_assets": dbt}}
