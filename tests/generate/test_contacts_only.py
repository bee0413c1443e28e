"""`--profile contacts-only`: the CRM export alone, no emails or phones, 0-3 re-created
duplicates per person, households kept apart, a truth row per record; loadable as it is."""

from __future__ import annotations

from collections import Counter

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from cdp.cli import app
from cdp.generate import generate_sources
from cdp.generate.config import SOURCES
from cdp.generate.profiles import CONTACTS_ONLY
from cdp.load import load_raw
from cdp.load.raw_folder import visible_files
from tests.generate.raw_files import PERSONS, SEED, contacts_with_truth
from tests.generate.test_generator import _digests

CRM_FILES = ["_truth/persons.parquet", "_truth/records.parquet", "crm/contacts.csv",
             "manifest.json"]
NO_VALUE_COLUMNS = ("email", "phone", "mobile_phone", "account_id", "loyalty_id")


@pytest.fixture(scope="module")
def rows(contacts_only) -> list[dict]:
    return contacts_with_truth(contacts_only.raw_dir)


def test_only_the_crm_export_and_the_truth_are_written(contacts_only):
    assert list(visible_files(contacts_only.raw_dir)) == CRM_FILES
    manifest = contacts_only.manifest
    assert manifest["profile"] == CONTACTS_ONLY
    assert sorted(manifest["written"]) == sorted(set(CRM_FILES) - {"manifest.json"})


def test_no_email_phone_or_account_anywhere(contacts_only, rows):
    assert b"@" not in (contacts_only.raw_dir / "crm/contacts.csv").read_bytes()
    assert all(row[c] == "" for row in rows for c in NO_VALUE_COLUMNS)
    assert contacts_only.truth(
        "select count(true_email), count(true_phone) from truth") == [(0, 0)]
    assert contacts_only.truth(
        "select max(len(emails)), max(len(phones)) from persons") == [(0, 0)]


def test_every_row_has_its_truth_and_a_true_person(contacts_only, rows):
    assert len(rows) == contacts_only.manifest["rows"]["crm_contacts"]
    assert all(row["record_id"] == row["contact_id"] for row in rows)
    assert len({row["contact_id"] for row in rows}) == len(rows)
    persons = set(pq.read_table(contacts_only.raw_dir / "_truth/persons.parquet")
                  .column("person_id").to_pylist())
    assert {row["person_id"] for row in rows} == persons
    assert all(row["defect"] is None and not row["is_duplicate"] for row in rows)


def test_persons_have_zero_to_three_duplicates_in_the_stated_shares(rows):
    per_person = Counter(Counter(row["person_id"] for row in rows).values())
    shares = [per_person[n] / PERSONS for n in (1, 2, 3, 4)]
    assert sum(shares) == 1
    for share, expected in zip(shares, (0.50, 0.30, 0.15, 0.05), strict=True):
        assert share == pytest.approx(expected, abs=0.04)
    assert 1.6 * PERSONS < len(rows) < 1.9 * PERSONS


def test_household_members_share_name_and_address_but_not_first_name_or_birthday(rows):
    originals = [row for row in rows if not _content_kinds(row)]
    assert len(originals) == PERSONS
    households = Counter()
    by_address: dict[tuple, list[dict]] = {}
    for row in originals:
        key = (row["last_name"].strip().lower(), row["address_line1"].strip().lower(),
               row["postal_code"])
        by_address.setdefault(key, []).append(row)
    for members in by_address.values():
        if len({m["person_id"] for m in members}) > 1:
            households[len(members)] += 1
            assert len({m["first_name"].strip().lower() for m in members}) == len(members)
            assert len({m["date_of_birth"] for m in members}) == len(members)
    assert sum(households.values()) > 0.1 * PERSONS


def test_same_seed_writes_the_same_bytes(contacts_only, tmp_path):
    generate_sources(tmp_path, PERSONS, seed=SEED, show_progress=False, profile=CONTACTS_ONLY)
    assert _digests(tmp_path) == _digests(contacts_only.raw_dir)


def test_loads_every_contact_with_no_unreadable_line(contacts_only, tmp_path):
    reports = {r.table: r for r in load_raw(contacts_only.raw_dir, tmp_path / "w.duckdb")}
    crm = reports.pop("crm_contacts")
    assert (crm.rows, crm.bad_lines) == (contacts_only.manifest["rows"]["crm_contacts"], 0)
    assert all(r.rows == 0 for r in reports.values())


def test_contacts_only_replaces_a_default_runs_files(tmp_path):
    default = generate_sources(tmp_path, 30, seed=1, show_progress=False)
    assert "profile" not in default  # the default's manifest is the baseline's, unchanged
    assert sorted(default["written"]) == sorted([*CRM_FILES[:2], *(s.path for s in SOURCES)])
    generate_sources(tmp_path, 30, seed=1, show_progress=False, profile=CONTACTS_ONLY)
    assert list(visible_files(tmp_path)) == CRM_FILES  # no stale web events etc. to load


def test_an_unknown_profile_is_one_line_naming_the_closest(tmp_path):
    result = CliRunner().invoke(app, ["generate", "--profile", "contact-only",
                                      "--out", str(tmp_path / "raw")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: unknown profile 'contact-only': did you mean 'contacts-only'? "
        "(profiles: default, contacts-only)"]
    assert not (tmp_path / "raw").exists()


def _content_kinds(row: dict) -> list[str]:
    style = {"name_case", "name_padding", "accents_dropped", "address_case"}
    return [kind for kind in row["noise"] if kind not in style]
