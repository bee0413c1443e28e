"""One asset per sync definition, downstream of the dbt model it reads."""

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dbt import get_asset_key_for_model

from cdp import settings
from orchestration.assets.dbt import cdp_dbt_assets
from reverse_etl.config import SyncSpec, load_syncs
from reverse_etl.engine import run_sync


class SyncRunConfig(dg.Config):
    dry_run: bool = False
    full_resync: bool = False
    force: bool = False


def _source_model(spec: SyncSpec) -> str:
    return "fct_audience_members" if spec.source_kind == "audience" else \
        spec.source_name.split(".")[-1]


def build_sync_asset(spec: SyncSpec) -> dg.AssetsDefinition:
    @dg.asset(name=f"sync__{spec.name}", group_name="activation",
              deps=[get_asset_key_for_model([cdp_dbt_assets], _source_model(spec))],
              kinds={"python", spec.destination_type}, pool="warehouse_writer",
              description=spec.description or None)
    def _sync(context: AssetExecutionContext, config: SyncRunConfig) -> dg.MaterializeResult:
        result = run_sync(spec, settings.duckdb_path(), dry_run=config.dry_run,
                          full_resync=config.full_resync, force=config.force)
        context.log.info(f"sync {spec.name}: {result.status}")
        return dg.MaterializeResult(metadata={
            "status": result.status, "sync_run_id": result.run_id,
            "source_rows": result.plan.source_rows, **result.counts})

    return _sync


SYNC_ASSETS = [build_sync_asset(spec) for spec in load_syncs(settings.syncs_dir())]
