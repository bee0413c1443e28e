{#
    The value at `path` (a list of keys, e.g. `['context', 'page', 'url']`) of the JSON text
    `expr`, as text: strings unquoted, numbers and booleans as written, objects and arrays as
    JSON text. Null when the key is missing, the value is JSON null, or `expr` is not valid
    JSON: one malformed line must become a rejected row, not a failed model.
#}
{% macro json_text(expr, path) -%}
    {{ return(adapter.dispatch('json_text', 'cdp')(expr, path)) }}
{%- endmacro %}

{# PostgreSQL 16+ (`is json`); json (not jsonb) keeps objects as written. #}
{% macro default__json_text(expr, path) -%}
    {%- set keys = [path] if path is string else path -%}
    case
        when {{ is_valid_json(expr) }}
            then json_extract_path_text(
                cast({{ expr }} as json)
                {%- for key in keys %}, {{ string_literal(key) }}{% endfor -%}
            )
    end
{%- endmacro %}

{# json_extract_string raises on invalid JSON, so it only runs behind json_valid. #}
{% macro duckdb__json_text(expr, path) -%}
    case
        when json_valid({{ expr }})
            then json_extract_string({{ expr }}, {{ json_path(path) }})
    end
{%- endmacro %}

{#
    get_json_object keeps objects' key order and gives JSON null as SQL null; it is lenient
    with text after the value, so it only runs behind is_valid_json.
#}
{% macro spark__json_text(expr, path) -%}
    case
        when {{ is_valid_json(expr) }}
            then get_json_object({{ expr }}, {{ spark_json_path(path) }})
    end
{%- endmacro %}
