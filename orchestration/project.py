"""The dbt project as Dagster sees it. Under `dagster dev`, dagster-dbt prepares (parses) it on
every code load, so edits to models show up; elsewhere (`cdp run`, tests) the manifest is
parsed on first use if missing, older than a file dbt parses (an edited model or test: dbt
would run nodes the assets do not know, and the job failed on them), or if another
environment parsed it (CDP_ENVIRONMENT: its schemas would be where the assets' metadata and
row counts look)."""

from __future__ import annotations

import json

from dagster_dbt import DbtProject

from cdp.dbt import run_dbt
from cdp.settings import PROJECT_DIR, audiences_dir, dbt_project_config
from cdp.warehouse.schemas import schema

dbt_project = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR)


def manifest_is_current() -> bool:
    """The manifest exists, is newer than every file it was parsed from, and places every
    model where this environment builds it."""
    try:
        nodes = json.loads(dbt_project.manifest_path.read_text())["nodes"].values()
        if dbt_project.manifest_path.stat().st_mtime < _newest_source_change():
            return False
    except (OSError, ValueError, KeyError):
        return False
    return all(node["schema"] == schema(node["config"]["schema"]) for node in nodes
               if node["resource_type"] == "model" and node["config"].get("schema"))


def _newest_source_change() -> float:
    """When a file or folder dbt parses last changed (a deleted file changes its folder), the
    audience definitions included: they generate a macro."""
    config = dbt_project_config()
    folders = [audiences_dir()] + [
        PROJECT_DIR / folder
        for key in ("model-paths", "macro-paths", "seed-paths", "test-paths", "snapshot-paths")
        for folder in config.get(key, [])]
    entries = [PROJECT_DIR / "dbt_project.yml"] + [
        entry for folder in folders if folder.is_dir() for entry in [folder, *folder.rglob("*")]]
    return max(entry.stat().st_mtime for entry in entries)


dbt_project.prepare_if_dev()
if not manifest_is_current():
    run_dbt(["parse"])  # also refreshes the generated audiences macro
