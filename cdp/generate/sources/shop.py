"""Web shop + in-store POS export: orders (sales and returns) and their item lines.

Buyers purchase over their life as in shop_items (BG/NBD-like frequency, a personal basket
value), on the web (~50%), in the app (~15%, account holders) or in a store (~35%) of their
country. Online orders carry the account id when logged in and an email (guests always), a
phone sometimes; store orders a loyalty card and/or an e-receipt email or phone, never none.
Emails and phones are written as people type them (case, +tags, Gmail dots, national or
international phone formats read with billing_country, a few junk values); absent ones are
sometimes written as null tokens. Times are local with the country's UTC offset (US buyers in
their state's zone, DST exact). ~8% of sales are returned a few days later as a new order with
negative amounts; ~3% of orders are re-exported later with a newer updated_at.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdp.generate.arrays import expand, pick, pick_text, prefixed_digits, take, where_text
from cdp.generate.batch import Batch
from cdp.generate.config import COUNTRIES
from cdp.generate.context import ChunkContext
from cdp.generate.noise import written_emails, written_phones
from cdp.generate.sources import shop_items as buying
from cdp.generate.sources.shop_items import APP, DAY, STORE, WEB
from cdp.generate.vocab_business import CURRENCY, NULL_TOKENS, PRODUCTS, STORES

TABLE, ITEMS = "shop_orders", "shop_order_items"
RETURN_SHARE, REEXPORT_SHARE = 0.085, 0.03
# Time zones (std offset in hours, observes DST); US buyers by state, others by country.
ZONES = (("America/New_York", -5, True), ("America/Chicago", -6, True),
         ("America/Denver", -7, True), ("America/Phoenix", -7, False),
         ("America/Los_Angeles", -8, True), ("Europe/London", 0, True),
         ("Europe/Berlin", 1, True), ("Europe/Paris", 1, True))
STATE_ZONES = {"IL": 1, "MN": 1, "TN": 1, "TX": 1, "CO": 2, "AZ": 3, "CA": 4, "OR": 4, "WA": 4}
STORE_LIST = tuple(s for c in COUNTRIES for s in STORES[c])
STORE_FIRST = np.cumsum([0] + [len(STORES[c]) for c in COUNTRIES])[:-1]
STORE_COUNT = np.array([len(STORES[c]) for c in COUNTRIES])


def build(ctx: ChunkContext) -> dict[str, Batch]:
    pop, ids = ctx.population, ctx.population.ids
    rng = ctx.rng(TABLE)
    buyers = ctx.people(pop.buyer)
    zone = _zones(pop, buyers)
    std = np.array([z[1] * 3600 for z in ZONES])[zone]
    dst = np.array([z[2] for z in ZONES])[zone]
    home_store = STORE_FIRST[pop.country[buyers]] + pick(rng, STORE_COUNT[pop.country[buyers]])
    price_level = np.exp(rng.normal(np.log(3000), 0.7, len(buyers))).clip(1000, 25000)  # cents

    # Sales, then returns of some of them a few days later (a new order, same buyer).
    owner, at = buying.purchase_times(rng, pop.born_at[buyers], pop.gone_at[buyers])
    channel = buying.sale_channels(rng, ids.has_account[buyers], owner)
    at = np.minimum(buying.local_clock(rng, at, channel, std[owner], dst[owner]), pop.end)
    line_sale, product, quantity = buying.baskets(rng, price_level, owner)
    n_sales = len(owner)
    returned = np.flatnonzero((rng.random(n_sales) < RETURN_SHARE) & (at < pop.end - 3 * DAY))
    r_owner = owner[returned]
    r_channel = np.where((channel[returned] != STORE) & (rng.random(len(returned)) < 0.25),
                         STORE, channel[returned])
    r_at = at[returned] + 2 * DAY + rng.gamma(2.0, 4 * DAY, len(returned)).astype(np.int64)
    r_at = np.minimum(buying.local_clock(rng, r_at, r_channel, std[r_owner], dst[r_owner]), pop.end)
    r_line = _returned_lines(rng, line_sale, returned)

    # All orders: sales 0..n_sales-1, then returns; lines grouped by order.
    o_owner = np.concatenate([owner, r_owner])
    o_at = np.concatenate([at, r_at])
    o_channel = np.concatenate([channel, r_channel])
    is_return = np.arange(len(o_owner)) >= n_sales
    original = np.concatenate([np.full(n_sales, -1), returned])
    discounted = (rng.random(n_sales) < 0.15)[np.concatenate([np.arange(n_sales), returned])]
    line_order = np.concatenate([line_sale, n_sales + r_line[0]])
    line_product = np.concatenate([product, product[r_line[1]]])
    line_qty = np.concatenate([quantity, quantity[r_line[1]]])
    person = buyers[o_owner]
    country = pop.country[person]
    unit = buying.PRICES[country[line_order], line_product]
    money = buying.amounts(line_order, line_qty * unit, len(o_owner), country, discounted,
                           (o_channel != STORE) & ~is_return, np.where(is_return, -1, 1))

    # Last change: POS rows sync at once, web orders ship, a refund touches the sale again.
    updated = o_at + np.where(o_channel == STORE, rng.integers(0, 300, len(o_at)),
                              rng.integers(DAY // 2, 6 * DAY, len(o_at)))
    np.maximum.at(updated, returned, r_at)
    updated = np.minimum(updated, pop.end)

    # Order numbers follow the order time within the chunk.
    numbers = np.empty(len(o_at), dtype=np.int64)
    numbers[np.argsort(o_at, kind="stable")] = ctx.next_numbers(TABLE, len(o_at), 10_000_001)
    order_id = prefixed_digits("ORD-", numbers, 8)
    store = np.where(rng.random(len(o_at)) < 0.85, home_store[o_owner],
                     STORE_FIRST[country] + pick(rng, STORE_COUNT[country]))
    fields, true_email, true_phone = _contacts(ctx, rng, person, o_at, o_channel)
    fields = {
        "order_id": order_id,
        "order_type": take(("sale", "return"), is_return.astype(np.int64)),
        "original_order_id": where_text(is_return, order_id.take(pa.array(original.clip(0)))),
        "channel": take(buying.CHANNELS, o_channel),
        "store_id": where_text(o_channel == STORE, take(STORE_LIST, store)),
        **fields,
        "billing_country": take(COUNTRIES, country),
        "currency": take([CURRENCY[c] for c in COUNTRIES], country),
        **_money(ctx, money),
        "ordered_at": _stamps(ctx, o_at, zone[o_owner]),
        "updated_at": _stamps(ctx, updated, zone[o_owner]),
    }
    orders = Batch(fields=pa.table(fields), person=person, record_id=order_id,
                   sort_key=updated, true_email=true_email, true_phone=true_phone)

    # Re-exports: the same order again later in the file, with a newer updated_at.
    again = np.flatnonzero(rng.random(len(o_at)) < REEXPORT_SHARE)
    later = np.minimum(updated[again] + rng.integers(3600, 20 * DAY, len(again)), pop.end)
    copies = orders.take(again)
    copies.fields = copies.fields.set_column(
        copies.fields.schema.get_field_index("updated_at"), "updated_at",
        _stamps(ctx, later, zone[o_owner[again]]))
    copies.sort_key = later
    copies.is_duplicate[:] = True
    orders = Batch.concat([orders, copies])

    items = _items(ctx, rng, order_id, line_order, line_product, line_qty, unit,
                   o_channel, is_return, person, o_at)
    return {TABLE: orders, ITEMS: items}


def _zones(pop, buyers: np.ndarray) -> np.ndarray:
    """Index into ZONES per buyer: US by state (Eastern by default), else by country."""
    states = pa.array(list(STATE_ZONES))
    found = pc.index_in(pop.address.region.take(pa.array(buyers)), states)
    us = np.array(list(STATE_ZONES.values()))[pc.fill_null(found, 0).to_numpy()]
    us = np.where(pc.is_valid(found).to_numpy(zero_copy_only=False), us, 0)
    country = pop.country[buyers]
    return np.where(country == 0, us, 4 + country)


def _returned_lines(rng: np.random.Generator, line_sale: np.ndarray, returned: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """(return position, sale line) of returned lines: the whole order, or one of its lines."""
    count = np.bincount(line_sale, minlength=int(line_sale.max(initial=-1)) + 1)[returned]
    first = np.searchsorted(line_sale, returned)
    whole = (rng.random(len(returned)) < 0.6) | (count == 1)
    ret, position = expand(np.where(whole, count, 1))
    one = pick(rng, count)
    return ret, first[ret] + np.where(whole[ret], position, one[ret])


def _contacts(ctx: ChunkContext, rng: np.random.Generator, person: np.ndarray, at: np.ndarray,
              channel: np.ndarray) -> tuple[dict[str, pa.Array], pa.Array, pa.Array]:
    ids = ctx.population.ids
    n = len(person)
    online = channel != STORE
    has_mobile = ids.phone["mobile"].take(pa.array(person)).is_valid().to_numpy(
        zero_copy_only=False)
    logged_in = (channel == APP) | ((channel == WEB) & ids.has_account[person]
                                    & (rng.random(n) < 0.8))
    loyal = ~online & ids.has_loyalty[person] & (rng.random(n) < 0.7)
    # Store e-receipts: members sometimes, others nearly always; never an anonymous order.
    u = rng.random(n)
    store_phone = np.where(loyal, rng.random(n) < 0.08, u >= 0.7) & has_mobile
    store_email = np.where(loyal, u < 0.25, (u < 0.8) | ~store_phone)
    email_on = np.where(online, ~logged_in | (rng.random(n) < 0.9), store_email)
    phone_on = np.where(online, rng.random(n) < 0.3, store_phone) & has_mobile

    email, canonical = written_emails(ctx, rng, person, at, alt_share=0.05, variant_share=0.15,
                                      junk_share=0.01, null_share=0.0)
    phone, e164 = written_phones(ctx, rng, person, "mobile", ctx.population.country[person],
                                 null_share=0.0)
    fields = {
        "account_id": where_text(logged_in, ids.account_id.take(pa.array(person))),
        "customer_email": _or_token(rng, email_on, email),
        "customer_phone": _or_token(rng, phone_on, phone),
        "loyalty_id": where_text(loyal, ids.loyalty_id.take(pa.array(person))),
    }
    return fields, where_text(email_on, canonical), where_text(phone_on, e164)


def _or_token(rng: np.random.Generator, present: np.ndarray, values: pa.Array) -> pa.Array:
    """values where present; otherwise empty, or now and then a null token (`n/a`, `-`)."""
    tokens = where_text(rng.random(len(values)) < 0.03, pick_text(rng, NULL_TOKENS, len(values)))
    return pc.if_else(pa.array(present), values, tokens)


def _money(ctx: ChunkContext, cents: dict[str, np.ndarray]) -> dict[str, pa.Array]:
    """Cents as plain decimal text ('-12.50'), exact."""
    table = pa.table({"i": np.arange(len(next(iter(cents.values())))), **cents})
    out = ctx.sql("SELECT " + ", ".join(f"money({c}) AS {c}" for c in cents)
                  + " FROM t ORDER BY i", t=table)
    return {c: out.column(c).combine_chunks() for c in cents}


def _stamps(ctx: ChunkContext, at: np.ndarray, zone: np.ndarray) -> pa.Array:
    """Instants as local ISO-8601 time in the zone, with the zone's UTC offset at that time."""
    table = pa.table({"i": np.arange(len(at)), "s": np.asarray(at, dtype=np.int64),
                      "zone": take([z[0] for z in ZONES], zone)})
    return ctx.sql("""
        SELECT strftime(l, '%Y-%m-%dT%H:%M:%S') || CASE WHEN off < 0 THEN '-' ELSE '+' END
            || lpad((abs(off) // 3600)::VARCHAR, 2, '0') || ':'
            || lpad((abs(off) % 3600 // 60)::VARCHAR, 2, '0') AS text
        FROM (SELECT i, l, epoch(l)::BIGINT - s AS off
              FROM (SELECT i, s, timezone(zone, to_timestamp(s)) AS l FROM t))
        ORDER BY i""", t=table).column("text").combine_chunks()


def _items(ctx: ChunkContext, rng: np.random.Generator, order_id: pa.Array, line_order: np.ndarray,
           product: np.ndarray, quantity: np.ndarray, unit: np.ndarray, channel: np.ndarray,
           is_return: np.ndarray, person: np.ndarray, at: np.ndarray) -> Batch:
    n = len(line_order)
    _, position = expand(np.bincount(line_order, minlength=len(order_id)))
    ids = pc.binary_join_element_wise(order_id.take(pa.array(line_order)),
                                      pc.cast(pa.array(position + 1), pa.string()), "-")
    signed = np.where(is_return[line_order], -quantity, quantity)
    category = take([p[2] for p in PRODUCTS], product)
    # Some POS lines come without a line total (staging computes it); some tills title-case.
    no_total = (channel[line_order] == STORE) & (rng.random(n) < 0.03)
    money = _money(ctx, {"unit_price": unit, "line_total": signed * unit})
    fields = pa.table({
        "order_item_id": ids,
        "order_id": order_id.take(pa.array(line_order)),
        "sku": take([p[0] for p in PRODUCTS], product),
        "product_name": take([p[1] for p in PRODUCTS], product),
        "category": pc.if_else(pa.array(rng.random(n) < 0.05), pc.utf8_title(category),
                               category),
        "quantity": pc.cast(pa.array(signed), pa.string()),
        "unit_price": money["unit_price"],
        "line_total": where_text(~no_total, money["line_total"]),
    })
    return Batch(fields=fields, person=person[line_order], record_id=ids,
                 sort_key=at[line_order])
