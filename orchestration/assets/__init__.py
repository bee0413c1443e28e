"""Asset definitions: raw loads, dbt, syncs."""
