"""The schema a name stands for in this environment: the one rule every writer follows, so a
dev or CI run on the prod warehouse never touches a prod schema.

`CDP_ENVIRONMENT` unset or `prod`: names as they are (`marts`, `staging`, `raw`, `clv`,
`cdp_sync`, `privacy`), the layout BI tools address. Any other environment (`dev`, `ci`, ...):
`<target schema>_<name>`, the target schema being profiles.yml's `schema:` of the active target
(`CDP_SCHEMA`), e.g. `dbt_alice_marts`. dbt applies the same rule in
macros/generate_schema_name.sql (and the sources' `schema:`) from the same two inputs, so both
always agree (tests/dbt/test_schema_names.py holds them to it).

Resolved on every use, never at import: the environment may change between two calls (tests,
one process building dev then prod). `Schema` objects are module-level names that resolve when
formatted, so SQL stays readable: f"select * from {MARTS}.dim_customers".
"""

from __future__ import annotations

import os
import re
from functools import cache, lru_cache

from cdp.settings import dbt_project_config
from cdp.warehouse.target import active_target, profiles_dir

ENVIRONMENT_VAR = "CDP_ENVIRONMENT"
PROD = "prod"
# Lower-case identifiers only: names go into SQL unquoted, and PostgreSQL and Spark fold case.
IDENTIFIER = re.compile(r"[a-z][a-z0-9_]*")
# A prefix `cdp` would turn the `sync` folder into `cdp_sync`, prod's sync state.
RESERVED_PREFIXES = ("cdp",)


class SchemaError(RuntimeError):
    """The environment or the target schema cannot name schemas (one line, the fix)."""


def environment() -> str:
    """The environment this process builds and writes in (`CDP_ENVIRONMENT`, default prod)."""
    name = os.environ.get(ENVIRONMENT_VAR, PROD)
    if not IDENTIFIER.fullmatch(name):
        raise SchemaError(f"{ENVIRONMENT_VAR}={name!r} is not an environment name"
                          " (lower-case letters, digits, _; e.g. prod, dev, ci)")
    return name


def prefix() -> str:
    """What this environment puts before every schema name: '' in prod, else the active
    target's schema and `_`."""
    if environment() == PROD:
        return ""
    path = profiles_dir() / "profiles.yml"
    try:
        version = path.stat().st_mtime_ns
    except OSError:
        version = None  # active_target names the problem
    target_name, name = _target_schema(path, version, tuple(sorted(os.environ.items())))
    if not IDENTIFIER.fullmatch(name) or name in RESERVED_PREFIXES:
        raise SchemaError(f"{ENVIRONMENT_VAR}={environment()} builds into"
                          f" `<target schema>_<schema>`, and target {target_name!r} has schema"
                          f" {name!r}: set CDP_SCHEMA to a lower-case name of your own"
                          " (e.g. dbt_alice; not cdp)")
    return f"{name}_"


@lru_cache(maxsize=16)
def _target_schema(path, version, environ) -> tuple[str, str]:
    """(target, its schema) as profiles.yml renders them. The arguments are only the cache
    key (the file, its version, the environment): SQL resolves a schema per statement, and
    rendering the profile each time would cost milliseconds."""
    target = active_target()
    return target.name, str(target.settings.get("schema") or "")


def schema(name: str) -> str:
    """The schema `name` (a folder schema of dbt_project.yml, or raw, clv, cdp_sync) is in
    this environment."""
    return f"{prefix()}{name}"


class Schema:
    """A schema name that resolves (`schema(name)`) each time it is formatted or str()-ed."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __str__(self) -> str:
        return schema(self.name)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Schema({self.name!r})"


# Written outside dbt: the loader's raw tables, the CLV step's tables, the syncs' state.
RAW = Schema("raw")
CLV = Schema("clv")
SYNC_STATE = Schema("cdp_sync")
PRIVACY = Schema("privacy")  # forget requests, suppressed identifier hashes (cdp.privacy)
# dbt's folder schemas (dbt_project.yml) that code outside dbt reads.
STAGING = Schema("staging")
INTERMEDIATE = Schema("intermediate")
MARTS = Schema("marts")
# The masked views of the marts that BI roles read (models/pii_masked).
PII_MASKED = Schema("pii_masked")


@cache
def folder_schemas() -> tuple[str, ...]:
    """The custom schemas dbt_project.yml gives models and seeds (`+schema`), before the rule."""
    project = dbt_project_config()
    found: list[str] = []

    def walk(config) -> None:
        if isinstance(config, dict):
            for key, value in config.items():
                if key == "+schema" and value not in found:
                    found.append(str(value))
                walk(value)

    walk({"models": project.get("models"), "seeds": project.get("seeds")})
    return tuple(found)


def model_schemas() -> list[str]:
    """The schemas dbt builds models and seeds into in this environment."""
    return [schema(name) for name in folder_schemas()]
