"""Customer lifetime value: BG/NBD purchase model, Gamma-Gamma spend model, discounted CLV.

numpy/scipy/pandas only. `score_customers` is the entry point the warehouse model calls; the
pieces it is built from are exported for notebooks, tests and other models.
"""

from __future__ import annotations

from cdp.clv.bgnbd import (
    BgNbdParams,
    expected_purchases,
    expected_purchases_if_alive,
    fit_bgnbd,
    p_alive,
)
from cdp.clv.errors import ClvFitError
from cdp.clv.gamma_gamma import GammaGammaParams, expected_average_order_value, fit_gamma_gamma
from cdp.clv.record import failed_fit_record, fit_from_record, fit_to_record
from cdp.clv.score import (
    OUTPUT_COLUMNS,
    FitReport,
    fit_models,
    predict_customers,
    score_customers,
)
from cdp.clv.summary import summary_from_transactions
from cdp.clv.value import customer_lifetime_value, discounted_purchases_if_alive

__all__ = [
    "OUTPUT_COLUMNS",
    "BgNbdParams",
    "ClvFitError",
    "FitReport",
    "GammaGammaParams",
    "customer_lifetime_value",
    "discounted_purchases_if_alive",
    "expected_average_order_value",
    "expected_purchases",
    "expected_purchases_if_alive",
    "failed_fit_record",
    "fit_bgnbd",
    "fit_from_record",
    "fit_gamma_gamma",
    "fit_models",
    "fit_to_record",
    "p_alive",
    "predict_customers",
    "score_customers",
    "summary_from_transactions",
]
