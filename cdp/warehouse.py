"""Read-only access to the embedded DuckDB warehouse for the CLI's reports."""

from __future__ import annotations

from pathlib import Path

import duckdb


class WarehouseNotBuilt(RuntimeError):
    """The warehouse file or a table a report needs does not exist yet."""


def query(duckdb_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of `sql` on the warehouse; WarehouseNotBuilt when it (or a table) is missing."""
    if not Path(duckdb_path).exists():
        raise WarehouseNotBuilt(f"no warehouse at {duckdb_path}: run `cdp run` first")
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        try:
            return con.execute(sql, params or []).fetchall()
        except duckdb.CatalogException as exc:
            raise WarehouseNotBuilt(
                f"{exc.args[0].splitlines()[0]}: build the project first (`cdp build`)"
            ) from exc
