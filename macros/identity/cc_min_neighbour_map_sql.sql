{#
    The round map M_k of connected_components as (node_id, root): every vertex of `edges`
    (node_a < node_b; round 0 also has self-loops) with root = the least of itself and its
    neighbours. The smaller end of an edge is a candidate root for both ends, so one pass over
    the edges suffices.
#}
{% macro cc_min_neighbour_map_sql(edges) -%}
    {{ return(adapter.dispatch('cc_min_neighbour_map_sql', 'cdp')(edges)) }}
{%- endmacro %}

{% macro default__cc_min_neighbour_map_sql(edges) -%}
select
    candidates.node_id,
    min(candidates.root) as root
from (
    select
        edges.node_a as node_id,
        edges.node_a as root
    from {{ edges }} as edges
    union all
    select
        edges.node_b as node_id,
        edges.node_a as root
    from {{ edges }} as edges
) as candidates
group by candidates.node_id
{%- endmacro %}
