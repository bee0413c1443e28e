"""A whole build: dbt up to the purchase summary, the CLV step, then dbt for what reads CLV.

The CLV fit is Python (`cdp.clv.step`), which dbt can run as a model on DuckDB only; so a
build is two dbt invocations around it, split by the dbt selector `AFTER_CLV` (everything
downstream of the `clv` source). Dagster runs the same three steps as assets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from cdp.dbt import run_dbt

AFTER_CLV = "source:clv+"
_SELECTING = ("--select", "-s", "--exclude", "--selector", "--resource-type",
              "--exclude-resource-type")


def score_clv_step(duckdb_path: Path | None = None, on_wait=None) -> dict:
    """The CLV step alone, on the active target (or the DuckDB file `duckdb_path`)."""
    from cdp.clv.step import score_clv
    from cdp.settings import dbt_vars
    from cdp.warehouse import open_warehouse, writing

    if duckdb_path is not None:
        from cdp.warehouse_lock import writer_lock

        with writer_lock(duckdb_path, "CLV step", on_wait=on_wait), \
                open_warehouse(duckdb_path=duckdb_path) as warehouse:
            return score_clv(warehouse, dbt_vars()["cdp_clv"])
    with writing("CLV step", on_wait=on_wait), open_warehouse() as warehouse:
        return score_clv(warehouse, dbt_vars()["cdp_clv"])


def build_project(args: Sequence[str] = (), *, duckdb_path: Path | None = None,
                  on_wait: Callable[[str], None] | None = None) -> None:
    """`dbt build` of the whole project with the CLV step in between (DbtError on failure).

    Arguments that select nodes (`--select`, `--exclude`, ...) run one dbt build exactly as
    given, without the CLV step: the CLV tables stay as the last full build left them."""
    if any(arg.split("=")[0] in _SELECTING for arg in args):
        run_dbt(["build", *args], duckdb_path=duckdb_path, on_wait=on_wait)
        return
    run_dbt(["build", *args, "--exclude", AFTER_CLV], duckdb_path=duckdb_path, on_wait=on_wait)
    score_clv_step(duckdb_path, on_wait)
    run_dbt(["build", *args, "--select", AFTER_CLV], duckdb_path=duckdb_path, on_wait=on_wait)
