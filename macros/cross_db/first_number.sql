{#
    The first run of digits in `expr` as text (`12a Baker St` -> `12`), null when there is
    none: the street number of an address line, a blocking key of probabilistic matching.
#}
{% macro first_number(expr) -%}
    {{ return(adapter.dispatch('first_number', 'cdp')(expr)) }}
{%- endmacro %}

{% macro default__first_number(expr) -%}
    nullif(regexp_extract({{ expr }}, '[0-9]+'), '')
{%- endmacro %}

{% macro postgres__first_number(expr) -%}
    substring({{ expr }} from '[0-9]+')
{%- endmacro %}

{% macro spark__first_number(expr) -%}
    nullif(regexp_extract({{ expr }}, '([0-9]+)', 1), '')
{%- endmacro %}
