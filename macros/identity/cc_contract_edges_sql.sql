{#
    The next round's edges of connected_components: `edges` with both ends replaced by their
    root in `round_map`, as distinct (least, greatest) pairs without self-loops. Edges inside
    one root's group vanish, so the graph shrinks every round.
#}
{% macro cc_contract_edges_sql(edges, round_map) -%}
    {{ return(adapter.dispatch('cc_contract_edges_sql', 'cdp')(edges, round_map)) }}
{%- endmacro %}

{% macro default__cc_contract_edges_sql(edges, round_map) -%}
select distinct
    least(map_a.root, map_b.root) as node_a,
    greatest(map_a.root, map_b.root) as node_b
from {{ edges }} as edges
inner join {{ round_map }} as map_a on edges.node_a = map_a.node_id
inner join {{ round_map }} as map_b on edges.node_b = map_b.node_id
where map_a.root <> map_b.root
{%- endmacro %}
