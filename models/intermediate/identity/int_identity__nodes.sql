{#
    A node per usable identifier; its id is the identifier's (int_identity__identifiers numbers
    them by a hash of their key, which keeps connected components at a few rounds).
#}
with

identifiers as (

    select * from {{ ref('int_identity__identifiers') }}
    where block_reason is null

),

shared as (

    select distinct identifier_id
    from {{ ref('int_identity__shared_identifiers') }}

)

select
    identifiers.identifier_id as node_id,
    identifiers.id_type || ':' || identifiers.id_value as node_key,
    identifiers.id_type,
    identifiers.id_value,
    {{ identity_type_rank('identifiers.id_type') }} as type_rank,
    identifiers.first_seen_at,
    identifiers.last_seen_at,
    identifiers.records,
    identifiers.sources,
    shared.identifier_id is not null as is_shared
from identifiers
left join shared on identifiers.identifier_id = shared.identifier_id
