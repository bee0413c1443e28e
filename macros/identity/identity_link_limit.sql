{#
    The most distinct identifiers of `linked_type` an identifier of `id_type` may co-occur with
    before it counts as shared (var `cdp_identity_link_limits`); null when unlimited. Both
    types are checked identifiers and each limit a checked integer >= 0: a bad value is a
    compiler error naming it (`| int` would silently make it 0, sharing everything).
#}
{% macro identity_link_limit(id_type_column, linked_type_column) -%}
    {%- set link_limits = var('cdp_identity_link_limits') -%}
    {%- if not link_limits -%}
    cast(null as {{ dbt.type_int() }})
    {%- else -%}
    case
        {%- for id_type, limits in link_limits.items() %}
        {%- set id_type = checked_identifier(id_type, 'var cdp_identity_link_limits key') %}
        {%- for linked_type, limit in limits.items() %}
        {%- set what = 'var cdp_identity_link_limits.' ~ id_type %}
        {%- set linked_type = checked_identifier(linked_type, what ~ ' key') %}
        {%- set limit = checked_number(limit, what ~ '.' ~ linked_type, integer=true, minimum=0) %}
        {%- set condition = id_type_column ~ ' = ' ~ string_literal(id_type) ~ ' and '
            ~ linked_type_column ~ ' = ' ~ string_literal(linked_type) %}
        when {{ condition }}
            then {{ limit }}
        {%- endfor %}
        {%- endfor %}
    end
    {%- endif -%}
{%- endmacro %}
