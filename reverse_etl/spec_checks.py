"""The checks a sync's names and expressions pass before any of them can reach SQL, shared by
loading a definition (`reverse_etl.config`) and building its query (`reverse_etl.source_query`).

Each check returns problems as "key: reason" lines (the caller adds the file); none of them
echoes more than a short, quoted excerpt of the offending value (`shown`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from cdp.audiences.rules import RuleError, parse_expression
from cdp.audiences.transpile import transpile_rule
from cdp.definition_files import IDENTIFIER, shown, suggest

# Destination field names: API property names (HubSpot `firstname`, Mailchimp `FNAME`, Braze
# custom attributes); they reach SQL only as quoted literals, but stay plain anyway.
FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]{0,127}")


def identifier_problem(key: str, value: object, what: str = "name") -> str | None:
    if isinstance(value, str) and IDENTIFIER.fullmatch(value):
        return None
    return (f"{key}: {shown(value)} is not a valid {what} (lower_snake_case: a-z, 0-9, _; "
            "at most 63 characters)")


def known_problem(key: str, value: str, known: Collection[str], what: str) -> str | None:
    if value in known:
        return None
    return f"{key}: unknown {what} '{value}'{suggest(value, known)}"


def column_problem(key: str, value: object, columns: Collection[str] | None) -> str | None:
    """A plain column of the source (None `columns`: not known yet, syntax only)."""
    if problem := identifier_problem(key, value, "column name"):
        return problem
    if columns is None or value in columns:
        return None
    return f"{key}: unknown column '{value}'{suggest(str(value), columns)}"


def consent_problem(consent: object, pairs: Collection[tuple[str, str]]) -> str | None:
    """consent: [purpose, channel], one of the pairs the project tracks."""
    known = ", ".join(f"[{p}, {c}]" for p, c in pairs)
    if (not isinstance(consent, list | tuple) or len(consent) != 2
            or not all(isinstance(part, str) for part in consent)):
        return f"consent: must be [purpose, channel], one of {known}"
    if tuple(consent) in pairs:
        return None
    purposes = {p for p, _ in pairs}
    if consent[0] not in purposes:
        return f"consent: unknown purpose {shown(consent[0])}{suggest(consent[0], purposes)}"
    channels = sorted(c for p, c in pairs if p == consent[0])
    return (f"consent: purpose '{consent[0]}' has no channel {shown(consent[1])}"
            f"{suggest(consent[1], channels)} (channels: {', '.join(channels)})")


def purpose_problems(purpose: object, consent: object, personal_data: bool | None,
                     purposes: Mapping[str, str],
                     pairs: Collection[tuple[str, str]]) -> list[str]:
    """purpose: why the sync processes personal data, one of var `cdp_processing_purposes`;
    required when the destination receives personal data (`personal_data` None: destination
    unknown, reported elsewhere). A purpose whose legal basis is consent must filter on
    consent to that same purpose; the channel is always explicit (one destination can reach
    people on several channels, and guessing it could pick a wider one)."""
    known = ", ".join(sorted(purposes))
    if purpose is None:
        if personal_data:
            return [f"purpose: required: the destination receives personal data; say why it "
                    f"is processed (one of {known}; var cdp_processing_purposes)"]
        if consent is not None:
            return ["purpose: required with consent (the purpose the consent is for)"]
        return []
    if problem := identifier_problem("purpose", purpose, "purpose"):
        return [problem]
    if purpose not in purposes:
        return [f"purpose: unknown purpose '{purpose}'{suggest(str(purpose), purposes)} "
                f"(purposes: {known}; var cdp_processing_purposes)"]
    # A pair that is not tracked is reported by consent_problem alone: one line per mistake.
    valid_pair = isinstance(consent, list | tuple) and tuple(consent) in pairs
    if purposes[purpose] == "consent" and consent is None:
        channels = ", ".join(sorted(c for p, c in pairs if p == purpose)) or "none tracked"
        return [f"consent: required: purpose '{purpose}' rests on consent; add consent: "
                f"[{purpose}, CHANNEL] (channels: {channels})"]
    if valid_pair and consent[0] != purpose:
        return [f"consent: [{consent[0]}, {consent[1]}] is consent to '{consent[0]}', not to "
                f"the sync's purpose '{purpose}'"]
    return []


def checked_fields(fields: Mapping[object, object], columns: Collection[str] | None,
                   dialect: str = "duckdb") -> tuple[dict[str, str], list[str]]:
    """Destination field -> its source as SQL of `dialect`, and every problem: field names,
    then each source expression through the audience-rule sandbox (columns, literals,
    allow-listed functions; no subqueries, statements or file readers). Without known
    `columns` (a model not built yet) any column name passes: the shape is still checked, the
    names again once the warehouse has the model."""
    if not isinstance(fields, Mapping) or not fields:
        return {}, ["fields: must map destination field names to source columns"]
    sql, problems = {}, []
    for name, source in fields.items():
        if not isinstance(name, str) or not FIELD_NAME.fullmatch(name):
            problems.append(f"fields: {shown(name)} is not a valid destination field name "
                            "(letters, digits, _ . -; starting with a letter or _)")
        elif not isinstance(source, str) or not source.strip():
            problems.append(f"fields.{name}: must be a source column or expression")
        else:
            try:
                sql[name] = transpile_rule(
                    parse_expression(f"fields.{name}", source, columns=columns), dialect)
            except RuleError as error:
                where = (f" (line {error.line}, column {error.column})"
                         if error.line is not None else "")
                problems.append(f"fields.{name}: {error.reason}{where}")
    return sql, problems
