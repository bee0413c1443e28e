{#
    Lower-case hex SHA-256 of `expr` read as UTF-8 text: the same 64 characters on every
    engine, so a hashed identifier joins across engines and across masked views. DuckDB
    sha256() (https://duckdb.org/docs/stable/sql/functions/text), PostgreSQL 11+ sha256() over
    bytes, Spark sha2(x, 256).
#}
{% macro sha256_hex(expr) -%}
    {{ return(adapter.dispatch('sha256_hex', 'cdp')(expr)) }}
{%- endmacro %}

{% macro default__sha256_hex(expr) -%}
    encode(sha256(convert_to(cast({{ expr }} as {{ dbt.type_string() }}), 'UTF8')), 'hex')
{%- endmacro %}

{% macro duckdb__sha256_hex(expr) -%}
    sha256(cast({{ expr }} as {{ dbt.type_string() }}))
{%- endmacro %}

{% macro spark__sha256_hex(expr) -%}
    sha2(cast({{ expr }} as {{ dbt.type_string() }}), 256)
{%- endmacro %}
