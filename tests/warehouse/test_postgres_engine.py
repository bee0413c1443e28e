"""The PostgreSQL engine's own parts (what SQL transpilation cannot express), on a real server:
named locks shared by every process and freed with a dead connection, tables loaded by COPY
with nulls and empty strings kept apart, and a missing table as one line."""

from __future__ import annotations

import datetime as dt
import time

import pyarrow as pa
import pytest

from cdp.warehouse.base import WarehouseNotBuilt
from cdp.warehouse.postgres_engine import PostgresWarehouse
from tests.reverse_etl.fakes.postgres_server import shared_server


def _connect() -> PostgresWarehouse:
    server = shared_server()
    return PostgresWarehouse({"host": server.host, "port": server.port, "user": server.user,
                              "password": server.password, "dbname": server.dbname})


def test_a_sync_lock_is_held_across_connections_and_freed_with_a_dead_one():
    first, second = _connect(), _connect()
    with first.exclusive("sync_a") as held, second.exclusive("sync_a") as other:
        assert held and not other
    with second.exclusive("sync_a") as again:
        assert again
    with first.exclusive("sync_b") as held:
        assert held
        first.close()  # a killed run: its session ends, so does its lock
        assert _acquired_within(second, "sync_b", seconds=10)
    second.close()


def _acquired_within(pg: PostgresWarehouse, name: str, seconds: float) -> bool:
    """The server ends a closed client's backend (and frees its locks) a moment after the
    client has gone, not at once: poll like the next run would."""
    deadline = time.monotonic() + seconds
    while True:
        with pg.exclusive(name) as got:
            if got or time.monotonic() > deadline:
                return got
        time.sleep(0.05)


def test_copy_keeps_nulls_empty_text_quotes_and_timestamps():
    data = pa.table({"text": ["", None, 'a "quoted", value', "é"],
                     "n": [1, None, 3, 4],
                     "at": [dt.datetime(2026, 1, 2, 3, 4, 5, 678000), None, None, None]})
    with _connect() as pg:
        pg.execute("create schema if not exists scratch")
        pg.write_table("scratch.copied", data)
        rows = pg.query("select text, n, at from scratch.copied order by n nulls first")
    assert rows == [(None, None, None), ("", 1, dt.datetime(2026, 1, 2, 3, 4, 5, 678000)),
                    ('a "quoted", value', 3, None), ("é", 4, None)]


def test_a_missing_table_is_one_line_naming_it():
    with _connect() as pg, pytest.raises(WarehouseNotBuilt, match="no_such_table"):
        pg.query("select * from scratch.no_such_table")
