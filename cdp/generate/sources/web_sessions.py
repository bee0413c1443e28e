"""Browsing sessions of the web tracker, and the site's vocabulary as JSON fragments.

`plan` decides everything per hit as numbers (cookie, session, time, identity, logged in);
`web.py` spells it out. A cookie of a known person that "identifies" gets 1 + Poisson
sessions over its owner's life; in one of them (often not the first, never on the landing
hit) the visitor signs in, signs up, subscribes to the newsletter or fills a checkout form.
With an account the rest of that session, and later sessions on "remember me" cookies, carry
the user id. The vocabulary (pages, properties, UTM tags) is JSON-encoded once here, so rows
only pick fragments by index.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass

import numpy as np

from cdp.generate.arrays import choice, expand, pick
from cdp.generate.config import COUNTRIES
from cdp.generate.context import ChunkContext
from cdp.generate.vocab_business import (
    CAMPAIGNS,
    CONTENT,
    CURRENCY,
    PAGES,
    PRODUCTS,
    TRACK_EVENTS,
    USER_AGENTS,
)

HOUR = 3_600
# Kinds of identity hit.
SIGNED_UP, SIGNED_IN, IDENTIFY_USER, NEWSLETTER, IDENTIFY_GUEST = range(5)
# Which identity hits carry the account id (and keep the visitor logged in afterwards).
WITH_USER = np.array([True, True, True, False, False])


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# Every page a hit can be on: the site's pages, one per product and title, then the funnel.
SPECIAL = (("/checkout", "Checkout"), ("/checkout/confirmation", "Order confirmed"),
           ("/login", "Sign in"), ("/signup", "Create your account"),
           ("/newsletter", "Newsletter"))
PAGE_LIST = [*PAGES, *((f"/shop/{_slug(p[1])}", f"{p[1]} | Streamly Shop") for p in PRODUCTS),
             *((f"/watch/{c[0]}/{_slug(c[1])}", f"{c[1]} | Streamly") for c in CONTENT), *SPECIAL]
PRODUCT_PAGE, CONTENT_PAGE = len(PAGES), len(PAGES) + len(PRODUCTS)
CHECKOUT, CONFIRMATION, LOGIN, SIGNUP, NEWSLETTER_PAGE = range(len(PAGE_LIST) - 5, len(PAGE_LIST))
IDENTITY_PAGE = {SIGNED_UP: SIGNUP, SIGNED_IN: LOGIN, NEWSLETTER: NEWSLETTER_PAGE,
                 IDENTIFY_USER: [p for p, _ in PAGES].index("/account"), IDENTIFY_GUEST: CHECKOUT}

# Track event names (catalogue events as TRACK_EVENTS, then the identity hits).
NAMES = [e for e, _ in TRACK_EVENTS] + ["Signed Up", "Signed In", "Newsletter Subscribed"]
IDENTITY_NAME = {SIGNED_UP: len(TRACK_EVENTS), SIGNED_IN: len(TRACK_EVENTS) + 1,
                 NEWSLETTER: len(TRACK_EVENTS) + 2}
CONTENT_VIEWED = NAMES.index("Content Viewed")
SHOP_EVENTS = ("Product Viewed", "Product Added", "Checkout Started", "Order Completed")
SHOP_SLOT = np.array([SHOP_EVENTS.index(e) if e in SHOP_EVENTS else -1 for e in NAMES])
SHOP_PAGE = {"Checkout Started": CHECKOUT, "Order Completed": CONFIRMATION}
CURRENCIES = ("USD", "GBP", "EUR")
COUNTRY_CURRENCY = np.array([CURRENCIES.index(CURRENCY[c]) for c in COUNTRIES])
SIGN_IN_METHODS = ("password", "google", "apple")


def _properties() -> list[str]:
    """Every `properties` object a hit can carry, as JSON: shop events by (event, product,
    quantity, currency), then titles, sign-in/sign-up methods and the newsletter list."""
    docs = []
    for event, (sku, name, category, cents), qty, currency in itertools.product(
            SHOP_EVENTS, PRODUCTS, (1, 2), CURRENCIES):
        doc = {"sku": sku, "name": name, "category": category, "price": cents / 100,
               "currency": currency}
        if event != "Product Viewed":
            doc["quantity"] = qty
        if event == "Order Completed":
            doc["revenue"] = cents * qty / 100
        docs.append(doc)
    docs += [{"content_id": c[0], "title": c[1], "category": c[2], "genre": c[3]} for c in CONTENT]
    docs += [{"method": m} for m in SIGN_IN_METHODS] * 2 + [{"list": "weekly_picks"}]
    return [to_json(d) for d in docs]


PROPERTIES = _properties()
CONTENT_PROPS = len(SHOP_EVENTS) * len(PRODUCTS) * 6
SIGN_PROPS = CONTENT_PROPS + len(CONTENT)

# UTM tags: per (campaign, source capitalised, term, ad content) the `context.campaign` JSON
# member and the landing URL's query. Terms exist for paid search only.
TERMS = ("streamly", "streaming service", "watch football live", "streamly free trial",
         "series to watch")
AD_CONTENTS = ("hero_banner", "carousel_2", "video_15s", "text_link", "top_pick_1")
CAMPAIGN_REFERRERS = ("https://www.google.com/", "https://l.facebook.com/", "",
                      "https://l.instagram.com/", "https://deals.partner-tv.example/")
UTM = list(itertools.product(CAMPAIGNS, (False, True), TERMS, AD_CONTENTS))
UTM_JSON = ['"campaign":' + to_json({"source": s.capitalize() if cap else s, "medium": m,
                                     "name": c} | ({"term": t} if m == "cpc" else {})
                                    | {"content": k}) + "," for (s, m, c), cap, t, k in UTM]
UTM_QUERY = [f"?utm_source={s}&utm_medium={m}&utm_campaign={c}"
             + (f"&utm_term={t.replace(' ', '+')}" if m == "cpc" else "") + f"&utm_content={k}"
             for (s, m, c), _, t, k in UTM]
UTM_CAMPAIGN = np.arange(len(UTM)) // (len(UTM) // len(CAMPAIGNS))
# JSON texts of per-hit vocabulary, by index.
PATH_JSON = [to_json(p) for p, _ in PAGE_LIST]
TITLE_JSON = [to_json(t) for _, t in PAGE_LIST]
NAME_JSON = [to_json(v) for v in NAMES]
LOCALE_JSON = [to_json(v) for v in ("en-US", "en-GB", "de-DE", "fr-FR")]  # as COUNTRIES
AGENT_JSON = [to_json(v) for v in USER_AGENTS]


@dataclass
class Events:
    """One row per web hit, already in session order within each cookie."""

    cookie: np.ndarray  # index into the chunk's cookie slice
    owner: np.ndarray  # true person
    session: np.ndarray  # session number within the chunk
    pos: np.ndarray  # position of the hit within its session
    ts_ms: np.ndarray  # client timestamp, epoch milliseconds
    identity: np.ndarray  # identity hit kind, or -1 for ordinary page/track hits
    logged_in: np.ndarray  # hit carries the account id
    first_cookie: np.ndarray  # the person's first browser (kept since acquisition)


def plan(ctx: ChunkContext, rng: np.random.Generator) -> Events:
    pop, ch = ctx.population, ctx.population.channels
    cut = ch.cookies_of(ctx.lo, ctx.hi)
    owner = ch.cookie_owner[cut]
    start = ch.cookie_start[cut]
    identifies = ch.cookie_identifies[cut]
    account = pop.ids.has_account[owner]
    anonymous = pop.anonymous[owner]
    k = len(owner)
    first_cookie = np.r_[True, owner[1:] != owner[:-1]] if k else np.zeros(0, bool)

    # Sessions per cookie: regulars come back; anonymous visitors once or twice; the few
    # known browsers that never identify get a single hit (unlinkable rows stay rare).
    sessions = np.where(identifies, 1 + rng.poisson(0.6, k),
                        np.where(anonymous, 1 + (rng.random(k) < 0.25), 1))
    s_cookie, s_rank = expand(sessions)
    gone = pop.gone_at[owner[s_cookie]]
    room = np.maximum(gone - start[s_cookie] - HOUR, 0)
    s_start = start[s_cookie] + (rng.random(len(s_cookie)) * room).astype(np.int64)
    # The first visit on a browser is when the cookie was set.
    s_start = np.where(s_rank == 0, start[s_cookie] + pick(rng, np.full(len(s_cookie), 900)),
                       s_start)
    s_start = s_start[np.lexsort((s_start, s_cookie))]  # cookies stay grouped, times ascend

    length = 1 + choice(rng, len(s_cookie), (0.3, 0.26, 0.2, 0.14, 0.1))
    length = np.where(anonymous[s_cookie], 1 + (rng.random(len(s_cookie)) < 0.4), length)
    length = np.where(identifies[s_cookie] | anonymous[s_cookie], length, 1)

    # The identity hit: kind per cookie, in which session and at which hit.
    u = rng.random(k)
    kind = np.where(account,
                    np.where(first_cookie & (u < 0.35), SIGNED_UP,
                             np.where(rng.random(k) < 0.7, SIGNED_IN, IDENTIFY_USER)),
                    np.where(u < 0.55, NEWSLETTER, IDENTIFY_GUEST))
    login_rank = np.where((kind == SIGNED_UP) | (rng.random(k) < 0.4), 0, pick(rng, sessions))
    login_session = np.flatnonzero(identifies[s_cookie] & (s_rank == login_rank[s_cookie]))
    length[login_session] = np.maximum(length[login_session], 2)
    id_pos = np.zeros(k, dtype=np.int64)
    id_pos[s_cookie[login_session]] = 1 + pick(rng, length[login_session] - 1)
    remember = rng.random(k) < 0.5

    e_session, pos = expand(length)
    cookie = s_cookie[e_session]
    rank = s_rank[e_session]
    is_login = identifies[cookie] & (rank == login_rank[cookie])
    identity = np.where(is_login & (pos == id_pos[cookie]), kind[cookie], -1)
    user = identifies[cookie] & WITH_USER[kind[cookie]]
    logged_in = user & ((is_login & (pos >= id_pos[cookie]))
                        | (remember[cookie] & (rank > login_rank[cookie])))

    # Seconds between hits: reading a page takes a few seconds to several minutes.
    gaps = np.where(pos == 0, 0, 4 + rng.exponential(70.0, len(pos)).astype(np.int64))
    elapsed = np.cumsum(gaps)
    elapsed -= elapsed[np.flatnonzero(pos == 0)][e_session]
    seconds = np.minimum(s_start[e_session] + elapsed, pop.gone_at[owner[cookie]])
    return Events(
        cookie=cookie, owner=owner[cookie], session=e_session, pos=pos,
        ts_ms=seconds * 1000 + pick(rng, np.full(len(pos), 1000)),
        identity=identity, logged_in=logged_in, first_cookie=first_cookie[cookie],
    )
