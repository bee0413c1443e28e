{#
    A deterministic pseudo-random ordering key for `expr` (text). Identity resolution numbers
    graph nodes in this order, so the min-id contraction behaves like a random-priority one
    (few rounds on any graph shape). Only the order matters, not the values, so each engine
    uses its fastest hash; results never depend on it.
#}
{% macro stable_hash(expr) -%}
    {{ return(adapter.dispatch('stable_hash', 'cdp')(expr)) }}
{%- endmacro %}

{% macro default__stable_hash(expr) -%}
    md5(cast({{ expr }} as {{ dbt.type_string() }}))
{%- endmacro %}

{% macro duckdb__stable_hash(expr) -%}
    hash({{ expr }})
{%- endmacro %}
