{#
    `expr` (double or decimal) rounded to `places` decimal places, halves away from zero.
    Plain `round(x, n)` is not portable: PostgreSQL only rounds to a number of places for
    `numeric` (there is no round(double precision, integer)).
#}
{% macro round_to(expr, places) -%}
    {{ return(adapter.dispatch('round_to', 'cdp')(expr, places)) }}
{%- endmacro %}

{% macro default__round_to(expr, places) -%}
    round({{ expr }}, {{ places }})
{%- endmacro %}

{% macro postgres__round_to(expr, places) -%}
    round(cast({{ expr }} as numeric), {{ places }})
{%- endmacro %}
