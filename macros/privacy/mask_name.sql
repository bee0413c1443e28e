{#
    A name for BI: the initial of each space-separated word followed by `.`
    (`Mary Ann` -> `M. A.`, `O'Neil-Smith` -> `O.`). The regex uses only a negated class and
    one group, read alike by RE2 (DuckDB), PostgreSQL and java.util.regex (Spark).
#}
{% macro mask_name(expr) -%}
    {{ return(adapter.dispatch('mask_name', 'cdp')(expr)) }}
{%- endmacro %}

{% macro default__mask_name(expr) -%}
    {{ regexp_replace_all('trim(' ~ expr ~ ')', '([^ ])[^ ]*', '\\1.') }}
{%- endmacro %}
