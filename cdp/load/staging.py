"""Atomic loads: every file lands in staging tables first, then one short transaction swaps
them in, so a load publishes all its files or changes nothing.

Staging tables sit next to the tables they replace (DuckDB renames only within a schema), as
`raw._loading__<table>`. Building them is the long part and happens outside any transaction,
so memory stays that of a plain insert. Publishing is a rename per table (full load) or an
append of the new rows (incremental load) inside one transaction. A failure or a kill before
the commit leaves the published tables untouched; the staging tables a killed load leaves
behind are dropped by the next load before it starts.
"""

from __future__ import annotations

import duckdb

from cdp.load.errors import LoadError, reason
from cdp.load.tables import LINEAGE_COLUMNS, RAW_TABLES
from cdp.warehouse.schemas import RAW

RAW_SCHEMA = RAW  # `raw` in prod (resolved per use: cdp.warehouse.schemas)
PREFIX = "_loading__"
LOAD_ERRORS = "_load_errors"
LOADED_FILES = "_loaded_files"

BOOKKEEPING = {
    LOAD_ERRORS: {
        "source_table": "VARCHAR", "source_file": "VARCHAR", "source_row": "BIGINT",
        "error_type": "VARCHAR", "error_message": "VARCHAR", "raw_line": "VARCHAR",
        "_loaded_at": "TIMESTAMP",
    },
    LOADED_FILES: {
        "source_table": "VARCHAR", "source_file": "VARCHAR", "size_bytes": "BIGINT",
        "modified_at": "TIMESTAMP", "rows_loaded": "BIGINT", "bad_lines": "BIGINT",
        "_loaded_at": "TIMESTAMP",
    },
}
# Every table a load writes, with its columns.
TABLES = {
    **{t.name: {**t.columns, **LINEAGE_COLUMNS} for t in RAW_TABLES},
    **BOOKKEEPING,
}


def _ddl(columns: dict[str, str]) -> str:
    return ", ".join(f'"{name}" {dtype}' for name, dtype in columns.items())


class Staging:
    """The staging tables of one load on `con`; `publish` swaps them in, `discard` drops them."""

    def __init__(self, con: duckdb.DuckDBPyConnection, *, incremental: bool):
        self.con = con
        self.incremental = incremental
        self._created_schema = not self._existing(
            "select 1 from duckdb_schemas() where database_name = current_database()"
            f" and schema_name = '{RAW_SCHEMA}'")
        con.execute(f"create schema if not exists {RAW_SCHEMA}")
        self.discard()  # a killed load's leftovers
        for name, columns in TABLES.items():
            con.execute(f"create table {self.name(name)} ({_ddl(columns)})")

    @staticmethod
    def name(table: str) -> str:
        return f"{RAW_SCHEMA}.{PREFIX}{table}"

    def published(self, table: str) -> bool:
        return self._existing("select 1 from duckdb_tables() where database_name ="
                              f" current_database() and schema_name = '{RAW_SCHEMA}'"
                              f" and table_name = '{table}'")

    def publish(self) -> None:
        """Swap every staging table in, in one transaction: all of them or none."""
        con = self.con
        con.execute("begin transaction")
        target = "the load"
        try:
            for name in TABLES:
                target = f"{RAW_SCHEMA}.{name}"
                if self.incremental and self.published(name):
                    con.execute(f"insert into {target} by name select * from {self.name(name)}")
                    con.execute(f"drop table {self.name(name)}")
                else:
                    con.execute(f"drop table if exists {target}")
                    con.execute(f'alter table {self.name(name)} rename to "{name}"')
            con.execute("commit")
        except BaseException as exc:  # an interrupt too: nothing half-published stays open
            con.execute("rollback")
            if not isinstance(exc, duckdb.Error):
                raise
            hint = "; a full load (without --incremental) rebuilds it" if self.incremental else ""
            raise LoadError(f"{target} could not be published ({reason(exc)}){hint};"
                            " nothing was changed") from exc

    def discard(self) -> None:
        """Drop every staging table (after a failure, or a killed load's leftovers)."""
        for (table,) in self.con.execute(
            "select table_name from duckdb_tables() where database_name = current_database()"
            f" and schema_name = '{RAW_SCHEMA}' and starts_with(table_name, '{PREFIX}')"
        ).fetchall():
            self.con.execute(f'drop table {RAW_SCHEMA}."{table}"')

    def abandon(self) -> None:
        """After a failure: drop the staging tables and the schema if this load created it,
        so a first load that fails leaves the warehouse as it found it."""
        self.discard()
        if self._created_schema:
            self.con.execute(f"drop schema if exists {RAW_SCHEMA}")  # never cascade

    def _existing(self, sql: str) -> bool:
        return self.con.execute(sql).fetchone() is not None
