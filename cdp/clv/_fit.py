"""Shared fitting plumbing: row grouping and a bounded log-parameter maximum-likelihood search."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.optimize import OptimizeResult, minimize

from cdp.clv.errors import ClvFitError

# The search runs over log(parameter / its starting value), starting values being scaled to the
# data (alpha to the customers' mean age, gamma to the mean spend): a parameter that moves more
# than e^10 ~ 22,000-fold from there is running off to 0 or infinity, which happens when the data
# do not identify the model (e.g. nobody drops out, or every order has the same value), and is
# reported as such instead of overflowing.
LOG_BOUND = 10.0
# The objective is a mean log-likelihood per customer: the tolerance holds for any data size.
GRADIENT_TOLERANCE = 1e-5

NllAndGrad = Callable[[np.ndarray], tuple[float, np.ndarray]]


def dot(a: np.ndarray, b: np.ndarray) -> float:
    """Sum of a * b over rows in numpy's own loop. `a @ b` goes to OpenBLAS, which threads a long
    1-D dot: on a busy machine (a warehouse worker next to dbt) waiting for its threads made it
    up to 50x slower than this, and these dots are a large part of a likelihood evaluation."""
    return float(np.einsum("i,i->", a, b))


def as_float_array(values, name: str) -> np.ndarray:
    """A column as a 1-D float64 array, rejecting NaN and infinities with the column's name."""
    array = np.asarray(values, dtype=np.float64).reshape(-1)
    if not np.isfinite(array).all():
        raise ClvFitError(f"{name}: {int((~np.isfinite(array)).sum())} NaN or infinite values")
    return array


def as_weights(weights, size: int) -> np.ndarray:
    """Customer counts per row (all 1 when None), validated."""
    if weights is None:
        return np.ones(size)
    counts = as_float_array(weights, "weights")
    if counts.size != size or (counts < 0).any():
        raise ClvFitError("weights: one non-negative count per row expected")
    return counts


def group_rows(*columns: np.ndarray, weights: np.ndarray | None = None
               ) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Distinct rows of the given columns, how many customers each stands for (the sum of
    `weights`, by default the number of rows), and per input row the index of its distinct row.
    Customers with the same history have the same likelihood term and the same predictions, so
    everything downstream runs once per distinct row. pandas' hash grouping is ~15x faster than
    `np.unique(axis=0)`, which sorts.
    """
    frame = pd.DataFrame({str(i): column for i, column in enumerate(columns)})
    inverse = frame.groupby(list(frame.columns), sort=False).ngroup().to_numpy()
    counts = np.bincount(inverse, weights=weights).astype(np.float64)
    representative = np.empty(counts.size, dtype=np.int64)
    representative[inverse] = np.arange(inverse.size)  # any member will do: all rows are equal
    return [column[representative] for column in columns], counts, inverse


def maximise_log_likelihood(nll_and_grad: NllAndGrad, start: np.ndarray,
                            model: str) -> tuple[np.ndarray, OptimizeResult, str | None]:
    """Minimise a mean negative log-likelihood of log-parameters (so every parameter stays
    positive without constraints) from `start` (natural parameters), with L-BFGS-B and the
    analytic gradient. If L-BFGS-B stops early with a non-zero gradient (its line search can give
    up on a flat ridge), Nelder-Mead restarts from there and L-BFGS-B polishes again. Returns the
    parameters, scipy's result and None if it converged, else why not.
    """
    offset = np.log(start)

    def shifted(u: np.ndarray) -> tuple[float, np.ndarray]:
        return nll_and_grad(offset + u)  # d/du = d/dlog(theta): the gradient carries over

    bounds = [(-LOG_BOUND, LOG_BOUND)] * offset.size
    options = {"maxiter": 1000, "ftol": 1e-13, "gtol": 1e-9}
    with np.errstate(all="ignore"):  # trial steps may overflow; they just get rejected
        result = minimize(shifted, np.zeros_like(offset), jac=True, method="L-BFGS-B",
                          bounds=bounds, options=options)
        if _problem(result) and not _at_bound(result):
            restart = minimize(lambda u: shifted(u)[0], result.x, method="Nelder-Mead",
                               bounds=bounds,
                               options={"maxiter": 4000, "xatol": 1e-8, "fatol": 1e-12})
            polished = minimize(shifted, restart.x, jac=True, method="L-BFGS-B",
                                bounds=bounds, options=options)
            polished.nit += result.nit + restart.nit
            result = polished
    if not np.isfinite(result.fun):
        raise ClvFitError(f"{model}: the log-likelihood is not finite at the optimum")
    return np.exp(offset + result.x), result, _problem(result)


def _at_bound(result: OptimizeResult) -> bool:
    return bool((np.abs(result.x) >= LOG_BOUND - 1e-6).any())


def _problem(result: OptimizeResult) -> str | None:
    if _at_bound(result):
        return "a parameter ran off towards 0 or infinity: the data do not identify the model"
    if not (result.success or np.max(np.abs(result.jac)) < GRADIENT_TOLERANCE):
        return f"the optimiser stopped with a non-zero gradient: {result.message}"
    return None
