"""Transactions to the per-customer (frequency, recency, T, monetary_value) the models take."""

from __future__ import annotations

import pandas as pd

from cdp.clv.errors import ClvFitError


def summary_from_transactions(transactions: pd.DataFrame, observation_end, *,
                              customer: str = "customer_id", timestamp: str = "timestamp",
                              amount: str = "amount", period_days: float = 1.0) -> pd.DataFrame:
    """One row per customer (index: `customer`) with float columns

    - frequency: distinct purchase days after the first one (purchases on one day are one
      purchase: the models count purchase occasions, and same-day rows are often one basket),
    - recency: first to last purchase day, T: first purchase day to `observation_end`'s day,
    - monetary_value: mean over the repeat purchase days of each day's summed amount (the first
      day excluded, as the Gamma-Gamma model wants; 0 without repeat purchases),

    times in periods of `period_days` days, not rounded to whole periods. Rows after
    `observation_end`'s day are ignored. This is lifetimes' `summary_data_from_transaction_data`
    with freq='D' and freq_multiplier=period_days; its freq='W' instead floors dates to calendar
    weeks, which merges purchases within a week and gives whole-week times, and does not
    reproduce the published CDNOW numbers.
    """
    missing = [c for c in (customer, timestamp, amount) if c not in transactions.columns]
    if missing:
        raise ClvFitError(f"transactions: missing columns {missing}")
    if period_days <= 0:
        raise ClvFitError("period_days must be positive")
    days = pd.to_datetime(transactions[timestamp]).dt.floor("D")
    end = pd.Timestamp(observation_end)
    if days.dt.tz is not None and end.tz is None:
        end = end.tz_localize(days.dt.tz)  # a bare date means that day where the rows live
    end = end.floor("D")
    if days.isna().any() or transactions[[customer, amount]].isna().any().any():
        raise ClvFitError("transactions: NaN or missing customer, timestamp or amount")
    rows = pd.DataFrame({"customer": transactions[customer].to_numpy(), "day": days.array,
                         "amount": transactions[amount].to_numpy()})
    daily = (rows[rows["day"] <= end].groupby(["customer", "day"], sort=True)["amount"].sum()
             .reset_index())
    if daily.empty:
        raise ClvFitError(f"transactions: none on or before {end.date()}")
    by_customer = daily.groupby("customer", sort=True)
    first, last = by_customer["day"].min(), by_customer["day"].max()
    repeat = daily[daily["day"] > daily["customer"].map(first)]
    period = pd.Timedelta(days=period_days)
    out = pd.DataFrame({
        "frequency": by_customer.size() - 1,
        "recency": (last - first) / period,
        "T": (end - first) / period,
        "monetary_value": repeat.groupby("customer")["amount"].mean(),
    }).fillna({"monetary_value": 0.0})
    out.index.name = customer
    return out.astype(float)
