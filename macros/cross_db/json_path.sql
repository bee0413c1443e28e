{#
    A list of keys (`['context', 'page', 'url']`) as a quoted SQL/JSON path
    (`'$."context"."page"."url"'`); integers become array indexes. Compile-time helper.
#}
{% macro json_path(path) -%}
    {%- set steps = [path] if path is string else path -%}
    {%- set ns = namespace(text='$') -%}
    {%- for step in steps -%}
        {%- if step is number -%}
            {%- set ns.text = ns.text ~ '[' ~ step ~ ']' -%}
        {%- elif '"' in step -%}
            {{ exceptions.raise_compiler_error('json_path: key with a double quote: ' ~ step) }}
        {%- else -%}
            {%- set ns.text = ns.text ~ '."' ~ step ~ '"' -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(string_literal(ns.text)) }}
{%- endmacro %}
