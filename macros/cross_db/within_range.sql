{#
    `expr` when it lies in [lower, upper), else null. Parsers use it so that a value that parses
    but cannot be real (a birth date in 1850, an event in 2262) counts as invalid, like
    an unparseable one. Bounds come from vars `cdp_valid_date_range` /
    `cdp_valid_timestamp_range`: each must be a date or timestamp (checked_date; a compiler
    error naming `what`, e.g. `var cdp_valid_date_range`, otherwise) and is quoted with
    `string_literal`, never pasted.
#}
{% macro within_range(expr, lower, upper, data_type, what='within_range bounds') -%}
    {%- set lower_literal = string_literal(checked_date(lower, what ~ '[0]')) -%}
    {%- set upper_literal = string_literal(checked_date(upper, what ~ '[1]')) -%}
    case
        when {{ expr }} >= cast({{ lower_literal }} as {{ data_type }})
            and {{ expr }} < cast({{ upper_literal }} as {{ data_type }})
            then {{ expr }}
    end
{%- endmacro %}
