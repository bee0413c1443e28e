"""BG/NBD purchase model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way").

While alive, a customer buys as a Poisson process with rate λ ~ Gamma(shape r, rate alpha);
after each repeat purchase they drop out for good with probability p ~ Beta(a, b). A customer's
history is (x repeat purchases, time t_x of the last one, age T), both times measured from the
first purchase in one period unit (days, weeks...), which is also the unit of alpha and of t in
every prediction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1

from cdp.clv._fit import (
    as_float_array,
    as_weights,
    dot,
    group_rows,
    maximise_log_likelihood,
)
from cdp.clv.errors import ClvFitError


@dataclass(frozen=True)
class BgNbdParams:
    """Fitted BG/NBD parameters; `log_likelihood` is the total over all customers."""

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    n_customers: int
    n_groups: int  # distinct (x, t_x, T) histories the likelihood was evaluated on
    converged: bool
    iterations: int


def check_history(frequency, recency, T) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validated float arrays of (x, t_x, T); ClvFitError naming the first inconsistency."""
    x = as_float_array(frequency, "frequency")
    tx = as_float_array(recency, "recency")
    age = as_float_array(T, "T")
    if not x.size == tx.size == age.size:
        raise ClvFitError("frequency, recency and T must have the same length")
    if x.size == 0:
        raise ClvFitError("no customers")
    for name, values in (("frequency", x), ("recency", tx), ("T", age)):
        if (values < 0).any():
            raise ClvFitError(f"{name}: {int((values < 0).sum())} negative values")
    if (x != np.round(x)).any():
        raise ClvFitError("frequency: non-integer values (it counts repeat purchase periods)")
    if (tx > age).any():
        raise ClvFitError(f"recency > T for {int((tx > age).sum())} customers")
    if (bad := int(((x == 0) & (tx != 0)).sum())) > 0:
        raise ClvFitError(f"recency must be 0 for customers with frequency 0 ({bad} are not)")
    return x, tx, age


def fit_bgnbd(frequency, recency, T, *, weights=None, min_repeat_customers: int = 10,
              require_convergence: bool = True) -> BgNbdParams:
    """Maximum-likelihood BG/NBD fit; `weights` optionally gives how many customers each row
    stands for (histories counted in SQL, say). Raises ClvFitError on bad input, when fewer than
    `min_repeat_customers` customers have a repeat purchase (dropout is then not identified), and
    when the optimiser does not converge unless `require_convergence` is False."""
    x, tx, age = check_history(frequency, recency, T)
    counts = as_weights(weights, x.size)
    if (repeaters := counts[x > 0].sum()) < min_repeat_customers:
        raise ClvFitError(f"BG/NBD: {repeaters:.0f} customers with repeat purchases, "
                          f"at least {min_repeat_customers} needed")
    (x, tx, age), weights, _ = group_rows(x, tx, age, weights=counts)
    nll = _NegativeLogLikelihood(x, tx, age, weights)
    # r = a = b = 1 and alpha at the mean age: about one purchase per customer lifetime so far
    start = np.array([1.0, max(float(np.average(age, weights=weights)), 1e-6), 1.0, 1.0])
    (r, alpha, a, b), result, problem = maximise_log_likelihood(nll, start, "BG/NBD")
    if require_convergence and problem:
        raise ClvFitError(f"BG/NBD fit did not converge ({problem}); reached r={r:.4g}, "
                          f"alpha={alpha:.4g}, a={a:.4g}, b={b:.4g}")
    return BgNbdParams(float(r), float(alpha), float(a), float(b),
                       log_likelihood=-float(result.fun) * nll.total, n_customers=round(nll.total),
                       n_groups=int(x.size), converged=problem is None, iterations=int(result.nit))


class _NegativeLogLikelihood:
    """Mean negative log-likelihood and its gradient in log-parameters (Hardie's note 004):

        log L = log Γ(r+x) - log Γ(r) + r log alpha - log B(a, b) + log(e^A + [x>0] e^B)
        A = log B(a, b+x) - (r+x) log(alpha+T)           (still alive at T)
        B = log B(a+1, b+x-1) - (r+x) log(alpha+t_x)     (dropped out after the last purchase)

    Terms that depend on x alone run once per distinct x, and logs of alpha+T and alpha+t_x once
    per distinct age and recency (a few hundred whole days), then are gathered per row; the
    log-sum-exp of the mixture keeps heavy buyers (huge negative A and B) finite, and the analytic
    gradient saves L-BFGS-B the 4 extra evaluations per step a finite difference would cost.
    """

    def __init__(self, x: np.ndarray, tx: np.ndarray, age: np.ndarray, weights: np.ndarray):
        self.xs, self.x_index = np.unique(x, return_inverse=True)
        self.ages, self.age_index = np.unique(age, return_inverse=True)
        self.txs, self.tx_index = np.unique(tx, return_inverse=True)
        self.x, self.w, self.wx = x, weights, weights * x
        self.total = float(weights.sum())
        self.n_x = np.bincount(self.x_index, weights=weights, minlength=self.xs.size)
        self.repeat = self.xs > 0
        self.xs_dead = np.maximum(self.xs, 1)  # x-1 only appears for repeat customers

    def __call__(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        r, alpha, a, b = np.exp(theta)
        xs, xi, w, n_x = self.xs, self.x_index, self.w, self.n_x
        log_age = np.log(alpha + self.ages)[self.age_index]
        log_tx = np.log(alpha + self.txs)[self.tx_index]
        rx = r + self.x
        alive = betaln(a, b + xs)[xi] - rx * log_age
        dead = np.where(self.repeat, betaln(a + 1, b + self.xs_dead - 1), -np.inf)[xi] \
            - rx * log_tx
        mixture = np.logaddexp(alive, dead)
        w_alive = w * np.exp(alive - mixture)  # weight times the posterior P(alive at T)
        ll = dot(w, mixture) + n_x @ (gammaln(r + xs) - gammaln(r)) \
            + self.total * (r * np.log(alpha) - betaln(a, b))

        # the digammas depend on x only: pair them with per-x sums of the weights
        alive_x = np.bincount(xi, weights=w_alive, minlength=xs.size)
        dead_x = n_x - alive_x
        psi_ab = digamma(a + b)
        inv_age = (1.0 / (alpha + self.ages))[self.age_index]
        inv_tx = (1.0 / (alpha + self.txs))[self.tx_index]
        d_r = n_x @ (digamma(r + xs) - digamma(r)) + self.total * np.log(alpha) \
            - dot(w_alive, log_age - log_tx) - dot(w, log_tx)
        d_alpha = self.total * r / alpha - dot(w_alive * rx, inv_age - inv_tx) \
            - r * dot(w, inv_tx) - dot(self.wx, inv_tx)
        d_a = self.total * (psi_ab - digamma(a)) + alive_x.sum() * digamma(a) \
            + dead_x.sum() * digamma(a + 1) - n_x @ digamma(a + b + xs)
        d_b = self.total * (psi_ab - digamma(b)) + alive_x @ digamma(b + xs) \
            + dead_x @ np.where(self.repeat, digamma(b + self.xs_dead - 1), 0.0) \
            - n_x @ digamma(a + b + xs)
        grad = np.array([d_r * r, d_alpha * alpha, d_a * a, d_b * b])  # chain rule to log θ
        return -ll / self.total, -grad / self.total


def p_alive(params: BgNbdParams, frequency, recency, T) -> np.ndarray:
    """P(still alive at T | x, t_x, T): 1 for customers with no repeat purchase (in the BG/NBD
    they can only drop out right after one), else 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)),
    evaluated as a logistic of the log-odds so it cannot overflow."""
    x, tx, age = (np.asarray(v, dtype=np.float64) for v in (frequency, recency, T))
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    log_odds_dead = np.log(a) - np.log(b + np.maximum(x, 1) - 1) \
        + (r + x) * (np.log(alpha + age) - np.log(alpha + tx))
    return np.where(x > 0, expit(-log_odds_dead), 1.0)


def expected_purchases(params: BgNbdParams, t, frequency, recency, T) -> np.ndarray:
    """Conditional expected number of repeat purchases in the next t periods (FHL 2005 eq. 10),
    broadcasting t against the customers' histories: P(alive) times the expectation for a
    customer still alive at T, which depends on x and T only."""
    return p_alive(params, frequency, recency, T) * expected_purchases_if_alive(params, t,
                                                                               frequency, T)


def expected_purchases_if_alive(params: BgNbdParams, t, frequency, T) -> np.ndarray:
    """Expected repeat purchases in the next t periods of a customer alive at T with x repeat
    purchases (broadcast):

        (a+b+x-1)/(a-1) [1 - (1-z)^(r+x) 2F1(r+x, b+x; a+b+x-1; z)],  z = t/(alpha+T+t)

    Euler's transformation 2F1(u, v; c; z) = (1-z)^(c-u-v) 2F1(c-u, c-v; c; z) turns the bracket
    into 1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z): the upper parameters no longer grow with
    x, so the series stays well-behaved for heavy buyers and long horizons where the direct form
    overflows (lifetimes only falls back on it after an inf).
    """
    t, x, age = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (t, frequency, T)))
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    z = t / (alpha + age + t)
    c = a + b + x - 1
    tail = np.exp((a - 1) * np.log1p(-z)) * hyp2f1(a + b - 1 - r, a - 1, c, z)
    return c / (a - 1) * (1 - tail)
