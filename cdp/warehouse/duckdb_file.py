"""Opening the embedded DuckDB warehouse file: one way to open it (a file held by a program
outside the CDP is one line naming it)."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from cdp.warehouse.base import WarehouseLocked
from cdp.warehouse.duckdb_limits import limits
from cdp.warehouse_lock import locked_message


def connect(duckdb_path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; WarehouseLocked (one line naming the holder) when another program
    holds the file. CDP processes queue on `cdp.warehouse_lock` before calling this. Memory and
    spilling follow the profile (`cdp.warehouse.duckdb_limits`)."""
    try:
        return duckdb.connect(str(duckdb_path), read_only=read_only,
                              config=limits(Path(duckdb_path)))
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
