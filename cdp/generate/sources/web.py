"""Web tracking export: Segment-like page/track/identify calls, one JSON object per line.

Sessions come from `web_sessions.plan` (6-7 hits per web-using person over 1-4 browsers,
1-2 hits per anonymous visitor). Each session lands on a page: ~30% of landings carry UTM
tags (URL query and `context.campaign`, the source's case varies by ad tool), the rest a
search/social referrer or none; later hits refer to the previous page. Track hits reuse one
product and one title per session, priced in the visitor's currency; some sessions come from
another network (IP). Identity is written the way trackers see it: the account id only from
the sign-in on, emails only on identify, sign-up and newsletter hits, as typed (case, padding,
+tags, work address, rare junk). Noise: ~2% of hits reach the collector hours to days late;
~1% are delivered twice, the same line again in a later batch of the export (staging keeps
the first delivery).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdp.generate import vocab_business as vb
from cdp.generate.arrays import choice, pick, pick_text, scatter, take, uuid4, where_text
from cdp.generate.batch import Batch
from cdp.generate.channels import ip_addresses
from cdp.generate.context import ChunkContext
from cdp.generate.noise import written_emails
from cdp.generate.sources import web_sessions as ws

TABLE = "web_events"
HOUR = 3_600


def build(ctx: ChunkContext) -> dict[str, Batch]:
    rng = ctx.rng(TABLE)
    pop, ch = ctx.population, ctx.population.channels
    ev = ws.plan(ctx, ctx.rng(TABLE, part=1))
    n, ns = len(ev.pos), int(ev.session.max()) + 1 if len(ev.pos) else 0
    cookie = ch.cookies_of(ctx.lo, ctx.hi).start + ev.cookie
    owner, session, landing, identity = ev.owner, ev.session, ev.pos == 0, ev.identity

    # Landings are page views; identity hits are track calls except plain identify calls;
    # other hits are page views or catalogue events.
    track = ~landing & (identity < 0) & (rng.random(n) < 0.5)
    name = np.where(track, choice(rng, n, [w for _, w in vb.TRACK_EVENTS]), -1)
    for kind, index in ws.IDENTITY_NAME.items():
        name = np.where(identity == kind, index, name)
    call = np.where(name >= 0, 1, np.where(identity >= 0, 2, 0))

    # The page each hit is on; a session sticks to one product and one title.
    product = pick(rng, np.full(ns, len(vb.PRODUCTS)))[session]
    title = pick(rng, np.full(ns, len(vb.CONTENT)))[session]
    browse = choice(rng, n, (0.5, 0.25, 0.25))
    site_page = choice(rng, n, [4] + [1] * (len(vb.PAGES) - 1))  # the home page most often
    page = np.select([browse == 0, browse == 1], [site_page, ws.PRODUCT_PAGE + product],
                     ws.CONTENT_PAGE + title)
    shop = np.where(name >= 0, ws.SHOP_SLOT[np.maximum(name, 0)], -1)
    page = np.select([name == ws.CONTENT_VIEWED, shop >= 0],
                     [ws.CONTENT_PAGE + title, ws.PRODUCT_PAGE + product], page)
    for event, index in ws.SHOP_PAGE.items():
        page = np.where(name == ws.NAMES.index(event), index, page)
    for kind, index in ws.IDENTITY_PAGE.items():
        page = np.where(identity == kind, index, page)

    # `properties`: an index into the pre-encoded objects (see web_sessions._properties).
    currency = ws.COUNTRY_CURRENCY[pop.country[owner]]
    qty = (1 + (rng.random(ns) < 0.15))[session]
    method = choice(rng, n, (0.7, 0.2, 0.1))
    shop_props = ((shop * len(vb.PRODUCTS) + product) * 2 + qty - 1) * 3 + currency
    prop = np.select(
        [shop >= 0, name == ws.CONTENT_VIEWED, identity == ws.SIGNED_IN,
         identity == ws.SIGNED_UP, identity == ws.NEWSLETTER],
        [shop_props, ws.CONTENT_PROPS + title, ws.SIGN_PROPS + method,
         ws.SIGN_PROPS + 3 + method, ws.SIGN_PROPS + 6], -1)

    # Landing attribution: UTM tags on ~30% of sessions, otherwise a referrer or direct.
    utm = (rng.random(ns) < 0.3)[session] & landing
    tags = pick(rng, np.full(ns, len(ws.UTM)))[session]
    url = pc.binary_join_element_wise(vb.SITE, take([p for p, _ in ws.PAGE_LIST], page),
                                      where_text(utm, take(ws.UTM_QUERY, tags), ""), "")
    searched = pick_text(rng, vb.REFERRERS, n)
    referrer = where_text(rng.random(n) < 0.55, searched, "")
    referrer = pc.if_else(pa.array(utm), take(ws.CAMPAIGN_REFERRERS, ws.UTM_CAMPAIGN[tags]),
                          referrer)
    previous = url.take(pa.array(np.maximum(np.arange(n) - 1, 0)))  # hits are in session order
    referrer = pc.if_else(pa.array(landing), referrer, previous)

    # Identity: the account id once signed in; an email on identify/sign-up/newsletter hits.
    with_email = np.isin(identity, (ws.SIGNED_UP, ws.NEWSLETTER, ws.IDENTIFY_GUEST)) \
        | ((identity == ws.IDENTIFY_USER) & (rng.random(n) < 0.8)) \
        | ((identity == ws.SIGNED_IN) & (rng.random(n) < 0.3))
    rows = np.flatnonzero(with_email)
    typed, canonical = written_emails(ctx, rng, owner[rows], ev.ts_ms[rows] // 1000,
                                      alt_share=0.08, junk_share=0.005, null_share=0.005)

    # Most hits reach the collector within seconds; offline tabs and retries days later.
    delay = (150 + rng.exponential(1200.0, n)).astype(np.int64)
    late = rng.random(n) < 0.02
    delay += np.where(late, (HOUR * 1000 * (1 + 119 * rng.random(n) ** 2)).astype(np.int64), 0)
    received = np.minimum(ev.ts_ms + delay, pop.end * 1000 + 999)
    own_ip = rng.random(ns)[session] < 0.8
    ip = pc.if_else(pa.array(own_ip), ch.cookie_ip.take(pa.array(cookie)),
                    ip_addresses(rng, ns).take(pa.array(session)))
    text = ctx.sql(_QUERY, t=pa.table({
        "i": np.arange(n), "ts": ev.ts_ms, "recv": received, "email": scatter(n, rows, typed),
        "utm": where_text(utm, take(ws.UTM_JSON, tags), ""), "ip": ip,
        "locale": take(ws.LOCALE_JSON, pop.country[owner]), "path": take(ws.PATH_JSON, page),
        "title": take(ws.TITLE_JSON, page), "url": url, "referrer": referrer,
        "agent": take(ws.AGENT_JSON, ch.cookie_agent[cookie]),
    }))
    message_id = uuid4(rng, n)
    fields = pa.table({
        "type": take(['"page"', '"track"', '"identify"'], call),
        "event": where_text(name >= 0, take(ws.NAME_JSON, np.maximum(name, 0))),
        "messageId": _quoted(message_id),
        "anonymousId": _quoted(ch.cookie_id.take(pa.array(cookie))),
        "userId": where_text(ev.logged_in, _quoted(pop.ids.account_id.take(pa.array(owner))),
                             "null"),
        "timestamp": text.column("timestamp"), "receivedAt": text.column("receivedAt"),
        "properties": where_text(prop >= 0, take(ws.PROPERTIES, np.maximum(prop, 0))),
        "traits": text.column("traits"), "context": text.column("context"),
    })
    batch = Batch(fields=fields, person=owner, record_id=message_id,
                  sort_key=received // 1000, true_email=scatter(n, rows, canonical))

    # Re-deliveries: the identical line again, written with a later batch of the export.
    again = np.flatnonzero(rng.random(n) < 0.01)
    copies = batch.take(again)
    copies.sort_key = copies.sort_key + 60 + pick(rng, np.full(len(again), 2 * 86_400))
    copies.is_duplicate[:] = True
    return {TABLE: Batch.concat([batch, copies])}


def _quoted(values: pa.Array) -> pa.Array:
    """Ids made of hex digits, `u_` and dashes as JSON strings (nothing to escape)."""
    return pc.binary_join_element_wise('"', values, '"', "")


# Per-row values go through to_json; the vocabulary arrives pre-encoded (web_sessions), so
# `context` is one string concatenation, much cheaper than nested json_object calls.
_QUERY = """
SELECT
    to_json(ts_ms_text(ts))::VARCHAR AS "timestamp",
    to_json(ts_ms_text(recv))::VARCHAR AS "receivedAt",
    CASE WHEN email IS NOT NULL THEN json_object('email', email)::VARCHAR END AS "traits",
    '{' || utm || '"ip":' || to_json(ip)::VARCHAR || ',"locale":' || locale
        || ',"page":{"path":' || path || ',"referrer":' || to_json(referrer)::VARCHAR
        || ',"title":' || title || ',"url":' || to_json(url)::VARCHAR
        || '},"userAgent":' || agent || '}' AS "context"
FROM t
ORDER BY i
"""
