{#
    A number of an audience definition (a group priority, an arm's bucket bound) as SQL, or a
    compiler error naming `what` when it is not an integer. The definitions macro is generated
    from validated YAML, but a hand-edited one must not paste text into SQL either, and Jinja's
    `int` filter would silently turn anything else into 0.
#}
{% macro audience_integer(value, what) -%}
    {%- if value is not integer -%}
        {{ exceptions.raise_compiler_error(
            what ~ ": expected an integer, got " ~ (value | string | truncate(60, true, '...'))) }}
    {%- endif -%}
    {{ return(value | string) }}
{%- endmacro %}
