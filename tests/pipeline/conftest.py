"""One generated data set, loaded and built once per test session (the real pipeline, small)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from cdp.build import build_project
from cdp.generate import generate_sources
from cdp.load import load_raw

PERSONS = 1_500
HOOK_SECRET = "whsec_4f9a1c7e2b"  # the webhook secret `cli_env` sets as HOOK_SECRET


@dataclass(frozen=True)
class BuiltWarehouse:
    raw_dir: Path
    duckdb_path: Path

    def rows(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.duckdb_path), read_only=True) as con:
            con.execute(
                f"create or replace temp view truth as select * from "
                f"read_parquet('{self.raw_dir / '_truth' / 'records.parquet'}')"
            )
            return con.execute(sql).fetchall()


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> BuiltWarehouse:
    root = tmp_path_factory.mktemp("pipeline")
    raw_dir, db = root / "raw", root / "cdp.duckdb"
    generate_sources(raw_dir, PERSONS, seed=7, show_progress=False)
    load_raw(raw_dir, db)
    build_project(duckdb_path=db)
    return BuiltWarehouse(raw_dir, db)


@pytest.fixture
def cli_env(warehouse, tmp_path) -> dict[str, str]:
    """Environment for `cdp` subprocesses on a private copy of the warehouse: its own syncs
    folder (empty), no Dagster history (so no test gate), wide output, a webhook secret."""
    db = tmp_path / "cdp.duckdb"
    shutil.copy(warehouse.duckdb_path, db)
    (tmp_path / "syncs").mkdir()
    return {**os.environ, "CDP_DUCKDB_PATH": str(db), "CDP_SYNCS_DIR": str(tmp_path / "syncs"),
            "DAGSTER_HOME": str(tmp_path / "dagster"), "COLUMNS": "200",
            "HOOK_SECRET": HOOK_SECRET}
