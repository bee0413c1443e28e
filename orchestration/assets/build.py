"""The build's asset definitions in order: dbt up to the purchase summary, the CLV step, dbt
for what reads CLV. Lineage walks (quality gates) and model lookups go over all three."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from orchestration.assets.clv import clv_step
from orchestration.assets.dbt import cdp_dbt_after_clv_assets, cdp_dbt_assets

BUILD_STEPS = (cdp_dbt_assets, clv_step, cdp_dbt_after_clv_assets)
DBT_STEPS = (cdp_dbt_assets, cdp_dbt_after_clv_assets)


def dbt_model_key(model: str) -> dg.AssetKey:
    """The asset key of dbt model `model`, whichever half of the build makes it."""
    for step in DBT_STEPS:  # the lookup answers for any model of the manifest
        if (key := get_asset_key_for_model([step], model)) in step.keys:
            return key
    raise KeyError(f"no dbt model {model!r} in the project")
