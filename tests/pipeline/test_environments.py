"""Dev next to prod on one warehouse: a prod run, then a dev run (CDP_ENVIRONMENT=dev,
CDP_SCHEMA=dbt_alice) on other data in the same DuckDB file. The dev run writes only
`dbt_alice_*` schemas (loader, dbt, CLV step, sync state) and reads only them; prod's tables
are exactly as they were, and a prod sync afterwards still reads prod and writes prod state."""

from __future__ import annotations

import duckdb
import pyarrow.csv as pa_csv
import pytest

from cdp.build import build_project
from cdp.generate import generate_sources
from cdp.load import load_raw
from reverse_etl.config import SyncSpec
from reverse_etl.engine import run_sync

DEV = "dbt_alice"
PREFIXED = [f"{DEV}_{name}" for name in ("raw", "clv", "cdp_sync", "staging",
                                          "intermediate", "sync", "marts", "pii_masked",
                                          "privacy",
                                          "reference")]


def _fingerprints(db) -> dict[str, tuple]:
    """Every table and view: (rows, order-independent hash of its rows)."""
    with duckdb.connect(str(db), read_only=True) as con:
        relations = con.execute("select table_schema, table_name from information_schema.tables"
                                " where table_catalog = current_database()").fetchall()
        return {f"{schema}.{name}": con.execute(
            f'select count(*), bit_xor(hash(t)) from "{schema}"."{name}" as t').fetchone()
            for schema, name in relations}


def _schemas(db) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {name for (name,) in con.execute(
            "select schema_name from duckdb_schemas() where database_name = current_database()"
            " and not internal").fetchall()}


def _count(db, relation: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"select count(*) from {relation}").fetchone()[0]


def _sync(exports) -> SyncSpec:
    """A model sync: `sync_hubspot__contacts` exists in both environments' sync schemas."""
    return SyncSpec(name="contacts_file", description="", source_kind="model",
                    source_name="sync_hubspot__contacts", primary_key="person_id",
                    destination_type="file", mode="mirror", fields={"email": "email"},
                    purpose="service",
                    destination_config={"path": str(exports), "format": "csv"})


def _exported(exports) -> set[str]:
    return {key for part in (exports / "contacts_file").glob("part-*.csv")
            for key in pa_csv.read_csv(part)["record_key"].to_pylist()}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("environments")
    db = root / "cdp.duckdb"
    generate_sources(root / "prod_raw", 200, seed=3, show_progress=False)
    generate_sources(root / "dev_raw", 120, seed=4, show_progress=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CDP_EXPORT_ROOT", str(root))
        for name in ("CDP_ENVIRONMENT", "CDP_SCHEMA", "CDP_TARGET"):
            patch.delenv(name, raising=False)
        load_raw(root / "prod_raw", db)
        build_project(duckdb_path=db)
        prod = _fingerprints(db), _schemas(db)

        patch.setenv("CDP_ENVIRONMENT", "dev")
        patch.setenv("CDP_SCHEMA", DEV)
        load_raw(root / "dev_raw", db)
        build_project(duckdb_path=db)
        dev_sync = run_sync(_sync(root / "dev_exports"), db)
        after_dev = _fingerprints(db), _schemas(db)

        patch.delenv("CDP_ENVIRONMENT")
        patch.delenv("CDP_SCHEMA")
        prod_sync = run_sync(_sync(root / "prod_exports"), db)
    return db, root, prod, after_dev, dev_sync, prod_sync


def test_the_dev_run_writes_only_prefixed_schemas(runs):
    _, _, (_, prod_schemas), (_, dev_schemas), _, _ = runs
    assert "marts" in prod_schemas and "cdp_sync" not in prod_schemas
    assert dev_schemas - prod_schemas == set(PREFIXED)


def test_prod_tables_are_untouched_by_the_dev_run(runs):
    _, _, (prod_tables, _), (dev_tables, _), _, _ = runs
    assert {name: dev_tables[name] for name in prod_tables} == prod_tables
    assert prod_tables["marts.dim_customers"][0] > 0
    assert all(name.startswith(f"{DEV}_") for name in set(dev_tables) - set(prod_tables))


def test_the_dev_build_reads_dev_raw_data(runs):
    """Sources follow the rule too: dev's staging holds every dev raw row and no prod row."""
    db, *_ = runs
    dev_raw = _count(db, f"{DEV}_raw.crm_contacts")
    assert dev_raw != _count(db, "raw.crm_contacts")
    assert _count(db, f"{DEV}_staging.base_crm__contacts") == dev_raw
    assert _count(db, f"{DEV}_clv.model_fits") == 1  # the CLV step wrote dev's schema
    assert (_count(db, f"{DEV}_marts.dim_customers")
            != _count(db, "marts.dim_customers"))


def test_each_environment_syncs_its_own_model_into_its_own_state(runs):
    db, root, _, _, dev_sync, prod_sync = runs
    assert dev_sync.status == prod_sync.status == "success"
    with duckdb.connect(str(db), read_only=True) as con:
        dev_people = {k for (k,) in con.execute(
            f"select person_id from {DEV}_sync.sync_hubspot__contacts").fetchall()}
        prod_people = {k for (k,) in con.execute(
            "select person_id from sync.sync_hubspot__contacts").fetchall()}
        dev_runs = con.execute(f"select run_id from {DEV}_cdp_sync.sync_runs").fetchall()
        prod_runs = con.execute("select run_id from cdp_sync.sync_runs").fetchall()
    assert _exported(root / "dev_exports") == dev_people != prod_people
    assert _exported(root / "prod_exports") == prod_people
    assert dev_runs == [(dev_sync.run_id,)] and prod_runs == [(prod_sync.run_id,)]
