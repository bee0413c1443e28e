"""Sync definitions written by an attacker or a careless user never reach SQL unchecked: the
engine refuses them with the file/key and reason before any statement runs (dry runs too), and
the warehouse, the file system and the destination are untouched. Specs are built in code here,
so the engine's own checks are proven, not only the YAML loader's."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import duckdb
import pytest

from reverse_etl.config import SyncSpec
from reverse_etl.destinations.base import ConfigError
from reverse_etl.engine import run_sync

PWNED = "create table main.pwned as select 1 as x"
ATTACKS = {
    "audience name closing its quote": dict(source_name="x' or true or '"),
    "audience name with a statement": dict(source_name=f"x'; {PWNED}; --"),
    "model name with a schema": dict(source_kind="model", source_name="main.secrets"),
    "model name with a statement": dict(source_kind="model",
                                        source_name=f"sync_hubspot__contacts; {PWNED}; --"),
    "primary key with a statement": dict(
        primary_key=f"person_id as varchar) as record_key, '{{}}' as fields_json"
                    f" from marts.dim_customers; {PWNED}; --"),
    "field reading a file": dict(fields={"email": "read_text('/etc/hostname')"}),
    "field with a subquery": dict(
        fields={"email": "(select content from read_text('/etc/hostname'))"}),
    "field reading the environment": dict(fields={"email": "getenv('HOME')"}),
    "field with a statement": dict(fields={"email": f"email); {PWNED}; --"}),
    "destination field name with a quote": dict(fields={"a', (select 1), 'b": "email"}),
    "consent channel widening the filter": dict(consent=("advertising", "ads, 'granted'")),
    "consent purpose with a statement": dict(consent=(f"x; {PWNED}", "ads")),
    "purpose with a statement": dict(purpose=f"service'; {PWNED}; --"),
    "consent to a purpose the sync does not declare": dict(consent=("advertising", "ads")),
}


@pytest.fixture(scope="module")
def db(warehouse, tmp_path_factory):
    path = tmp_path_factory.mktemp("injection") / "cdp.duckdb"
    shutil.copy(warehouse.duckdb_path, path)
    with duckdb.connect(str(path)) as con:
        con.execute("create table main.secrets as select 'p_1' as person_id, 'x' as email")
    return path


def _spec(tmp_path, **change) -> SyncSpec:
    spec = SyncSpec(
        name="probe", description="", source_kind="audience", source_name="paid_subscribers",
        primary_key="person_id", destination_type="dummy",
        destination_config={"path": str(tmp_path / "remote.json")}, mode="mirror",
        fields={"email": "email"}, purpose="service")
    return replace(spec, **change)


def _relations(db) -> set[tuple[str, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return set(con.execute("select table_schema, table_name from information_schema.tables"
                               " where table_schema <> 'cdp_sync'").fetchall())


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "run"])
@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attacks_are_refused_before_any_sql(db, tmp_path, attack, dry_run):
    before = _relations(db)
    with pytest.raises(ConfigError) as refused:
        run_sync(_spec(tmp_path, **ATTACKS[attack]), db, dry_run=dry_run)
    message = str(refused.value)
    assert message.startswith("sync 'probe': ") and len(message.splitlines()) == 1
    assert _relations(db) == before and not (tmp_path / "remote.json").exists()
    with duckdb.connect(str(db), read_only=True) as con:
        [(status, error)] = con.execute(
            "select status, error from cdp_sync.sync_runs order by started_at desc limit 1"
        ).fetchall()
    assert status == "failed" and error.startswith("ConfigError")


@pytest.mark.parametrize(("change", "hint"), [
    (dict(source_name="paid_subscriber"), "did you mean 'paid_subscribers'"),
    (dict(fields={"email": "emial"}), "did you mean 'email'"),
    (dict(fields={"email": "lower(emial)"}), "did you mean 'email'"),
    (dict(primary_key="person_idd"), "did you mean 'person_id'"),
    (dict(consent=("marketing", "emial")), "did you mean 'email'"),
    (dict(source_kind="model", source_name="sync_hubspot__contact"), "not built"),
    (dict(purpose="servise"), "did you mean 'service'"),
    (dict(purpose=None), "purpose: required: the destination receives personal data"),
    (dict(purpose="marketing"), r"consent: required: purpose 'marketing' rests on consent"),
])
def test_typos_are_one_clear_line_never_an_empty_success(db, tmp_path, change, hint):
    with pytest.raises(ConfigError, match=hint):
        run_sync(_spec(tmp_path, **change), db)


def test_checked_expressions_and_consent_deliver_exactly_the_consenting_members(db, tmp_path):
    spec = _spec(tmp_path, purpose="advertising", consent=("advertising", "ads"),
                 fields={"email": "email", "plan": "coalesce(subscription_plan, 'none')",
                         "first": "upper(first_name)"})
    assert run_sync(spec, db).status == "success"
    with duckdb.connect(str(db), read_only=True) as con:
        expected = {key: {"email": email, "plan": plan, "first": first}
                    for key, email, plan, first in con.execute("""
            select c.person_id, c.email, coalesce(c.subscription_plan, 'none'),
                   upper(c.first_name)
            from marts.fct_audience_members m join marts.dim_customers c using (person_id)
            join marts.dim_consent k using (person_id)
            where m.audience_name = 'paid_subscribers' and not m.is_holdout
                and k.purpose = 'advertising' and k.channel = 'ads'
                and k.status = 'granted'""").fetchall()}
    assert json.loads((tmp_path / "remote.json").read_text()) == expected and expected
