"""Secrets come only from environment variables: sync YAML names the variable, never the value."""

from __future__ import annotations

import os

from reverse_etl.destinations.base import ConfigError
from reverse_etl.redact import register_secret


def secret_from_env(kind: str, variable: str | None, *, required: bool = True) -> str | None:
    if not variable:
        if required:
            raise ConfigError(f"{kind} destination: name the environment variable holding the "
                              "secret (`*_env` key)")
        return None
    value = os.environ.get(variable)
    register_secret(value)  # so no error text, stored reason or log line ever shows it
    if value is None and required:
        raise ConfigError(f"{kind} destination: environment variable {variable} is not set")
    return value
