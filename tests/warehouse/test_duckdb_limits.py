"""DuckDB's memory limit and spill folder come from the profile (CDP_DUCKDB_MEMORY_LIMIT,
CDP_DUCKDB_TEMP_DIR) for dbt and for every connection the CDP opens itself."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cdp.warehouse import active_target, connect
from cdp.warehouse.duckdb_limits import limits


def _settings(path) -> tuple[str, str]:
    with connect(path) as con:
        return con.execute("select current_setting('memory_limit'),"
                           " current_setting('temp_directory')").fetchone()


def test_the_cdps_connections_use_the_profiles_limit_and_spill_beside_the_file(
        tmp_path, monkeypatch):
    monkeypatch.setenv("CDP_TARGET", "duckdb")
    monkeypatch.setenv("CDP_DUCKDB_MEMORY_LIMIT", "512MB")
    monkeypatch.delenv("CDP_DUCKDB_TEMP_DIR", raising=False)
    memory, spill = _settings(tmp_path / "a.duckdb")
    assert memory == "488.2 MiB"  # DuckDB shows 512 MB in binary units
    assert spill == f"{tmp_path / 'a.duckdb'}.tmp"
    monkeypatch.setenv("CDP_DUCKDB_TEMP_DIR", str(tmp_path / "spill"))
    assert _settings(tmp_path / "b.duckdb")[1] == str(tmp_path / "spill")


def test_dbt_gets_the_same_settings_from_the_profile(monkeypatch):
    monkeypatch.setenv("CDP_DUCKDB_MEMORY_LIMIT", "3GB")
    monkeypatch.setenv("CDP_DUCKDB_PATH", "/data/w.duckdb")
    monkeypatch.delenv("CDP_DUCKDB_TEMP_DIR", raising=False)
    settings = active_target("duckdb").settings["config_options"]
    assert settings == {"memory_limit": "3GB", "temp_directory": "/data/w.duckdb.tmp"}


def test_the_default_bounds_memory(monkeypatch):
    monkeypatch.delenv("CDP_DUCKDB_MEMORY_LIMIT", raising=False)
    monkeypatch.setenv("CDP_TARGET", "duckdb")
    assert limits()["memory_limit"] == "4GB"


@pytest.mark.parametrize("value", ["4 gigs", "lots", "-1GB", "4GB; drop table x"])
def test_a_limit_that_is_no_size_is_one_line_before_anything_runs(value, tmp_path):
    env = {**os.environ, "CDP_DUCKDB_MEMORY_LIMIT": value,
           "CDP_DUCKDB_PATH": str(tmp_path / "w.duckdb")}
    done = subprocess.run([sys.executable, "-m", "cdp.cli", "rejects"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    lines = done.stdout.strip().splitlines() + done.stderr.strip().splitlines()
    assert len(lines) == 1 and "CDP_DUCKDB_MEMORY_LIMIT" in lines[0], lines
    assert not (tmp_path / "w.duckdb").exists()
