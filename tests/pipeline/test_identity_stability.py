"""Person ids survive reruns and full refreshes; appended data merges two persons (the older id
survives, the merge and its cause are recorded); taking that data away splits them again."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from cdp.dbt import run_dbt
from cdp.generate import generate_sources
from cdp.load import load_raw
from cdp.load.tables import RAW_TABLES

BRIDGE_FILE = "crm/contacts_2026-11-02.csv"
# Only the identity models and what they are built from: the rest of the project does not
# feed the id map, and five whole builds would dominate the test run.
IDENTITY_MODELS = ["--select", "+dim_identity_identifiers", "+fct_identity_changes",
                   "--indirect-selection", "cautious"]
CRM_COLUMNS = next(t for t in RAW_TABLES if t.name == "crm_contacts").columns


@dataclass
class Identity:
    raw_dir: Path
    db: Path

    def build(self, *args: str, incremental: bool = False) -> None:
        load_raw(self.raw_dir, self.db, incremental=incremental)
        run_dbt(["build", *IDENTITY_MODELS, *args], duckdb_path=self.db)

    def rows(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def persons(self) -> dict[str, str]:
        return dict(self.rows(
            "select node_key, person_id from intermediate.int_identity__person_map"
            " where is_current"
        ))

    def changes(self) -> list[tuple]:
        return self.rows(
            "select change_type, from_person_id, to_person_id, cause, cause_source_table,"
            " cause_source_record_key from marts.fct_identity_changes order by run_at"
        )


@pytest.fixture(scope="module")
def identity(tmp_path_factory) -> Identity:
    root = tmp_path_factory.mktemp("identity")
    generate_sources(root / "raw", 400, seed=3, show_progress=False)
    built = Identity(root / "raw", root / "cdp.duckdb")
    built.build()
    return built


def _two_persons(identity: Identity) -> tuple[tuple, tuple]:
    """An older person with an email and a younger one with a login account, each with at
    most one CRM contact, so one new contact holding both stays within the link limits."""
    [older, younger] = identity.rows("""
        with persons as (
            select person_id, min(first_seen_at) as since,
                   min(id_value) filter (where id_type = 'email') as email,
                   min(id_value) filter (where id_type = 'user_id') as account
            from marts.dim_identity_identifiers where status = 'linked'
            group by person_id
            having count(*) >= 3 and count(*) filter (where id_type = 'crm_id') <= 1
                and count(*) filter (where id_type = 'user_id') <= 1)
        (select person_id, since, email from persons where email is not null
         order by since limit 1)
        union all
        (select person_id, since, account from persons where account is not null
         order by since desc limit 1)""")
    assert older[1] < younger[1]
    return older, younger


def _write_bridge(raw_dir: Path, email: str, account_id: str) -> None:
    values = dict.fromkeys(CRM_COLUMNS, "")
    values.update(contact_id="CRM-9999999", email=email, account_id=account_id, country="US",
                  created_at="2026-11-01 10:00:00", updated_at="2026-11-01 10:00:00")
    (raw_dir / BRIDGE_FILE).write_text(
        ",".join(CRM_COLUMNS) + "\n" + ",".join(values[c] for c in CRM_COLUMNS) + "\n"
    )


def test_ids_survive_rerun_full_refresh_merge_and_split(identity):
    first = identity.persons()
    assert first and identity.changes() == []

    identity.build()
    assert identity.persons() == first, "a rerun on the same data keeps every id"
    identity.build("--full-refresh")
    assert identity.persons() == first, "--full-refresh keeps the person id map"

    (older, _, email), (younger, _, account_id) = _two_persons(identity)
    _write_bridge(identity.raw_dir, email, account_id)
    identity.build(incremental=True)
    merged = identity.persons()
    moved = {key for key, person in first.items() if person == younger}
    assert {merged[key] for key in moved} == {older}, "the older id survives the merge"
    assert "crm_id:CRM-9999999" in merged and merged["crm_id:CRM-9999999"] == older
    untouched = {k: p for k, p in first.items() if k not in moved}
    assert {k: merged[k] for k in untouched} == untouched, "nobody else changes"
    [(change, source, target, cause, table, record)] = identity.changes()
    assert (change, source, target, table) == ("merge", younger, older, "crm_contacts")
    assert cause.startswith("joined by a record link")
    [(bridge_key,)] = identity.rows(
        "select source_record_key from staging.base_crm__contacts where source_file = ?",
        [BRIDGE_FILE],
    )
    assert record == bridge_key

    (identity.raw_dir / BRIDGE_FILE).unlink()
    identity.build()
    split = identity.persons()
    assert split == first, "without the bridge both persons get their ids back"
    assert [c[:3] for c in identity.changes()[1:]] == [("split", older, younger)]
