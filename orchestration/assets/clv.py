"""The CLV step as assets: the dbt source `clv` (fit and scores), made from the purchase
summary the first half of the dbt build leaves, read by the second half (`cdp.build`)."""

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dbt import get_asset_key_for_model

from cdp.clv.step import score_clv
from cdp.settings import dbt_vars
from orchestration.assets.dbt import cdp_dbt_assets
from orchestration.resources import WarehouseResource

CLV_KEYS = [dg.AssetKey(["clv", "model_fits"]), dg.AssetKey(["clv", "scores"])]
SUMMARY_KEY = get_asset_key_for_model([cdp_dbt_assets], "int_clv__purchase_summary")


@dg.multi_asset(specs=[dg.AssetSpec(key, group_name="clv", deps=[SUMMARY_KEY],
                                    kinds={"python"}) for key in CLV_KEYS],
                pool="warehouse_writer")
def clv_step(context: AssetExecutionContext, warehouse: WarehouseResource):
    """Fit BG/NBD + Gamma-Gamma on the purchase summary and score every customer
    (`cdp.clv.step`); a fit the data cannot support is recorded as failed, with its reason."""
    with warehouse.writing(f"Dagster run {context.run.run_id[:8]}: CLV step",
                           on_wait=lambda holder: context.log.info(f"waiting for {holder}")), \
            warehouse.open() as connection:
        record = score_clv(connection, dbt_vars()["cdp_clv"])
    if record["fit_status"] != "ok":
        context.log.warning(f"CLV fit failed: {record['fit_error']}")
    fit = {"fit_status": record["fit_status"], "customers": record["bgnbd_n_customers"]}
    for key in CLV_KEYS:
        yield dg.MaterializeResult(asset_key=key, metadata=fit)
