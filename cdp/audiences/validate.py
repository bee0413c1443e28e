"""Every problem in an audiences folder at once (compilation stops at the first)."""

from __future__ import annotations

from pathlib import Path

from cdp.audiences.compile import customer_columns
from cdp.audiences.definitions import DefinitionError, check_audiences, load_traits
from cdp.audiences.rules import RuleError, parse_rule
from cdp.audiences.transpile import DIALECTS, transpile_rule


def validate_audiences(folder: Path) -> list[str]:
    """Messages of every invalid definition, trait or rule, file by file (each file's
    definition problems, then its rule's); empty when all are valid."""
    errors: list[str] = []
    try:
        traits = load_traits(folder)
    except DefinitionError as error:  # rules using traits cannot be checked without them
        errors.append(str(error))
        traits = None
    checked = check_audiences(folder)
    by_path = {audience.path: audience for audience in checked.audiences}
    columns = customer_columns()
    for path in sorted(checked.problems.keys() | by_path.keys()):
        errors.extend(checked.problems.get(path, []))
        if path not in by_path or traits is None:
            continue
        audience = by_path[path]
        try:  # the rule of a file with other problems is checked too: report everything
            expression = parse_rule(audience.name, audience.rule, columns=columns, traits=traits)
            for dialect in DIALECTS:  # as compile does: a rule can be too deep to render
                transpile_rule(expression, dialect)
        except RuleError as error:
            errors.append(str(error))
    return errors
