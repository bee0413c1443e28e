"""How much memory the embedded DuckDB may take and where it spills: one setting for dbt and
for every connection the CDP opens itself.

The `config_options` of the profile's DuckDB target (profiles.yml: `memory_limit` from
CDP_DUCKDB_MEMORY_LIMIT, `temp_directory` from CDP_DUCKDB_TEMP_DIR) reach dbt through
dbt-duckdb and the loader, the CLV step, syncs and reports through `limits()`. Past the limit
DuckDB spills to the temp directory, so peak memory follows the configuration, not the size of
the data.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from cdp.warehouse.target import Target, TargetError, active_target

# The units DuckDB's memory_limit accepts (decimal and binary), e.g. 4GB, 512MiB, 1.5GB.
_SIZE = re.compile(r"\d+(\.\d+)?\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)", re.IGNORECASE)


def _duckdb_target() -> Target | None:
    """The active target when it is DuckDB, else the profile's `duckdb` output (the loader
    parses files in DuckDB on every engine); None when the profile has neither."""
    try:
        target = active_target()
        return target if target.type == "duckdb" else active_target("duckdb")
    except TargetError:
        return None  # a command that needs the target says what is wrong with it


def limits(database: Path | None = None) -> dict[str, str]:
    """DuckDB config for a connection to `database` (None: in memory). TargetError, one line,
    when the memory limit is not a size."""
    target = _duckdb_target()
    settings = (target.settings.get("config_options") or {}) if target else {}
    config = {}
    if memory := str(settings.get("memory_limit") or "").strip():
        if not _SIZE.fullmatch(memory):
            raise TargetError(
                f"profiles.yml: target {target.name!r} memory_limit {memory!r} (from"
                " CDP_DUCKDB_MEMORY_LIMIT) is not a size: write it like 4GB or 512MB")
        config["memory_limit"] = memory
    # The profile's default is dbt's database file + ".tmp" (DuckDB's own default); a
    # connection to another file (a test's, a tool's) spills beside that file instead, so two
    # databases never share spill files.
    if spill := os.environ.get("CDP_DUCKDB_TEMP_DIR"):
        config["temp_directory"] = spill
    elif database is not None:
        config["temp_directory"] = f"{database}.tmp"
    return config
