"""A throwaway dbt project that links this project's macros and copies its vars, so macros
and materializations are tested on their own inputs, independent of the models' state."""

from __future__ import annotations

from pathlib import Path

import yaml
from dbt.cli.main import dbtRunner

PROJECT_DIR = Path(__file__).resolve().parents[2]
PROJECT = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())


def write_scratch_project(root: Path, *, threads: int = 1) -> Path:
    """Write dbt_project.yml, profiles.yml (DuckDB file in `root`) and link `macros/`;
    returns the DuckDB file. Models go in `root/models`, analyses in `root/analyses`."""
    scratch = {
        "name": PROJECT["name"],  # same name: dispatch to the `cdp` namespace finds the macros
        "version": PROJECT["version"],
        "config-version": 2,
        "profile": "scratch",
        "macro-paths": ["macros"],
        "analysis-paths": ["analyses"],
        "model-paths": ["models"],
        "vars": PROJECT["vars"],
        "flags": {"send_anonymous_usage_stats": False},
        **({"dispatch": PROJECT["dispatch"]} if "dispatch" in PROJECT else {}),
    }
    (root / "dbt_project.yml").write_text(yaml.safe_dump(scratch, sort_keys=False))
    database = root / "scratch.duckdb"
    profile = {"type": "duckdb", "path": str(database), "threads": threads}
    profiles = {"scratch": {"target": "duckdb", "outputs": {"duckdb": profile}}}
    (root / "profiles.yml").write_text(yaml.safe_dump(profiles))
    (root / "macros").symlink_to(PROJECT_DIR / "macros", target_is_directory=True)
    return database


def invoke_dbt(root: Path, *args: str):
    """dbt in-process on the scratch project, its target and logs kept inside `root`."""
    return dbtRunner().invoke([
        *args, "--quiet", "--project-dir", str(root), "--profiles-dir", str(root),
        "--target-path", str(root / "target"), "--log-path", str(root / "logs"),
    ])
