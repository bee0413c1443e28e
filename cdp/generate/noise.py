"""Identifiers and names as people and systems actually write them, with the truth beside them.

Every function returns the written text and, where it matters for identity, the true value
(canonical email, E.164 phone) or null when the written value is junk or a null token.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdp.generate.arrays import pick, pick_text
from cdp.generate.config import COUNTRIES
from cdp.generate.context import ChunkContext
from cdp.generate.vocab_business import JUNK_EMAILS, NULL_TOKENS, PLUS_TAGS
from cdp.generate.vocab_places import JUNK_PHONES

NULL_TEXT = pa.scalar(None, pa.string())
US = 0  # index of the default phone country (var cdp_default_phone_country) in COUNTRIES


def _replace(values: pa.Array, mask: np.ndarray, pool: tuple[str, ...],
             rng: np.random.Generator) -> pa.Array:
    """values, with rows where `mask` replaced by a random member of `pool`."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return values
    picked = pick_text(rng, pool, int(mask.sum()))
    return pc.replace_with_mask(values, pa.array(mask), picked)


def null_tokens(rng: np.random.Generator, values: pa.Array, share: float) -> pa.Array:
    """Some values (present or not) written as `n/a`, `unknown`, `-`... which mean no value."""
    return _replace(values, rng.random(len(values)) < share, NULL_TOKENS, rng)


def written_emails(ctx: ChunkContext, rng: np.random.Generator, people: np.ndarray,
                   at: np.ndarray, *, alt_share: float = 0.0, variant_share: float = 0.2,
                   junk_share: float = 0.01, null_share: float = 0.01
                   ) -> tuple[pa.Array, pa.Array]:
    """(text, canonical) of the address each person used at `at`; null when they have none.

    Variants (case, padding, +tags, Gmail dots, googlemail) keep the canonical form; junk
    addresses and null tokens have a null canonical form.
    """
    n = len(people)
    ids = ctx.population.ids
    base, canonical = ids.email_at(people, at)
    rows = pa.array(people)
    alt = ids.email["alt"].take(rows)
    has_alt = pc.is_valid(alt).to_numpy(zero_copy_only=False)
    use_alt = pa.array((rng.random(n) < alt_share) & has_alt)
    base = pc.if_else(use_alt, alt, base)
    canonical = pc.if_else(use_alt, ids.canonical["alt"].take(rows), canonical)

    kind = np.where(rng.random(n) < variant_share, 1 + pick(rng, np.full(n, 7)), 0)
    tags = pick_text(rng, PLUS_TAGS, n)
    text = ctx.sql(
        "SELECT email_variant(e, kind, r, tag) AS text FROM t ORDER BY i",
        t=pa.table({"i": np.arange(n), "e": base, "kind": kind,
                    "r": rng.integers(0, 1 << 30, n), "tag": tags}),
    ).column("text").combine_chunks()

    has = pc.is_valid(base).to_numpy(zero_copy_only=False)
    junk = has & (rng.random(n) < junk_share)
    blank = rng.random(n) < null_share
    text = _replace(_replace(text, junk, JUNK_EMAILS, rng), blank, NULL_TOKENS, rng)
    unusable = pa.array(junk | blank)
    return text, pc.if_else(unusable, NULL_TEXT, canonical)


def written_phones(ctx: ChunkContext, rng: np.random.Generator, people: np.ndarray, slot: str,
                   context: np.ndarray | None = None, *, international_share: float = 0.2,
                   junk_share: float = 0.01, null_share: float = 0.01
                   ) -> tuple[pa.Array, pa.Array]:
    """(text, E.164) of each person's `slot` phone ('mobile', 'mobile2', 'landline').

    `context` is the country (index into COUNTRIES) a reader of the row would assume for a
    national number: the row's own country column, or None for sources without one (the
    default country). National formats are only written where they read correctly there;
    everyone else writes an international form.
    """
    n = len(people)
    ids = ctx.population.ids
    rows = pa.array(people)
    nsn = ids.phone[slot].take(rows)
    cc = ids.calling_code.take(rows)
    context = np.full(n, US) if context is None else np.asarray(context)
    national_ok = context == ctx.population.country[people]
    international = ~national_ok | (rng.random(n) < international_share)
    style = np.where(international, 10 + pick(rng, np.full(n, 4)), pick(rng, np.full(n, 10)))
    text = ctx.sql(
        "SELECT phone_text(cc, nsn, style, ctx_us) AS text FROM t ORDER BY i",
        t=pa.table({"i": np.arange(n), "cc": cc, "nsn": nsn, "style": style,
                    "ctx_us": context == US}),
    ).column("text").combine_chunks()
    e164 = pc.binary_join_element_wise("+", cc, nsn, "")

    has = pc.is_valid(nsn).to_numpy(zero_copy_only=False)
    junk = has & (rng.random(n) < junk_share)
    for c, key in enumerate(COUNTRIES):
        text = _replace(text, junk & (context == c), tuple(t for t, _ in JUNK_PHONES[key]), rng)
    blank = rng.random(n) < null_share
    text = _replace(text, blank, NULL_TOKENS, rng)
    return text, pc.if_else(pa.array(junk | blank), NULL_TEXT, e164)


def written_names(ctx: ChunkContext, rng: np.random.Generator, names: pa.Array, *,
                  style_share: float = 0.1, typo_share: float = 0.0) -> pa.Array:
    """Names with case/padding/accent variants (`style_share`) and one-letter typos."""
    n = len(names)
    u = rng.random(n)
    kind = np.where(u < typo_share, 5 + pick(rng, np.full(n, 4)),
                    np.where(u < typo_share + style_share, 1 + pick(rng, np.full(n, 4)), 0))
    return ctx.sql(
        "SELECT name_variant(name, kind, r) AS text FROM t ORDER BY i",
        t=pa.table({"i": np.arange(n), "name": names, "kind": kind,
                    "r": rng.integers(0, 1 << 30, n)}),
    ).column("text").combine_chunks()


def timestamps(ctx: ChunkContext, seconds: np.ndarray, fmt: str) -> pa.Array:
    """Epoch seconds as UTC text in strftime format `fmt`."""
    return ctx.sql(
        f"SELECT ts_text(s, '{fmt}') AS text FROM t ORDER BY i",
        t=pa.table({"i": np.arange(len(seconds)), "s": np.asarray(seconds, dtype=np.int64)}),
    ).column("text").combine_chunks()
