{#
    The identifier types of var `cdp_identity_types`, most trusted first, each a checked
    identifier (checked_identifier): a bad entry is a compiler error naming its position.
#}
{% macro identity_types() -%}
    {%- set types = [] -%}
    {%- for id_type in checked_list(var('cdp_identity_types'), 'var cdp_identity_types') -%}
        {%- do types.append(checked_identifier(
            id_type, 'var cdp_identity_types[' ~ loop.index0 ~ ']')) -%}
    {%- endfor -%}
    {{ return(types) }}
{%- endmacro %}
