"""One run per sync at a time: a sync's own lock, failing fast when another run of it is
going (the warehouse-wide writer lock, which queues, is `cdp.warehouse_lock`)."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reverse_etl.errors import SyncError


class SyncLocked(SyncError):
    """Another run of the same sync holds its lock."""


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
