"""Subscription billing export: the streaming subscriptions of account holders.

About 60% of account holders subscribe, mostly early in their life, to a free or paid plan
(paid plans often start with a 7- or 30-day trial). ~20% later switch: an upgrade or downgrade
cancels the old subscription the day the new one starts; a resubscription follows a gap.
Persons who churn have their last subscription cancelled a few days before they go; some
others cancel anyway. Statuses, dates and updated_at agree (trialing until the trial ends,
updated at the last renewal, cancelled at cancellation), so "paid subscriber" audiences can
enter on started_on and leave on cancelled_on.

Noise: `is_paid` in mixed spellings, emails as typed at the last change (variants, junk, null
tokens); ~5% of subscriptions are exported twice: an earlier state (trialing, active,
past_due) and later the latest state with a newer updated_at (staging keeps the latest).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from cdp.generate import sql
from cdp.generate.arrays import choice, prefixed_digits
from cdp.generate.batch import Batch
from cdp.generate.config import COUNTRIES
from cdp.generate.context import ChunkContext
from cdp.generate.noise import written_emails
from cdp.generate.vocab_business import CURRENCY, PLAN_PRICES

TABLE = "billing_subscriptions"
DAY, HOUR = 86_400, 3_600
MONTH, YEAR = int(30.44 * DAY), int(365.25 * DAY)
PLANS = ("free", "basic", "standard", "premium")
CURRENCIES = ("USD", "GBP", "EUR")
STATUSES = ("trialing", "active", "past_due", "cancelled")
TRIALING, ACTIVE, PAST_DUE, CANCELLED = range(4)
# How billing systems spell the flag: index 0 false, 1 true.
PAID_SPELLINGS = (("false", "False", "FALSE", "0", "no"), ("true", "True", "TRUE", "1", "yes"))
# Price in cents per (plan, currency, period month/year).
PRICES = np.array([[PLAN_PRICES[p][c] for c in CURRENCIES] for p in PLANS], dtype=np.int64)
CURRENCY_OF_COUNTRY = np.array([CURRENCIES.index(CURRENCY[c]) for c in COUNTRIES])


def build(ctx: ChunkContext) -> dict[str, Batch]:
    rng = ctx.rng(TABLE)
    pop = ctx.population
    people = ctx.people(pop.ids.has_account)
    people = people[rng.random(len(people)) < 0.6]
    n = len(people)
    gone = pop.gone_at[people]
    start1 = pop.lifetime_times(rng, people, skew=2.0)
    plan1 = choice(rng, n, (0.2, 0.3, 0.35, 0.15))

    # Plan changes: upgrade, downgrade (same day) or resubscription after a gap.
    room = gone - start1
    movers = np.flatnonzero((rng.random(n) < 0.2) & (room > 30 * DAY))
    kind = choice(rng, len(movers), (0.45, 0.3, 0.25))
    switch = start1[movers] + ((0.15 + 0.8 * rng.random(len(movers))) * room[movers]).astype(
        np.int64)
    gap = np.where(kind == 2, np.minimum(7 * DAY + rng.random(len(movers)) * 80 * DAY,
                                         (switch - start1[movers]) // 2), 0).astype(np.int64)
    plan2 = plan1[movers] + np.select([kind == 0, kind == 1], [1, -1], 0)
    plan2 = np.where(plan2 > 3, 2, np.where(plan2 < 0, 1, plan2))

    owner = np.concatenate([people, people[movers]])
    plan = np.concatenate([plan1, plan2])
    start = np.concatenate([start1, switch])
    m = len(owner)
    first_of_mover = np.zeros(m, bool)
    first_of_mover[movers] = True
    period_year = (plan > 0) & (rng.random(m) < 0.2)
    period_year[n:] = np.where(kind == 2, period_year[movers], period_year[n:])
    trial = (plan > 0) & (rng.random(m) < 0.45) & (np.arange(m) < n)
    trial_end = np.where(trial, start + np.where(rng.random(m) < 0.6, 7, 30) * DAY, -1)

    # Cancellation: switchers' old subscription, churned persons' last one, some others.
    end, gone_o = pop.end, pop.gone_at[owner]
    cancel = np.full(m, -1, dtype=np.int64)
    cancel[movers] = switch - gap
    last = ~first_of_mover
    churned = last & (gone_o < end - 30 * DAY)
    near_gone = gone_o - (rng.random(m) * 10 * DAY).astype(np.int64)
    cancel = np.where(churned, np.clip(near_gone, start + HOUR, gone_o), cancel)
    quits = last & ~churned & (rng.random(m) < 0.1)
    cancel = np.where(quits, start + (rng.random(m) * (end - start)).astype(np.int64), cancel)
    cancel = np.where(cancel >= 0, np.minimum(cancel, end), -1)

    paid = plan > 0
    trialing = trial & (trial_end > end) & (cancel < 0)
    past_due = paid & (cancel < 0) & ~trialing & (rng.random(m) < 0.04)
    status = np.select([cancel >= 0, trialing, past_due], [CANCELLED, TRIALING, PAST_DUE], ACTIVE)
    # updated_at: cancellation, sign-up, or the last renewal (a failed one when past due).
    billed_from = np.where(trial, trial_end, start)
    step = np.where(period_year, YEAR, MONTH)
    renewal = billed_from + np.maximum(end - billed_from, 0) // step * step
    renewal = np.where(paid, renewal, start + (rng.random(m) * 20 * 60).astype(np.int64))
    signup = start + 60 + (rng.random(m) * 3_000).astype(np.int64)
    updated = np.select([status == CANCELLED, status == TRIALING], [cancel, signup], renewal)
    updated = np.minimum(updated + np.where(status == PAST_DUE, 2 * HOUR, 0), end)

    # Earlier states exported before the latest one (re-exports, kept only if strictly older).
    before = np.select(
        [trial & ((status != CANCELLED) | (cancel < trial_end)), status == CANCELLED,
         (status == ACTIVE) & paid],
        [np.full(m, TRIALING), np.where(paid & (rng.random(m) < 0.2), PAST_DUE, ACTIVE),
         np.full(m, PAST_DUE)], ACTIVE)
    from_ = np.where(before == TRIALING, start, np.maximum(billed_from, start))
    earlier = np.where(before == TRIALING, start + 30,
                       from_ + (rng.random(m) * (updated - from_)).astype(np.int64))
    earlier = np.where((status == ACTIVE) & (before == PAST_DUE),
                       np.maximum(updated - (1 + 2 * rng.random(m)) * DAY, from_).astype(np.int64),
                       earlier)
    again = np.flatnonzero((rng.random(m) < 0.05) & (earlier >= start) & (earlier < updated))

    # Ids in order of sign-up, as a billing system hands them out.
    numbers = np.empty(m, dtype=np.int64)
    numbers[np.argsort(start, kind="stable")] = ctx.next_numbers(TABLE, m, start=10_000_001)
    rows = np.concatenate([np.arange(m), again])
    status_rows = np.concatenate([status, before[again]])
    cancel_rows = np.where(status_rows == CANCELLED, cancel[rows], -1)
    updated_rows = np.concatenate([updated, earlier[again]])
    duplicate = np.zeros(len(rows), bool)
    duplicate[again] = True
    return {TABLE: _rows(ctx, rng, owner[rows], numbers[rows], plan[rows], period_year[rows],
                         status_rows, start[rows], cancel_rows, trial_end[rows], updated_rows,
                         duplicate)}


def _rows(ctx: ChunkContext, rng: np.random.Generator, owner: np.ndarray, numbers: np.ndarray,
          plan: np.ndarray, year: np.ndarray, status: np.ndarray, start: np.ndarray,
          cancel: np.ndarray, trial_end: np.ndarray, updated: np.ndarray,
          duplicate: np.ndarray) -> Batch:
    n = len(owner)
    currency = CURRENCY_OF_COUNTRY[ctx.population.country[owner]]
    paid = plan > 0
    email, email_canonical = written_emails(ctx, rng, owner, updated, alt_share=0.03,
                                            variant_share=0.1, junk_share=0.005,
                                            null_share=0.02)
    numbers_table = pa.table({
        "i": np.arange(n), "plan": plan, "year": year, "paid": paid, "status": status,
        "currency": currency, "cents": PRICES[plan, currency, year.astype(np.int64)],
        "spelling": (rng.random(n) * 5).astype(np.int64), "start": start, "cancel": cancel,
        "trial_end": trial_end, "updated": updated,
    })
    text = ctx.sql(f"""
        SELECT {sql.pick_literal(PLANS, 'plan')} AS plan,
            CASE WHEN NOT paid THEN 'none' WHEN year THEN 'year' ELSE 'month' END
                AS billing_period,
            CASE WHEN paid THEN {sql.pick_literal(PAID_SPELLINGS[1], 'spelling')}
                ELSE {sql.pick_literal(PAID_SPELLINGS[0], 'spelling')} END AS is_paid,
            money(cents) AS price,
            {sql.pick_literal(CURRENCIES, 'currency')} AS currency,
            {sql.pick_literal(STATUSES, 'status')} AS status,
            ts_text(start, '%Y-%m-%d') AS started_on,
            CASE WHEN cancel >= 0 THEN ts_text(cancel, '%Y-%m-%d') END AS cancelled_on,
            CASE WHEN trial_end >= 0 THEN ts_text(trial_end, '%Y-%m-%d') END AS trial_ends_on,
            ts_text(updated, '%Y-%m-%dT%H:%M:%SZ') AS updated_at
        FROM t ORDER BY i""", t=numbers_table)
    ids = prefixed_digits("SUB-", numbers, 8)
    fields = pa.table({
        "subscription_id": ids,
        "account_id": ctx.population.ids.account_id.take(pa.array(owner)),
        "email": email,
        **{name: text.column(name).combine_chunks() for name in text.column_names},
    })
    return Batch(fields=fields, person=owner, record_id=ids, sort_key=updated,
                 true_email=email_canonical, is_duplicate=duplicate)

