{#
    The named columns of the current row as a JSON object in text, keyed by column name in
    list order (`{"contact_id":"CRM-0000001","email":null,...}`). Base models keep it as
    `raw_record` so a rejected row can be shown exactly as it arrived.
#}
{% macro row_to_json(columns) -%}
    {{ return(adapter.dispatch('row_to_json', 'cdp')(columns)) }}
{%- endmacro %}

{# SQL:2016 json_object constructor: PostgreSQL 16+ (which writes `"key" : value`). #}
{% macro default__row_to_json(columns) -%}
    cast(json_object(
        {%- for column in columns %}
        '{{ column }}' value {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as {{ dbt.type_string() }})
{%- endmacro %}

{% macro duckdb__row_to_json(columns) -%}
    cast(json_object(
        {%- for column in columns %}
        '{{ column }}', {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    ) as {{ dbt.type_string() }})
{%- endmacro %}

{#
    PostgreSQL: json_build_object writes `"key" : value` and jsonb reorders keys, so the object
    is concatenated from to_json values to read exactly like DuckDB's (`{"key":value,...}`).
#}
{% macro postgres__row_to_json(columns) -%}
    '{'
    {%- for column in columns %}
        || {{ string_literal('"' ~ column ~ '":') }}
        || coalesce(cast(to_json({{ column }}) as text), 'null')
        {{- " || ','" if not loop.last }}
    {%- endfor %}
    || '}'
{%- endmacro %}

{# to_json drops null fields unless told not to; the key must stay (`"email":null`). #}
{% macro spark__row_to_json(columns) -%}
    to_json(named_struct(
        {%- for column in columns %}
        '{{ column }}', {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    ), map('ignoreNullFields', 'false'))
{%- endmacro %}
