"""Persons as identity resolution would give them without its probabilistic links.

A person holding a link that is not a record link (a probabilistic CRM match) is split into
the connected components of its identifiers over its record links alone; every other person
is joined by record links only and stays whole, so only the first kind is read and computed.
A link counts only between two identifiers of one person: re-resolving an oversized component
can leave a link between two persons, which joined neither.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from cdp.warehouse import Warehouse
from cdp.warehouse.schemas import INTERMEDIATE, MARTS

PARTS_TABLE = "cdp_identity_parts"
PARTS_SCHEMA = pa.schema([("node_key", pa.string()), ("part_id", pa.string())])


def resolved_persons() -> str:
    """Today's person of every record (null: unresolved), as evaluate scores it."""
    return f"{INTERMEDIATE}.int_identity__record_persons"


def split_persons(identifiers: list[tuple[str, str]],
                  links: list[tuple[str, str]]) -> dict[str, str]:
    """The part of each identifier, `<person>#<n>`, from (identifier, person) pairs and
    links: only those between two identifiers of one person count. Identifiers no link
    reaches stand alone."""
    index = {key: position for position, (key, _) in enumerate(identifiers)}
    person = dict(identifiers)
    ends = np.array([(index[a], index[b]) for a, b in links
                     if a in person and person[a] == person.get(b)],
                    dtype=np.int64).reshape(-1, 2)
    graph = coo_matrix((np.ones(len(ends)), (ends[:, 0], ends[:, 1])),
                       shape=(len(index), len(index)))
    _, labels = connected_components(graph, directed=False)
    return {key: f"{owner}#{labels[index[key]]}" for key, owner in identifiers}


def without_probabilistic(wh: Warehouse) -> tuple[str, int]:
    """A relation of every record's person without the probabilistic links (same columns as
    `resolved_persons`), and how many such links there are (0: today's relation itself)."""
    matched = f"select person_id from {MARTS}.fct_identity_links where link_type <> 'record'"
    [(links,)] = wh.query(f"select count(*) from ({matched}) as matched")
    if not links:
        return resolved_persons(), 0
    identifiers = wh.query(f"""
        select identifier_key, person_id from {MARTS}.dim_identity_identifiers
        where person_id in ({matched})""")
    record_links = wh.query(f"""
        select identifier_key_a, identifier_key_b from {MARTS}.fct_identity_links
        where link_type = 'record' and person_id in ({matched})""")
    parts = split_persons(identifiers, record_links)
    table = pa.table([list(parts), list(parts.values())], schema=PARTS_SCHEMA)
    wh.write_table(PARTS_TABLE, table, temporary=True)
    # A record's person is its anchor's (int_identity__record_persons), so its part is too.
    return f"""(
        select
            records.source_table,
            records.source_record_key,
            coalesce(parts.part_id, records.person_id) as person_id
        from {resolved_persons()} as records
        left join {INTERMEDIATE}.int_identity__record_nodes as anchors
            on records.source_table = anchors.source_table
            and records.source_record_key = anchors.source_record_key
            and anchors.anchor_rank = 1
        left join {INTERMEDIATE}.int_identity__nodes as nodes on anchors.node_id = nodes.node_id
        left join {PARTS_TABLE} as parts on nodes.node_key = parts.node_key
    )""", int(links)
