"""Reverse-ETL sync engine and destinations (importable without Dagster)."""
