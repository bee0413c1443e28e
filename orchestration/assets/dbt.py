"""Every dbt model, seed and snapshot as an asset; dbt tests become asset checks."""

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from cdp import settings
from cdp.dbt import DbtError, compile_audiences_macro
from cdp.settings import PROJECT_DIR
from cdp.summary import mass_rejection_warnings
from cdp.warehouse import foreign_lock
from cdp.warehouse_lock import writer_lock
from orchestration.dbt_results import describe_failures, with_row_counts
from orchestration.project import dbt_project


class CdpTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props) -> str | None:
        """The layer the UI groups a node in: staging, the area of an intermediate or mart
        folder (identity, customers, traits, audiences...), reference seeds, sync models."""
        if dbt_resource_props["resource_type"] == "source":
            return "raw"
        folders = dbt_resource_props["fqn"][1:-1]
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        if folders[:1] in (["intermediate"], ["marts"]) and len(folders) > 1:
            return folders[1]
        if folders[:1] == ["sync"]:
            return "activation"  # next to the syncs that read them
        return folders[0] if folders else None


# Source tests become checks on the raw assets, so bad raw data holds back syncs too.
translator = CdpTranslator(settings=DagsterDbtTranslatorSettings(
    enable_asset_checks=True, enable_source_tests_as_checks=True))


class DbtBuildConfig(dg.Config):
    # Rebuild incremental models from scratch; history-keeping models (audience memberships,
    # identity ids) opt out with `full_refresh: false` and keep their rows.
    full_refresh: bool = False


# DuckDB allows one writer: every warehouse writer shares the `warehouse_writer` pool.
@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project,
            dagster_dbt_translator=translator, pool="warehouse_writer")
def cdp_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig):
    try:  # the audiences as they are on disk now, not as they were when the code loaded
        compile_audiences_macro()
    except DbtError as error:
        raise dg.Failure(description=str(error)) from None
    args = ["build", "--full-refresh"] if config.full_refresh else ["build"]
    # Not raising mid-stream: what dbt built is reported (and its syncs run) before the failure.
    # One target folder, overwritten by each build (runs are serialised by the pool), instead
    # of dagster-dbt's folder per invocation, which an hourly schedule would pile up.
    database = settings.duckdb_path()
    with writer_lock(database, f"Dagster run {context.run_id[:8]}: dbt build",
                     on_wait=lambda holder: context.log.info(f"waiting for {holder}")):
        if locked := foreign_lock(database):  # dbt would fail every node on it, unexplained
            raise dg.Failure(description=locked)
        invocation = dbt.cli(args, context=context, raise_on_error=False,
                             target_path=PROJECT_DIR / "target" / "dagster")
        built = set()
        for event in with_row_counts(invocation, database):
            if isinstance(event, dg.Output):
                built.add(context.asset_key_for_output(event.output_name))
            yield event
    for warning in mass_rejection_warnings(database):  # loud, though the build is green
        context.log.warning(warning)
    if not invocation.is_successful():
        raise dg.Failure(description=describe_failures(context, invocation, built))
