{#
    The person of every record that carries an identifier: the person of the record's anchor
    (its most trusted usable identifier). Records whose identifiers are all blocked (a junk
    email only) have no person, with the reason, instead of vanishing.
#}
with

records as (

    select distinct
        source_table,
        source_record_key
    from {{ ref('int_identity__observations') }}

),

anchors as (

    select * from {{ ref('int_identity__record_nodes') }}
    where anchor_rank = 1

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
    records.source_table,
    records.source_record_key,
    node_persons.person_id,
    anchors.id_type as resolved_via,
    coalesce(anchors.is_shared, false) as is_resolved_via_shared_identifier,
    case
        when anchors.node_id is null then 'only blocked identifiers'
    end as unresolved_reason
from records
left join anchors
    on
        records.source_table = anchors.source_table
        and records.source_record_key = anchors.source_record_key
left join node_persons on anchors.node_id = node_persons.node_id
