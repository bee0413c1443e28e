{#
    Composes round maps backwards: for maps [M_0, ..., M_n] (the last may be an already
    composed `__cc_f` table), F_n = M_n and F_i(v) = coalesce(F_(i+1)(M_i(v)), M_i(v)): a vertex
    whose root has no edge in the next round keeps that root. One CTE per map, from the last
    one back, so each join probes only the (geometrically shrinking) vertices of its round.
    Selects (node_id, root) for the vertices of M_0, or with `as_labels` the materialization's
    (node_id, component_id) as bigints.
#}
{% macro cc_compose_roots_sql(maps, as_labels=false) -%}
    {{ return(adapter.dispatch('cc_compose_roots_sql', 'cdp')(maps, as_labels)) }}
{%- endmacro %}

{% macro default__cc_compose_roots_sql(maps, as_labels) -%}
    {%- set last = (maps | length) - 1 -%}
with
{%- for i in range(last + 1) | reverse %}

roots_{{ i }} as (
    select
        map_{{ i }}.node_id,
    {%- if i == last %}
        map_{{ i }}.root
    from {{ maps[i] }} as map_{{ i }}
    {%- else %}
        coalesce(roots_{{ i + 1 }}.root, map_{{ i }}.root) as root
    from {{ maps[i] }} as map_{{ i }}
    left join roots_{{ i + 1 }} on map_{{ i }}.root = roots_{{ i + 1 }}.node_id
    {%- endif %}
){{ ',' if not loop.last }}
{%- endfor %}

select
{%- if as_labels %}
    cast(roots_0.node_id as {{ dbt.type_bigint() }}) as node_id,
    cast(roots_0.root as {{ dbt.type_bigint() }}) as component_id
{%- else %}
    roots_0.node_id,
    roots_0.root
{%- endif %}
from roots_0
{%- endmacro %}
