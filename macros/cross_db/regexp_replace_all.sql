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

{#
    Spark (java.util.regex) replaces every match and writes groups as `$1`: `\1` becomes `$1`
    and a literal `$` is escaped; `\\` stays a literal backslash.
#}
{% macro spark__regexp_replace_all(expr, pattern, replacement) -%}
    {%- set ns = namespace(text='', escaped=false) -%}
    {%- for char in replacement -%}
        {%- if ns.escaped -%}
            {%- set ns.text = ns.text ~ ('$' ~ char if char in '0123456789' else '\\' ~ char) -%}
            {%- set ns.escaped = false -%}
        {%- elif char == '\\' -%}
            {%- set ns.escaped = true -%}
        {%- elif char == '$' -%}
            {%- set ns.text = ns.text ~ '\\$' -%}
        {%- else -%}
            {%- set ns.text = ns.text ~ char -%}
        {%- endif -%}
    {%- endfor -%}
    regexp_replace({{ expr }}, {{ string_literal(pattern) }}, {{ string_literal(ns.text) }})
{%- endmacro %}
