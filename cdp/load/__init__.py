"""Land raw export files in the warehouse's `raw` schema, keeping every line accounted for.

Each raw table gets the file's columns (text for CSV/JSONL, typed for Parquet) plus lineage
columns (`_source_file`, `_source_row`, `_loaded_at`). Lines the CSV reader cannot split into
the header's columns go to `raw._load_errors` with the line text and the reader's message, and
every loaded file is recorded in `raw._loaded_files`, so "rows in the file" always equals
"rows in raw + rows in load errors".

A load is atomic (cdp/load/staging.py): a file that cannot be loaded at all raises one
`LoadError` line naming it, and the raw tables and bookkeeping stay exactly as they were.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from cdp.load.columns import select_list
from cdp.load.errors import LoadError, reason
from cdp.load.publish import discard_leftovers, load_stamp, loaded_before, publish
from cdp.load.readers import BadLine, is_empty_export, stage_file
from cdp.load.staging import LOAD_ERRORS, LOADED_FILES, Staging
from cdp.load.tables import RAW_TABLES, RawTable
from cdp.warehouse import open_warehouse
from cdp.warehouse.duckdb_engine import DuckDBWarehouse
from cdp.warehouse.duckdb_limits import limits
from cdp.warehouse.schemas import RAW

__all__ = ["LoadError", "TableLoad", "load_raw"]


@dataclass
class TableLoad:
    table: str
    files: list[str] = field(default_factory=list)
    rows: int = 0
    bad_lines: int = 0


def _stage_file(con: duckdb.DuckDBPyConnection, table: RawTable, path: Path, rel: str,
                loaded_at: datetime) -> tuple[int, list[BadLine]]:
    """Append one file's rows and unreadable lines to the staging tables."""
    if is_empty_export(path, table):
        return 0, []
    scratch = f"_scan_{table.name}"
    try:
        bad = stage_file(con, path, rel, table, scratch)
    except duckdb.Error as exc:
        raise LoadError(f"{rel}: cannot be read as {table.file_format} for {RAW}.{table.name}:"
                        f" {reason(exc)}") from exc
    columns = select_list(con, scratch, table, rel)
    (rows,) = con.execute(f"select count(*) from {scratch}").fetchone()
    try:
        con.execute(
            f"insert into {Staging.name(table.name)} select {columns}, ? as _source_file,"
            f" _source_row, ? as _loaded_at from {scratch}",
            [rel, loaded_at],
        )
    except duckdb.Error as exc:
        raise LoadError(f"{rel}: cannot be loaded into {RAW}.{table.name}: {reason(exc)}") from exc
    if bad:
        con.executemany(
            f"insert into {Staging.name(LOAD_ERRORS)} values (?, ?, ?, ?, ?, ?, ?)",
            [[table.name, rel, b.source_row, b.error_type, b.error_message, b.raw_line,
              loaded_at] for b in bad],
        )
    con.execute(f"drop table {scratch}")
    return rows, bad


def _stage_table(staging: Staging, table: RawTable, input_dir: Path, loaded_at: datetime,
                 on_file, done: set[tuple]) -> TableLoad:
    report = TableLoad(table.name)
    for path in sorted(p for p in input_dir.glob(table.pattern) if p.is_file()):
        rel = path.relative_to(input_dir).as_posix()
        try:
            stat = path.stat()
            modified = datetime.fromtimestamp(stat.st_mtime, UTC).replace(tzinfo=None)
            if (rel, stat.st_size, modified) in done:
                continue
            rows, bad = _stage_file(staging.con, table, path, rel, loaded_at)
        except OSError as exc:
            raise LoadError(f"{rel}: cannot be read for {RAW}.{table.name}:"
                            f" {exc.strerror or reason(exc)}") from exc
        staging.con.execute(
            f"insert into {Staging.name(LOADED_FILES)} values (?, ?, ?, ?, ?, ?, ?)",
            [table.name, rel, stat.st_size, modified, rows, len(bad), loaded_at],
        )
        report.files.append(rel)
        report.rows += rows
        report.bad_lines += len(bad)
        if on_file:
            on_file(table, rel, rows, len(bad))
    return report


def load_raw(input_dir: Path, duckdb_path: Path | None = None, *, incremental: bool = False,
             on_file=None) -> list[TableLoad]:
    """Load every raw file under `input_dir` into `raw.*` of the active warehouse.

    Default mode rebuilds the raw tables from the files present. `incremental` appends only
    files not loaded before (same relative path, size and modification time), which is how a
    file-arrival sensor feeds new exports without reloading history. Either way all files are
    published together or, on a `LoadError`, none (`on_file` reports files as they are staged).
    `duckdb_path` loads into that DuckDB file instead (tools, tests). On DuckDB, hold
    `cdp.warehouse.writing` around it.
    """
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        what = "is not a folder" if input_dir.exists() else "does not exist"
        raise LoadError(f"input folder {input_dir} {what}; run `cdp generate` first")
    with open_warehouse(duckdb_path=duckdb_path) as warehouse:
        loaded_at = load_stamp(warehouse)
        embedded = isinstance(warehouse, DuckDBWarehouse)
        # Files are always parsed by DuckDB: in the warehouse itself when it is the embedded
        # file, else in a scratch in-memory database published to the server afterwards.
        con = warehouse.con if embedded else duckdb.connect(config=limits())
        staging = Staging(con, incremental=incremental)
        done = loaded_before(warehouse) if incremental else {}
        try:
            reports = [_stage_table(staging, table, input_dir, loaded_at, on_file,
                                    done.get(table.name, set())) for table in RAW_TABLES]
            if embedded:
                staging.publish()
            else:
                discard_leftovers(warehouse)
                publish(staging, warehouse)
        except BaseException:
            with suppress(duckdb.Error):  # else the next load drops the leftovers first
                staging.abandon()
            raise
        finally:
            if not embedded:
                con.close()
    return reports
