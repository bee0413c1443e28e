{#
    Each record's usable identifiers, ranked: the record's anchor (rank 1) is its most trusted
    identifier that is not shared, else its most trusted shared one. The anchor decides the
    record's person and is the centre of the record's star edges.
#}
with

observations as (

    select * from {{ ref('int_identity__observations') }}

),

nodes as (

    select * from {{ ref('int_identity__nodes') }}

)

select
    observations.source_table,
    observations.source_record_key,
    observations.observed_at,
    nodes.node_id,
    nodes.id_type,
    nodes.is_shared,
    row_number() over (
        partition by observations.source_table, observations.source_record_key
        order by nodes.is_shared, nodes.type_rank, nodes.node_id
    ) as anchor_rank
from observations
inner join nodes
    on
        observations.id_type = nodes.id_type
        and observations.id_value = nodes.id_value
