"""The columns a staged file must have, and the conversions that make its values fit the table.

CSV and JSON lines are text by construction. Parquet carries its producer's types, which need
not be the contract's: a string column written as binary, an id written as an integer, an
epoch written as a double because pandas had a null in it. Text columns take any value as its
text (the raw tier is text; staging checks it). A typed column takes only values that convert
without loss; anything else is one error naming the file, the column, the type found and the
type expected, instead of a cast failure in the middle of the insert that names no file.
"""

from __future__ import annotations

import duckdb

from cdp.load.errors import LoadError
from cdp.load.tables import RawTable
from cdp.warehouse.schemas import RAW

_INTEGERS = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
             "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"}
_FRACTIONAL = {"FLOAT", "DOUBLE"}
_CONTRACT = "see docs/raw_sources.md for the file contract"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def select_list(con: duckdb.DuckDBPyConnection, scratch: str, table: RawTable, rel: str) -> str:
    """SQL select list giving `table`'s columns, in order, from the staged file `scratch`."""
    found = {row[0]: row[1] for row in con.execute(f"describe {scratch}").fetchall()}
    found.pop("_source_row", None)
    missing = [c for c in table.columns if c not in found]
    if missing:
        raise LoadError(
            f"{rel}: expected columns {missing} are missing for {RAW}.{table.name}"
            f" (found {list(found)}); {_CONTRACT}"
        )
    return ", ".join(
        _converted(con, scratch, table, rel, name, found[name], expected)
        for name, expected in table.columns.items()
    )


def _converted(con: duckdb.DuckDBPyConnection, scratch: str, table: RawTable, rel: str,
               name: str, found: str, expected: str) -> str:
    column = _quoted(name)
    if found == expected:
        return column
    if expected == "VARCHAR" and found != "BLOB":
        return f"cast({column} as varchar) as {column}"  # every type has a text form
    if expected == "VARCHAR":  # binary strings: only UTF-8 bytes are text
        expr, lossy = f"decode({column})", "false"
    elif expected == "BIGINT" and found in _INTEGERS:
        expr, lossy = f"cast({column} as bigint)", "false"
    elif expected == "BIGINT" and (found in _FRACTIONAL or found.startswith("DECIMAL")):
        expr, lossy = f"cast({column} as bigint)", f"{column} <> trunc({column})"
    else:
        raise LoadError(
            f"{rel}: column {name} is {found}, {RAW}.{table.name} expects {expected}; {_CONTRACT}"
        )
    # A row number, never the value: values are customer data and this line goes to logs.
    (bad, first) = con.execute(
        f"select count(*), min(_source_row) from {scratch}"
        f" where {column} is not null and (try({expr}) is null or {lossy})"
    ).fetchone()
    if bad:
        raise LoadError(
            f"{rel}: column {name} is {found} and {bad} value(s) (first at row {first}) do not"
            f" fit {expected} of {RAW}.{table.name}; {_CONTRACT}"
        )
    return f"{expr} as {column}"
