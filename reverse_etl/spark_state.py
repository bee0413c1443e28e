"""Syncs on Spark: the same run, on a scratch DuckDB, with the state kept as logs on Spark.

A sync's state changes row by row after every batch (write-ahead in-doubt marks, then each
answer), and plain Parquet tables can neither update nor delete a row. So on Spark a run works
on an in-memory DuckDB: the relations the sync reads and this sync's state are copied in, and
the run executes exactly the SQL it executes everywhere else (hence the same payloads and
hashes as on DuckDB). Every committed state change goes back to Spark at once, appended to
`cdp_sync.snapshot_log` / `cdp_sync.sync_run_log` as new versions of the changed rows (removals
as tombstones); the views `cdp_sync.snapshots` and `cdp_sync.sync_runs` show each row's latest
version, so reports read the same relations as on the other engines. An append is one file,
committed whole by Spark: a kill at any point leaves the state after some earlier statement,
from which the next run converges (DECISIONLOG: sync state on Spark).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
from sqlglot import exp

from cdp.warehouse.base import Result
from cdp.warehouse.duckdb_engine import DuckDBWarehouse
from cdp.warehouse.schemas import MARTS, SYNC_STATE, model_schemas
from cdp.warehouse.spark_engine import SparkWarehouse
from reverse_etl import spec_checks as checks
from reverse_etl import state
from reverse_etl.config import SyncSpec

# State table -> the key of its rows; each is a view over the log of its row versions.
LOGGED = {"snapshots": ("sync_name", "record_key"), "sync_runs": ("run_id",)}
LOG_COLUMNS = (("is_removed", "boolean"), ("version", "bigint"))
SPARK_TYPES = {"VARCHAR": "string", "TIMESTAMP": "timestamp", "BOOLEAN": "boolean",
               "BIGINT": "bigint"}


class SparkScratch(DuckDBWarehouse):
    """The warehouse a run of `spec` talks to on Spark (hold the sync's lock first)."""

    def __init__(self, spark: SparkWarehouse, spec: SyncSpec):
        super().__init__(Path(":memory:"))
        self.spark, self.sync_name = spark, spec.name
        self._depth, self._dirty, self._changelog_sent = 1, False, 0  # nothing to flush yet
        state.ensure_state(self)  # the one DDL of the state, on every engine
        self._ensure_logs()
        self._version = max(self._latest_version(log) for log in LOGGED)
        self._copy_state()
        self._copy_sources(spec)
        self._depth, self._dirty = 0, False

    # -- the run's statements: state writes go to Spark once committed ---------------------
    def _run(self, sql: str, params: list | None) -> Result:
        result = super()._run(sql, params)
        self._wrote(sql)
        return result

    def executemany(self, sql: str, rows) -> None:
        super().executemany(sql, rows)
        self._wrote(sql)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._depth += 1
        try:
            with super().transaction():
                yield
        finally:
            self._depth -= 1
        if not self._depth:
            self._flush()

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        with self.spark.exclusive(name) as held:
            yield held

    def _wrote(self, sql: str) -> None:
        if re.match(rf"\s*(insert|update|delete|alter)\b[^;]*\b{SYNC_STATE}\.", sql, re.I):
            self._dirty = True
            if not self._depth:
                self._flush()

    def _flush(self) -> None:
        """Append every row that differs from what Spark holds, then the new changelog."""
        if not self._dirty:
            return
        self._version += 1
        for table, key in LOGGED.items():
            changed = self.con.sql(_changes_sql(table, key),
                                   params=[self._version]).to_arrow_table()
            if changed.num_rows:
                self.spark.append(f"{SYNC_STATE}.{_log(table)}", changed)
            self.con.execute(f"create or replace table {SYNC_STATE}.flushed_{table} as"
                             f" select * from {SYNC_STATE}.{table}")
        logged = self.con.sql(f"select * from {SYNC_STATE}.sync_changelog order by rowid"
                              " offset ?", params=[self._changelog_sent]).to_arrow_table()
        if logged.num_rows:
            self.spark.append(f"{SYNC_STATE}.sync_changelog", logged)
            self._changelog_sent += logged.num_rows
        self._dirty = False

    # -- set-up -------------------------------------------------------------------------------
    def _ensure_logs(self) -> None:
        """Spark's log tables and views, with the columns of the state DDL (new columns are
        added to a log in place, as `state.DDL` adds them everywhere else)."""
        sql, home = self.spark.spark.sql, str(SYNC_STATE)
        sql(f"create database if not exists {home}")
        for table, key in [*LOGGED.items(), ("sync_changelog", None)]:
            columns = self.query("select column_name, data_type from information_schema.columns"
                                 " where table_schema = ? and table_name = ?"
                                 " order by ordinal_position", [home, table])
            typed = [(name, SPARK_TYPES[kind]) for name, kind in columns]
            relation = f"{home}.{_log(table) if key else table}"
            typed += list(LOG_COLUMNS) if key else []
            held = set(self.spark.columns(home, relation.split(".")[1]))
            missing = ", ".join(f"{name} {kind}" for name, kind in typed if name not in held)
            if not held:
                sql(f"create table {relation} ({missing}) using parquet")
            elif missing:
                sql(f"alter table {relation} add columns ({missing})")
            if key:
                names = ", ".join(name for name, _ in columns)
                sql(f"create or replace view {home}.{table} as select {names} from ("
                    f"select *, row_number() over (partition by {', '.join(key)}"
                    f" order by version desc) as cdp_latest from {relation})"
                    " where cdp_latest = 1 and not is_removed")

    def _latest_version(self, table: str) -> int:
        [(latest,)] = self.spark.query("select coalesce(max(version), 0) from"
                                       f" {SYNC_STATE}.{_log(table)} where sync_name = ?",
                                       [self.sync_name])
        return int(latest)

    def _copy_state(self) -> None:
        """This sync's snapshot, and its runs still marked running (a killed run's, which the
        new run marks interrupted): nothing else of the state is read or written by a run."""
        self._copy(f"{SYNC_STATE}.snapshots", f"select * from {SYNC_STATE}.snapshots"
                   " where sync_name = ?", [self.sync_name])
        self._copy(f"{SYNC_STATE}.sync_runs", f"select * from {SYNC_STATE}.sync_runs"
                   " where sync_name = ? and status = 'running'", [self.sync_name])
        for table in LOGGED:
            self.con.execute(f"create table {SYNC_STATE}.flushed_{table} as"
                             f" select * from {SYNC_STATE}.{table}")

    def _copy_sources(self, spec: SyncSpec) -> None:
        """The relations the sync's source query reads, under the same names. A name that is
        not a plain identifier is not looked up: the source query reports it."""
        marts = str(MARTS)
        wanted: list[tuple[str, str, str, list]] = []
        if spec.source_kind == "audience":
            wanted.append((marts, "dim_customers", "", []))
        if spec.consent and len(spec.consent) == 2:  # only the pair the filter reads
            wanted.append((marts, "dim_consent", " where purpose = ? and channel = ?",
                           list(spec.consent)))
        if spec.source_kind == "audience":
            wanted += [(marts, "dim_audiences", "", []),
                       (marts, "fct_audience_members", " where audience_name = ?",
                        [spec.source_name])]
        elif not checks.identifier_problem("source.model", spec.source_name):
            wanted += [(schema, spec.source_name, "", []) for schema in model_schemas()]
        for schema, name, where, params in wanted:
            if self.spark.relation_exists(schema, name):
                self.con.execute(f"create schema if not exists {_quoted(schema)}")
                self._copy(f"{_quoted(schema)}.{_quoted(name)}",
                           f"select * from {_quoted(schema)}.{_quoted(name)}{where}", params,
                           create=True)

    def _copy(self, relation: str, query: str, params: Sequence, *, create: bool = False
              ) -> None:
        data: pa.Table = self.spark.arrow(query, params)
        self.con.register("_cdp_copied", data)
        try:
            self.con.execute(f"create table {relation} as select * from _cdp_copied" if create
                             else f"insert into {relation} by name select * from _cdp_copied")
        finally:
            self.con.unregister("_cdp_copied")


def _changes_sql(table: str, key: tuple[str, ...]) -> str:
    """Rows new or changed since the last flush, and tombstones of rows gone since."""
    joined = " and ".join(f"gone.{column} = now.{column}" for column in key)
    home = SYNC_STATE
    return f"""
        select *, false as is_removed, $1 as version from (
            select * from {home}.{table} except select * from {home}.flushed_{table})
        union all by name
        select gone.*, true as is_removed, $1 as version from {home}.flushed_{table} as gone
        where not exists (select 1 from {home}.{table} as now where {joined})
    """


def _log(table: str) -> str:
    return {"snapshots": "snapshot_log", "sync_runs": "sync_run_log"}[table]


def _quoted(name: str) -> str:
    return exp.to_identifier(name, quoted=True).sql("duckdb")
