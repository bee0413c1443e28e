"""Find where a sentinel value ended up: in the bytes of every file under a folder, and in
every cell of every table of a DuckDB warehouse.

A byte search of the `.duckdb` file is not enough: DuckDB compresses strings (dictionary,
FSST), so a value stored in a table need not appear in the file as written. Tables are
therefore queried, each row cast to text as a whole, which also reaches strings nested in
lists, structs, maps and JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb


def files_containing(roots: Iterable[Path], needles: Iterable[str]) -> dict[str, list[Path]]:
    """Needle -> the files (recursively, symlinks not followed) whose bytes contain it."""
    wanted = {needle: needle.encode() for needle in needles}
    found: dict[str, list[Path]] = {}
    for root in roots:
        for path in sorted(Path(root).rglob("*")):
            if path.is_symlink() or not path.is_file():
                continue
            data = path.read_bytes()
            for needle, raw in wanted.items():
                if raw in data:
                    found.setdefault(needle, []).append(path)
    return found


def tables_containing(duckdb_path: Path, needles: Iterable[str],
                      schemas: Iterable[str] | None = None,
                      ignore_case: bool = False) -> dict[str, list[str]]:
    """Needle -> `schema.table` of every table (and the SQL of every view) holding it in a
    cell; `schemas` limits the search (all of them when None)."""
    needles = list(needles)
    fold = "lower" if ignore_case else ""
    found: dict[str, list[str]] = {}
    with duckdb.connect(str(duckdb_path), read_only=True) as con:
        tables = con.execute("select schema_name, table_name from duckdb_tables()"
                             " where not internal order by all").fetchall()
        views = con.execute("select schema_name, view_name, sql from duckdb_views()"
                            " where not internal").fetchall()
        for schema, table in tables:
            if schemas is not None and schema not in schemas:
                continue
            relation = f'"{schema}"."{table}"'
            for needle in needles:
                # `row` is the whole row as a struct; as text it spells every cell.
                [(hits,)] = con.execute(
                    f"select count(*) from (select src as row from {relation} as src)"
                    f" where contains({fold}(cast(row as varchar)), {fold}(?))",
                    [needle]).fetchall()
                if hits:
                    found.setdefault(needle, []).append(f"{schema}.{table}")
        for schema, view, sql in views:
            for needle in needles:
                text = (sql or "").lower() if ignore_case else sql or ""
                if (schemas is None or schema in schemas) and (
                        needle.lower() if ignore_case else needle) in text:
                    found.setdefault(needle, []).append(f"{schema}.{view} (view SQL)")
    return found
