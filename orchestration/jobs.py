"""Jobs: the whole CDP, raw load to syncs."""

from __future__ import annotations

import dagster as dg

cdp_full_job = dg.define_asset_job("cdp_full", selection=dg.AssetSelection.all(),
                                   description="Load raw exports, dbt build, then every sync.")
