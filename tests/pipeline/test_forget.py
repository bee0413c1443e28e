"""Forget requests end to end: random persons, asked for by a random identifier in a random
spelling; after one run (full reload of the same exports, build, syncs) none of their
identifiers is anywhere in the warehouse, raw tier included, nor in dbt's target/ and logs;
every destination that held them got a removal; neighbours keep their ids."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cdp.build import build_project
from cdp.load import load_raw
from cdp.privacy import requests
from cdp.settings import PROJECT_DIR
from cdp.warehouse import open_warehouse
from reverse_etl.config import SyncSpec
from reverse_etl.engine import run_sync
from tests.pipeline.conftest import HOOK_SECRET
from tests.pipeline.leak_scan import files_containing, tables_containing
from tests.reverse_etl.fakes.hubspot import HubSpotFake
from tests.reverse_etl.fakes.webhook import WebhookReceiver
from tests.reverse_etl.loopback import LoopbackServer

TOKEN = "pat-na1-forget-test"


def _rows(db, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def _syncs(hook_url: str, hubspot_url: str) -> list[SyncSpec]:
    """A mirror of every golden record (webhook) and the CRM upsert (HubSpot, no removals)."""
    return [
        SyncSpec(name="forget_mirror", description="", source_kind="model",
                 source_name="dim_customers", primary_key="person_id",
                 destination_type="webhook", mode="mirror", fields={"email": "email"},
                 purpose="service",
                 destination_config={"url": hook_url, "secret_env": "HOOK_SECRET"}),
        SyncSpec(name="forget_crm", description="", source_kind="model",
                 source_name="sync_hubspot__contacts", primary_key="person_id",
                 destination_type="hubspot_contacts", mode="upsert",
                 fields={"email": "email", "firstname": "first_name"}, purpose="service",
                 destination_config={"access_token_env": "HUBSPOT_FORGET_TOKEN",
                                     "api_base": hubspot_url}),
    ]


def _spelling(id_type: str, value: str, variant: int) -> str:
    """How a person might write their identifier in a request."""
    if id_type == "email":
        return [value, value.upper(), f"  {value.title()} "][variant]
    if id_type == "phone":  # E.164 as stored, or spaced out
        return [value, f"{value[:2]} {value[2:5]} {value[5:]}", value][variant]
    return [value, f" {value} ", value.lower() if id_type != "crm_id" else value][variant]


@settings(max_examples=2, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(data=st.data())
def test_one_run_erases_forgotten_persons_everywhere(warehouse, tmp_path_factory, monkeypatch,
                                                     data):
    root = tmp_path_factory.mktemp("forget")
    db = root / "cdp.duckdb"
    shutil.copy(warehouse.duckdb_path, db)
    monkeypatch.setenv("HOOK_SECRET", HOOK_SECRET)
    monkeypatch.setenv("HUBSPOT_FORGET_TOKEN", TOKEN)
    candidates = [p for (p,) in _rows(db, "select person_id from sync.sync_hubspot__contacts"
                                          " where email is not null order by person_id")]
    chosen = data.draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=3,
                                unique=True), label="persons")
    identifiers = _rows(db, "select person_id, id_type, id_value from"
                            " marts.dim_identity_identifiers where status = 'linked'"
                            f" and person_id in ({', '.join('?' * len(chosen))})", chosen)
    asked = []
    for person in chosen:
        own = sorted((t, v) for p, t, v in identifiers if p == person)
        id_type, value = data.draw(st.sampled_from(own), label=f"identifier of {person}")
        spelled = _spelling(id_type, value, data.draw(st.integers(0, 2), label="spelling"))
        typed = data.draw(st.booleans(), label="--type given")
        asked.append(requests.Request(f"T-{len(asked)}", spelled, id_type if typed else None))
    everyone = {p for (p,) in _rows(db, "select person_id from marts.dim_customers")}

    hook, crm = WebhookReceiver(HOOK_SECRET), HubSpotFake(TOKEN)
    with LoopbackServer(hook) as hook_server, LoopbackServer(crm) as crm_server:
        specs = _syncs(f"{hook_server.url}/hook", crm_server.url)
        for spec in specs:
            assert run_sync(spec, db).status == "success"
        held_emails = {_rows(db, "select email from sync.sync_hubspot__contacts"
                                 " where person_id = ?", [p])[0][0] for p in chosen}
        with open_warehouse(duckdb_path=db) as connection:
            assert requests.record(connection, asked, "test") == [r.request_id for r in asked]
        load_raw(warehouse.raw_dir, db)  # the exports still hold them: a full reload
        build_project(duckdb_path=db)
        for spec in specs:
            assert run_sync(spec, db).status == "success"

    # Every destination that held them got a removal; nobody else was touched.
    assert not set(chosen) & set(hook.store)
    assert set(hook.store) == everyone - set(chosen)
    assert {e.lower() for e in held_emails} == {e.lower() for e in crm.gdpr_deleted}
    assert len(crm.gdpr_deleted) == len(chosen)
    after = {p for (p,) in _rows(db, "select person_id from marts.dim_customers")}
    assert after == everyone - set(chosen)  # neighbours keep their persons and ids
    statuses = _rows(db, "select status, destinations_owed, destinations_confirmed"
                         " from marts.fct_privacy_requests order by request_id")
    assert statuses == [("completed", 2, 2)] * len(asked)

    # None of their identifiers is left, raw tier included (only salted hashes remain).
    values = sorted({v for _, _, v in identifiers})
    assert tables_containing(db, values, ignore_case=True) == {}
    assert files_containing([PROJECT_DIR / "target", PROJECT_DIR / "logs"], values) == {}
    [(rows_left,)] = _rows(db, "select count(*) from marts.dim_identity_identifiers"
                               f" where id_value in ({', '.join('?' * len(values))})", values)
    assert rows_left == 0


def test_requests_past_the_sla_fail_the_build_test(warehouse, tmp_path):
    db = tmp_path / "cdp.duckdb"
    shutil.copy(warehouse.duckdb_path, db)
    emails = [e for (e,) in _rows(db, "select email from marts.dim_customers"
                                      " where email is not null order by person_id limit 3")]
    now = datetime.now(UTC).replace(tzinfo=None)
    asked = [requests.Request("late", emails[0], "email", now - timedelta(days=40)),
             requests.Request("recent", emails[1], "email", now - timedelta(days=5)),
             requests.Request("withdrawn", emails[2], "email", now - timedelta(days=40))]
    with open_warehouse(duckdb_path=db) as connection:
        requests.record(connection, asked, "test")
        requests.withdraw(connection, "withdrawn")
    # Resolved, but never erased by a whole build: the late one is overdue.
    results = build_project(["--select", "fct_privacy_requests",
                             "assert_privacy_requests_within_sla"], duckdb_path=db, check=False)
    outcome = {r.node.name: (str(r.status), r.failures) for r in results}
    assert outcome["assert_privacy_requests_within_sla"] == ("fail", 1)
    assert _rows(db, "select request_id, status, is_overdue from marts.fct_privacy_requests"
                     " order by request_id") == [("late", "resolved", True),
                                                 ("recent", "resolved", False),
                                                 ("withdrawn", "withdrawn", False)]


def test_forgetting_a_shared_phone_spares_the_neighbours(warehouse, tmp_path):
    """A household phone is shared: it links nobody, so forgetting it erases only the
    profile that owns it, never the persons whose records also carry it."""
    db = tmp_path / "cdp.duckdb"
    shutil.copy(warehouse.duckdb_path, db)
    [(phone, owner)] = _rows(db, "select id_value, person_id from marts.dim_identity_identifiers"
                                 " where status = 'shared' and id_type = 'phone'"
                                 " order by id_value limit 1")
    neighbours = {p for (p,) in _rows(db, """
        select distinct records.person_id
        from intermediate.int_identity__record_persons as records
        inner join staging.base_crm__contacts as contacts using (source_record_key)
        where ? in (contacts.phone_e164, contacts.mobile_phone_e164)""", [phone])} - {owner}
    assert neighbours
    with open_warehouse(duckdb_path=db) as connection:
        requests.record(connection, [requests.Request("household", phone, "phone")], "test")
    build_project(duckdb_path=db)
    assert _rows(db, "select persons_found, status from marts.fct_privacy_requests") == [
        (1, "completed")]
    left = {p for (p,) in _rows(db, "select person_id from marts.dim_customers")}
    assert neighbours <= left
    # Their records keep the phone: it is theirs too, and nothing of theirs was suppressed.
    assert _rows(db, "select count(*) from privacy.suppressions") == [(0,)]
