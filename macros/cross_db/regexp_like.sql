{#
    True when `expr` contains a match of the regular expression `pattern` (unanchored: use `^`
    and `$` for a full match). `pattern` is plain regex text, quoted here with `string_literal`,
    written in the subset RE2 (DuckDB) and PostgreSQL ARE share: classes, `(?:...)`, `{n,m}`,
    `^`, `$`. PostgreSQL 15+, Spark 3.2+ and Snowflake call it regexp_like; DuckDB calls it
    regexp_matches (https://duckdb.org/docs/stable/sql/functions/regular_expressions).
#}
{% macro regexp_like(expr, pattern) -%}
    {{ return(adapter.dispatch('regexp_like', 'cdp')(expr, pattern)) }}
{%- endmacro %}

{% macro default__regexp_like(expr, pattern) -%}
    regexp_like({{ expr }}, {{ string_literal(pattern) }})
{%- endmacro %}

{% macro duckdb__regexp_like(expr, pattern) -%}
    regexp_matches({{ expr }}, {{ string_literal(pattern) }})
{%- endmacro %}
