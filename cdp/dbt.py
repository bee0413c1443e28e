"""Run dbt in-process against this project (the CLI, Dagster and the tests all go through here)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from cdp.settings import PROJECT_DIR, dbt_env
from cdp.warehouse_lock import WarehouseBusy, locked_message, writer_lock

# dbt result statuses that mean a node did not do its job (a warning is not one).
FAILED_STATUSES = frozenset({"error", "fail", "runtime error"})


class DbtError(RuntimeError):
    """dbt finished with failures (failing tests, model errors) or could not start."""


@contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def run_dbt(args: Sequence[str], *, duckdb_path: Path | None = None, check: bool = True,
            on_wait: Callable[[str], None] | None = None):
    """Invoke dbt with `args` on this project; returns dbt's result object.

    `duckdb_path` points the default DuckDB target at another file (tests use temporary ones).
    With `check`, a failed invocation raises `DbtError` naming what failed. dbt runs under
    the warehouse's writer lock (`on_wait(holder)` is called if it has to queue).
    """
    from dbt.cli.main import dbtRunner

    compile_audiences_macro()
    env = dbt_env()
    if duckdb_path is not None:
        env["CDP_DUCKDB_PATH"] = str(duckdb_path)
    full_args = [
        *args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", env["DBT_PROFILES_DIR"]
    ]
    database = Path(env["CDP_DUCKDB_PATH"])
    try:
        with writer_lock(database, f"dbt {' '.join(args[:1])}", on_wait=on_wait), \
                _environment(env):
            try:
                result = dbtRunner().invoke(full_args)
            finally:
                _release_duckdb()
    except WarehouseBusy as error:
        raise DbtError(str(error)) from None
    if check and not result.success:
        raise DbtError(_describe_failure(args, result, database))
    return result


def compile_audiences_macro() -> None:
    """Refresh the generated audiences macro so dbt never runs rules older than the YAML
    (every entry point that runs dbt calls this first); DbtError when they are invalid."""
    from cdp.audiences.compile import write_macro
    from cdp.audiences.definitions import DefinitionError
    from cdp.audiences.rules import RuleError
    from cdp.settings import audiences_dir

    try:
        write_macro(audiences_dir())
    except (DefinitionError, RuleError) as error:
        raise DbtError(f"audiences are invalid, nothing was run: {error}") from None


def _release_duckdb() -> None:
    """Close the DuckDB database dbt-duckdb keeps open in this process after a run.

    Otherwise the file stays held with dbt's configuration, and the loader, read-only
    readers and other processes cannot open it until the interpreter exits.
    """
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # another adapter: nothing held
        return
    environment = DuckDBConnectionManager._ENV
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()


def _describe_failure(args: Sequence[str], result, database: Path) -> str:
    texts = [str(result.exception)] + [str(getattr(r, "message", "")) for r in getattr(
        result.result, "results", []) or []]
    if locked := next(filter(None, (locked_message(t, database) for t in texts)), None):
        return locked
    if result.exception is not None:
        return f"dbt {' '.join(args)} could not run: {result.exception}"
    failed = [
        f"{r.node.name}: {r.status} {r.message or ''}".strip()
        for r in getattr(result.result, "results", []) or []
        if str(r.status) in FAILED_STATUSES
    ]
    return f"dbt {' '.join(args)} failed: " + ("; ".join(failed) or "see dbt output above")
