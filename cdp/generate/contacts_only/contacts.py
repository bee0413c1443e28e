"""CRM contacts of the contacts-only profile for one chunk of persons.

Every person has one original contact, created when the business first met them; 50% have
no duplicate, 30% one, 15% two and 5% three: contacts a call centre or shop desk created
again later, each with its own contact id and noise (kinds.py). No contact carries an email,
a phone, an account or a loyalty id: what links them is only name, birth date and address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pyarrow as pa

from cdp.generate.arrays import choice, expand, pick, prefixed_digits
from cdp.generate.config import SOURCES_BY_TABLE
from cdp.generate.contacts_only.apply import (
    NOISE_KINDS,
    applicable,
    apply_kinds,
    apply_style,
    noise_labels,
)
from cdp.generate.contacts_only.kinds import KIND_NAMES, draw_kinds
from cdp.generate.context import ChunkContext
from cdp.generate.noise import timestamps
from cdp.generate.sources.crm import COUNTRY_SPELLINGS, STAMP

SOURCE = SOURCES_BY_TABLE["crm_contacts"]
DUPLICATE_SHARES = (0.50, 0.30, 0.15, 0.05)  # persons with 0, 1, 2, 3 duplicates
HOUR = 3_600
DAY = 24 * HOUR


@dataclass
class Contacts:
    fields: pa.Table  # the export's columns, in file order
    person: np.ndarray  # true person index per row
    record_id: pa.Array  # contact_id
    noise: pa.Array  # comma-separated noise kinds, null for an untouched contact
    duplicates: int
    applied: np.ndarray  # rows x NOISE_KINDS


def build(ctx: ChunkContext, nicknames: dict[str, tuple[str, ...]]) -> Contacts:
    rng = ctx.rng("contacts_only", part=1)
    pop = ctx.population
    people = ctx.people()
    owner, position = expand(1 + choice(rng, len(people), DUPLICATE_SHARES))
    person, duplicate = people[owner], position > 0
    n = len(person)

    first_seen = pop.born_at[people] + (rng.random(len(people)) * 48 * HOUR).astype(np.int64)
    # A duplicate is created after the original, some time in the person's life with us.
    created = np.where(duplicate, np.maximum(pop.lifetime_times(rng, person),
                                             first_seen[owner] + HOUR), first_seen[owner])
    updated = created + (rng.random(n) ** 3 * np.maximum(pop.gone_at[person] - created, 0)
                         ).astype(np.int64)

    values = _clean_values(ctx, person)
    applied = np.zeros((n, len(NOISE_KINDS)), dtype=bool)
    chosen = np.zeros((n, len(KIND_NAMES)), dtype=bool)
    copies = np.flatnonzero(duplicate)
    chosen[copies] = draw_kinds(rng, applicable(values, copies, nicknames))
    latest = datetime.fromtimestamp(pop.end, UTC).date()
    apply_kinds(ctx, rng, values, chosen, applied, nicknames, latest)
    apply_style(ctx, rng, values, applied)

    country = pop.country[person]
    spelling = pick(rng, np.full(n, len(COUNTRY_SPELLINGS[0])))
    columns = {
        **{name: pa.array(v, pa.string()) for name, v in values.items()},
        "region": pop.address.region.take(pa.array(person)),
        "country": pa.array([COUNTRY_SPELLINGS[c][s] for c, s in zip(country, spelling,
                                                                     strict=True)]),
        "created_at": timestamps(ctx, created, STAMP),
        "updated_at": timestamps(ctx, updated, STAMP),
    }
    # File order is creation order, and the CRM numbers contacts as it creates them.
    order = pa.array(np.argsort(created, kind="stable"))
    nulls = pa.nulls(n, pa.string())
    contact_id = prefixed_digits("CRM-", ctx.next_numbers("crm_contact", n, start=1_000_001), 7)
    fields = pa.table({name: contact_id if name == "contact_id" else
                       columns.get(name, nulls).take(order) for name in SOURCE.columns})
    return Contacts(fields=fields, person=person[order.to_numpy()], record_id=contact_id,
                    noise=noise_labels(applied).take(order), duplicates=len(copies),
                    applied=applied)


def _clean_values(ctx: ChunkContext, person: np.ndarray) -> dict[str, list]:
    """The person's true name, address and birth date per contact, as Python lists."""
    pop, rows = ctx.population, pa.array(person)
    address = pop.address[person]
    dob = timestamps(ctx, pop.birth_day[person].astype(np.int64) * DAY, "%Y-%m-%d")
    return {
        "first_name": pop.first_name.take(rows).to_pylist(),
        "last_name": pop.last_name.take(rows).to_pylist(),
        "address_line1": address.line1.to_pylist(),
        "address_line2": address.line2.to_pylist(),
        "city": address.city.to_pylist(),
        "postal_code": address.postcode.to_pylist(),
        "date_of_birth": dob.to_pylist(),
    }
