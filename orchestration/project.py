"""The dbt project as Dagster sees it. Under `dagster dev`, dagster-dbt prepares (parses) it on
every code load, so edits to models show up; elsewhere (`cdp run`, tests) the manifest is
parsed on first use if missing, or if another environment parsed it (CDP_ENVIRONMENT: its
schemas would be where the assets' metadata and row counts look)."""

from __future__ import annotations

import json

from dagster_dbt import DbtProject

from cdp.dbt import run_dbt
from cdp.settings import PROJECT_DIR
from cdp.warehouse.schemas import schema

dbt_project = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR)


def manifest_is_current() -> bool:
    """The manifest exists and places every model where this environment builds it."""
    try:
        nodes = json.loads(dbt_project.manifest_path.read_text())["nodes"].values()
    except (OSError, ValueError, KeyError):
        return False
    return all(node["schema"] == schema(node["config"]["schema"]) for node in nodes
               if node["resource_type"] == "model" and node["config"].get("schema"))


dbt_project.prepare_if_dev()
if not manifest_is_current():
    run_dbt(["parse"])  # also refreshes the generated audiences macro
