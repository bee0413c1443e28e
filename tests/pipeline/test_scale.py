"""Scale check (slow, `make test-slow`): 100k persons through generate -> load -> dbt build."""

from __future__ import annotations

import duckdb
import pytest

from cdp.build import build_project
from cdp.generate import generate_sources
from cdp.load import load_raw

PERSONS = 100_000


@pytest.mark.slow
def test_100k_persons_reconcile_and_reject_exactly_the_defects(tmp_path):
    raw_dir, db = tmp_path / "raw", tmp_path / "cdp.duckdb"
    manifest = generate_sources(raw_dir, PERSONS, seed=3, show_progress=False)
    load_raw(raw_dir, db)
    build_project(duckdb_path=db)
    with duckdb.connect(str(db), read_only=True) as con:
        reconciled = dict(con.execute(
            "select source_table, is_reconciled from marts.fct_source_reconciliation"
        ).fetchall())
        rejects = dict(con.execute(
            "select source_table, count(*) from marts.fct_source_rejects group by 1"
        ).fetchall())
    assert reconciled == dict.fromkeys(manifest["rows"], True)
    assert rejects == manifest["defects"]
