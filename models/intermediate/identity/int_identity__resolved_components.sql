{#
    The final component of every node: its graph component, except inside oversized
    components, where only strong links count (nodes left without one stand alone).
#}
with

nodes as (

    select node_id from {{ ref('int_identity__nodes') }}

),

graph as (

    select * from {{ ref('int_identity__components') }}

),

oversized as (

    select distinct component_id from {{ ref('int_identity__oversized_components') }}

)

select
    nodes.node_id,
    case
        when oversized.component_id is not null
            then coalesce(strong.component_id, nodes.node_id)
        else coalesce(graph.component_id, nodes.node_id)
    end as component_id,
    oversized.component_id is not null as was_oversized
from nodes
left join graph on nodes.node_id = graph.node_id
left join oversized on graph.component_id = oversized.component_id
left join {{ ref('int_identity__strong_components') }} as strong
    on nodes.node_id = strong.node_id
