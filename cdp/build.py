"""A whole build: dbt up to the purchase summary, the CLV step, then dbt for what reads CLV.

The CLV fit is Python (`cdp.clv.step`), which dbt can run as a model on DuckDB only; so a
build is two dbt invocations around it, split by the dbt selector `AFTER_CLV` (everything
downstream of the `clv` source). A selection given by the user (`--select`) is kept in both
halves (intersected with each). Forget requests are resolved before it, and the raw rows
staging kept out purged after the first half (`cdp.privacy`). Dagster runs the same steps
as assets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from cdp.dbt import DbtError, run_dbt

AFTER_CLV = "source:clv+"
SUMMARY = "int_clv__purchase_summary"  # in the intermediate schema


def score_clv_step(duckdb_path: Path | None = None, on_wait=None) -> dict | None:
    """The CLV step alone, on the active target (or the DuckDB file `duckdb_path`); None
    when the purchase summary was never built (then the second half reports what is missing)."""
    from cdp.clv.step import score_clv
    from cdp.settings import dbt_vars
    from cdp.warehouse import open_warehouse, writing
    from cdp.warehouse.schemas import INTERMEDIATE

    with writing("CLV step", on_wait, duckdb_path=duckdb_path), \
            open_warehouse(duckdb_path=duckdb_path) as warehouse:
        if not warehouse.relation_exists(str(INTERMEDIATE), SUMMARY):
            return None
        return score_clv(warehouse, dbt_vars()["cdp_clv"])


def halves(args: Sequence[str]) -> tuple[list[str], list[str]]:
    """dbt arguments of the two halves: `args` with the CLV split added to its selection."""
    args = list(args)
    flag = next((f for f in ("--select", "-s") if f in args), None)
    if flag is None:
        return _excluding_clv(args), [*args, "--select", AFTER_CLV]
    start = args.index(flag) + 1
    end = next((i for i in range(start, len(args)) if args[i].startswith("-")), len(args))
    chosen, rest = args[start:end], args[:start - 1] + args[end:]
    return ([*_excluding_clv(rest), "--select", *chosen],
            [*rest, "--select", *(f"{AFTER_CLV},{selector}" for selector in chosen)])


def _excluding_clv(args: list[str]) -> list[str]:
    if "--exclude" in args:  # one exclusion list: ours joins the user's
        at = args.index("--exclude") + 1
        return [*args[:at], AFTER_CLV, *args[at:]]
    return [*args, "--exclude", AFTER_CLV]


def build_project(args: Sequence[str] = (), *, duckdb_path: Path | None = None,
                  on_wait: Callable[[str], None] | None = None, check: bool = True) -> list:
    """`dbt build` of the project (or of the selection in `args`) with the CLV step in
    between; DbtError on failing nodes when `check`, and always when dbt could not run.
    Returns the dbt node results of both halves."""
    from cdp.privacy.erasure import purge_raw_rows, resolve_requests

    first, second = halves(args)
    whole = not {"--select", "-s", "--exclude"} & set(args)
    privacy_step(resolve_requests, duckdb_path, on_wait)
    results = []
    for number, half in enumerate((first, second)):
        if number:
            if whole:  # the base models were all rebuilt: raw may lose what they left out
                privacy_step(purge_raw_rows, duckdb_path, on_wait)
            score_clv_step(duckdb_path, on_wait)
        result = run_dbt(["build", *half], duckdb_path=duckdb_path, on_wait=on_wait,
                         check=check)
        if result.exception is not None:
            raise DbtError(f"dbt build could not run: {result.exception}")
        results += getattr(result.result, "results", None) or []
    return results


def privacy_step(step: Callable, duckdb_path: Path | None = None, on_wait=None):
    """A step of `cdp.privacy.erasure` on the active target, as the warehouse's writer."""
    from cdp.warehouse import open_warehouse, writing

    with writing("forget requests", on_wait, duckdb_path=duckdb_path), \
            open_warehouse(duckdb_path=duckdb_path) as warehouse:
        return step(warehouse)
