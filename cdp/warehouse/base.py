"""The one warehouse interface every step outside dbt uses (loader, CLV, syncs, reports).

SQL outside dbt is written once, in DuckDB's dialect, and transpiled by sqlglot for the
active engine (cached per statement); `?` placeholders become each driver's own. What sqlglot
cannot express (bulk loading, locks, catalog lookups) is a method each engine implements in
its own small module.
"""

from __future__ import annotations

import fcntl
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import sqlglot
from sqlglot import exp
from sqlglot.dialects.duckdb import DuckDB
from sqlglot.tokens import TokenType


class WarehouseNotBuilt(RuntimeError):
    """The warehouse, or a table a step needs, does not exist yet."""


class WarehouseLocked(WarehouseNotBuilt):
    """A program outside the CDP holds the warehouse (the message names it). A kind of
    "not available": every report that copes with a missing warehouse prints its one line."""


_MARKER = re.compile(r"__cdp_param_(\d+)__")
# How each driver spells a positional parameter, and a literal percent sign next to them.
_PLACEHOLDER = {"duckdb": "?", "postgres": "%s", "spark": "?"}
_PERCENT = {"postgres": "%%"}


@lru_cache(maxsize=2048)
def _marked(sql: str, dialect: str) -> str:
    """Transpile with each `?` first renamed to a numbered marker, so that placeholders
    survive any reordering (and a literal `%` can be told from a driver's placeholder)."""
    tokens = DuckDB().tokenize(sql)
    spans = [(t.start, t.end) for t in tokens if t.token_type == TokenType.PLACEHOLDER]
    for number, (start, end) in reversed(list(enumerate(spans))):
        sql = f"{sql[:start]}__cdp_param_{number}__{sql[end + 1:]}"
    return ";\n".join(_for_dialect(tree, dialect).sql(dialect)
                      for tree in sqlglot.parse(sql, read="duckdb") if tree is not None)


def _for_dialect(tree: exp.Expression, dialect: str) -> exp.Expression:
    """Where sqlglot's translation would fail on PostgreSQL 14/15: it hashes bytes, not text,
    so `sha256(text)` hashes the text's UTF-8 bytes (the same hex digest as DuckDB's); and
    `json_object(k: v)` is 16+ syntax, so it becomes `json_build_object(k, v)` as text, each
    value through `cdp_json_value` (`postgres_engine`), which writes timestamps as DuckDB does."""
    if dialect != "postgres":
        return tree

    def fix(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.SHA2) and node.text("length") in ("", "256"):
            utf8 = exp.func("convert_to", node.this, exp.Literal.string("UTF8"))
            return exp.func("encode", exp.func("sha256", utf8), exp.Literal.string("hex"))
        if isinstance(node, exp.JSONObject):
            pairs = [part for pair in node.expressions for part in (
                pair.this, _json_value(pair.expression))]
            return exp.cast(exp.func("json_build_object", *pairs), "text")
        return node

    return tree.transform(fix)


def _json_value(value: exp.Expression) -> exp.Expression:
    call = sqlglot.parse_one("pg_temp.cdp_json_value(x)", read="postgres")
    call.find(exp.Column).replace(value.copy())
    return call


def bound(sql: str, params: Sequence, dialect: str) -> tuple[str, list]:
    """`sql` (DuckDB dialect, positional `?`) as `dialect` SQL with its params in order."""
    if dialect == "duckdb":
        return sql, list(params)
    text = _marked(sql, dialect).replace("%", _PERCENT.get(dialect, "%"))
    order = [int(n) for n in _MARKER.findall(text)]
    return _MARKER.sub(lambda _: _PLACEHOLDER[dialect], text), [params[i] for i in order]


def transpiled(sql: str, dialect: str) -> str:
    """Parameterless `sql` (DuckDB dialect) as `dialect` SQL, to run without parameters."""
    return sql if dialect == "duckdb" else _marked(sql, dialect)


class Result:
    """Rows of one statement, the same on every engine (DB-API style, plus `df`)."""

    def __init__(self, columns: Sequence[str], rows: list[tuple]):
        self.columns = list(columns)
        self._rows = rows
        self._next = 0

    def fetchall(self) -> list[tuple]:
        rest, self._next = self._rows[self._next:], len(self._rows)
        return rest

    def fetchone(self) -> tuple | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchmany(self, size: int) -> list[tuple]:
        chunk = self._rows[self._next:self._next + size]
        self._next += len(chunk)
        return chunk

    def df(self) -> pd.DataFrame:
        return pd.DataFrame.from_records(self.fetchall(), columns=self.columns)


class Warehouse(ABC):
    """A connection to the active target. Use as a context manager (closes on exit)."""

    dialect: str

    def execute(self, sql: str, params: Sequence = ()) -> Result:
        """Run one DuckDB-dialect statement (transpiled here) with positional `?` params."""
        return self._run(*bound(sql, params, self.dialect))

    def executemany(self, sql: str, rows: Sequence[Sequence]) -> None:
        for row in rows:
            self._run(*bound(sql, row, self.dialect))

    def query(self, sql: str, params: Sequence = ()) -> list[tuple]:
        return self.execute(sql, params).fetchall()

    def query_native(self, sql: str) -> list[tuple]:
        """Rows of `sql` written in this engine's own dialect, without parameters: text that
        was rendered for each engine elsewhere (the audience rules dbt runs, say)."""
        return self._run(sql, None).fetchall()

    def sql(self, sql: str) -> str:
        """`sql` in this engine's dialect (for statements built around engine-neutral text)."""
        return transpiled(sql, self.dialect)

    @abstractmethod
    def _run(self, sql: str, params: list | None) -> Result:
        """Run engine-dialect `sql`; params None: the text is not scanned for placeholders."""

    @abstractmethod
    def relation_exists(self, schema: str, name: str) -> bool: ...

    @abstractmethod
    def columns(self, schema: str, name: str) -> list[str]:
        """Column names in table order; [] when the relation does not exist."""

    @abstractmethod
    def schemas(self) -> list[str]: ...

    @abstractmethod
    def write_table(self, relation: str, data: pa.Table, *, temporary: bool = False) -> None:
        """Create (or replace) `relation` holding `data` (a temp table when `temporary`)."""

    def append(self, relation: str, data: pa.Table) -> None:
        """Add `data` (columns by name) to the existing table `relation`."""
        columns = ", ".join(f'"{name}"' for name in data.column_names)
        with self.transaction():
            self.write_table("_cdp_appended", data, temporary=True)
            self.execute(f"insert into {relation} ({columns}) select {columns}"
                         " from _cdp_appended")
            self.execute("drop table _cdp_appended")

    def delete_rows(self, relation: str, where: str, params: Sequence = ()) -> int:
        """Delete the rows of `relation` matching `where` (DuckDB dialect, `?` params, no
        reference to the table by name); returns how many there were."""
        [(count,)] = self.query(f"select count(*) from {relation} where {where}", params)
        if count:
            self.execute(f"delete from {relation} where {where}", params)
        return count

    @abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Statements inside commit together (engines without transactions: best effort)."""

    @abstractmethod
    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """Hold the named lock, shared by every process on this warehouse; yields False
        (without waiting) when another holder has it."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


@contextmanager
def file_lock(folder: Path, name: str) -> Iterator[bool]:
    """A named lock as a lock file under `folder`/.sync-locks: yields False when taken
    (without waiting); the kernel releases it when the holding process dies."""
    locks = Path(folder) / ".sync-locks"
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / f"{name}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
