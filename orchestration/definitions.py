"""The Dagster code location: `dagster dev -m orchestration.definitions`."""

from __future__ import annotations

import dagster as dg

from orchestration.assets.dbt import cdp_dbt_assets
from orchestration.assets.raw import raw_exports
from orchestration.assets.syncs import SYNC_ASSETS
from orchestration.jobs import cdp_full_job
from orchestration.resources import resources
from orchestration.schedules import daily_full_run

defs = dg.Definitions(
    assets=[raw_exports, cdp_dbt_assets, *SYNC_ASSETS],
    jobs=[cdp_full_job],
    schedules=[daily_full_run],
    resources=resources(),
)
