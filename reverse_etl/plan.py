"""What a sync run must do, computed in the warehouse: source rows (mapped, consent-filtered,
hashed) diffed against the sync's snapshot. Only the rows that differ leave the database, so an
unchanged re-sync of a million rows costs one join.

Ops: `add` (new key, or an add whose outcome was never known), `change` (new hash, a send in
doubt, or everything on a full resync), `remove` (a mirror's key that left the source) and
`drop` (another mode's key that left: its state is forgotten, nothing is sent), and `erase`
(a forgotten person's key, whatever the mode: reverse_etl.erasure). A key that is
still in the source but duplicated or null is invalid, not gone: it is neither sent nor removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cdp.warehouse.schemas import SYNC_STATE
from reverse_etl.config import SyncSpec
from reverse_etl.source_query import SourceQuery

SAMPLE = 5


@dataclass
class Plan:
    source_rows: int
    invalid: dict[str, str]  # key (or '<null>') -> why the row cannot be synced
    adds: int
    changes: int
    removes: int
    snapshot_rows: int
    samples: dict[str, list[str]] = field(default_factory=dict)  # op -> a few keys
    in_doubt: int = 0  # rows whose last send had no known outcome, reconciled by this run
    drops: int = 0
    erasures: int = 0  # removals owed to forget requests (reverse_etl.erasure)


def prepare(con, spec: SyncSpec, query: SourceQuery, *, full_resync: bool = False) -> None:
    """Temp tables `raw_source`, `source_rows` (valid rows with hashes) and `plan`."""
    for table in ("raw_source", "source_rows", "plan"):  # PostgreSQL has no "create or replace"
        con.execute(f"drop table if exists {table}")
    con.execute(f"create temp table raw_source as {query.sql}", query.params)
    con.execute("""
        create temp table source_rows as
        select record_key, fields_json, sha256(fields_json) as row_hash
        from raw_source
        where record_key is not null
        qualify count(*) over (partition by record_key) = 1
    """)
    departed = {"mirror": "remove", "insert": None}.get(spec.mode, "drop")
    con.execute(f"""
        create temp table plan as
        select
            coalesce(source.record_key, snapshot.record_key) as record_key,
            case
                when source.record_key is null then ?
                when snapshot.record_key is null or snapshot.row_hash is null then 'add'
                else 'change'
            end as op,
            coalesce(source.row_hash, snapshot.row_hash, '') as row_hash,
            case when source.record_key is null
                then coalesce(snapshot.pending_json, snapshot.removal_json)
                else source.fields_json end as fields_json,
            coalesce(snapshot.in_doubt is not null, false) as was_in_doubt
        from source_rows as source
        full outer join (select * from {SYNC_STATE}.snapshots where sync_name = ?) as snapshot
            on source.record_key = snapshot.record_key
        where (source.record_key is null and snapshot.record_key not in (
                    select record_key from raw_source where record_key is not null))
            or snapshot.record_key is null
            or (source.record_key is not null and (
                snapshot.in_doubt is not null or ?
                or source.row_hash is distinct from snapshot.row_hash))
    """, [departed, spec.name, full_resync])
    con.execute("delete from plan where op is null")  # insert mode keeps departed keys


def summarise(con, spec: SyncSpec) -> Plan:
    [(source_rows,)] = con.execute("select count(*) from raw_source").fetchall()
    invalid = dict(con.execute("""
        select coalesce(record_key, '<null>'),
               case when record_key is null then 'primary key is null'
                    else 'primary key is duplicated (' || count(*) || ' rows)' end
        from raw_source group by record_key
        having record_key is null or count(*) > 1
    """).fetchall())
    counts = dict(con.execute("select op, count(*) from plan group by op").fetchall())
    samples = {op: [k for (k,) in con.execute(
        "select record_key from plan where op = ? order by record_key limit ?",
        [op, SAMPLE]).fetchall()] for op in counts}
    [(snapshot_rows, in_doubt)] = con.execute(
        f"select count(*), count(in_doubt) from {SYNC_STATE}.snapshots where sync_name = ?",
        [spec.name]).fetchall()
    return Plan(source_rows, invalid, counts.get("add", 0), counts.get("change", 0),
                counts.get("remove", 0), snapshot_rows, samples, in_doubt, counts.get("drop", 0),
                counts.get("erase", 0))
