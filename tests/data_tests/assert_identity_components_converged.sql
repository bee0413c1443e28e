{#
    Connected components converged: no edge of the identity graph joins two components, and
    every node on an edge has a component.
#}
select
    edges.node_a,
    edges.node_b,
    a.component_id as component_a,
    b.component_id as component_b
from {{ ref('int_identity__edges') }} as edges
left join {{ ref('int_identity__components') }} as a on edges.node_a = a.node_id
left join {{ ref('int_identity__components') }} as b on edges.node_b = b.node_id
where a.component_id is null or b.component_id is null or a.component_id <> b.component_id
