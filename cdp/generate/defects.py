"""Malformed rows: about 1% of each source's rows get exactly one defect, recorded in the truth.

A defect is one of the source's staging checks (config.Source.checks) applied to one of its
columns, so the truth says exactly which reject reason and column staging must report. The
rest of the row stays clean, which makes that check the first one to fail. Line-level defects
(`unparseable_row`, `malformed_json`) are applied when the line is written (`files.py`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdp.generate.arrays import scatter
from cdp.generate.batch import Batch
from cdp.generate.config import MALFORMED_RATE, Source

_MISSING = "missing_required_field"

# Values each defect writes. None of them is a null token or an accepted value of any column.
BAD_TEXT: dict[str, tuple[str, ...]] = {
    "invalid_email": ("john.doe@", "jane.smith.example.com", "bob@@mail.com", "ann@mail",
                      "mary smith@gmail.com", "@gmail.com", "x@y..com", "tom@gmail,com"),
    "invalid_phone": ("12345", "call me", "555-CALL-NOW", "+44 20", "ask at desk",
                      "1234567890123456789", "07"),
    "invalid_timestamp": ("2024-02-30 10:00:00", "31/12/2024 10:00", "yesterday",
                          "2025-13-01T00:00:00Z", "1999-12-31T23:59:59Z", "0000-00-00 00:00:00",
                          "2024-06-31T08:00:00+01:00"),
    "invalid_date": ("1985-02-30", "31.12.1985", "1985-13-01", "19850101x", "1850-01-01",
                     "0000-00-00"),
    "non_numeric_amount": ("12,50", "$19.99", "19.99 EUR", "abc", "1.234.56", "--5"),
    "invalid_value": ("pageview", "fax", "archived", "gold", "weekly", "maybe", "tbd", "???",
                      "purchase", "ios-beta"),
    "wrong_type": ("2.5", "two", "1/2", "maybe", "4.5", "great"),
}
# Null tokens and empties a missing CSV value is written as.
MISSING_TEXT = ("", "", "n/a", "unknown", "NULL", " ")

# JSON keys whose values are objects or numbers; every other key holds a string.
JSON_OBJECT_KEYS = frozenset({"context", "properties", "traits", "subject"})
JSON_NUMBER_KEYS = frozenset({"event_ts", "properties.duration_sec"})
# Epoch values outside 2000-01-01..2100-01-01 (milliseconds for JSON, seconds for Parquet).
BAD_EPOCH_MS = (0, 86_400_000, 946_684_799_000, 5_000_000_000_000)
BAD_EPOCH_S = (0, 631_152_000, 4_200_000_000, -86_400)

# Checks that fail only when several fields are missing together: blank all of them.
MISSING_TOGETHER: dict[tuple[str, str], tuple[str, ...]] = {
    ("web_events", "anonymousId"): ("anonymousId", "userId"),
    ("helpdesk_tickets", "requester_email"): ("requester_email", "requester_phone"),
}


@dataclass
class Defects:
    code: pa.Array  # reject reason per row, null for clean rows
    column: pa.Array  # raw column holding the defect, null for clean and line-level ones
    broken_line: np.ndarray  # rows whose whole line is broken when written


def inject(batch: Batch, source: Source, rng: np.random.Generator,
           rate: float = MALFORMED_RATE) -> tuple[Batch, Defects]:
    """Give about `rate` of the rows (at least one, when there are rows) one defect each."""
    n = batch.num_rows
    count = min(n, max(1, round(n * rate))) if n else 0
    rows = np.sort(rng.choice(n, size=count, replace=False)) if count else np.zeros(0, np.int64)
    codes, columns = [], []
    for check in rng.integers(0, len(source.checks), size=count):
        code, candidates = source.checks[check]
        codes.append(code)
        columns.append(candidates[int(rng.integers(0, len(candidates)))])

    updates: dict[str, dict[int, object]] = {}
    for row, code, column in zip(rows.tolist(), codes, columns, strict=True):
        if column is not None:
            _bad_values(batch.fields, source, row, code, column, rng, updates)
    fields = batch.fields
    for name, values in updates.items():
        fields = _set_values(fields, name, values)

    code_array = scatter(n, rows, codes)
    column_array = scatter(n, rows, columns)
    broken = np.zeros(n, dtype=bool)
    broken[rows[[c is None for c in columns]]] = True
    batch = Batch(
        fields=fields, person=batch.person,
        record_id=_null_where(batch.record_id, rows, [
            code == _MISSING and column == source.key for code, column in zip(codes, columns,
                                                                             strict=True)]),
        sort_key=batch.sort_key,
        true_email=_null_where(batch.true_email, rows,
                               [c in source.email_columns for c in columns]),
        true_phone=_null_where(batch.true_phone, rows,
                               [c in source.phone_columns for c in columns]),
        is_duplicate=batch.is_duplicate,
    )
    return batch, Defects(code_array, column_array, broken)


def _bad_values(fields: pa.Table, source: Source, row: int, code: str, column: str,
                rng: np.random.Generator, updates: dict[str, dict[int, object]]) -> None:
    """Record in `updates` (top-level column -> row -> new value) what makes `column` bad."""
    targets = MISSING_TOGETHER.get((source.table, column), (column,)) if code == _MISSING \
        else (column,)
    for target in targets:
        top, _, child = target.partition(".")
        if source.fmt != "jsonl":
            value = _bad_plain(fields.schema.field(top).type, code, rng)
        elif child:
            parent = updates.get(top, {}).get(row, fields.column(top)[row].as_py())
            document = json.loads(parent) if parent else {}
            document[child] = json.loads(_bad_json(target, code, rng) or "null")
            value = json.dumps(document, ensure_ascii=False)
        else:
            value = _bad_json(target, code, rng)
        updates.setdefault(top, {})[row] = value


def _one(rng: np.random.Generator, pool: tuple) -> object:
    return pool[int(rng.integers(0, len(pool)))]


def _bad_plain(data_type: pa.DataType, code: str, rng: np.random.Generator) -> object:
    """A bad CSV/Parquet value; Parquet integers can only be missing or out of range."""
    if pa.types.is_integer(data_type):
        return None if code == _MISSING else _one(rng, BAD_EPOCH_S)
    if code == _MISSING:
        return _one(rng, MISSING_TEXT) if data_type == pa.string() else None
    return _one(rng, BAD_TEXT[code])


def _bad_json(key: str, code: str, rng: np.random.Generator) -> str | None:
    """A bad value for `key` as JSON text (None = leave the key out)."""
    kind = "object" if key in JSON_OBJECT_KEYS else "number" if key in JSON_NUMBER_KEYS \
        else "string"
    if code == _MISSING:
        pool = (None, "null") + (('""', '"n/a"', '"unknown"') if kind == "string" else ())
        return _one(rng, pool)
    if code == "wrong_type":
        pool = {"string": ("12345", "true", "987654321"),
                "number": ('"1700000000000"', '"soon"', '"12m"'),
                "object": ('"[object Object]"', "42", '["a"]')}[kind]
        return _one(rng, pool)
    if code == "invalid_timestamp" and kind == "number":
        return str(_one(rng, BAD_EPOCH_MS))
    return json.dumps(_one(rng, BAD_TEXT[code]))


def _set_values(fields: pa.Table, name: str, values: dict[int, object]) -> pa.Table:
    index = fields.schema.get_field_index(name)
    column = fields.column(index).combine_chunks()
    mask = np.zeros(len(column), dtype=bool)
    rows = sorted(values)
    mask[rows] = True
    replaced = pc.replace_with_mask(column, pa.array(mask),
                                    pa.array([values[r] for r in rows], type=column.type))
    return fields.set_column(index, name, replaced)




def _null_where(values: pa.Array, rows: np.ndarray, flags: list[bool]) -> pa.Array:
    mask = np.zeros(len(values), dtype=bool)
    mask[rows[np.asarray(flags, dtype=bool)]] = True
    return pc.if_else(pa.array(mask), pa.scalar(None, values.type), values)
