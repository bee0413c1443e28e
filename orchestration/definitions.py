"""The Dagster code location: `dagster dev -m orchestration.definitions` (see the README)."""

import dagster as dg

from orchestration.assets.build import BUILD_STEPS
from orchestration.assets.freshness import raw_freshness
from orchestration.assets.privacy import privacy_raw_purge
from orchestration.assets.raw import raw_exports
from orchestration.assets.report import report_asset
from orchestration.assets.syncs import sync_assets
from orchestration.jobs import cdp_full_job
from orchestration.resources import resources
from orchestration.schedules import daily_full_refresh, hourly_incremental
from orchestration.sensors import new_raw_files


def build_definitions() -> dg.Definitions:
    """Everything, with the syncs folder and settings as the environment has them now."""
    syncs = sync_assets()
    return dg.Definitions(
        assets=[raw_exports, *BUILD_STEPS, privacy_raw_purge, *syncs,
                report_asset([*BUILD_STEPS, *syncs])],
        asset_checks=[raw_freshness],
        jobs=[cdp_full_job],
        schedules=[daily_full_refresh, hourly_incremental],
        sensors=[new_raw_files],
        resources=resources(),
    )


defs = build_definitions()
