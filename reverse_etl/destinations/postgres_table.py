"""PostgreSQL table: records become rows keyed by `key_column`, one transaction per batch.

Fields are nullable `text` columns added on demand, so any mapping lands without a migration
and any value round-trips (containers as JSON; cast in a view for types); `_synced_at` is the
last write. The table is created on first use (the schema must exist). The password comes
only from the env var `password_env` names. A row the database refuses (a CHECK, a NUL byte)
is isolated by halving and rejected; connection loss, serialization failures and shutdowns
are TransientError; anything else fails the sync.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import psycopg
from psycopg import sql

from cdp.definition_files import IDENTIFIER
from reverse_etl.destinations.base import (
    MODES,
    BatchResult,
    Capabilities,
    ConfigError,
    Destination,
    Record,
    require_keys,
)
from reverse_etl.destinations.secrets import secret_from_env
from reverse_etl.errors import PermanentError, TransientError
from reverse_etl.transport import send_with_bisection

SYNCED_AT = "_synced_at"
# libpq reports refused logins without an SQLSTATE: recognise the ones no retry can fix.
FATAL_CONNECT = re.compile(r"password authentication failed|pg_hba\.conf|does not exist")


class RowRefused(PermanentError):
    """The database refused a batch for (at least) one of its rows: worth splitting."""


def check_identifier(what: str, name: Any) -> str:
    """Only lower_snake_case names: no quoting surprises, no injection through sync YAML."""
    if not isinstance(name, str) or not IDENTIFIER.fullmatch(name):
        raise ConfigError(f"postgres_table destination: {what} {name!r} is not a lower_snake_case "
                          "identifier (a-z, 0-9, _; at most 63 characters)")
    return name


def as_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, date):  # and datetime
        return value.isoformat()
    return None if value is None else str(value)


class PostgresTableDestination(Destination):
    kind = "postgres_table"
    # One statement per batch (one array parameter per column): 5,000 rows stay a short write.
    capabilities = Capabilities(batch_size=5000, modes=MODES, personal_data=True)

    def __init__(self, sync_name: str, mode: str, config: dict) -> None:
        super().__init__(sync_name, mode)
        require_keys(self.kind, config, {"host", "dbname", "user", "password_env", "table"},
                     {"port", "schema", "key_column"})
        self.schema = check_identifier("schema", config.get("schema", "public"))
        self.table = check_identifier("table", config["table"])
        self.key = check_identifier("key_column", config.get("key_column", "record_key"))
        if self.key == SYNCED_AT:
            raise ConfigError(f"{self.kind} destination: key_column cannot be {SYNCED_AT}")
        if not str(port := config.get("port", 5432)).isdigit():
            raise ConfigError(f"{self.kind} destination: port must be a number, not {port!r}")
        self.connect_args = {
            "host": str(config["host"]), "port": int(port), "dbname": str(config["dbname"]),
            "user": str(config["user"]),
            "password": secret_from_env(self.kind, config["password_env"]),
            "application_name": f"cdp-reverse-etl:{sync_name}"[:63], "connect_timeout": 10}
        self.target = sql.Identifier(self.schema, self.table)
        self.conn: psycopg.Connection | None = None
        self.columns: set[str] | None = None  # known columns, read once per connection

    def upsert(self, records: list[Record]) -> BatchResult:
        latest = {r.key: r for r in records}  # one row per key: ON CONFLICT needs it
        fields = {name for r in latest.values() for name in r.fields}
        for name in fields:
            if check_identifier("field", name) in (self.key, SYNCED_AT):  # also a bad key
                raise ConfigError(f"{self.kind} destination: field {name!r} clashes with the "
                                  "key column or _synced_at")
        self._ensure_columns(fields)
        return self._send(list(latest.values()), self._write,
                          strict=self.mode in ("insert", "update"))

    def remove(self, records: list[Record]) -> BatchResult:
        self._ensure_columns(set())
        delete = sql.SQL("delete from {} where {k} = any(%s) returning {k}").format(
            self.target, k=sql.Identifier(self.key))  # absent keys count as removed too
        return self._send(records, lambda batch: self._run([(delete, [[r.key for r in batch]])]),
                          strict=False)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn, self.columns = None, None  # a new connection re-reads the columns

    def _send(self, records: list[Record], write, *, strict: bool) -> BatchResult:
        """Send with bisection; with `strict`, keys the statement skipped are rejected."""
        result = BatchResult()
        absent = ("already exists (insert mode)" if self.mode == "insert"
                  else "not found (update mode)")  # rows the statement skipped
        for sent in send_with_bisection(
                records, write, is_fatal=lambda e: not isinstance(e, RowRefused),
                on_rejected=lambda record, why: result.rejected.update({record.key: why})):
            for record in sent.items:
                if not strict or record.key in sent.result:
                    result.accepted.append(record.key)
                else:
                    result.rejected[record.key] = absent
        return result

    def _write(self, batch: list[Record]) -> set[str]:
        """Write rows grouped by field set (absent fields stay untouched); the keys written."""
        groups: dict[tuple[str, ...], list[Record]] = {}
        for record in batch:
            groups.setdefault(tuple(sorted(record.fields)), []).append(record)
        return self._run([self._statement(names, rows) for names, rows in groups.items()])

    def _statement(self, names: tuple[str, ...], rows: list[Record]) -> tuple[sql.Composed, list]:
        cols = [sql.Identifier(n) for n in names]
        key, synced = sql.Identifier(self.key), sql.Identifier(SYNCED_AT)
        arrays = [[r.key for r in rows]] + [[as_text(r.fields[n]) for r in rows] for n in names]
        source = sql.SQL("unnest({}) as u({})").format(
            sql.SQL(", ").join(sql.SQL("%s::text[]") for _ in arrays),
            sql.SQL(", ").join([key, *cols]))
        if self.mode == "update":
            sets = sql.SQL(", ").join([*(sql.SQL("{0} = u.{0}").format(c) for c in cols),
                                       sql.SQL("{} = now()").format(synced)])
            return sql.SQL("update {t} set {s} from {u} where {t}.{k} = u.{k} returning {t}.{k}"
                           ).format(t=self.target, s=sets, u=source, k=key), arrays
        on_conflict = sql.SQL("do nothing") if self.mode == "insert" else sql.SQL(
            "do update set {}").format(sql.SQL(", ").join(
                sql.SQL("{0} = excluded.{0}").format(c) for c in [*cols, synced]))
        statement = sql.SQL("insert into {t} ({c}) select {c0}, now() from {u} "
                            "on conflict ({k}) {oc} returning {k}").format(
            t=self.target, c=sql.SQL(", ").join([key, *cols, synced]),
            c0=sql.SQL(", ").join([key, *cols]), u=source, k=key, oc=on_conflict)
        return statement, arrays

    def _run(self, statements: list) -> set[str]:
        """Run statements in one transaction; the keys their `returning` clauses gave."""
        keys: set[str] = set()
        with self._errors(), self._connection().transaction(), self.conn.cursor() as cursor:
            for statement, params in statements:
                keys.update(row[0] for row in cursor.execute(statement, params))
        return keys

    def _ensure_columns(self, fields: set[str]) -> None:
        """Create the table once, then add a text column per new field (each autocommitted)."""
        with self._errors():
            conn = self._connection()
            if self.columns is None:
                conn.execute(sql.SQL("create table if not exists {} ({} text primary key, {} "
                                     "timestamptz)").format(
                    self.target, sql.Identifier(self.key), sql.Identifier(SYNCED_AT)))
                self.columns = {row[0] for row in conn.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = %s and table_name = %s", (self.schema, self.table))}
            for name in sorted(fields - self.columns):
                conn.execute(sql.SQL("alter table {} add column if not exists {} text").format(
                    self.target, sql.Identifier(name)))
                self.columns.add(name)

    def _connection(self) -> psycopg.Connection:
        if self.conn is None or self.conn.closed:
            self.conn = psycopg.connect(autocommit=True, **self.connect_args)
        return self.conn

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Map database errors onto the engine's: transient, per-row, or fatal."""
        where = f"{self.kind} {self.schema}.{self.table}"
        try:
            yield
        except (psycopg.IntegrityError, psycopg.DataError) as error:
            raise RowRefused(f"{where}: {str(error).splitlines()[0]}") from error
        except (psycopg.OperationalError, psycopg.InterfaceError) as error:
            self.close()
            if FATAL_CONNECT.search(str(error)) or (error.sqlstate or "").startswith("28"):
                raise PermanentError(f"{where}: {error}") from error  # retrying cannot help
            raise TransientError(f"{where}: {error}") from error
        except psycopg.Error as error:
            raise PermanentError(f"{where}: {error}") from error
