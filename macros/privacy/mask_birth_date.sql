{#
    A date of birth for BI: its year (an integer), enough for age bands. PostgreSQL's
    extract returns numeric, hence the cast, so every engine gives the same integer.
#}
{% macro mask_birth_date(expr) -%}
    {{ return(adapter.dispatch('mask_birth_date', 'cdp')(expr)) }}
{%- endmacro %}

{% macro default__mask_birth_date(expr) -%}
    cast(extract(year from {{ expr }}) as integer)
{%- endmacro %}
