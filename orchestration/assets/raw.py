"""Raw exports loaded into the warehouse: the assets behind the dbt sources."""

import dagster as dg
from dagster import AssetExecutionContext

from cdp import settings
from cdp.load import load_raw
from orchestration.assets.dbt import cdp_dbt_assets

# The dbt sources: what the dbt assets read but do not build themselves.
SOURCE_KEYS = sorted(set(cdp_dbt_assets.dependency_keys) - set(cdp_dbt_assets.keys),
                     key=lambda key: key.to_user_string())


@dg.multi_asset(specs=[dg.AssetSpec(key, group_name="raw") for key in SOURCE_KEYS],
                pool="warehouse_writer")
def raw_exports(context: AssetExecutionContext):
    """Load every export file in the raw folder (CDP_RAW_DIR) into the `raw` schema."""
    reports = load_raw(settings.raw_data_dir(), settings.duckdb_path())
    rows = {report.table: report.rows for report in reports}
    context.log.info(f"loaded {sum(rows.values()):,} rows from {settings.raw_data_dir()}")
    for key in SOURCE_KEYS:
        yield dg.MaterializeResult(asset_key=key,
                                   metadata={"rows_loaded": rows.get(key.path[-1], 0)})
