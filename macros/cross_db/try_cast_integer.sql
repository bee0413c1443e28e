{#
    Text to bigint, or null unless the trimmed text is a plain integer (`^-?[0-9]+$`): `1.0`,
    `1e3` and `12 ` with inner spaces are not integers here, whatever a plain cast would say.
#}
{% macro try_cast_integer(expr) -%}
    {{ return(adapter.dispatch('try_cast_integer', 'cdp')(expr)) }}
{%- endmacro %}

{# No try_cast: at most 18 digits always fit a bigint, longer values give null. #}
{% macro default__try_cast_integer(expr) -%}
    {%- set text = 'trim(cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ '))' -%}
    case
        when {{ regexp_like(text, '^-?[0-9]{1,18}$') }} then cast({{ text }} as bigint)
    end
{%- endmacro %}

{% macro duckdb__try_cast_integer(expr) -%}
    {%- set text = 'trim(cast(' ~ expr ~ ' as ' ~ dbt.type_string() ~ '))' -%}
    case
        when regexp_matches({{ text }}, '^-?[0-9]+$') then try_cast({{ text }} as bigint)
    end
{%- endmacro %}
