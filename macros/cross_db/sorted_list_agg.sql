{#
    Aggregate: the distinct non-null values of `expr` in one text, sorted, joined by `separator`.
    Text rather than an array type so the column means the same on every engine and BI tool.
#}
{% macro sorted_list_agg(expr, separator=', ') -%}
    {{ return(adapter.dispatch('sorted_list_agg', 'cdp')(expr, separator)) }}
{%- endmacro %}

{% macro default__sorted_list_agg(expr, separator) -%}
    string_agg(distinct {{ expr }}, '{{ separator }}' order by {{ expr }})
{%- endmacro %}

{% macro spark__sorted_list_agg(expr, separator) -%}
    concat_ws('{{ separator }}', array_sort(collect_set({{ expr }})))
{%- endmacro %}
