{#
    `value` (a var's number: days, limits, thresholds) as a number to paste into SQL, or a
    compiler error naming `what`: an int or a finite float (never a boolean), or a plain
    numeric string (`30`, `-2`, `0.15`: ASCII digits only), an int when `integer`, and at least
    `minimum` when given. Jinja's `int`/`float` filters silently turn `10abc` or `1 or 1=1`
    into 0 and a pasted string is SQL, so var numbers go through this instead.
#}
{% macro checked_number(value, what, integer=false, minimum=none) -%}
    {%- set kind = 'an integer' if integer else 'a number' -%}
    {%- set ns = namespace(number=none) -%}
    {%- if value is boolean or value is none -%}
        {#- refused below: `true` is an int in Python -#}
    {%- elif value is integer -%}
        {%- set ns.number = value -%}
    {%- elif value is float -%}
        {%- if not integer and value * 0 == 0 -%} {#- false for nan and +-inf -#}
            {%- set ns.number = value -%}
        {%- endif -%}
    {%- elif value is string -%}
        {%- if modules.re.fullmatch('-?[0-9]+', value) -%}
            {%- set ns.number = value | int -%}
        {%- elif not integer and modules.re.fullmatch('-?[0-9]+[.][0-9]+', value) -%}
            {%- set ns.number = value | float -%}
        {%- endif -%}
    {%- endif -%}
    {%- if ns.number is none -%}
        {{ exceptions.raise_compiler_error(
            what ~ ": expected " ~ kind ~ ", got " ~ shown_value(value)) }}
    {%- endif -%}
    {%- if minimum is not none and ns.number < minimum -%}
        {{ exceptions.raise_compiler_error(
            what ~ ": expected " ~ kind ~ " of at least " ~ minimum ~ ", got "
            ~ shown_value(value)) }}
    {%- endif -%}
    {{ return(ns.number) }}
{%- endmacro %}
