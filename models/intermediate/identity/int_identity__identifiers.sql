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
    An identifier's number is a hash of its type and value (identifier_number): the identity graph's
    node id, the same in every run and on every engine, and in a random-looking order, which
    keeps connected components (each labelled with its smallest node id) at a few rounds on any
    graph shape (sorted ids would make a long chain take one round per link). From here on
    the graph joins these integers, not text.
#}
select
    {{ identifier_number('id_type', 'id_value') }} as identifier_id,
    *,
    {{ identity_block_reason('id_type', 'id_value') }} as block_reason
from identifiers
