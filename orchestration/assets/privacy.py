"""Forget requests in the job: resolved after the load and before dbt (the dbt source
`privacy`), and the raw rows staging kept out purged once the base models are built."""

import dagster as dg
from dagster import AssetExecutionContext

from cdp.privacy.erasure import identity_sources, purge_raw_rows, resolve_requests
from orchestration.assets.build import dbt_model_key
from orchestration.assets.raw import PRIVACY_KEYS, SOURCE_KEYS
from orchestration.resources import WarehouseResource


@dg.multi_asset(specs=[dg.AssetSpec(key, group_name="privacy", deps=SOURCE_KEYS,
                                    kinds={"python"}) for key in PRIVACY_KEYS],
                pool="warehouse_writer")
def privacy_requests(context: AssetExecutionContext, warehouse: WarehouseResource):
    """Match new forget requests against the last build's ID graph and forget their persons:
    suppress their identifiers' salted hashes, delete their raw records and history, and
    note the syncs that owe a removal (`cdp.privacy.erasure`)."""
    with warehouse.writing(f"Dagster run {context.run.run_id[:8]}: forget requests",
                           on_wait=lambda holder: context.log.info(f"waiting for {holder}")), \
            warehouse.open() as connection:
        done = resolve_requests(connection)
    persons = sum(len(found) for found in done.persons.values())
    if done.requests:
        context.log.info(f"{done.requests} forget request(s): {persons} person(s) erased,"
                         f" {done.raw_rows_deleted:,} raw rows deleted, {done.deliveries}"
                         " removal(s) owed by syncs")
    metadata = {"requests_resolved": done.requests, "persons_erased": persons}
    for key in PRIVACY_KEYS:
        yield dg.MaterializeResult(asset_key=key, metadata=metadata)


@dg.asset(key=["privacy", "raw_purge"], group_name="privacy", kinds={"python"},
          deps=[dbt_model_key(base) for base in identity_sources().values()],
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
