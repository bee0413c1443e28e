{#
    Position of an identifier type in var `cdp_identity_types` (0 = most trusted). Records are
    attributed to, and link from, their most trusted usable identifier. Types are checked
    identifiers (checked_identifier), quoted with `string_literal`.
#}
{% macro identity_type_rank(id_type_column) -%}
    case {{ id_type_column }}
        {%- for id_type in checked_list(var('cdp_identity_types'), 'var cdp_identity_types') %}
        when {{ string_literal(checked_identifier(
            id_type, 'var cdp_identity_types[' ~ loop.index0 ~ ']')) }} then {{ loop.index0 }}
        {%- endfor %}
    end
{%- endmacro %}
