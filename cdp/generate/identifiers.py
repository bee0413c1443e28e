"""Each person's emails, phone numbers, account and loyalty ids, globally unique.

Uniqueness matters for the ground truth: two true persons must never share a canonical email
or a personal phone (only households share a landline, on purpose). Candidates are drawn
vectorised, then only the collisions are redrawn until none is left.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdp.generate import sql
from cdp.generate.arrays import (
    choice,
    duplicated,
    pick,
    pick_text,
    prefixed_digits,
    prefixed_hex,
    stage_rng,
    unique_draws,
)
from cdp.generate.config import CALLING_CODES, COUNTRIES
from cdp.generate.vocab_business import EMAIL_DOMAINS, WORK_DOMAINS
from cdp.generate.vocab_places import (
    DE_MOBILE_PREFIXES,
    FR_MOBILE_PREFIXES,
    GB_MOBILE_PREFIXES,
    JUNK_PHONES,
)

# email_changed_at of people who never changed address: every instant is after it.
UNCHANGED = np.iinfo(np.int64).min
_DOMAINS = [d for c in COUNTRIES for d, _ in EMAIL_DOMAINS[c]]


@dataclass
class Identifiers:
    has_email: np.ndarray
    email: dict[str, pa.Array]  # slot ('current', 'old', 'alt') -> base address, lower case
    canonical: dict[str, pa.Array]  # slot -> canonical matching form
    email_changed_at: np.ndarray  # before this instant the person used the 'old' address
    calling_code: pa.Array
    phone: dict[str, pa.Array]  # slot ('mobile', 'mobile2', 'landline') -> NSN digits
    has_account: np.ndarray
    account_id: pa.Array
    has_loyalty: np.ndarray | None = None
    loyalty_id: pa.Array | None = None

    def e164(self, slot: str) -> pa.Array:
        return pc.binary_join_element_wise("+", self.calling_code, self.phone[slot], "")

    def email_at(self, people: np.ndarray, at: np.ndarray) -> tuple[pa.Array, pa.Array]:
        """(base, canonical) address each person used at instant `at` (old one before a change)."""
        rows = pa.array(people)
        old = pa.array(at < self.email_changed_at[people])

        def at_time(slots: dict[str, pa.Array]) -> pa.Array:
            return pc.if_else(old, slots["old"].take(rows), slots["current"].take(rows))

        return at_time(self.email), at_time(self.canonical)

    def assign_loyalty(self, population, seed: int) -> None:
        rng = stage_rng(seed, "identifiers", part=9)
        members = population.buyer & population.in_crm & (rng.random(population.n) < 0.5)
        numbers = np.zeros(population.n, dtype=np.int64)
        numbers[members] = unique_draws(rng, int(members.sum()), 100_000_000, 1_000_000_000)
        self.has_loyalty = members
        self.loyalty_id = _masked(prefixed_digits("LOY", numbers, 9), members)


def _masked(values: pa.Array, mask: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(mask), values, pa.scalar(None, pa.string()))


def _text_duplicates(values: pa.Array) -> np.ndarray:
    """True for non-null values that already appeared earlier in the array."""
    codes = pc.index_in(values, pc.unique(values), skip_nulls=True)
    codes = pc.fill_null(codes, -1).to_numpy()
    return duplicated(codes) & (codes >= 0)


def _local_parts(con: duckdb.DuckDBPyConnection, table: pa.Table) -> pa.Array:
    """Local part of an address from name slugs and a pattern number (people's habits)."""
    return sql.run(con, """
        SELECT CASE pattern
            WHEN 0 THEN first || '.' || last   WHEN 1 THEN first || last
            WHEN 2 THEN first[1] || '.' || last WHEN 3 THEN first[1] || last
            WHEN 4 THEN first || '_' || last   WHEN 5 THEN last || '.' || first
            WHEN 6 THEN first || yy            WHEN 7 THEN first || '.' || last || yy
            ELSE first || last[1] END || coalesce(suffix::VARCHAR, '') AS local
        FROM t ORDER BY i""", t=table).column("local").combine_chunks()


def _domains(rng: np.random.Generator, country: np.ndarray, work_share: float) -> pa.Array:
    """A mail provider per person, weighted per country; some are employers' domains."""
    index = np.zeros(len(country), dtype=np.int64)
    offset = 0
    for c, key in enumerate(COUNTRIES):
        weights = [w for _, w in EMAIL_DOMAINS[key]]
        rows = country == c
        index[rows] = offset + choice(rng, int(rows.sum()), weights)
        offset += len(weights)
    names = pa.array(_DOMAINS).take(pa.array(index))
    work = pick_text(rng, WORK_DOMAINS, len(country))
    return pc.if_else(pa.array(rng.random(len(country)) < work_share), work, names)


def _canonical(base: pa.Array) -> pa.Array:
    """Contract canonical form of addresses without +tag: Gmail ignores dots, googlemail=gmail."""
    local = pc.replace_substring_regex(base, r"@.*$", "")
    domain = pc.replace_substring_regex(base, r"^.*@", "")
    gmail = pc.is_in(domain, pa.array(["gmail.com", "googlemail.com"]))
    folded = pc.binary_join_element_wise(pc.replace_substring(local, ".", ""), "@gmail.com", "")
    return pc.if_else(gmail, folded, base)


def _emails(rng: np.random.Generator, con: duckdb.DuckDBPyConnection, population, known):
    n = population.n
    has_email = known & (rng.random(n) < 0.96)
    slots = {
        "current": has_email,
        "old": has_email & (rng.random(n) < 0.12),  # changed address during the history
        "alt": has_email & (rng.random(n) < 0.15),  # a second address (often work)
    }
    year = pc.cast(pa.array(1970 + population.birth_day // 365), pa.string())
    locals_, domains = [], []
    for slot in slots:
        suffix = 1 + pick(rng, np.full(n, 999))
        locals_.append(_local_parts(con, pa.table({
            "i": np.arange(n), "first": population.first_slug, "last": population.last_slug,
            "yy": pc.utf8_slice_codeunits(year, 2, 4),
            "pattern": choice(rng, n, (22, 14, 10, 12, 6, 5, 8, 8, 5)),
            "suffix": pa.array(suffix, mask=rng.random(n) >= 0.35),
        })))
        domains.append(_domains(rng, population.country, 0.5 if slot == "alt" else 0.0))
    # Dedupe all slots together on the canonical form; later holders get extra digits.
    local, domain = pa.concat_arrays(locals_), pa.concat_arrays(domains)
    present = pa.array(np.concatenate(list(slots.values())))
    while True:
        base = pc.binary_join_element_wise(local, "@", domain, "")
        base = pc.if_else(present, base, pa.scalar(None, pa.string()))
        canonical = _canonical(base)
        clash = _text_duplicates(canonical)
        if not clash.any():
            break
        extra = pc.cast(pa.array(10 + pick(rng, np.full(int(clash.sum()), 990))), pa.string())
        fixed = pc.binary_join_element_wise(local.filter(pa.array(clash)), extra, "")
        local = pc.replace_with_mask(local, pa.array(clash), fixed)
    emails = {slot: base.slice(k * n, n) for k, slot in enumerate(slots)}
    canonicals = {slot: canonical.slice(k * n, n) for k, slot in enumerate(slots)}
    born, gone = population.born_at, population.gone_at
    share = (0.2 + 0.7 * rng.random(n)) * (gone - born)
    changed_at = np.where(slots["old"], born + share.astype(np.int64), UNCHANGED)
    return has_email, emails, canonicals, changed_at


def _phone_candidates(rng: np.random.Generator, country: np.ndarray, kind: str,
                      area_text: np.ndarray) -> np.ndarray:
    """National significant numbers (as integers) of `kind` for each row's country.

    US numbers use the home city's area code; landlines elsewhere use the city's area code
    padded to the national length (London 20 + 8 digits, Berlin 30 + 8, Paris 1 + 8).
    """
    n = len(country)
    area = area_text.astype(np.int64)
    area_len = np.char.str_len(area_text)

    def line(digits) -> np.ndarray:
        return rng.integers(0, 10 ** np.asarray(digits, dtype=np.int64), size=n, dtype=np.int64)

    exchange = 200 + pick(rng, np.full(n, 800))
    exchange[exchange == 555] = 556  # 555 is the fictional exchange, kept for junk numbers
    us = area * 10**7 + exchange * 10**4 + line(4)
    if kind == "landline":
        digits = np.where(country == 3, 9, 10) - area_len
        other = area * 10**digits + line(digits)
    else:
        def prefix(prefixes: tuple[str, ...]) -> np.ndarray:
            return np.array(prefixes, dtype=np.int64)[pick(rng, np.full(n, len(prefixes)))]

        gb, de, fr = (prefix(p) for p in (GB_MOBILE_PREFIXES, DE_MOBILE_PREFIXES,
                                          FR_MOBILE_PREFIXES))
        de_digits = np.where(rng.random(n) < 0.6, 8, 7)
        other = np.select([country == 1, country == 2],
                          [gb * 10**8 + line(8), de * 10**de_digits + line(de_digits)],
                          fr * 10**8 + line(8))
    return np.where(country == 0, us, other)


def _junk_keys() -> np.ndarray:
    """Junk numbers keyed like real ones (calling code * 10^12 + NSN) so nobody gets one."""
    keys = []
    for key, rows in JUNK_PHONES.items():
        code = CALLING_CODES[COUNTRIES.index(key)]
        keys.extend(int(code) * 10**12 + int(e164[1 + len(code):]) for _, e164 in rows)
    return np.array(sorted(set(keys)), dtype=np.int64)


def _phones(rng: np.random.Generator, population, known: np.ndarray) -> dict[str, pa.Array]:
    n, country, household = population.n, population.country, population.household
    first_member = np.searchsorted(household, household)
    is_first = first_member == np.arange(n)
    multi = np.bincount(household)[household] > 1
    # A landline belongs to the household; shared ones (multi-person) are kept rare.
    has_landline = rng.random(n)[first_member] < np.where(multi, 0.07, 0.10)
    present = {
        "mobile": known & (rng.random(n) < 0.9),
        "mobile2": known & (rng.random(n) < 0.06),
        "landline": known & has_landline,
    }
    area_text = population.address.area_code.to_numpy(zero_copy_only=False).astype(str)
    cc = np.array(CALLING_CODES, dtype=np.int64)[country]
    values = {slot: _phone_candidates(rng, country, slot, area_text) for slot in present}
    values["landline"] = values["landline"][first_member]
    junk = _junk_keys()
    while True:
        keyed = []
        for k, slot in enumerate(present):
            counted = present[slot] & (is_first if slot == "landline" else True)
            keyed.append(np.where(counted, cc * 10**12 + values[slot], -1 - k * n - np.arange(n)))
        stacked = np.concatenate(keyed)
        clash = (duplicated(stacked) | np.isin(stacked, junk)) & (stacked >= 0)
        if not clash.any():
            break
        for k, slot in enumerate(present):
            rows = clash[k * n:(k + 1) * n]
            if rows.any():
                redraw = _phone_candidates(rng, country, slot, area_text)
                values[slot] = np.where(rows, redraw, values[slot])
        values["landline"] = values["landline"][first_member]
    return {slot: _masked(pc.cast(pa.array(values[slot]), pa.string()), present[slot])
            for slot in present}


def build_identifiers(population, seed: int, con: duckdb.DuckDBPyConnection, known: np.ndarray
                      ) -> Identifiers:
    rng = stage_rng(seed, "identifiers")
    has_email, emails, canonicals, changed_at = _emails(rng, con, population, known)
    phones = _phones(stage_rng(seed, "identifiers", part=1), population, known)
    account_rng = stage_rng(seed, "identifiers", part=2)
    has_account = has_email & (account_rng.random(population.n) < 0.57)
    numbers = np.zeros(population.n, dtype=np.int64)
    numbers[has_account] = unique_draws(account_rng, int(has_account.sum()), 0, 16**10)
    calling = pa.array(list(CALLING_CODES)).take(pa.array(population.country.astype(np.int64)))
    return Identifiers(
        has_email=has_email, email=emails, canonical=canonicals, email_changed_at=changed_at,
        calling_code=calling, phone=phones, has_account=has_account,
        account_id=_masked(prefixed_hex("u_", numbers, 10), has_account),
    )
