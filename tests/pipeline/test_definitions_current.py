"""Audience definitions are used as they are on disk at every entry point: after a first run
(the generated macro and dbt's manifest exist), `cdp run` builds a new audience file, and an
invalid one stops the run before anything is loaded. `list` and `preview` keep working for
the valid audiences beside an invalid file.

The run happens in a copy of the project (the generated macro is a project file), started
from the copy's folder so that its code, macros and audiences are the ones used."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

PROJECT = Path(__file__).resolve().parents[2]
NEW_AUDIENCE = """
name: vip_probe
description: Everyone with more than one order.
owner: tests@example.com
rule: orders > 1
"""
BROKEN = """
name: broken_probe
description: A typo in the rule.
owner: tests@example.com
rule: ordrs > 1
"""


def _copy_project(target: Path) -> None:
    tracked = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], cwd=PROJECT, capture_output=True,
                             check=True).stdout.decode().split("\0")
    for name in filter(None, tracked):
        if (PROJECT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT / name, target / name)


@pytest.fixture(scope="module")
def copy(warehouse, tmp_path_factory):
    root = tmp_path_factory.mktemp("project_copy")
    project = root / "project"
    _copy_project(project)
    (root / "syncs").mkdir()
    shutil.copy(warehouse.duckdb_path, root / "cdp.duckdb")
    env = {**os.environ, "CDP_RAW_DIR": str(warehouse.raw_dir),
           "CDP_DUCKDB_PATH": str(root / "cdp.duckdb"), "CDP_SYNCS_DIR": str(root / "syncs"),
           "DAGSTER_HOME": str(project / "dagster_home"), "COLUMNS": "200"}
    env.pop("CDP_AUDIENCES_DIR", None)
    # A first parse leaves the manifest and the generated macro behind, as a first run would.
    _cdp(project, env, "build", "--select", "dim_audiences+", check=True)
    return project, env


def _cdp(project: Path, env: dict, *args: str, check: bool = False):
    done = subprocess.run([sys.executable, "-m", "cdp.cli", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=1200)
    assert not check or done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def _rows(env, sql: str) -> list[tuple]:
    with duckdb.connect(env["CDP_DUCKDB_PATH"], read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_new_audience_file_is_built_by_the_next_run(copy):
    project, env = copy
    (project / "audiences" / "vip_probe.yml").write_text(NEW_AUDIENCE)
    _cdp(project, env, "run", check=True)
    [(members,)] = _rows(env, "select members from marts.dim_audiences"
                              " where audience_name = 'vip_probe'")
    [(expected,)] = _rows(env, "select count(*) from marts.dim_customers where orders > 1")
    assert members == expected > 0


def test_an_invalid_audience_stops_the_run_before_anything_loads(copy):
    project, env = copy
    loaded = _rows(env, "select max(_loaded_at) from raw._loaded_files")
    (project / "audiences" / "broken_probe.yml").write_text(BROKEN)
    try:
        done = _cdp(project, env, "run")
        listed = _cdp(project, env, "audiences", "list")
        preview = _cdp(project, env, "audiences", "preview", "vip_probe")
    finally:
        (project / "audiences" / "broken_probe.yml").unlink()
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    assert "unknown column 'ordrs' (did you mean 'orders'" in done.stdout
    assert _rows(env, "select max(_loaded_at) from raw._loaded_files") == loaded
    assert listed.returncode == 0 and "vip_probe" in listed.stdout
    assert "skipped:" in listed.stdout and "broken_probe" in listed.stdout
    assert preview.returncode == 0 and "rule matches" in preview.stdout
