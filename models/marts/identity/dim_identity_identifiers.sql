with

identifiers as (

    select * from {{ ref('int_identity__identifiers') }}

),

shared as (

    select
        shared_identifiers.identifier_id,
        min({{ identity_shared_reason('shared_identifiers') }}) as shared_reason
    from {{ ref('int_identity__shared_identifiers') }} as shared_identifiers
    group by shared_identifiers.identifier_id

),

person_map as (

    select * from {{ ref('int_identity__person_map') }}
    where is_current

)

select
    identifiers.id_type || ':' || identifiers.id_value as identifier_key,
    identifiers.id_type,
    identifiers.id_value,
    person_map.person_id,
    case
        when identifiers.block_reason is not null then 'blocked'
        when shared.identifier_id is not null then 'shared'
        else 'linked'
    end as status,
    identifiers.block_reason,
    shared.shared_reason,
    coalesce(person_map.is_person_anchor, false) as is_person_anchor,
    identifiers.first_seen_at,
    identifiers.last_seen_at,
    identifiers.records,
    identifiers.sources
from identifiers
left join shared on identifiers.identifier_id = shared.identifier_id
left join person_map
    on identifiers.id_type || ':' || identifiers.id_value = person_map.node_key
