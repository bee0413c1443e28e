"""`make run` on a folder holding only a user's CRM export: nothing is generated over it, it
is loaded as it is, the whole project builds green on CRM data alone, and the summary is
printed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.generate.test_generator import _digests

PROJECT = Path(__file__).resolve().parents[2]


def test_cdp_run_on_a_users_crm_export_alone_builds_green(warehouse, tmp_path):
    raw = tmp_path / "raw"
    (raw / "crm").mkdir(parents=True)
    shutil.copy(warehouse.raw_dir / "crm" / "contacts.csv", raw / "crm" / "contacts.csv")
    before = _digests(raw)
    (tmp_path / "syncs").mkdir()
    (tmp_path / "dagster").mkdir()
    shutil.copy(PROJECT / "dagster_home" / "dagster.yaml", tmp_path / "dagster")
    env = {**os.environ, "CDP_RAW_DIR": str(raw), "CDP_DUCKDB_PATH": str(tmp_path / "w.duckdb"),
           "DAGSTER_HOME": str(tmp_path / "dagster"), "CDP_SYNCS_DIR": str(tmp_path / "syncs"),
           "COLUMNS": "200"}
    done = subprocess.run([sys.executable, "-m", "cdp.cli", "run"], cwd=PROJECT, env=env,
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "holds exports the generator did not write" in done.stdout
    assert "where every raw line went" in done.stdout and "persons:" in done.stdout
    assert _digests(raw) == before  # not a byte generated, changed or removed
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        [(persons, as_of_basis)] = con.execute(
            "select (select count(*) from marts.dim_customers),"
            " (select as_of_basis from intermediate.int_customers__as_of)").fetchall()
        [(contacts,)] = con.execute("select count(*) from raw.crm_contacts").fetchall()
    assert 0 < persons <= contacts and as_of_basis == "any_activity"
