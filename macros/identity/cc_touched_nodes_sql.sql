{#
    The nodes an incremental connected_components run re-resolves, as one select of node_id:
    the ends of every edge in only one of `previous_edges` (the list the previous `labels` were
    computed from) and `edges` (this run's), and every node that shared a previous component
    with one of them. Both lists are distinct (least, greatest) pairs, so one full join finds
    the changed edges.

    Why it is exact: an edge in both lists joins two nodes of one previous component, and an
    edge in one list only joins two touched nodes. So an untouched previous component keeps
    all its edges and gains none: it is still a component, with the same smallest id. And the
    touched nodes are closed under this run's edges: the edges from them (by node_a) are a
    union of whole components, which the rounds label afresh.
#}
{% macro cc_touched_nodes_sql(labels, previous_edges, edges) -%}
with

changed_edges as (

    select
        coalesce(edges.node_a, previous_edges.node_a) as node_a,
        coalesce(edges.node_b, previous_edges.node_b) as node_b
    from {{ edges }} as edges
    full outer join {{ previous_edges }} as previous_edges
        on
            edges.node_a = previous_edges.node_a
            and edges.node_b = previous_edges.node_b
    where edges.node_a is null or previous_edges.node_a is null

),

changed_nodes as (

    select node_a as node_id from changed_edges
    union
    select node_b as node_id from changed_edges

),

touched_components as (

    select distinct labels.component_id
    from {{ labels }} as labels
    inner join changed_nodes on labels.node_id = changed_nodes.node_id

)

select node_id from changed_nodes
union
select labels.node_id
from {{ labels }} as labels
inner join touched_components on labels.component_id = touched_components.component_id
{%- endmacro %}
