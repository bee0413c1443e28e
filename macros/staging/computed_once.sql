{#
    The keyword after `name as` of a CTE whose columns later CTEs read several times (a base
    model's extracted and parsed steps, and the source step of a JSON one, which parses the
    document once: json_document): `materialized` on PostgreSQL, which otherwise inlines
    a CTE read once and pastes each column's whole expression (JSON extraction, regex cleaning,
    date parsing) into every place that names it, so one value is computed dozens of times per
    row. Nothing elsewhere: DuckDB and Spark compute a column once, and Spark has no
    `materialized`. The result is the same either way (the expressions are deterministic).
#}
{% macro computed_once() -%}
    {{ return(adapter.dispatch('computed_once', 'cdp')()) }}
{%- endmacro %}

{% macro default__computed_once() -%}
    {{ return('') }}
{%- endmacro %}

{% macro postgres__computed_once() -%}
    {{ return('materialized') }}
{%- endmacro %}
