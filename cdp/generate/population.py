"""The true persons: households, names, addresses, lifetimes and which systems know them.

Built once for all persons (a few hundred bytes each), so that sources generated chunk by
chunk can share identifiers (cookies, accounts, emails) consistently. All arrays are indexed by
person index 0..n-1; `person_id` is `P` + 8 digits of index + 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pyarrow as pa

from cdp.generate import sql
from cdp.generate.arrays import choice, pick, prefixed_digits, stage_rng, take
from cdp.generate.config import ANONYMOUS_SHARE, COUNTRY_WEIGHTS, HISTORY_YEARS
from cdp.generate.places import Addresses, build_addresses
from cdp.generate.vocab_people import FIRST_NAMES, LAST_NAMES

DAY = 86_400
_COUNTRY_KEYS = ("US", "GB", "DE", "FR")


@dataclass
class Population:
    n: int
    start: int  # epoch seconds of the first day of history
    end: int  # epoch seconds of the last second of end_date
    person_id: pa.Array
    household: np.ndarray
    household_id: pa.Array
    anonymous: np.ndarray
    country: np.ndarray  # 0..3 index into COUNTRIES
    first_name: pa.Array
    last_name: pa.Array
    first_slug: pa.Array
    last_slug: pa.Array
    birth_day: np.ndarray  # days since 1970-01-01
    address: Addresses
    born_at: np.ndarray  # acquisition time (first contact with the business)
    gone_at: np.ndarray  # last possible activity (churn or end)
    in_crm: np.ndarray
    buyer: np.ndarray
    web_user: np.ndarray
    app_user: np.ndarray
    ids: object = None  # identifiers.Identifiers
    channels: object = None  # channels.Channels

    def lifetime_times(self, rng: np.random.Generator, people: np.ndarray, *, skew: float = 1.0
                       ) -> np.ndarray:
        """A random instant within each person's active life (skew > 1 favours early ones)."""
        u = rng.random(len(people)) ** skew
        born, gone = self.born_at[people], self.gone_at[people]
        return born + (u * (gone - born)).astype(np.int64)


def _window(end_date: date) -> tuple[int, int]:
    end = datetime.combine(end_date, time(23, 59, 59), tzinfo=UTC)
    start = datetime.combine(end_date - timedelta(days=round(365.25 * HISTORY_YEARS)), time(),
                             tzinfo=UTC)
    return int(start.timestamp()), int(end.timestamp())


def _names(rng: np.random.Generator, country: np.ndarray, table: dict[str, tuple[str, ...]]
           ) -> tuple[np.ndarray, list[str], list[bool]]:
    """Indices into the flattened per-country list, plus that list and its German flags."""
    flat, offsets, sizes, german = [], [], [], []
    for key in _COUNTRY_KEYS:
        offsets.append(len(flat))
        sizes.append(len(table[key]))
        flat.extend(table[key])
        german.extend([key == "DE"] * len(table[key]))
    # Zipf-like popularity: a few names are common, most are rare.
    u = rng.random(len(country)) ** 1.8
    local = (u * np.asarray(sizes)[country]).astype(np.int64)
    return np.asarray(offsets)[country] + local, flat, german


def build_population(persons: int, seed: int, end_date: date) -> Population:
    from cdp.generate.channels import build_channels
    from cdp.generate.identifiers import build_identifiers
    from cdp.generate.vocab_people import email_slug

    rng = stage_rng(seed, "persons")
    start, end = _window(end_date)
    n = persons

    # Households of 1-4 people in consecutive person indices; anonymous-only visitors are
    # single-person households.
    sizes = choice(rng, n, (0.55, 0.25, 0.12, 0.08)) + 1
    household = np.repeat(np.arange(n, dtype=np.int64), sizes)[:n]
    hh_size = np.bincount(household)[household]
    single_anonymous_rate = ANONYMOUS_SHARE / max(float(np.mean(hh_size == 1)), 1e-9)
    anonymous = (hh_size == 1) & (rng.random(n) < single_anonymous_rate)
    known = ~anonymous
    n_households = int(household[-1]) + 1 if n else 0
    hh_country = choice(rng, n_households, COUNTRY_WEIGHTS)
    country = hh_country[household]

    first_idx, first_flat, first_german = _names(rng, country, FIRST_NAMES)
    hh_last, last_flat, last_german = _names(rng, hh_country, LAST_NAMES)
    last_idx = hh_last[household]
    first_slugs = [email_slug(v, german=g) for v, g in zip(first_flat, first_german, strict=True)]
    last_slugs = [email_slug(v, german=g) for v, g in zip(last_flat, last_german, strict=True)]

    member = np.arange(n) - np.searchsorted(household, household)
    epoch = date(1970, 1, 1)
    adult_lo, adult_hi = (date(1945, 1, 1) - epoch).days, (date(2004, 12, 31) - epoch).days
    young_lo = (date(1985, 1, 1) - epoch).days
    lo = np.where(member >= 2, young_lo, adult_lo)
    birth_day = lo + pick(rng, adult_hi - lo + 1)

    # Acquisition cohorts: a block of existing customers at the start, then growth.
    span = end - start - 30 * DAY
    legacy = rng.random(n) < 0.2
    born_at = start + np.where(legacy, rng.random(n) * 60 * DAY,
                               np.sqrt(rng.random(n)) * span).astype(np.int64)
    churned = rng.random(n) < 0.15
    gone_at = np.where(churned, born_at + 14 * DAY + (rng.random(n) * (end - born_at - 14 * DAY)),
                       end).astype(np.int64)
    gone_at = np.maximum(gone_at, born_at + DAY).clip(max=end)

    population = Population(
        n=n, start=start, end=end,
        person_id=prefixed_digits("P", np.arange(1, n + 1), 8),
        household=household,
        household_id=prefixed_digits("H", household + 1, 8),
        anonymous=anonymous, country=country,
        first_name=take(first_flat, first_idx), last_name=take(last_flat, last_idx),
        first_slug=take(first_slugs, first_idx), last_slug=take(last_slugs, last_idx),
        birth_day=birth_day.astype(np.int32),
        address=build_addresses(rng, hh_country)[household],
        born_at=born_at, gone_at=gone_at,
        in_crm=np.zeros(n, bool), buyer=np.zeros(n, bool),
        web_user=np.zeros(n, bool), app_user=np.zeros(n, bool),
    )
    con = sql.connect()
    population.ids = build_identifiers(population, seed, con, known)
    ids = population.ids
    reachable = ids.has_email | ids.phone["mobile"].is_valid().to_numpy(zero_copy_only=False)
    population.web_user = known & (ids.has_account | (ids.has_email & (rng.random(n) < 0.67)))
    population.app_user = ids.has_account & (rng.random(n) < 0.78)
    population.in_crm = known & reachable & (rng.random(n) < 0.76)
    population.buyer = known & (ids.has_email | ids.has_account) & (rng.random(n) < 0.38)
    ids.assign_loyalty(population, seed)
    population.channels = build_channels(population, seed)
    con.close()
    return population
