"""SQL outside dbt is written once in DuckDB's dialect: the layer's translation must keep every
parameter bound to its value (whatever order the target dialect puts them in), never let a
literal `%` turn into a psycopg placeholder, and hash and pack JSON the way DuckDB does."""

from __future__ import annotations

import json

import duckdb
import pytest

from cdp.warehouse.base import bound, transpiled
from cdp.warehouse.postgres_engine import PostgresWarehouse
from tests.reverse_etl.fakes.postgres_server import shared_server


def test_parameters_stay_bound_to_their_values_in_every_dialect():
    sql = "select * from t where a = ? and b like 'x%' and c in (?, ?) and d::int = ?"
    for dialect, marker in (("postgres", "%s"), ("spark", "?")):
        text, params = bound(sql, [1, 2, 3, 4], dialect)
        assert text.count(marker) == 4 and params == [1, 2, 3, 4]
    assert bound(sql, [1, 2, 3, 4], "duckdb") == (sql, [1, 2, 3, 4])


def test_a_literal_percent_is_escaped_for_psycopg_only():
    sql = "select * from t where b like 'x%' and c = ?"
    assert "'x%%'" in bound(sql, [1], "postgres")[0]
    assert "'x%'" in bound(sql, [1], "spark")[0]
    # Text to run without parameters keeps its `%`: psycopg does not scan it then.
    assert "'x%'" in transpiled("select * from t where b like 'x%'", "postgres")


def test_a_question_mark_inside_a_string_is_not_a_parameter():
    text, params = bound("select '?' as q, ? as p", ["value"], "postgres")
    assert params == ["value"] and "'?'" in text and text.count("%s") == 1


def test_sha256_and_json_values_match_duckdb_on_a_real_postgres():
    sql = ("select sha256(v) as h, json_object('t', ts, 'f', f, 'n', n) as j from (select"
           " 'é{}' as v, timestamp '2026-10-25 04:52:17.865' as ts, 1.0::double as f,"
           " 2.50::decimal(18, 2) as n) as s")
    expected = duckdb.execute(sql).fetchone()
    server = shared_server()
    with PostgresWarehouse({"host": server.host, "port": server.port, "user": server.user,
                            "password": server.password, "dbname": server.dbname}) as pg:
        digest, packed = pg.execute(sql).fetchone()
    assert digest == expected[0]
    assert json.loads(packed) == json.loads(expected[1])
    assert '"2026-10-25 04:52:17.865"' in packed and "1.0" in packed


def test_json_object_is_postgres_15_syntax_with_values_written_as_duckdb_does():
    text = transpiled("select json_object('a', x, 'b', y + 1) from t", "postgres")
    assert text.startswith("SELECT CAST(JSON_BUILD_OBJECT('a', pg_temp.cdp_json_value(x)")
    assert "pg_temp.cdp_json_value(y + 1)" in text


@pytest.mark.parametrize("dialect", ["postgres", "spark"])
def test_every_statement_translates_once_and_is_cached(dialect):
    sql = "select count(*) from cdp_sync.snapshots where sync_name = ?"
    assert bound(sql, ["s"], dialect) == bound(sql, ["s"], dialect)
