"""Dagster code location for the CDP (assets, jobs, schedules and sensors land here)."""
