"""Secrets come only from environment variables: sync YAML names the variable, never the value."""

from __future__ import annotations

import os

from reverse_etl.destinations.base import ConfigError


def secret_from_env(kind: str, variable: str | None, *, required: bool = True) -> str | None:
    if not variable:
        if required:
            raise ConfigError(f"{kind} destination: name the environment variable holding the "
                              "secret (`*_env` key)")
        return None
    value = os.environ.get(variable)
    if value is None and required:
        raise ConfigError(f"{kind} destination: environment variable {variable} is not set")
    return value
