"""Spark as a `Warehouse`: the same in-process session dbt-spark's `session` method opens,
configured from the target's `server_side_parameters`, on plain Parquet tables.

Spark has no transactions: `transaction()` only groups statements, and each table a load
replaces is swapped on its own (DECISIONLOG: loads on Spark). Named locks are lock files in
the Spark warehouse folder (one local session per machine: the Derby metastore allows one).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cdp.warehouse.base import Result, Warehouse, WarehouseNotBuilt, bound, file_lock


def spark_session(settings: dict):
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("cdp").enableHiveSupport()
    for key, value in (settings.get("server_side_parameters") or {}).items():
        builder = builder.config(key, str(value))
    # dbt-spark sets this on the session it shares with us: the same SQL semantics either way.
    return builder.config("spark.sql.ansi.enabled", "false").getOrCreate()


def end_local_session() -> None:
    """End this process's Spark session and its JVM, so that another process (dbt launched
    by dagster-dbt) can open the warehouse: the embedded Derby metastore admits one JVM, and it
    stays booted until its JVM exits. The next `spark_session()` starts a new JVM."""
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    if (session := SparkSession.getActiveSession()) is not None:
        session.stop()
    gateway = SparkContext._gateway  # pyspark keeps one JVM per process, here
    if gateway is None:
        return
    gateway.shutdown()
    if gateway.proc is not None:  # the JVM exits when its stdin closes (PythonGatewayServer)
        gateway.proc.stdin.close()
        gateway.proc.wait(timeout=60)
    SparkContext._gateway = SparkContext._jvm = None


def _utc_timestamps(data: pa.Table) -> pa.Table:
    """Naive timestamps (UTC by convention everywhere here) marked as UTC: Spark reads a
    naive Parquet timestamp as `timestamp_ntz`, the models (and contracts) use `timestamp`."""
    fields = [pa.field(f.name, pa.timestamp("us", tz="UTC"))
              if pa.types.is_timestamp(f.type) and f.type.tz is None else f
              for f in data.schema]
    return data.cast(pa.schema(fields))


def _naive_timestamps(data: pa.Table) -> pa.Table:
    """Spark hands out timestamps in its session zone (UTC here): back to naive UTC, the
    convention of every other engine."""
    fields = [pa.field(f.name, pa.timestamp(f.type.unit))
              if pa.types.is_timestamp(f.type) and f.type.tz else f for f in data.schema]
    return data.cast(pa.schema(fields))


class SparkWarehouse(Warehouse):
    dialect = "spark"

    def __init__(self, settings: dict):
        self.spark = spark_session(settings)
        self.folder = Path(self.spark.conf.get("spark.sql.warehouse.dir").removeprefix("file:"))

    def _run(self, sql: str, params: list | None) -> Result:
        from pyspark.errors import AnalysisException

        try:
            frame = self.spark.sql(sql, args=params or None)
        except AnalysisException as error:
            if "TABLE_OR_VIEW_NOT_FOUND" in str(error):
                raise WarehouseNotBuilt(f"{str(error).splitlines()[0]}: build the project"
                                        " first (`cdp build`)") from None
            raise
        rows = frame.collect()
        return Result(frame.columns, [tuple(row) for row in rows])

    def arrow(self, sql: str, params: Sequence = ()) -> pa.Table:
        """The rows of a DuckDB-dialect query as Arrow, with Spark's own column types."""
        native, args = bound(sql, params, self.dialect)
        return _naive_timestamps(self.spark.sql(native, args=args or None).toArrow())

    def append(self, relation: str, data: pa.Table) -> None:
        """Add `data` (columns by name) to the existing table `relation` as one file: a Spark
        job commits its files whole, so a killed append leaves all of the rows or none."""
        columns = self.spark.table(relation).columns
        frame = self.spark.createDataFrame(data.select(columns))
        frame.coalesce(1).write.insertInto(relation)

    def delete_rows(self, relation: str, where: str, params: Sequence = ()) -> int:
        """Parquet rows cannot be deleted: the kept rows are written as a new table that then
        takes the old one's name. A kill between the drop and the rename leaves the kept rows
        under `<name>__kept`, which the next call renames back before anything else."""
        kept = f"{relation}__kept"
        self._recover(relation, kept)
        [(count,)] = self.query(f"select count(*) from {relation} where {where}", params)
        if count:
            native, args = bound(f"select * from {relation} where not ({where})", params,
                                 self.dialect)
            self.spark.sql(native, args=args or None).write.mode("overwrite").format(
                "parquet").saveAsTable(kept)
            self.spark.sql(f"drop table {relation}")
            self.spark.sql(f"alter table {kept} rename to {relation}")
        return count

    def _recover(self, relation: str, kept: str) -> None:
        if self.spark.catalog.tableExists(kept):
            if self.spark.catalog.tableExists(relation):
                self.spark.sql(f"drop table {kept}")  # the rename had not started
            else:
                self.spark.sql(f"alter table {kept} rename to {relation}")

    def relation_exists(self, schema: str, name: str) -> bool:
        return bool(self.spark.catalog.tableExists(f"{schema}.{name}"))

    def columns(self, schema: str, name: str) -> list[str]:
        if not self.relation_exists(schema, name):
            return []
        return [c.name for c in self.spark.catalog.listColumns(f"{schema}.{name}")]

    def schemas(self) -> list[str]:
        return [d.name for d in self.spark.catalog.listDatabases()]

    def write_table(self, relation: str, data: pa.Table, *, temporary: bool = False) -> None:
        """Through Parquet and Spark's own reader, so types map the way Spark maps them."""
        staging = self.folder / "_incoming" / f"{relation}-{os.getpid()}.parquet"
        staging.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(_utc_timestamps(data), staging)
        try:
            frame = self.spark.read.parquet(str(staging))
            if temporary:
                frame.cache().createOrReplaceTempView(relation.split(".")[-1])
                frame.count()  # materialise before the file goes
            else:
                frame.write.mode("overwrite").format("parquet").saveAsTable(relation)
        finally:
            if not temporary:
                staging.unlink(missing_ok=True)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with nullcontext():
            yield

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        with file_lock(self.folder, name) as held:
            yield held

    def close(self) -> None:
        """The session stays: dbt in this process shares it, and starting one takes seconds."""
