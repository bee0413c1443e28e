"""Land raw export files in the warehouse's `raw` schema, keeping every line accounted for.

Each raw table gets the file's columns (text for CSV/JSONL, typed for Parquet) plus lineage
columns (`_source_file`, `_source_row`, `_loaded_at`). Lines the CSV reader cannot split into
the header's columns go to `raw._load_errors` with the line text and the reader's message, and
every loaded file is recorded in `raw._loaded_files`, so "rows in the file" always equals
"rows in raw + rows in load errors".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from cdp.load.readers import BadLine, stage_file
from cdp.load.tables import LINEAGE_COLUMNS, RAW_TABLES, RawTable

RAW_SCHEMA = "raw"


class LoadError(RuntimeError):
    """A raw file cannot be loaded as it is (wrong header, unreadable format)."""


@dataclass
class TableLoad:
    table: str
    files: list[str] = field(default_factory=list)
    rows: int = 0
    bad_lines: int = 0


def _ddl(columns: dict[str, str]) -> str:
    return ", ".join(f'"{name}" {dtype}' for name, dtype in columns.items())


def _create_bookkeeping(con: duckdb.DuckDBPyConnection, replace: bool) -> None:
    verb = "create or replace table" if replace else "create table if not exists"
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    con.execute(
        f"{verb} {RAW_SCHEMA}._load_errors (source_table varchar, source_file varchar,"
        " source_row bigint, error_type varchar, error_message varchar, raw_line varchar,"
        " _loaded_at timestamp)"
    )
    con.execute(
        f"{verb} {RAW_SCHEMA}._loaded_files (source_table varchar, source_file varchar,"
        " size_bytes bigint, modified_at timestamp, rows_loaded bigint, bad_lines bigint,"
        " _loaded_at timestamp)"
    )


def _check_columns(con: duckdb.DuckDBPyConnection, scratch: str, table: RawTable, rel: str) -> None:
    found = [row[0] for row in con.execute(f"describe {scratch}").fetchall()]
    missing = [c for c in table.columns if c not in found]
    if missing:
        raise LoadError(
            f"{rel}: expected columns {missing} are missing for raw.{table.name}"
            f" (found {found[:-1]}); see docs/raw_sources.md for the file contract"
        )


def _already_loaded(con: duckdb.DuckDBPyConnection, table: RawTable) -> set[tuple]:
    return set(
        con.execute(
            f"select source_file, size_bytes, modified_at from {RAW_SCHEMA}._loaded_files"
            " where source_table = ?",
            [table.name],
        ).fetchall()
    )


def _load_file(
    con: duckdb.DuckDBPyConnection, table: RawTable, path: Path, rel: str, loaded_at: datetime
) -> tuple[int, list[BadLine]]:
    scratch = f"_scan_{table.name}"
    try:
        bad = stage_file(con, path, table, scratch)
    except duckdb.Error as exc:
        raise LoadError(f"{rel}: cannot be read as {table.file_format}: {exc}") from exc
    _check_columns(con, scratch, table, rel)
    columns = ", ".join(f'"{c}"' for c in table.columns)
    (rows,) = con.execute(f"select count(*) from {scratch}").fetchone()
    con.execute(
        f"insert into {RAW_SCHEMA}.{table.name} select {columns}, ? as _source_file,"
        f" _source_row, ? as _loaded_at from {scratch} order by _source_row",
        [rel, loaded_at],
    )
    for b in bad:
        con.execute(
            f"insert into {RAW_SCHEMA}._load_errors values (?, ?, ?, ?, ?, ?, ?)",
            [table.name, rel, b.source_row, b.error_type, b.error_message, b.raw_line, loaded_at],
        )
    con.execute(f"drop table {scratch}")
    return rows, bad


def load_raw(
    input_dir: Path, duckdb_path: Path, *, incremental: bool = False, on_file=None
) -> list[TableLoad]:
    """Load every raw file under `input_dir` into `raw.*` of the DuckDB file at `duckdb_path`.

    Default mode rebuilds the raw tables from the files present. `incremental` appends only
    files not loaded before (same relative path, size and modification time), which is how a
    file-arrival sensor feeds new exports without reloading history.
    """
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        raise LoadError(f"input folder {input_dir} does not exist; run `cdp generate` first")
    duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    loaded_at = datetime.now(UTC).replace(tzinfo=None)
    reports = []
    with duckdb.connect(str(duckdb_path)) as con:
        _create_bookkeeping(con, replace=not incremental)
        for table in RAW_TABLES:
            verb = "create table if not exists" if incremental else "create or replace table"
            con.execute(
                f"{verb} {RAW_SCHEMA}.{table.name} ({_ddl({**table.columns, **LINEAGE_COLUMNS})})"
            )
            done = _already_loaded(con, table) if incremental else set()
            report = TableLoad(table.name)
            for path in sorted(input_dir.glob(table.pattern)):
                rel = path.relative_to(input_dir).as_posix()
                stat = path.stat()
                modified = datetime.fromtimestamp(stat.st_mtime, UTC).replace(tzinfo=None)
                if (rel, stat.st_size, modified) in done:
                    continue
                rows, bad = _load_file(con, table, path, rel, loaded_at)
                con.execute(
                    f"insert into {RAW_SCHEMA}._loaded_files values (?, ?, ?, ?, ?, ?, ?)",
                    [table.name, rel, stat.st_size, modified, rows, len(bad), loaded_at],
                )
                report.files.append(rel)
                report.rows += rows
                report.bad_lines += len(bad)
                if on_file:
                    on_file(table, rel, rows, len(bad))
            reports.append(report)
    return reports
