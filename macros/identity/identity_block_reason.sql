{#
    Why an identifier must never be used for matching, or null: its value is on the blocklist
    of its type (or of `any` type) in var `cdp_identity_blocklist`, or matches one of the
    blocklist's patterns. Values are compared lower-cased. Types are checked identifiers;
    values and patterns are quoted with `string_literal` (through regexp_like for patterns).
#}
{% macro identity_block_reason(id_type_column, value_column) -%}
    {%- set blocklist = var('cdp_identity_blocklist') -%}
    {%- set value = 'lower(' ~ value_column ~ ')' -%}
    case
        {%- for id_type, rules in blocklist.items() %}
        {%- set id_type = checked_identifier(id_type, 'var cdp_identity_blocklist key') %}
        {%- set what = 'var cdp_identity_blocklist.' ~ id_type %}
        {%- set type_condition = 'true' if id_type == 'any'
            else id_type_column ~ ' = ' ~ string_literal(id_type) %}
        {%- if rules.get('values') %}
        when {{ type_condition }} and {{ value }} in (
            {%- for blocked in checked_list(rules['values'], what ~ '.values') -%}
            {{ string_literal(blocked | lower) }}{{ ', ' if not loop.last }}
            {%- endfor -%}
        ) then 'blocklisted_value'
        {%- endif %}
        {%- for pattern in checked_list(rules.get('patterns', []), what ~ '.patterns') %}
        when {{ type_condition }} and {{ regexp_like(value, pattern) }} then 'blocklisted_pattern'
        {%- endfor %}
        {%- endfor %}
    end
{%- endmacro %}
