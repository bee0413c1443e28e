"""Models kept per person recompute exactly the persons whose inputs changed.

One delivery brings two new versions: a CRM contact with a new first name and the same
identifiers (identity does not move), and an order with every identifier blanked (the new
version resolves to nobody, so the person loses the order without gaining a record). The
next build must show the new name, recompute those two persons and no one else in every
model kept per person, and leave every such model equal to a full build of the same files.
Forgetting a model's fingerprints, or a code change, recomputes everyone in that model only.
Data tests on those models check the persons the run recomputed, not the ones it left alone.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from cdp.build import build_project
from cdp.dbt import run_dbt
from cdp.generate import generate_sources
from cdp.load import load_raw

PERSONS = 300
NEW_NAME = "Zebedee"


def _per_person_models(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [name.removesuffix("__remembered_inputs") for (name,) in con.execute(
        "select table_name from duckdb_tables() where schema_name = 'intermediate'"
        " and table_name like '%\\_\\_remembered\\_inputs' escape '\\' order by 1").fetchall()]


def _recomputed_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {model: con.execute(
        f"select count(*) filter (where recomputed_in_last_run)"
        f" from intermediate.{model}__remembered_inputs").fetchone()[0]
        for model in _per_person_models(con)}


def _rows(path: Path) -> list[dict]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _write_new_versions(feed: Path) -> tuple[str, str]:
    """A later export of one contact renamed and of one order without identifiers."""
    contacts = _rows(feed / "crm" / "contacts.csv")
    contact = next(row for row in contacts if row["first_name"] and row["email"])
    contact.update(first_name=NEW_NAME,
                   updated_at=max(row["updated_at"] for row in contacts if row["updated_at"]))
    _write(feed / "crm" / "contacts_renamed.csv", [contact])

    orders = _rows(feed / "shop" / "orders.csv")
    order = next(row for row in orders if row["customer_email"] and row["updated_at"])
    order.update(account_id="", customer_email="", customer_phone="", loyalty_id="",
                 updated_at=max(row["updated_at"] for row in orders if row["updated_at"]))
    _write(feed / "shop" / "orders_anonymised.csv", [order])
    return contact["contact_id"], order["order_id"]


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("person_scope")
    feed = root / "feed"
    generate_sources(feed, PERSONS, seed=5, show_progress=False)
    incremental = root / "incremental.duckdb"
    load_raw(feed, incremental)
    build_project(duckdb_path=incremental)
    before = root / "before.duckdb"
    shutil.copy(incremental, before)
    contact_id, order_id = _write_new_versions(feed)
    load_raw(feed, incremental, incremental=True)
    build_project(duckdb_path=incremental)
    renamed = root / "renamed.duckdb"
    shutil.copy(incremental, renamed)

    full = root / "full.duckdb"
    load_raw(feed, full)
    build_project(duckdb_path=full)

    with duckdb.connect(str(incremental)) as con:
        con.execute("drop table intermediate.int_traits__sessions__remembered_inputs")
        con.execute("update intermediate.int_customers__best_names__remembered_inputs"
                    " set code_fingerprint = 'an older code'")
    build_project(duckdb_path=incremental)
    return {"renamed": renamed, "full": full, "tampered": incremental,
            "contact_id": contact_id, "order_id": order_id, "before": before}


def _person_of(con, table: str, key_column: str, key: str) -> str | None:
    """The person of the current version of `key` in the stg_ model `table` (None: nobody)."""
    found = con.execute(
        f"select record_persons.person_id from staging.{table} as rows"
        " left join intermediate.int_identity__record_persons as record_persons"
        " on record_persons.source_record_key = rows.source_record_key"
        f" where rows.{key_column} = ?", [key]).fetchall()
    assert len(found) == 1
    return found[0][0]


def _changed_persons(warehouses) -> set[str]:
    with duckdb.connect(str(warehouses["before"]), read_only=True) as con:
        order_person = _person_of(con, "stg_shop__orders", "order_id", warehouses["order_id"])
    with duckdb.connect(str(warehouses["renamed"]), read_only=True) as con:
        contact_person = _person_of(con, "stg_crm__contacts", "contact_id",
                                    warehouses["contact_id"])
        assert _person_of(con, "stg_shop__orders", "order_id", warehouses["order_id"]) is None
    assert order_person and contact_person
    return {order_person, contact_person}


def test_the_new_versions_reach_the_golden_record_and_the_timeline(warehouses):
    with duckdb.connect(str(warehouses["renamed"]), read_only=True) as con:
        person_id = _person_of(con, "stg_crm__contacts", "contact_id", warehouses["contact_id"])
        (first_name,) = con.execute(
            "select first_name from intermediate.int_customers__best_names where person_id = ?",
            [person_id]).fetchone()
        (orders,) = con.execute(
            "select count(*) from intermediate.int_customers__activities as activities"
            " inner join staging.base_shop__orders as orders"
            " on activities.source_record_key = orders.source_record_key"
            " where orders.order_id = ?", [warehouses["order_id"]]).fetchone()
    assert first_name == NEW_NAME
    assert orders == 0  # the current version resolves to nobody


def test_only_the_persons_with_new_versions_are_recomputed(warehouses):
    changed = _changed_persons(warehouses)
    with duckdb.connect(str(warehouses["renamed"]), read_only=True) as con:
        models = _per_person_models(con)
        assert len(models) == 14
        for model in models:
            recomputed = {person_id for (person_id,) in con.execute(
                f"select person_id from intermediate.{model}__remembered_inputs"
                " where recomputed_in_last_run").fetchall()}
            assert recomputed == changed, model


@pytest.mark.parametrize("which", ["renamed", "tampered"])
def test_models_kept_per_person_equal_a_full_build(warehouses, which):
    con = duckdb.connect()
    con.execute(f"attach '{warehouses[which]}' as kept (read_only)")
    con.execute(f"attach '{warehouses['full']}' as fresh (read_only)")
    con.execute("use kept")
    models = _per_person_models(con)
    for model in models:
        for one, other in (("kept", "fresh"), ("fresh", "kept")):
            (count,) = con.execute(
                f"select count(*) from (select * from {one}.intermediate.{model} except all"
                f" select * from {other}.intermediate.{model})").fetchone()
            assert count == 0, f"{model}: {count} rows only in {one}"


def test_forgotten_fingerprints_or_changed_code_recompute_everyone_in_that_model(warehouses):
    with duckdb.connect(str(warehouses["tampered"]), read_only=True) as con:
        (persons,) = con.execute(
            "select count(*) from intermediate.int_customers__person_inputs").fetchone()
        recomputed = _recomputed_counts(con)
    assert recomputed.pop("int_traits__sessions") == persons
    assert recomputed.pop("int_customers__best_names") == persons
    assert set(recomputed.values()) == {0}, recomputed  # nothing changed for the others


def _duplicate_best_name(path: Path, person_id: str) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("insert into intermediate.int_customers__best_names select * from"
                    " intermediate.int_customers__best_names where person_id = ?", [person_id])


def test_data_tests_check_the_persons_the_run_recomputed(warehouses, tmp_path):
    changed = _changed_persons(warehouses)
    copy = tmp_path / "copy.duckdb"
    shutil.copy(warehouses["renamed"], copy)
    with duckdb.connect(str(copy), read_only=True) as con:
        (untouched,) = con.execute(
            "select min(person_id) from intermediate.int_customers__best_names"
            " where person_id not in (select unnest(?))", [sorted(changed)]).fetchone()
        (recomputed,) = con.execute(
            "select min(person_id) from intermediate.int_customers__best_names"
            " where person_id in (select unnest(?))", [sorted(changed)]).fetchone()
    name = "unique_int_customers__best_names_person_id"

    def outcome():
        results = run_dbt(["test", "--select", name], duckdb_path=copy, check=False).result
        return next((r.status, r.failures) for r in results if r.node.name == name)

    _duplicate_best_name(copy, untouched)  # a row no run wrote: outside the test's scope
    assert outcome() == ("pass", 0)
    _duplicate_best_name(copy, recomputed)
    assert outcome() == ("fail", 1)
