{#
    The JSON type at `path` of the JSON text `expr`: `string`, `number`, `boolean`, `object`,
    `array` or `null` (a JSON null), and SQL null when the key is missing or `expr` is not
    valid JSON. Base models use it for `wrong_type` checks (`messageId` must be a string).
#}
{% macro json_type(expr, path) -%}
    {{ return(adapter.dispatch('json_type', 'cdp')(expr, path)) }}
{%- endmacro %}

{# PostgreSQL 16+: json_typeof already speaks this vocabulary. #}
{% macro default__json_type(expr, path) -%}
    {%- set keys = [path] if path is string else path -%}
    case
        when {{ is_valid_json(expr) }}
            then json_typeof(json_extract_path(
                cast({{ expr }} as json)
                {%- for key in keys %}, {{ string_literal(key) }}{% endfor -%}
            ))
    end
{%- endmacro %}

{% macro duckdb__json_type(expr, path) -%}
    case
        when json_valid({{ expr }})
            then {{ duckdb_json_type_name('json_type(' ~ expr ~ ', ' ~ json_path(path) ~ ')') }}
    end
{%- endmacro %}

{#
    Spark 4 variants: schema_of_variant names the value's type (`STRING`, `BIGINT`,
    `DECIMAL(2,1)`, `DOUBLE`, `BOOLEAN`, `OBJECT<...>`, `ARRAY<...>`, `VOID` for a JSON null);
    variant_get is SQL null for a missing key.
#}
{% macro spark__json_type(expr, path) -%}
    {%- set value_type = 'schema_of_variant(variant_get(try_parse_json(' ~ expr ~ '), '
        ~ spark_json_path(path) ~ '))' -%}
    case
        when {{ value_type }} = 'STRING' then 'string'
        when {{ value_type }} = 'BOOLEAN' then 'boolean'
        when {{ value_type }} = 'VOID' then 'null'
        when {{ value_type }} like 'OBJECT%' then 'object'
        when {{ value_type }} like 'ARRAY%' then 'array'
        when {{ value_type }} is not null then 'number'
    end
{%- endmacro %}
