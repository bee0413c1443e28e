"""Every problem in an audiences folder at once (compilation stops at the first)."""

from __future__ import annotations

from pathlib import Path

from cdp.audiences.compile import customer_columns
from cdp.audiences.definitions import DefinitionError, load_audiences, load_traits
from cdp.audiences.rules import RuleError, parse_rule


def validate_audiences(folder: Path) -> list[str]:
    """Messages of every invalid definition, trait or rule; empty when all are valid."""
    errors: list[str] = []
    try:
        traits = load_traits(folder)
    except DefinitionError as error:
        return [str(error)]
    audiences = load_audiences(folder, errors)
    columns = customer_columns()
    for audience in audiences:
        try:
            parse_rule(audience.name, audience.rule, columns=columns, traits=traits)
        except RuleError as error:
            errors.append(str(error))
    return errors
