"""Export files written by hand for the loader tests, and a snapshot of everything a load owns."""

from __future__ import annotations

from pathlib import Path

import duckdb

from cdp.load.staging import TABLES
from cdp.load.tables import RAW_TABLES

TABLE = {t.name: t for t in RAW_TABLES}


def csv_line(table: str, **values: str) -> str:
    row = dict.fromkeys(TABLE[table].columns, "")
    row.update(values)
    return ",".join(row[c] for c in TABLE[table].columns)


def csv_header(table: str) -> str:
    return ",".join(TABLE[table].columns)


def write(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every table a load publishes, sorted, and the names of the published tables in `raw`
    (a killed load's staging tables, `_loading__*`, are not published: the next load drops
    them)."""
    with duckdb.connect(str(db), read_only=True) as con:
        state = {name: sorted(con.execute(f'select * from raw."{name}"').fetchall(), key=repr)
                 for name in TABLES}
        state["tables"] = sorted(con.execute(
            "select table_name from duckdb_tables() where schema_name = 'raw'"
            " and not starts_with(table_name, '_loading__')").fetchall())
    return state


def staging_tables(db: Path) -> list[str]:
    return [t for (t,) in rows(db, "select table_name from duckdb_tables()"
                                   " where starts_with(table_name, '_loading__')")]
