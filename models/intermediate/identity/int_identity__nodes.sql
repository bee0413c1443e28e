{#
    Node ids are numbered in hashed order: connected components label each component with
    its smallest node id, and a random-looking order keeps the contraction at a few rounds on
    any graph shape (sorted ids would make a long chain take one round per link).
#}
with

identifiers as (

    select * from {{ ref('int_identity__identifiers') }}
    where block_reason is null

),

shared as (

    select distinct
        id_type,
        id_value
    from {{ ref('int_identity__shared_identifiers') }}

)

select
    row_number() over (
        order by
            {{ stable_hash("identifiers.id_type || ':' || identifiers.id_value") }},
            identifiers.id_type,
            identifiers.id_value
    ) as node_id,
    identifiers.id_type || ':' || identifiers.id_value as node_key,
    identifiers.id_type,
    identifiers.id_value,
    {{ identity_type_rank('identifiers.id_type') }} as type_rank,
    identifiers.first_seen_at,
    identifiers.last_seen_at,
    identifiers.records,
    identifiers.sources,
    shared.id_type is not null as is_shared
from identifiers
left join shared
    on
        identifiers.id_type = shared.id_type
        and identifiers.id_value = shared.id_value
