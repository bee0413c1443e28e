"""Raw exports loaded into the warehouse: the assets behind the dbt sources."""

import json

import dagster as dg
from dagster import AssetExecutionContext

from cdp import settings
from cdp.load import LoadError, load_raw
from cdp.preflight import definition_problems
from cdp.warehouse import WarehouseLocked
from cdp.warehouse_lock import WarehouseBusy, writer_lock
from orchestration.assets.dbt import cdp_dbt_assets
from orchestration.project import dbt_project

# The dbt sources: what the dbt assets read but do not build themselves.
SOURCE_KEYS = sorted(set(cdp_dbt_assets.dependency_keys) - set(cdp_dbt_assets.keys),
                     key=lambda key: key.to_user_string())


def _raw_tables() -> dict[dg.AssetKey, str]:
    """Source asset key ([source, table], dagster-dbt's default) -> the raw table it names."""
    sources = json.loads(dbt_project.manifest_path.read_text())["sources"].values()
    return {dg.AssetKey([s["source_name"], s["name"]]): s["identifier"] for s in sources}


RAW_TABLES = _raw_tables()


class RawLoadConfig(dg.Config):
    # Append only files not loaded before (hourly runs, the file sensor); otherwise rebuild
    # the raw tables from every file present.
    incremental: bool = False


@dg.multi_asset(specs=[dg.AssetSpec(key, group_name="raw", kinds={"duckdb"})
                       for key in SOURCE_KEYS], pool="warehouse_writer")
def raw_exports(context: AssetExecutionContext, config: RawLoadConfig):
    """Load the export files of the raw folder (CDP_RAW_DIR) into the `raw` schema, once the
    audience and sync definitions are known to be valid (a run with a broken definition
    stops here, before anything is loaded)."""
    if problems := definition_problems():
        raise dg.Failure(description=f"{len(problems)} problem(s) in the audience and sync "
                                     "definitions; nothing was loaded:\n" + "\n".join(problems))
    database = settings.duckdb_path()
    try:
        with writer_lock(database, f"Dagster run {context.run_id[:8]}: raw load",
                         on_wait=lambda holder: context.log.info(f"waiting for {holder}")):
            reports = load_raw(settings.raw_data_dir(), database,
                               incremental=config.incremental)
    except (LoadError, WarehouseBusy, WarehouseLocked) as error:
        raise dg.Failure(description=str(error)) from None
    loads = {report.table: report for report in reports}
    mode = "new files" if config.incremental else "all files"
    context.log.info(f"loaded {sum(r.rows for r in reports):,} rows ({mode}) from "
                     f"{settings.raw_data_dir()}")
    for key in SOURCE_KEYS:
        report = loads.get(RAW_TABLES[key])
        metadata = {"files_loaded": len(report.files), "rows_loaded": report.rows,
                    "unreadable_lines": report.bad_lines} if report else {}
        yield dg.MaterializeResult(asset_key=key, metadata=metadata)
