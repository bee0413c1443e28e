"""The warehouse model's entry point: fit both models on a customer summary and score everyone."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from cdp.clv._fit import group_rows
from cdp.clv.bgnbd import (
    BgNbdParams,
    check_history,
    expected_purchases_if_alive,
    fit_bgnbd,
    p_alive,
)
from cdp.clv.errors import ClvFitError
from cdp.clv.gamma_gamma import GammaGammaParams, expected_average_order_value, fit_gamma_gamma
from cdp.clv.value import discounted_purchases_if_alive

INPUT_COLUMNS = ("person_id", "frequency", "recency_days", "t_days", "monetary_value")
OUTPUT_COLUMNS = ("person_id", "expected_purchases_90d", "expected_purchases_365d", "p_alive",
                  "expected_avg_order_value", "predicted_clv")


@dataclass(frozen=True)
class FitReport:
    """Both fitted models (BG/NBD times in periods of `period_days` days) and where time went."""

    bgnbd: BgNbdParams
    gamma_gamma: GammaGammaParams
    period_days: float
    fit_seconds: float  # both maximum-likelihood fits, grouping included
    score_seconds: float  # the predictions for every customer


def score_customers(summary: pd.DataFrame, *, period_days: int = 7, horizon_days: int = 365,
                    discount_rate_annual: float = 0.1) -> tuple[pd.DataFrame, FitReport]:
    """Fit BG/NBD and Gamma-Gamma on `summary` and predict for each of its rows.

    `summary` has one row per person: person_id, frequency (repeat purchase days), recency_days
    (first to last purchase), t_days (first purchase to the observation end), monetary_value (mean
    repeat-purchase value; ignored when frequency is 0). Days are converted to periods of
    `period_days` for fitting; the BG/NBD is a continuous-time model, so the unit only changes
    alpha's unit, not the predictions. Repeat customers with monetary_value 0 (e.g. only free
    orders) are left out of the Gamma-Gamma fit but still scored. Returns a frame with
    OUTPUT_COLUMNS, rows in input order and with its index, all floats but person_id, and the
    FitReport; ClvFitError names any problem with the input or a fit.
    """
    report = fit_models(summary, period_days=period_days)
    started = time.perf_counter()
    scores = predict_customers(summary, report, horizon_days=horizon_days,
                               discount_rate_annual=discount_rate_annual)
    return scores, replace(report, score_seconds=time.perf_counter() - started)


def fit_models(summary: pd.DataFrame, *, period_days: int = 7) -> FitReport:
    """Both maximum-likelihood fits on `summary` (columns as for `score_customers`)."""
    frequency, recency, age, monetary = _validated(summary, period_days)
    started = time.perf_counter()
    (x, tx, t), counts, _ = group_rows(frequency, recency, age)
    bgnbd = fit_bgnbd(x, tx, t, weights=counts)
    positive = monetary > 0
    gamma_gamma = fit_gamma_gamma(frequency[positive], monetary[positive])
    # Parameters at the edge of what the data identify can still fit, yet make the 2F1 terms
    # overflow for some histories: such a fit is refused here, not discovered while scoring.
    horizon = np.array([365.0 / period_days])
    if not np.isfinite(expected_purchases_if_alive(bgnbd, horizon, x, t)).all():
        raise ClvFitError(f"BG/NBD parameters r={bgnbd.r:.4g}, alpha={bgnbd.alpha:.4g}, "
                          f"a={bgnbd.a:.4g}, b={bgnbd.b:.4g} give non-finite predictions: the "
                          "data cannot support the model (too few or too uniform customers)")
    return FitReport(bgnbd, gamma_gamma, float(period_days), time.perf_counter() - started, 0.0)


def predict_customers(summary: pd.DataFrame, fit: FitReport, *, horizon_days: int = 365,
                      discount_rate_annual: float = 0.1) -> pd.DataFrame:
    """OUTPUT_COLUMNS for each row of `summary` from already fitted models (e.g. a persisted
    fit), rows in input order and with its index."""
    if horizon_days <= 0:
        raise ClvFitError("horizon_days must be positive")
    if discount_rate_annual <= -1:
        raise ClvFitError("discount_rate_annual must be greater than -1")
    period_days = fit.period_days
    frequency, recency, age, monetary = _validated(summary, period_days)
    bgnbd = fit.bgnbd
    # P(alive) depends on the history (x, t_x, T) only, everything else but the order value on
    # (x, T) only: evaluate each once per distinct value (the 2F1 calls are most of the work).
    (x, tx, t), _, history = group_rows(frequency, recency, age)
    (xs, ts), _, pair = group_rows(x, t)
    alive = p_alive(bgnbd, x, tx, t)[history]
    in_periods = np.array([90.0, 365.0]) / period_days
    purchases = expected_purchases_if_alive(bgnbd, in_periods, xs[:, None], ts[:, None])
    unit_value = discounted_purchases_if_alive(bgnbd, xs, ts, period_days=period_days,
                                               horizon_days=horizon_days,
                                               discount_rate_annual=discount_rate_annual)
    customer_pair = pair[history]
    aov = expected_average_order_value(fit.gamma_gamma, frequency, monetary)
    scores = pd.DataFrame({
        "person_id": summary["person_id"].to_numpy(),
        "expected_purchases_90d": alive * purchases[customer_pair, 0],
        "expected_purchases_365d": alive * purchases[customer_pair, 1],
        "p_alive": alive,
        "expected_avg_order_value": aov,
        "predicted_clv": alive * unit_value[customer_pair] * aov,
    }, index=summary.index)
    bad = ~np.isfinite(scores.drop(columns="person_id").to_numpy()).all(axis=1)
    if bad.any():
        raise ClvFitError(f"{int(bad.sum())} customers got non-finite predictions from this fit")
    return scores


def _validated(summary: pd.DataFrame, period_days: float) -> tuple[np.ndarray, ...]:
    """(frequency, recency, T in periods, monetary_value) as float arrays, or a ClvFitError."""
    if period_days <= 0:
        raise ClvFitError("period_days must be positive")
    missing = [c for c in INPUT_COLUMNS if c not in summary.columns]
    if missing:
        raise ClvFitError(f"summary: missing columns {missing}")
    if summary["person_id"].isna().any():
        raise ClvFitError("summary: person_id has missing values")
    if summary["person_id"].duplicated().any():
        raise ClvFitError(f"summary: {int(summary['person_id'].duplicated().sum())} "
                          "duplicated person_id values (one row per person expected)")
    columns = {}
    for name in INPUT_COLUMNS[1:]:
        values = pd.to_numeric(summary[name], errors="coerce").to_numpy(np.float64)
        if not np.isfinite(values).all():
            raise ClvFitError(f"summary: {name} has {int((~np.isfinite(values)).sum())} "
                              "NaN, non-numeric or infinite values")
        if (values < 0).any():
            raise ClvFitError(f"summary: {name} has {int((values < 0).sum())} negative values")
        columns[name] = values
    frequency, recency, age = check_history(columns["frequency"], columns["recency_days"],
                                            columns["t_days"])
    return frequency, recency / period_days, age / period_days, columns["monetary_value"]
