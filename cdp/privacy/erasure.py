"""Erasing forgotten persons: before a build (resolve, suppress, delete what is known) and
after it (purge the raw rows staging kept out).

Before the build (`resolve_requests`), each new request is matched, by salted hash, against
the ID graph of the last build. Every person owning a matching identifier is forgotten:
- the salted hashes of the person's linked identifiers join `suppressions` (a request that
  matches nothing suppresses its own hashes, so data arriving later is kept out);
- the raw rows of the person's records, and of records depending on them (var
  `cdp_privacy_dependents`), are deleted;
- history that outlives a rebuild (person id map, merges and splits, audience memberships)
  loses the person's rows;
- every sync whose state holds the person owes a removal (`delivery_required`).
Shared identifiers are never suppressed: they live in neighbours' records too (DECISIONLOG).

During the build, staging's base models drop every row carrying a suppressed hash (macro
`erasure_filter`), so the rebuilt models hold nothing of the person. After it
(`purge_raw_rows`), raw rows the base models dropped are deleted too: a full reload of the
same exports brings them back into raw, and this takes them out again within the same run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from cdp.definition_files import IDENTIFIER
from cdp.identity.explain import base_models
from cdp.privacy import store
from cdp.settings import dbt_vars
from cdp.warehouse import Warehouse
from cdp.warehouse.schemas import INTERMEDIATE, MARTS, PRIVACY, RAW, STAGING, SYNC_STATE

ROW_KEY = "_source_file || '#' || cast(_source_row as varchar)"
BASE_ROW_KEY = "source_file || '#' || cast(source_row as varchar)"
# History models (kept across --full-refresh) -> the columns naming a person.
PERSON_HISTORY = (
    (INTERMEDIATE, "int_identity__person_map", ("person_id", "previous_person_id")),
    (INTERMEDIATE, "int_identity__person_changes", ("from_person_id", "to_person_id")),
    (MARTS, "fct_audience_memberships", ("person_id",)),
)


@dataclass
class Resolution:
    requests: int = 0
    persons: dict[str, set[str]] = field(default_factory=dict)  # request -> person ids
    raw_rows_deleted: int = 0
    deliveries: int = 0


def raw_table(source_table: str) -> str:
    """The raw table of a source: its own name, unless var `cdp_privacy_raw_tables` says
    otherwise (a source landed by another tool, docs/own_source.md)."""
    named = (dbt_vars().get("cdp_privacy_raw_tables") or {}).get(source_table)
    return str(named) if named and IDENTIFIER.fullmatch(str(named)) else source_table


def _built_sources(warehouse: Warehouse) -> Iterator[tuple[str, str, str]]:
    """(source table, raw table, base model) of each identity source (var
    cdp_identity_sources) whose raw table and base model both exist."""
    for source, base in base_models().items():
        table = raw_table(source)
        if (warehouse.relation_exists(str(RAW), table)
                and warehouse.relation_exists(str(STAGING), base)):
            yield source, table, base


def dependents() -> dict[str, tuple[str, str]]:
    """Raw table -> (parent raw table, key column): rows erased with their parent record."""
    declared = dbt_vars().get("cdp_privacy_dependents") or {}
    return {child: (spec["parent"], spec["key"]) for child, spec in declared.items()
            if all(IDENTIFIER.fullmatch(str(name)) for name in (
                child, spec.get("parent"), spec.get("key")))}


def pending_requests(warehouse: Warehouse) -> list[str]:
    """Requests not yet resolved nor withdrawn, oldest first."""
    return [row[0] for row in warehouse.query(f"""
        select request_id from {PRIVACY}.deletion_requests
        where request_id not in (select request_id from {PRIVACY}.request_events
                                 where event in ('resolved', 'withdrawn'))
        order by requested_at, request_id""")]


def resolve_requests(warehouse: Warehouse) -> Resolution:
    """Forget the persons of every new request (see the module doc)."""
    store.ensure_tables(warehouse)
    pending = pending_requests(warehouse)
    done = Resolution(requests=len(pending))
    if not pending:
        return done
    salt = store.salt(warehouse)
    done.persons = _owners(warehouse, salt, pending)
    persons = sorted(set().union(*done.persons.values()))
    identifiers = _identifiers(warehouse, persons)
    for request_id in pending:
        _suppress(warehouse, salt, request_id, identifiers, done.persons[request_id])
    if persons:
        done.raw_rows_deleted = _delete_records(warehouse, persons)
        _delete_history(warehouse, persons, identifiers)
        done.deliveries = _owe_deliveries(warehouse, salt, done.persons)
    store.append(warehouse, "request_events", [  # last: a kill before it redoes the request
        store.event(r, "resolved", rows=len(done.persons[r])) for r in pending])
    return done


def _owners(warehouse: Warehouse, salt: str, pending: list[str]) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {r: set() for r in pending}
    if not warehouse.relation_exists(str(MARTS), "dim_identity_identifiers"):
        return owners  # nothing built yet: the request's own hashes keep its data out
    marks = ", ".join("?" * len(pending))
    for request_id, person_id in warehouse.query(f"""
            select distinct requested.request_id, graph.person_id
            from {PRIVACY}.request_identifiers as requested
            inner join (
                select person_id, id_type,
                    {store.hash_sql('id_type', 'id_value')} as identifier_hash
                from {MARTS}.dim_identity_identifiers
                where person_id is not null
            ) as graph
                on requested.identifier_hash = graph.identifier_hash
                and requested.id_type = graph.id_type
            where requested.request_id in ({marks})""", [salt, *pending]):
        owners[request_id].add(person_id)
    return owners


def _identifiers(warehouse: Warehouse, persons: list[str]) -> list[tuple[str, str, str, str]]:
    """(person id, type, value, status) of every identifier of `persons`."""
    if not persons:
        return []
    marks = ", ".join("?" * len(persons))
    return warehouse.query(f"select person_id, id_type, id_value, status"
                           f" from {MARTS}.dim_identity_identifiers"
                           f" where person_id in ({marks})", persons)


def _suppress(warehouse: Warehouse, salt: str, request_id: str,
              identifiers: list[tuple], persons: set[str]) -> None:
    added = store.now()
    if persons:
        hashes = {(id_type, store.identifier_hash(salt, id_type, value))
                  for person, id_type, value, status in identifiers
                  if person in persons and status == "linked"}
    else:
        hashes = set(warehouse.query(f"select id_type, identifier_hash"
                                     f" from {PRIVACY}.request_identifiers"
                                     f" where request_id = ?", [request_id]))
    store.append(warehouse, "suppressions", [
        {"request_id": request_id, "id_type": id_type, "identifier_hash": hashed,
         "added_at": added} for id_type, hashed in sorted(hashes)])


def _delete_records(warehouse: Warehouse, persons: list[str]) -> int:
    """Raw rows of the persons' records (found through the last build), dependents first."""
    if not warehouse.relation_exists(str(INTERMEDIATE), "int_identity__record_persons"):
        return 0
    marks = ", ".join("?" * len(persons))
    deleted = 0
    parents = {parent: (child, key) for child, (parent, key) in dependents().items()}
    for source, table, base in _built_sources(warehouse):
        keys = f"""
            select base.source_file || '#' || cast(base.source_row as varchar)
            from {STAGING}.{base} as base
            inner join {INTERMEDIATE}.int_identity__record_persons as records
                on base.source_record_key = records.source_record_key
            where records.source_table = ? and records.person_id in ({marks})"""
        params = [source, *persons]
        if table in parents and warehouse.relation_exists(str(RAW), parents[table][0]):
            child, key = parents[table]
            deleted += warehouse.delete_rows(
                f"{RAW}.{child}", f"{key} in (select {key} from {RAW}.{table}"
                                  f" where {ROW_KEY} in ({keys}))", params)
        deleted += warehouse.delete_rows(f"{RAW}.{table}", f"{ROW_KEY} in ({keys})", params)
    return deleted


def _delete_history(warehouse: Warehouse, persons: list[str], identifiers: list) -> None:
    marks = ", ".join("?" * len(persons))
    nodes = sorted({f"{id_type}:{value}" for _, id_type, value, _ in identifiers})
    for schema, model, columns in PERSON_HISTORY:
        if not warehouse.relation_exists(str(schema), model):
            continue
        where = " or ".join(f"{column} in ({marks})" for column in columns)
        params = persons * len(columns)
        if "node_key" in warehouse.columns(str(schema), model) and nodes:
            where += f" or node_key in ({', '.join('?' * len(nodes))})"
            params += nodes
        warehouse.delete_rows(f"{schema}.{model}", where, params)


def _owe_deliveries(warehouse: Warehouse, salt: str, owners: dict[str, set[str]]) -> int:
    """Every sync holding an erased person owes its destination a removal."""
    if not warehouse.relation_exists(str(SYNC_STATE), "snapshots"):
        return 0
    events = []
    for request_id, persons in owners.items():
        if not persons:
            continue
        marks = ", ".join("?" * len(persons))
        for sync_name, key in warehouse.query(
                f"select sync_name, record_key from {SYNC_STATE}.snapshots"
                f" where record_key in ({marks})", sorted(persons)):
            events.append(store.event(
                request_id, "delivery_required", sync_name=sync_name,
                subject_hash=store.identifier_hash(salt, "person", key)))
    store.append(warehouse, "request_events", events)
    return len(events)


def active_suppressions(warehouse: Warehouse) -> int:
    if not warehouse.relation_exists(str(PRIVACY), "suppressions"):
        return 0
    [(count,)] = warehouse.query(f"""
        select count(*) from {PRIVACY}.suppressions
        where request_id not in (select request_id from {PRIVACY}.request_events
                                 where event = 'withdrawn')""")
    return count


def purge_raw_rows(warehouse: Warehouse) -> int:
    """After a build: delete the raw rows the base models left out (they carried a
    suppressed identifier), loaded no later than what the build read, then mark resolved
    requests erased. Returns the rows deleted."""
    store.ensure_tables(warehouse)
    deleted = 0
    if active_suppressions(warehouse):
        for _, table, base in _built_sources(warehouse):
            [(read_up_to,)] = warehouse.query(f"select max(loaded_at) from {STAGING}.{base}")
            if read_up_to is None:
                continue  # nothing to tell kept rows from rows loaded after the build
            deleted += warehouse.delete_rows(
                f"{RAW}.{table}", f"_loaded_at <= ? and {ROW_KEY} not in"
                                  f" (select {BASE_ROW_KEY} from {STAGING}.{base})",
                [read_up_to])
    erased = [row[0] for row in warehouse.query(f"""
        select request_id from {PRIVACY}.request_events where event = 'resolved'
        except
        select request_id from {PRIVACY}.request_events where event in ('erased', 'withdrawn')
        """)]
    store.append(warehouse, "request_events", [
        store.event(request_id, "erased", rows=deleted) for request_id in sorted(erased)])
    return deleted
