"""Resources, configured from the environment (warehouse path, dbt project)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource

from cdp import settings
from orchestration.project import dbt_project


def resources() -> dict:
    # dbt runs as a subprocess: it finds the warehouse and profile through the environment.
    for name, value in settings.dbt_env().items():
        if name.startswith(("CDP_", "DBT_")):
            os.environ.setdefault(name, value)
    # The venv's dbt, even when the venv is not activated (make runs .venv/bin/pytest).
    beside_python = Path(sys.executable).parent / "dbt"
    executable = str(beside_python) if beside_python.exists() else "dbt"
    return {"dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=executable)}
