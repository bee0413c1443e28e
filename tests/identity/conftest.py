"""The engines the identity tests run on: the hand-made warehouse
(tests/identity/identity_warehouse.py) is written through the Warehouse layer, so the same SQL
is checked on the embedded DuckDB file and on PostgreSQL."""

from __future__ import annotations

import pytest

from tests.reverse_etl.fakes.postgres_server import active_postgres_database


@pytest.fixture(params=["duckdb", "postgres"])
def engine(request, tmp_path, monkeypatch):
    """The active target, empty: an embedded file, or a database on the test server."""
    if request.param == "duckdb":
        monkeypatch.setenv("CDP_TARGET", "duckdb")
        monkeypatch.setenv("CDP_DUCKDB_PATH", str(tmp_path / "cdp.duckdb"))
        yield request.param
        return
    with active_postgres_database(monkeypatch, "identity"):
        yield request.param
