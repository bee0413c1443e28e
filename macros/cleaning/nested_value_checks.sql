{#
    The `nested_value` entries of a JSON base model's check list: one per field the model
    reads as a scalar (`[raw field path, extracted column]`, path dotted), failing when the
    field holds an object or an array. Shared so every JSON source checks the same way.
#}
{% macro nested_value_checks(json_column, scalar_fields) -%}
    {%- set checks = [] -%}
    {%- for field, column in scalar_fields -%}
        {%- do checks.append(
            ['nested_value', field, json_is_nested(json_column, field.split('.'), column)]) -%}
    {%- endfor -%}
    {{ return(checks) }}
{%- endmacro %}
