{# Every component is exactly one person and every person exactly one component. #}
{# Dagster shows the test as a check on the person map. #}
{{ config(meta={'dagster': {'ref': {'name': 'int_identity__person_map'}}}) }}

with

assigned as (

    select
        components.component_id,
        person_map.person_id
    from {{ ref('int_identity__nodes') }} as nodes
    inner join {{ ref('int_identity__resolved_components') }} as components
        on nodes.node_id = components.node_id
    inner join {{ ref('int_identity__person_map') }} as person_map
        on nodes.node_key = person_map.node_key and person_map.is_current

)

select
    component_id,
    null as person_id
from assigned
group by component_id
having count(distinct person_id) > 1
union all
select
    null as component_id,
    person_id
from assigned
group by person_id
having count(distinct component_id) > 1
