{#
    Every usable (not blocked) identifier of every record, by the identifier's integer id: the
    one join on text values, so that sharing, anchors and edges join integers.
#}
with

observations as (

    select * from {{ ref('int_identity__observations') }}

),

usable_identifiers as (

    select * from {{ ref('int_identity__identifiers') }}
    where block_reason is null

)

select
    observations.source_table,
    observations.source_record_key,
    observations.observed_at,
    usable_identifiers.identifier_id,
    usable_identifiers.id_type
from observations
inner join usable_identifiers
    on
        observations.id_type = usable_identifiers.id_type
        and observations.id_value = usable_identifiers.id_value
