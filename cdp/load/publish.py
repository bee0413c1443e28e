"""Publishing a load staged in a scratch DuckDB onto a server warehouse (PostgreSQL, Spark).

Files are parsed by the same DuckDB readers on every engine, so a line is split, numbered
and rejected identically everywhere (DECISIONLOG: one parser for every warehouse). The staged
tables then go to the warehouse as Arrow tables (PostgreSQL: COPY; Spark: Parquet read by
Spark) as `raw._loading__<table>`, and one transaction swaps them in: on PostgreSQL all
tables or none; Spark has no transactions, so each table is swapped on its own.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb

from cdp.load.errors import LoadError, reason
from cdp.load.staging import LOADED_FILES, PREFIX, RAW_SCHEMA, TABLES, Staging
from cdp.warehouse import Warehouse


def loaded_before(warehouse: Warehouse) -> dict[str, set[tuple]]:
    """source_table -> (file, size, modified) of every file published on `warehouse` (any
    engine, the embedded file included)."""
    if not warehouse.relation_exists(str(RAW_SCHEMA), LOADED_FILES):
        return {}
    found: dict[str, set[tuple]] = {}
    for table, file, size, modified in warehouse.query(
            f"select source_table, source_file, size_bytes, modified_at"
            f" from {RAW_SCHEMA}.{LOADED_FILES}"):
        found.setdefault(table, set()).add((file, size, modified))
    return found


def load_stamp(warehouse: Warehouse) -> datetime:
    """The `_loaded_at` of a new load: now, or just after the latest load if the clock says
    otherwise. Incremental models take loads newer than the newest they hold, so a stamp must
    never go back in time."""
    now = datetime.now(UTC).replace(tzinfo=None)
    if not warehouse.relation_exists(str(RAW_SCHEMA), LOADED_FILES):
        return now
    [(latest,)] = warehouse.query(f"select max(_loaded_at) from {RAW_SCHEMA}.{LOADED_FILES}")
    return now if latest is None or latest < now else latest + timedelta(microseconds=1)


def publish(staging: Staging, warehouse: Warehouse) -> None:
    """Copy every staging table to `warehouse`, then swap them in (see the module doc)."""
    warehouse.execute(f"create schema if not exists {RAW_SCHEMA}")
    for name in TABLES:
        _upload(staging.con, name, warehouse)
    target = "the load"
    try:
        with warehouse.transaction():
            for name in TABLES:
                target = f"{RAW_SCHEMA}.{name}"
                loading = f"{RAW_SCHEMA}.{PREFIX}{name}"
                if staging.incremental and warehouse.relation_exists(str(RAW_SCHEMA), name):
                    columns = ", ".join(f'"{c}"' for c in TABLES[name])
                    warehouse.execute(f"insert into {target} ({columns})"
                                      f" select {columns} from {loading}")
                    warehouse.execute(f"drop table {loading}")
                else:
                    warehouse.execute(f"drop table if exists {target}")
                    renamed = target if warehouse.dialect == "spark" else name
                    warehouse.execute(f"alter table {loading} rename to {renamed}")
    except Exception as exc:
        outcome = ("nothing was changed" if warehouse.dialect == "postgres"
                   else "tables before it were swapped in: run the load again")
        raise LoadError(f"{target} could not be published ({reason(exc)}); {outcome}") from exc


def _upload(con: duckdb.DuckDBPyConnection, name: str, warehouse: Warehouse) -> None:
    data = con.sql(f"select * from {Staging.name(name)}").to_arrow_table()
    warehouse.write_table(f"{RAW_SCHEMA}.{PREFIX}{name}", data)


def discard_leftovers(warehouse: Warehouse) -> None:
    """Drop the staging tables a killed load left on the warehouse."""
    for name in TABLES:
        if warehouse.relation_exists(str(RAW_SCHEMA), f"{PREFIX}{name}"):
            warehouse.execute(f"drop table {RAW_SCHEMA}.{PREFIX}{name}")
