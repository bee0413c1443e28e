"""`cdp run` generates demo data only into an empty folder (or the generator's own): a folder
holding somebody's exports is loaded as it is, byte for byte untouched (the whole command on
a user's CRM export: tests/pipeline/test_own_exports.py)."""

from __future__ import annotations

from pathlib import Path

from cdp.load import load_raw
from cdp.load.raw_folder import raw_folder_kind
from cdp.load.tables import RAW_TABLES
from tests.generate.test_generator import _digests

CRM = next(t for t in RAW_TABLES if t.name == "crm_contacts")


def _users_contacts(raw: Path) -> Path:
    values = dict.fromkeys(CRM.columns, "")
    values.update(contact_id="CRM-0000001", email="ann@example.org",
                  created_at="2024-01-01 00:00:00")
    path = raw / "crm" / "contacts.csv"
    path.parent.mkdir(parents=True)
    path.write_text(",".join(CRM.columns) + "\n" + ",".join(values.values()) + "\n")
    return path


def test_a_folder_with_only_a_users_contacts_is_loaded_as_it_is(tmp_path):
    raw = tmp_path / "raw"
    _users_contacts(raw)
    before = _digests(raw)
    assert raw_folder_kind(raw) == "user"
    [crm] = [r for r in load_raw(raw, tmp_path / "w.duckdb") if r.files]
    assert (crm.table, crm.files, crm.rows) == ("crm_contacts", ["crm/contacts.csv"], 1)
    assert _digests(raw) == before
