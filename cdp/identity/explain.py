"""Why is an identifier part of its person? The person, its identifiers, and link paths.

Reads the identity marts (`dim_identity_identifiers`, `fct_identity_links`) and walks the
person's links breadth-first, so the path printed between two identifiers is a shortest one,
each step naming the record (source, file, row) or the probabilistic match that made the link.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from cdp.definition_files import IDENTIFIER
from cdp.identity import phones
from cdp.settings import dbt_vars
from cdp.warehouse import query
from cdp.warehouse.schemas import INTERMEDIATE, MARTS, STAGING


def base_models() -> dict[str, str]:
    """Staging base model per source table (var `cdp_identity_sources`): where a record
    key's file and row are found. Only declared names (checked identifiers) reach SQL."""
    sources = dbt_vars().get("cdp_identity_sources") or {}
    return {table: declared["base_model"] for table, declared in sources.items()
            if all(IDENTIFIER.fullmatch(str(name))
                   for name in (table, declared.get("base_model")))}


@dataclass(frozen=True)
class Identifier:
    key: str
    id_type: str
    value: str
    person_id: str | None
    status: str
    first_seen_at: object = None
    last_seen_at: object = None
    records: int = 0


@dataclass(frozen=True)
class Link:
    key_a: str
    key_b: str
    link_type: str  # 'record' or 'probabilistic'
    match_probability: float | None  # probabilistic links only, as their evidence:
    match_evidence: str | None  # 'first_name exact +7.41; ...; prior -12.30'
    records: int
    source_table: str
    record_key: str

    def other(self, key: str) -> str:
        return self.key_b if key == self.key_a else self.key_a


def canonical_email(email: str) -> str:
    """The contract's matching form of an email (same rules as the canonical_email macro)."""
    local, _, domain = email.strip().lower().rpartition("@")
    untagged = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        return untagged.replace(".", "") + "@gmail.com"
    if domain in dbt_vars()["cdp_plus_address_domains"]:
        return f"{untagged}@{domain}"
    return f"{local}@{domain}"


def candidate_values(text: str) -> set[str]:
    """Forms `text` may take as a stored identifier: as typed, cased, canonical, and the E.164
    staging gives a phone typed this way when the row has no country (var
    cdp_default_phone_country), with spaces, dashes, dots or parentheses, `+`/`00` or not."""
    raw = text.strip()
    values = {raw, raw.lower(), raw.upper()}
    if "@" in raw:
        values.add(canonical_email(raw))
    if phone := phones.to_e164(raw):
        values.add(phone)
    return values


def find_identifiers(text: str, id_type: str | None = None) -> list[Identifier]:
    """The identifiers `text` stands for. A national phone number that is nothing in the
    default country is read in every country of var cdp_phone_countries: staging read it in
    its row's country, which a lookup does not know (`07762 135155` is a GB mobile)."""
    values = candidate_values(text)
    found = _identifiers_with_values(values, id_type)
    if not found and (others := set(phones.readings(text)) - values):
        found = _identifiers_with_values(others, id_type)
    return found


def _identifiers_with_values(values: set[str], id_type: str | None) -> list[Identifier]:
    ordered = sorted(values)
    marks = ", ".join("?" * len(ordered))
    type_filter = "and id_type = ?" if id_type else ""
    rows = query(f"""
        select identifier_key, id_type, id_value, person_id, status, first_seen_at,
            last_seen_at, records
        from {MARTS}.dim_identity_identifiers
        where id_value in ({marks}) {type_filter}
        order by id_type, id_value""", ordered + ([id_type] if id_type else []))
    return [Identifier(*row) for row in rows]


def person_identifiers(person_id: str) -> list[Identifier]:
    rows = query(f"""
        select identifier_key, id_type, id_value, person_id, status, first_seen_at,
            last_seen_at, records
        from {MARTS}.dim_identity_identifiers
        where person_id = ? order by id_type, first_seen_at, id_value""", [person_id])
    return [Identifier(*row) for row in rows]


def person_links(person_id: str) -> list[Link]:
    rows = query(f"""
        select identifier_key_a, identifier_key_b, link_type, match_probability,
            match_evidence, records, first_source_table, first_source_record_key
        from {MARTS}.fct_identity_links
        where person_id = ? order by first_seen_at, link_id""", [person_id])
    return [Link(a, b, t, float(p) if p is not None else None, e, n, table, key)
            for a, b, t, p, e, n, table, key in rows]


def shortest_paths(links: list[Link], start: str) -> dict[str, list[Link]]:
    """Breadth-first: for every identifier reachable from `start`, the links leading to it."""
    adjacency: dict[str, list[Link]] = {}
    for link in links:
        adjacency.setdefault(link.key_a, []).append(link)
        adjacency.setdefault(link.key_b, []).append(link)
    paths: dict[str, list[Link]] = {start: []}
    queue = deque([start])
    while queue:
        key = queue.popleft()
        for link in adjacency.get(key, []):
            other = link.other(key)
            if other not in paths:
                paths[other] = [*paths[key], link]
                queue.append(other)
    return paths


def record_locations(links: list[Link]) -> dict[tuple[str, str], tuple]:
    """(file, row) of each link's first record, from the staging base models: one query per
    source table, whatever the number of links."""
    models = base_models()
    keys: dict[str, set[str]] = {}
    for link in links:
        if link.source_table in models:
            keys.setdefault(link.source_table, set()).add(link.record_key)
    found = {}
    for table, wanted in keys.items():
        marks = ", ".join("?" * len(wanted))
        rows = query(f"select source_record_key, source_file, source_row"
                     f" from {STAGING}.{models[table]} where source_record_key in ({marks})",
                     sorted(wanted))
        found.update({(table, key): (file, row) for key, file, row in rows})
    return found


@dataclass(frozen=True)
class Match:
    """What the mart does not carry of a probabilistic link: its pair's rule and weight."""
    blocking_rule: str
    match_weight: float


def link_matches(links: list[Link]) -> dict[frozenset[str], Match]:
    """The accepted pair (int_identity__fuzzy_matches) behind each probabilistic link, keyed
    by the link's two identifiers. Each matched record's crm_id node is looked up as the graph
    made it (int_identity__record_nodes), not re-derived from the contact id."""
    keys = sorted({key for link in links if link.link_type != "record"
                   for key in (link.key_a, link.key_b)})
    if not keys:
        return {}
    marks = ", ".join("?" * len(keys))
    rows = query(f"""
        with crm_nodes as (
            select record_nodes.source_record_key, nodes.node_key
            from {INTERMEDIATE}.int_identity__record_nodes as record_nodes
            inner join {INTERMEDIATE}.int_identity__nodes as nodes
                on record_nodes.node_id = nodes.node_id
            where record_nodes.source_table = 'crm_contacts' and nodes.id_type = 'crm_id'
                and nodes.node_key in ({marks})
        )
        select a.node_key, b.node_key, matches.blocking_rule, matches.match_weight
        from {INTERMEDIATE}.int_identity__fuzzy_matches as matches
        inner join crm_nodes as a on matches.record_a = a.source_record_key
        inner join crm_nodes as b on matches.record_b = b.source_record_key""", keys)
    return {frozenset((a, b)): Match(rule, float(weight)) for a, b, rule, weight in rows}
