"""One writer at a time on the embedded warehouse, across processes, and a clear word when
another program holds it.

DuckDB lets one process open the file for writing, and no other process read it meanwhile.
The same rule, as a lock file every CDP process takes first, makes them queue instead of
failing on DuckDB's lock: writers (the Dagster job's steps, `cdp load`, `cdp build`, `cdp sync
run`) take it exclusively, readers (reports, summaries, row counts) shared. Within one
thread the lock is re-entrant (a step that holds it may read). A program outside the CDP (a
SQL client, a notebook) does not take it: `locked_message` turns DuckDB's lock error into one
line naming it (`cdp.warehouse.connect` raises it).
"""

from __future__ import annotations

import fcntl
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

WAIT_ENV = "CDP_WRITER_WAIT_SECONDS"  # how long a writer queues before giving up
DEFAULT_WAIT = 3600.0
_DUCKDB_LOCK = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


class WarehouseBusy(RuntimeError):
    """The warehouse is locked by another writer and stayed so past the wait."""


def lock_path(duckdb_path: Path) -> Path:
    return Path(duckdb_path).parent / f".{Path(duckdb_path).name}.writer.lock"


@contextmanager
def writer_lock(duckdb_path: Path, what: str,
                on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the warehouse exclusively while `what` (e.g. "cdp load") writes; when another
    process holds it, call `on_wait(holder)` once and queue for up to CDP_WRITER_WAIT_SECONDS."""
    with _hold(Path(duckdb_path), what, fcntl.LOCK_EX, on_wait):
        yield


@contextmanager
def reader_lock(duckdb_path: Path, what: str) -> Iterator[None]:
    """Hold the warehouse shared while `what` reads: readers go together, never beside a
    writer (DuckDB would refuse the second process either way). Waiting is said on stderr,
    so reports on stdout stay clean."""
    with _hold(Path(duckdb_path), what, fcntl.LOCK_SH, _say_waiting):
        yield


def _say_waiting(holder: str) -> None:
    sys.stderr.write(f"waiting for the warehouse: in use by {holder}\n")


# (lock file, thread) -> how deep that thread holds it: re-entrant for the holder (a step
# reading what it wrote), while another thread queues like another process would.
_held: dict[tuple[Path, int], int] = {}
_held_lock = threading.Lock()


@contextmanager
def _hold(duckdb_path: Path, what: str, mode: int,
          on_wait: Callable[[str], None] | None) -> Iterator[None]:
    path = lock_path(duckdb_path)
    key = (path, threading.get_ident())
    with _held_lock:
        nested = _held.get(key, 0) > 0
        if nested:
            _held[key] += 1
    if nested:  # this process holds it already (a step reading what it wrote)
        try:
            yield
        finally:
            with _held_lock:
                _held[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        _acquire(handle, path, mode, duckdb_path, on_wait)
        if mode == fcntl.LOCK_EX:  # readers leave the writer's name for whoever waits
            handle.seek(0)
            handle.truncate()
            handle.write(f"PID {os.getpid()} ({what}, since "
                         f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC)\n")
            handle.flush()
        with _held_lock:
            _held[key] = 1
        try:
            yield
        finally:
            with _held_lock:
                _held.pop(key, None)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _acquire(handle, path: Path, mode: int, duckdb_path: Path,
             on_wait: Callable[[str], None] | None) -> None:
    if _try_lock(handle, mode):
        return
    if on_wait is not None:
        on_wait(_holder(path))
    deadline = time.monotonic() + float(os.environ.get(WAIT_ENV, DEFAULT_WAIT))
    while not _try_lock(handle, mode):
        if time.monotonic() > deadline:
            raise WarehouseBusy(f"warehouse {duckdb_path} is still in use by "
                                f"{_holder(path)}; gave up waiting ({WAIT_ENV})")
        time.sleep(0.2)


def locked_message(error: object, duckdb_path: Path) -> str | None:
    """One line for DuckDB's "could not set lock" error or its text (who holds the file),
    else None."""
    found = _DUCKDB_LOCK.search(str(error))
    if found is None:
        return None
    pid = found["pid"]
    return (f"warehouse locked: {duckdb_path} is open in another program, PID {pid} "
            f"({_command_line(pid) or found['program']}); close it and run again")


def _try_lock(handle, mode: int) -> bool:
    try:
        fcntl.flock(handle, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace").strip()
    return text or "another process"


def _command_line(pid: str) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    return " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)[:200]
