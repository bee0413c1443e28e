"""Finds personal data that the YAML does not declare: text columns whose values look like
emails or phone numbers, or whose names say they hold one, without `meta.pii`.

Values are sampled, not scanned: a column is personal data when a meaningful share of its
values is (an email column with some junk still is one), and a sample of a few thousand
values decides that as well as the whole table would.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# The conventional address form; `*` is left out on purpose, so a masked `c***@x.com` is
# not an email.
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# E.164 anywhere in the text (identifier keys `phone:+44...`, raw JSON records).
E164 = re.compile(r"(?<![\w+])\+[1-9][0-9]{6,14}(?![0-9])")
# A whole value written as a phone: digits and separators only...
PHONE_CHARS = re.compile(r"[0-9 +().-]+")
# ...but not a date or a plain number, which use the same characters.
NOT_PHONES = re.compile(r"-?[0-9]+(?:\.[0-9]+)?|[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Column names that say "email" or "phone" (one prefix word allowed: `billing_email`;
# `consent_marketing_email` names a consent channel and is not matched).
CONTACT_NAME = re.compile(
    r"(?:[a-z0-9]+_)?(?:e_?mail|phone|mobile|mobile_phone|telephone)"
    r"(?:_(?:address|number|text|canonical|e164|prepared|raw|normalized))?s?")
MIN_SHARE = 0.05  # of sampled non-null values
SAMPLE_ROWS = 2000


def looks_like_email(value: str) -> bool:
    return EMAIL.search(value) is not None


def looks_like_phone(value: str) -> bool:
    if E164.search(value):
        return True
    text = value.strip()
    if not PHONE_CHARS.fullmatch(text) or NOT_PHONES.fullmatch(text):
        return False
    digits = sum(char.isdigit() for char in text)
    # Plain digit runs (epochs, counters) only count with a trunk or international prefix.
    return 7 <= digits <= 15 and (text[0] in "+(0" or bool(re.search(r"[0-9][ .-][0-9]", text)))


@dataclass(frozen=True)
class Relation:
    """One built model: where it is, and the `meta.pii` kind of each tagged column."""

    model: str
    schema: str
    alias: str
    pii: dict[str, str]


def relations_of(manifest) -> list[Relation]:
    """Every model of the project, its tags as the manifest has them; a pii_masked view
    carries the tags of the mart it masks (its columns are that mart's, masked)."""
    nodes = {uid: node for uid, node in manifest.nodes.items() if node.resource_type == "model"
             and node.package_name == "cdp"}
    found = []
    for node in nodes.values():
        sources = [nodes[uid] for uid in node.depends_on.nodes if uid in nodes]
        if node.fqn[1] == "pii_masked" and len(sources) == 1:
            columns = sources[0].columns
        else:
            columns = node.columns
        pii = {name: column.meta["pii"] for name, column in columns.items()
               if column.meta.get("pii")}
        found.append(Relation(node.name, node.schema, node.alias, pii))
    return sorted(found, key=lambda relation: relation.model)


def untagged_contact_columns(relations: Iterable[Relation],
                             rows: Callable[[str], list[tuple]]) -> list[str]:
    """`model.column: why` for every untagged text column that holds emails or phones.
    `rows(sql)` runs DuckDB SQL on the built warehouse."""
    problems = []
    for relation in relations:
        text_columns = [name for (name,) in rows(
            "select column_name from information_schema.columns where table_schema ="
            f" '{relation.schema}' and table_name = '{relation.alias}'"
            " and data_type = 'VARCHAR' order by ordinal_position")]
        untagged = [name for name in text_columns if name not in relation.pii]
        if not untagged:
            continue
        select = ", ".join(f'"{name}"' for name in untagged)
        sample = rows(f'select {select} from "{relation.schema}"."{relation.alias}"'
                      f" using sample reservoir({SAMPLE_ROWS} rows) repeatable (7)")
        for index, name in enumerate(untagged):
            values = [row[index] for row in sample if row[index] is not None]
            why = _why_personal(name, values)
            if why:
                problems.append(f"{relation.model}.{name}: {why}, no meta.pii")
    return problems


def _why_personal(name: str, values: list[str]) -> str | None:
    if CONTACT_NAME.fullmatch(name):
        return "named like an email or phone column"
    for kind, test in (("email", looks_like_email), ("phone", looks_like_phone)):
        share = sum(map(test, values)) / len(values) if values else 0.0
        if share >= MIN_SHARE:
            return f"{share:.0%} of sampled values look like {kind}s"
    return None
