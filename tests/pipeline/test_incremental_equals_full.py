"""An incremental run after a later delivery gives exactly the warehouse a full refresh of
the same files gives: every staging, intermediate, mart and sync relation, row for row. So
does a full reload of the raw tables under incremental models (every row stamped anew).

The later delivery is each export's newest 2% (cdp.generate.deliveries), so it carries new
persons, new identifiers that merge existing ones, late events and changed contacts. Only what
records *when the pipeline ran* may differ, and history that by definition depends on how many
runs there were; both are listed here with the reason.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from cdp.build import build_project
from cdp.generate import generate_sources
from cdp.generate.deliveries import deliver, split_deliveries
from cdp.load import load_raw

PERSONS = 1_000
SCHEMAS = ("staging", "intermediate", "marts", "sync")

# History: one row per run's change, so one run and two runs rightly differ.
HISTORY = {
    "int_identity__person_changes", "fct_identity_changes",  # merge/split log
    "fct_audience_memberships", "fct_audience_daily_sizes",  # entries and exits per run
    # The rounds of the last run's connected components: an incremental run labels only the
    # components its changed edges touch (the labels themselves are compared).
    "int_identity__components__cc_rounds", "int_identity__strong_components__cc_rounds",
}
# Columns stamped with the time of a run (or derived from it), per relation; everywhere
# `loaded_at` (the load's time, lineage), the code fingerprints (the SQL that built a
# staging row, which names the warehouse database: each warehouse here is its own file) and
# the person-input fingerprints (they hash those load times and code fingerprints) and which
# persons a model kept per person recomputed in its last run (`<model>__remembered_inputs`).
RUN_TIME_COLUMNS = {
    "int_identity__person_map": {"first_assigned_at", "changed_at", "updated_at",
                                 "previous_person_id"},
    "dim_audiences": {"last_entry_at"},
    "fct_audience_members": {"membership_id", "entered_at"},
    "stg_clv__model_fits": {"fit_seconds"},
    "stg_loader__loaded_files": {"file_load_id"},
    # A load's size: one load in the full refresh, two in the incremental warehouse.
    "int_identity__observations": {"load_clean_rows"},
    "int_identity__record_identifiers": {"load_clean_rows"},
    "int_identity__record_nodes": {"load_clean_rows"},
}


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory) -> tuple[Path, Path, Path, Path]:
    """(incremental warehouse, its state before the later delivery, full-refresh warehouse,
    the incremental warehouse after a full reload of raw and another build)."""
    root = tmp_path_factory.mktemp("incremental")
    generate_sources(root / "generated", PERSONS, seed=23, show_progress=False)
    split_deliveries(root / "generated", root / "feed", root / "later", share=0.02)

    incremental, before = root / "incremental.duckdb", root / "before.duckdb"
    load_raw(root / "feed", incremental)
    build_project(duckdb_path=incremental)
    shutil.copy(incremental, before)
    deliver(root / "later", root / "feed")
    load_raw(root / "feed", incremental, incremental=True)
    build_project(duckdb_path=incremental)

    full = root / "full.duckdb"
    load_raw(root / "feed", full)
    build_project(duckdb_path=full)

    reloaded = root / "reloaded.duckdb"
    shutil.copy(incremental, reloaded)
    load_raw(root / "feed", reloaded)
    build_project(duckdb_path=reloaded)
    return incremental, before, full, reloaded


def _relations(con: duckdb.DuckDBPyConnection, database: str) -> list[tuple[str, str]]:
    schemas = ", ".join(f"'{s}'" for s in SCHEMAS)
    return con.execute(
        f"select schema_name, table_name from duckdb_tables() where database_name = '{database}'"
        f" and schema_name in ({schemas}) union all select schema_name, view_name from"
        f" duckdb_views() where database_name = '{database}' and schema_name in ({schemas})"
        " order by 1, 2").fetchall()


def _compared_columns(con, schema: str, name: str) -> str:
    skipped = RUN_TIME_COLUMNS.get(name, set()) | {
        "loaded_at", "code_fingerprint", "base_code_fingerprint", "observations_code_fingerprint",
        "record_identifiers_code_fingerprint",
        "recomputed_in_last_run", "inputs_fingerprint", "shared_inputs_fingerprint"}
    columns = [c for (c,) in con.execute(
        "select column_name from duckdb_columns() where database_name = 'inc'"
        " and schema_name = ? and table_name = ? order by column_index", [schema, name]
    ).fetchall() if c not in skipped]
    return ", ".join(f'"{c}"' for c in columns)


@pytest.mark.parametrize("which", ["incremental run", "full reload"])
def test_incremental_run_equals_full_refresh(warehouses, which):
    incremental, _before, full, reloaded = warehouses
    con = duckdb.connect()
    con.execute(f"attach '{incremental if which == 'incremental run' else reloaded}'"
                " as inc (read_only)")
    con.execute(f"attach '{full}' as fresh (read_only)")
    relations = _relations(con, "inc")
    assert relations == _relations(con, "fresh")
    differences = []
    for schema, name in relations:
        if name in HISTORY:
            continue
        columns = _compared_columns(con, schema, name)
        for one, other, label in (("inc", "fresh", "only incremental"),
                                  ("fresh", "inc", "only full refresh")):
            (count,) = con.execute(
                f"select count(*) from (select {columns} from {one}.{schema}.{name}"
                f" except all select {columns} from {other}.{schema}.{name})").fetchone()
            if count:
                differences.append(f"{schema}.{name}: {count} rows {label}")
    assert not differences, "\n".join(differences)
    assert len(relations) > 100  # the whole project was compared


def test_the_later_delivery_changed_the_warehouse(warehouses):
    """Not a vacuous comparison: the delivery added events, persons and identity merges."""
    incremental, before, _full, _reloaded = warehouses
    con = duckdb.connect()
    con.execute(f"attach '{incremental}' as inc (read_only)")
    con.execute(f"attach '{before}' as old (read_only)")
    for relation in ("staging.stg_web__events", "staging.stg_shop__orders",
                     "marts.dim_identity_identifiers", "intermediate.int_identity__edges"):
        (new, old) = con.execute(f"select (select count(*) from inc.{relation}),"
                                 f" (select count(*) from old.{relation})").fetchone()
        assert new > old, relation
    (changes,) = con.execute("select count(*) from inc.marts.fct_identity_changes").fetchone()
    assert changes > 0  # the delivery joined or split persons the first run had


def test_an_unchanged_project_keeps_its_code_fingerprints(warehouses):
    """The fingerprint is stable from run to run (the per_run_filter is not part of it):
    otherwise every incremental run would drop its base rows and re-read all of raw, rebuild
    every key of the stg_ models and read every load into the identity observations again."""
    incremental, before, _full, _reloaded = warehouses
    con = duckdb.connect()
    con.execute(f"attach '{incremental}' as inc (read_only)")
    con.execute(f"attach '{before}' as old (read_only)")
    names = [name for (name,) in con.execute(
        "select schema_name || '.' || table_name from duckdb_columns()"
        " where database_name = 'inc' and column_name = 'code_fingerprint'").fetchall()]
    assert len(names) >= 21  # 9 base_ and 9 stg_ models, 3 identity models
    for name in names:
        fingerprints = con.execute(
            f"select distinct code_fingerprint from inc.{name} union"
            f" select distinct code_fingerprint from old.{name}").fetchall()
        assert len(fingerprints) == 1, name


def test_stg_rows_point_at_their_live_base_rows(warehouses):
    """After a run, every stg_ row's lineage and base_code_fingerprint name a clean row of its
    base model: the next run then rebuilds only keys with newer loads (a broken pointer would
    make drop_rows_of_changed_keys rebuild that key on every run)."""
    incremental, _before, _full, _reloaded = warehouses
    con = duckdb.connect()
    con.execute(f"attach '{incremental}' as inc (read_only)")
    names = [name for (name,) in con.execute(
        "select table_name from duckdb_columns() where database_name = 'inc'"
        " and schema_name = 'staging' and column_name = 'base_code_fingerprint'").fetchall()]
    assert len(names) == 9
    for name in names:
        base = name.replace("stg_", "base_", 1)
        (held, dangling) = con.execute(
            f"select count(*), count(*) filter (where not exists (select 1 from"
            f" inc.staging.{base} as b where b.source_file = s.source_file"
            f" and b.source_row = s.source_row and b.loaded_at = s.loaded_at"
            f" and b.code_fingerprint = s.base_code_fingerprint and b.reject_reason is null))"
            f" from inc.staging.{name} as s").fetchone()
        assert held > 0 and dangling == 0, name
