"""The same generated data built on DuckDB, PostgreSQL (a throwaway server started here) and
Spark (a local session) must give the same persons, golden records, traits, RFM, CLV,
audience memberships and arms, and the same payloads to a file and a webhook sync and, after
crashes and lost answers, in a mirror that converged (sync state kept on each engine)."""

from __future__ import annotations

import math
import time

import pytest

from cdp.generate import generate_sources
from tests.engines.compare import compare_engines, format_differences
from tests.engines.engine_runs import EngineRun, engine_environment, run_engine
from tests.reverse_etl.fakes.postgres_server import running_postgres

PERSONS = 2000
ENGINES = ("duckdb", "postgres", "spark")
CLV_COLUMNS = ("expected_purchases_90d", "expected_purchases_365d", "p_alive",
               "expected_avg_order_value", "predicted_clv")
TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, EngineRun]:
    raw = tmp_path_factory.mktemp("raw")
    generate_sources(raw, PERSONS, seed=19, show_progress=False)
    built = {}
    with running_postgres() as postgres:
        for engine in ENGINES:
            root = tmp_path_factory.mktemp(engine)
            with engine_environment(engine, root, postgres):
                started = time.monotonic()
                run = run_engine(engine, raw, root)
                TIMINGS[engine] = time.monotonic() - started
                run.frames = {name: run.fetch(sql) for name, sql in _snapshot_queries()}
                run.tables = _tables_of(run)
            built[engine] = run
    print("engine run times (Dagster job, then syncs):",
          ", ".join(f"{e} {s:.0f}s" for e, s in TIMINGS.items()))
    for engine, run in built.items():  # the figures the comparison covered
        sizes = {sql.split(" from ", 1)[1].split()[0]: len(rows)
                 for sql, rows in run.tables.items()}
        print(f"{engine} rows:", ", ".join(f"{name} {n:,}" for name, n in sorted(sizes.items())),
              f"| payloads: file {len(run.file_rows)}, webhook {len(run.webhook_rows)},"
              f" mirror {len(run.converged_rows['converged'])} then"
              f" {len(run.converged_rows['switched'])}")
    return built


def _snapshot_queries():
    yield "clv", f"select person_id, {', '.join(CLV_COLUMNS)} from staging.stg_clv__scores"
    yield "fit", "select * from staging.stg_clv__model_fits"


def _tables_of(run: EngineRun) -> dict:
    """Every table the comparison reads, fetched while the engine's environment is set."""
    cache: dict[str, object] = {}

    def fetch(sql: str):
        if sql not in cache:
            cache[sql] = run.fetch(sql)
        return cache[sql]

    compare_engines(fetch, fetch)  # reads each relation once, into the cache
    return cache


@pytest.mark.parametrize("engine", ENGINES[1:])
def test_marts_are_identical_to_duckdb(runs, engine):
    reference, other = runs["duckdb"].tables, runs[engine].tables
    differences = compare_engines(reference.__getitem__, other.__getitem__)
    assert not any(differences.values()), format_differences(differences)


@pytest.mark.parametrize("engine", ENGINES[1:])
def test_clv_fit_and_scores_agree_within_1e_6(runs, engine):
    left = runs["duckdb"].frames["clv"].set_index("person_id").sort_index()
    right = runs[engine].frames["clv"].set_index("person_id").sort_index()
    assert len(left) > 100 and list(left.index) == list(right.index)
    for column in CLV_COLUMNS:
        for a, b in zip(left[column], right[column], strict=True):
            assert math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9), (column, a, b)
    [fit_left] = runs["duckdb"].frames["fit"].to_dict("records")
    [fit_right] = runs[engine].frames["fit"].to_dict("records")
    assert fit_left["fit_status"] == fit_right["fit_status"] == "ok"
    for name, value in fit_left.items():
        if isinstance(value, float) and name != "fit_seconds":
            assert math.isclose(value, fit_right[name], rel_tol=1e-6), name


@pytest.mark.parametrize("engine", ENGINES[1:])
def test_sync_payloads_are_identical(runs, engine):
    reference, other = runs["duckdb"], runs[engine]
    assert len(reference.file_rows) > 20 and len(reference.webhook_rows) > 20
    for sent, expected in ((other.file_rows, reference.file_rows),
                           (other.webhook_rows, reference.webhook_rows),
                           (other.converged_rows, reference.converged_rows)):
        differences = _differences(expected, sent)
        assert not differences, f"{len(differences)} records differ, e.g. {differences[:3]}"


def _differences(expected: dict, sent: dict) -> list[str]:
    found = []
    for key in sorted(expected.keys() | sent.keys()):
        left, right = expected.get(key) or {}, sent.get(key) or {}
        fields = sorted(name for name in left.keys() | right.keys()
                        if left.get(name) != right.get(name))
        if fields:
            found.append(f"{key}: " + ", ".join(
                f"{name} {left.get(name)!r} vs {right.get(name)!r}" for name in fields))
    return found
