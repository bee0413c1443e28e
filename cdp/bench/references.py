"""The references a benchmark runs next to the CDP on the same data, so ratios are fair: scipy's
connected components on the identity graph's own edges, and lifetimes' BG/NBD + Gamma-Gamma
fitters on the build's own purchase summary (where lifetimes is importable: `.[bench]`).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import asdict

import duckdb
import numpy as np
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

PARAMETERS = ("r", "alpha", "a", "b", "p", "q", "v")


def scipy_components(con: duckdb.DuckDBPyConnection) -> dict:
    """scipy on the same edges; `io_s` is what the warehouse round trip adds (read the edges,
    write the labels back as a table), which the SQL version pays inside its own time."""
    started = time.perf_counter()
    edges = con.execute("select node_a, node_b from intermediate.int_identity__edges").fetchnumpy()
    a, b = edges["node_a"].astype(np.int64), edges["node_b"].astype(np.int64)
    read_s = time.perf_counter() - started
    [(nodes,)] = con.execute("select count(*) from intermediate.int_identity__nodes").fetchall()
    started = time.perf_counter()
    # Node ids are 60-bit hashes (stable_hash): the matrix is indexed by their rank instead.
    on_edge, ends = np.unique(np.concatenate([a, b]), return_inverse=True)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (ends[:len(a)], ends[len(a):])),
                       shape=(len(on_edge), len(on_edge))).tocsr()
    matrix_s = time.perf_counter() - started
    started = time.perf_counter()
    _count, labels = connected_components(graph, directed=False)
    algorithm_s = time.perf_counter() - started
    started = time.perf_counter()
    con.register("scipy_labels", pa.table({"node_id": on_edge, "label": labels}))
    con.execute("create temp table scipy_components as select * from scipy_labels")
    write_s = time.perf_counter() - started
    return {"nodes": nodes, "edges": len(a), "on_edge": on_edge, "labels": labels,
            "matrix_s": matrix_s, "algorithm_s": algorithm_s, "io_s": read_s + write_s}


def compare(con: duckdb.DuckDBPyConnection, sp: dict) -> tuple[int, list[str]]:
    """SQL components vs scipy labels on every node of an edge: (components, mismatches)."""
    sql = con.execute("select node_id, component_id from intermediate.int_identity__components"
                      " order by node_id").fetchnumpy()
    node, comp = sql["node_id"].astype(np.int64), sql["component_id"].astype(np.int64)
    on_edge = sp["on_edge"]
    if not np.array_equal(node, on_edge):
        missing = np.setdiff1d(on_edge, node)[:5].tolist()
        extra = np.setdiff1d(node, on_edge)[:5].tolist()
        return len(np.unique(comp)), [f"node sets differ: on edges but unlabelled {missing},"
                                      f" labelled but on no edge {extra}"]
    problems = []
    label = sp["labels"].astype(np.int64)  # aligned: both ordered by node id
    pairs = np.unique(np.stack([comp, label], axis=1), axis=0)
    for column, name, other in ((0, "SQL component", "scipy labels"),
                                (1, "scipy label", "SQL components")):
        keys, counts = np.unique(pairs[:, column], return_counts=True)
        for key in keys[counts > 1][:5]:
            hits = pairs[pairs[:, column] == key][:, 1 - column][:5].tolist()
            problems.append(f"{name} {key} maps to several {other}: {hits}")
    return len(np.unique(comp)), problems


def import_lifetimes():
    """lifetimes' two fitters, or None where it is not installed."""
    try:
        with warnings.catch_warnings():
            # COMPAT SHIM: lifetimes 0.11.3 (2020) sets pandas' mode.chained_assignment option on
            # import, which pandas 3 deprecates with a Pandas4Warning (pandas 4 drops the option,
            # and this import would then need the option stubbed). Its fitters run unchanged on
            # numpy 2.4, scipy 1.17 and pandas 3.1.
            warnings.simplefilter("ignore")
            from lifetimes import BetaGeoFitter, GammaGammaFitter
    except ImportError:
        return None
    return BetaGeoFitter, GammaGammaFitter


def fit_lifetimes(fitters, history: tuple, spend: tuple) -> tuple[float, dict]:
    """BetaGeoFitter().fit(frequency, recency, T, weights) + GammaGammaFitter().fit(frequency,
    monetary_value, weights) on repeat customers, as lifetimes' docs call them."""
    beta_geo, gamma_gamma = fitters
    with warnings.catch_warnings():
        # overflow in the optimiser's trial steps, if any, would interleave with the table
        warnings.simplefilter("ignore", RuntimeWarning)
        started = time.perf_counter()
        bgf = beta_geo().fit(*history)
        ggf = gamma_gamma().fit(*spend)
        seconds = time.perf_counter() - started
    return seconds, {**bgf.params_.to_dict(), **ggf.params_.to_dict()}


def clv_fits(con, period_days: int) -> dict:
    """The CLV step's fit and lifetimes' on the build's purchase summary: seconds, and the
    largest relative difference between the two sets of parameters (both are maximum
    likelihood on the same rows, so it should be near the optimisers' tolerance)."""
    from cdp.clv.errors import ClvFitError
    from cdp.clv.score import fit_models
    from cdp.clv.step import read_purchase_summary

    summary = read_purchase_summary(con)
    try:
        fit_models(summary.iloc[:5000], period_days=period_days)  # warm-up: imports, caches
        report = fit_models(summary, period_days=period_days)
    except ClvFitError as error:  # as the build records it: no fit to compare
        return {"clv_customers": len(summary), "clv_fit": f"failed: {error}"}
    result = {"clv_customers": len(summary), "clv_fit_s": round(report.fit_seconds, 3)}
    fitters = import_lifetimes()
    if fitters is None:
        return {**result, "lifetimes": "not importable (pip install -e '.[bench]')"}
    frequency, monetary = summary["frequency"], summary["monetary_value"]
    history = (frequency, summary["recency_days"] / period_days, summary["t_days"] / period_days)
    spend = (frequency[monetary > 0], monetary[monetary > 0])
    warm = slice(0, 5000)
    try:
        fit_lifetimes(fitters, (*(c.iloc[warm] for c in history), None),
                      (*(c.iloc[warm] for c in spend), None))
        seconds, theirs = fit_lifetimes(fitters, (*history, None), (*spend, None))
    except Exception as error:  # a reference that fails must not lose the bench's figures
        return {**result, "lifetimes": f"failed: {type(error).__name__}: {error}"}
    ours = asdict(report.bgnbd) | asdict(report.gamma_gamma)
    difference = max(abs(ours[n] - theirs[n]) / abs(theirs[n]) for n in PARAMETERS)
    return {**result, "lifetimes_fit_s": round(seconds, 3),
            "clv_fit_over_lifetimes": round(report.fit_seconds / seconds, 4),
            "largest_parameter_difference": float(f"{difference:.3g}")}
