{#
    Each record's usable identifiers, ranked: the record's anchor (rank 1) is its most trusted
    identifier that is not shared, else its most trusted shared one. The anchor decides the
    record's person and is the centre of the record's star edges.
#}
with

record_identifiers as (

    select * from {{ ref('int_identity__record_identifiers') }}

),

nodes as (

    select * from {{ ref('int_identity__nodes') }}

)

select
    record_identifiers.source_table,
    record_identifiers.source_record_key,
    record_identifiers.observed_at,
    nodes.node_id,
    nodes.id_type,
    nodes.is_shared,
    row_number() over (
        partition by record_identifiers.source_table, record_identifiers.source_record_key
        order by nodes.is_shared, nodes.type_rank, nodes.node_id
    ) as anchor_rank
from record_identifiers
inner join nodes on record_identifiers.identifier_id = nodes.node_id
