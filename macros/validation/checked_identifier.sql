{#
    `value` (an identifier type, a consent purpose or channel from a var) when it is a
    lower_snake_case identifier (`[a-z_][a-z0-9_]*`, at most 63 characters: PostgreSQL's
    limit), else a compiler error naming `what` (`var cdp_identity_types[2]`). Such values
    become column names (`consent_<purpose>_<channel>`) and quoted literals: YAML is untrusted
    input, so it is checked before it reaches SQL. ASCII only: a Cyrillic `а` is refused.
#}
{% macro checked_identifier(value, what) -%}
    {%- if value is not string or value | length > 63
        or not modules.re.fullmatch('[a-z_][a-z0-9_]*', value) -%}
        {{ exceptions.raise_compiler_error(
            what ~ ": " ~ shown_value(value) ~ " is not a lower_snake_case identifier"
            ~ " ([a-z_][a-z0-9_]*, at most 63 characters)") }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}
