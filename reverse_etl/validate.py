"""Every problem of a syncs folder at once: definitions, then each destination's config, then
(when the warehouse is built) every source column and expression against the real relations."""

from __future__ import annotations

import os
from pathlib import Path

from cdp.warehouse import WarehouseNotBuilt, reading
from reverse_etl.config import SyncSpec, load_syncs
from reverse_etl.destinations.base import ConfigError
from reverse_etl.destinations.registry import create_destination
from reverse_etl.source_query import source_query


def missing_secrets(spec: SyncSpec) -> list[str]:
    """Environment variables the sync's destination names (`*_env`) that are not set."""
    return sorted(name for key, name in spec.destination_config.items()
                  if key.endswith("_env") and isinstance(name, str) and name
                  and name not in os.environ)


def validate_syncs(folder: Path) -> tuple[list[str], list[str]]:
    """(problems, notes): problems make the folder invalid; notes say what was not checked."""
    problems: list[str] = []
    notes: list[str] = []
    specs = load_syncs(folder, problems)
    for spec in specs:
        if missing := missing_secrets(spec):
            notes.append(f"{spec.label}: destination not configured here (set "
                         f"{', '.join(missing)}); its config is checked when it runs")
            continue
        try:
            create_destination(spec.destination_type, spec.name, spec.mode,
                               spec.destination_config).close()
        except ConfigError as error:
            problems.append(f"{spec.label}: destination.config: {error}")
    problems += _warehouse_problems(specs, notes)
    return problems, notes


def _warehouse_problems(specs: list[SyncSpec], notes: list[str]) -> list[str]:
    if not specs:
        return []
    problems = []
    try:
        with reading("cdp sync validate") as warehouse:
            for spec in specs:
                try:
                    source_query(warehouse, spec)
                except ConfigError as error:
                    problems += str(error).splitlines()
    except WarehouseNotBuilt as error:  # missing, held by another program, or not built
        notes.append(f"{error}: source columns of models without a contract are checked "
                     "when each sync runs")
    return problems
