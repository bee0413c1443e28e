"""Discounted customer lifetime value from a purchase model and an order-value model."""

from __future__ import annotations

import numpy as np

from cdp.clv.bgnbd import BgNbdParams, expected_purchases_if_alive, p_alive

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12


def customer_lifetime_value(params: BgNbdParams, frequency, recency, T, average_order_value, *,
                            period_days: float, horizon_days: float = 365,
                            discount_rate_annual: float = 0.1,
                            step_days: float = DAYS_PER_MONTH) -> np.ndarray:
    """Present value of each customer's expected spend over the next `horizon_days`.

    As lifetimes' `customer_lifetime_value`: the horizon is cut into steps (a month by default;
    the last one is shortened to end on the horizon), the expected purchases in each step are the
    difference of the cumulative conditional expectation at its ends, and each step's spend is
    discounted to today from the step's end. Unlike lifetimes, the rate is annual and compounds
    per day, (1 + rate)^(-days/365.25), so results do not depend on the step length's rate
    conversion. `recency` and `T` are in periods of `period_days` days, as `params` was fitted.
    """
    value_if_alive = discounted_purchases_if_alive(
        params, frequency, T, period_days=period_days, horizon_days=horizon_days,
        discount_rate_annual=discount_rate_annual, step_days=step_days)
    return (np.asarray(average_order_value, dtype=np.float64)
            * p_alive(params, frequency, recency, T) * value_if_alive)


def discounted_purchases_if_alive(params: BgNbdParams, frequency, T, *, period_days: float,
                                  horizon_days: float = 365, discount_rate_annual: float = 0.1,
                                  step_days: float = DAYS_PER_MONTH) -> np.ndarray:
    """Present value of one unit of spend per purchase over the horizon, for a customer alive at
    T: the part of the CLV that depends on (x, T) only, so callers can evaluate it once per
    distinct (x, T). All steps at once as a customers x steps array, summed with einsum rather
    than BLAS (see `_fit.dot`)."""
    if horizon_days <= 0 or step_days <= 0 or period_days <= 0:
        raise ValueError("horizon_days, step_days and period_days must be positive")
    if discount_rate_annual <= -1:
        raise ValueError("discount_rate_annual must be greater than -1")
    n_steps = int(np.ceil(horizon_days / step_days - 1e-9))
    ends = np.minimum(np.arange(1, n_steps + 1) * step_days, horizon_days)
    x, age = (np.asarray(v, dtype=np.float64)[..., None] for v in (frequency, T))
    cumulative = expected_purchases_if_alive(params, ends / period_days, x, age)
    per_step = np.diff(cumulative, axis=-1, prepend=0.0)
    discount = (1 + discount_rate_annual) ** (-ends / DAYS_PER_YEAR)
    return np.einsum("...j,j->...", per_step, discount)
