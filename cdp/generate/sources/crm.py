"""CRM contact export: one contact per CRM person, some entered twice, some re-exported.

Noise: agents and forms type names in any case with typos, countries as codes or names,
phones in national or international formats; ~4% of persons have a second contact id (a
duplicate entry made later, with a typo or another address); ~6% of contacts appear again in
the export, identical or as a later version, and every contact whose person changes email
appears again with the new address (the older row keeps the old one).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdp.generate.arrays import pick, prefixed_digits, where_text
from cdp.generate.batch import Batch
from cdp.generate.context import ChunkContext
from cdp.generate.noise import (
    NULL_TEXT,
    US,
    null_tokens,
    timestamps,
    written_emails,
    written_names,
    written_phones,
)
from cdp.generate.vocab_business import NULL_TOKENS

TABLE = "crm_contacts"
STAMP = "%Y-%m-%d %H:%M:%S"
HOUR = 3_600
DAY = 24 * HOUR
# How exports spell each country (index as COUNTRIES): the ISO code most of the time.
COUNTRY_SPELLINGS = (
    ("US", "US", "US", "USA", "United States", "U.S.A.", "us"),
    ("GB", "GB", "GB", "UK", "United Kingdom", "England", "gb"),
    ("DE", "DE", "DE", "Germany", "Deutschland", "DE", "de"),
    ("FR", "FR", "FR", "France", "FRANCE", "FR", "fr"),
)


def build(ctx: ChunkContext) -> dict[str, Batch]:
    rng = ctx.rng("crm_contacts")
    pop = ctx.population
    people = ctx.people(pop.in_crm)
    # A second contact id for some persons, entered later by another team or channel.
    twins = people[rng.random(len(people)) < 0.04]
    owners = np.concatenate([people, twins])
    created = np.concatenate([
        pop.born_at[people] + (rng.random(len(people)) * 48 * HOUR).astype(np.int64),
        np.maximum(pop.lifetime_times(rng, twins), pop.born_at[twins] + HOUR),
    ])
    numbers = ctx.next_numbers("crm_contact", len(owners), start=1_000_001)
    updated = created + (rng.random(len(owners)) ** 3 * (pop.gone_at[owners] - created)
                         ).astype(np.int64)
    is_twin = np.arange(len(owners)) >= len(people)
    first = Batch.concat([
        _contacts(ctx, rng, owners[~is_twin], numbers[~is_twin], created[~is_twin],
                  updated[~is_twin], typo_share=0.02, alt_share=0.0),
        _contacts(ctx, rng, owners[is_twin], numbers[is_twin], created[is_twin],
                  updated[is_twin], typo_share=0.35, alt_share=0.4),
    ])

    # Re-exports: identical copies, or a later version with the then-current email. A person
    # who changes address tells the business, so the CRM exports a version with the new one.
    again = np.flatnonzero(rng.random(len(owners)) < 0.06)
    identical = again[rng.random(len(again)) < 0.5]
    changed_at = pop.ids.email_changed_at[owners]
    told = (changed_at > updated) & (changed_at < pop.end - DAY)
    newer = np.union1d(np.setdiff1d(again, identical), np.flatnonzero(told))
    later = np.where(
        told[newer], changed_at[newer] + (rng.random(len(newer)) * DAY).astype(np.int64),
        updated[newer] + (rng.random(len(newer)) * (pop.end - updated[newer])).astype(np.int64))
    versions = _contacts(ctx, rng, owners[newer], numbers[newer], created[newer], later,
                         typo_share=0.02, alt_share=0.0)
    copies = Batch.concat([first.take(identical), versions])
    copies.is_duplicate[:] = True
    return {TABLE: Batch.concat([first, copies])}


def _contacts(ctx: ChunkContext, rng: np.random.Generator, people: np.ndarray,
              numbers: np.ndarray, created: np.ndarray, updated: np.ndarray,
              *, typo_share: float, alt_share: float) -> Batch:
    pop, ids = ctx.population, ctx.population.ids
    n = len(people)
    rows = pa.array(people)
    country = pop.country[people]
    spelling = pick(rng, np.full(n, len(COUNTRY_SPELLINGS[0])))
    country_text = pa.array([COUNTRY_SPELLINGS[c][s] for c, s in zip(country, spelling,
                                                                    strict=True)], pa.string())
    unknown_country = rng.random(n) < 0.04
    country_text = pc.if_else(pa.array(unknown_country), pa.scalar("n/a"), country_text)
    context = np.where(unknown_country, US, country)  # national phones are read in this one

    email, email_canonical = written_emails(ctx, rng, people, updated,
                                            alt_share=alt_share,
                                            variant_share=0.25, junk_share=0.01)
    has_landline = pc.is_valid(ids.phone["landline"].take(rows)).to_numpy(zero_copy_only=False)
    landline, landline_e164 = written_phones(ctx, rng, people, "landline", context)
    mobile, mobile_e164 = written_phones(ctx, rng, people, "mobile", context)
    mobile2, mobile2_e164 = written_phones(ctx, rng, people, "mobile2", context)
    landline_first = pa.array(has_landline & (rng.random(n) < 0.7))
    phone = pc.if_else(landline_first, landline, mobile)
    phone_e164 = pc.if_else(landline_first, landline_e164, mobile_e164)
    second = pc.if_else(landline_first, mobile, mobile2)
    second_e164 = pc.if_else(landline_first, mobile_e164, mobile2_e164)

    first_name = written_names(ctx, rng, pop.first_name.take(rows), style_share=0.15,
                               typo_share=typo_share)
    last_name = written_names(ctx, rng, pop.last_name.take(rows), style_share=0.15,
                              typo_share=typo_share)
    address = pop.address[people]
    dob = timestamps(ctx, pop.birth_day[people].astype(np.int64) * 86_400, "%Y-%m-%d")
    fields = pa.table({
        "contact_id": prefixed_digits("CRM-", numbers, 7),
        "account_id": where_text(ids.has_account[people] & (rng.random(n) < 0.85),
                                 ids.account_id.take(rows)),
        "loyalty_id": where_text(ids.has_loyalty[people] & (rng.random(n) < 0.9),
                                 ids.loyalty_id.take(rows)),
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "phone": phone,
        "mobile_phone": second,
        "address_line1": _shouted(rng, address.line1, 0.05),
        "address_line2": address.line2,
        "city": _shouted(rng, address.city, 0.05),
        "region": address.region,
        "postal_code": address.postcode,
        "country": country_text,
        "date_of_birth": null_tokens(rng, where_text(rng.random(n) < 0.9, dob), 0.02),
        "created_at": timestamps(ctx, created, STAMP),
        "updated_at": timestamps(ctx, updated, STAMP),
    })
    # The primary phone is the first phone column holding a value (what staging coalesces).
    phone_written = pc.is_valid(_cleaned(phone))
    return Batch(
        fields=fields, person=people, record_id=fields.column("contact_id").combine_chunks(),
        sort_key=updated, true_email=email_canonical,
        true_phone=pc.if_else(phone_written, phone_e164,
                              pc.if_else(pc.is_valid(_cleaned(second)), second_e164, NULL_TEXT)),
    )


def _cleaned(values: pa.Array) -> pa.Array:
    """Null where the text is missing or a null token (as staging's clean_text sees it)."""
    tokens = pa.array(sorted({t.strip().lower() for t in NULL_TOKENS}))
    blank = pc.is_in(pc.utf8_lower(pc.utf8_trim_whitespace(values)), tokens)
    return pc.if_else(pc.fill_null(blank, True), NULL_TEXT, values)


def _shouted(rng: np.random.Generator, values: pa.Array, share: float) -> pa.Array:
    """Some values typed in capitals, as legacy systems store them."""
    return pc.if_else(pa.array(rng.random(len(values)) < share), pc.utf8_upper(values), values)
