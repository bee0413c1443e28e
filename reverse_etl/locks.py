"""What a sync run holds while it runs: its own lock (one run per sync at a time, failing fast
when another is going) and a connection to the warehouse (a clear error when a program outside
the CDP holds the file). The warehouse-wide writer lock is `cdp.warehouse_lock`."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from cdp.warehouse_lock import locked_message
from reverse_etl.errors import SyncError


class SyncLocked(SyncError):
    """Another run of the same sync holds its lock."""


class WarehouseLocked(SyncError):
    """Another program holds the DuckDB file."""


@contextmanager
def sync_lock(duckdb_path: Path, sync_name: str) -> Iterator[None]:
    folder = Path(duckdb_path).parent / ".sync-locks"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{sync_name}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SyncLocked(f"sync {sync_name} is already running") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def connect(duckdb_path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(duckdb_path))
    except duckdb.IOException as error:  # held by a program outside the CDP
        raise WarehouseLocked(locked_message(error, duckdb_path) or str(error)) from None
