{#
    `expr` when it lies in [lower, upper), else null. Parsers use it so that a value that parses
    but cannot be real (a birth date in 1850, an event in 2262) counts as invalid, like
    an unparseable one. Bounds come from vars `cdp_valid_date_range` /
    `cdp_valid_timestamp_range`.
#}
{% macro within_range(expr, lower, upper, data_type) -%}
    case
        when {{ expr }} >= cast('{{ lower }}' as {{ data_type }})
            and {{ expr }} < cast('{{ upper }}' as {{ data_type }})
            then {{ expr }}
    end
{%- endmacro %}
