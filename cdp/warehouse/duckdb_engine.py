"""The embedded DuckDB file as a `Warehouse`: one process writes at a time (the CDP's own
writer/reader lock queues its processes, `cdp.warehouse_lock`), named locks are lock files
beside the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa

from cdp.warehouse.base import Result, Warehouse, file_lock
from cdp.warehouse.duckdb_file import connect


class DuckDBWarehouse(Warehouse):
    dialect = "duckdb"

    def __init__(self, path: Path, *, read_only: bool = False):
        self.path = Path(path)
        self.con = connect(self.path, read_only=read_only)

    def _run(self, sql: str, params: list | None) -> Result:
        cursor = self.con.execute(sql, params)
        if cursor.description is None:
            return Result([], [])
        return Result([c[0] for c in cursor.description], cursor.fetchall())

    def executemany(self, sql: str, rows) -> None:
        if rows:
            self.con.executemany(sql, [list(row) for row in rows])

    def relation_exists(self, schema: str, name: str) -> bool:
        return bool(self.query(
            "select count(*) from information_schema.tables where table_catalog ="
            " current_database() and table_schema = ? and table_name = ?", [schema, name])[0][0])

    def columns(self, schema: str, name: str) -> list[str]:
        return [c for (c,) in self.query(
            "select column_name from information_schema.columns where table_catalog ="
            " current_database() and table_schema = ? and table_name = ?"
            " order by ordinal_position", [schema, name])]

    def schemas(self) -> list[str]:
        return [s for (s,) in self.query(
            "select schema_name from information_schema.schemata"
            " where catalog_name = current_database()")]

    def write_table(self, relation: str, data: pa.Table, *, temporary: bool = False) -> None:
        self.con.register("_cdp_incoming", data)
        try:
            kind = "temp table" if temporary else "table"
            self.con.execute(f"create or replace {kind} {relation} as"
                             " select * from _cdp_incoming")
        finally:
            self.con.unregister("_cdp_incoming")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.con.begin()
        try:
            yield
        except BaseException:
            self.con.rollback()
            raise
        self.con.commit()

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        with file_lock(self.path.parent, name) as held:
            yield held

    def close(self) -> None:
        self.con.close()
