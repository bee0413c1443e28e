"""Customers drawn from the BG/NBD + Gamma-Gamma generative process, for tests and benchmarks."""

from __future__ import annotations

import numpy as np
import pandas as pd


def simulate_customers(T, *, r: float, alpha: float, a: float, b: float, p: float, q: float,
                       v: float, rng: np.random.Generator) -> pd.DataFrame:
    """One row per entry of `T` (ages, in the periods `alpha` is in): frequency, recency, T and
    monetary_value (mean of the repeat purchases' values; 0 without any), as the models see them.

    Each customer gets λ ~ Gamma(r, rate alpha), a dropout probability ~ Beta(a, b) and a spend
    rate nu ~ Gamma(q, rate v); purchases follow a Poisson process until T or until they drop out,
    which they may only do right after a repeat purchase. Simulated purchase by purchase over the
    customers still active, so the loop runs as many times as the busiest customer buys.
    """
    age = np.asarray(T, dtype=np.float64)
    n = age.size
    rate = rng.gamma(r, 1 / alpha, n)
    dropout = rng.beta(a, b, n)
    frequency = np.zeros(n)
    last = np.zeros(n)
    active = np.arange(n)
    while active.size:
        at = last[active] + rng.exponential(1 / rate[active])
        bought = at <= age[active]
        active = active[bought]
        last[active] = at[bought]
        frequency[active] += 1
        active = active[rng.random(active.size) >= dropout[active]]
    # The sum of x Gamma(p, nu) order values is Gamma(p·x, nu).
    spend_rate = rng.gamma(q, 1 / v, n)
    repeat = frequency > 0
    total = np.zeros(n)
    total[repeat] = rng.gamma(p * frequency[repeat], 1 / spend_rate[repeat])
    monetary = np.divide(total, frequency, out=np.zeros(n), where=repeat)
    return pd.DataFrame({"frequency": frequency, "recency": last, "T": age,
                         "monetary_value": monetary})
