{#
    Escapes regex metacharacters in a literal text (a var value such as a null token or a
    country name) so it can be spliced into a pattern. Compile-time only: returns text, no SQL.
#}
{% macro regexp_escape(text) -%}
    {%- set ns = namespace(escaped='') -%}
    {%- for char in text | string -%}
        {%- set ns.escaped = ns.escaped ~ ('\\' if char in '\\.^$|?*+()[]{}' else '') ~ char -%}
    {%- endfor -%}
    {{ return(ns.escaped) }}
{%- endmacro %}
