"""Consent management platform export: cookie banner decisions and marketing permissions.

Web banner: most browser cookies (anonymous visitors' too) record one decision seconds after
the cookie is set, keyed by the cookie id only: analytics always, sometimes also advertising
(`ads`) or personalization; mostly granted, some "reject all".
Marketing: about half of the known persons with an email give marketing consent for email,
some also for sms and push (import for the legacy base, else preference centre, app or
support desk). The subject carries the email as typed at the time and/or the account id.
~15% of these permissions are revoked later, a quarter of those granted again (the latest
event wins downstream). The policy version is the one in force at the time.

Noise: email variants and junk addresses, import rows without a policy version, ~0.5% of
events re-delivered later in the file with the same consent_id (staging keeps the first).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdp.generate import sql
from cdp.generate.arrays import choice, expand, uuid4
from cdp.generate.batch import Batch
from cdp.generate.context import ChunkContext
from cdp.generate.noise import NULL_TEXT, written_emails

TABLE = "consent_events"
DAY = 86_400
PURPOSES = ("marketing", "analytics", "personalization", "advertising")
MARKETING, ANALYTICS, PERSONALIZATION, ADVERTISING = range(4)
CHANNELS = ("email", "sms", "push", "web", "ads")
EMAIL, SMS, PUSH, WEB, ADS = range(5)
SOURCES = ("web_banner", "preference_center", "app", "support", "import")
BANNER, PREFERENCE_CENTER, APP, SUPPORT, IMPORT = range(5)
# Privacy policy versions and when each came into force (epoch seconds, UTC).
POLICIES = (("2022-09", 0), ("2023-05", 1_682_899_200), ("2024-03", 1_709_251_200),
            ("2024-11", 1_730_419_200), ("2025-06", 1_748_736_000), ("2026-02", 1_769_904_000))


def build(ctx: ChunkContext) -> dict[str, Batch]:
    rng = ctx.rng(TABLE)
    first = Batch.concat([_banner(ctx, rng), _marketing(ctx, rng)])
    # Re-deliveries on retry: identical lines a little later in the file.
    again = np.flatnonzero(rng.random(first.num_rows) < 0.005)
    copies = first.take(again)
    copies.sort_key = copies.sort_key + (rng.random(len(again)) * 6 * 3_600).astype(np.int64)
    copies.is_duplicate[:] = True
    return {TABLE: Batch.concat([first, copies])}


def _banner(ctx: ChunkContext, rng: np.random.Generator) -> Batch:
    channels = ctx.population.channels
    cookies = np.arange(len(channels.cookie_owner))[channels.cookies_of(ctx.lo, ctx.hi)]
    cookies = cookies[rng.random(len(cookies)) < 0.65]
    # Analytics always; a second purpose for some decisions.
    extra = rng.random(len(cookies)) < 0.4
    decision, slot = expand(1 + extra)
    cookie = cookies[decision]
    purpose = np.where(slot == 0, ANALYTICS,
                       np.where(rng.random(len(cookies)) < 0.75, ADVERTISING, PERSONALIZATION)
                       [decision])
    reject_all = (rng.random(len(cookies)) < 0.12)[decision]
    granted = ~reject_all & (rng.random(len(cookie)) < np.where(purpose == ANALYTICS, 0.93, 0.8))
    at = channels.cookie_start[cookie] + 2 + (rng.random(len(cookies)) * 90).astype(np.int64
                                                                                   )[decision]
    n = len(cookie)
    return _rows(ctx, rng, channels.cookie_owner[cookie], at, purpose,
                 np.where(purpose == ADVERTISING, ADS, WEB), granted, np.full(n, BANNER),
                 email=pa.nulls(n, pa.string()), canonical=pa.nulls(n, pa.string()),
                 user_id=pa.nulls(n, pa.string()),
                 anonymous_id=channels.cookie_id.take(pa.array(cookie)))


def _marketing(ctx: ChunkContext, rng: np.random.Generator) -> Batch:
    pop, ids = ctx.population, ctx.population.ids
    people = ctx.people(ids.has_email)
    people = people[rng.random(len(people)) < 0.5]
    n = len(people)
    has_mobile = ids.phone["mobile"].take(pa.array(people)).is_valid().to_numpy(
        zero_copy_only=False)
    wants = np.stack([rng.random(n) < 0.85, has_mobile & (rng.random(n) < 0.25),
                      pop.app_user[people] & (rng.random(n) < 0.45)], axis=1)
    wants[:, EMAIL] |= ~wants.any(axis=1)
    owner, channel = np.nonzero(wants)
    person = people[owner]
    k = len(person)
    # Email/sms in one form submission (the legacy base imported when it joined); push is
    # allowed in the app, at its own time.
    legacy = pop.born_at[people] < pop.start + 60 * DAY
    imported = legacy & (rng.random(n) < 0.7)
    source = np.where(imported, IMPORT, choice(rng, n, (0, 0.6, 0.25, 0.15, 0)))[owner]
    source = np.where(channel == PUSH, APP, source)
    joined = pop.born_at[people] + (rng.random(n) * 3 * DAY).astype(np.int64)
    form_at = np.where(imported, joined, pop.lifetime_times(rng, people, skew=2.5))
    push_at = pop.lifetime_times(rng, people, skew=1.5)
    gone = pop.gone_at[person]
    granted_at = np.minimum(np.where(channel == PUSH, push_at[owner], form_at[owner]),
                            gone - 600) + channel * 3

    # Some revoke later (latest wins downstream), a quarter of those grant again.
    revoked = np.flatnonzero(rng.random(k) < 0.15)
    revoked_at = _after(rng, granted_at[revoked], gone[revoked])
    regranted = np.flatnonzero(rng.random(len(revoked)) < 0.25)
    regranted_at = _after(rng, revoked_at[regranted], gone[revoked[regranted]])
    later = choice(rng, len(revoked), (0, 0.45, 0.2, 0.2, 0.15))
    later = np.where(channel[revoked] == PUSH, APP, later)
    rows = np.concatenate([np.arange(k), revoked, revoked[regranted]])
    at = np.minimum(np.concatenate([granted_at, revoked_at, regranted_at]), pop.end)
    status = np.concatenate([np.ones(k, bool), np.zeros(len(revoked), bool),
                             np.ones(len(regranted), bool)])
    source = np.concatenate([source, later, later[regranted]])

    # Subject: account id and/or email (email always when there is no account id); each
    # person's forms identify them the same way, the app by account id.
    m = len(rows)
    form = owner[rows]
    person, channel = person[rows], channel[rows]
    with_user = ids.has_account[person] & (rng.random(n)[form] < np.where(channel == PUSH,
                                                                           0.95, 0.6))
    with_email = ~with_user | (rng.random(n)[form] < 0.5)
    email, canonical = written_emails(ctx, rng, person, at, alt_share=0.05, variant_share=0.15,
                                      junk_share=0.005, null_share=0.0)
    email = pc.if_else(pa.array(with_email), email, NULL_TEXT)
    canonical = pc.if_else(pa.array(with_email), canonical, NULL_TEXT)
    user_id = pc.if_else(pa.array(with_user), ids.account_id.take(pa.array(person)),
                                 NULL_TEXT)
    return _rows(ctx, rng, person, at, np.full(m, MARKETING), channel, status, source,
                 email=email, canonical=canonical, user_id=user_id,
                 anonymous_id=pa.nulls(m, pa.string()))


def _rows(ctx: ChunkContext, rng: np.random.Generator, person: np.ndarray, at: np.ndarray,
          purpose: np.ndarray, channel: np.ndarray, granted: np.ndarray, source: np.ndarray, *,
          email: pa.Array, canonical: pa.Array, user_id: pa.Array, anonymous_id: pa.Array
          ) -> Batch:
    n = len(person)
    at = np.minimum(at, ctx.population.end)
    policy = np.searchsorted([start for _, start in POLICIES], at, side="right") - 1
    # Imports from the old system often carry no policy version.
    policy = np.where((source == IMPORT) & (rng.random(n) < 0.5), -1, policy)
    ids = uuid4(rng, n)
    policies = tuple(version for version, _ in POLICIES)
    # Plain values first, then each key's JSON text; subject keys without a value are left out.
    fields = ctx.sql(f"""
        WITH v AS (
            SELECT i, id, email, user_id, anonymous_id,
                {sql.pick_literal(PURPOSES, 'purpose')} AS purpose,
                {sql.pick_literal(CHANNELS, 'channel')} AS channel,
                CASE WHEN granted THEN 'granted' ELSE 'revoked' END AS status,
                ts_text(ts, '%Y-%m-%dT%H:%M:%SZ') AS occurred_at,
                {sql.pick_literal(SOURCES, 'source')} AS source,
                CASE WHEN policy >= 0 THEN {sql.pick_literal(policies, 'policy')} END
                    AS policy_version
            FROM t)
        SELECT to_json(id)::VARCHAR AS consent_id,
            '{{' || concat_ws(', ',
                '"email": ' || to_json(email)::VARCHAR,
                '"user_id": ' || to_json(user_id)::VARCHAR,
                '"anonymous_id": ' || to_json(anonymous_id)::VARCHAR) || '}}' AS subject,
            to_json(purpose)::VARCHAR AS purpose, to_json(channel)::VARCHAR AS channel,
            to_json(status)::VARCHAR AS status, to_json(occurred_at)::VARCHAR AS occurred_at,
            to_json(source)::VARCHAR AS source,
            to_json(policy_version)::VARCHAR AS policy_version
        FROM v ORDER BY i""", t=pa.table({
        "i": np.arange(n), "id": ids, "email": email, "user_id": user_id,
        "anonymous_id": anonymous_id, "purpose": purpose, "channel": channel,
        "granted": np.asarray(granted, bool), "ts": at, "source": source, "policy": policy,
    }))
    return Batch(fields=fields, person=person, record_id=ids, sort_key=at, true_email=canonical)


def _after(rng: np.random.Generator, since: np.ndarray, until: np.ndarray) -> np.ndarray:
    """A later instant: at least a minute after `since`, by `until` when there is room."""
    room = np.maximum(until - since - 120, 0)
    return since + 60 + (rng.random(len(since)) * room).astype(np.int64)

