"""The bench's reference: scipy's connected components on the warehouse's own identity edges,
compared node by node with the SQL components. Node ids are 60-bit hashes (stable_hash), so
the reference must index its matrix by rank, and a wrong partition must be reported. And
lifetimes' CLV fitters on the build's own purchase summary, next to ours."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from cdp.bench.references import clv_fits, compare, scipy_components
from cdp.clv.simulate import simulate_customers

BIG = 2**59  # ids as large as stable_hash makes them
EDGES = [(BIG + 1, BIG + 7), (BIG + 7, 12), (40, BIG + 3)]
COMPONENTS = [(12, 12), (40, 40), (BIG + 1, 12), (BIG + 3, 40), (BIG + 7, 12)]


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("create schema intermediate")
    con.execute("create table intermediate.int_identity__edges (node_a bigint, node_b bigint)")
    con.executemany("insert into intermediate.int_identity__edges values (?, ?)", EDGES)
    con.execute("create table intermediate.int_identity__nodes as select node_id from"
                " (values (12), (40), (99)) as t (node_id)")
    con.execute("create table intermediate.int_identity__components"
                " (node_id bigint, component_id bigint)")
    con.executemany("insert into intermediate.int_identity__components values (?, ?)",
                    COMPONENTS)
    return con


def test_the_right_partition_matches(con):
    graph = scipy_components(con)
    assert (graph["nodes"], graph["edges"]) == (3, 3)
    assert compare(con, graph) == (2, [])


def test_a_wrong_partition_is_reported(con):
    con.execute("update intermediate.int_identity__components set component_id = 40"
                f" where node_id = {BIG + 7}")
    components, problems = compare(con, scipy_components(con))
    assert components == 2 and problems and "maps to several" in problems[0]


def _purchase_summary(con, summary) -> None:
    con.register("simulated", summary)
    con.execute("create table intermediate.int_clv__purchase_summary as select * from simulated")


def test_our_clv_fit_agrees_with_lifetimes_on_the_same_summary(con):
    rng = np.random.default_rng(5)
    t_days = rng.integers(30, 731, 4000).astype(np.float64)
    weekly = simulate_customers(t_days / 7, r=0.25, alpha=30 / 7, a=0.8, b=2.5, p=6.0, q=4.0,
                                v=15.0, rng=rng)
    _purchase_summary(con, pd.DataFrame({
        "person_id": [f"prs_{i:05d}" for i in range(4000)], "frequency": weekly["frequency"],
        "recency_days": np.floor(weekly["recency"] * 7), "t_days": t_days,
        "monetary_value": weekly["monetary_value"].where(weekly["frequency"] > 0)}))
    fits = clv_fits(con, period_days=7)
    assert fits["clv_customers"] == 4000 and fits["clv_fit_s"] > 0, fits
    assert fits["lifetimes_fit_s"] > 0, fits  # lifetimes is a dev dependency (.[bench])
    # Both are maximum likelihood on the same rows: they differ by optimiser tolerance only.
    assert fits["largest_parameter_difference"] < 0.01, fits


def test_a_summary_no_model_can_fit_is_reported_not_raised(con):
    _purchase_summary(con, pd.DataFrame({
        "person_id": ["prs_1", "prs_2"], "frequency": [0, 0], "recency_days": [0, 0],
        "t_days": [10, 20], "monetary_value": [None, None]}))
    fits = clv_fits(con, period_days=7)
    assert fits["clv_customers"] == 2 and fits["clv_fit"].startswith("failed: "), fits
