{#
    Star edges per record: from the record's anchor to each of its other identifiers, never
    all pairs (a record with k identifiers gives k - 1 edges). Shared identifiers link
    nothing. Each distinct pair keeps the first record that produced it and how many did.
#}
{# record_nodes is read twice, not through one CTE: DuckDB would copy all its rows first. #}
with

anchors as (

    select * from {{ ref('int_identity__record_nodes') }}
    where anchor_rank = 1 and not is_shared

),

record_links as (

    select
        least(anchors.node_id, linked_nodes.node_id) as node_a,
        greatest(anchors.node_id, linked_nodes.node_id) as node_b,
        linked_nodes.source_table,
        linked_nodes.source_record_key,
        linked_nodes.observed_at
    from {{ ref('int_identity__record_nodes') }} as linked_nodes
    inner join anchors
        on
            linked_nodes.source_table = anchors.source_table
            and linked_nodes.source_record_key = anchors.source_record_key
    where linked_nodes.anchor_rank > 1 and not linked_nodes.is_shared

),

ranked as (

    select
        *,
        count(*) over (partition by node_a, node_b) as records,
        min(observed_at) over (partition by node_a, node_b) as first_seen_at,
        max(observed_at) over (partition by node_a, node_b) as last_seen_at,
        row_number() over (
            partition by node_a, node_b
            order by observed_at, source_table, source_record_key
        ) as record_rank
    from record_links

)

select
    node_a,
    node_b,
    records,
    first_seen_at,
    last_seen_at,
    source_table as first_source_table,
    source_record_key as first_source_record_key
from ranked
where record_rank = 1
