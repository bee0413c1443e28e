{#
    The JSON text `expr` in the form json_text and json_type read fastest, for a CTE to compute
    once per row and the extracting CTE to read instead of the text. PostgreSQL: the text cast to
    `json` once, null when it is not valid JSON (json_text and json_type are null for it either
    way), so each field costs one parse instead of a validity check and two parses. Elsewhere
    the text itself: DuckDB and Spark read fields from text directly.
#}
{% macro json_document(expr) -%}
    {{ return(adapter.dispatch('json_document', 'cdp')(expr)) }}
{%- endmacro %}

{% macro default__json_document(expr) -%}
    {{ expr }}
{%- endmacro %}

{#
    A `json` value: postgres__is_valid_json on it calls the `json` overload of
    cdp_is_valid_json (prepare_warehouse), true unless null, and the cast to json is a no-op.
#}
{% macro postgres__json_document(expr) -%}
    case when {{ is_valid_json(expr) }} then cast({{ expr }} as json) end
{%- endmacro %}
