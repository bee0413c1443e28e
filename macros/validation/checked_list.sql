{#
    `value` when it is a list (of `length` items when given), else a compiler error naming
    `what`. A var that should list identifiers but holds one string would otherwise be read
    character by character; each item is then checked by the caller (checked_identifier).
#}
{% macro checked_list(value, what, length=none) -%}
    {%- if value is string or value is mapping or value is not sequence
        or (length is not none and value | length != length) -%}
        {{ exceptions.raise_compiler_error(
            what ~ ": expected a list" ~ (" of " ~ length ~ " items" if length is not none else "")
            ~ ", got " ~ shown_value(value)) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}
