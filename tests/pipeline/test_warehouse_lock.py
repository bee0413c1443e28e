"""One writer at a time, and a clear word when the warehouse is taken: CDP commands started
while another CDP writer (a `cdp run`'s steps) holds the warehouse queue behind it and both
succeed; a program outside the CDP holding the DuckDB file gives one line naming it (no
traceback, no stale summary of the previous run)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from cdp.warehouse_lock import lock_path, writer_lock

PROJECT = Path(__file__).resolve().parents[2]
HOLD = "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('open', flush=True); " \
       "time.sleep(120)"


@pytest.fixture
def env(cli_env, warehouse, tmp_path):
    shutil.copy(Path(__file__).parents[2] / "dagster_home" / "dagster.yaml", tmp_path)
    Path(cli_env["CDP_SYNCS_DIR"], "members_file.yml").write_text(f"""
name: members_file
source: {{audience: paid_subscribers}}
primary_key: person_id
destination: {{type: file, config: {{path: "{tmp_path / 'exports'}", format: csv}}}}
mode: mirror
purpose: service
fields: {{email: email}}
""")
    return {**cli_env, "CDP_RAW_DIR": str(warehouse.raw_dir), "DAGSTER_HOME": str(tmp_path),
            "CDP_EXPORT_ROOT": str(tmp_path / "exports")}


def _cdp(env, *args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "cdp.cli", *args], env=env, cwd=PROJECT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def test_a_writer_queues_behind_the_holder_and_is_told_who_it_is(tmp_path):
    database, told = tmp_path / "cdp.duckdb", []
    with writer_lock(database, "cdp load"):
        waiter = threading.Thread(target=lambda: writer_lock(
            database, "cdp build", on_wait=told.append).__enter__())
        waiter.start()
        time.sleep(0.5)
        assert waiter.is_alive() and told == [lock_path(database).read_text().strip()]
        assert told[0].startswith(f"PID {os.getpid()} (cdp load, since ")
    waiter.join(timeout=5)
    assert not waiter.is_alive() and "(cdp build, since" in lock_path(database).read_text()


def test_a_cli_sync_during_a_run_waits_its_turn_and_both_succeed(env, tmp_path):
    (tmp_path / "no_syncs").mkdir()
    run = _cdp({**env, "CDP_SYNCS_DIR": str(tmp_path / "no_syncs")}, "run")
    lock = lock_path(Path(env["CDP_DUCKDB_PATH"]))
    deadline = time.monotonic() + 300
    while "Dagster run" not in (lock.read_text() if lock.exists() else ""):
        assert time.monotonic() < deadline and run.poll() is None, run.communicate()
        time.sleep(0.1)
    sync = _cdp(env, "sync", "run", "members_file")
    sync_out, sync_err = sync.communicate(timeout=900)
    run_out, run_err = run.communicate(timeout=900)
    assert run.returncode == 0, run_out[-3000:] + run_err[-3000:]
    assert sync.returncode == 0, sync_out[-3000:] + sync_err[-3000:]


def test_a_program_outside_the_cdp_holding_the_file_is_named_in_one_line(env):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, env["CDP_DUCKDB_PATH"]],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        outputs = {args: _cdp(env, *args).communicate(timeout=600) for args in (
            ("load",), ("sync", "run", "members_file"), ("run",))}
    finally:
        holder.kill()
    for args, (out, err) in outputs.items():
        assert f"PID {holder.pid}" in out and "close it and run again" in out, (args, out, err)
        assert "Traceback" not in out + err, (args, err[-2000:])
    assert "summary" not in outputs[("run",)][0]  # nothing from the previous run's tables
