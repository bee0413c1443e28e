"""The dbt project as Dagster sees it. Under `dagster dev`, dagster-dbt prepares (parses) it on
every code load, so edits to models show up; elsewhere (`cdp run`, tests) the manifest is
parsed on first use if missing."""

from __future__ import annotations

from dagster_dbt import DbtProject

from cdp.dbt import run_dbt
from cdp.settings import PROJECT_DIR

dbt_project = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR)
dbt_project.prepare_if_dev()
if not dbt_project.manifest_path.exists():
    run_dbt(["parse"])  # also refreshes the generated audiences macro
