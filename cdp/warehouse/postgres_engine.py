"""PostgreSQL (14 and later) as a `Warehouse`, connected with the dbt target's settings.

Statements run in autocommit unless inside `transaction()` (PostgreSQL's DDL is
transactional, so a load publishes all its tables or none). Named locks are session-level
advisory locks: they work across hosts and vanish with a killed process's connection.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pyarrow as pa
import pyarrow.csv as pacsv

from cdp.warehouse.base import Result, Warehouse, WarehouseNotBuilt


def _pg_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_integer(arrow_type):
        return "bigint"
    if pa.types.is_floating(arrow_type):
        return "double precision"
    if pa.types.is_decimal(arrow_type):
        return f"numeric({arrow_type.precision}, {arrow_type.scale})"
    if pa.types.is_timestamp(arrow_type):
        return "timestamptz" if arrow_type.tz else "timestamp"
    if pa.types.is_date(arrow_type):
        return "date"
    return "text"


# JSON of one value as DuckDB's json_object writes it, so payloads are the same on every
# engine: PostgreSQL's to_json writes timestamps as ISO 8601 with a "T", and a whole double
# as `1` where DuckDB writes `1.0` (a float, not an integer, to whoever parses it).
_JSON_VALUE = """
create or replace function pg_temp.cdp_json_value(value anyelement) returns json
language sql immutable as $$
    select case
        when pg_typeof(value) in ('timestamp'::regtype, 'timestamptz'::regtype)
            then to_json(value::text)
        when pg_typeof(value) in ('double precision'::regtype, 'real'::regtype)
                and value::text ~ '^-?[0-9]+$'
            then (value::text || '.0')::json
        else to_json(value) end
$$
"""


def _quoted(relation: str) -> str:
    return ".".join(f'"{part}"' for part in relation.split("."))


class PostgresWarehouse(Warehouse):
    dialect = "postgres"

    def __init__(self, settings: dict):
        try:
            self.con = psycopg.connect(
                host=settings.get("host"), port=settings.get("port"), user=settings.get("user"),
                password=settings.get("password") or None, dbname=settings.get("dbname"),
                autocommit=True, connect_timeout=10)
        except psycopg.OperationalError as error:
            where = f"{settings.get('host')}:{settings.get('port')}/{settings.get('dbname')}"
            reason = str(error).strip().splitlines()[-1]
            raise WarehouseNotBuilt(f"cannot connect to PostgreSQL at {where}: {reason}") from None
        self.con.execute(_JSON_VALUE)  # session-private (pg_temp): no rights needed, no races

    def _run(self, sql: str, params: list | None) -> Result:
        with self.con.cursor() as cursor:
            try:
                cursor.execute(sql, params)
            except psycopg.errors.UndefinedTable as error:
                raise WarehouseNotBuilt(
                    f"{error.diag.message_primary}: build the project first (`cdp build`)"
                ) from None
            if cursor.description is None:
                return Result([], [])
            return Result([c.name for c in cursor.description], cursor.fetchall())

    def relation_exists(self, schema: str, name: str) -> bool:
        return bool(self.query("select count(*) from information_schema.tables"
                               " where table_schema = ? and table_name = ?", [schema, name])[0][0])

    def columns(self, schema: str, name: str) -> list[str]:
        return [c for (c,) in self.query(
            "select column_name from information_schema.columns where table_schema = ?"
            " and table_name = ? order by ordinal_position", [schema, name])]

    def schemas(self) -> list[str]:
        return [s for (s,) in self.query("select schema_name from information_schema.schemata")]

    def write_table(self, relation: str, data: pa.Table, *, temporary: bool = False) -> None:
        """Create `relation` and COPY `data` in as CSV (streamed by PostgreSQL's COPY)."""
        columns = ", ".join(f'"{f.name}" {_pg_type(f.type)}' for f in data.schema)
        name = relation.split(".")[-1] if temporary else relation
        with self.transaction():
            self.con.execute(f"drop table if exists {_quoted(name)}")
            kind = "temp table" if temporary else "table"
            self.con.execute(f"create {kind} {_quoted(name)} ({columns})")
            self.copy_csv(name, data)

    def copy_csv(self, relation: str, data: pa.Table) -> None:
        """Append `data` to an existing table through COPY (empty text is not null)."""
        if data.num_rows == 0:
            return
        sink = pa.BufferOutputStream()
        pacsv.write_csv(data, sink, pacsv.WriteOptions(include_header=False,
                                                       quoting_style="all_valid"))
        names = ", ".join(f'"{f.name}"' for f in data.schema)
        with self.con.cursor().copy(
                f"copy {_quoted(relation)} ({names}) from stdin (format csv)") as copy:
            copy.write(sink.getvalue().to_pybytes())

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.con.transaction():
            yield

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        [(got,)] = self.query("select pg_try_advisory_lock(?)", [key])
        if not got:
            yield False
            return
        try:
            yield True
        finally:
            if not self.con.closed:  # a closed session has released it already
                self.query("select pg_advisory_unlock(?)", [key])

    def close(self) -> None:
        self.con.close()
