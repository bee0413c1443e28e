"""What a sync run must do, computed in the warehouse: source rows (mapped, consent-filtered,
hashed) diffed against the sync's snapshot. Only the rows that differ leave the database, so an
unchanged re-sync of a million rows costs one join."""

from __future__ import annotations

from dataclasses import dataclass, field

from reverse_etl.config import SyncSpec
from reverse_etl.destinations.base import ConfigError

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


def source_sql(spec: SyncSpec, con) -> str:
    """The rows the destination should hold: mapped fields, hashed, people without the
    required consent left out (so a revocation turns into a removal)."""
    if spec.source_kind == "audience":
        base = ("select customers.*, members.variant as audience_variant"
                " from marts.fct_audience_members as members"
                " inner join marts.dim_customers as customers using (person_id)"
                f" where members.audience_name = '{spec.source_name}'"
                " and not members.is_holdout")
    else:
        base = f"select * from {_model_relation(spec.source_name, con)}"
    consent = ""
    if spec.consent:
        purpose, channel = spec.consent
        base = (f"select source.*, consent.consent_{purpose}_{channel} as required_consent"
                f" from ({base}) as source left join marts.dim_customers as consent"
                " on source.person_id = consent.person_id")
        consent = " where required_consent = 'granted'"
    fields = sorted(spec.fields.items())
    packed = ", ".join(f"'{name}', {column}" for name, column in fields)
    return (f"select cast({spec.primary_key} as varchar) as record_key,"
            f" json_object({packed}) as fields_json"
            f" from ({base}) as source{consent}")


def prepare(con, spec: SyncSpec) -> None:
    """Temp tables `source_rows` (valid rows with hashes) and `plan` for this run."""
    con.execute(f"create or replace temp table raw_source as {source_sql(spec, con)}")
    con.execute("""
        create or replace temp table source_rows as
        select record_key, fields_json, sha256(fields_json) as row_hash
        from raw_source
        where record_key is not null
        qualify count(*) over (partition by record_key) = 1
    """)
    con.execute("""
        create or replace temp table plan as
        select
            coalesce(source.record_key, snapshot.record_key) as record_key,
            case
                when snapshot.record_key is null then 'add'
                when source.record_key is null then 'remove'
                else 'change'
            end as op,
            coalesce(source.row_hash, snapshot.row_hash) as row_hash,
            coalesce(source.fields_json, snapshot.fields_json) as fields_json
        from source_rows as source
        full outer join (select * from cdp_sync.snapshots where sync_name = ?) as snapshot
            on source.record_key = snapshot.record_key
        where source.record_key is null or snapshot.record_key is null
            or source.row_hash <> snapshot.row_hash
    """, [spec.name])


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
    [(snapshot_rows,)] = con.execute(
        "select count(*) from cdp_sync.snapshots where sync_name = ?", [spec.name]).fetchall()
    return Plan(source_rows, invalid, counts.get("add", 0), counts.get("change", 0),
                counts.get("remove", 0), snapshot_rows, samples)


def _model_relation(name: str, con) -> str:
    if "." in name:
        return name
    found = con.execute("select table_schema from information_schema.tables"
                        " where table_name = ? order by table_schema", [name]).fetchall()
    if not found:
        raise ConfigError(f"source model '{name}' is not built in the warehouse")
    return f"{found[0][0]}.{name}"
