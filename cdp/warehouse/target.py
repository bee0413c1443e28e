"""The active warehouse target, read from the same profiles.yml dbt uses.

The target is chosen in one place: `CDP_TARGET` (or `--target`, which sets it), else the
profile's own `target`. profiles.yml is rendered the way dbt renders it for what it holds
here (`env_var(name, default)` and Jinja filters), so every non-dbt step connects exactly
where dbt builds.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

from cdp.settings import PROJECT_DIR

PROFILE = "cdp"
ENGINES = ("duckdb", "postgres", "spark")


class TargetError(RuntimeError):
    """profiles.yml has no usable target of that name (one line, with the names it has)."""


@dataclass(frozen=True)
class Target:
    name: str
    type: str  # duckdb, postgres or spark: also the sqlglot dialect
    settings: dict

    @property
    def dialect(self) -> str:
        return self.type


def _env_var(name: str, default: str | None = None) -> str:
    if name in os.environ:
        return os.environ[name]
    if default is None:
        raise TargetError(f"profiles.yml needs environment variable {name}")
    return default


def _render(value):
    if isinstance(value, dict):
        return {key: _render(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_render(item) for item in value]
    if isinstance(value, str) and "{{" in value:
        text = jinja2.Environment().from_string(value).render(env_var=_env_var)
        return yaml.safe_load(text) if text.strip().isdigit() else text
    return value


def profiles_dir() -> Path:
    return Path(os.environ.get("DBT_PROFILES_DIR") or PROJECT_DIR)


def active_target(name: str | None = None) -> Target:
    """The target `name`, else `CDP_TARGET`, else the profile's default."""
    path = profiles_dir() / "profiles.yml"
    try:
        profile = yaml.safe_load(path.read_text(encoding="utf-8"))[PROFILE]
    except (OSError, KeyError, TypeError, yaml.YAMLError) as error:
        raise TargetError(f"{path}: no readable `{PROFILE}` profile ({error})") from None
    chosen = name or os.environ.get("CDP_TARGET") or _render(profile.get("target"))
    outputs = profile.get("outputs") or {}
    if chosen not in outputs:
        raise TargetError(f"{path}: no target {chosen!r} (targets: {', '.join(outputs)})")
    settings = _render(outputs[chosen])
    if settings.get("type") not in ENGINES:
        raise TargetError(f"{path}: target {chosen!r} has type {settings.get('type')!r};"
                          f" the CDP runs on {', '.join(ENGINES)}")
    return Target(chosen, settings["type"], settings)
