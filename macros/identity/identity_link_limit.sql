{#
    The most distinct identifiers of `linked_type` an identifier of `id_type` may co-occur with
    before it counts as shared (var `cdp_identity_link_limits`); null when unlimited.
#}
{% macro identity_link_limit(id_type_column, linked_type_column) -%}
    {%- if not var('cdp_identity_link_limits') -%}
    cast(null as {{ dbt.type_int() }})
    {%- else -%}
    case
        {%- for id_type, limits in var('cdp_identity_link_limits').items() %}
        {%- for linked_type, limit in limits.items() %}
        when {{ id_type_column }} = '{{ id_type }}' and {{ linked_type_column }} = '{{ linked_type }}'
            then {{ limit | int }}
        {%- endfor %}
        {%- endfor %}
    end
    {%- endif -%}
{%- endmacro %}
