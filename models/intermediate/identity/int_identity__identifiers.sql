with

observations as (

    select * from {{ ref('int_identity__observations') }}

),

identifiers as (

    select
        id_type,
        id_value,
        min(observed_at) as first_seen_at,
        max(observed_at) as last_seen_at,
        count(*) as records,
        count(distinct source_table) as sources
    from observations
    group by id_type, id_value

)

{#
    Identifiers are numbered in hashed order: the number is the identity graph's node id, and
    connected components label each component with its smallest node id; a random-looking
    order keeps the contraction at a few rounds on any graph shape (sorted ids would make a
    long chain take one round per link). From here on the graph joins these integers, not text.
#}
select
    row_number() over (
        order by {{ stable_hash("id_type || ':' || id_value") }}, id_type, id_value
    ) as identifier_id,
    *,
    {{ identity_block_reason('id_type', 'id_value') }} as block_reason
from identifiers
