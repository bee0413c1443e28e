"""ESP event export: sends, deliveries, opens, clicks, bounces and opt-outs of marketing mail.

About 70% of the persons whose email the business recorded (CRM, checkout) subscribe at some
point of their life and receive a sample of the campaigns sent while they are subscribed (a
weekly newsletter plus seasonal promos): ~5 sends each, ~12 rows with deliveries, opens (~35%
of sends, driven by a per-person engagement trait, which also drives clicks) and clicks (~5%,
with a tracked url). About 1% of
recipients hard-bounce and 1% unsubscribe (nothing is sent to them afterwards), a few complain
about spam, ~0.5% of sends soft-bounce. The ESP stores addresses lower-cased and trimmed, so the
only variants are +tags and Gmail spellings, kept per subscriber; CRM-synced subscribers move
to their new address when they change it, checkout opt-ins keep the address they gave.
Webhooks are at-least-once: ~0.5% of events are delivered again, later, with the same event_id.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdp.generate.arrays import expand, pick, pick_text, take, uuid4
from cdp.generate.batch import Batch
from cdp.generate.context import ChunkContext
from cdp.generate.noise import written_emails
from cdp.generate.vocab_business import SITE

TABLE = "esp_email_events"
HOUR, DAY = 3_600, 86_400
EVENT_TYPES = ("sent", "delivered", "open", "click", "unsubscribe", "bounce", "spam_complaint")
SENT, DELIVERED, OPEN, CLICK, UNSUBSCRIBE, BOUNCE, SPAM = range(7)
SEND_SHARE = 0.085  # share of the campaigns of their window a subscriber is sampled for
# Seasonal promos: (month, day, slug, name); day 0 = Black Friday (4th Friday of November).
PROMOS = (
    (1, 6, "new_year", "New Year, New Shows"), (2, 10, "valentine", "Valentine's Movie Night"),
    (3, 19, "spring_sale", "Spring Sale: 3 months for 1"),
    (5, 6, "sport_pack", "The Sport Package is here"),
    (6, 24, "summer_binge", "Your Summer Binge List"),
    (8, 27, "back_to_school", "Back to School Deals"),
    (10, 23, "halloween", "Halloween Horror Picks"),
    (11, 0, "black_friday", "Black Friday: 40% off"),
    (12, 9, "gift_guide", "Holiday Gift Guide"),
)
NEWS_PATHS = ("/", "/browse", "/series", "/movies", "/sport", "/music", "/shop")
PROMO_PATHS = ("/pricing", "/pricing", "/shop", "/sport")


@lru_cache(maxsize=4)
def campaigns(start: int, end: int) -> tuple[np.ndarray, pa.Array, pa.Array, np.ndarray]:
    """(send time, id, name, is_promo) of every campaign in [start, end), by time."""
    rows = []
    first = datetime.fromtimestamp(start, UTC).date()
    last = datetime.fromtimestamp(end, UTC).date()
    day = first + timedelta(days=(3 - first.weekday()) % 7)  # newsletters go out on Thursdays
    while day <= last:
        rows.append((day, time(9), "news", f"Streamly Weekly: {day.day} {day:%b %Y}", False))
        day += timedelta(weeks=1)
    for year in range(first.year, last.year + 1):
        for month, dom, slug, name in PROMOS:
            if dom == 0:
                dom = 22 + (4 - date(year, 11, 22).weekday()) % 7
            rows.append((date(year, month, dom), time(15), slug, f"{name} {year}", True))
    times, ids, names, promo = [], [], [], []
    for day, at, slug, name, is_promo in rows:
        stamp = int(datetime.combine(day, at, tzinfo=UTC).timestamp())
        if start <= stamp < end:
            iso = day.isocalendar()
            times.append(stamp)
            ids.append(f"cmp_{iso.year}w{iso.week:02d}_{slug}")
            names.append(name)
            promo.append(is_promo)
    order = np.argsort(times, kind="stable")
    return (np.asarray(times, np.int64)[order], take(ids, order), take(names, order),
            np.asarray(promo, bool)[order])


def build(ctx: ChunkContext) -> dict[str, Batch]:
    rng = ctx.rng(TABLE)
    pop = ctx.population
    # The list is fed by the CRM and by checkout opt-ins: addresses the business recorded.
    captured = pop.in_crm | pop.buyer
    people = ctx.people(pop.ids.has_email & ~pop.anonymous & captured)
    people = people[rng.random(len(people)) < 0.7]
    n = len(people)
    engagement = rng.beta(1.2, 2.2, n)  # open probability per send; clicks follow it too
    subscribed = pop.lifetime_times(rng, people, skew=1.5)
    stop = pop.gone_at[people]

    # A sample of the campaigns sent while subscribed (with replacement, repeats dropped).
    when, cmp_id, cmp_name, is_promo = campaigns(pop.start, pop.end)
    lo, hi = np.searchsorted(when, subscribed), np.searchsorted(when, stop)
    width = np.maximum(hi - lo, 0)
    owner, _ = expand(rng.binomial(width, SEND_SHARE))
    campaign = lo[owner] + pick(rng, width[owner])
    order = np.lexsort((campaign, owner))
    owner, campaign = owner[order], campaign[order]
    first = np.ones(len(owner), bool)
    first[1:] = (owner[1:] != owner[:-1]) | (campaign[1:] != campaign[:-1])
    owner, campaign = owner[first], campaign[first]

    # Last send of recipients who hard-bounce, unsubscribe or complain; nothing after it.
    counts = np.bincount(owner, minlength=n)
    ending = np.searchsorted(np.cumsum([0.01, 0.01, 0.001]), rng.random(n), side="right")
    last_pos = np.where(ending < 3, pick(rng, np.maximum(counts, 1)), counts)
    position = np.arange(len(owner)) - (np.cumsum(counts) - counts)[owner]
    keep = position <= last_pos[owner]
    owner, campaign, position = owner[keep], campaign[keep], position[keep]
    s = len(owner)
    terminal = np.where(position == last_pos[owner], ending[owner], 3)

    sent = when[campaign] + (rng.random(s) * 2 * HOUR).astype(np.int64)  # sending takes hours
    hard = terminal == 0
    soft = (terminal == 3) & (rng.random(s) < 0.005)
    delivered = ~hard & ~soft
    bounce_at = sent + 5 + (rng.random(s) * 600).astype(np.int64)
    delivered_at = sent + 1 + (rng.random(s) * 90).astype(np.int64)
    opened = delivered & ((rng.random(s) < engagement[owner]) | ((terminal == 1)
                                                                 & (rng.random(s) < 0.7)))
    open_at = delivered_at + 60 + rng.exponential(8 * HOUR, s).astype(np.int64)
    clicked = opened & (rng.random(s) < 0.28 * engagement[owner])
    click_at = open_at + 5 + (rng.random(s) * 300).astype(np.int64)
    unsub_at = np.where(opened, open_at, delivered_at) + 10 + (rng.random(s) * 900).astype(np.int64)
    spam_at = delivered_at + rng.exponential(12 * HOUR, s).astype(np.int64)

    parts = [(np.ones(s, bool), SENT, sent), (delivered, DELIVERED, delivered_at),
             (hard | soft, BOUNCE, bounce_at), (opened, OPEN, open_at), (clicked, CLICK, click_at),
             (delivered & (terminal == 1), UNSUBSCRIBE, unsub_at),
             (delivered & (terminal == 2), SPAM, spam_at)]
    send = np.concatenate([np.flatnonzero(mask) for mask, _, _ in parts])
    kind = np.concatenate([np.full(int(mask.sum()), k) for mask, k, _ in parts])
    at = np.concatenate([t[mask] for mask, _, t in parts])
    live = at < pop.end  # opens and clicks still to come are not in the export yet
    send, kind, at = send[live], kind[live], at[live]
    m = len(send)

    # Each subscriber's list entry: the address in use then, as the ESP stores it.
    # CRM-synced entries follow an address change; checkout opt-ins keep the address given.
    person = people[owner[send]]
    address_at = np.where(pop.in_crm[person], sent[send], subscribed[owner[send]])
    old = address_at < pop.ids.email_changed_at[person]  # one address for all of a send
    texts, canon = [], []
    for moment in (np.full(n, np.iinfo(np.int64).min), np.full(n, pop.end)):
        text, canonical = written_emails(ctx, rng, people, moment, variant_share=0.15,
                                         junk_share=0.0, null_share=0.0)
        texts.append(pc.utf8_lower(pc.utf8_trim_whitespace(text)))
        canon.append(canonical)
    rows = pa.array(owner[send])
    email = pc.if_else(pa.array(old), texts[0].take(rows), texts[1].take(rows))
    email_canonical = pc.if_else(pa.array(old), canon[0].take(rows), canon[1].take(rows))

    cmp = pa.array(campaign[send])
    ids = cmp_id.take(cmp)
    promo = is_promo[campaign[send]]
    path = pc.if_else(pa.array(promo), pick_text(rng, PROMO_PATHS, m),
                      pick_text(rng, NEWS_PATHS, m))
    url = pc.binary_join_element_wise(
        SITE, path, "?utm_source=newsletter&utm_medium=email&utm_campaign=", ids, "")
    bounce_type = take(("soft", "hard", None), np.where(kind == BOUNCE, hard[send], 2))
    fields = pa.table({
        "event_id": uuid4(rng, m),
        "email": email,
        "event_type": take(EVENT_TYPES, kind),
        "campaign_id": ids,
        "campaign_name": cmp_name.take(cmp),
        "url": pc.if_else(pa.array(kind == CLICK), url, pa.scalar(None, pa.string())),
        "bounce_type": bounce_type,
        "occurred_at": pa.array(at, pa.int64()),
    })
    events = Batch(fields=fields, person=person, sort_key=at, true_email=email_canonical,
                   record_id=fields.column("event_id").combine_chunks())

    # At-least-once webhooks: some events arrive again, seconds to hours later.
    again = np.flatnonzero(rng.random(m) < 0.005)
    copies = events.take(again)
    copies.sort_key = copies.sort_key + 1 + (rng.exponential(HOUR, len(again))).astype(np.int64)
    copies.is_duplicate[:] = True
    return {TABLE: Batch.concat([events, copies])}
