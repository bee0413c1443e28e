"""Schedules: a nightly full refresh and an hourly incremental run of the whole CDP."""

import dagster as dg

from orchestration.jobs import cdp_full_job, run_config

daily_full_refresh = dg.ScheduleDefinition(
    name="daily_full_refresh", job=cdp_full_job, cron_schedule="0 3 * * *",
    run_config=run_config(full_refresh=True), tags={"cdp/run": "full"},
    description="Reload every raw file and rebuild every model from scratch, then sync.")

hourly_incremental = dg.ScheduleDefinition(
    name="hourly_incremental", job=cdp_full_job, cron_schedule="15 * * * *",
    run_config=run_config(incremental_load=True), tags={"cdp/run": "incremental"},
    description="Load the raw files that arrived since, build incrementally, sync the changes.")
