"""Connections to the embedded DuckDB warehouse: one way to open it (a file held by a program
outside the CDP is one line naming it), and read-only access for the CLI's reports, queued
behind writers (`cdp.warehouse_lock`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from cdp.warehouse.base import WarehouseLocked, WarehouseNotBuilt
from cdp.warehouse_lock import locked_message, reader_lock


@contextmanager
def read_only(duckdb_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection; WarehouseNotBuilt when the file (or a table used) is missing."""
    if not Path(duckdb_path).exists():
        raise WarehouseNotBuilt(f"no warehouse at {duckdb_path}: run `cdp run` first")
    with reader_lock(duckdb_path, "a report"), connect(duckdb_path, read_only=True) as con:
        try:
            yield con
        except duckdb.CatalogException as exc:
            raise WarehouseNotBuilt(
                f"{exc.args[0].splitlines()[0]}: build the project first (`cdp build`)"
            ) from exc


def connect(duckdb_path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; WarehouseLocked (one line naming the holder) when another program
    holds the file. CDP processes queue on `cdp.warehouse_lock` before calling this."""
    try:
        return duckdb.connect(str(duckdb_path), read_only=read_only)
    except duckdb.IOException as error:
        raise WarehouseLocked(locked_message(error, duckdb_path) or str(error)) from None


def foreign_lock(duckdb_path: Path) -> str | None:
    """The lock message when a program outside the CDP holds the DuckDB file, else None
    (call it holding `writer_lock`: then no CDP writer can be the holder)."""
    if os.environ.get("CDP_TARGET", "duckdb") != "duckdb" or not Path(duckdb_path).exists():
        return None
    try:
        connect(duckdb_path).close()
    except WarehouseLocked as error:
        return str(error)
    return None


def query(duckdb_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of `sql` on the warehouse (see `read_only`)."""
    with read_only(duckdb_path) as con:
        return con.execute(sql, params or []).fetchall()
