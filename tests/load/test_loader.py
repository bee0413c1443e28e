"""The loader lands every line of every file: readable rows in raw.*, the rest in _load_errors."""

from __future__ import annotations

import duckdb
import pytest

from cdp.load import LoadError, load_raw
from tests.load.raw_helpers import csv_header, csv_line, rows, write

HEADER = csv_header("crm_contacts")


def _crm_line(contact_id: str, email: str = "a@example.org") -> str:
    return csv_line("crm_contacts", contact_id=contact_id, email=email,
                    created_at="2024-01-01 00:00:00")


def test_rows_keep_their_file_line_numbers_around_unreadable_lines(tmp_path):
    write(
        tmp_path / "in/crm/contacts.csv",
        [HEADER, _crm_line("CRM-1"), "CRM-2,truncated", _crm_line("CRM-3"), _crm_line("CRM-4")],
    )
    db = tmp_path / "w.duckdb"
    reports = load_raw(tmp_path / "in", db)

    crm = next(r for r in reports if r.table == "crm_contacts")
    assert (crm.rows, crm.bad_lines) == (3, 1)
    assert rows(db, "select contact_id, _source_row from raw.crm_contacts order by 2") == [
        ("CRM-1", 1), ("CRM-3", 3), ("CRM-4", 4),
    ]
    [(table, file, row, line)] = rows(
        db, "select source_table, source_file, source_row, raw_line from raw._load_errors"
    )
    assert (table, file, row, line) == ("crm_contacts", "crm/contacts.csv", 2, "CRM-2,truncated")


def test_json_lines_are_kept_verbatim_including_broken_and_blank_ones(tmp_path):
    write(tmp_path / "in/web/events.jsonl", ['{"messageId": "m1"}', "{broken", "", '{"x": 1}'])
    db = tmp_path / "w.duckdb"
    load_raw(tmp_path / "in", db)
    assert rows(db, "select _source_row, payload from raw.web_events order by 1") == [
        (1, '{"messageId": "m1"}'), (2, "{broken"), (3, None), (4, '{"x": 1}'),
    ]


def test_missing_expected_column_is_a_clear_error(tmp_path):
    write(tmp_path / "in/crm/contacts.csv", ["contact_id,email", "CRM-1,a@b.co"])
    with pytest.raises(LoadError, match=r"crm/contacts.csv: expected columns \['account_id'"):
        load_raw(tmp_path / "in", tmp_path / "w.duckdb")


def test_incremental_load_appends_only_new_files(tmp_path):
    write(tmp_path / "in/crm/contacts.csv", [HEADER, _crm_line("CRM-1")])
    db = tmp_path / "w.duckdb"
    load_raw(tmp_path / "in", db)
    write(tmp_path / "in/crm/contacts_2026-11-02.csv", [HEADER, _crm_line("CRM-2")])

    load_raw(tmp_path / "in", db, incremental=True)
    load_raw(tmp_path / "in", db, incremental=True)

    assert rows(db, "select contact_id, _source_file from raw.crm_contacts order by 1") == [
        ("CRM-1", "crm/contacts.csv"), ("CRM-2", "crm/contacts_2026-11-02.csv"),
    ]
    assert rows(db, "select count(*) from raw._loaded_files") == [(2,)]


def test_full_load_rebuilds_raw_from_the_files_present(tmp_path):
    write(tmp_path / "in/crm/contacts.csv", [HEADER, _crm_line("CRM-1")])
    db = tmp_path / "w.duckdb"
    load_raw(tmp_path / "in", db)
    load_raw(tmp_path / "in", db)
    assert rows(db, "select count(*) from raw.crm_contacts") == [(1,)]
    # Sources without files still get an (empty) table, so staging builds.
    assert rows(db, "select count(*) from raw.consent_events") == [(0,)]


def test_missing_input_folder_is_a_clear_error(tmp_path):
    with pytest.raises(LoadError, match="does not exist"):
        load_raw(tmp_path / "nope", tmp_path / "w.duckdb")


def test_a_load_is_never_stamped_before_the_last_one(tmp_path):
    """Incremental stg_ models take loads newer than the newest they hold: a clock set back
    (here: the last load stamped a day ahead) must not date a new load before it."""
    write(tmp_path / "in/crm/contacts.csv", [HEADER, _crm_line("CRM-1")])
    db = tmp_path / "w.duckdb"
    load_raw(tmp_path / "in", db)
    with duckdb.connect(str(db)) as con:
        for table in ("crm_contacts", "_loaded_files"):
            con.execute(f"update raw.{table} set _loaded_at = _loaded_at + interval 1 day")
    write(tmp_path / "in/crm/contacts_2.csv", [HEADER, _crm_line("CRM-2")])
    load_raw(tmp_path / "in", db, incremental=True)
    [(first, second)] = rows(db, "select max(_loaded_at) filter (where contact_id = 'CRM-1'),"
                                 " max(_loaded_at) filter (where contact_id = 'CRM-2')"
                                 " from raw.crm_contacts")
    assert second > first
