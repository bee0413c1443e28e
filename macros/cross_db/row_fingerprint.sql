{#
    A 64-bit hash of the values `expressions` (a list of SQL expressions), for change
    detection inside one warehouse: cheap (no md5), different on each engine, and never
    compared across engines. Nulls and positions count: (null, 'x') and ('x', null) differ.
#}
{% macro row_fingerprint(expressions) -%}
    {{ return(adapter.dispatch('row_fingerprint', 'cdp')(expressions)) }}
{%- endmacro %}

{#- PostgreSQL's text form of a row quotes and separates its fields unambiguously. -#}
{% macro default__row_fingerprint(expressions) -%}
    hashtextextended(cast(row({{ expressions | join(', ') }}) as text), 0)
{%- endmacro %}

{% macro duckdb__row_fingerprint(expressions) -%}
    hash({{ expressions | join(', ') }})
{%- endmacro %}

{#- Spark's xxhash64 skips nulls, so each value is text with a marker for null. -#}
{% macro spark__row_fingerprint(expressions) -%}
    xxhash64(
        {%- for expression in expressions %}
        coalesce(cast({{ expression }} as string), '\\N'){{ ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}
