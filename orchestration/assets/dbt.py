"""Every dbt model, seed and snapshot as an asset; dbt tests become asset checks."""

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from cdp.build import AFTER_CLV
from cdp.dbt import DbtError, compile_audiences_macro
from cdp.settings import PROJECT_DIR
from cdp.summary import mass_rejection_warnings
from orchestration.dbt_results import describe_failures, with_row_counts
from orchestration.project import dbt_project
from orchestration.resources import WarehouseResource


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


def _dbt_build(context: AssetExecutionContext, dbt: DbtCliResource,
               warehouse: WarehouseResource, config: DbtBuildConfig):
    """`dbt build` of the nodes the running asset definition selects (dagster-dbt narrows
    it to the definition and the run's selection)."""
    try:  # the audiences as they are on disk now, not as they were when the code loaded
        compile_audiences_macro()
    except DbtError as error:
        raise dg.Failure(description=str(error)) from None
    args = ["build", "--full-refresh"] if config.full_refresh else ["build"]
    # Not raising mid-stream: what dbt built is reported (and its syncs run) before the failure.
    # One target folder, overwritten by each build (runs are serialised by the pool), instead
    # of dagster-dbt's folder per invocation, which an hourly schedule would pile up.
    with warehouse.writing(f"Dagster run {context.run.run_id[:8]}: dbt build",
                           on_wait=lambda holder: context.log.info(f"waiting for {holder}")):
        warehouse.hand_over()
        invocation = dbt.cli(args, context=context, raise_on_error=False,
                             target_path=PROJECT_DIR / "target" / "dagster")
        built = set()
        for event in with_row_counts(invocation, warehouse):
            if isinstance(event, dg.Output):
                built.add(context.asset_key_for_output(event.output_name))
            yield event
    for warning in mass_rejection_warnings():  # loud, though the build is green
        context.log.warning(warning)
    if not invocation.is_successful():
        raise dg.Failure(description=describe_failures(context, invocation, built))


# A build is two dbt invocations around the CLV step (`cdp.build`): everything up to the
# purchase summary, then what reads the CLV tables. The DuckDB file allows one writer: every
# warehouse writer shares the `warehouse_writer` pool.
@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, exclude=AFTER_CLV,
            dagster_dbt_translator=translator, pool="warehouse_writer")
def cdp_dbt_assets(context: AssetExecutionContext, dbt: DbtCliResource,
                   warehouse: WarehouseResource, config: DbtBuildConfig):
    yield from _dbt_build(context, dbt, warehouse, config)


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, select=AFTER_CLV,
            dagster_dbt_translator=translator, pool="warehouse_writer")
def cdp_dbt_after_clv_assets(context: AssetExecutionContext, dbt: DbtCliResource,
                             warehouse: WarehouseResource, config: DbtBuildConfig):
    yield from _dbt_build(context, dbt, warehouse, config)
