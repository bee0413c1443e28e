"""The privacy schema: forget requests and what became of them, as append-only tables.

Nothing here ever holds an identifier in clear. A request is kept as the salted hashes of the
forms its identifier may take (`request_identifiers`); an erased person's identifiers become
salted hashes in `suppressions`, which staging uses to keep a re-import out; progress is a log
of events (`request_events`). Append-only, so the same code runs on Parquet (Spark), and a kill
leaves whole rows or none.

The salt is one random value made on first use and kept in the warehouse: it makes the hashes
useless outside this warehouse (no precomputed tables), it is not a secret (DECISIONLOG).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

import pyarrow as pa

from cdp.warehouse import Warehouse
from cdp.warehouse.schemas import PRIVACY

TEXT, TIME = pa.string(), pa.timestamp("us")
TABLES = {
    # One row per request: no identifier value, only its declared type (null: any type).
    "deletion_requests": pa.schema([
        ("request_id", TEXT), ("id_type", TEXT), ("requested_at", TIME),
        ("received_at", TIME), ("origin", TEXT)]),
    # The salted hash of every form the request's identifier may take, per identifier type.
    "request_identifiers": pa.schema([
        ("request_id", TEXT), ("id_type", TEXT), ("identifier_hash", TEXT)]),
    # Identifiers of erased persons: records carrying one are kept out of staging.
    "suppressions": pa.schema([
        ("request_id", TEXT), ("id_type", TEXT), ("identifier_hash", TEXT),
        ("added_at", TIME)]),
    # resolved (row_count: persons found) | erased (row_count: raw rows purged) |
    # delivery_required, delivery_confirmed (sync_name; subject_hash: the salted hash of the
    # person id) | withdrawn
    "request_events": pa.schema([
        ("request_id", TEXT), ("event", TEXT), ("sync_name", TEXT), ("subject_hash", TEXT),
        ("row_count", pa.int64()), ("event_at", TIME)]),
    "salt": pa.schema([("salt", TEXT)]),
}


def now() -> datetime:
    """UTC, naive: the timestamp convention of every table of the project."""
    return datetime.now(UTC).replace(tzinfo=None)


def ensure_tables(warehouse: Warehouse) -> None:
    """Create what is missing (empty); never touches rows."""
    warehouse.execute(f"create schema if not exists {PRIVACY}")
    for name, schema in TABLES.items():
        if not warehouse.relation_exists(str(PRIVACY), name):
            warehouse.write_table(f"{PRIVACY}.{name}", schema.empty_table())


def salt(warehouse: Warehouse) -> str:
    """This warehouse's salt, made on first use."""
    ensure_tables(warehouse)
    rows = warehouse.query(f"select salt from {PRIVACY}.salt order by salt limit 1")
    if rows:
        return rows[0][0]
    value = secrets.token_hex(16)
    append(warehouse, "salt", [{"salt": value}])
    return value


def identifier_hash(salt_value: str, id_type: str, value: str) -> str:
    """The salted hash of an identifier in matching form; the SQL twin is the
    `erasure_hash` macro (and `hash_sql` here), which must give the same hex digest."""
    return hashlib.sha256(f"{salt_value}|{id_type}|{value}".encode()).hexdigest()


def hash_sql(type_sql: str, value_sql: str) -> str:
    """`identifier_hash` as DuckDB-dialect SQL over columns, the salt a `?` parameter."""
    return f"sha256(? || '|' || {type_sql} || '|' || {value_sql})"


def append(warehouse: Warehouse, table: str, rows: list[dict]) -> None:
    if rows:
        warehouse.append(f"{PRIVACY}.{table}", pa.Table.from_pylist(rows, TABLES[table]))


def event(request_id: str, name: str, *, sync_name: str | None = None,
          subject_hash: str | None = None, rows: int | None = None) -> dict:
    return {"request_id": request_id, "event": name, "sync_name": sync_name,
            "subject_hash": subject_hash, "row_count": rows, "event_at": now()}
