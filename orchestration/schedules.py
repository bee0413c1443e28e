"""Schedules."""

from __future__ import annotations

import dagster as dg

from orchestration.jobs import cdp_full_job

daily_full_run = dg.ScheduleDefinition(name="daily_full_run", job=cdp_full_job,
                                       cron_schedule="0 3 * * *")
