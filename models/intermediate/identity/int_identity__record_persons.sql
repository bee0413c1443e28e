{#
    The person of every record that carries an identifier: the person of the record's anchor
    (its most trusted usable identifier). Records whose identifiers are all blocked (a junk
    email only) have no person, with the reason, instead of vanishing.

    Every observation is either of a blocked identifier or in record_nodes, so the records
    are the anchors plus the few records that have a blocked identifier and no anchor: no
    distinct over all observations (27M rows at a million persons). The anchors are read
    twice rather than through one CTE, which DuckDB would copy in full first.
#}
with

anchors as (

    select * from {{ ref('int_identity__record_nodes') }}
    where anchor_rank = 1

),

blocked_identifiers as (

    select
        id_type,
        id_value
    from {{ ref('int_identity__identifiers') }}
    where block_reason is not null

),

blocked_only_records as (

    select distinct
        observations.source_table,
        observations.source_record_key
    from {{ ref('int_identity__observations') }} as observations
    inner join blocked_identifiers
        on
            observations.id_type = blocked_identifiers.id_type
            and observations.id_value = blocked_identifiers.id_value
    where not exists (
        select 1 from {{ ref('int_identity__record_nodes') }} as anchors
        where
            anchors.anchor_rank = 1
            and anchors.source_table = observations.source_table
            and anchors.source_record_key = observations.source_record_key
    )

),

{# Node to person once (one row per node), then records join it on the integer node id. #}
node_persons as (

    select
        nodes.node_id,
        person_map.person_id
    from {{ ref('int_identity__nodes') }} as nodes
    inner join {{ ref('int_identity__person_map') }} as person_map
        on nodes.node_key = person_map.node_key and person_map.is_current

)

select
    anchors.source_table,
    anchors.source_record_key,
    node_persons.person_id,
    anchors.id_type as resolved_via,
    anchors.is_shared as is_resolved_via_shared_identifier,
    cast(null as {{ dbt.type_string() }}) as unresolved_reason
from anchors
left join node_persons on anchors.node_id = node_persons.node_id

union all

select
    source_table,
    source_record_key,
    cast(null as {{ dbt.type_string() }}) as person_id,
    cast(null as {{ dbt.type_string() }}) as resolved_via,
    false as is_resolved_via_shared_identifier,
    'only blocked identifiers' as unresolved_reason
from blocked_only_records
