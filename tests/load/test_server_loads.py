"""Loads into a server warehouse (PostgreSQL, a throwaway server) keep the embedded loader's
accounting: every line in raw or in _load_errors with its line number, incremental loads
append only new files, and a load that fails to publish changes nothing."""

from __future__ import annotations

import pytest

from cdp.load import LoadError, load_raw
from cdp.warehouse import open_warehouse, query
from tests.load.raw_helpers import csv_header, csv_line, write
from tests.reverse_etl.fakes.postgres_server import shared_server

HEADER = csv_header("crm_contacts")


def _line(contact_id: str) -> str:
    return csv_line("crm_contacts", contact_id=contact_id, email="a@example.org",
                    created_at="2024-01-01 00:00:00")


@pytest.fixture
def on_postgres(monkeypatch):
    server = shared_server()
    for name, value in (("HOST", server.host), ("PORT", str(server.port)), ("USER", server.user),
                        ("PASSWORD", server.password), ("DATABASE", server.dbname)):
        monkeypatch.setenv(f"CDP_PG_{name}", value)
    monkeypatch.setenv("CDP_TARGET", "postgres")
    yield
    with open_warehouse() as warehouse:  # the server is shared: leave no raw schema behind
        warehouse.execute("drop schema if exists raw cascade")


def test_lines_and_unreadable_lines_land_on_postgres_with_their_numbers(tmp_path, on_postgres):
    write(tmp_path / "in/crm/contacts.csv", [HEADER, _line("CRM-1"), "CRM-2,cut", _line("CRM-3")])
    [crm] = [r for r in load_raw(tmp_path / "in") if r.table == "crm_contacts"]
    assert (crm.rows, crm.bad_lines) == (2, 1)
    assert query("select contact_id, _source_row from raw.crm_contacts order by 2") == [
        ("CRM-1", 1), ("CRM-3", 3)]
    assert query("select source_row, raw_line from raw._load_errors") == [(2, "CRM-2,cut")]


def test_incremental_loads_append_only_new_files_on_postgres(tmp_path, on_postgres):
    write(tmp_path / "in/crm/contacts.csv", [HEADER, _line("CRM-1")])
    load_raw(tmp_path / "in")
    write(tmp_path / "in/crm/contacts_2.csv", [HEADER, _line("CRM-2")])
    load_raw(tmp_path / "in", incremental=True)
    load_raw(tmp_path / "in", incremental=True)
    assert query("select contact_id from raw.crm_contacts order by 1") == [("CRM-1",), ("CRM-2",)]
    assert query("select count(*) from raw._loaded_files") == [(2,)]


def test_a_file_that_cannot_load_changes_nothing_on_postgres(tmp_path, on_postgres):
    write(tmp_path / "in/crm/contacts.csv", [HEADER, _line("CRM-1")])
    load_raw(tmp_path / "in")
    write(tmp_path / "in/crm/contacts_2.csv", ["contact_id,email", "CRM-9,x@y.z"])
    with pytest.raises(LoadError, match=r"contacts_2\.csv"):
        load_raw(tmp_path / "in")
    assert query("select contact_id from raw.crm_contacts") == [("CRM-1",)]
    tables = {name for (name,) in query("select table_name from information_schema.tables"
                                        " where table_schema = 'raw'")}
    assert not {name for name in tables if "loading" in name}
