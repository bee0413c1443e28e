{#
    `numerator` / `denominator` as an exact decimal rounded half away from zero to `scale`
    places (null when the denominator is 0 or null). `numerator` must be an integer or a
    decimal with at most `scale` places, `denominator` an integer (a count). PostgreSQL and
    Spark divide decimals exactly; DuckDB divides them as doubles, so 144.39 / 2 became
    72.19 there (72.19499...) and 72.20 elsewhere.
#}
{% macro divide_decimal(numerator, denominator, scale=2) -%}
    {{ return(adapter.dispatch('divide_decimal', 'cdp')(numerator, denominator, scale)) }}
{%- endmacro %}

{# The numerator is made a decimal first: integer / integer truncates on PostgreSQL. #}
{% macro default__divide_decimal(numerator, denominator, scale) -%}
    cast(
        cast({{ numerator }} as decimal(38, {{ scale }})) / nullif({{ denominator }}, 0)
        as decimal(38, {{ scale }})
    )
{%- endmacro %}

{#
    Exact on DuckDB: integer arithmetic on units of 10^-scale, scaled back by multiplying with
    a decimal literal (decimal times decimal stays exact; any `/` would be a double again).
#}
{% macro duckdb__divide_decimal(numerator, denominator, scale) -%}
    {%- set units = 'cast((' ~ numerator ~ ') * ' ~ (10 ** scale) ~ ' as hugeint)' -%}
    {%- set divisor = 'cast(nullif(' ~ denominator ~ ', 0) as hugeint)' -%}
    (cast(
        sign({{ units }}) * sign({{ divisor }})
        * ((abs({{ units }}) * 2 + abs({{ divisor }})) // (2 * abs({{ divisor }})))
        as decimal(38, 0)
    ) * {{ '0.' ~ '0' * (scale - 1) ~ '1' if scale > 0 else '1' }})
{%- endmacro %}
