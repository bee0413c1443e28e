"""Record nodes are kept per load like the record identifiers they rank: a run ranks the new
loads, and ranks a held record again when one of its identifiers becomes shared (its anchor
and its star edges depend on that), and no other held record.

A later CRM export brings one new contact with the phone of an existing contact: the phone
now answers for two CRM ids, over its link limit, so it is shared. Held rows are marked in
place (a suffix on the id type): the marks of the records holding the phone must vanish,
every other mark must survive, and the table must equal a full refresh of the same data.
"""

from __future__ import annotations

import csv
import shutil

import duckdb
import pytest

from cdp.build import build_project
from cdp.generate import generate_sources
from cdp.load import load_raw

SELECT = ["--select", "+int_identity__record_nodes", "--indirect-selection", "cautious"]
RECORD_NODES = "intermediate.int_identity__record_nodes"
MARK = "#held"
COMPARED = "source_table, source_record_key, observed_at, node_id, id_type, is_shared, anchor_rank"


def _build(database, *args: str) -> None:
    """The models up to record nodes; their data tests may fail on the marks."""
    results = build_project([*SELECT, *args], duckdb_path=database, check=False)
    models = {r.node.name: str(r.status) for r in results if r.node.resource_type == "model"}
    assert models and set(models.values()) == {"success"}, models


def _add_contact_with_phone_of(feed, contact_id: str) -> None:
    """A later export with one new contact: only a CRM id and the phone of `contact_id`."""
    with (feed / "crm" / "contacts.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    source = next(row for row in rows if row["contact_id"] == contact_id)
    newest = max(row["updated_at"] for row in rows if row["updated_at"])
    added = {column: "" for column in source} | {
        "contact_id": "CRM-SHARING-TEST", "phone": source["phone"], "first_name": "Ada",
        "created_at": newest, "updated_at": newest}
    with (feed / "crm" / "contacts_later.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(source))
        writer.writeheader()
        writer.writerow(added)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("record_nodes")
    feed = root / "feed"
    generate_sources(feed, 300, seed=5, show_progress=False)
    database = root / "cdp.duckdb"
    load_raw(feed, database)
    _build(database)
    return feed, database


def test_a_newly_shared_identifier_re_ranks_exactly_its_records(built, tmp_path):
    feed, database = built
    with duckdb.connect(str(database)) as con:
        # a CRM contact's phone that only this contact's records hold
        phone_node, contact_id = con.execute(
            f"select phone.node_id, crm.id_value from {RECORD_NODES} as phone"
            f" inner join {RECORD_NODES} as contact on contact.source_record_key ="
            " phone.source_record_key and contact.id_type = 'crm_id'"
            " inner join intermediate.int_identity__nodes as crm"
            " on contact.node_id = crm.node_id"
            " where phone.source_table = 'crm_contacts' and phone.id_type = 'phone'"
            " and not phone.is_shared and phone.node_id in (select node_id from"
            f" {RECORD_NODES} group by node_id having count(distinct source_record_key) = 1)"
            " order by phone.node_id limit 1").fetchone()
        holders = {key for (key,) in con.execute(
            f"select source_record_key from {RECORD_NODES} where node_id = ?",
            [phone_node]).fetchall()}
        con.execute(f"update {RECORD_NODES} set id_type = id_type || '{MARK}'")
        (rows,) = con.execute(f"select count(*) from {RECORD_NODES}").fetchone()
        (holder_rows,) = con.execute(
            f"select count(*) from {RECORD_NODES} where source_record_key in"
            " (select unnest(?))", [sorted(holders)]).fetchone()

    _add_contact_with_phone_of(feed, contact_id)
    load_raw(feed, database, incremental=True)
    _build(database)
    with duckdb.connect(str(database), read_only=True) as con:
        assert con.execute(f"select bool_and(is_shared) from {RECORD_NODES}"
                           " where node_id = ?", [phone_node]).fetchone() == (True,)
        marked = {key for (key,) in con.execute(
            f"select distinct source_record_key from {RECORD_NODES}"
            f" where id_type like '%{MARK}'").fetchall()}
        (marks,) = con.execute(
            f"select count(*) from {RECORD_NODES} where id_type like '%{MARK}'").fetchone()
        assert not marked & holders  # the phone's records were ranked again
        assert marks == rows - holder_rows  # and no other held record
        assert not con.execute("select count(*) from duckdb_tables() where table_name ="
                               " 'int_identity__record_nodes__records_in_scope'").fetchone()[0]
    fresh = tmp_path / "fresh.duckdb"
    shutil.copy(database, fresh)
    _build(fresh, "--full-refresh")
    with duckdb.connect(str(database), read_only=True) as con:
        con.execute(f"attach '{fresh}' as fresh (read_only)")
        columns = COMPARED.replace("id_type", f"replace(id_type, '{MARK}', '')")
        for one, other in ((RECORD_NODES, f"fresh.{RECORD_NODES}"),
                           (f"fresh.{RECORD_NODES}", RECORD_NODES)):
            (count,) = con.execute(
                f"select count(*) from (select {columns} from {one}"
                f" except all select {columns} from {other})").fetchone()
            assert count == 0, f"{count} rows only in {one}"
