"""Forget requests in the job (cdp.privacy.erasure): resolved by the raw load's step, before
dbt (the `privacy` dbt source), and the raw rows staging kept out purged once the base models
are built."""

import dagster as dg
from dagster import AssetExecutionContext

from cdp.identity.explain import base_models
from cdp.privacy.erasure import Resolution, purge_raw_rows
from orchestration.assets.build import dbt_model_key
from orchestration.resources import WarehouseResource


def forget_results(context: AssetExecutionContext, done: Resolution, keys: list[dg.AssetKey]):
    """The privacy source assets' results after new forget requests were resolved."""
    persons = sum(len(found) for found in done.persons.values())
    if done.requests:
        context.log.info(f"{done.requests} forget request(s): {persons} person(s) erased,"
                         f" {done.raw_rows_deleted:,} raw rows deleted, {done.deliveries}"
                         " removal(s) owed by syncs")
    metadata = {"requests_resolved": done.requests, "persons_erased": persons}
    for key in keys:
        yield dg.MaterializeResult(asset_key=key, metadata=metadata)


@dg.asset(key=["privacy", "raw_purge"], group_name="privacy", kinds={"python"},
          deps=[dbt_model_key(base) for base in base_models().values()],
          pool="warehouse_writer")
def privacy_raw_purge(context: AssetExecutionContext, warehouse: WarehouseResource):
    """Delete the raw rows the base models kept out (a reload brought a forgotten person's
    rows back), and mark the requests resolved before this build erased."""
    with warehouse.writing(f"Dagster run {context.run.run_id[:8]}: raw purge",
                           on_wait=lambda holder: context.log.info(f"waiting for {holder}")), \
            warehouse.open() as connection:
        deleted = purge_raw_rows(connection)
    if deleted:
        context.log.info(f"deleted {deleted:,} raw rows of forgotten persons")
    return dg.MaterializeResult(metadata={"raw_rows_deleted": deleted})
