"""The reference a benchmark runs next to the CDP on the same data, so ratios are fair: scipy's
connected components on the identity graph's own edges (the CLV fit's reference, lifetimes,
is timed by bench/bench_clv.py).
"""

from __future__ import annotations

import time

import duckdb
import numpy as np
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


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
