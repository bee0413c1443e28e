{#
    Text to decimal(precision, scale), or null unless the trimmed text is a plain decimal
    (`^-?[0-9]+(\.[0-9]+)?$`): no currency signs, thousands separators, decimal commas or
    exponents, which plain casts accept or reject differently per warehouse. Extra fraction
    digits are rounded to `scale`.
#}
{% macro try_cast_decimal(expr, precision=18, scale=2) -%}
    {{ return(adapter.dispatch('try_cast_decimal', 'cdp')(expr, precision, scale)) }}
{%- endmacro %}

{# No try_cast: the pattern also caps the integer digits so the cast cannot overflow. #}
{% macro default__try_cast_decimal(expr, precision, scale) -%}
    {%- set text = 'trim(cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ '))' -%}
    case
        when {{ regexp_like(text, '^-?[0-9]{1,' ~ (precision - scale) ~ '}(\\.[0-9]+)?$') }}
            then cast({{ text }} as decimal({{ precision }}, {{ scale }}))
    end
{%- endmacro %}

{% macro duckdb__try_cast_decimal(expr, precision, scale) -%}
    {%- set text = 'trim(cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ '))' -%}
    case
        when regexp_matches({{ text }}, '^-?[0-9]+(\.[0-9]+)?$')
            then try_cast({{ text }} as decimal({{ precision }}, {{ scale }}))
    end
{%- endmacro %}
