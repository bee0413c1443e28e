{#
    The edge list of connected_components, as the materialization stores it (`__cc_edges_next`,
    then the `__cc_edges` snapshot the next run compares with): the model's edges as distinct
    (least, greatest) bigint pairs. Self-loops are kept here (only here) so that a node whose
    only edge is a self-loop still gets a row in the round 0 map and thus a label; rows with
    a null end are ignored.
#}
{% macro cc_initial_edges_sql(model_sql) -%}
    {{ return(adapter.dispatch('cc_initial_edges_sql', 'cdp')(model_sql)) }}
{%- endmacro %}

{% macro default__cc_initial_edges_sql(model_sql) -%}
select distinct
    cast(least(model_edges.node_a, model_edges.node_b) as {{ dbt.type_bigint() }}) as node_a,
    cast(greatest(model_edges.node_a, model_edges.node_b) as {{ dbt.type_bigint() }}) as node_b
from (
    {{ model_sql }}
) as model_edges
where model_edges.node_a is not null and model_edges.node_b is not null
{%- endmacro %}
