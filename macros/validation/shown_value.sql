{#
    A configured value as one short line for a compiler error: strings single-quoted with
    control and non-ASCII characters escaped (`'\u0430ds'` shows a Cyrillic lookalike),
    YAML scalars as YAML writes them, anything else as text; cut at about 80 characters. The
    checked_* macros name the offending value with it, never pasting it raw into a message.
#}
{% macro shown_value(value) -%}
    {%- if value is string -%}
        {%- set text = "'" ~ tojson(value)[1:-1] ~ "'" -%}
    {%- elif value is none -%}
        {%- set text = 'null' -%}
    {%- elif value is boolean -%}
        {%- set text = 'true' if value else 'false' -%}
    {%- else -%}
        {%- set text = value | string | replace('\n', '\\n') | replace('\r', '\\r') -%}
    {%- endif -%}
    {{ return(text | truncate(80, true, '...', 0)) }}
{%- endmacro %}
