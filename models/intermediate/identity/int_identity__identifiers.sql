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

select
    *,
    {{ identity_block_reason('id_type', 'id_value') }} as block_reason
from identifiers
