{#
    Position of an identifier type in var `cdp_identity_types` (0 = most trusted). Records are
    attributed to, and link from, their most trusted usable identifier.
#}
{% macro identity_type_rank(id_type_column) -%}
    case {{ id_type_column }}
        {%- for id_type in var('cdp_identity_types') %}
        when '{{ id_type }}' then {{ loop.index0 }}
        {%- endfor %}
    end
{%- endmacro %}
