"""The bench's reference: scipy's connected components on the warehouse's own identity edges,
compared node by node with the SQL components. Node ids are 60-bit hashes (stable_hash), so
the reference must index its matrix by rank, and a wrong partition must be reported."""

from __future__ import annotations

import duckdb
import pytest

from cdp.bench.references import compare, scipy_components

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
