{#
    The 8-byte floating point type's name, for casts that must give `double` on every engine
    (dbt's type_float is a 4-byte `float` on DuckDB and Spark). Division by a decimal literal
    is no substitute: DuckDB gives a double, Spark and PostgreSQL a decimal.
#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'cdp')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    {{ return('double precision') }}
{%- endmacro %}

{% macro spark__type_double() -%}
    {{ return('double') }}
{%- endmacro %}
