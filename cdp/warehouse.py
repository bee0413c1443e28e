"""Read-only access to the embedded DuckDB warehouse for the CLI's reports."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


class WarehouseNotBuilt(RuntimeError):
    """The warehouse file or a table a report needs does not exist yet."""


@contextmanager
def read_only(duckdb_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection; WarehouseNotBuilt when the file (or a table used) is missing."""
    if not Path(duckdb_path).exists():
        raise WarehouseNotBuilt(f"no warehouse at {duckdb_path}: run `cdp run` first")
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        try:
            yield con
        except duckdb.CatalogException as exc:
            raise WarehouseNotBuilt(
                f"{exc.args[0].splitlines()[0]}: build the project first (`cdp build`)"
            ) from exc


def query(duckdb_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of `sql` on the warehouse (see `read_only`)."""
    with read_only(duckdb_path) as con:
        return con.execute(sql, params or []).fetchall()
