"""Raw exports loaded into the warehouse: the assets behind the dbt sources."""

import json

import dagster as dg
from dagster import AssetExecutionContext

from cdp import settings
from cdp.load import LoadError, load_raw
from cdp.preflight import definition_problems
from cdp.privacy.erasure import resolve_requests
from cdp.warehouse import TargetError, WarehouseLocked, active_target
from cdp.warehouse_lock import WarehouseBusy
from orchestration.assets.build import BUILD_STEPS
from orchestration.assets.privacy import forget_results
from orchestration.project import dbt_project
from orchestration.resources import WarehouseResource

# The dbt sources: what the dbt assets read but do not build themselves; the loader
# makes them, and this step's forget requests the `privacy` ones.
_SOURCES = sorted({key for step in BUILD_STEPS for key in step.dependency_keys}
                  - {key for step in BUILD_STEPS for key in step.keys},
                  key=lambda key: key.to_user_string())
PRIVACY_KEYS = [key for key in _SOURCES if key.path[0] == "privacy"]
SOURCE_KEYS = [key for key in _SOURCES if key.path[0] != "privacy"]


def _raw_tables() -> dict[dg.AssetKey, str]:
    """Source asset key ([source, table], dagster-dbt's default) -> the raw table it names."""
    sources = json.loads(dbt_project.manifest_path.read_text())["sources"].values()
    return {dg.AssetKey([s["source_name"], s["name"]]): s["identifier"] for s in sources
            if s["source_name"] not in ("clv", "privacy")}  # not loaded from exports


RAW_TABLES = _raw_tables()


class RawLoadConfig(dg.Config):
    # Append only files not loaded before (hourly runs, the file sensor); otherwise rebuild
    # the raw tables from every file present.
    incremental: bool = False


def _engine() -> set[str]:
    """The UI's kind tag: the engine of the target active when the code location loads."""
    try:
        return {active_target().type}
    except TargetError:
        return set()


@dg.multi_asset(specs=[dg.AssetSpec(key, group_name="raw", kinds=_engine())
                       for key in SOURCE_KEYS + PRIVACY_KEYS], pool="warehouse_writer")
def raw_exports(context: AssetExecutionContext, warehouse: WarehouseResource,
                config: RawLoadConfig):
    """Load the export files of the raw folder (CDP_RAW_DIR) into the `raw` schema, once the
    audience and sync definitions are known to be valid (a run with a broken definition
    stops here, before anything is loaded). Then new forget requests are resolved (the
    `privacy` source, cdp.privacy.erasure): in this step, as the loaded rows' checks run in
    the dbt step that needs the requests resolved first."""
    if problems := definition_problems():
        raise dg.Failure(description=f"{len(problems)} problem(s) in the audience and sync "
                                     "definitions; nothing was loaded:\n" + "\n".join(problems))
    try:
        with warehouse.writing(f"Dagster run {context.run.run_id[:8]}: raw load",
                               on_wait=lambda holder: context.log.info(f"waiting for {holder}")):
            reports = load_raw(settings.raw_data_dir(), incremental=config.incremental)
            with warehouse.open() as connection:
                erased = resolve_requests(connection)
    except (LoadError, TargetError, WarehouseBusy, WarehouseLocked) as error:
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
    yield from forget_results(context, erased, PRIVACY_KEYS)
