"""Resources, configured from the environment: the warehouse (the active dbt target) and dbt."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from cdp import settings
from cdp.warehouse import (
    Target,
    Warehouse,
    active_target,
    foreign_lock,
    hand_over,
    is_embedded,
    open_warehouse,
    reading,
    writing,
)
from orchestration.project import dbt_project


class WarehouseResource(dg.ConfigurableResource):
    """The warehouse every step reads and writes: a target of profiles.yml (DuckDB file,
    PostgreSQL or Spark), the same one dbt builds in."""

    # None: CDP_TARGET, else the profile's own target (as the `cdp` CLI and dbt choose it).
    target: str | None = None

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # The loader, the sync engine and the dbt subprocess follow the active target, which
        # is chosen in one place (CDP_TARGET): pin this run's choice there, checked first.
        if self.target:
            active_target(self.target)
            os.environ["CDP_TARGET"] = self.target

    def active(self) -> Target:
        return active_target(self.target)

    @property
    def embedded(self) -> bool:
        """DuckDB: one writer at a time, queued on the CDP's own lock file."""
        return is_embedded(self.active())

    def hand_over(self) -> None:
        """Let dbt's process open the warehouse (ends this process's Spark session)."""
        hand_over(self.active())

    @contextmanager
    def open(self) -> Iterator[Warehouse]:
        """A read-write connection (hold `writing` first when it writes the DuckDB file)."""
        with open_warehouse(self.active()) as warehouse:
            yield warehouse

    @contextmanager
    def reading(self, what: str) -> Iterator[Warehouse]:
        """A connection for reading; on DuckDB read-only and queued behind writers. In a run
        the target is pinned at setup, so the layer's active target is this one."""
        with reading(what) as warehouse:
            yield warehouse

    @contextmanager
    def writing(self, what: str, on_wait: Callable[[str], None] | None = None
                ) -> Iterator[None]:
        """Queue as a writer while `what` writes (the DuckDB file's lock; server engines take
        many writers). On DuckDB, then fail with one line if a program outside the CDP holds
        the file: every dbt node would fail on it, unexplained."""
        with writing(what, on_wait=on_wait):
            if self.embedded and (locked := foreign_lock(settings.duckdb_path())):
                raise dg.Failure(description=locked)
            yield


def resources() -> dict:
    # dbt runs as a subprocess: it finds the warehouse and profile through the environment.
    for name, value in settings.dbt_env().items():
        if name.startswith(("CDP_", "DBT_")):
            os.environ.setdefault(name, value)
    # The venv's dbt, even when the venv is not activated (make runs .venv/bin/pytest).
    beside_python = Path(sys.executable).parent / "dbt"
    executable = str(beside_python) if beside_python.exists() else "dbt"
    return {"dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=executable),
            "warehouse": WarehouseResource()}
