{#
    True when the text `expr` parses as JSON (any JSON value, not only objects); null for null.
    Lets base models reject `malformed_json` rows before reading fields from them.
#}
{% macro is_valid_json(expr) -%}
    {{ return(adapter.dispatch('is_valid_json', 'cdp')(expr)) }}
{%- endmacro %}

{# SQL:2016 `is json` predicate (PostgreSQL 16+, Oracle, ...). #}
{% macro default__is_valid_json(expr) -%}
    ({{ expr }} is json)
{%- endmacro %}

{% macro duckdb__is_valid_json(expr) -%}
    json_valid({{ expr }})
{%- endmacro %}

{#
    PostgreSQL 15 has no non-raising JSON check (`is json` and `pg_input_is_valid` are 16+):
    the function prepare_warehouse creates tries the cast and catches the error.
#}
{% macro postgres__is_valid_json(expr) -%}
    {{ adapter.quote(target.schema) }}.cdp_is_valid_json({{ expr }})
{%- endmacro %}

{#
    Spark 4: try_parse_json is null for invalid JSON (a JSON null parses to a variant null,
    not SQL null). Duplicate keys are valid JSON, as in DuckDB, only with the session setting
    spark.sql.variant.allowDuplicateKeys (the profile sets it).
#}
{% macro spark__is_valid_json(expr) -%}
    (case when {{ expr }} is not null then try_parse_json({{ expr }}) is not null end)
{%- endmacro %}
