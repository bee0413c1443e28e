"""`_truth/persons.parquet`: one row per true person, with every identifier they own."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from cdp.generate.config import COUNTRIES
from cdp.generate.population import Population


def write_persons(path: Path, population: Population, *, identifiers: bool = True) -> None:
    """Without `identifiers` (a profile writing no emails or phones) the lists are empty and
    nobody is anonymous: every person then has a contact of their own."""
    n = population.n
    if identifiers:
        ids = population.ids
        emails = _present_lists([ids.canonical[slot] for slot in ("current", "old", "alt")])
        # null in, null out
        phones = _present_lists([ids.e164(slot) for slot in ("mobile", "mobile2", "landline")])
        anonymous = pa.array(population.anonymous)
    else:
        emails = phones = pa.array([[]] * n, pa.list_(pa.string()))
        anonymous = pa.array(np.zeros(n, dtype=bool))
    table = pa.table({
        "person_id": population.person_id,
        "household_id": population.household_id,
        "first_name": population.first_name,
        "last_name": population.last_name,
        "date_of_birth": pa.array(population.birth_day, pa.int32()).cast(pa.date32()),
        "country": pa.array(COUNTRIES).take(pa.array(population.country.astype(np.int64))),
        "emails": emails,
        "phones": phones,
        "is_anonymous": anonymous,
    })
    pq.write_table(table, path, compression="zstd")


def _present_lists(columns: list[pa.Array]) -> pa.Array:
    """Per row, the list of non-null values across `columns` (in column order)."""
    stacked = pa.table({f"c{i}": c for i, c in enumerate(columns)})
    rows = stacked.to_pylist()
    return pa.array([[v for v in r.values() if v is not None] for r in rows],
                    pa.list_(pa.string()))
