{#
    One connected_components round's bookkeeping in one query: `vertices` (rows of the round
    map), `next_edges` (rows of the next edge list: 0 means converged) and, given the round 0
    edge list, its edge rows without self-loops (duplicates included: round 0 reads the
    model's edges as they are).
#}
{% macro cc_round_counts_sql(round_map, next_edges, initial_edges=none) -%}
select
    (select count(*) from {{ round_map }}) as vertices,
    (select count(*) from {{ next_edges }}) as next_edges
    {%- if initial_edges is not none %},
    (
        select count(*) from {{ initial_edges }} as edges
        where edges.node_a <> edges.node_b
    ) as edges
    {%- endif %}
{%- endmacro %}
