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

{# Null, like string_agg, when there is no value (concat_ws of an empty array is ''). #}
{% macro spark__sorted_list_agg(expr, separator) -%}
    case
        when count({{ expr }}) > 0
            then concat_ws({{ string_literal(separator) }}, array_sort(collect_set({{ expr }})))
    end
{%- endmacro %}
