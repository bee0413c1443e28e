"""A hand-made identity warehouse: the few columns of the identity models that evaluate and
explain read, for 15 records of 4 true persons, written through the Warehouse layer (so on
whichever engine the test made active), plus the generator's truth files beside it.

Persons and links (── record link, ~~ probabilistic link):

    P1  crm_id:CRM-A ── email:a@x.example ── phone:+15550000001
        crm_id:CRM-A ~~ crm_id:CRM-B ── email:b@x.example
        crm_id:CRM-B ~~ crm_id:CRM-C                  (a false match: CRM-C is true T2)
        email:a@x.example ── email:d@x.example        (links between persons, left by
        email:b@x.example ── email:d@x.example         re-resolving an oversized component)
    P2  email:c@x.example ── phone:+15550000002
    P4  crm_id:CRM-D ── email:d@x.example;  crm_id:CRM-D ~~ crm_id:CRM-E
    P5  crm_id:CRM-F          P6  crm_id:CRM-G
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cdp.warehouse import open_warehouse

IDENTIFIERS = {  # identifier key -> person
    "crm_id:CRM-A": "P1", "email:a@x.example": "P1", "phone:+15550000001": "P1",
    "crm_id:CRM-B": "P1", "email:b@x.example": "P1", "crm_id:CRM-C": "P1",
    "email:c@x.example": "P2", "phone:+15550000002": "P2",
    "crm_id:CRM-D": "P4", "email:d@x.example": "P4", "crm_id:CRM-E": "P4",
    "crm_id:CRM-F": "P5", "crm_id:CRM-G": "P6",
}
# (source table, file, row, true person, anchor identifier or None: unresolved, contact id
# when the row is the contact's latest version, the one stg_crm__contacts keeps)
RECORDS = [
    ("crm_contacts", "contacts.csv", 1, "T1", "crm_id:CRM-A", "CRM-A"),
    ("crm_contacts", "contacts.csv", 2, "T1", "crm_id:CRM-B", "CRM-B"),
    ("crm_contacts", "contacts.csv", 3, "T2", "crm_id:CRM-C", "CRM-C"),
    ("crm_contacts", "contacts.csv", 4, "T4", "crm_id:CRM-D", "CRM-D"),
    ("crm_contacts", "contacts.csv", 5, "T1", "crm_id:CRM-F", "CRM-F"),
    ("crm_contacts", "contacts.csv", 6, "T2", "crm_id:CRM-G", "CRM-G"),
    ("crm_contacts", "contacts.csv", 7, "T4", "crm_id:CRM-E", "CRM-E"),
    ("crm_contacts", "contacts_old.csv", 1, "T1", "crm_id:CRM-A", None),  # older version
    ("shop_orders", "orders.csv", 1, "T1", "email:a@x.example", None),
    ("shop_orders", "orders.csv", 2, "T1", "email:b@x.example", None),
    ("shop_orders", "orders.csv", 3, "T3", "email:c@x.example", None),
    ("shop_orders", "orders.csv", 4, "T3", "phone:+15550000002", None),
    ("shop_orders", "orders.csv", 5, "T3", None, None),  # only a blocked email
    ("shop_orders", "orders.csv", 6, "T4", "email:d@x.example", None),
    ("shop_orders", "orders.csv", 7, "T1", "phone:+15550000001", None),
]
EVIDENCE = ("first_name exact +7.41; last_name close +4.20; date_of_birth exact +10.89;"
            " prior -12.30")
# (person, key a, key b, link type, probability, evidence, first record: table, file, row)
LINKS = [
    ("P1", "crm_id:CRM-A", "email:a@x.example", "record", None, None,
     ("crm_contacts", "contacts.csv", 1)),
    ("P1", "email:a@x.example", "phone:+15550000001", "record", None, None,
     ("shop_orders", "orders.csv", 7)),
    ("P1", "crm_id:CRM-B", "email:b@x.example", "record", None, None,
     ("crm_contacts", "contacts.csv", 2)),
    ("P1", "crm_id:CRM-A", "crm_id:CRM-B", "probabilistic", 0.9991, EVIDENCE,
     ("crm_contacts", "contacts.csv", 2)),
    ("P1", "crm_id:CRM-C", "crm_id:CRM-B", "probabilistic", 0.97,  # oriented unlike the pair
     "first_name close +3.10; last_name exact +6.00; prior -4.10",
     ("crm_contacts", "contacts.csv", 3)),
    ("P1", "email:a@x.example", "email:d@x.example", "record", None, None,
     ("shop_orders", "orders.csv", 6)),
    ("P4", "email:d@x.example", "email:b@x.example", "record", None, None,
     ("shop_orders", "orders.csv", 2)),
    ("P2", "email:c@x.example", "phone:+15550000002", "record", None, None,
     ("shop_orders", "orders.csv", 4)),
    ("P4", "crm_id:CRM-D", "email:d@x.example", "record", None, None,
     ("crm_contacts", "contacts.csv", 4)),
    ("P4", "crm_id:CRM-D", "crm_id:CRM-E", "probabilistic", 0.95,
     "first_name exact +7.00; prior -2.70", ("crm_contacts", "contacts.csv", 7)),
]
# (contact a, contact b, first rule): CRM-F/CRM-B in the other order on purpose
CANDIDATES = [("CRM-A", "CRM-B", "dob_initials"), ("CRM-F", "CRM-B", "postcode_surname"),
              ("CRM-B", "CRM-C", "dob_initials"), ("CRM-C", "CRM-D", "postcode_surname"),
              ("CRM-D", "CRM-E", "dob_initials")]
RULES = [  # name, order, keys, blocks, skipped blocks, skipped records, pairs, new pairs,
    # matches, matches no other rule found
    ("dob_initials", 1, "date_of_birth, name_initials", 3, 0, 0, 3, 3, 3, 2),
    ("postcode_surname", 2, "postal_code, last_name", 4, 2, 150, 3, 2, 0, 0),
]
# (contact a, contact b, rule, weight): the accepted pairs behind the probabilistic links
MATCHES = [("CRM-A", "CRM-B", "dob_initials", 10.2), ("CRM-B", "CRM-C", "dob_initials", 5.0),
           ("CRM-D", "CRM-E", "dob_initials", 4.3)]
SEEN = datetime(2026, 1, 5)


def record_key(table: str, file: str, row: int) -> str:
    """Staging's source_record_key (the surrogate_key macro: md5 of the '-'-joined parts)."""
    return hashlib.md5(f"{table}-{file}-{row}".encode()).hexdigest()


def contact_record(contact: str) -> str:
    [key] = [record_key(*r[:3]) for r in RECORDS if r[5] == contact]
    return key


def _columns(rows: list[tuple], names: list[str]) -> pa.Table:
    return pa.table({name: [row[i] for row in rows] for i, name in enumerate(names)})


def tables() -> dict[str, pa.Table]:
    node_ids = {key: number for number, key in enumerate(IDENTIFIERS, start=1)}
    records = [(record_key(*r[:3]), r) for r in RECORDS]
    return {
        "intermediate.int_identity__record_persons": _columns(
            [(r[0], key, IDENTIFIERS.get(r[4])) for key, r in records],
            ["source_table", "source_record_key", "person_id"]),
        "intermediate.int_identity__record_nodes": _columns(
            [(r[0], key, node_ids[r[4]], 1) for key, r in records if r[4]],
            ["source_table", "source_record_key", "node_id", "anchor_rank"]),
        "intermediate.int_identity__nodes": _columns(
            [(number, key, key.split(":")[0]) for key, number in node_ids.items()],
            ["node_id", "node_key", "id_type"]),
        "marts.dim_identity_identifiers": _columns(
            [(key, *key.split(":", 1), person, "linked", SEEN, SEEN, 1)
             for key, person in IDENTIFIERS.items()],
            ["identifier_key", "id_type", "id_value", "person_id", "status", "first_seen_at",
             "last_seen_at", "records"]),
        "marts.fct_identity_links": _columns(
            [(f"link{n}", person, a, b, kind, p, evidence, 1, SEEN, first[0], record_key(*first))
             for n, (person, a, b, kind, p, evidence, first) in enumerate(LINKS)],
            ["link_id", "person_id", "identifier_key_a", "identifier_key_b", "link_type",
             "match_probability", "match_evidence", "records", "first_seen_at",
             "first_source_table", "first_source_record_key"]),
        "marts.dim_customers": _columns([(p,) for p in sorted(set(IDENTIFIERS.values()))],
                                        ["person_id"]),
        "staging.stg_crm__contacts": _columns(
            [(r[5], key) for key, r in records if r[5]], ["contact_id", "source_record_key"]),
        "staging.base_crm__contacts": _columns(
            [(key, r[1], r[2]) for key, r in records if r[0] == "crm_contacts"],
            ["source_record_key", "source_file", "source_row"]),
        "intermediate.int_identity__candidate_pairs": _columns(
            [(a, b, contact_record(a), contact_record(b), rule) for a, b, rule in CANDIDATES],
            ["contact_a", "contact_b", "record_a", "record_b", "blocking_rule"]),
        "intermediate.int_identity__blocking_rules": _columns(RULES, [
            "rule_name", "rule_order", "rule_keys", "blocks", "skipped_blocks",
            "skipped_records", "candidate_pairs", "new_pairs", "matches", "only_matches"]),
        "intermediate.int_identity__fuzzy_matches": _columns(
            [(a, b, contact_record(a), contact_record(b), rule, weight)
             for a, b, rule, weight in MATCHES],
            ["contact_a", "contact_b", "record_a", "record_b", "blocking_rule",
             "match_weight"]),
    }


def build(raw_dir: Path, *, without: tuple[str, ...] = ()) -> None:
    """The tables (less the relations in `without`) on the active target, and the truth file
    in `raw_dir`/_truth."""
    with open_warehouse() as wh:
        for schema in ("intermediate", "marts", "staging"):
            wh.execute(f"create schema if not exists {schema}")
        for relation, data in tables().items():
            if relation not in without:
                wh.write_table(relation, data)
    truth = raw_dir / "_truth"
    truth.mkdir(parents=True)
    pq.write_table(pa.table({
        "source_table": [r[0] for r in RECORDS], "source_file": [r[1] for r in RECORDS],
        "source_row": [r[2] for r in RECORDS], "person_id": [r[3] for r in RECORDS],
        "defect": pa.nulls(len(RECORDS), pa.string()),
    }), truth / "records.parquet")
