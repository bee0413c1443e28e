"""The generator writes only into an empty folder or its own, never deletes or overwrites a
file it did not write, and `cdp run` generates only where nobody's exports are."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cdp.generate import generate_sources
from cdp.generate.files import OutputFolderError
from cdp.load.raw_folder import MANIFEST, raw_folder_kind
from tests.generate.test_generator import _digests

PERSONS = 50
USERS_CONTACTS = b"contact_id,email\r\nCRM-1,ann@example.org\r\n"


def _generate(folder: Path, *, force: bool = False) -> dict:
    return generate_sources(folder, PERSONS, seed=1, show_progress=False, force=force)


@pytest.fixture(scope="module")
def own_folder(tmp_path_factory) -> Path:
    """A folder the generator wrote (copied per test: generating takes seconds)."""
    folder = tmp_path_factory.mktemp("own") / "raw"
    _generate(folder)
    return folder


@pytest.fixture
def generated(own_folder, tmp_path) -> Path:
    return Path(shutil.copytree(own_folder, tmp_path / "raw"))


def _users_folder(tmp_path: Path, name: str = "crm/contacts.csv") -> Path:
    folder = tmp_path / "raw"
    (folder / name).parent.mkdir(parents=True)
    (folder / name).write_bytes(USERS_CONTACTS)
    return folder


def test_refuses_a_folder_holding_a_users_export(tmp_path):
    folder = _users_folder(tmp_path)
    with pytest.raises(OutputFolderError, match=r"crm/contacts\.csv.*use --force") as error:
        _generate(folder)
    assert "\n" not in str(error.value)
    assert (folder / "crm/contacts.csv").read_bytes() == USERS_CONTACTS
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == [
        "crm", "crm/contacts.csv"]


def test_force_never_overwrites_a_users_file(tmp_path):
    folder = _users_folder(tmp_path)
    with pytest.raises(OutputFolderError, match=r"crm/contacts\.csv \(not written by"):
        _generate(folder, force=True)
    assert (folder / "crm/contacts.csv").read_bytes() == USERS_CONTACTS
    assert not (folder / MANIFEST).exists()


def test_force_writes_next_to_a_users_files_and_keeps_them(tmp_path, own_folder):
    folder = _users_folder(tmp_path, "crm/contacts_2025-12.csv")  # matches crm/contacts*.csv
    (folder / "notes.txt").write_text("mine")
    _generate(folder, force=True)
    assert (folder / "crm/contacts_2025-12.csv").read_bytes() == USERS_CONTACTS
    assert (folder / "notes.txt").read_text() == "mine"
    ours = {k: v for k, v in _digests(folder).items() if k not in ("crm/contacts_2025-12.csv",
                                                                    "notes.txt")}
    assert ours == _digests(own_folder)
    assert raw_folder_kind(folder) == "generated"


def test_regenerating_its_own_folder_gives_the_same_files_and_keeps_others(generated):
    before = _digests(generated)
    dropped_in = generated / "crm" / "contacts_2026-11-02.csv"
    dropped_in.write_bytes(USERS_CONTACTS)
    _generate(generated)
    assert dropped_in.read_bytes() == USERS_CONTACTS
    assert {k: v for k, v in _digests(generated).items() if k != "crm/contacts_2026-11-02.csv"
            } == before


def test_a_generated_file_the_user_replaced_is_theirs(generated):
    (generated / "crm/contacts.csv").write_bytes(USERS_CONTACTS)
    for force in (False, True):
        with pytest.raises(OutputFolderError, match=r"crm/contacts\.csv \(changed since"):
            _generate(generated, force=force)
    assert (generated / "crm/contacts.csv").read_bytes() == USERS_CONTACTS


def test_deletes_only_what_its_previous_manifest_lists(tmp_path):
    """A manifest from before the `written` list names its exports under `files`: those go,
    a file it does not list stays, and a path outside the folder is never followed."""
    folder = tmp_path / "raw"
    for name in ("crm/contacts_2024.csv", "crm/contacts_mine.csv"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(USERS_CONTACTS)
    outside = tmp_path / "outside.csv"
    outside.write_bytes(USERS_CONTACTS)
    (folder / MANIFEST).write_text(json.dumps({"generator_version": "1.0.0", "files": {
        "crm/contacts_2024.csv": 1, "../outside.csv": 1, str(outside): 1}}))
    _generate(folder)
    assert not (folder / "crm/contacts_2024.csv").exists()
    assert (folder / "crm/contacts_mine.csv").read_bytes() == USERS_CONTACTS
    assert outside.read_bytes() == USERS_CONTACTS


def test_a_run_that_did_not_finish_is_unfinished_and_the_next_run_completes_it(generated):
    manifest = json.loads((generated / MANIFEST).read_text())
    (generated / MANIFEST).write_text(json.dumps(
        {"generator_version": manifest["generator_version"], "complete": False,
         "written": dict.fromkeys(manifest["written"])}))
    (generated / "web/events.jsonl").write_text('{"messageId": "half wr')  # killed mid-write
    assert raw_folder_kind(generated) == "unfinished"
    _generate(generated)
    assert raw_folder_kind(generated) == "generated"
    assert json.loads((generated / MANIFEST).read_text()) == manifest


def test_raw_folder_kind(tmp_path, generated):
    assert raw_folder_kind(tmp_path / "missing") == "empty"
    (tmp_path / "empty" / "crm").mkdir(parents=True)
    (tmp_path / "empty" / ".gitkeep").write_text("")
    assert raw_folder_kind(tmp_path / "empty") == "empty"
    assert raw_folder_kind(generated) == "generated"
    assert raw_folder_kind(_users_folder(tmp_path / "user")) == "user"
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / MANIFEST).write_text('{"exported_by": "our CRM"}')  # not the generator's
    assert raw_folder_kind(foreign) == "user"


def test_cdp_generate_refusal_is_one_line(tmp_path):
    folder = _users_folder(tmp_path)
    result = subprocess.run(
        [str(Path(sys.executable).with_name("cdp")), "generate", "--persons", "5", "--out",
         str(folder), "--no-progress"],
        capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "1000"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.strip()]
    assert line.startswith("error:") and "crm/contacts.csv" in line and "--force" in line
    assert (folder / "crm/contacts.csv").read_bytes() == USERS_CONTACTS
