"""`duplicate_combinations` (the unique_combination test's query) run for real through dbt on
DuckDB, whose version narrows rows down by a hash first: it must report exactly what a plain
group by reports, nulls included, and nothing on unique rows."""

from __future__ import annotations

import duckdb
import pytest

from tests.dbt.scratch_project import invoke_dbt, write_scratch_project

ROWS = """
    select * from (values
        ('web', 'k1', 'email', 'a@x.com'), ('web', 'k1', 'email', 'a@x.com'),
        ('web', 'k1', 'email', 'b@x.com'), ('app', 'k1', 'email', 'a@x.com'),
        ('web', 'k2', null, null), ('web', 'k2', null, null), ('web', 'k2', null, null),
        ('web', 'k3', 'phone', null), ('web', 'k3', null, 'phone')
    ) as t (source_table, source_record_key, id_type, id_value)
"""
COLUMNS = ["source_table", "source_record_key", "id_type", "id_value"]


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    root = tmp_path_factory.mktemp("duplicates")
    database = write_scratch_project(root)
    models = root / "models"
    models.mkdir()
    (models / "observed.sql").write_text(ROWS)
    (models / "distinct_observed.sql").write_text("select distinct * from {{ ref('observed') }}")
    for name in ("observed", "distinct_observed"):
        (models / f"duplicates_of_{name}.sql").write_text(
            f"{{{{ duplicate_combinations(ref('{name}'), {COLUMNS}) }}}}")
    assert invoke_dbt(root, "run").success
    return database


def test_reports_exactly_the_repeated_combinations(database):
    con = duckdb.connect(str(database))
    columns = ", ".join(COLUMNS)
    found = con.execute(f"select {columns}, duplicate_rows from main.duplicates_of_observed"
                        " order by all").fetchall()
    expected = con.execute(f"select {columns}, count(*) from main.observed group by all"
                           " having count(*) > 1 order by all").fetchall()
    assert found == expected == [("web", "k1", "email", "a@x.com", 2),
                                 ("web", "k2", None, None, 3)]


def test_reports_nothing_on_unique_rows(database):
    con = duckdb.connect(str(database))
    assert con.execute("select count(*) from main.duplicates_of_distinct_observed"
                       ).fetchone() == (0,)
