"""Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: Using Iso-Value Curves",
and Hardie's note 025 "The Gamma-Gamma Model of Monetary Value").

Each transaction's value is Gamma(shape p, rate nu) around a customer-specific nu ~ Gamma(shape q,
rate gamma); spend is assumed independent of the purchase process. The data is, per customer with
x ≥ 1 repeat purchases, the mean m of those repeat purchases' values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import digamma, gammaln

from cdp.clv._fit import (
    as_float_array,
    as_weights,
    dot,
    group_rows,
    maximise_log_likelihood,
)
from cdp.clv.errors import ClvFitError


@dataclass(frozen=True)
class GammaGammaParams:
    """Fitted Gamma-Gamma parameters; `v` is the paper's gamma (the rate of nu's gamma mixing
    distribution), `log_likelihood` is the total over the customers fitted on."""

    p: float
    q: float
    v: float
    log_likelihood: float
    n_customers: int
    converged: bool
    iterations: int

    @property
    def population_mean(self) -> float:
        """Expected average order value of a customer we know nothing about: p·gamma/(q-1)."""
        return self.p * self.v / (self.q - 1)


def fit_gamma_gamma(frequency, monetary_value, *, weights=None, min_repeat_customers: int = 10,
                    require_convergence: bool = True) -> GammaGammaParams:
    """Maximum-likelihood Gamma-Gamma fit on the customers with frequency > 0 (the others carry no
    repeat-purchase values and are ignored); `weights` as for `fit_bgnbd`. ClvFitError when
    fewer than `min_repeat_customers` remain, a repeat customer's mean value is not positive, the
    fit does not converge (unless `require_convergence` is False), or q <= 1: then the
    population mean p·gamma/(q-1) is infinite and no expected order value can be computed."""
    x = as_float_array(frequency, "frequency")
    m = as_float_array(monetary_value, "monetary_value")
    if x.size != m.size:
        raise ClvFitError("frequency and monetary_value must have the same length")
    repeat = x > 0
    x, m, counts = x[repeat], m[repeat], as_weights(weights, x.size)[repeat]
    if counts.sum() < min_repeat_customers:
        raise ClvFitError(f"Gamma-Gamma: {counts.sum():.0f} customers with repeat purchases, "
                          f"at least {min_repeat_customers} needed")
    if (m <= 0).any():
        raise ClvFitError(f"Gamma-Gamma: {int((m <= 0).sum())} repeat customers have "
                          "monetary_value <= 0 (the model needs positive order values)")
    (x, m), weights, _ = group_rows(x, m, weights=counts)
    nll = _NegativeLogLikelihood(x, m, weights)
    # p = 1, q = 2 puts the starting population mean p·gamma/(q-1) at the observed mean spend
    start = np.array([1.0, 2.0, float(np.average(m, weights=weights))])
    (p, q, v), result, problem = maximise_log_likelihood(nll, start, "Gamma-Gamma")
    if require_convergence and problem:
        raise ClvFitError(f"Gamma-Gamma fit did not converge ({problem}); "
                          f"reached p={p:.4g}, q={q:.4g}, v={v:.4g}")
    if q <= 1:
        raise ClvFitError(f"Gamma-Gamma: q = {q:.4g} <= 1, so the population mean order value "
                          "p·v/(q-1) is not finite; spend is too heavy-tailed for this model")
    return GammaGammaParams(float(p), float(q), float(v),
                            log_likelihood=-float(result.fun) * nll.total,
                            n_customers=round(nll.total), converged=problem is None,
                            iterations=int(result.nit))


class _NegativeLogLikelihood:
    """Mean negative log-likelihood of the observed mean spends, and its gradient in
    log-parameters. The density of m given x (Hardie's note 025, eq. 3):

        log f = log Γ(px+q) - log Γ(px) - log Γ(q) + q log gamma + (px-1) log m + px log x
                - (px+q) log(gamma + m x)

    The gamma functions depend on x alone, so they run once per distinct x; the terms linear in
    p are data sums taken once; only log(gamma + m x) is evaluated per row in each step.
    """

    def __init__(self, x: np.ndarray, m: np.ndarray, weights: np.ndarray):
        self.xs, x_index = np.unique(x, return_inverse=True)
        self.n_x = np.bincount(x_index, weights=weights, minlength=self.xs.size)
        self.w, self.wx, self.mx = weights, weights * x, m * x
        self.total = float(weights.sum())
        log_m = np.log(m)
        self.sum_log_m = dot(weights, log_m)
        self.sum_x_log_mx = dot(self.wx, log_m + np.log(x))

    def __call__(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        p, q, v = np.exp(theta)
        pxs, n_x = p * self.xs, self.n_x
        log_v_mx = np.log(v + self.mx)
        sum_log, sum_x_log = dot(self.w, log_v_mx), dot(self.wx, log_v_mx)
        ll = n_x @ (gammaln(pxs + q) - gammaln(pxs)) + p * self.sum_x_log_mx - self.sum_log_m \
            - p * sum_x_log - q * sum_log + self.total * (q * np.log(v) - gammaln(q))
        psi_pxq = digamma(pxs + q)
        d_p = (n_x * self.xs) @ (psi_pxq - digamma(pxs)) + self.sum_x_log_mx - sum_x_log
        d_q = n_x @ psi_pxq - sum_log + self.total * (np.log(v) - digamma(q))
        inverse = 1.0 / (v + self.mx)
        d_v = self.total * q / v - p * dot(self.wx, inverse) - q * dot(self.w, inverse)
        grad = np.array([d_p * p, d_q * q, d_v * v])  # chain rule to log θ
        return -ll / self.total, -grad / self.total


def expected_average_order_value(params: GammaGammaParams, frequency,
                                 monetary_value) -> np.ndarray:
    """E[order value | x, m] = (p·gamma + p·x·m) / (p·x + q - 1): a credibility-weighted mix of
    the population mean and the customer's own mean m, with more weight on m the more repeat
    purchases back it. For x = 0 this is the population mean p·gamma/(q-1), whatever m says."""
    x = np.asarray(frequency, dtype=np.float64)
    m = np.where(x > 0, np.asarray(monetary_value, dtype=np.float64), 0.0)
    p, q, v = params.p, params.q, params.v
    return (p * v + p * x * m) / (p * x + q - 1)
