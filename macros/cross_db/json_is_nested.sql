{#
    True when the value at `path` of the JSON text `expr` is an object or an array, where the
    base model reads a scalar (an id, a string, a timestamp): `"userId": {"id": 123}` must be
    a `nested_value` reject, never the identifier `{"id":123}`. False otherwise (missing key,
    JSON null, scalar, invalid JSON).

    `extracted` is the column already holding `json_text(expr, path)` (cleaned, lower-cased or
    not): a nested value's text starts with `{` or `[`, so only those rows are parsed again
    and clean rows cost one string comparison. Portable: it is built from the dispatched
    `json_type`.
#}
{% macro json_is_nested(expr, path, extracted) -%}
    case
        when substring({{ extracted }}, 1, 1) in ('{', '[')
            then coalesce({{ json_type(expr, path) }} in ('object', 'array'), false)
        else false
    end
{%- endmacro %}
