"""One run per sync at a time: a sync's own lock, failing fast when another run of it is
going (the warehouse-wide writer lock, which queues, is `cdp.warehouse_lock`). The lock lives
in the warehouse (`Warehouse.exclusive`: an advisory lock on PostgreSQL), so runs on two
machines exclude each other too."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from reverse_etl.errors import SyncError


class SyncLocked(SyncError):
    """Another run of the same sync holds its lock."""


@contextmanager
def sync_lock(lock: AbstractContextManager[bool], sync_name: str) -> Iterator[None]:
    """Hold `lock` (a `Warehouse.exclusive` or `file_lock`) or fail with SyncLocked."""
    with lock as held:
        if not held:
            raise SyncLocked(f"sync {sync_name} is already running")
        yield
