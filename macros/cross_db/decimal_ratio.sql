{#
    `numerator / denominator` as decimal(precision, scale), rounded the way DuckDB's
    `cast(decimal / integer as decimal(p, s))` rounds: the double-precision quotient times
    10^scale, rounded half away from zero. Spark and PostgreSQL divide decimals exactly, so a
    tie such as 144.39 / 2 = 72.195 would give 72.20 there and 72.19 (the double 72.19499...)
    in DuckDB: every engine goes through the double here. Null when the denominator is null
    (callers pass `nullif(x, 0)`).
#}
{% macro decimal_ratio(numerator, denominator, precision=18, scale=2) -%}
    {{ return(adapter.dispatch('decimal_ratio', 'cdp')(numerator, denominator, precision, scale)) }}
{%- endmacro %}

{% macro default__decimal_ratio(numerator, denominator, precision, scale) -%}
    cast(
        round(cast({{ numerator }} as {{ type_double() }}) / {{ denominator }} * {{ 10 ** scale }})
        / {{ 10 ** scale }}
        as decimal({{ precision }}, {{ scale }})
    )
{%- endmacro %}

{% macro duckdb__decimal_ratio(numerator, denominator, precision, scale) -%}
    cast({{ numerator }} / {{ denominator }} as decimal({{ precision }}, {{ scale }}))
{%- endmacro %}
