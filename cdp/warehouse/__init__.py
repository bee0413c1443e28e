"""The warehouse every step outside dbt talks to: the active dbt target (DuckDB, PostgreSQL
or Spark), chosen in one place (`cdp.warehouse.target`).

`open_warehouse()` is a connection for a step that writes (it queues on the embedded file's
writer lock itself when the target is DuckDB), `reading()` one for a report (read-only and
queued behind writers on DuckDB), `query()` a one-off read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from cdp.warehouse.base import Result, Warehouse, WarehouseLocked, WarehouseNotBuilt
from cdp.warehouse.duckdb_file import connect, foreign_lock
from cdp.warehouse.target import Target, TargetError, active_target

__all__ = [
    "Result", "Target", "TargetError", "Warehouse", "WarehouseLocked", "WarehouseNotBuilt",
    "active_target", "connect", "foreign_lock", "hand_over", "is_embedded", "open_warehouse",
    "query", "reading", "writer_lock_path", "writing",
]


def is_embedded(target: Target | None = None) -> bool:
    """True on the embedded DuckDB file (single writer: the CDP's own lock file applies)."""
    return (target or active_target()).type == "duckdb"


def hand_over(target: Target | None = None) -> None:
    """Before another process (dbt, launched by dagster-dbt) opens the warehouse: end this
    process's Spark session (DuckDB connections are closed after each step already)."""
    if (target or active_target()).type == "spark":
        from cdp.warehouse.spark_engine import end_local_session

        end_local_session()


def writer_lock_path() -> Path | None:
    """The DuckDB file whose writer lock CDP writers queue on; None on server engines."""
    from cdp import settings

    return settings.duckdb_path() if is_embedded() else None


def _connect(target: Target, *, read_only: bool) -> Warehouse:
    if target.type == "duckdb":
        from cdp import settings
        from cdp.warehouse.duckdb_engine import DuckDBWarehouse

        path = settings.duckdb_path()
        if read_only and not path.exists():
            raise WarehouseNotBuilt(f"no warehouse at {path}: run `cdp run` first")
        path.parent.mkdir(parents=True, exist_ok=True)
        return DuckDBWarehouse(path, read_only=read_only)
    if target.type == "postgres":
        from cdp.warehouse.postgres_engine import PostgresWarehouse

        return PostgresWarehouse(target.settings)
    from cdp.warehouse.spark_engine import SparkWarehouse

    return SparkWarehouse(target.settings)


@contextmanager
def open_warehouse(target: Target | None = None, *,
                   duckdb_path: Path | None = None) -> Iterator[Warehouse]:
    """A read-write connection to the active target (or the DuckDB file `duckdb_path`, for
    tools and tests). On DuckDB, hold `writing` first."""
    if duckdb_path is not None:
        from cdp.warehouse.duckdb_engine import DuckDBWarehouse

        Path(duckdb_path).parent.mkdir(parents=True, exist_ok=True)
        with DuckDBWarehouse(duckdb_path) as warehouse:
            yield warehouse
        return
    with _connect(target or active_target(), read_only=False) as warehouse:
        yield warehouse


@contextmanager
def reading(what: str = "a report") -> Iterator[Warehouse]:
    """A connection for reading; on DuckDB read-only and queued behind writers."""
    target = active_target()
    if not is_embedded(target):
        with _connect(target, read_only=True) as warehouse:
            yield warehouse
        return
    import duckdb

    from cdp import settings
    from cdp.warehouse_lock import reader_lock

    path = settings.duckdb_path()
    if not path.exists():
        raise WarehouseNotBuilt(f"no warehouse at {path}: run `cdp run` first")
    with reader_lock(path, what), _connect(target, read_only=True) as warehouse:
        try:
            yield warehouse
        except duckdb.CatalogException as exc:
            raise WarehouseNotBuilt(
                f"{exc.args[0].splitlines()[0]}: build the project first (`cdp build`)"
            ) from exc


def query(sql: str, params: Sequence = ()) -> list[tuple]:
    """Rows of one DuckDB-dialect statement on the active target (see `reading`)."""
    with reading() as warehouse:
        return warehouse.query(sql, params)


@contextmanager
def writing(what: str, on_wait=None, *, duckdb_path: Path | None = None) -> Iterator[None]:
    """Queue as a writer of the warehouse: the embedded file takes one writer at a time
    (`cdp.warehouse_lock`, `on_wait(holder)` when queued); server engines take many.
    `duckdb_path`: the DuckDB file `open_warehouse(duckdb_path=...)` opens instead."""
    path = duckdb_path or writer_lock_path()
    if path is None:
        yield
        return
    from cdp.warehouse_lock import writer_lock

    with writer_lock(path, what, on_wait=on_wait):
        yield
