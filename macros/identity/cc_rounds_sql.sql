{#
    The `__cc_rounds` monitoring table of connected_components as one select: a row per round
    with the edges and vertices entering it (round 0 counts every node, self-loop-only ones
    included, and the distinct undirected edges without self-loops).
#}
{% macro cc_rounds_sql(rounds) -%}
    {%- for round, edges, vertices in rounds -%}
        {%- if not loop.first %}
union all
{% endif -%}
select
    cast({{ round }} as {{ dbt.type_bigint() }}) as round,
    cast({{ edges }} as {{ dbt.type_bigint() }}) as edges,
    cast({{ vertices }} as {{ dbt.type_bigint() }}) as vertices
    {%- endfor %}
{%- endmacro %}
