{#
    Replaces every match of `pattern` in `expr` with `replacement` (`\1`..`\9` insert groups).
    Both are plain text, quoted here with `string_literal` (escaped for the adapter). DuckDB
    and PostgreSQL share the `'g'` flag form; Spark replaces all matches by default and writes
    groups as `$1`, so it will need its own variant.
#}
{% macro regexp_replace_all(expr, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'cdp')(expr, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(expr, pattern, replacement) -%}
    {%- set pattern_literal = string_literal(pattern) -%}
    {%- set replacement_literal = string_literal(replacement) -%}
    regexp_replace({{ expr }}, {{ pattern_literal }}, {{ replacement_literal }}, 'g')
{%- endmacro %}
