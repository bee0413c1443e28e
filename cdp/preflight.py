"""Checks every entry point runs before it touches the warehouse: an invalid audience or sync
definition stops a run before anything is loaded, with every problem listed."""

from __future__ import annotations

from cdp import settings


def definition_problems() -> list[str]:
    """Every problem of the audiences and syncs folders, one line each; empty when valid."""
    from cdp.audiences.validate import validate_audiences
    from reverse_etl.config import load_syncs

    problems = validate_audiences(settings.audiences_dir())
    load_syncs(settings.syncs_dir(), problems)
    return problems
