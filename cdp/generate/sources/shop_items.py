"""Shop purchase behaviour: when each buyer buys, where, what, and what it costs.

Timing follows the BG/NBD story: while "alive" a buyer purchases at a personal Poisson rate
(Gamma across buyers) and after each purchase lapses for good with a personal probability
(Beta across buyers), never beyond the person's life. Each buyer also has a typical price
level (log-normal), which tilts which products end up in the basket, so average order values
differ per buyer independently of frequency (the Gamma-Gamma assumption). Amounts are integer
cents in the local currency, so subtotal - discount + tax + shipping = total exactly.
"""

from __future__ import annotations

import numpy as np

from cdp.generate.arrays import choice, expand
from cdp.generate.vocab_business import PRODUCTS

DAY = 86_400
YEAR = 365.25 * DAY
MAX_SALES = 60
RATE_SHAPE, RATE_MEAN = 0.8, 2.8  # purchases per year while alive, Gamma across buyers
DROP_A, DROP_B = 1.0, 3.0  # Beta: chance to lapse after each purchase (mean 25%)
CHANNELS = ("web", "app", "store")
WEB, APP, STORE = range(3)

# Local prices (index as COUNTRIES): converted and re-rounded to .99, gift cards at face value.
_FX = (1.0, 0.8, 0.92, 0.92)
_USD = np.array([p[3] for p in PRODUCTS], dtype=np.int64)
_FACE = np.array([p[2] == "gift cards" for p in PRODUCTS])
PRICES = np.array([np.where(_FACE, _USD, np.maximum(np.rint(_USD * fx / 100) * 100
                                                    - (_USD % 100 == 99), 99))
                   for fx in _FX], dtype=np.int64)
TAX_BP = np.array([700, 2000, 1900, 2000])  # sales tax / VAT in basis points of net amount
SHIPPING, FREE_SHIPPING_FROM = 499, 5000  # cents, for web/app orders below the threshold
LINE_WEIGHTS = (0.46, 0.3, 0.15, 0.09)  # 1-4 lines per sale
QTY_WEIGHTS = (0.82, 0.13, 0.05)  # 1-3 units per line
# Hours of online orders (local time): quiet nights, lunch bump, evening peak.
ONLINE_HOURS = (2, 1, 1, 1, 1, 2, 3, 5, 6, 6, 6, 7, 8, 7, 6, 6, 6, 7, 8, 10, 11, 10, 7, 4)


def purchase_times(rng: np.random.Generator, born: np.ndarray, gone: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """(buyer position, instant) of every sale; each buyer buys at least once."""
    n = len(born)
    rate = rng.gamma(RATE_SHAPE, RATE_MEAN / RATE_SHAPE, n) / YEAR
    drop = rng.beta(DROP_A, DROP_B, n)
    # The first purchase comes early in the relationship (it is usually why it started).
    at = born + rng.random(n) ** 2 * 0.5 * (gone - born)
    owners, times = [np.arange(n)], [at.copy()]
    alive = np.arange(n)
    for _ in range(MAX_SALES - 1):
        nxt = at[alive] + rng.exponential(1.0, len(alive)) / rate[alive]
        stay = (rng.random(len(alive)) >= drop[alive]) & (nxt <= gone[alive])
        alive = alive[stay]
        if not len(alive):
            break
        at[alive] = nxt[stay]
        owners.append(alive)
        times.append(nxt[stay])
    return np.concatenate(owners), np.concatenate(times).astype(np.int64)


def sale_channels(rng: np.random.Generator, has_account: np.ndarray, owner: np.ndarray
                  ) -> np.ndarray:
    """Channel per sale: each buyer has a habit (app only with an account), sometimes broken."""
    n = len(has_account)
    habit = np.where(has_account, choice(rng, n, (0.41, 0.30, 0.29)),
                     choice(rng, n, (0.62, 0.0, 0.38)))
    k = len(owner)
    other = np.where(has_account[owner], choice(rng, k, (0.5, 0.15, 0.35)),
                     choice(rng, k, (0.58, 0.0, 0.42)))
    return np.where(rng.random(k) < 0.75, habit[owner], other)


def local_clock(rng: np.random.Generator, at: np.ndarray, channel: np.ndarray,
                std_offset: np.ndarray, has_dst: np.ndarray) -> np.ndarray:
    """Move each instant to a plausible local time of day on its local day (stores 9-21)."""
    day = (at + std_offset) // DAY
    month = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12 + 1
    summer = has_dst & (month >= 4) & (month <= 10)  # DST, roughly
    k = len(at)
    store_tod = 9 * 3600 + (rng.random(k) + rng.random(k)) / 2 * 12 * 3600
    online_tod = choice(rng, k, ONLINE_HOURS) * 3600 + rng.random(k) * 3600
    tod = np.where(channel == STORE, store_tod, online_tod).astype(np.int64)
    return day * DAY + tod - std_offset - summer * 3600


def baskets(rng: np.random.Generator, price_level: np.ndarray, sale_owner: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sale, product, quantity) per line; products near the buyer's price level are likelier.

    Distinct products per sale: weighted sampling without replacement (Gumbel top-k).
    """
    lines = choice(rng, len(sale_owner), LINE_WEIGHTS) + 1
    sale, position = expand(lines)
    distance = np.log(_USD)[None, :] - np.log(price_level[sale_owner])[:, None]
    keys = -0.5 * (distance / 0.6) ** 2 + rng.gumbel(size=distance.shape)
    product = np.argsort(-keys, axis=1)[sale, position]
    quantity = choice(rng, len(sale), QTY_WEIGHTS) + 1
    quantity[_FACE[product] & (quantity > 1)] = 1  # gift cards come one at a time here
    return sale, product.astype(np.int64), quantity


def amounts(line_order: np.ndarray, line_cents: np.ndarray, n: int, country: np.ndarray,
            discounted: np.ndarray, shipped: np.ndarray, sign: np.ndarray
            ) -> dict[str, np.ndarray]:
    """Order amounts in cents from unsigned line totals; returns (sign -1) come out negative."""
    subtotal = np.bincount(line_order, weights=line_cents, minlength=n).astype(np.int64)
    discount = np.where(discounted, (subtotal + 5) // 10, 0)
    net = subtotal - discount
    tax = (net * TAX_BP[country] + 5_000) // 10_000
    shipping = np.where(shipped & (net < FREE_SHIPPING_FROM), SHIPPING, 0)
    parts = {"subtotal": subtotal, "discount": discount, "tax": tax, "shipping": shipping}
    parts = {k: v * sign for k, v in parts.items()}
    parts["total"] = parts["subtotal"] - parts["discount"] + parts["tax"] + parts["shipping"]
    return parts
