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

{#
    PostgreSQL's round(double precision) rounds half to even, and its double -> numeric cast
    keeps 15 digits (7219.4999999999991 would become 7219.5): round half away from zero with
    floor on the double itself, as DuckDB's cast does.
#}
{% macro postgres__decimal_ratio(numerator, denominator, precision, scale) -%}
    {%- set scaled = 'cast(' ~ numerator ~ ' as double precision) / ' ~ denominator
        ~ ' * ' ~ (10 ** scale) -%}
    cast(
        sign({{ scaled }}) * floor(abs({{ scaled }}) + 0.5) / {{ 10 ** scale }}
        as decimal({{ precision }}, {{ scale }})
    )
{%- endmacro %}
