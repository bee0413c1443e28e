"""Paths and connection settings, each overridable by an environment variable."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parent.parent


def _path_from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def raw_data_dir() -> Path:
    """Folder the generator writes to and the loader reads from."""
    return _path_from_env("CDP_RAW_DIR", PROJECT_DIR / "data" / "raw")


def audiences_dir() -> Path:
    """Folder of audience definitions (one YAML file per audience, plus `_traits.yml`)."""
    return _path_from_env("CDP_AUDIENCES_DIR", PROJECT_DIR / "audiences")


def syncs_dir() -> Path:
    """Folder of reverse-ETL sync definitions (one YAML file per sync)."""
    return _path_from_env("CDP_SYNCS_DIR", PROJECT_DIR / "syncs")


def export_root() -> Path:
    """The only folder `file` destinations may write under (sync YAML is untrusted input)."""
    return _path_from_env("CDP_EXPORT_ROOT", PROJECT_DIR / "data" / "exports")


def report_dir() -> Path:
    """Folder `cdp report` writes its pages to (index.html, persons/<person id>.html)."""
    return _path_from_env("CDP_REPORT_DIR", PROJECT_DIR / "data" / "reports")


def duckdb_path() -> Path:
    """The embedded warehouse file (the default dbt target)."""
    return _path_from_env("CDP_DUCKDB_PATH", PROJECT_DIR / "warehouse" / "cdp.duckdb")


def spark_dir() -> Path:
    """The local Spark session's warehouse folder and Derby metastore (the `spark` target)."""
    return _path_from_env("CDP_SPARK_DIR", PROJECT_DIR / "warehouse" / "spark")


def dagster_home() -> Path:
    """Dagster's instance folder (run history, schedules); its dagster.yaml sets the pools."""
    return _path_from_env("DAGSTER_HOME", PROJECT_DIR / "dagster_home")


def dbt_env() -> dict[str, str]:
    """Environment for dbt runs: pins the DuckDB path and the Spark folder (absolute), so dbt
    and the steps around it share one warehouse whatever the working directory."""
    env = dict(os.environ)
    env["CDP_DUCKDB_PATH"] = str(duckdb_path())
    env["CDP_SPARK_DIR"] = str(spark_dir())
    env.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR))
    return env


def dbt_project_config() -> dict:
    """dbt_project.yml as written, read afresh (callers that want it once cache their part)."""
    return yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))


@cache
def dbt_vars() -> dict:
    """The vars of dbt_project.yml, as the models see them by default (the rules staging
    normalises with, the consent pairs, the declared sources)."""
    return dbt_project_config()["vars"]
